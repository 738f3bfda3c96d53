from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "brygga.retention"
    verbose_name = "Gallring"
