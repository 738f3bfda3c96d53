"""Which persons a list, a search or the log review showed (issue 14): one PersonShown row per
person per event, so the person's log extract says "you appeared in this list"."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from brygga.audit.log import record
from brygga.audit.models import Action, AuditEvent, PersonShown
from tests.conftest import signed_in
from tests.factories import case_with_team

pytestmark = pytest.mark.django_db


def shown_by(event: AuditEvent) -> set[int]:
    return set(PersonShown.objects.filter(event_id=event.pk).values_list("person_id", flat=True))


def extract_text(cast) -> str:
    response = signed_in(cast.case_worker).get(reverse("case_log_extract", args=[cast.case.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_search_records_every_person_among_its_hits(cast):
    other = case_with_team(cast.sodermalm, cast.case_worker)
    client = signed_in(cast.case_worker)
    client.post(reverse("search"), {"q": cast.case.person.last_name})
    event = AuditEvent.objects.filter(action=Action.SEARCH).latest("pk")
    assert cast.case.person_id in shown_by(event)  # the hit is recorded ...
    if other.person.last_name != cast.case.person.last_name:
        assert other.person_id not in shown_by(event)  # ... and only the hits


def test_the_start_page_records_the_persons_on_its_list(cast):
    signed_in(cast.case_worker).get(reverse("start"))
    event = AuditEvent.objects.filter(action=Action.VIEW, detail__page="start").latest("pk")
    assert shown_by(event) == {cast.case.person_id}


def test_the_log_review_records_the_persons_whose_events_it_showed(cast):
    seen = record(None, Action.VIEW, user=cast.case_worker, person_id=cast.case.person_id)
    signed_in(cast.unit_manager).get(reverse("log_review"))
    review = AuditEvent.objects.filter(detail__has_key="log_review").latest("pk")
    assert seen.person_id in shown_by(review)
    assert review.detail["persons"] == sorted(shown_by(review))  # the chained evidence agrees


def test_the_log_review_export_records_the_persons_it_exported(cast):
    record(None, Action.VIEW, user=cast.case_worker, person_id=cast.case.person_id)
    signed_in(cast.unit_manager).get(reverse("log_review_export"))
    export = AuditEvent.objects.filter(action=Action.EXPORT, detail__has_key="log_review").get()
    assert shown_by(export) == {cast.case.person_id}


def test_the_persons_log_extract_says_where_they_appeared_among_others(cast):
    record(None, Action.VIEW, user=cast.case_worker, person_id=cast.case.person_id)
    signed_in(cast.unit_manager).get(reverse("log_review"))
    signed_in(cast.case_worker).post(reverse("search"), {"q": cast.case.person.last_name})
    signed_in(cast.case_worker).get(reverse("start"))
    text = extract_text(cast)
    assert "Visning" in text  # the events about the person, as before ...
    assert "Visades i loggkontrollen" in text  # ... and the lists that showed her
    assert "Visades bland sökträffar" in text
    assert "Visades i en lista" in text
    assert "Enhetschef, Relationsvåldsteamet Södermalm" in text


def test_another_persons_extract_does_not_list_her_appearances(cast):
    other = case_with_team(cast.sodermalm, cast.case_worker)
    signed_in(cast.case_worker).post(reverse("search"), {"q": cast.case.person.last_name})
    from brygga.audit.extract import rows_for_person

    mine = [row.action for row in rows_for_person(cast.case.person_id)]
    theirs = [row.action for row in rows_for_person(other.person_id)]
    assert "Visades bland sökträffar" in mine
    if other.person.last_name != cast.case.person.last_name:
        assert "Visades bland sökträffar" not in theirs


def test_recording_many_persons_takes_as_many_queries_as_recording_two(cast):
    def queries(persons: list[int]) -> int:
        with CaptureQueriesContext(connection) as captured:
            record(None, Action.VIEW, user=cast.case_worker, persons_shown=persons)
        return len(captured)

    queries([1])  # the user's roles are loaded once
    assert queries(list(range(1, 3))) == queries(list(range(1, 400)))
    assert PersonShown.objects.filter(person_id=399).count() == 1
