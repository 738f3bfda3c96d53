"""The case timeline: one chronological view fed by every app that keeps dated case events.

Apps register a source in AppConfig.ready(); a source returns TimelineEntry objects for a case
in a constant number of queries. The timeline page merges and sorts them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from brygga.cases.models import Case


@dataclass(frozen=True)
class TimelineEntry:
    on: datetime.date
    kind: str  # a short machine name: "phase", "stay", "decision", "assessment", "journal" …
    title: str  # already translated, shown as the entry's heading
    detail: str = ""  # never a protected field
    is_relapse: bool = False
    url: str = ""


TimelineSource = Callable[[Case], list[TimelineEntry]]
TIMELINE_SOURCES: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    if source not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(source)
    return source


def case_timeline(case: Case) -> list[TimelineEntry]:
    entries = [entry for source in TIMELINE_SOURCES for entry in source(case)]
    return sorted(entries, key=lambda entry: entry.on, reverse=True)
