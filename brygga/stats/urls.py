from django.urls import path

from brygga.stats import views

app_name = "stats"

urlpatterns = [
    path("statistik/", views.report_page, name="report"),
    path("statistik/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("statistik/rapport.xlsx", views.report_xlsx, name="report_xlsx"),
    path("statistik/rapport.csv", views.report_csv, name="report_csv"),
]
