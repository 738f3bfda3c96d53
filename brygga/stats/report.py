"""The board report: every figure for one period and scope, protected as one publication.

`build_report` runs a fixed number of aggregate queries, puts every count table into ONE
`disclosure.Publication` (so tables of the same report cannot be played off against each
other), and writes the short Swedish texts from the published figures only.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brygga.cases.models import Case
from brygga.network import equality
from brygga.network import export as equality_export
from brygga.organisation.models import Administration, Unit
from brygga.stats import charts, figures, grouped, survival
from brygga.stats.disclosure import Cell, ProtectedTable, Publication, TableHandle, share
from brygga.stats.periods import Period


@dataclass
class Table:
    title: str
    row_heading: str
    handle: TableHandle

    @property
    def published(self) -> ProtectedTable:
        assert self.handle.result is not None, "protect() the publication first"
        return self.handle.result

    def as_rows(self) -> list[list[str]]:
        rows = self.published.as_rows(total_label=_("Totalt"))
        rows[0][0] = self.row_heading
        return rows


@dataclass
class FixedTable:
    """A table of strings already published elsewhere, exported like the report's own tables:
    the equal-access comparison (the city view's own publication, ADR 0072)."""

    title: str
    rows: list[list[str]]

    def as_rows(self) -> list[list[str]]:
        return self.rows


@dataclass
class HorizonRow:
    group: str
    at_start: str
    shares: list[str]


@dataclass
class SurvivalSection:
    endpoint: str
    title: str
    chart: str
    rows: list[HorizonRow]
    comparisons: list[str]
    not_drawn: list[str]


@dataclass
class Section:
    slug: str
    title: str
    texts: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart: str = ""
    extra_rows: list[list[str]] = field(default_factory=list)  # a small table of derived figures
    extra_heading: list[str] = field(default_factory=list)
    curves: SurvivalSection | None = None

    @property
    def chart_uri(self) -> str:
        """The chart as an image: its own styles stay inside it (the page's CSP allows data:)."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.chart.encode()).decode()


@dataclass
class Report:
    period: Period
    scope: str
    cut_off: datetime.date
    generated_on: datetime.date
    sections: list[Section]
    # The equal-access comparison (city scope, running period): heading row, then rows.
    equal_access: list[list[str]] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    @property
    def exported_tables(self) -> list[Table | FixedTable]:
        """Every table of the downloads (XLSX, CSV), in the report's order."""
        tables: list[Table | FixedTable] = list(self.tables)
        if self.equal_access:
            tables.append(FixedTable(_("Likställighet mellan stadsdelar"), self.equal_access))
        return tables

    @property
    def file_stem(self) -> str:
        return f"brygga-namndrapport-{self.period.slug}"


def _pct(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{number_format(round(100 * value), 0)} %"


def _places(administration: Administration | None) -> tuple[list[str], bool]:
    if administration is None:
        names = Administration.objects.filter(kind=Administration.Kind.DISTRICT).values_list(
            "name", flat=True
        )
        return [figures.place_label(n) for n in names.order_by("name")], False
    units = Unit.objects.filter(administration=administration).values_list("name", flat=True)
    return list(units.order_by("name")), True


def build_report(
    period: Period, administration: Administration | None, today: datetime.date
) -> Report:
    cases: QuerySet[Case] = Case.objects.all()
    if administration is not None:
        cases = cases.filter(owning_unit__administration=administration)
    places, by_unit = _places(administration)
    place_heading = _("Enhet") if by_unit else _("Stadsdel")
    cut = period.cut_off(today)
    pub = Publication()

    def add(measure: str, counts: figures.Counts, row: str, col: str, title: str, heading: str):
        handle = pub.add(
            measure,
            rows=(row, counts.rows[row]),
            columns=(col, counts.rows[col]),
            counts=counts.matrix(row, col),
        )
        return Table(title, heading, handle)

    phase = figures.cases_by_phase(cases, period, places, by_unit, today)
    new = figures.new_cases(cases, period, places, by_unit)
    interventions = figures.interventions(cases, period)
    gap_groups = grouped.gap_groups(cases, today)
    gaps = figures.responsibility_gaps(cases, today, gap_groups)
    # The equal-access comparison (whole city, running period) shares the follow-up pass.
    with_equal_access = administration is None and cut == today
    follow_up_groups = grouped.follow_up_groups(cases, period, today, by_unit, with_equal_access)
    follow = figures.follow_ups(cases, period, places, by_unit, today, follow_up_groups)
    needs = figures.needs_over_time(cases, period, today)
    decisions = figures.decision_periods(cases, period)
    referred = figures.referrals(cases, period, places, by_unit)
    curves = survival.all_observations(cases, cut)
    # Signals are today's (support.signals' rules, the cases in scope as a subquery): shown
    # only for a period that is still running.
    with_signals = cut == today
    warnings = figures.early_warnings(cases, today) if with_signals else None
    cohort = figures.Counts(rows={"place": places, "gender": figures.gender_labels()})
    for o in curves["relapse"]:
        cohort.add(
            "place",
            "gender",
            figures.place_label(o.district),
            figures.gender_label(o.gender),
            o.count,
        )

    t_phase_place = add("cases", phase, "place", "phase", _("Ärenden per fas"), place_heading)
    t_phase_gender = add("cases", phase, "gender", "phase", _("Ärenden per fas och kön"), _("Kön"))
    t_phase_age = add("cases", phase, "age", "phase", _("Ärenden per fas och ålder"), _("Ålder"))
    t_new_place = add("new", new, "place", "part", _("Nya ärenden"), place_heading)
    t_new_gender = add("new", new, "gender", "part", _("Nya ärenden per kön"), _("Kön"))
    t_int = None
    if interventions.rows.get("type"):
        t_int = add(
            "interventions", interventions, "type", "gender",
            _("Insatser per behovsområde, typ och kön"), _("Insats"),
        )  # fmt: skip
    t_gaps = add("gaps", gaps, "area", "age", _("Öppna ansvarsluckor"), _("Behovsområde"))
    t_follow = add("follow_ups", follow, "place", "status", _("Uppföljningar"), place_heading)
    t_needs = add("needs", needs, "area", "change", _("Behov över tid"), _("Behovsområde"))
    t_referred = add(
        "referrals", referred, "place", "outcome", _("Förmedlingar till civilsamhället"),
        place_heading,
    )  # fmt: skip
    decision_counts = figures.Counts(
        rows={
            "area": [d.area for d in decisions],
            "length": [_("kortare än rekommenderat"), _("minst rekommenderad längd")],
        }
    )
    for d in decisions:
        decision_counts.add(
            "area", "length", d.area, _("kortare än rekommenderat"), d.under_minimum
        )
        decision_counts.add(
            "area", "length", d.area, _("minst rekommenderad längd"), d.decisions - d.under_minimum
        )
    t_decisions = None
    if decisions:
        t_decisions = add(
            "decisions", decision_counts, "area", "length", _("Beslutsperioder"),
            _("Behovsområde"),
        )  # fmt: skip
    t_warnings = None
    if warnings is not None:
        t_warnings = add(
            "signals", warnings, "signal", "cases", _("Tidiga varningssignaler i dag"),
            _("Signal"),
        )  # fmt: skip
    t_cohort = add(
        "left", cohort, "place", "gender", _("Personer som lämnat skyddat boende"), place_heading
    )
    pub.protect()

    sections = [
        _overview(t_phase_place, t_phase_gender, t_phase_age, cut),
        _new_cases(t_new_place, t_new_gender, period),
    ]
    sections.append(_interventions(t_int))
    sections.append(_decisions(t_decisions, decisions))
    sections.append(_gaps(t_gaps, cut))
    sections.append(_follow_ups(t_follow))
    sections.append(_warnings(t_warnings))
    sections.append(_referrals(t_referred))
    sections.extend(_survival_sections(curves, by_unit, t_cohort))
    sections.append(_needs(t_needs))
    sections.append(_gender_analysis(t_new_gender, t_phase_gender, curves["relapse"]))
    equal_access = _equal_access(administration, with_signals, today, gap_groups, follow_up_groups)
    sections.append(equal_access)
    sections.append(_method())
    scope = administration.name if administration is not None else _("Hela staden")
    table = (
        [equal_access.extra_heading, *equal_access.extra_rows] if equal_access.extra_rows else []
    )
    return Report(period, scope, cut, today, sections, table)


# --- sections -----------------------------------------------------------------------------


def _overview(by_place: Table, by_gender: Table, by_age: Table, cut: datetime.date) -> Section:
    total = by_place.published.total
    texts = [
        _("Under perioden hade %(n)s ärenden stöd i Brygga. Fasen är den som gällde %(date)s.")
        % {"n": total.display, "date": cut.isoformat()}
    ]
    return Section("arenden", _("Ärenden och personer"), texts, [by_place, by_gender, by_age])


def _new_cases(by_place: Table, by_gender: Table, period: Period) -> Section:
    published = by_place.published
    chart = charts.bars(
        _("Nya ärenden per delperiod"),
        list(published.column_labels),
        list(published.column_totals),
        _("Antal nya ärenden"),
    )
    texts = [
        _("%(n)s nya ärenden öppnades under %(period)s.")
        % {"n": published.total.display, "period": period.label}
    ]
    return Section("nya", _("Nya ärenden"), texts, [by_place, by_gender], chart=chart)


def _interventions(table: Table | None) -> Section:
    if table is None:
        return Section("insatser", _("Insatser"), [_("Inga insatser under perioden.")])
    texts = [
        _(
            "Beviljade eller pågående insatser under perioden, per behovsområde och typ. En "
            "person kan ha flera insatser."
        )
    ]
    return Section("insatser", _("Insatser"), texts, [table])


def _decisions(table: Table | None, decisions: list[figures.DecisionPeriods]) -> Section:
    section = Section("beslut", _("Beslutsperioder"))
    if table is None:
        section.texts.append(_("Inga beslut med beslutsperiod under perioden."))
        return section
    published = table.published
    section.tables.append(table)
    section.extra_heading = [
        _("Behovsområde"),
        _("Median (månader)"),
        _("Andel kortare än rekommenderat"),
    ]
    for i, d in enumerate(decisions):
        total = published.row_totals[i]
        median = (
            number_format(d.median_months, 1)
            if total.published and d.median_months is not None
            else "–"
        )
        section.extra_rows.append([d.area, median, _pct(share(published.cells[i][0], total))])
    section.texts.append(
        _(
            "Rapporten följer upp om besluten ges för längre perioder: medianlängden och andelen "
            "beslut som är kortare än insatstypens rekommenderade minsta period."
        )
    )
    return section


def _gaps(table: Table, cut: datetime.date) -> Section:
    texts = [
        _(
            "Ett behov (nivå 1–3) som ingen bär: ingen beviljad eller pågående insats och ingen "
            "öppen uppgift med ansvarig. Räknat %(date)s, efter hur länge luckan har stått öppen."
        )
        % {"date": cut.isoformat()},
        _("%(n)s luckor var öppna.") % {"n": table.published.total.display},
    ]
    return Section("luckor", _("Ansvarsluckor"), texts, [table])


def _follow_ups(table: Table) -> Section:
    published = table.published
    on_time = share(published.column_totals[0], published.total)
    texts = [
        _(
            "Uppföljningar planerade under perioden. I tid betyder högst 14 dagar efter planerat "
            "datum. Andel i tid: %(share)s."
        )
        % {"share": _pct(on_time)}
    ]
    return Section("uppfoljningar", _("Uppföljningar i tid"), texts, [table])


def _warnings(table: Table | None) -> Section:
    section = Section("signaler", _("Tidiga varningssignaler"))
    if table is None:
        section.texts.append(_("Signalerna gäller i dag och visas bara för en period som pågår."))
        return section
    section.texts.append(
        _(
            "Öppna ärenden med varje slags signal om risk för återfall, räknat i dag med samma "
            "regler som socialsekreterarnas listor. Ett ärende kan ha flera signaler."
        )
    )
    section.tables.append(table)
    return section


def _referrals(table: Table) -> Section:
    published = table.published
    texts = [
        _(
            "Förmedlingar till organisationer i civilsamhället som skickades under perioden, "
            "efter var de står i dag. En person kan förmedlas till flera organisationer."
        ),
        _("%(n)s förmedlingar skickades.") % {"n": published.total.display},
    ]
    return Section("civilsamhalle", _("Förmedlingar till civilsamhället"), texts, [table])


ENDPOINT_TITLES = {
    "relapse": (
        gettext_noop("Återfall efter skyddat boende"),
        gettext_noop("Andel som återfallit"),
        gettext_noop("Återfall: återvänt till familjen eller ny vistelse i skyddat boende."),
    ),
    "own_lease": (
        gettext_noop("Tid till eget hyreskontrakt"),
        gettext_noop("Andel med eget kontrakt"),
        gettext_noop("Händelse: eget hyreskontrakt."),
    ),
    "occupation": (
        gettext_noop("Tid till sysselsättning"),
        gettext_noop("Andel i arbete eller studier"),
        gettext_noop("Händelse: börjat arbeta eller studera."),
    ),
}


def _survival_sections(
    curves: dict[str, list[survival.Observation]], by_unit: bool, cohort: Table
) -> list[Section]:
    """One section per endpoint. The persons at each curve's start are shown as the protected
    cohort table publishes them, so the groups not drawn cannot be worked out by subtraction."""
    published = cohort.published
    sizes = {_("Alla"): published.total}
    sizes.update(zip(published.row_labels, published.row_totals, strict=True))
    sizes.update(zip(published.column_labels, published.column_totals, strict=True))
    sections = []
    for endpoint, observations in curves.items():
        title, y_label, definition = (_(s) for s in ENDPOINT_TITLES[endpoint])
        all_curve = survival.kaplan_meier(observations, _("Alla"))
        by_gender = survival.by(observations, "gender")
        gender_groups: dict[str, list[survival.Observation]] = {}
        for key, group_rows in by_gender.items():
            gender_groups.setdefault(figures.gender_label(key), []).extend(group_rows)
        place_groups = {
            figures.place_label(k): v for k, v in survival.by(observations, "district").items()
        }
        drawn: list[survival.Curve] = []
        rows: list[HorizonRow] = []
        not_drawn: list[str] = []
        comparisons: list[str] = []
        if all_curve is not None:
            drawn.append(all_curve)
            rows.append(_horizon_row(all_curve))
        for label, groups in ((_("kön"), gender_groups), (_("stadsdel"), place_groups)):
            if by_unit and groups is place_groups:
                continue
            for name, group in sorted(groups.items()):
                curve = survival.kaplan_meier(group, name)
                if curve is None:
                    not_drawn.append(name)
                    continue
                rows.append(_horizon_row(curve))
                if groups is gender_groups:
                    drawn.append(curve)
            result = survival.compare(groups)
            if result is not None:
                comparisons.append(_("Efter %(by)s: ") % {"by": label} + result.in_words)
        for row in rows:
            row.at_start = sizes[row.group].display if row.group in sizes else "x"
        legends = [sizes[c.label].display if c.label in sizes else "x" for c in drawn]
        chart = charts.survival(title, drawn, legends, y_label, _("Månader efter skyddat boende"))
        section = Section(
            f"km-{endpoint}",
            title,
            [definition, _KM_TEXT()],
            [cohort] if endpoint == "relapse" else [],
            chart=chart,
        )
        section.curves = SurvivalSection(endpoint, title, chart, rows, comparisons, not_drawn)
        sections.append(section)
    return sections


def _KM_TEXT() -> str:  # noqa: N802 - a text constant that must be translated at call time
    return _(
        "Kaplan–Meier-kurva med 95 % konfidensintervall. Personer som fortfarande följs, har "
        "flyttat eller som vi tappat kontakten med räknas fram till dess (censurerade)."
    )


def _horizon_row(curve: survival.Curve) -> HorizonRow:
    shares = []
    for h in curve.horizons:
        if h.share is None:
            shares.append("–")
        else:
            shares.append(f"{_pct(h.share)} ({_pct(h.lower)}–{_pct(h.upper)})")
    return HorizonRow(curve.label, str(curve.at_start), shares)


def _needs(table: Table) -> Section:
    published = table.published
    texts = [
        _(
            "Nivå vid första bedömningen jämförd med nivån vid 12-månadersuppföljningen, för "
            "boende, sysselsättning och socialt nätverk."
        )
    ]
    section = Section("behov", _("Behov över tid"), texts, [table])
    section.extra_heading = [_("Behovsområde"), _("Andel förbättrade")]
    for i, label in enumerate(published.row_labels):
        section.extra_rows.append(
            [label, _pct(share(published.cells[i][0], published.row_totals[i]))]
        )
    return section


def _gender_analysis(
    new_by_gender: Table, phase_by_gender: Table, relapse: list[survival.Observation]
) -> Section:
    texts = []
    new = new_by_gender.published
    for i, label in enumerate(new.row_labels):
        portion = share(new.row_totals[i], new.total)
        texts.append(
            _("%(group)s: %(n)s nya ärenden (%(share)s).")
            % {"group": label, "n": new.row_totals[i].display, "share": _pct(portion)}
        )
    grouped: dict[str, list[survival.Observation]] = {}
    for key, rows in survival.by(relapse, "gender").items():
        grouped.setdefault(figures.gender_label(key), []).extend(rows)
    for label, rows in sorted(grouped.items()):
        curve = survival.kaplan_meier(rows, label)
        if curve is None:
            texts.append(_("%(group)s: för få personer för en återfallskurva.") % {"group": label})
            continue
        twelve = next(h for h in curve.horizons if h.months == 12)
        texts.append(
            _("%(group)s: %(share)s hade återfallit inom 12 månader.")
            % {"group": label, "share": _pct(twelve.share)}
        )
    comparison = survival.compare(grouped)
    if comparison is not None:
        texts.append(comparison.in_words)
    texts.append(
        _(
            "Pojkar och män utsätts också för hedersrelaterat våld; de är få i siffrorna, så "
            "många celler döljs."
        )
    )
    return Section("jamstalldhet", _("Jämställdhetsanalys"), texts, [phase_by_gender])


def _equal_access(
    administration: Administration | None,
    running: bool,
    today: datetime.date,
    gap_groups: list[grouped.GapGroup],
    follow_up_groups: list[grouped.FollowUpGroup],
) -> Section:
    """The city view's comparison of districts (brygga.network.equality), as it stands today.

    The figures are the city view's own, protected by its own publication, so the report and
    the city view publish the same cells and the same "<5" and "x": two publications of one
    table with different suppression could be played off against each other. The raw counts
    are the city view's (`equality.district_facts`) from the report's grouped queries
    (`grouped.district_facts`, the gaps shared with the board's gap table).
    """
    section = Section("likstallighet", _("Likställighet mellan stadsdelar"))
    if administration is not None:
        section.texts.append(
            _(
                "Jämförelsen mellan stadsdelar gäller hela staden och finns i rapporten för hela "
                "staden."
            )
        )
        return section
    if not running:
        section.texts.append(
            _("Jämförelsen gäller läget i dag och visas bara för en period som pågår.")
        )
        return section
    facts = grouped.district_facts(today, gap_groups, follow_up_groups)
    table = _equal_access_rows(equality.city_view(facts))
    section.texts.append(
        _(
            "Stadsdelarna sida vid sida, räknat i dag för öppna ärenden: samma siffror som i "
            "stadsvyn. Stadens median står sist; andelar visas bara när både täljare och nämnare "
            "visas."
        )
    )
    section.extra_heading, section.extra_rows = table[0], table[1:]
    return section


# Figures that are not counts of persons: written with one decimal, as the report's other
# medians, so that a bare whole number in the report is always a (protected) count.
_NOT_COUNTS = ("flats_per_1000", "median_wait")


def _equal_access_rows(view: equality.CityView) -> list[list[str]]:
    """The city view's table without its raw flat counts (flats, not persons; the rate per
    1 000 cases stays), rates and medians with one decimal."""

    def shown(figure: equality.Figure, decimal: bool) -> str:
        if decimal and figure.value is not None:
            return number_format(figure.value, 1)
        return figure.display

    heading = equality_export.headers(view)
    heading = heading[:2] + heading[3:]
    rows = [
        [
            r.name,
            r.open_cases.display,
            *[shown(r.figures[c], c in _NOT_COUNTS) for c in equality.COLUMNS],
            *[shown(r.periods[t], True) for t in view.period_types],
        ]
        for r in view.rows
    ]
    median = [
        _("Stadens median"),
        "",
        *[shown(view.medians[c], c in _NOT_COUNTS) for c in equality.COLUMNS],
        *[shown(view.period_medians[t], True) for t in view.period_types],
    ]
    return [heading, *rows, median]


def _method() -> Section:
    texts = [
        _(
            "Definitioner: återfall är att personen återvänt till familjen eller fått en ny "
            "vistelse i skyddat boende. Tiden räknas från första utflyttningen ur skyddat boende."
        ),
        _(
            "Censurering: den som fortfarande följs räknas till rapportens slutdatum; den som "
            "flyttat, tappat kontakten eller vars ärende avslutats räknas till den dagen. Deras "
            "tid ingår, men inte deras okända utfall."
        ),
        _(
            "Kurvor ritas bara för grupper med minst 10 personer i början och slutar där färre "
            "än 5 är kvar att följa. Skillnader mellan grupper prövas med log-rank-test."
        ),
        _(
            "Röjandekontroll: antal under 5 visas som <5. Ett x betyder att ett antal döljs för "
            "att ett dolt antal inte ska kunna räknas fram ur summor, andra tabeller eller andra "
            "perioder. Andelar visas bara när både täljare och nämnare visas."
        ),
        _(
            "Perioder är kalenderår och kvartal; ett år redovisas med sina kvartal i samma "
            "skyddade tabell. All data i demoläget är fiktiv."
        ),
    ]
    return Section("metod", _("Metod"), texts)


def published_cells(report: Report) -> list[Cell]:
    return [c for t in report.tables for c in t.published.all_cells()]
