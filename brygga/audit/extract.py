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
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from brygga.audit.models import AuditEvent
from brygga.audit.review import describe_roles
from brygga.organisation.models import User


@dataclass(frozen=True)
class ExtractRow:
    at: Any
    action: str
    who: str


def rows_for_person(person_id: int) -> list[ExtractRow]:
    """Every event about the person, oldest first (two queries, three with staff names)."""
    events = list(AuditEvent.objects.filter(person_id=person_id).order_by("at", "pk"))
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
        rows.append(ExtractRow(event.at, event.get_action_display(), who))
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
