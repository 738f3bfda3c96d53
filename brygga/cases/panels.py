"""Sections of the case page contributed by other apps (the support plan, the journal …).

An app registers a function in its AppConfig.ready(); the case page calls each with the request
and the case (already access-checked and audited) and renders the returned panels in order.
Each provider must run a constant number of queries. For those who act in part on a case
(housing support, contact-person coordinators) only providers registered with part=True are
called, and they must show only that user's part (`policy.access_for(request, case)`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from brygga.cases.models import Case


@dataclass
class Panel:
    template: str
    order: int = 100
    context: dict[str, Any] = field(default_factory=dict)


PanelProvider = Callable[[HttpRequest, Case], Panel | None]
CASE_PANELS: list[PanelProvider] = []
PART_PANELS: set[PanelProvider] = set()


def register_case_panel(provider: PanelProvider, *, part: bool = False) -> PanelProvider:
    if provider not in CASE_PANELS:
        CASE_PANELS.append(provider)
    if part:
        PART_PANELS.add(provider)
    return provider


def case_panels(request: HttpRequest, case: Case, *, in_part: bool = False) -> list[Panel]:
    providers = [p for p in CASE_PANELS if p in PART_PANELS] if in_part else CASE_PANELS
    panels = [panel for provider in providers if (panel := provider(request, case))]
    return sorted(panels, key=lambda panel: panel.order)
