from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from brygga.cases.models import Case
from brygga.lib.forms import BoundedModelMultipleChoiceField
from brygga.organisation.models import Administration
from brygga.partners import hsds, rules
from brygga.partners.models import (
    OFFER_AREAS,
    Consent,
    ContactAssignment,
    ContactPerson,
    FeedbackKind,
    GivenHow,
    OfferKind,
    Organisation,
    ReferralStatus,
    TargetGroup,
)
from brygga.partners.services import protected_values
from brygga.support.areas import NeedArea
from brygga.support.models import Intervention, Task

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# No date before this or after this is a plausible consent, referral or check date.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def date_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        error_messages={
            "invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD."),
            "required": _("Ange ett datum."),
        },
        **kwargs,
    )


def _check_range(form: forms.BaseForm, cleaned: dict[str, Any], *names: str) -> None:
    for name in names:
        day = cleaned.get(name)
        if day and not EARLIEST <= day <= LATEST:
            form.add_error(name, _("Ange ett datum mellan år 2000 och 2100."))
            cleaned.pop(name, None)


def _text(label: Any, max_length: int, required: bool = False, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea({"rows": rows}) if rows else None
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        error_messages={
            "required": _("Fyll i fältet."),
            "max_length": _("Texten får vara högst %(limit_value)s tecken (nu %(show_value)s)."),
        },
    )


def district_queryset() -> Any:
    return Administration.objects.filter(kind=Administration.Kind.DISTRICT).order_by("name")


