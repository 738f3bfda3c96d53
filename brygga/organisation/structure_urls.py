from django.urls import path

from brygga.organisation import structure_views as views

app_name = "organisation"

urlpatterns = [
    path("organisation/", views.structure, name="structure"),
    path("organisation/forvaltningar/ny/", views.administration_edit, name="administration_new"),
    path(
        "organisation/forvaltningar/<id:administration_id>/",
        views.administration_edit,
        name="administration_edit",
    ),
    path(
        "organisation/forvaltningar/<id:administration_id>/aktiv/",
        views.administration_set_active,
        name="administration_set_active",
    ),
    path("organisation/enheter/ny/", views.unit_new, name="unit_new"),
    path("organisation/enheter/<id:unit_id>/", views.unit_edit, name="unit_edit"),
    path("organisation/enheter/<id:unit_id>/aktiv/", views.unit_set_active, name="unit_set_active"),
    path("organisation/enheter/<id:unit_id>/team/nytt/", views.team_new, name="team_new"),
    path(
        "organisation/enheter/<id:unit_id>/personal/<id:membership_id>/team/",
        views.membership_team,
        name="membership_team",
    ),
    path("organisation/team/<id:team_id>/", views.team_edit, name="team_edit"),
    path("organisation/team/<id:team_id>/aktiv/", views.team_set_active, name="team_set_active"),
]
