from django.urls import path

from brygga.access import views

urlpatterns = [
    path("nodatkomst/", views.emergency_access, name="emergency_access"),
    path("nodatkomst/granskning/", views.emergency_review, name="emergency_review"),
    path(
        "nodatkomst/granskning/<id:access_id>/",
        views.acknowledge_emergency_access,
        name="acknowledge_emergency_access",
    ),
]
