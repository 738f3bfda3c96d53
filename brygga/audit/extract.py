"""A person's log extract (registerutdrag över loggar): who accessed their data, and when.

The PDF is handed to the person. It names the person and the case but holds no protected
field (address, phone, whereabouts, workplace) and no identity number, no IP addresses and no
free-text reasons (those may describe the case). Staff are shown by role and unit unless
settings.AUDIT_EXTRACT_SHOW_STAFF_NAMES is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from brygga.audit.models import Action, AuditEvent, PersonShown
from brygga.audit.review import describe_roles
from brygga.organisation.models import User


@dataclass(frozen=True)
class ExtractRow:
    at: Any
    action: str
    who: str


def _appearance(event: AuditEvent) -> str:
    """What an event that showed the person among others was, in the person's words."""
    if "log_review" in (event.detail or {}):
        return _("Visades i loggkontrollen")
    if event.action == Action.SEARCH:
        return _("Visades bland sökträffar")
    if event.action == Action.EXPORT:
        return _("Fanns med i en export")
    return _("Visades i en lista")


def rows_for_person(person_id: int) -> list[ExtractRow]:
    """Every event about the person, and every list, search or review that showed them among
    others, oldest first (three queries, four with staff names; each by an index)."""
    about = AuditEvent.objects.filter(person_id=person_id)
    shown_in = AuditEvent.objects.filter(
        pk__in=PersonShown.objects.filter(person_id=person_id).values("event_id")
    ).exclude(person_id=person_id)
    events = sorted([*about, *shown_in], key=lambda e: (e.at, e.pk))
    roles = describe_roles(events)
    names: dict[int, str] = {}
    if settings.AUDIT_EXTRACT_SHOW_STAFF_NAMES:
        users = User.objects.filter(pk__in={e.user_id for e in events if e.user_id})
        names = {user.pk: user.get_full_name() or user.username for user in users}
    rows = []
    for event in events:
        who = roles.get(event.roles) or "–"
        if event.user_id in names:
            who = f"{names[event.user_id]} ({who})"
        action = event.get_action_display() if event.person_id == person_id else _appearance(event)
        rows.append(ExtractRow(event.at, action, who))
    return rows


def context(case: Any) -> dict[str, Any]:
    person = case.person
    return {
        "case": case,
        "person_name": person.full_name,
        "birth_year": person.birth_year,
        "rows": rows_for_person(person.pk),
        "generated_at": timezone.localtime(),
        "show_names": settings.AUDIT_EXTRACT_SHOW_STAFF_NAMES,
    }


def to_pdf(html: str) -> bytes:
    # The document needs nothing from outside: fetch no URL at all.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
