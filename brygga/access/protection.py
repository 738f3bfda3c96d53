"""Protected identity: who may reveal a person's protected details, and masking by default.

The one rule: for a person with a protection level (sekretessmarkering, skyddad folkbokföring,
fingerade personuppgifter), or who ever had one, the protected details are revealed only to a
user who sees one of the person's cases AND either is the responsible worker of such an open
case or holds an unrevoked grant for the person. Lowering the level unmasks nothing (decision
0022). For a person never protected, whoever sees a case sees the details.

Everything that renders the details goes through `ShieldedDetails`, which masks every field
unless the page was opened with an explicit, audited reveal.

This module is the one component for every protected fact (a person's details, a flat's
address, the shelter's name): `mask` shows a value as it may be shown, and `record_reveal`
writes the audit event of an explicit reveal page, whatever the fact. The facts themselves are
encrypted fields (django-fernet-encrypted-fields; rotation in brygga/people/encryption.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Model, OuterRef
from django.db.models.functions import Now
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from brygga.access.policy import visible_cases
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.cases.models import CaseTeamMember, Phase, TeamRole
from brygga.people.models import MASK, Person, ProtectedDetails, ProtectedDetailsGrant

# Stored values of `may_leave_message`, labelled in Swedish.
MESSAGE_CHOICES = [("yes", _("Ja")), ("no", _("Nej")), ("ask", _("Bara efter kodord"))]


def may_see_protected_details(user: Any, person: Person) -> bool:
    """One query: does `user` see a case of `person` and, if protected, hold a right to reveal?"""
    if not getattr(user, "is_authenticated", False):
        return False
    cases = visible_cases(user).filter(person_id=person.pk)
    if not person.details_need_grant:
        return cases.exists()
    # Only the responsible worker of an open case: the worker of an old, closed case (perhaps
    # in the district the person fled from) must not see the new address.
    responsible = CaseTeamMember.objects.filter(
        case_id=OuterRef("pk"), user_id=user.pk, role=TeamRole.RESPONSIBLE
    ).exclude(case__phase=Phase.CLOSED)
    grant = ProtectedDetailsGrant.objects.filter(
        person_id=person.pk, user_id=user.pk, revoked_at__isnull=True, expires_at__gt=Now()
    )
    return cases.filter(Exists(responsible) | Exists(grant)).exists()


@dataclass(frozen=True)
class ShownField:
    name: str
    label: str
    value: str
    masked: bool


class ShieldedDetails:
    """A person's protected details for a template: masked unless `revealed` is True.

    Templates iterate `fields` or read one attribute (`details.address`); either way a value
    leaves this object only when the caller decided to reveal it.
    """

    def __init__(self, person: Person, details: ProtectedDetails | None, *, revealed: bool) -> None:
        self.person = person
        self._details = details
        # A person who never had protection has nothing to hide from someone who sees the case;
        # details once recorded under protection stay masked when the level is lowered.
        self.revealed = revealed or not person.details_need_grant
        self.masked = not self.revealed

    @property
    def is_empty(self) -> bool:
        return self._details is None or not any(
            getattr(self._details, name) for name in ProtectedDetails.FIELDS
        )

    def _value(self, name: str) -> str:
        if self._details is None:
            return ""
        value = getattr(self._details, name) or ""
        if not value:
            return ""
        return str(value) if self.revealed else MASK

    def __getattr__(self, name: str) -> str:
        if name in ProtectedDetails.FIELDS:
            return self._value(name)
        raise AttributeError(name)

    @property
    def fields(self) -> list[ShownField]:
        shown = []
        for name in ProtectedDetails.FIELDS:
            field = ProtectedDetails._meta.get_field(name)
            value = self._value(name)
            if name == "may_leave_message" and value and self.revealed:
                value = str(dict(MESSAGE_CHOICES).get(value, value))
            shown.append(
                ShownField(
                    name=name,
                    label=str(getattr(field, "verbose_name", name)),
                    value=value,
                    masked=bool(value) and self.masked,
                )
            )
        return shown

    def __str__(self) -> str:
        return MASK if self.masked else f"ShieldedDetails(person={self.person.pk})"


def mask(value: Any, revealed: bool = False) -> str:
    """A single value as it may be shown: the MASK unless explicitly revealed."""
    if not value:
        return ""
    return str(value) if revealed else MASK


def record_reveal(
    request: HttpRequest, obj: Model, person_id: int | None, *, revealed: bool | str
) -> None:
    """The audit event of an explicit reveal page: `revealed` says whether (or which fact) was
    shown; the log review and the person's log extract read `detail.protected`."""
    record(
        request,
        Action.VIEW,
        obj=obj,
        person_id=person_id,
        detail={"protected": True, "revealed": revealed},
    )
