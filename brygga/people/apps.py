from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "brygga.people"
    verbose_name = "People"
