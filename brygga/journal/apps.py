from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "brygga.journal"
    verbose_name = "Journal"

    def ready(self) -> None:
        from brygga.cases.panels import register_case_panel
        from brygga.cases.timeline import register_timeline_source
        from brygga.journal import panel

        register_case_panel(panel.journal_panel)
        register_timeline_source(panel.journal_entries)
