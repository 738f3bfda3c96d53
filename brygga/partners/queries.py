"""Reads for the partner pages: each a constant number of queries, whatever the volume."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from brygga.cases.models import Case
from brygga.partners import rules
from brygga.partners.models import (
    Consent,
    ContactAssignment,
    Organisation,
    Referral,
    ReferralStatus,
)
from brygga.support.areas import NeedArea


def directory(filters: dict[str, Any]) -> QuerySet[Organisation]:
    """Organisations matching the filters, with offers and districts (three queries)."""
    organisations = Organisation.objects.prefetch_related("offers", "districts").order_by(
        "-active", "name"
    )
    if filters.get("omrade"):
        organisations = organisations.filter(offers__area=filters["omrade"])
    if filters.get("stadsdel"):
        district = filters["stadsdel"]
        # An organisation without districts serves the whole city.
        organisations = organisations.annotate(n_districts=Count("districts")).filter(
            Q(districts=district) | Q(n_districts=0)
        )
    if filters.get("sprak"):
        organisations = organisations.filter(languages__icontains=filters["sprak"].strip())
    return organisations.distinct()


@dataclass
class SharedView:
    """What a partner may see of one referral: only the consented facts, or only the word."""

    referral: Referral
    in_force: bool
    withdrawn: bool
    first_name: str = ""
    contact_channel: str = ""
    need_areas: list[str] = field(default_factory=list)
    summary: str = ""

    @property
    def fields(self) -> list[str]:
        names = ["first_name", "contact_channel", "need_areas", "summary"]
        return [n for n in names if getattr(self, n)]


def shared_view(referral: Referral, today: datetime.date) -> SharedView:
    """Built from the consent alone; the first name is the one fact taken from the person,
    and only when ticked. Nothing else of the person or the case ever reaches the template."""
    consent = referral.consent
    if not consent.in_force(today):
        return SharedView(referral, in_force=False, withdrawn=consent.is_withdrawn)
    labels = dict(NeedArea.choices)
    return SharedView(
        referral,
        in_force=True,
        withdrawn=False,
        first_name=referral.case.person.first_name if consent.share_first_name else "",
        contact_channel=(consent.contact_channel or "") if consent.share_contact_channel else "",
        need_areas=[str(labels.get(a, a)) for a in consent.need_areas]
        if consent.share_need_areas
        else [],
        summary=(consent.summary or "") if consent.share_summary else "",
    )


def for_partner(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals with what `shared_view` needs, in the same query."""
    return referrals.select_related("consent", "organisation", "case__person")


def case_partner_data(case: Case) -> dict[str, Any]:
    """The case page's panel: consents, referrals with feedback, contact assignments."""
    consents = list(
        Consent.objects.filter(case=case)
        .select_related("organisation", "contact_person", "recorded_by")
        .order_by("-recorded_at")
    )
    referrals = list(
        Referral.objects.filter(case=case)
        .select_related("organisation", "intervention__type", "task")
        .prefetch_related("feedback")
        .order_by("-sent_on", "-pk")
    )
    for r in referrals:
        given = list(r.feedback.all())
        r.latest_feedback = given[-1] if given else None  # type: ignore[attr-defined]
    assignments = list(
        ContactAssignment.objects.filter(case=case)
        .select_related("contact_person")
        .order_by("-starts_on")
    )
    return {"consents": consents, "referrals": referrals, "assignments": assignments}


def referral_badges(case: Case) -> dict[tuple[str, int], list[str]]:
    """The referral's state on the plan item it came from (one query)."""
    badges: dict[tuple[str, int], list[str]] = {}
    rows = Referral.objects.filter(case=case).select_related("organisation")
    for r in rows.only("status", "intervention_id", "task_id", "organisation__name"):
        text = _("Förmedlad till %(org)s: %(status)s") % {
            "org": r.organisation.name,
            "status": r.get_status_display(),
        }
        if r.intervention_id:
            badges.setdefault(("intervention", r.intervention_id), []).append(text)
        if r.task_id:
            badges.setdefault(("task", r.task_id), []).append(text)
    return badges


@dataclass
class OrganisationRow:
    organisation_id: int
    name: str
    sent: int
    accepted: int
    declined: int
    ended_early: int
    days_to_contact: float | None

    @property
    def cells(self) -> list[str]:
        """Sent, accepted, declined and ended early, as shown: small counts as "<5"."""
        counts = (self.sent, self.accepted, self.declined, self.ended_early)
        return [rules.shown_count(n) for n in counts]


def referrals_per_organisation(since: datetime.date) -> list[OrganisationRow]:
    """Counts per organisation since a date (two queries); small cells are suppressed on show."""
    counted = (
        Organisation.objects.annotate(
            sent=Count("referrals", filter=Q(referrals__sent_on__gte=since)),
            accepted=Count(
                "referrals",
                filter=Q(referrals__sent_on__gte=since, referrals__answered_on__isnull=False)
                & ~Q(referrals__status=ReferralStatus.DECLINED),
            ),
            declined=Count(
                "referrals",
                filter=Q(referrals__sent_on__gte=since, referrals__status=ReferralStatus.DECLINED),
            ),
            ended_early=Count(
                "referrals",
                filter=Q(
                    referrals__sent_on__gte=since, referrals__status=ReferralStatus.ENDED_EARLY
                ),
            ),
        )
        .values("pk", "name", "sent", "accepted", "declined", "ended_early")
        .order_by("name")
    )
    waits: dict[int, list[int]] = {}
    contacted = Referral.objects.filter(sent_on__gte=since, first_contact_on__isnull=False)
    for org_id, sent_on, first in contacted.values_list(
        "organisation_id", "sent_on", "first_contact_on"
    ):
        if first is not None:
            waits.setdefault(org_id, []).append((first - sent_on).days)
    rows = []
    for row in counted:
        days = waits.get(row["pk"], [])
        # A mean over fewer than five referrals would describe single persons: not shown.
        mean = sum(days) / len(days) if len(days) >= rules.SMALLEST_SHOWN else None
        rows.append(
            OrganisationRow(
                row["pk"],
                row["name"],
                row["sent"],
                row["accepted"],
                row["declined"],
                row["ended_early"],
                mean,
            )
        )
    return rows
