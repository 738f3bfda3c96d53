from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "brygga.audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from brygga.audit import signals  # noqa: F401 - connects the login signals
