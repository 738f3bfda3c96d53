"""A referral nobody has answered for two weeks is an early-warning signal on the worker's list."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brygga.cases.models import Phase
from brygga.partners import rules
from brygga.partners.models import Referral, ReferralStatus
from brygga.partners.signals import KIND, unanswered_referral_signals, unanswered_signal
from brygga.support.signals import signals_for_cases
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.partners.conftest import DAY, consent, referral, today

pytestmark = pytest.mark.django_db
WHY = "Förmedlingen till Mentorer för kvinnor (fiktiv) har inte besvarats på 20 dagar."


def sent_days_ago(partners, days, **kwargs):
    Referral.objects.filter(pk=partners.referral.pk).update(sent_on=today() - days * DAY, **kwargs)


def referral_signals(case_ids):
    return [
        s
        for found in signals_for_cases(case_ids, today()).values()
        for s in found
        if s.kind == KIND
    ]


def test_a_referral_unanswered_for_twenty_days_is_a_warning_with_why(cast, partners):
    sent_days_ago(partners, 20)
    [signal] = referral_signals([cast.case.pk])
    assert signal.case_id == cast.case.pk and signal.severity == 2
    assert signal.explanation == WHY
    assert signal.since == today() - 6 * DAY


def test_an_answered_a_recent_or_a_closed_cases_referral_gives_no_signal(cast, partners):
    sent_days_ago(partners, 13)
    assert referral_signals([cast.case.pk]) == []
    sent_days_ago(partners, 14)
    assert len(referral_signals([cast.case.pk])) == 1  # the positive marker: day 14 flags
    sent_days_ago(partners, 40, status=ReferralStatus.ACCEPTED, answered_on=today())
    assert referral_signals([cast.case.pk]) == []
    sent_days_ago(partners, 40, status=ReferralStatus.SENT)
    cast.case.__class__.objects.filter(pk=cast.case.pk).update(phase=Phase.CLOSED)
    assert referral_signals([cast.case.pk]) == []


def test_the_signal_is_on_the_workers_start_page(cast, partners):
    sent_days_ago(partners, 20)
    text = signed_in(cast.case_worker).get(reverse("start")).content.decode()
    assert cast.case.person.full_name in text and WHY in text


def test_the_source_runs_one_query_however_many_cases(cast, partners):
    cases = [case_with_team(cast.sodermalm, cast.case_worker) for _ in range(5)]
    for case in cases:
        given = consent(case, partners.mentors, cast.case_worker)
        referral(case, given, cast.case_worker, sent_on=today() - 30 * DAY)
    with CaptureQueriesContext(connection) as queries:
        found = list(unanswered_referral_signals([c.pk for c in cases], today()))
    assert len(found) == 5 and len(queries.captured_queries) == 1


statuses = st.sampled_from([s.value for s in ReferralStatus])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(referrals=st.lists(st.tuples(statuses, st.integers(0, 40)), min_size=1, max_size=6))
def test_the_sql_twin_flags_exactly_what_the_pure_rule_flags(cast, partners, referrals):
    with transaction.atomic():
        Referral.objects.all().delete()
        made = [
            referral(
                cast.case,
                partners.consent,
                cast.case_worker,
                status=status,
                sent_on=today() - days * DAY,
            )
            for status, days in referrals
        ]
        facts = [rules.ReferralFact(r.pk, r.case_id, r.status, r.sent_on) for r in made]
        expected = sorted(
            (
                u.case_id,
                u.since,
                unanswered_signal(u.case_id, partners.mentors.name, u.since, today()).explanation,
            )
            for u in rules.unanswered_referrals(facts, today())
        )
        got = sorted(
            (s.case_id, s.since - rules.UNANSWERED_AFTER_DAYS * DAY, s.explanation)
            for s in unanswered_referral_signals([cast.case.pk], today())
        )
        transaction.set_rollback(True)
    assert got == expected
