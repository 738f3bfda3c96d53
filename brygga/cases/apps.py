from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "brygga.cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from brygga.cases import history_panel
        from brygga.cases.panels import register_case_panel
        from brygga.cases.timeline import register_timeline_source

        register_case_panel(history_panel.history_panel)
        for source in (
            history_panel.phase_entries,
            history_panel.stay_entries,
            history_panel.risk_entries,
            history_panel.outcome_entries,
        ):
            register_timeline_source(source)
