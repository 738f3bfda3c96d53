from django.urls import path

from brygga.organisation import oidc

# The names are the ones mozilla-django-oidc reverses.
urlpatterns = [
    path("logga-in/oidc/", oidc.oidc_login, name="oidc_authentication_init"),
    path("logga-in/oidc/svar/", oidc.oidc_callback, name="oidc_authentication_callback"),
]
