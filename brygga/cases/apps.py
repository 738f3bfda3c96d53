from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "brygga.cases"
    verbose_name = "Cases"
