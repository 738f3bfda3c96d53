"""Civil-society organisations, the person's consent to share with them, and referrals.

Civil society is not bound by the secrecy law: nothing about a person reaches an organisation
unless a consent in force names that organisation, and then only the fields ticked in it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField
from simple_history.models import HistoricalRecords

from brygga.cases.models import Case
from brygga.organisation.models import Administration
from brygga.people.models import Gender, Person
from brygga.support.areas import NeedArea
from brygga.support.models import Intervention, Task


class OfferKind(models.TextChoices):
    MENTORING = "mentoring", _("Mentorskap")
    NETWORK = "network", _("Nätverksaktiviteter")
    LANGUAGE_CAFE = "language_cafe", _("Språkcafé")
    LEGAL_ADVICE = "legal_advice", _("Juridisk rådgivning")
    PROTECTED_HOUSING = "protected_housing", _("Skyddat boende")
    EMPLOYMENT = "employment", _("Stöd till arbete")
    LGBTQ = "lgbtq", _("Stöd för hbtqi-personer")
    MEN = "men", _("Stöd för män")
    COUNSELLING = "counselling", _("Stödsamtal")
    OTHER = "other", _("Annat")


# The need area in the plan that each kind of offer answers.
OFFER_AREAS: dict[str, str] = {
    OfferKind.MENTORING: NeedArea.SOCIAL,
    OfferKind.NETWORK: NeedArea.SOCIAL,
    OfferKind.LANGUAGE_CAFE: NeedArea.SOCIAL,
    OfferKind.LEGAL_ADVICE: NeedArea.SAFETY,
    OfferKind.PROTECTED_HOUSING: NeedArea.HOUSING,
    OfferKind.EMPLOYMENT: NeedArea.OCCUPATION,
    OfferKind.LGBTQ: NeedArea.SOCIAL,
    OfferKind.MEN: NeedArea.SOCIAL,
    OfferKind.COUNSELLING: NeedArea.HEALTH,
    OfferKind.OTHER: NeedArea.SOCIAL,
}


class TargetGroup(models.TextChoices):
    WOMEN = "women", _("Kvinnor")
    MEN = "men", _("Män")
    LGBTQ = "lgbtq", _("Hbtqi-personer")
    YOUNG_ADULTS = "young_adults", _("Unga vuxna")
    PARENTS = "parents", _("Föräldrar med barn")


class Cooperation(models.TextChoices):
    IOP = "iop", _("IOP (idéburet offentligt partnerskap)")
    PROCUREMENT = "procurement", _("Upphandling")
    GRANT = "grant", _("Föreningsbidrag")
    NONE = "none", _("Inget avtal")


class Organisation(models.Model):
    """A civil-society organisation in the directory, maintained by the coordinator."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    target_groups = models.JSONField(_("målgrupper"), default=list, blank=True)
    # Comma-separated language names as written ("svenska, arabiska"); filtered by substring.
    languages = models.CharField(_("språk"), max_length=300, blank=True)
    districts = models.ManyToManyField(
        Administration, related_name="+", blank=True, verbose_name=_("stadsdelar")
    )
    cooperation = models.CharField(
        _("samverkansform"), max_length=20, choices=Cooperation.choices, default=Cooperation.NONE
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-post"), blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    website = models.URLField(_("webbplats"), blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[districts])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]

    def get_target_groups_display(self) -> str:
        labels = dict(TargetGroup.choices)
        return ", ".join(str(labels.get(g, g)) for g in self.target_groups)


class Offer(models.Model):
    """What an organisation offers, linked to the need area it answers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("erbjudande"), max_length=30, choices=OfferKind.choices)
    area = models.CharField(_("behovsområde"), max_length=20, choices=NeedArea.choices)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("erbjudande")
        verbose_name_plural = _("erbjudanden")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "area"], name="partners_offer_one_per_kind_and_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_area_display()})"


class PartnerUser(models.Model):
    """A partner user (role PARTNER) belongs to exactly one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_link"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partner_users"
    )

    class Meta:
        verbose_name = _("partneranvändare")
        verbose_name_plural = _("partneranvändare")

    def __str__(self) -> str:
        return f"partner user {self.user_id} @ {self.organisation_id}"


class GivenHow(models.TextChoices):
    WRITTEN = "written", _("Skriftligt")
    ORAL = "oral", _("Muntligt")


