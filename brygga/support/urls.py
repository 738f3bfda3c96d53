from django.urls import path

from brygga.support import route_views, views

app_name = "support"
CASE = "arenden/<id:case_id>/stod/"

urlpatterns = [
    path(CASE + "bedomning/ny/", views.assessment_new, name="assessment_new"),
    path(CASE + "mal/nytt/", views.goal_new, name="goal_new"),
    path(CASE + "insatser/ny/", views.intervention_new, name="intervention_new"),
    path(
        CASE + "insatser/<id:intervention_id>/",
        views.intervention_edit,
        name="intervention_edit",
    ),
    path(
        CASE + "insatser/<id:intervention_id>/beslut/",
        views.intervention_decide,
        name="intervention_decide",
    ),
    path(CASE + "uppgifter/ny/", views.task_new, name="task_new"),
    path(CASE + "uppgifter/<id:task_id>/klar/", views.task_done, name="task_done"),
    path(CASE + "uppgifter/<id:task_id>/ta/", views.task_take, name="task_take"),
    path(
        CASE + "uppgifter/<id:task_id>/lamna-tillbaka/",
        views.task_hand_back,
        name="task_hand_back",
    ),
    path(
        CASE + "genomforande/ny/",
        views.implementation_note_new,
        name="implementation_note_new",
    ),
    path(CASE + "uppfoljningar/planera/", views.follow_ups_schedule, name="follow_ups_schedule"),
    path(CASE + "uppfoljningar/<id:follow_up_id>/", views.follow_up_edit, name="follow_up_edit"),
    path("stod/oversikt/", views.manager_overview, name="overview"),
    path("stod/insatskatalog/", views.catalogue, name="catalogue"),
    path("stod/insatskatalog/ny/", views.catalogue_edit, name="catalogue_new"),
    path("stod/insatskatalog/<id:type_id>/", views.catalogue_edit, name="catalogue_edit"),
    path("stod/rutiner/", route_views.route_list, name="routes"),
    path("stod/rutiner/ny/", route_views.route_edit, name="route_new"),
    path("stod/rutiner/<id:route_id>/", route_views.route_edit, name="route_edit"),
    path("stod/rutiner/<id:route_id>/ta-bort/", route_views.route_remove, name="route_remove"),
]
