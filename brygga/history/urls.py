from django.urls import path

from brygga.history import views

urlpatterns = [
    path("arenden/<id:case_id>/fas/", views.change_phase, name="case_change_phase"),
    path("arenden/<id:case_id>/skyddat-boende/ny/", views.add_stay, name="case_add_stay"),
    path(
        "arenden/<id:case_id>/skyddat-boende/<id:stay_id>/",
        views.edit_stay,
        name="case_edit_stay",
    ),
    path(
        "arenden/<id:case_id>/riskbedomningar/",
        views.risk_assessments,
        name="case_risk_assessments",
    ),
    path(
        "arenden/<id:case_id>/riskbedomningar/ny/",
        views.add_risk_assessment,
        name="case_add_risk_assessment",
    ),
    path("arenden/<id:case_id>/utfall/ny/", views.add_outcome, name="case_add_outcome"),
    path("arenden/<id:case_id>/tidslinje/", views.timeline, name="case_timeline"),
]
