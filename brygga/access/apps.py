from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "brygga.access"
    verbose_name = "Access"
