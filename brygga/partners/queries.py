"""Reads for the partner pages: each a constant number of queries, whatever the volume."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from brygga.cases.models import Case
from brygga.partners.models import (
    Consent,
    ContactAssignment,
    Organisation,
    Referral,
    ReferralStatus,
)
from brygga.stats.disclosure import Cell, protect_table, publishable
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


# The coordinator's table counts referrals by where they stand now. The columns are disjoint
# (each referral in one), so the row total is "sent" and the audit of stats.disclosure can
# see every line a reader could subtract along (ADR 0051).
OUTCOMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("waiting", (ReferralStatus.SENT,)),
    ("declined", (ReferralStatus.DECLINED,)),
    (
        "accepted",
        (ReferralStatus.ACCEPTED, ReferralStatus.ACTIVE, ReferralStatus.COMPLETED),
    ),
    ("ended_early", (ReferralStatus.ENDED_EARLY,)),
)


def outcome_labels() -> list[str]:
    labels = {
        "waiting": _("Väntar på svar"),
        "declined": _("Avböjda"),
        "accepted": _("Accepterade"),
        "ended_early": _("Avbrutna i förtid"),
    }
    return [str(labels[key]) for key, _statuses in OUTCOMES]


@dataclass
class ReferralCounts:
    """One organisation's referrals since a date: counts per outcome, and the waits (days from
    sending to first contact) of those that got one."""

    organisation_id: int
    name: str
    counts: list[int]
    waits: list[int] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(self.counts)


def referrals_per_organisation(since: datetime.date) -> list[ReferralCounts]:
    """Every organisation with its referrals sent since a date (three queries). Raw counts:
    publish them only through `coordinator_table`."""
    column = {status: i for i, (_key, statuses) in enumerate(OUTCOMES) for status in statuses}
    rows = {
        pk: ReferralCounts(pk, name, [0] * len(OUTCOMES))
        for pk, name in Organisation.objects.order_by("name", "pk").values_list("pk", "name")
    }
    grouped = (
        Referral.objects.filter(sent_on__gte=since)
        .values("organisation_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for group in grouped:
        rows[group["organisation_id"]].counts[column[group["status"]]] += group["n"]
    contacted = Referral.objects.filter(sent_on__gte=since, first_contact_on__isnull=False)
    for org_id, sent_on, first in contacted.values_list(
        "organisation_id", "sent_on", "first_contact_on"
    ):
        rows[org_id].waits.append((first - sent_on).days)  # type: ignore[operator]  # filtered
    return list(rows.values())


@dataclass
class CoordinatorRow:
    name: str
    cells: list[str]
    sent: Cell
    days_to_contact: float | None


@dataclass
class CoordinatorTable:
    columns: list[str]
    rows: list[CoordinatorRow]
    totals: list[str]
    total: str
    without: list[str]


def coordinator_table(counted: list[ReferralCounts]) -> CoordinatorTable:
    """What the coordinator may see: the counts protected by stats.disclosure (no count under
    five shown or recoverable from the others, totals included), and a mean wait only over at
    least five referrals. Organisations without referrals are named in a list of their own: a
    row of zeros holds no person, and leaving it out of the table changes no line's sum."""
    with_referrals = [r for r in counted if r.sent]
    columns = outcome_labels()
    if not with_referrals:
        return CoordinatorTable(columns, [], [], "", [r.name for r in counted])
    table = protect_table(
        [r.counts for r in with_referrals],
        rows=[str(r.organisation_id) for r in with_referrals],
        columns=columns,
        measure="referrals",
    )
    rows = [
        CoordinatorRow(
            name=r.name,
            cells=[c.display for c in cells],
            sent=sent,
            days_to_contact=sum(r.waits) / len(r.waits) if publishable(len(r.waits)) else None,
        )
        for r, cells, sent in zip(with_referrals, table.cells, table.row_totals, strict=True)
    ]
    return CoordinatorTable(
        columns,
        rows,
        [c.display for c in table.column_totals],
        table.total.display,
        [r.name for r in counted if not r.sent],
    )