class ContactPerson(models.Model):
    """A volunteer contact person (kontaktperson) engaged by the municipality; not a user."""

    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    gender = models.CharField(_("kön"), max_length=10, choices=Gender.choices)
    languages = models.CharField(_("språk"), max_length=300, blank=True)
    district = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="+", verbose_name=_("stadsdel")
    )
    availability = models.CharField(_("tillgänglighet"), max_length=300, blank=True)
    record_extract_checked_on = models.DateField(_("belastningsregisterutdrag kontrollerat"))
    active = models.BooleanField(_("aktiv"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Consent(models.Model):
    """The person's consent to share a chosen set of facts with one recipient for one purpose.

    The recipient is an organisation or a contact person (exactly one). Protected details are
    never among the facts that can be chosen.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partner_consents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="partner_consents")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("organisation"),
    )
    contact_person = models.ForeignKey(
        ContactPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("kontaktperson"),
    )
    purpose = models.CharField(_("syfte"), max_length=300)
    share_first_name = models.BooleanField(_("förnamn"), default=False)
    share_contact_channel = models.BooleanField(_("kontaktväg"), default=False)
    # Encrypted at rest like the journal: texts about the person, written for the partner.
    contact_channel = EncryptedCharField(_("kontaktväg"), max_length=200, blank=True, null=True)
    share_need_areas = models.BooleanField(_("berörda behovsområden"), default=False)
    need_areas = models.JSONField(_("behovsområden"), default=list, blank=True)
    share_summary = models.BooleanField(_("kort sammanfattning"), default=False)
    summary = EncryptedTextField(_("sammanfattning för mottagaren"), blank=True, null=True)
    given_how = models.CharField(_("hur samtycket gavs"), max_length=10, choices=GivenHow.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerat av"),
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"))
    withdrawn_at = models.DateTimeField(_("återkallat"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        constraints = [
            models.CheckConstraint(
                name="partners_consent_period_in_order",
                condition=Q(valid_to__gte=models.F("valid_from")),
            ),
            models.CheckConstraint(
                name="partners_consent_one_recipient",
                condition=Q(organisation__isnull=False, contact_person__isnull=True)
                | Q(organisation__isnull=True, contact_person__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["case", "organisation"], name="partners_consent_case_idx")]

    def __str__(self) -> str:
        return f"consent {self.pk} case={self.case_id}"

    @property
    def recipient(self) -> Organisation | ContactPerson | None:
        return self.organisation or self.contact_person

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def in_force(self, today: datetime.date) -> bool:
        return not self.is_withdrawn and self.valid_from <= today <= self.valid_to


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Skickad")
    ACCEPTED = "accepted", _("Accepterad")
    DECLINED = "declined", _("Avböjd")
    ACTIVE = "active", _("Pågår")
    COMPLETED = "completed", _("Avslutad")
    ENDED_EARLY = "ended_early", _("Avbruten i förtid")


class Referral(models.Model):
    """A referral (förmedling) of a person to an organisation, under a consent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partner_referrals")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals"
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="referrals")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_on = models.DateField(_("skickad"), default=timezone.localdate)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_on = models.DateField(_("besvarad"), null=True, blank=True)
    decline_reason = models.CharField(_("skäl att avböja"), max_length=500, blank=True)
    first_contact_on = models.DateField(_("första kontakt"), null=True, blank=True)
    ended_on = models.DateField(_("avslutad"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förmedling")
        verbose_name_plural = _("förmedlingar")
        indexes = [
            models.Index(fields=["organisation", "status"], name="partners_referral_org_idx"),
            models.Index(fields=["case", "status"], name="partners_referral_case_idx"),
            models.Index(fields=["status", "sent_on"], name="partners_referral_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"


class FeedbackKind(models.TextChoices):
    ATTENDED = "attended", _("Personen har deltagit")
    NEEDS_MORE = "needs_more", _("Personen behöver mer stöd")
    ENDED = "ended", _("Kontakten har upphört")
    OTHER = "other", _("Annat")


class ReferralFeedback(models.Model):
    """The partner's feedback on a referral; kept as a list, never edited."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(_("återkoppling"), max_length=20, choices=FeedbackKind.choices)
    note = models.TextField(_("kommentar"), blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("återkoppling")
        verbose_name_plural = _("återkopplingar")
        ordering = ["given_at", "pk"]

    def __str__(self) -> str:
        return f"feedback {self.pk} referral={self.referral_id}"


class ContactAssignment(models.Model):
    """A contact person matched with a person, under a consent naming the contact person."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_assignments")
    contact_person = models.ForeignKey(
        ContactPerson,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("kontaktperson"),
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"))
    follow_up_on = models.DateField(_("uppföljning"), null=True, blank=True)
    follow_up_note = models.TextField(_("uppföljningsanteckning"), blank=True)
    ended_on = models.DateField(_("avslutad"), null=True, blank=True)
    end_reason = models.CharField(_("skäl till avslut"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontaktpersonsuppdrag")
        verbose_name_plural = _("kontaktpersonsuppdrag")
        constraints = [
            models.CheckConstraint(
                name="partners_assignment_period_in_order",
                condition=Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return f"contact assignment {self.pk}"