class DirectoryFilterForm(forms.Form):
    omrade = forms.ChoiceField(
        label=_("Behovsområde"),
        required=False,
        choices=[("", _("Alla"))] + list(NeedArea.choices),
        error_messages={"invalid_choice": _("Välj ett behovsområde i listan.")},
    )
    stadsdel = forms.ModelChoiceField(
        label=_("Stadsdel"),
        required=False,
        queryset=Administration.objects.none(),
        empty_label=_("Alla"),
        error_messages={"invalid_choice": _("Välj en stadsdel i listan.")},
    )
    sprak = _text(_("Språk"), 50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stadsdel"].queryset = district_queryset()


class OrganisationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = _text(_("Namn"), 200, required=True)
    description = _text(_("Beskrivning"), 2000, rows=3)
    offer_kinds = forms.MultipleChoiceField(
        label=_("Erbjudanden"),
        choices=OfferKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Varje erbjudande hör till ett behovsområde i planen."),
        error_messages={
            "required": _("Välj minst ett erbjudande."),
            "invalid_choice": _("Välj erbjudanden i listan."),
        },
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Målgrupper"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Välj målgrupper i listan.")},
    )
    languages = _text(_("Språk"), 300)
    districts = BoundedModelMultipleChoiceField(
        label=_("Stadsdelar"),
        queryset=Administration.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Lämna tomt om organisationen finns för hela staden."),
        error_messages={
            "invalid_choice": _("Välj stadsdelar i listan."),
            "invalid_pk_value": _("Välj stadsdelar i listan."),
        },
    )
    contact_name = _text(_("Kontaktperson"), 150)
    contact_phone = _text(_("Telefon"), 40)
    website = forms.URLField(
        label=_("Webbplats"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Ange en giltig webbadress (https://…).")},
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "description",
            "target_groups",
            "languages",
            "districts",
            "cooperation",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "active",
        ]
        labels = {
            "cooperation": _("Samverkansform"),
            "contact_email": _("E-post"),
            "website": _("Webbplats"),
            "active": _("Aktiv"),
        }
        error_messages = {
            "cooperation": {"invalid_choice": _("Välj en samverkansform i listan.")},
            "contact_email": {"invalid": _("Ange en giltig e-postadress.")},
            "website": {"invalid": _("Ange en giltig webbadress (https://…).")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = district_queryset()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["offer_kinds"].initial = [o.kind for o in self.instance.offers.all()]

    def clean_name(self) -> str:
        # The declared field does not take Meta's "unique" message; say it here, in Swedish,
        # and treat names that differ only in case as the same organisation.
        name = self.cleaned_data["name"].strip()
        # Compared in Python: SQLite folds only ASCII case, and the directory holds dozens.
        others = Organisation.objects.exclude(pk=self.instance.pk).values_list("name", flat=True)
        if name.casefold() in {other.casefold() for other in others}:
            raise forms.ValidationError(_("Det finns redan en organisation med det namnet."))
        return name

    def offers(self) -> list[tuple[str, str, str]]:
        return [(kind, OFFER_AREAS[kind], "") for kind in self.cleaned_data["offer_kinds"]]


class ConsentForm(forms.ModelForm):
    """What the person agreed to share with one organisation, for one purpose and period."""

    purpose = _text(_("Syfte"), 300, required=True)
    contact_channel = _text(_("Kontaktväg"), 200)
    summary = _text(_("Kort sammanfattning för organisationen"), 1000, rows=3)
    need_areas = forms.MultipleChoiceField(
        label=_("Berörda behovsområden"),
        choices=NeedArea.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Välj behovsområden i listan.")},
    )
    valid_from = date_field(_("Gäller från"), initial=timezone.localdate)
    valid_to = date_field(_("Gäller till"))

    class Meta:
        model = Consent
        fields = [
            "organisation",
            "purpose",
            "share_first_name",
            "share_contact_channel",
            "contact_channel",
            "share_need_areas",
            "need_areas",
            "share_summary",
            "summary",
            "given_how",
            "valid_from",
            "valid_to",
        ]
        labels = {
            "organisation": _("Organisation"),
            "share_first_name": _("Förnamn (bara förnamnet)"),
            "share_contact_channel": _("En kontaktväg"),
            "share_need_areas": _("Berörda behovsområden"),
            "share_summary": _("En kort sammanfattning"),
            "given_how": _("Hur samtycket gavs"),
        }
        help_texts = {
            "contact_channel": _(
                "Till exempel ”via socialsekreteraren”. Aldrig adress, telefon eller annan "
                "skyddad uppgift."
            ),
        }
        error_messages = {
            "organisation": {
                "required": _("Välj en organisation."),
                "invalid_choice": _("Välj en organisation i listan."),
            },
            "given_how": {
                "required": _("Ange om samtycket var skriftligt eller muntligt."),
                "invalid_choice": _("Ange om samtycket var skriftligt eller muntligt."),
            },
        }
        widgets = {"given_how": forms.RadioSelect(choices=GivenHow.choices)}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        # A new consent's empty instance would blank the field's "today" initial.
        if self.initial.get("valid_from") is None:
            self.initial["valid_from"] = timezone.localdate()
        self.fields["organisation"].queryset = Organisation.objects.filter(active=True)
        self.fields["organisation"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_range(self, cleaned, "valid_from", "valid_to")
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Samtycket kan inte upphöra innan det börjar gälla."))
        if end and end < timezone.localdate():
            self.add_error("valid_to", _("Samtycket har redan upphört. Ange ett senare datum."))
        needs = [
            ("share_contact_channel", "contact_channel", _("Skriv kontaktvägen.")),
            ("share_summary", "summary", _("Skriv sammanfattningen.")),
            ("share_need_areas", "need_areas", _("Välj minst ett behovsområde.")),
        ]
        for tick, field, message in needs:
            if cleaned.get(tick) and not cleaned.get(field):
                self.add_error(field, message)
        values = protected_values(self.case.person_id)
        for field in ("contact_channel", "summary"):
            if rules.leaked_protected_values(cleaned.get(field) or "", values):
                self.add_error(
                    field,
                    _("Texten innehåller en skyddad uppgift om personen. Den får aldrig delas."),
                )
        return cleaned


class ContactConsentForm(ConsentForm):
    """The same consent, with a contact person as the recipient."""

    class Meta(ConsentForm.Meta):
        fields = ["contact_person", *ConsentForm.Meta.fields[1:]]
        labels = {**ConsentForm.Meta.labels, "contact_person": _("Kontaktperson")}
        error_messages = {
            **ConsentForm.Meta.error_messages,
            "contact_person": {
                "required": _("Välj en kontaktperson."),
                "invalid_choice": _("Välj en kontaktperson i listan."),
            },
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        forms.ModelForm.__init__(self, *args, **kwargs)
        self.case = case
        if self.initial.get("valid_from") is None:
            self.initial["valid_from"] = timezone.localdate()
        self.fields["contact_person"].queryset = ContactPerson.objects.filter(active=True)
        self.fields["contact_person"].required = True


class ReferralForm(forms.Form):
    consent = forms.ModelChoiceField(
        label=_("Organisation och samtycke"),
        queryset=Consent.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj organisationen (det samtycke förmedlingen bygger på)."),
            "invalid_choice": _(
                "Samtycket gäller inte längre. Välj ett gällande samtycke eller "
                "registrera ett nytt."
            ),
        },
    )
    intervention = forms.ModelChoiceField(
        label=_("Insats i planen"),
        queryset=Intervention.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Välj en insats i ärendets plan.")},
    )
    task = forms.ModelChoiceField(
        label=_("Uppgift i planen"),
        queryset=Task.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Välj en uppgift i ärendets plan.")},
    )

    def __init__(self, *args: Any, case: Case, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].queryset = consents_in_force(case, today).filter(
            organisation__isnull=False
        )
        self.fields["consent"].label_from_instance = lambda c: (
            _("%(org)s – %(purpose)s (gäller till %(to)s)")
            % {"org": c.organisation.name, "purpose": c.purpose, "to": c.valid_to.isoformat()}
        )
        self.fields["intervention"].queryset = Intervention.objects.filter(
            case=case
        ).select_related("type")
        self.fields["task"].queryset = Task.objects.filter(case=case, done_at__isnull=True)


def consents_in_force(case: Case, today: datetime.date) -> Any:
    return (
        Consent.objects.filter(
            case=case,
            withdrawn_at__isnull=True,
            valid_from__lte=today,
            valid_to__gte=today,
        )
        .select_related("organisation", "contact_person")
        .order_by("pk")
    )


class PartnerStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(
        label=_("Ny status"),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj en status."),
            "invalid_choice": _("Den statusen går inte att välja nu."),
        },
    )
    reason = _text(_("Skäl (om ni avböjer)"), 500, rows=2)
    first_contact_on = date_field(_("Första kontakt med personen"), required=False)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ReferralStatus.choices)
        self.fields["status"].choices = [
            (s, labels[s]) for s in rules.PARTNER_TRANSITIONS.get(current, ())
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_range(self, cleaned, "first_contact_on")
        day = cleaned.get("first_contact_on")
        if day and day > timezone.localdate():
            self.add_error("first_contact_on", _("Datumet kan inte ligga i framtiden."))
        if cleaned.get("status") == ReferralStatus.DECLINED and not cleaned.get("reason"):
            self.add_error("reason", _("Skriv varför ni avböjer."))
        return cleaned


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Återkoppling"),
        choices=FeedbackKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj vad återkopplingen gäller."),
            "invalid_choice": _("Välj ett alternativ i listan."),
        },
    )
    note = _text(_("Kommentar"), 2000, rows=3)


class ContactPersonForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    first_name = _text(_("Förnamn"), 100, required=True)
    last_name = _text(_("Efternamn"), 100, required=True)
    languages = _text(_("Språk"), 300)
    availability = _text(_("Tillgänglighet"), 300)
    record_extract_checked_on = date_field(_("Utdrag ur belastningsregistret kontrollerat"))

    class Meta:
        model = ContactPerson
        fields = [
            "first_name",
            "last_name",
            "gender",
            "languages",
            "district",
            "availability",
            "record_extract_checked_on",
            "active",
        ]
        labels = {"gender": _("Kön"), "district": _("Stadsdel"), "active": _("Aktiv")}
        error_messages = {
            "gender": {
                "required": _("Välj kön."),
                "invalid_choice": _("Välj kön i listan."),
            },
            "district": {
                "required": _("Välj stadsdel."),
                "invalid_choice": _("Välj en stadsdel i listan."),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = district_queryset()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_range(self, cleaned, "record_extract_checked_on")
        day = cleaned.get("record_extract_checked_on")
        if day and day > timezone.localdate():
            self.add_error("record_extract_checked_on", _("Datumet kan inte ligga i framtiden."))
        return cleaned


class ContactAssignmentForm(forms.ModelForm):
    starts_on = date_field(_("Från"), initial=timezone.localdate)
    ends_on = date_field(_("Till"))
    follow_up_on = date_field(_("Uppföljning"), required=False)

    class Meta:
        model = ContactAssignment
        fields = ["consent", "intervention", "starts_on", "ends_on", "follow_up_on"]
        labels = {"consent": _("Kontaktperson och samtycke"), "intervention": _("Insats i planen")}
        error_messages = {
            "consent": {
                "required": _("Välj kontaktpersonen (det samtycke uppdraget bygger på)."),
                "invalid_choice": _("Samtycket gäller inte. Registrera ett samtycke först."),
            },
            "intervention": {"invalid_choice": _("Välj en insats i ärendets plan.")},
        }

    def __init__(self, *args: Any, case: Case, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.initial.get("starts_on") is None:
            self.initial["starts_on"] = today
        self.fields["consent"].queryset = consents_in_force(case, today).filter(
            contact_person__isnull=False
        )
        self.fields["consent"].label_from_instance = lambda c: (
            _("%(name)s – %(purpose)s (gäller till %(to)s)")
            % {"name": c.contact_person, "purpose": c.purpose, "to": c.valid_to.isoformat()}
        )
        self.fields["consent"].empty_label = None
        self.fields["consent"].widget = forms.RadioSelect(choices=self.fields["consent"].choices)
        self.fields["intervention"].queryset = Intervention.objects.filter(
            case=case
        ).select_related("type")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_range(self, cleaned, "starts_on", "ends_on", "follow_up_on")
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("Uppdraget kan inte sluta innan det börjar."))
        return cleaned


class EndAssignmentForm(forms.Form):
    ended_on = date_field(_("Avslutat"), initial=timezone.localdate)
    end_reason = _text(_("Skäl"), 300, required=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_range(self, cleaned, "ended_on")
        return cleaned


class AssignmentFollowUpForm(forms.Form):
    """The follow-up of a contact-person assignment: when it was held and what came of it."""

    follow_up_on = date_field(_("Uppföljning"), initial=timezone.localdate)
    follow_up_note = _text(_("Uppföljningsanteckning"), 2000, required=True, rows=4)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_range(self, cleaned, "follow_up_on")
        return cleaned


class HsdsImportForm(forms.Form):
    """An HSDS file to import: read and checked whole in `clean`; `plan` holds the result."""

    file = forms.FileField(
        label=_("Fil"),
        help_text=_(
            "En JSON-fil eller en zip-fil med organizations.csv, services.csv, "
            "service_areas.csv och languages.csv, i formatet Open Referral HSDS 3.0."
        ),
        error_messages={
            "required": _("Välj en fil."),
            "invalid": _("Välj en fil."),
            "empty": _("Filen är tom."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan: hsds.ImportPlan | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > hsds.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 2 MB)."))
        try:
            tables = hsds.read_upload(upload.name or "", upload.read())
        except hsds.UnreadableFile as problem:
            raise forms.ValidationError(str(problem)) from None
        self.plan = hsds.plan_import(tables)
        if self.plan.errors:
            raise forms.ValidationError(
                ngettext(
                    "En rad har fel. Inget har sparats; rätta raden och försök igen.",
                    "%(n)s rader har fel. Inget har sparats; rätta raderna och försök igen.",
                    len({(e.table, e.row) for e in self.plan.errors}),
                )
                % {"n": len({(e.table, e.row) for e in self.plan.errors})}
            )
        return upload
