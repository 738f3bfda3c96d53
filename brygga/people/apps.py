from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "brygga.people"
    verbose_name = "People"

    def ready(self) -> None:
        from brygga.cases.panels import register_case_panel
        from brygga.people.panels import protected_details_panel

        # Masked unless granted; housing support needs the address for home visits, with a grant.
        register_case_panel(protected_details_panel, part=True)
