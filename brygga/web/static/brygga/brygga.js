// Brygga's own script: small, no inline handlers (the CSP forbids them).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // A table wider than its box scrolls: make the box reachable and named for keyboard users.
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    if (wrap.scrollWidth > wrap.clientWidth) {
      var caption = wrap.querySelector("caption");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (caption) { wrap.setAttribute("aria-label", caption.textContent.trim()); }
    }
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // The district's routes (ADR 0110): choosing an intervention type proposes its owner and
  // provider. Only a proposal: the worker may change every field afterwards.
  var routes = document.getElementById("route-proposals");
  var typeSelect = document.querySelector("select[name=type]");
  if (routes && typeSelect) {
    var proposals = JSON.parse(routes.textContent);
    var hint = document.getElementById("route-proposal-hint");
    var form = typeSelect.form;
    typeSelect.addEventListener("change", function () {
      var proposal = proposals[typeSelect.value];
      if (hint) { hint.hidden = !proposal; hint.textContent = proposal ? proposal.hint : ""; }
      if (!proposal) { return; }
      var kind = form.querySelector("input[name=actor_kind][value=" + proposal.actor_kind + "]");
      if (kind) {
        kind.checked = true;
        // Tell the owner fields' show-and-hide (below) that the kind changed.
        kind.dispatchEvent(new Event("change", { bubbles: true }));
      }
      form.elements.actor_role.value = proposal.actor_role;
      form.elements.actor_unit.value = String(proposal.actor_unit);
      form.elements.provider.value = proposal.provider;
    });
  }
});
// A field asked only while another is empty (the birth year, when there is no personnummer).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-hidden-while-filled]").forEach(function (dependent) {
    var source = document.getElementById(dependent.getAttribute("data-hidden-while-filled"));
    var group = dependent.closest(".field");
    if (!source || !group) { return; }
    function update() {
      // Never hide a field that shows an error: the person must see and fix it.
      group.hidden = source.value.trim() !== "" && !group.classList.contains("field--error");
    }
    source.addEventListener("input", update);
    update();
  });
});
// "Vem ansvarar?": the fields of one kind of owner at a time, once the kind is chosen.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form").forEach(function (form) {
    var dependents = form.querySelectorAll("[data-actor-kind]");
    var radios = form.querySelectorAll('input[type="radio"][name$="actor_kind"]');
    if (!dependents.length || !radios.length) { return; }
    function update() {
      var chosen = form.querySelector('input[type="radio"][name$="actor_kind"]:checked');
      dependents.forEach(function (field) {
        var group = field.closest(".field");
        if (group) { group.hidden = !chosen || chosen.value !== field.getAttribute("data-actor-kind"); }
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });
});
