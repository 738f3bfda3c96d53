"""The directory, consents and referrals from the case, the partner portal, the coordinator's
view and the contact-person register. Every view names its access rule."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brygga.access import policy
from brygga.access.decorators import case_view, role_required
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.cases.models import Case
from brygga.lib.http import submitted
from brygga.lib.versioning import StaleEdit
from brygga.organisation.models import Role
from brygga.partners import charts, hsds, queries, services
from brygga.partners.forms import (
    AssignmentFollowUpForm,
    ConsentForm,
    ContactAssignmentForm,
    ContactConsentForm,
    ContactPersonForm,
    DirectoryFilterForm,
    EndAssignmentForm,
    FeedbackForm,
    HsdsImportForm,
    OrganisationForm,
    PartnerStatusForm,
    ReferralForm,
)
from brygga.partners.models import Consent, ContactAssignment, ContactPerson, Organisation

# Everyone who may look up organisations: casework roles pick them, the coordinator and
# administrators maintain them. Partners and statisticians do not use the directory.
DIRECTORY_ROLES = (
    Role.WORKER,
    Role.MANAGER,
    Role.HOUSING_SUPPORT,
    Role.CONTACT_COORDINATOR,
    Role.ADMINISTRATOR,
)
MAINTAINERS = (Role.CONTACT_COORDINATOR, Role.ADMINISTRATOR)
STATISTICS_ROLES = (Role.CONTACT_COORDINATOR, Role.ADMINISTRATOR, Role.STATISTICIAN)


def _to_case(case: Case) -> HttpResponse:
    return redirect("case_detail", case_id=case.pk)


# --- Directory -------------------------------------------------------------------------------


@role_required(*DIRECTORY_ROLES)
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    organisations = [] if form.errors else list(queries.directory(filters))
    return render(
        request,
        "partners/directory.html",
        {
            "form": form,
            "organisations": organisations,
            "may_maintain": policy.may_maintain_partner_directory(request.user),
        },
    )


@role_required(*DIRECTORY_ROLES)
@require_GET
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related("offers", "districts"), pk=organisation_id
    )
    history = list(
        organisation.history.select_related("history_user").order_by("-history_date")[:20]
    )
    return render(
        request,
        "partners/organisation.html",
        {
            "organisation": organisation,
            "history": history,
            "may_maintain": policy.may_maintain_partner_directory(request.user),
        },
    )


@role_required(*MAINTAINERS)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: int | None = None) -> HttpResponse:
    organisation = (
        get_object_or_404(Organisation, pk=organisation_id) if organisation_id else Organisation()
    )
    form = OrganisationForm(submitted(request), instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_organisation(
                request,
                form.save(commit=False),
                form.cleaned_data["districts"],
                form.offers(),
                based_on_version=form.cleaned_data.get("version"),
                changed=form.changed_data,
            )
        except StaleEdit:
            form.add_error(
                None,
                _("Någon annan har ändrat organisationen medan du skrev. Öppna den igen."),
            )
        else:
            messages.success(request, _("Organisationen är sparad."))
            return redirect("partners:organisation", organisation_id=saved.pk)
    title = organisation.name if organisation.pk else _("Ny organisation")
    return render(
        request,
        "partners/form.html",
        {"form": form, "title": title, "cancel": "partners:directory"},
    )


# --- HSDS export and import ------------------------------------------------------------------


@role_required(*MAINTAINERS)
@require_http_methods(["GET", "POST"])
def hsds_page(request: HttpRequest) -> HttpResponse:
    """Export links and the import form; an import with any bad row saves nothing."""
    form = HsdsImportForm(submitted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.plan is not None:
        created, updated = services.import_directory(request, form.plan)
        messages.success(
            request,
            _("Importen är klar: %(created)s nya och %(updated)s uppdaterade organisationer.")
            % {"created": created, "updated": updated},
        )
        return redirect("partners:directory")
    return render(request, "partners/hsds.html", {"form": form, "plan": form.plan})


@role_required(*MAINTAINERS)
@require_GET
def hsds_export(request: HttpRequest, fmt: str) -> HttpResponse:
    tables = hsds.export_tables(hsds.directory_for_export())
    if fmt == "json":
        body, content_type = hsds.as_json(tables), "application/json; charset=utf-8"
    else:
        body, content_type = hsds.as_csv_zip(tables), "application/zip"
    record(
        request,
        Action.EXPORT,
        detail={"what": "hsds", "format": fmt, "organisations": len(tables["organization"])},
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="brygga-organisationer-hsds.{fmt}"'
    return response


# --- Consents and referrals, from the case ---------------------------------------------------


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, case: Case) -> HttpResponse:
    contact = request.GET.get("mottagare") == "kontaktperson"
    form_class = ContactConsentForm if contact else ConsentForm
    form = form_class(
        submitted(request),
        case=case,
        instance=Consent(case=case, person_id=case.person_id),
        initial={"organisation": request.GET.get("organisation")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(request, form.save(commit=False))
        except services.ProtectedDetailShared:
            form.add_error(None, _("Texten innehåller en skyddad uppgift om personen."))
        else:
            messages.success(request, _("Samtycket är registrerat."))
            return _to_case(case)
    return render(
        request,
        "partners/case_form.html",
        {"case": case, "form": form, "title": _("Registrera samtycke"), "consent_form": True},
    )


@case_view(change=True)
@require_POST
def consent_withdraw(request: HttpRequest, case: Case, consent_id: int) -> HttpResponse:
    consent = get_object_or_404(Consent, case=case, pk=consent_id)
    services.withdraw_consent(request, consent)
    messages.success(request, _("Samtycket är återkallat. Ingenting delas längre."))
    return _to_case(case)


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, case: Case) -> HttpResponse:
    today = timezone.localdate()
    initial = {"intervention": request.GET.get("insats"), "task": request.GET.get("uppgift")}
    form = ReferralForm(submitted(request), case=case, today=today, initial=initial)
    if request.method == "POST" and form.is_valid():
        consent = form.cleaned_data["consent"]
        try:
            services.make_referral(
                request,
                case,
                consent.organisation,
                consent,
                intervention=form.cleaned_data["intervention"],
                task=form.cleaned_data["task"],
                today=today,
            )
        except services.ConsentMissing:
            form.add_error("consent", services.no_consent_message())
        else:
            messages.success(request, _("Förmedlingen är skickad."))
            return _to_case(case)
    return render(
        request,
        "partners/referral_form.html",
        {"case": case, "form": form, "title": _("Förmedla till organisation")},
    )


@case_view()
@require_GET
def referral_detail(request: HttpRequest, case: Case, referral_id: int) -> HttpResponse:
    referral = get_object_or_404(
        case.partner_referrals.select_related(
            "organisation", "consent", "intervention__type", "task", "sent_by"
        ),
        pk=referral_id,
    )
    feedback = list(referral.feedback.select_related("given_by"))
    return render(
        request,
        "partners/referral.html",
        {"case": case, "referral": referral, "feedback": feedback},
    )


# --- The partner portal ----------------------------------------------------------------------


@role_required(Role.PARTNER)
@require_GET
def portal(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    referrals = queries.for_partner(policy.partner_referrals(request.user)).order_by(
        "-sent_on", "-pk"
    )
    shown = [queries.shared_view(r, today) for r in referrals]
    persons = [v.referral.case.person_id for v in shown if v.in_force]
    if persons:
        record(request, Action.VIEW, persons_shown=persons, detail={"page": "partner_portal"})
    return render(request, "partners/portal.html", {"shown": shown})


def _partner_referral(request: HttpRequest, referral_id: int) -> queries.SharedView:
    referral = get_object_or_404(
        queries.for_partner(policy.partner_referrals(request.user)), pk=referral_id
    )
    return queries.shared_view(referral, timezone.localdate())


@role_required(Role.PARTNER)
@require_GET
def portal_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    view = _partner_referral(request, referral_id)
    if view.in_force:
        record(
            request,
            Action.VIEW,
            obj=view.referral,
            person_id=view.referral.case.person_id,
            detail={"page": "partner_referral", "fields": view.fields},
        )
    status_form = PartnerStatusForm(
        current=view.referral.status, initial={"version": view.referral.version}
    )
    return render(
        request,
        "partners/portal_referral.html",
        {"view": view, "status_form": status_form, "feedback_form": FeedbackForm()},
    )


@role_required(Role.PARTNER)
@require_POST
def portal_status(request: HttpRequest, referral_id: int) -> HttpResponse:
    view = _partner_referral(request, referral_id)
    if not view.in_force:
        raise Http404(_("Sidan finns inte."))
    referral = view.referral
    form = PartnerStatusForm(request.POST, current=referral.status)
    if form.is_valid():
        try:
            services.partner_move(
                request,
                referral,
                form.cleaned_data["status"],
                based_on_version=form.cleaned_data["version"] or 0,
                reason=form.cleaned_data["reason"],
                first_contact_on=form.cleaned_data["first_contact_on"],
            )
        except StaleEdit:
            form.add_error(None, _("Förmedlingen har ändrats av någon annan. Ladda om sidan."))
        except (services.NotAllowed, services.ConsentMissing):
            raise Http404(_("Sidan finns inte.")) from None
        else:
            messages.success(request, _("Statusen är sparad."))
            return redirect("partners:portal_referral", referral_id=referral.pk)
    return render(
        request,
        "partners/portal_referral.html",
        {"view": view, "status_form": form, "feedback_form": FeedbackForm()},
    )


@role_required(Role.PARTNER)
@require_POST
def portal_feedback(request: HttpRequest, referral_id: int) -> HttpResponse:
    view = _partner_referral(request, referral_id)
    if not view.in_force:
        raise Http404(_("Sidan finns inte."))
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.partner_feedback(
                request, view.referral, form.cleaned_data["kind"], form.cleaned_data["note"]
            )
        except services.ConsentMissing:
            raise Http404(_("Sidan finns inte.")) from None
        messages.success(request, _("Tack för återkopplingen."))
        return redirect("partners:portal_referral", referral_id=view.referral.pk)
    status_form = PartnerStatusForm(
        current=view.referral.status, initial={"version": view.referral.version}
    )
    return render(
        request,
        "partners/portal_referral.html",
        {"view": view, "status_form": status_form, "feedback_form": form},
    )


# --- The coordinator's view ------------------------------------------------------------------


@role_required(*STATISTICS_ROLES)
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    since = today - datetime.timedelta(days=365)
    table = queries.coordinator_table(queries.referrals_per_organisation(since))
    return render(
        request,
        "partners/statistics.html",
        {"table": table, "since": since, "chart": charts.sent_chart(table.rows)},
    )


# --- Contact persons -------------------------------------------------------------------------


@role_required(*MAINTAINERS)
@require_GET
def contact_persons(request: HttpRequest) -> HttpResponse:
    people = ContactPerson.objects.select_related("district").order_by("-active", "last_name")
    return render(request, "partners/contact_persons.html", {"contact_persons": people})


@role_required(*MAINTAINERS)
@require_http_methods(["GET", "POST"])
def contact_person_edit(request: HttpRequest, contact_person_id: int | None = None) -> HttpResponse:
    contact = (
        get_object_or_404(ContactPerson, pk=contact_person_id)
        if contact_person_id
        else ContactPerson()
    )
    form = ContactPersonForm(submitted(request), instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact_person(
                request,
                form.save(commit=False),
                based_on_version=form.cleaned_data.get("version"),
                changed=form.changed_data,
            )
        except StaleEdit:
            form.add_error(None, _("Någon annan har ändrat uppgifterna medan du skrev."))
        else:
            messages.success(request, _("Kontaktpersonen är sparad."))
            return redirect("partners:contact_persons")
    title = str(contact) if contact.pk else _("Ny kontaktperson")
    return render(
        request,
        "partners/form.html",
        {"form": form, "title": title, "cancel": "partners:contact_persons"},
    )


@case_view(part=True)
@require_http_methods(["GET", "POST"])
def assignment_new(request: HttpRequest, case: Case) -> HttpResponse:
    if not policy.may_assign_contact_person(policy.access_for(request, case)):
        raise Http404(_("Sidan finns inte."))
    today = timezone.localdate()
    form = ContactAssignmentForm(
        submitted(request),
        case=case,
        today=today,
        instance=ContactAssignment(case=case),
        initial={"intervention": request.GET.get("insats")},
    )
    if request.method == "POST" and form.is_valid():
        assignment = form.save(commit=False)
        assignment.contact_person = form.cleaned_data["consent"].contact_person
        try:
            services.assign_contact_person(request, assignment)
        except services.ConsentMissing:
            form.add_error("consent", _("Samtycket gäller inte när uppdraget börjar."))
        else:
            messages.success(request, _("Kontaktpersonen är tilldelad."))
            return _to_case(case)
    return render(
        request,
        "partners/case_form.html",
        {"case": case, "form": form, "title": _("Tilldela kontaktperson")},
    )


@case_view(part=True)
@require_http_methods(["GET", "POST"])
def assignment_end(request: HttpRequest, case: Case, contact_assignment_id: int) -> HttpResponse:
    if not policy.may_assign_contact_person(policy.access_for(request, case)):
        raise Http404(_("Sidan finns inte."))
    assignment = get_object_or_404(
        ContactAssignment.objects.select_related("contact_person"),
        case=case,
        pk=contact_assignment_id,
        ended_on__isnull=True,
    )
    form = EndAssignmentForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        ended_on = form.cleaned_data["ended_on"]
        if ended_on < assignment.starts_on:
            form.add_error("ended_on", _("Uppdraget kan inte avslutas innan det började."))
        else:
            services.end_contact_assignment(
                request, assignment, ended_on, form.cleaned_data["end_reason"]
            )
            messages.success(request, _("Uppdraget är avslutat."))
            return _to_case(case)
    return render(
        request,
        "partners/case_form.html",
        {"case": case, "form": form, "title": _("Avsluta kontaktpersonsuppdrag")},
    )


@case_view(part=True)
@require_http_methods(["GET", "POST"])
def assignment_follow_up(
    request: HttpRequest, case: Case, contact_assignment_id: int
) -> HttpResponse:
    if not policy.may_assign_contact_person(policy.access_for(request, case)):
        raise Http404(_("Sidan finns inte."))
    assignment = get_object_or_404(
        ContactAssignment.objects.select_related("contact_person"),
        case=case,
        pk=contact_assignment_id,
        ended_on__isnull=True,
    )
    form = AssignmentFollowUpForm(
        submitted(request), initial={"follow_up_note": assignment.follow_up_note}
    )
    if request.method == "POST" and form.is_valid():
        held_on = form.cleaned_data["follow_up_on"]
        if held_on < assignment.starts_on:
            form.add_error(
                "follow_up_on", _("Uppföljningen kan inte hållas innan uppdraget börjar.")
            )
        else:
            services.follow_up_contact_assignment(
                request, assignment, held_on, form.cleaned_data["follow_up_note"]
            )
            messages.success(request, _("Uppföljningen är sparad."))
            return _to_case(case)
    return render(
        request,
        "partners/case_form.html",
        {"case": case, "form": form, "title": _("Följ upp kontaktpersonsuppdrag")},
    )
