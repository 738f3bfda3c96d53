from django.urls import path

from brygga.people import views

urlpatterns = [
    path("arenden/<id:case_id>/person/", views.edit_person, name="edit_person"),
    path(
        "arenden/<id:case_id>/skyddade-uppgifter/",
        views.protected_details,
        name="protected_details",
    ),
    path(
        "arenden/<id:case_id>/skyddade-uppgifter/andra/",
        views.edit_protected_details,
        name="edit_protected_details",
    ),
    path(
        "arenden/<id:case_id>/skyddade-uppgifter/begar/",
        views.request_protected_access,
        name="request_protected_access",
    ),
    path("skyddade-uppgifter/begaranden/", views.access_requests, name="access_requests"),
    path(
        "skyddade-uppgifter/begaranden/<id:request_id>/",
        views.decide_access_request,
        name="decide_access_request",
    ),
    path(
        "skyddade-uppgifter/behorigheter/<id:grant_id>/aterkalla/",
        views.revoke_grant,
        name="revoke_grant",
    ),
]
