from django.apps import AppConfig


class NetworkConfig(AppConfig):
    """The city's view across districts (likställighet) and its budget assignments."""

    name = "brygga.network"
    verbose_name = "Network"
