"""Referrals to civil society in the board figures, against small data counted by hand."""

from __future__ import annotations

import datetime

import pytest

from brygga.cases.models import Case
from brygga.organisation.models import Role
from brygga.partners.models import ReferralStatus
from brygga.stats import figures
from brygga.stats.disclosure import SMALL
from brygga.stats.periods import Period
from brygga.stats.report import build_report
from tests.factories import CaseFactory, UnitFactory, staff_member
from tests.partners.conftest import consent, organisation, referral

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = Period(2025)
TODAY = D(2026, 3, 1)


@pytest.fixture
def two_districts():
    kista = UnitFactory(name="RVT Kista", administration__name="Kista stadsdelsförvaltning")
    spanga = UnitFactory(name="RVT Spånga", administration__name="Spånga stadsdelsförvaltning")
    return kista, spanga


MID_YEAR = D(2025, 6, 1)


def refer(unit, statuses, sent_on=MID_YEAR):
    """One case in the unit, referred once per status given, to one organisation each."""
    worker = staff_member(Role.WORKER, unit, username=f"worker{Case.objects.count()}")
    case = CaseFactory(owning_unit=unit, opened_on=D(2025, 1, 1))
    for i, status in enumerate(statuses):
        org = organisation(f"Förening {Case.objects.count()}-{i} (fiktiv)")
        given = consent(case, org, worker, valid_from=D(2025, 1, 1), valid_to=D(2026, 12, 31))
        referral(case, given, worker, status=status, sent_on=sent_on)
    return case


def test_referrals_sent_in_the_period_are_counted_by_district_and_where_they_stand(
    two_districts,
):
    kista, spanga = two_districts
    refer(kista, [ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED])
    refer(kista, [ReferralStatus.DECLINED, ReferralStatus.ENDED_EARLY])
    refer(spanga, [ReferralStatus.ACTIVE])
    refer(spanga, [ReferralStatus.ACCEPTED], sent_on=D(2024, 12, 31))  # before the period
    refer(spanga, [ReferralStatus.ACCEPTED], sent_on=D(2026, 1, 2))  # after it

    counts = figures.referrals(Case.objects.all(), YEAR, ["Kista", "Spånga"], False)

    assert counts.rows["outcome"] == [
        "Väntar på svar",
        "Avböjda",
        "Accepterade",
        "Avbrutna i förtid",
    ]
    # Kista: one waiting, one declined, two accepted (accepted, completed), one ended early.
    assert counts.matrix("place", "outcome") == [[1, 1, 2, 1], [0, 0, 1, 0]]
    by_unit = figures.referrals(Case.objects.all(), YEAR, ["RVT Kista", "RVT Spånga"], True)
    assert by_unit.matrix("place", "outcome") == [[1, 1, 2, 1], [0, 0, 1, 0]]


def test_the_board_report_publishes_the_referrals_through_disclosure_control(two_districts):
    kista, spanga = two_districts
    for _ in range(3):
        refer(kista, [ReferralStatus.ACCEPTED, ReferralStatus.ACCEPTED])  # 6 accepted
    refer(kista, [ReferralStatus.SENT] * 5)  # 5 waiting
    refer(spanga, [ReferralStatus.DECLINED, *[ReferralStatus.ACTIVE] * 7])

    report = build_report(YEAR, None, TODAY)

    section = next(s for s in report.sections if s.slug == "civilsamhalle")
    [table] = section.tables
    # Spånga's one declined referral is "<5"; showing its 7 accepted next to its total of 8
    # would give the 1 away, so they are "x" too, and so on around the table.
    assert table.as_rows()[1:] == [
        ["Kista", "x", SMALL, "x", SMALL, "11"],
        ["Spånga", SMALL, SMALL, "x", SMALL, "8"],
        ["Totalt", "x", SMALL, "13", SMALL, "19"],
    ]
    assert "19 förmedlingar skickades." in section.texts[1]
