from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "brygga.stats"
    verbose_name = "Statistics"
