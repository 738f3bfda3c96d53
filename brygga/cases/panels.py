"""Sections of the case page contributed by other apps (the support plan, the journal …).

An app registers a function in its AppConfig.ready(); the case page calls each with the request
and the case (already access-checked and audited) and renders the returned panels in order.
Each provider must run a constant number of queries.
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


def register_case_panel(provider: PanelProvider) -> PanelProvider:
    if provider not in CASE_PANELS:
        CASE_PANELS.append(provider)
    return provider


def case_panels(request: HttpRequest, case: Case) -> list[Panel]:
    panels = [panel for provider in CASE_PANELS if (panel := provider(request, case))]
    return sorted(panels, key=lambda panel: panel.order)
