"""State changes for consents, referrals, the directory and contact persons.

Each is atomic and writes its audit event. The consent rule lives here, not in a form:
`make_referral` refuses to refer without a consent in force for the person and organisation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.audit.log import record, record_change
from brygga.audit.models import Action
from brygga.cases.models import Case
from brygga.lib.versioning import save_if_current
from brygga.partners import hsds, rules
from brygga.partners.models import (
    Consent,
    ContactAssignment,
    Organisation,
    Referral,
    ReferralFeedback,
    ReferralStatus,
)
from brygga.people.models import ProtectedDetails
from brygga.support.models import Intervention, Task


class ConsentMissing(Exception):
    """No consent in force lets this person's details reach this recipient."""


class ProtectedDetailShared(Exception):
    """A text meant for a partner contains one of the person's protected details."""


class NotAllowed(Exception):
    """The referral is not in a status that allows this step."""


def protected_values(person_id: int) -> list[str]:
    details = ProtectedDetails.objects.filter(person_id=person_id).first()
    if details is None:
        return []
    return [str(getattr(details, name) or "") for name in ProtectedDetails.FIELDS]


def check_no_protected_details(consent: Consent) -> None:
    """Raise if the contact channel or the summary repeats a protected detail of the person."""
    values = protected_values(consent.person_id)
    for text in (consent.contact_channel, consent.summary):
        if rules.leaked_protected_values(text or "", values):
            raise ProtectedDetailShared


@transaction.atomic
def record_consent(request: HttpRequest, consent: Consent) -> Consent:
    """Save a new consent. Texts that are not ticked for sharing are not kept at all."""
    if (consent.organisation_id is None) == (consent.contact_person_id is None):
        raise ValueError("a consent names exactly one recipient")
    consent.person_id = consent.case.person_id
    consent.recorded_by = request.user  # type: ignore[assignment]
    if not consent.share_contact_channel:
        consent.contact_channel = ""
    if not consent.share_summary:
        consent.summary = ""
    if not consent.share_need_areas:
        consent.need_areas = []
    check_no_protected_details(consent)
    consent.save()
    record(
        request,
        Action.CONSENT_CHANGE,
        obj=consent,
        person_id=consent.person_id,
        detail={"change": "given", "fields": shared_field_names(consent)},
    )
    return consent


def shared_field_names(consent: Consent) -> list[str]:
    names = ["first_name", "contact_channel", "need_areas", "summary"]
    return [n for n in names if getattr(consent, f"share_{n}")]


@transaction.atomic
def withdraw_consent(request: HttpRequest, consent: Consent) -> Consent:
    """Withdrawal takes effect at once: every page reads the consent on each request."""
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = request.user  # type: ignore[assignment]
        consent.version += 1
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "version", "updated_at"])
        record(
            request,
            Action.CONSENT_CHANGE,
            obj=consent,
            person_id=consent.person_id,
            detail={"change": "withdrawn"},
        )
    return consent


@transaction.atomic
def make_referral(
    request: HttpRequest,
    case: Case,
    organisation: Organisation,
    consent: Consent | None,
    *,
    intervention: Intervention | None = None,
    task: Task | None = None,
    today: datetime.date | None = None,
) -> Referral:
    """Refer the person to an organisation. No consent in force, no referral."""
    today = today or timezone.localdate()
    if consent is not None:
        # Re-read under lock: a withdrawal a moment ago must win.
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if (
        consent is None
        or consent.person_id != case.person_id
        or consent.organisation_id != organisation.pk
        or not consent.in_force(today)
    ):
        raise ConsentMissing
    if intervention is not None and intervention.case_id != case.pk:
        raise ValueError("the intervention belongs to another case")
    if task is not None and task.case_id != case.pk:
        raise ValueError("the task belongs to another case")
    referral = Referral.objects.create(
        case=case,
        organisation=organisation,
        consent=consent,
        intervention=intervention,
        task=task,
        sent_on=today,
        sent_by=request.user,  # type: ignore[misc]
    )
    record_change(request, Action.CREATE, referral, case.person_id, changed=["*"])
    return referral


