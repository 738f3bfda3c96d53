from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "brygga.housing"
    verbose_name = "Housing"

    def ready(self) -> None:
        from brygga.cases.panels import register_case_panel
        from brygga.housing import panels

        register_case_panel(panels.housing_panel)
