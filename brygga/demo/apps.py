from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "brygga.demo"
    verbose_name = "Demo data"
