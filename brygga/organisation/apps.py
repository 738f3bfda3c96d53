from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "brygga.organisation"
    verbose_name = "Organisation"
