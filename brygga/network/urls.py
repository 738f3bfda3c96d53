from django.urls import path

from brygga.network import views

app_name = "network"

urlpatterns = [
    path("natverk/likstallighet/", views.city_view, name="city"),
    path("natverk/likstallighet.csv", views.city_csv, name="city_csv"),
    path("natverk/likstallighet.xlsx", views.city_xlsx, name="city_xlsx"),
    path("natverk/uppdrag/", views.assignments, name="assignments"),
    path("natverk/uppdrag/nytt/", views.assignment_edit, name="assignment_new"),
    path("natverk/uppdrag/<id:assignment_id>/", views.assignment_edit, name="assignment_edit"),
    path("natverk/uppdrag/<id:assignment_id>/anteckning/", views.note_new, name="note_new"),
]
