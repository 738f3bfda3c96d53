from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "brygga.organisation"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from brygga.organisation import lockout, oidc  # noqa: F401  (connect their login signals)
