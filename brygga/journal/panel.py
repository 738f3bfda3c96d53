"""The journal's case-page panel and timeline source."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from brygga.access import policy
from brygga.cases.models import Case
from brygga.cases.panels import Panel
from brygga.cases.timeline import TimelineEntry
from brygga.journal.models import JournalNote

PANEL_NOTES = 5


def journal_panel(request: HttpRequest, case: Case) -> Panel:
    """The newest signed notes and the user's own drafts: three queries."""
    notes = list(
        JournalNote.objects.filter(case=case)
        .signed()
        .with_correction_flag()
        .select_related("author")
        .order_by("-written_on", "-pk")[:PANEL_NOTES]
    )
    drafts = list(
        JournalNote.objects.filter(case=case, author_id=request.user.pk, signed_at__isnull=True)
        .only("pk", "title", "written_on", "case_id")
        .order_by("-updated_at")
    )
    return Panel(
        template="journal/panel.html",
        order=30,
        context={
            "case": case,
            "notes": notes,
            "drafts": drafts,
            "may_change": policy.access_for(request, case).may_change,
        },
    )


def journal_entries(case: Case) -> list[TimelineEntry]:
    """Signed notes by title and date only: the text stays on the journal pages."""
    notes = (
        JournalNote.objects.filter(case=case)
        .signed()
        .values_list("pk", "written_on", "title", "corrects_id")
        .order_by("written_on", "pk")
    )
    return [
        TimelineEntry(
            on=written_on,
            kind="journal",
            title=(
                _("Rättelse: %(title)s") % {"title": title}
                if corrects_id and not title.startswith(_("Rättelse"))
                else _("Journalanteckning: %(title)s") % {"title": title}
            ),
            url=reverse("journal_note", args=[case.pk, pk]),
        )
        for pk, written_on, title, corrects_id in notes
    ]
