"""The manager's list of the unit's cases: filtered, sorted and paginated in SQL.

Every filter is a subquery on the visible cases, so a unit with thousands of cases costs the
same few queries as a unit with ten; the page shows one page of rows and the counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import Case as When_
from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from brygga.cases.models import Case, CaseTeamMember, Phase, TeamRole
from brygga.support.models import FollowUp
from brygga.support.queries import cases_with_gaps, ending_decisions, gaps_by_case

CASES_PER_PAGE = 25
PHASE_ORDER = [phase.value for phase in Phase]  # the lifecycle, not the alphabet


class Signal:
    OVERDUE_FOLLOW_UP = "forsenad-uppfoljning"
    ENDING_DECISION = "beslut-slutar"
    NO_RISK_ASSESSMENT = "ingen-riskbedomning"


SIGNAL_CHOICES = [
    ("", _("Alla")),
    (Signal.OVERDUE_FOLLOW_UP, _("Försenad uppföljning")),
    (Signal.ENDING_DECISION, _("Beslut som slutar inom 30 dagar")),
    (Signal.NO_RISK_ASSESSMENT, _("Ingen riskbedömning")),
]
SORT_CHOICES = [
    ("namn", _("Namn")),
    ("fas", _("Fas")),
    ("oppnat", _("Senast öppnade först")),
]


class CaseFilterForm(forms.Form):
    """The filters of the manager's case list, read from the query string."""

    enhet = forms.TypedChoiceField(label=_("Enhet"), required=False, coerce=int, empty_value=None)
    fas = forms.ChoiceField(label=_("Fas"), required=False)
    handlaggare = forms.TypedChoiceField(
        label=_("Ansvarig socialsekreterare"), required=False, coerce=int, empty_value=None
    )
    signal = forms.ChoiceField(label=_("Signal"), required=False, choices=SIGNAL_CHOICES)
    glapp = forms.BooleanField(label=_("Bara ärenden med ansvarsglapp"), required=False)
    sortera = forms.ChoiceField(label=_("Sortera"), required=False, choices=SORT_CHOICES)

    def __init__(
        self,
        *args: Any,
        workers: list[tuple[int, str]],
        units: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enhet"].choices = [("", _("Alla enheter")), *units]  # type: ignore[attr-defined]
        if len(units) < 2:
            self.fields["enhet"].widget = forms.HiddenInput()
        self.fields["fas"].choices = [("", _("Alla faser")), *Phase.choices]  # type: ignore[attr-defined]
        self.fields["handlaggare"].choices = [("", _("Alla")), *workers]  # type: ignore[attr-defined]
        for name, message in (
            ("enhet", _("Välj en enhet i listan.")),
            ("fas", _("Välj en fas i listan.")),
            ("handlaggare", _("Välj en socialsekreterare i listan.")),
            ("signal", _("Välj en signal i listan.")),
            ("sortera", _("Välj en sortering i listan.")),
        ):
            self.fields[name].error_messages["invalid_choice"] = message


def _responsible(case_id: Any, field: str) -> Subquery:
    return Subquery(
        CaseTeamMember.objects.filter(case=case_id, role=TeamRole.RESPONSIBLE)
        .order_by("pk")
        .values(field)[:1]
    )


def filter_cases(
    cases: QuerySet[Case], filters: dict[str, Any], today: datetime.date
) -> QuerySet[Case]:
    if filters.get("enhet"):
        cases = cases.filter(owning_unit_id=filters["enhet"])
    if filters.get("fas"):
        cases = cases.filter(phase=filters["fas"])
    if filters.get("handlaggare"):
        cases = cases.filter(
            Exists(
                CaseTeamMember.objects.filter(
                    case=OuterRef("pk"), role=TeamRole.RESPONSIBLE, user_id=filters["handlaggare"]
                )
            )
        )
    if filters.get("glapp"):
        cases = cases.filter(cases_with_gaps(cases, today))
    signal = filters.get("signal")
    if signal == Signal.OVERDUE_FOLLOW_UP:
        cases = cases.exclude(phase=Phase.CLOSED).filter(
            Exists(
                FollowUp.objects.filter(
                    case=OuterRef("pk"), held_on__isnull=True, planned_on__lt=today
                )
            )
        )
    elif signal == Signal.ENDING_DECISION:
        cases = cases.filter(pk__in=ending_decisions(cases, today).values("case_id"))
    elif signal == Signal.NO_RISK_ASSESSMENT:
        risk = apps.get_model("cases", "RiskAssessment")
        cases = cases.exclude(phase=Phase.CLOSED).exclude(
            Exists(risk.objects.filter(case=OuterRef("pk")))
        )
    return cases


def sort_cases(cases: QuerySet[Case], order: str) -> QuerySet[Case]:
    if order == "fas":
        lifecycle = When_(
            *[When(phase=p, then=Value(i)) for i, p in enumerate(PHASE_ORDER)],
            output_field=IntegerField(),
        )
        return cases.annotate(phase_rank=lifecycle).order_by(
            "phase_rank", "person__last_name", "pk"
        )
    if order == "oppnat":
        return cases.order_by("-opened_on", "-pk")
    return cases.order_by("person__last_name", "person__first_name", "pk")


@dataclass
class CaseList:
    form: CaseFilterForm
    page: Page
    total: int
    gap_case_ids: set[int]
    query: str  # the current filters, for the pagination links


def case_list(
    cases: QuerySet[Case],
    params: Any,
    workers: list[tuple[int, str]],
    units: list[tuple[int, str]],
    today: datetime.date,
) -> CaseList:
    """One page of the unit's cases: count, page, gap flags (four queries)."""
    form = CaseFilterForm(params, workers=workers, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = sort_cases(filter_cases(cases, filters, today), filters.get("sortera") or "namn")
    rows = rows.select_related("person", "owning_unit").annotate(
        responsible_first=_responsible(OuterRef("pk"), "user__first_name"),
        responsible_last=_responsible(OuterRef("pk"), "user__last_name"),
    )
    page = Paginator(rows, CASES_PER_PAGE).get_page(params.get("sida"))
    ids = [case.pk for case in page.object_list]
    gap_ids = set(gaps_by_case(cases.filter(pk__in=ids), today)) if ids else set()
    query = params.copy()
    query.pop("sida", None)
    return CaseList(form, page, page.paginator.count, gap_ids, query.urlencode())
