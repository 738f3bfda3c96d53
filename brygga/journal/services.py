"""Journal state changes: drafts, autosave, signing and corrections. Atomic and audited.

A signed note is final: every function here refuses to change one (NoteIsSigned), whatever
the view in front of it does. Only the author may change their draft (NotTheAuthor).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.audit.log import record_change
from brygga.audit.models import Action
from brygga.cases.models import Case
from brygga.journal.models import JournalNote


class JournalError(Exception):
    """A refused journal change; the message is Swedish."""


class NoteIsSigned(JournalError):
    def __init__(self) -> None:
        super().__init__(
            _("Anteckningen är signerad och kan inte ändras. Skriv en rättelse i stället.")
        )


class NotTheAuthor(JournalError):
    def __init__(self) -> None:
        super().__init__(_("Bara den som skrev utkastet kan ändra det."))


class IncompleteNote(JournalError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _locked_draft(note: JournalNote, author: Any) -> JournalNote:
    current = JournalNote.objects.select_for_update().get(pk=note.pk)
    if current.signed_at is not None:
        raise NoteIsSigned
    if current.author_id != getattr(author, "pk", None):
        raise NotTheAuthor
    return current


@transaction.atomic
def save_draft(
    request: HttpRequest,
    case: Case,
    author: Any,
    *,
    note: JournalNote | None = None,
    title: str,
    written_on: datetime.date,
    text: str,
    corrects: JournalNote | None = None,
) -> JournalNote:
    """Create the author's draft, or update it (never someone else's, never a signed note)."""
    if note is None:
        if corrects is not None and (corrects.case_id != case.pk or corrects.signed_at is None):
            raise JournalError(_("Bara en signerad anteckning i ärendet kan rättas."))
        draft = JournalNote.objects.create(
            case=case,
            author=author,
            title=title,
            written_on=written_on,
            text=text,
            corrects=corrects,
        )
        record_change(request, Action.CREATE, draft, case.person_id, changed=["draft"])
        return draft
    if note.case_id != case.pk:
        raise JournalError(_("Utkastet hör inte till ärendet."))
    draft = _locked_draft(note, author)
    draft.title, draft.written_on, draft.text = title, written_on, text
    draft.save(update_fields=["title", "written_on", "text", "updated_at"])
    record_change(request, Action.UPDATE, draft, case.person_id, changed=["draft"])
    return draft


@transaction.atomic
def sign(request: HttpRequest, case: Case, note: JournalNote, author: Any) -> JournalNote:
    """Make the author's draft final. A signed note can never change again."""
    if note.case_id != case.pk:
        raise JournalError(_("Utkastet hör inte till ärendet."))
    draft = _locked_draft(note, author)
    if not draft.title.strip():
        raise IncompleteNote("title", _("Ge anteckningen en rubrik innan du signerar."))
    if not (draft.text or "").strip():
        raise IncompleteNote("text", _("Skriv anteckningen innan du signerar."))
    if draft.written_on > timezone.localdate():
        raise IncompleteNote("written_on", _("Datumet kan inte ligga i framtiden."))
    draft.signed_at = timezone.now()
    draft.save(update_fields=["signed_at", "updated_at"])
    record_change(request, Action.UPDATE, draft, case.person_id, changed=["signed_at"])
    note.signed_at = draft.signed_at
    return draft
