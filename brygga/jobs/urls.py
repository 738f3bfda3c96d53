from django.urls import path

from brygga.jobs import views

app_name = "jobs"

urlpatterns = [
    path("schemalagda-jobb/", views.job_runs, name="runs"),
]
