from django.urls import path

from brygga.audit import views

urlpatterns = [
    path("loggkontroll/", views.log_review, name="log_review"),
    path("loggkontroll/export.csv", views.log_review_export, name="log_review_export"),
    path("arenden/<id:case_id>/loggutdrag.pdf", views.case_log_extract, name="case_log_extract"),
    path("arenden/<id:case_id>/historik/", views.case_change_history, name="case_change_history"),
]
