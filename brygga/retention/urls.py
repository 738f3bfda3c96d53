from django.urls import path

from brygga.retention import views

app_name = "retention"
CASE = "arenden/<id:case_id>/bevarandebeslut/"

urlpatterns = [
    path(CASE, views.legal_holds, name="legal_holds"),
    path(CASE + "<id:legal_hold_id>/upphav/", views.lift_legal_hold, name="lift_legal_hold"),
]
