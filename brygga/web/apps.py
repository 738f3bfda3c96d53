from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "brygga.web"
    verbose_name = "Web"
