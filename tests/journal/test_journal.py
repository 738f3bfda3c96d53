"""The journal: encrypted text, drafts, signing, corrections, autosave, personas, queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brygga.audit.models import Action, AuditEvent
from brygga.journal import services
from brygga.journal.models import JournalNote
from tests.conftest import signed_in

TODAY = timezone.localdate()
SECRET = "Klienten berättade om ett samtal från brodern."


def request_by(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def signed_note(case, author, title="Samtal", text=SECRET, on=TODAY):
    return JournalNote.objects.create(
        case=case, author=author, title=title, text=text, written_on=on, signed_at=timezone.now()
    )


def draft_note(case, author, title="Utkast", text="Halvfärdig text"):
    return JournalNote.objects.create(case=case, author=author, title=title, text=text)


def journal_url(case, name="journal", *args):
    return reverse(name, args=[case.pk, *args])


# --- storage and services ------------------------------------------------------------------


def test_the_text_is_encrypted_at_rest(cast):
    note = signed_note(cast.case, cast.case_worker)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM journal_journalnote WHERE id = %s", [note.pk])
        stored = cursor.fetchone()[0]
    assert "brodern" not in stored
    assert JournalNote.objects.get(pk=note.pk).text == SECRET


def test_a_signed_note_cannot_be_changed_through_the_service(cast):
    note = signed_note(cast.case, cast.case_worker)
    with pytest.raises(services.NoteIsSigned):
        services.save_draft(
            request_by(cast.case_worker),
            cast.case,
            cast.case_worker,
            note=note,
            title="Ändrad",
            written_on=TODAY,
            text="Ny text",
        )
    note.refresh_from_db()
    assert (note.title, note.text) == ("Samtal", SECRET)


def test_a_signed_note_cannot_be_signed_again(cast):
    note = signed_note(cast.case, cast.case_worker)
    signed_at = note.signed_at
    with pytest.raises(services.NoteIsSigned):
        services.sign(request_by(cast.case_worker), cast.case, note, cast.case_worker)
    note.refresh_from_db()
    assert note.signed_at == signed_at


def test_only_the_author_may_change_or_sign_a_draft(cast):
    draft = draft_note(cast.case, cast.case_worker)
    with pytest.raises(services.NotTheAuthor):
        services.save_draft(
            request_by(cast.unit_manager),
            cast.case,
            cast.unit_manager,
            note=draft,
            title="x",
            written_on=TODAY,
            text="y",
        )
    with pytest.raises(services.NotTheAuthor):
        services.sign(request_by(cast.unit_manager), cast.case, draft, cast.unit_manager)
    draft.refresh_from_db()
    assert draft.signed_at is None and draft.text == "Halvfärdig text"


def test_a_draft_without_a_title_or_text_cannot_be_signed(cast):
    untitled = draft_note(cast.case, cast.case_worker, title="")
    empty = draft_note(cast.case, cast.case_worker, text="")
    with pytest.raises(services.IncompleteNote, match="rubrik"):
        services.sign(request_by(cast.case_worker), cast.case, untitled, cast.case_worker)
    with pytest.raises(services.IncompleteNote, match="Skriv anteckningen"):
        services.sign(request_by(cast.case_worker), cast.case, empty, cast.case_worker)
    assert not JournalNote.objects.signed().exists()


def test_only_a_signed_note_of_the_same_case_can_be_corrected(cast):
    draft = draft_note(cast.case, cast.case_worker)
    with pytest.raises(services.JournalError):
        services.save_draft(
            request_by(cast.case_worker),
            cast.case,
            cast.case_worker,
            title="Rättelse",
            written_on=TODAY,
            text="x",
            corrects=draft,
        )
    assert JournalNote.objects.count() == 1


# --- pages per persona ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager"])
def test_the_case_worker_and_the_unit_manager_read_and_write_the_journal(cast, persona):
    signed_note(cast.case, cast.case_worker)
    client = signed_in(getattr(cast, persona))
    page = client.get(journal_url(cast.case))
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    assert client.get(journal_url(cast.case, "journal_new")).status_code == 200


def test_housing_support_acting_in_part_neither_reads_nor_writes_the_journal(cast):
    note = signed_note(cast.case, cast.case_worker)
    client = signed_in(cast.housing_support)
    assert client.get(reverse("case_detail", args=[cast.case.pk])).status_code == 200
    assert client.get(journal_url(cast.case)).status_code == 404
    assert client.get(journal_url(cast.case, "journal_note", note.pk)).status_code == 404
    assert client.get(journal_url(cast.case, "journal_new")).status_code == 404
    assert client.post(journal_url(cast.case, "journal_autosave"), {"text": "x"}).status_code == 404


@pytest.mark.parametrize("persona", ["colleague", "other_district_worker", "administrator"])
@pytest.mark.parametrize("name", ["journal", "journal_new", "journal_note", "journal_correct"])
def test_anyone_outside_the_case_gets_not_found(cast, persona, name):
    note = signed_note(cast.case, cast.case_worker)
    args = [note.pk] if name in ("journal_note", "journal_correct") else []
    response = signed_in(getattr(cast, persona)).get(journal_url(cast.case, name, *args))
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("persona", ["colleague", "other_district_worker", "administrator"])
def test_anyone_outside_the_case_cannot_autosave(cast, persona):
    response = signed_in(getattr(cast, persona)).post(
        journal_url(cast.case, "journal_autosave"), {"title": "x", "text": "y"}
    )
    assert response.status_code == 404
    assert not JournalNote.objects.exists()


def test_a_note_of_another_case_is_not_found_through_this_case(cast):
    from tests.factories import case_with_team

    other = case_with_team(cast.sodermalm, cast.colleague)
    note = signed_note(other, cast.colleague)
    client = signed_in(cast.case_worker)
    assert client.get(journal_url(cast.case, "journal_note", note.pk)).status_code == 404
    assert client.get(journal_url(cast.case, "journal_correct", note.pk)).status_code == 404


def test_someone_elses_draft_is_neither_listed_nor_opened(cast):
    draft = draft_note(cast.case, cast.case_worker, title="Mitt utkast")
    client = signed_in(cast.unit_manager)
    assert "Mitt utkast" not in client.get(journal_url(cast.case)).content.decode()
    assert client.get(journal_url(cast.case, "journal_note", draft.pk)).status_code == 404
    assert client.get(journal_url(cast.case, "journal_edit", draft.pk)).status_code == 404


# --- writing through the pages --------------------------------------------------------------


def note_data(action="sign", **overrides):
    return {
        "written_on": TODAY.isoformat(),
        "title": "Hembesök",
        "text": "Lägenheten är i ordning.",
        "action": action,
        **overrides,
    }


def test_the_worker_writes_and_signs_a_note(cast):
    response = signed_in(cast.case_worker).post(journal_url(cast.case, "journal_new"), note_data())
    assert response.status_code == 302
    note = JournalNote.objects.get()
    assert note.is_signed and note.author == cast.case_worker
    assert AuditEvent.objects.filter(
        object_type="journal.JournalNote", person_id=cast.case.person_id, action=Action.CREATE
    ).exists()


def test_saving_a_draft_keeps_it_editable_by_the_author(cast):
    client = signed_in(cast.case_worker)
    response = client.post(journal_url(cast.case, "journal_new"), note_data(action="save"))
    note = JournalNote.objects.get()
    assert response.url == journal_url(cast.case, "journal_edit", note.pk)
    assert not note.is_signed

    client.post(
        journal_url(cast.case, "journal_edit", note.pk), note_data(text="Tillagt i efterhand.")
    )

    note.refresh_from_db()
    assert note.is_signed and note.text == "Tillagt i efterhand."


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Ge anteckningen en rubrik innan du signerar."),
        ({"text": "   "}, "Skriv anteckningen innan du signerar."),
        ({"written_on": "igår"}, "Ange ett datum som ÅÅÅÅ-MM-DD."),
        ({"written_on": "2999-01-01"}, "Datumet kan inte ligga i framtiden."),
        ({"title": "x" * 151}, "Skriv högst 150 tecken."),
    ],
)
def test_a_bad_note_gets_a_swedish_message_and_saves_nothing(cast, overrides, message):
    response = signed_in(cast.case_worker).post(
        journal_url(cast.case, "journal_new"), note_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not JournalNote.objects.exists()


def test_a_request_without_an_action_is_a_bad_request(cast):
    response = signed_in(cast.case_worker).post(
        journal_url(cast.case, "journal_new"), note_data(action="publish")
    )
    assert response.status_code == 400
    assert not JournalNote.objects.exists()


def test_posting_to_a_signed_note_is_refused_and_changes_nothing(cast):
    note = signed_note(cast.case, cast.case_worker)
    response = signed_in(cast.case_worker).post(
        journal_url(cast.case, "journal_edit", note.pk), note_data(text="Ändrad i efterhand")
    )
    assert response.status_code == 409
    assert "kan inte ändras" in response.content.decode()
    note.refresh_from_db()
    assert note.text == SECRET


def test_a_correction_is_a_new_note_linked_to_the_original_and_both_show(cast):
    original = signed_note(cast.case, cast.case_worker, title="Samtal med klienten")
    client = signed_in(cast.case_worker)
    form = client.get(journal_url(cast.case, "journal_correct", original.pk))
    assert form.context["form"].initial["text"] == SECRET

    client.post(
        journal_url(cast.case, "journal_correct", original.pk),
        note_data(title="Rättelse: samtal", text="Det var kusinen, inte brodern."),
    )

    correction = JournalNote.objects.exclude(pk=original.pk).get()
    assert correction.corrects == original and correction.is_signed
    original.refresh_from_db()
    assert original.text == SECRET
    page = client.get(journal_url(cast.case)).content.decode()
    assert SECRET in page and "Det var kusinen" in page
    assert "Rättad" in page
    assert "Rättelse av" in page
    flagged = JournalNote.objects.with_correction_flag().get(pk=original.pk)
    assert flagged.is_corrected


def test_an_unsigned_correction_does_not_mark_the_original(cast):
    original = signed_note(cast.case, cast.case_worker)
    signed_in(cast.case_worker).post(
        journal_url(cast.case, "journal_correct", original.pk), note_data(action="save")
    )
    assert not JournalNote.objects.with_correction_flag().get(pk=original.pk).is_corrected


# --- autosave ---------------------------------------------------------------------------------


def test_autosave_stores_the_draft_and_answers_with_the_time(cast):
    client = signed_in(cast.case_worker)
    response = client.post(
        journal_url(cast.case, "journal_autosave"),
        {"written_on": TODAY.isoformat(), "title": "Telefonsamtal", "text": "Hon ringde"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Utkast sparat " in body
    draft = JournalNote.objects.get()
    assert (draft.text, draft.is_signed, draft.author) == ("Hon ringde", False, cast.case_worker)
    assert f'value="{draft.pk}" hx-swap-oob="true"' in body

    client.post(
        journal_url(cast.case, "journal_autosave"),
        {"draft": draft.pk, "title": "Telefonsamtal", "text": "Hon ringde i morse"},
    )

    assert JournalNote.objects.count() == 1
    draft.refresh_from_db()
    assert draft.text == "Hon ringde i morse"


def test_autosave_with_nothing_typed_stores_nothing(cast):
    response = signed_in(cast.case_worker).post(
        journal_url(cast.case, "journal_autosave"), {"title": "", "text": "  "}
    )
    assert response.status_code == 200
    assert not JournalNote.objects.exists()


def test_autosave_of_someone_elses_draft_is_not_found(cast):
    draft = draft_note(cast.case, cast.case_worker)
    response = signed_in(cast.unit_manager).post(
        journal_url(cast.case, "journal_autosave"), {"draft": draft.pk, "text": "Överskrivet"}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.text == "Halvfärdig text"


def test_autosave_of_a_signed_note_is_refused(cast):
    note = signed_note(cast.case, cast.case_worker)
    response = signed_in(cast.case_worker).post(
        journal_url(cast.case, "journal_autosave"), {"draft": note.pk, "text": "Ändrat"}
    )
    assert response.status_code == 409
    note.refresh_from_db()
    assert note.text == SECRET


@pytest.mark.parametrize("field", ["draft", "corrects"])
def test_autosave_with_a_malformed_id_is_a_bad_request(cast, field):
    response = signed_in(cast.case_worker).post(
        journal_url(cast.case, "journal_autosave"), {field: "1 OR 1=1", "text": "x"}
    )
    assert response.status_code == 400
    assert not JournalNote.objects.exists()


def test_autosave_of_a_correction_links_it_to_the_original(cast):
    original = signed_note(cast.case, cast.case_worker)
    signed_in(cast.case_worker).post(
        journal_url(cast.case, "journal_autosave"),
        {"corrects": original.pk, "title": "Rättelse", "text": "Rättad text"},
    )
    assert JournalNote.objects.get(corrects=original).text == "Rättad text"


def test_signing_after_autosave_continues_the_same_draft(cast):
    client = signed_in(cast.case_worker)
    client.post(journal_url(cast.case, "journal_autosave"), {"title": "A", "text": "B"})
    draft = JournalNote.objects.get()
    client.post(journal_url(cast.case, "journal_new"), note_data(draft=draft.pk))
    assert JournalNote.objects.count() == 1
    draft.refresh_from_db()
    assert draft.is_signed


def test_the_note_form_autosaves_through_htmx_without_inline_script(cast):
    page = signed_in(cast.case_worker).get(journal_url(cast.case, "journal_new")).content.decode()
    assert f'hx-post="{journal_url(cast.case, "journal_autosave")}"' in page
    assert 'hx-trigger="keyup changed delay:2s' in page
    assert "csrfmiddlewaretoken" in page
    assert "<script>" not in page and "onkeyup" not in page


# --- where the text may appear ------------------------------------------------------------


def test_the_text_shows_on_the_case_page_but_not_on_the_timeline_or_start_page(cast):
    signed_note(cast.case, cast.case_worker, title="Hembesök")
    client = signed_in(cast.case_worker)
    case_page = client.get(reverse("case_detail", args=[cast.case.pk])).content.decode()
    assert "Hembesök" in case_page and "brodern" in case_page
    timeline = client.get(reverse("case_timeline", args=[cast.case.pk])).content.decode()
    assert "Hembesök" in timeline and "brodern" not in timeline
    start = client.get(reverse("start")).content.decode()
    assert "brodern" not in start


def test_the_timeline_lists_signed_notes_only(cast):
    signed_note(cast.case, cast.case_worker, title="Signerad")
    draft_note(cast.case, cast.case_worker, title="Ej klar")
    entries = (
        signed_in(cast.case_worker)
        .get(reverse("case_timeline", args=[cast.case.pk]))
        .context["entries"]
    )
    titles = [e.title for e in entries if e.kind == "journal"]
    assert titles == ["Journalanteckning: Signerad"]


# --- query counts -------------------------------------------------------------------------------


def add_notes(case, author, n):
    for i in range(n):
        note = signed_note(case, author, title=f"Anteckning {i}", on=TODAY - datetime.timedelta(i))
        JournalNote.objects.create(
            case=case,
            author=author,
            title="Rättelse",
            text="r",
            corrects=note,
            signed_at=timezone.now(),
        )
        draft_note(case, author)


@pytest.mark.parametrize("name", ["journal", "case_detail", "case_timeline"])
def test_journal_pages_run_the_same_number_of_queries_whatever_the_journal(cast, name):
    client = signed_in(cast.case_worker)
    add_notes(cast.case, cast.case_worker, 1)
    client.get(reverse(name, args=[cast.case.pk]))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(name, args=[cast.case.pk]))
    add_notes(cast.case, cast.case_worker, 8)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse(name, args=[cast.case.pk]))
    assert len(large) == len(small)


def test_the_note_page_runs_the_same_number_of_queries_whatever_its_corrections(cast):
    client = signed_in(cast.case_worker)
    note = signed_note(cast.case, cast.case_worker)
    url = journal_url(cast.case, "journal_note", note.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(4):
        JournalNote.objects.create(
            case=cast.case,
            author=cast.unit_manager,
            title="R",
            text="r",
            corrects=note,
            signed_at=timezone.now(),
        )
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
