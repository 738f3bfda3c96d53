"""Journal pages. Text is shown only here and on the case's own page, never in other lists."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brygga.access import policy
from brygga.access.decorators import case_view
from brygga.cases.models import Case
from brygga.journal import services
from brygga.journal.forms import NoteForm
from brygga.journal.models import JournalNote
from brygga.lib.http import submitted

NOTES_PER_PAGE = 25


def _visible_notes(request: HttpRequest, case: Case):  # type: ignore[no-untyped-def]
    """Signed notes, and the user's own drafts (others' drafts are unfinished work)."""
    return case.journal_notes.filter(Q(signed_at__isnull=False) | Q(author_id=request.user.pk))


def _id(raw: str | None) -> int | None:
    """A positive integer id from a form, None when empty; ValueError when malformed."""
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ValueError(raw)
    return int(raw)


@case_view()
@require_GET
def journal(request: HttpRequest, case: Case) -> HttpResponse:
    notes = (
        _visible_notes(request, case)
        .with_correction_flag()
        .select_related("author", "corrects")
        .order_by("-written_on", "-pk")
    )
    page = Paginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("sida"))
    return render(
        request,
        "journal/journal.html",
        {"case": case, "page": page, "may_change": policy.access_for(request, case).may_change},
    )


@case_view()
@require_GET
def note_detail(request: HttpRequest, case: Case, note_id: int) -> HttpResponse:
    note = get_object_or_404(
        _visible_notes(request, case).with_correction_flag().select_related("author", "corrects"),
        pk=note_id,
    )
    if not note.is_signed:
        return redirect("journal_edit", case_id=case.pk, note_id=note.pk)
    corrections = list(note.corrections.signed().select_related("author").order_by("pk"))
    return render(
        request,
        "journal/note_detail.html",
        {
            "case": case,
            "note": note,
            "corrections": corrections,
            "may_change": policy.access_for(request, case).may_change,
        },
    )


def _note_page(
    request: HttpRequest,
    case: Case,
    *,
    note: JournalNote | None = None,
    corrects: JournalNote | None = None,
) -> HttpResponse:
    if note is not None:
        initial = {"title": note.title, "text": note.text, "written_on": note.written_on}
        corrects = note.corrects
    elif corrects is not None:
        initial = {
            "title": _("Rättelse: %(title)s") % {"title": corrects.title},
            "text": corrects.text,
            "written_on": corrects.written_on,
        }
    else:
        initial = {}
    form = NoteForm(submitted(request), initial={**initial, "draft": note.pk if note else None})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("save", "sign"):
            return HttpResponseBadRequest()
        if form.is_valid():
            data = form.cleaned_data
            if action == "sign":
                if not data["title"].strip():
                    form.add_error("title", _("Ge anteckningen en rubrik innan du signerar."))
                if not data["text"].strip():
                    form.add_error("text", _("Skriv anteckningen innan du signerar."))
        if form.is_valid():
            try:
                if note is None and form.cleaned_data["draft"]:
                    # The page was autosaved: continue that draft rather than start another.
                    note = get_object_or_404(case.journal_notes, pk=form.cleaned_data["draft"])
                # Saving and signing succeed or fail together: no stray draft on a failed sign.
                with transaction.atomic():
                    draft = services.save_draft(
                        request,
                        case,
                        request.user,
                        note=note,
                        title=data["title"].strip(),
                        written_on=data["written_on"],
                        text=data["text"],
                        corrects=corrects,
                    )
                    if action == "sign":
                        services.sign(request, case, draft, request.user)
            except services.NotTheAuthor:
                return render(request, "web/error.html", {"status": 404}, status=404)
            except services.IncompleteNote as incomplete:
                form.add_error(incomplete.field, str(incomplete))
                status = 400
            except services.JournalError as refused:
                form.add_error(None, str(refused))
                status = 409
            else:
                if action == "sign":
                    messages.success(request, _("Anteckningen är signerad."))
                    return redirect("journal", case_id=case.pk)
                messages.success(request, _("Utkastet är sparat."))
                return redirect("journal_edit", case_id=case.pk, note_id=draft.pk)
    return render(
        request,
        "journal/note_form.html",
        {"case": case, "form": form, "note": note, "corrects": corrects},
        status=status,
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def new_note(request: HttpRequest, case: Case) -> HttpResponse:
    return _note_page(request, case)


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def edit_note(request: HttpRequest, case: Case, note_id: int) -> HttpResponse:
    note = get_object_or_404(
        case.journal_notes.select_related("corrects"), pk=note_id, author_id=request.user.pk
    )
    if note.is_signed:
        if request.method == "POST":
            return render(
                request,
                "journal/signed.html",
                {"case": case, "note": note, "message": str(services.NoteIsSigned())},
                status=409,
            )
        return redirect("journal_note", case_id=case.pk, note_id=note.pk)
    return _note_page(request, case, note=note)


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def correct_note(request: HttpRequest, case: Case, note_id: int) -> HttpResponse:
    original = get_object_or_404(case.journal_notes.signed(), pk=note_id)
    return _note_page(request, case, corrects=original)


@case_view(change=True)
@require_POST
def autosave(request: HttpRequest, case: Case) -> HttpResponse:
    """Stores the author's draft as they type; answers with a small status fragment."""
    try:
        draft_id = _id(request.POST.get("draft"))
        corrects_id = _id(request.POST.get("corrects"))
    except ValueError:
        return HttpResponseBadRequest()
    form = NoteForm(request.POST)
    form.is_valid()
    if "title" in form.errors or "text" in form.errors:
        message = _("Utkastet kunde inte sparas: texten är för lång.")
        return render(request, "journal/_autosave_status.html", {"message": message})
    note = None
    if draft_id is not None:
        note = get_object_or_404(case.journal_notes, pk=draft_id, author_id=request.user.pk)
        if note.is_signed:
            message = str(services.NoteIsSigned())
            return render(
                request, "journal/_autosave_status.html", {"message": message}, status=409
            )
    title = (form.cleaned_data.get("title") or "").strip()
    text = form.cleaned_data.get("text") or ""
    if note is None and not title and not text.strip():
        return render(
            request, "journal/_autosave_status.html", {"message": _("Inget att spara än.")}
        )
    corrects = None
    if note is None and corrects_id is not None:
        corrects = get_object_or_404(case.journal_notes.signed(), pk=corrects_id)
    written_on = form.cleaned_data.get("written_on") or (
        note.written_on if note else timezone.localdate()
    )
    note = services.save_draft(
        request,
        case,
        request.user,
        note=note,
        title=title,
        written_on=written_on,
        text=text,
        corrects=corrects,
    )
    saved_at = timezone.localtime()
    message = _("Utkast sparat %(time)s") % {"time": saved_at.strftime("%H:%M")}
    return render(request, "journal/_autosave_status.html", {"message": message, "note": note})
