from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from brygga.access.policy import CASEWORK_ROLES
from brygga.cases.models import Case
from brygga.organisation.models import Role, Unit, User
from brygga.support import rules
from brygga.support.areas import LEVELS, NeedArea, level_choices
from brygga.support.models import (
    ActorKind,
    FollowUp,
    Goal,
    ImplementationNote,
    Intervention,
    InterventionStatus,
    InterventionType,
    Task,
)
from brygga.support.templates_catalogue import TASK_TEMPLATES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")}
SCALE_HELP = lazy(lambda: " · ".join(f"{n} = {label}" for n, label in LEVELS.items()), str)()


def _date_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    errors = {**DATE_ERRORS, "required": _("Ange ett datum.")}
    return forms.DateField(
        label=label, required=required, widget=DATE_WIDGET, error_messages=errors, **kwargs
    )


class AssessmentRoundForm(forms.Form):
    assessed_on = _date_field(_("Bedömningsdatum"), initial=timezone.localdate)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_assessed_on(self) -> datetime.date:
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("En bedömning kan inte göras i framtiden."))
        return day


class AreaAssessmentForm(forms.Form):
    """One need area in an assessment round; an area left empty is not assessed this time."""

    worker_level = forms.TypedChoiceField(
        label=_("Nivå enligt socialsekreteraren"),
        choices=level_choices(),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=SCALE_HELP,
        error_messages={"invalid_choice": _("Välj en nivå från 1 till 5.")},
    )
    person_level = forms.TypedChoiceField(
        label=_("Nivå enligt personen själv"),
        choices=level_choices(),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Välj en nivå från 1 till 5.")},
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, max_length=4000, widget=forms.Textarea({"rows": 3})
    )
    person_goal = forms.CharField(
        label=_("Personens mål med egna ord"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args: Any, area: NeedArea, **kwargs: Any) -> None:
        kwargs["prefix"] = area.value
        super().__init__(*args, **kwargs)
        self.area = area
        self.summary_prefix = area.label

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        filled = any(cleaned.get(f) for f in ("person_level", "description", "person_goal"))
        if filled and not cleaned.get("worker_level"):
            self.add_error("worker_level", _("Välj socialsekreterarens nivå för området."))
        return cleaned

    @property
    def is_assessed(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("worker_level"))

    def row(self) -> dict[str, Any]:
        return {"area": self.area.value, **self.cleaned_data}


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["area", "text"]
        labels = {"area": _("Behovsområde"), "text": _("Mål")}
        error_messages = {
            "area": {"required": _("Välj ett behovsområde.")},
            "text": {"required": _("Skriv målet.")},
        }


class ActorFormMixin:
    """The responsible actor: a staff member, a role in a unit, or an external organisation."""

    actor_required_message = _("Ange vem som ansvarar.")

    def setup_actor(self, case: Case, required: bool) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        choices = list(ActorKind.choices)
        fields["actor_kind"].choices = ([] if required else [("", _("Ingen ännu"))]) + choices
        fields["actor_kind"].required = required
        fields["actor_kind"].widget = forms.RadioSelect(choices=fields["actor_kind"].choices)
        fields["actor_kind"].label = _("Vem ansvarar?")
        fields["actor_kind"].error_messages["required"] = self.actor_required_message
        unit = case.owning_unit
        fields["actor_user"].queryset = (
            User.objects.filter(is_active=True, memberships__unit=unit)
            .distinct()
            .order_by("first_name", "last_name")
        )
        fields["actor_user"].label = _("Medarbetare")
        fields["actor_role"].choices = [("", _("Välj roll …"))] + [
            (r.value, r.label) for r in (Role(role) for role in CASEWORK_ROLES)
        ]
        fields["actor_role"].label = _("Roll")
        instance = getattr(self, "instance", None)
        current_unit = instance.actor_unit_id if instance is not None else None
        fields["actor_unit"].queryset = (
            Unit.objects.filter(administration__municipality_id=unit.administration.municipality_id)
            .filter(Q(active=True, administration__active=True) | Q(pk=current_unit))
            .select_related("administration")
        )
        fields["actor_unit"].label = _("Enhet")
        fields["actor_organisation"].label = _("Extern organisation")
        # Each owner field belongs to one kind of owner: shown once that kind is chosen.
        for name, kind in ACTOR_FIELD_KINDS.items():
            fields[name].widget.attrs["data-actor-kind"] = kind

    def clean_actor(self, cleaned: dict[str, Any]) -> None:
        kind = str(cleaned.get("actor_kind") or "")
        shapes: dict[str, dict[str, Any]] = {
            ActorKind.STAFF.value: {"actor_user": _("Välj medarbetare.")},
            ActorKind.ROLE.value: {"actor_role": _("Välj roll."), "actor_unit": _("Välj enhet.")},
            ActorKind.ORGANISATION.value: {"actor_organisation": _("Skriv organisationens namn.")},
        }
        needed = shapes.get(kind, {})
        for name, message in needed.items():
            if not cleaned.get(name):
                self.add_error(name, message)  # type: ignore[attr-defined]
        # Keep only the shape that was chosen, so the record matches its kind.
        for name, empty in (
            ("actor_user", None),
            ("actor_role", ""),
            ("actor_unit", None),
            ("actor_organisation", None),  # encrypted: empty is NULL, as the constraint checks
        ):
            if name not in needed:
                cleaned[name] = empty


ACTOR_FIELDS = ["actor_kind", "actor_user", "actor_role", "actor_unit", "actor_organisation"]
ACTOR_FIELD_KINDS = {
    "actor_user": ActorKind.STAFF.value,
    "actor_role": ActorKind.ROLE.value,
    "actor_unit": ActorKind.ROLE.value,
    "actor_organisation": ActorKind.ORGANISATION.value,
}


class InterventionForm(ActorFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision_on = _date_field(_("Beslutsdatum"), required=False)
    period_start = _date_field(_("Beslutsperiod från"), required=False)
    period_end = _date_field(
        _("Beslutsperiod till"),
        required=False,
        help_text=_("Lämna tomt för insatstypens normala period."),
    )

    class Meta:
        model = Intervention
        fields = [
            "type",
            "provider",
            "status",
            *ACTOR_FIELDS,
            "decision_on",
            "legal_ground",
            "period_start",
            "period_end",
            "short_period_reason",
            "reasons",
            "no_follow_on_needed",
        ]
        labels = {
            "type": _("Insats"),
            "provider": _("Utförare"),
            "status": _("Status"),
            "legal_ground": _("Lagrum"),
            "short_period_reason": _("Skäl till kortare beslutsperiod"),
            "reasons": _("Motivering"),
            "no_follow_on_needed": _("Ingen fortsättning behövs när perioden slutar"),
        }
        error_messages = {
            "type": {
                "required": _("Välj en insats."),
                "invalid_choice": _("Välj en insats ur katalogen."),
            },
            "status": {"invalid_choice": _("Välj en status i listan.")},
        }
        widgets = {
            "short_period_reason": forms.Textarea({"rows": 2}),
            "reasons": forms.Textarea({"rows": 3}),
        }
        help_texts = {
            "reasons": _(
                "Varför insatsen behövs. Enhetschefen läser det när beslutet ligger utanför "
                "din delegation."
            )
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        current_type = self.instance.type_id if self.instance.pk else None
        self.fields["type"].queryset = InterventionType.objects.filter(
            Q(active=True) | Q(pk=current_type)
        ).order_by("area", "name")
        statuses = [
            (value, label)
            for value, label in InterventionStatus.choices
            if value != InterventionStatus.AWAITING_MANAGER
            or self.instance.status == InterventionStatus.AWAITING_MANAGER
        ]
        self.fields["status"].choices = statuses
        self.setup_actor(case, required=True)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_actor(cleaned)
        kind: InterventionType | None = cleaned.get("type")
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        status = cleaned.get("status")
        if start and end and end < start:
            self.add_error("period_end", _("Periodens slut kan inte ligga före dess början."))
            return cleaned
        if kind is None:
            return cleaned
        if kind.is_decision and status in rules.CARRYING and not start:
            self.add_error("period_start", _("Ange när beslutsperioden börjar."))
            return cleaned
        if start and not end:
            end = cleaned["period_end"] = rules.default_period_end(
                start, kind.default_period_months
            )
        if rules.is_short_period(start, end, kind.minimum_period_months):
            if not (cleaned.get("short_period_reason") or "").strip():
                self.add_error(
                    "short_period_reason",
                    _(
                        "Perioden är kortare än %(months)s månader. Skriv varför en kortare "
                        "period behövs."
                    )
                    % {"months": kind.minimum_period_months},
                )
        else:
            cleaned["short_period_reason"] = ""
        return cleaned


class DecideForm(forms.Form):
    """The manager's decision: granting needs a decision date and a legal ground."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Beslut"),
        choices=[("approve", _("Bevilja")), ("refuse", _("Avslå"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj bevilja eller avslå."),
            "invalid_choice": _("Välj bevilja eller avslå."),
        },
    )
    decision_on = _date_field(_("Beslutsdatum"), initial=timezone.localdate)
    legal_ground = forms.CharField(
        label=_("Lagrum"),
        max_length=200,
        required=False,
        help_text=_("Till exempel 4 kap. 1 § SoL. Krävs för att bevilja."),
    )

    def clean_decision_on(self) -> datetime.date:
        day = self.cleaned_data["decision_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ett beslut kan inte fattas i framtiden."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["legal_ground"] = (cleaned.get("legal_ground") or "").strip()
        if cleaned.get("decision") == "approve" and not cleaned["legal_ground"]:
            self.add_error("legal_ground", _("Ange lagrummet för att bevilja."))
        return cleaned


def task_template_choices() -> list[tuple[str, Any]]:
    groups: list[tuple[str, Any]] = [("", _("Fri text"))]
    for area, titles in TASK_TEMPLATES.items():
        groups.append(
            (str(NeedArea(area).label), [(f"{area}:{i}", t) for i, t in enumerate(titles)])
        )
    return groups


class TaskForm(ActorFormMixin, forms.ModelForm):
    template = forms.ChoiceField(label=_("Mall"), required=False, choices=task_template_choices)
    due_on = _date_field(_("Klart senast"), required=False)

    class Meta:
        model = Task
        fields = ["template", "area", "title", *ACTOR_FIELDS, "due_on"]
        labels = {"area": _("Behovsområde"), "title": _("Uppgift (fri text)")}
        error_messages = {"area": {"invalid_choice": _("Välj ett behovsområde.")}}

    past_due_confirmed = forms.BooleanField(
        label=_("Ja, datumet har redan passerat och ska stå kvar"), required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].required = False
        self.fields["title"].required = False
        self.fields["template"].error_messages["invalid_choice"] = _("Välj en mall i listan.")
        self.setup_actor(case, required=True)
        self.actor_required_message = _("Ange vem som ansvarar för uppgiften.")
        if not self._sent_a_past_due_date():
            # Asked only after a date in the past was sent: one more tick, not a new page.
            del self.fields["past_due_confirmed"]

    def _sent_a_past_due_date(self) -> bool:
        raw = str(self.data.get(self.add_prefix("due_on"), "") or "")[:10]
        try:
            return datetime.date.fromisoformat(raw) < timezone.localdate()
        except ValueError:
            return False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_actor(cleaned)
        template = cleaned.get("template") or ""
        if template:
            area, _sep, index = template.partition(":")
            cleaned["area"] = area
            if not (cleaned.get("title") or "").strip():
                cleaned["title"] = str(TASK_TEMPLATES[area][int(index)])
        if not cleaned.get("area"):
            self.add_error("area", _("Välj ett behovsområde eller en mall."))
        if not (cleaned.get("title") or "").strip():
            self.add_error("title", _("Skriv uppgiften eller välj en mall."))
        due_on = cleaned.get("due_on")
        if (
            due_on is not None
            and due_on < timezone.localdate()
            and not cleaned.get("past_due_confirmed")
        ):
            self.add_error(
                "due_on",
                _(
                    "Datumet har redan passerat. Stämmer det, kryssa i rutan nedan och spara "
                    "igen; annars ändra datumet."
                ),
            )
        return cleaned

    def _post_clean(self) -> None:
        # The template is not a model field; apply area and title before model validation.
        self.instance.area = self.cleaned_data.get("area") or ""
        self.instance.title = self.cleaned_data.get("title") or ""
        super()._post_clean()  # type: ignore[misc]


def _yes_no(value: str) -> bool:
    return value == "ja"


class FollowUpForm(forms.ModelForm):
    """The follow-up itself; the re-assessment beside it is one AreaAssessmentForm per area."""

    held_on = _date_field(_("Genomfört datum"), required=False)
    contact_made = forms.TypedChoiceField(
        label=_("Fick ni kontakt med personen?"),
        choices=[("ja", _("Ja, vi hade kontakt")), ("nej", _("Nej, ingen kontakt"))],
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Utan kontakt sparas ingen ny bedömning."),
        error_messages={"invalid_choice": _("Välj ja eller nej.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FollowUp
        fields = ["held_on", "contact_made", "participants", "note"]
        labels = {"participants": _("Deltagare"), "note": _("Anteckning")}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["version"].initial = self.instance.version
        if self.instance.held_on is None:
            self.initial["held_on"] = timezone.localdate()  # most are recorded the same day
        if self.instance.contact_made is not None:
            self.initial["contact_made"] = "ja" if self.instance.contact_made else "nej"

    def clean_held_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("held_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("En uppföljning kan inte ha hållits i framtiden."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        held = cleaned.get("held_on")
        said = cleaned.get("contact_made") is not None
        if not held and (cleaned.get("note") or cleaned.get("participants") or said):
            self.add_error("held_on", _("Ange när uppföljningen hölls."))
        if held and not said and "contact_made" not in self.errors:
            self.add_error("contact_made", _("Ange om ni fick kontakt med personen."))
        return cleaned

    @property
    def reassesses(self) -> bool:
        """A held follow-up with contact records the re-assessment beside it."""
        return bool(
            self.is_valid()
            and self.cleaned_data.get("held_on")
            and self.cleaned_data.get("contact_made")
        )


class InterventionTypeForm(forms.ModelForm):
    class Meta:
        model = InterventionType
        fields = [
            "name",
            "area",
            "is_decision",
            "default_period_months",
            "minimum_period_months",
            "needs_manager_decision",
            "active",
        ]
        error_messages = {
            "name": {
                "required": _("Ange ett namn."),
                "unique": _("Det finns redan en insatstyp med det namnet."),
            },
            "area": {"required": _("Välj ett behovsområde.")},
            "default_period_months": {"required": _("Ange antal månader.")},
            "minimum_period_months": {"required": _("Ange antal månader.")},
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        default, minimum = (
            cleaned.get("default_period_months"),
            cleaned.get("minimum_period_months"),
        )
        if default is not None and default < 1:
            self.add_error("default_period_months", _("Perioden måste vara minst en månad."))
        elif default is not None and minimum is not None and minimum > default:
            self.add_error(
                "minimum_period_months",
                _("Den kortaste perioden kan inte vara längre än den normala."),
            )
        return cleaned


class TaskDoneForm(forms.Form):
    """Marking one's task done, with a note for the case team."""

    note = forms.CharField(
        label=_("Anteckning till ärendeteamet"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad blev gjort? Skriv inga skyddade uppgifter."),
        error_messages={"max_length": _("Anteckningen får vara högst %(limit_value)d tecken.")},
    )


class ImplementationNoteForm(forms.ModelForm):
    written_on = _date_field(_("Datum"), required=True)

    class Meta:
        model = ImplementationNote
        fields = ["area", "written_on", "text"]
        labels = {"area": _("Behovsområde"), "text": _("Anteckning")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "area": {
                "required": _("Välj ett behovsområde."),
                "invalid_choice": _("Välj ett behovsområde."),
            },
            "text": {"required": _("Skriv anteckningen.")},
        }

    def __init__(self, *args: Any, areas: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if areas:
            self.fields["area"].choices = [
                (value, label) for value, label in NeedArea.choices if value in areas
            ]

    def clean_written_on(self) -> Any:
        day = self.cleaned_data["written_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return day

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if len(text) > 4000:
            raise forms.ValidationError(_("Anteckningen får vara högst 4000 tecken."))
        return text
