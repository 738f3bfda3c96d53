"""A save of several records of one case recomputes its state once, at the end of the
transaction's block, and the state is then that of every record (issue 11, decision 0122)."""

from __future__ import annotations

import datetime

import pytest

from brygga.support import state
from brygga.support.models import CaseAreaState, CaseState
from tests.conftest import signed_in
from tests.support.conftest import assess, follow_up, today
from tests.support.test_follow_up_page import held, page_of

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def recomputed(monkeypatch):
    """The case ids of each recomputation of the state."""
    calls: list[list[int]] = []
    compute = state.compute

    def counting(case_ids):
        calls.append(sorted(case_ids))
        return compute(case_ids)

    monkeypatch.setattr(state, "compute", counting)
    return calls


def test_holding_a_follow_up_with_a_reassessment_recomputes_the_case_once(cast, recomputed):
    assess(cast.case, today() - 40 * DAY, housing=2, occupation=3, social=2)
    item = follow_up(cast.case, today() - DAY, months=1)
    recomputed.clear()
    response = signed_in(cast.case_worker).post(
        page_of(cast.case, item),
        held(item, **{"housing-worker_level": "4", "occupation-worker_level": "3"}),
    )
    assert response.status_code == 302
    assert recomputed == [[cast.case.pk]]  # the follow-up and the new round: one recomputation
    saved = CaseState.objects.get(case=cast.case)
    assert saved.last_contact_on == today()
    assert saved.next_follow_up_on is None
    housing = CaseAreaState.objects.get(case=cast.case, area="housing")
    assert (housing.level, housing.previous_level) == (4, 2)


def test_inside_a_batch_each_case_is_recomputed_once_at_its_end(cast, recomputed):
    with state.batched():
        follow_up(cast.case, today() + 10 * DAY)
        follow_up(cast.case, today() + 5 * DAY)
        with state.batched():
            assess(cast.case, today(), housing=3)
        assert recomputed == []  # nothing yet, not even at the end of the inner block
    assert recomputed == [[cast.case.pk]]
    assert CaseState.objects.get(case=cast.case).next_follow_up_on == today() + 5 * DAY


def test_outside_a_batch_every_save_still_recomputes_at_once(cast, recomputed):
    follow_up(cast.case, today() + 10 * DAY)
    assert recomputed == [[cast.case.pk]]
    assert CaseState.objects.get(case=cast.case).next_follow_up_on == today() + 10 * DAY


def test_a_batch_that_fails_recomputes_nothing_and_leaves_the_state_as_it_was(cast, recomputed):
    follow_up(cast.case, today() + 10 * DAY)
    recomputed.clear()
    with pytest.raises(RuntimeError), state.batched():
        follow_up(cast.case, today() + 2 * DAY)
        raise RuntimeError("the form was stale")
    assert recomputed == []
    assert CaseState.objects.get(case=cast.case).next_follow_up_on == today() + 10 * DAY
    follow_up(cast.case, today() + 3 * DAY)  # and the next save is recomputed at once again
    assert CaseState.objects.get(case=cast.case).next_follow_up_on == today() + 3 * DAY
