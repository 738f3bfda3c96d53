from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "brygga.organisation"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from brygga.organisation import oidc  # noqa: F401  (connects its login signal)
