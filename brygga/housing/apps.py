from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "brygga.housing"
    verbose_name = "Housing"

    def ready(self) -> None:
        from brygga.cases.panels import register_case_panel
        from brygga.housing import panels, signals
        from brygga.support.signals import register_signal_source

        register_case_panel(panels.housing_panel)
        register_signal_source(signals.housing_wait_signals, never_severe=True)