@transaction.atomic
def partner_move(
    request: HttpRequest,
    referral: Referral,
    wanted: str,
    *,
    based_on_version: int,
    reason: str = "",
    first_contact_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Referral:
    """The partner accepts, declines, starts, completes or ends a referral early."""
    today = today or timezone.localdate()
    consent = Consent.objects.select_for_update().get(pk=referral.consent_id)
    if not consent.in_force(today):
        raise ConsentMissing
    if not rules.may_move(referral.status, wanted):
        raise NotAllowed
    fields = ["status"]
    referral.status = wanted
    if wanted in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
        referral.answered_on = today
        fields.append("answered_on")
    if wanted == ReferralStatus.DECLINED:
        referral.decline_reason = reason
        fields.append("decline_reason")
    if first_contact_on and not referral.first_contact_on:
        referral.first_contact_on = first_contact_on
        fields.append("first_contact_on")
    if wanted in (ReferralStatus.COMPLETED, ReferralStatus.ENDED_EARLY):
        referral.ended_on = today
        fields.append("ended_on")
    save_if_current(referral, based_on_version, update_fields=fields)
    record_change(request, Action.UPDATE, referral, referral.case.person_id, fields)
    return referral


@transaction.atomic
def partner_feedback(
    request: HttpRequest,
    referral: Referral,
    kind: str,
    note: str,
    today: datetime.date | None = None,
) -> ReferralFeedback:
    today = today or timezone.localdate()
    consent = Consent.objects.select_for_update().get(pk=referral.consent_id)
    if not consent.in_force(today):
        raise ConsentMissing
    feedback = ReferralFeedback.objects.create(
        referral=referral,
        kind=kind,
        note=note,
        given_by=request.user,  # type: ignore[misc]
    )
    record_change(request, Action.CREATE, feedback, referral.case.person_id, ["kind", "note"])
    return feedback


@transaction.atomic
def save_organisation(
    request: HttpRequest,
    organisation: Organisation,
    districts: Iterable[Any],
    offers: list[tuple[str, str, str]],
    *,
    based_on_version: int | None,
    changed: Iterable[str],
) -> Organisation:
    """Create or update an organisation with its districts and offers (kind, area, text)."""
    created = organisation.pk is None
    if created:
        organisation.save()
    else:
        # Only the model's own columns: districts and offers are saved below, and the form's
        # offer choices (offer_kinds) are no field of the model at all.
        columns = {f.name for f in Organisation._meta.concrete_fields} - {"version"}
        fields = [f for f in changed if f in columns]
        save_if_current(organisation, based_on_version or 0, update_fields=fields)
    organisation.districts.set(list(districts))
    wanted = {(kind, area): text for kind, area, text in offers}
    current = {(o.kind, o.area): o for o in organisation.offers.all()}
    for key, offer in current.items():
        if key not in wanted:
            offer.delete()
        elif offer.description != wanted[key]:
            offer.description = wanted[key]
            offer.save(update_fields=["description"])
    for (kind, area), text in wanted.items():
        if (kind, area) not in current:
            organisation.offers.create(kind=kind, area=area, description=text)
    record_change(
        request,
        Action.CREATE if created else Action.UPDATE,
        organisation,
        None,
        sorted(set(changed) - {"version"}) or ["*"],
    )
    return organisation


@transaction.atomic
def import_directory(request: HttpRequest, plan: hsds.ImportPlan) -> tuple[int, int]:
    """Save an HSDS import whole, or nothing: refuses a plan with errors. Each organisation is
    saved like an edit in the form (audited, in the change history); names that differ only
    in case are the same organisation. Returns (created, updated)."""
    if plan.errors:
        raise ValueError("an import with errors is never saved")
    existing = {o.name.casefold(): o for o in Organisation.objects.select_for_update()}
    created = updated = 0
    for imported in plan.organisations:
        organisation = existing.get(imported.name.casefold()) or Organisation()
        is_new = organisation.pk is None
        values = {
            "name": imported.name,
            "description": imported.description,
            "contact_email": imported.email,
            "website": imported.website,
            "languages": ", ".join(imported.languages),
            "active": imported.active,
        }
        changed = [k for k, v in values.items() if getattr(organisation, k) != v]
        for key, value in values.items():
            setattr(organisation, key, value)
        save_organisation(
            request,
            organisation,
            imported.districts,
            hsds.offers_of(imported),
            based_on_version=organisation.version,
            changed=[*changed, "districts", "offers"],
        )
        created, updated = (created + 1, updated) if is_new else (created, updated + 1)
    return created, updated


@transaction.atomic
def assign_contact_person(request: HttpRequest, assignment: ContactAssignment) -> ContactAssignment:
    """Match a contact person with a person: needs a consent in force naming that contact person."""
    consent = Consent.objects.select_for_update().get(pk=assignment.consent_id)
    if (
        consent.person_id != assignment.case.person_id
        or consent.contact_person_id != assignment.contact_person_id
        or not consent.in_force(assignment.starts_on)
    ):
        raise ConsentMissing
    assignment.assigned_by = request.user  # type: ignore[assignment]
    assignment.save()
    record_change(request, Action.CREATE, assignment, assignment.case.person_id, ["*"])
    return assignment


@transaction.atomic
def end_contact_assignment(
    request: HttpRequest, assignment: ContactAssignment, ended_on: datetime.date, reason: str
) -> ContactAssignment:
    assignment.ended_on = ended_on
    assignment.end_reason = reason
    assignment.version += 1
    assignment.save(update_fields=["ended_on", "end_reason", "version", "updated_at"])
    record_change(
        request, Action.UPDATE, assignment, assignment.case.person_id, ["ended_on", "end_reason"]
    )
    return assignment


def follow_up_contact_assignment(
    request: HttpRequest, assignment: ContactAssignment, held_on: datetime.date, note: str
) -> ContactAssignment:
    """Record the assignment's follow-up (date and note); audited as a change."""
    assignment.follow_up_on = held_on
    assignment.follow_up_note = note
    assignment.version += 1
    assignment.save(update_fields=["follow_up_on", "follow_up_note", "version", "updated_at"])
    record_change(
        request,
        Action.UPDATE,
        assignment,
        assignment.case.person_id,
        ["follow_up_on", "follow_up_note"],
    )
    return assignment


def no_consent_message() -> str:
    return _("Det finns inget gällande samtycke för organisationen. Registrera samtycke först.")


@transaction.atomic
def save_contact_person(
    request: HttpRequest,
    contact: Any,
    *,
    based_on_version: int | None,
    changed: Iterable[str],
) -> Any:
    created = contact.pk is None
    if created:
        contact.save()
    else:
        fields = [f for f in changed if f != "version"]
        save_if_current(contact, based_on_version or 0, update_fields=fields)
    record_change(
        request,
        Action.CREATE if created else Action.UPDATE,
        contact,
        None,
        sorted(changed) or ["*"],
    )
    return contact
