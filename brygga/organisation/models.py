"""Municipality → administration → unit → team, and the staff who work in them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    code = models.CharField(_("kommunkod"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name


class Administration(models.Model):
    """A förvaltning, e.g. a district administration (stadsdelsförvaltning)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("Stadsdelsförvaltning")
        CITYWIDE = "citywide", _("Stadsövergripande förvaltning")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="administrations"
    )
    name = models.CharField(_("namn"), max_length=150)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    # Deactivated, never deleted: cases, staff and the log still point at it.
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("förvaltning")
        verbose_name_plural = _("förvaltningar")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_administration")
        ]

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(models.QuerySet["Unit"]):
    def offered(self) -> UnitQuerySet:
        """Units a picker may offer: active, in an active administration."""
        return self.filter(active=True, administration__active=True)


class Unit(models.Model):
    """An enhet; a case is owned by exactly one unit."""

    class Kind(models.TextChoices):
        VIOLENCE_TEAM = "violence_team", _("Relationsvåldsteam (RVT)")
        FINANCIAL_AID = "financial_aid", _("Ekonomiskt bistånd")
        HOUSING_SUPPORT = "housing_support", _("Boendestöd")
        HOUSING = "housing", _("Bostadssocial enhet")
        EMPLOYMENT = "employment", _("Arbetsmarknadsenhet (Jobbtorg)")
        CONTACT_PERSON = "contact_person", _("Kontaktpersonsenhet")
        OTHER = "other", _("Annan enhet")

    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("namn"), max_length=150)
    kind = models.CharField(
        _("typ"), max_length=20, choices=Kind.choices, default=Kind.VIOLENCE_TEAM
    )
    active = models.BooleanField(_("aktiv"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.administration.name}"


class Team(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("namn"), max_length=150)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("team")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Users are deactivated, never deleted."""

    is_demo = models.BooleanField(
        _("demoanvändare"),
        default=False,
        help_text=_("Skapad av demodata. Produktionsläget vägrar starta om sådana finns."),
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    WORKER = "worker", _("Socialsekreterare")
    MANAGER = "manager", _("Enhetschef")
    HOUSING_SUPPORT = "housing_support", _("Boendestödjare")
    CONTACT_COORDINATOR = "contact_coordinator", _("Kontaktpersonsamordnare")
    PARTNER = "partner", _("Partner i civilsamhället")
    STATISTICIAN = "statistician", _("Statistiker")
    # The city's coordinators and the assistant unit managers' network: compares districts,
    # follows budget assignments; aggregates only, never a person's data.
    NETWORK = "network", _("Stadsövergripande samordnare / nätverk")
    ADMINISTRATOR = "administrator", _("Systemadministratör")


# Roles that hold across the municipality rather than in one unit.
GLOBAL_ROLES = frozenset({Role.STATISTICIAN, Role.ADMINISTRATOR, Role.PARTNER, Role.NETWORK})

# Roles granted only when a second person approves (four eyes, decision 0021): every role that
# reaches a case or a person's data, and the administrator's, since administrators approve.
ROLES_NEEDING_APPROVAL = frozenset(
    {
        Role.WORKER,
        Role.MANAGER,
        Role.HOUSING_SUPPORT,
        Role.CONTACT_COORDINATOR,
        Role.PARTNER,
        Role.ADMINISTRATOR,
    }
)


class Membership(models.Model):
    """A user's role, in a unit (and optionally a team), or globally for administrators."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True
    )
    # Who approved the grant (four eyes). Empty for roles that need no approval and for roles
    # given outside the app (create_administrator, before approval existed).
    approved_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("godkänd av"),
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit or '–'}"


class RoleRequest(models.Model):
    """A role someone asked to give an account; it takes effect when a second person approves.

    Who may approve is `brygga.access.policy.role_requests_to_decide`: never the requester, never
    the account that would get the role.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar på godkännande")
        APPROVED = "approved", _("Godkänd")
        REJECTED = "rejected", _("Avslagen")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_requests")
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="role_requests", null=True, blank=True
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollbegäran")
        verbose_name_plural = _("rollbegäranden")
        ordering = ["requested_at", "pk"]
        constraints = [
            # Four eyes, kept by the database too: the decider is neither the requester nor
            # the account given the role.
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by"))
                & ~models.Q(decided_by=models.F("user")),
                name="role_request_decided_by_a_second_person",
            ),
        ]
        indexes = [models.Index(fields=["status", "unit"], name="role_request_queue")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit or '–'}"


class EnrolmentCode(models.Model):
    """A one-time code a new account gives before enrolling its authenticator (decision 0021).

    Shown once to the administrator who issued it, handed over out of band; only a keyed hash
    is stored. Spent when used, after too many wrong tries, or when a new one is issued.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("registreringskod")
        verbose_name_plural = _("registreringskoder")

    def __str__(self) -> str:  # never the code, never its hash
        return f"{self.user} – {self.issued_at:%Y-%m-%d %H:%M}"

    def __repr__(self) -> str:
        return f"<EnrolmentCode {self.pk} user={self.user_id}>"
