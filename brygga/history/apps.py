from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """The case history: phases, protected-housing stays, risk assessments, outcomes and the
    timeline. Its models stay in `brygga.cases` (their tables and migrations belong there);
    this app holds the pages, forms, services and the case-page panel."""

    name = "brygga.history"
    verbose_name = "Case history"

    def ready(self) -> None:
        from brygga.cases.panels import register_case_panel
        from brygga.cases.timeline import register_timeline_source
        from brygga.history import panels

        register_case_panel(panels.history_panel)
        for source in (
            panels.phase_entries,
            panels.stay_entries,
            panels.risk_entries,
            panels.outcome_entries,
        ):
            register_timeline_source(source)
