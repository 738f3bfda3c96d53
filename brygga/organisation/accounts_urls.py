from django.urls import path

from brygga.organisation import accounts_views as views

urlpatterns = [
    path("konton/", views.user_list, name="account_list"),
    path("konton/ny/", views.user_new, name="account_new"),
    path("konton/<id:user_id>/", views.user_detail, name="account_detail"),
    path("konton/<id:user_id>/roller/", views.membership_add, name="account_membership_add"),
    path(
        "konton/<id:user_id>/roller/<id:membership_id>/ta-bort/",
        views.membership_remove,
        name="account_membership_remove",
    ),
    path("konton/<id:user_id>/aktiv/", views.user_set_active, name="account_set_active"),
    path(
        "konton/<id:user_id>/registreringskod/",
        views.enrolment_code_issued,
        name="account_enrolment_code",
    ),
    path("rollbegaranden/", views.role_request_queue, name="role_request_queue"),
    path(
        "rollbegaranden/<id:role_request_id>/beslut/",
        views.role_request_decide,
        name="role_request_decide",
    ),
    path(
        "konton/<id:user_id>/tvafaktor/",
        views.user_reset_second_factor,
        name="account_reset_second_factor",
    ),
]
