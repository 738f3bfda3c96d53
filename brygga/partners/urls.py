from django.urls import path

from brygga.partners import views

app_name = "partners"
CASE = "arenden/<id:case_id>/"
PORTAL = "partner/formedlingar/<id:referral_id>/"

urlpatterns = [
    path("organisationer/", views.directory, name="directory"),
    path("organisationer/ny/", views.organisation_edit, name="organisation_new"),
    path("organisationer/statistik/", views.statistics, name="statistics"),
    path("organisationer/hsds/", views.hsds_page, name="hsds"),
    path(
        "organisationer/hsds/export.json",
        views.hsds_export,
        {"fmt": "json"},
        name="hsds_export_json",
    ),
    path(
        "organisationer/hsds/export.zip", views.hsds_export, {"fmt": "zip"}, name="hsds_export_zip"
    ),
    path("organisationer/<id:organisation_id>/", views.organisation_detail, name="organisation"),
    path(
        "organisationer/<id:organisation_id>/andra/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path(CASE + "samtycken/nytt/", views.consent_new, name="consent_new"),
    path(
        CASE + "samtycken/<id:consent_id>/aterkalla/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(CASE + "formedlingar/ny/", views.referral_new, name="referral_new"),
    path(CASE + "formedlingar/<id:referral_id>/", views.referral_detail, name="referral"),
    path(CASE + "kontaktperson/ny/", views.assignment_new, name="assignment_new"),
    path(
        CASE + "kontaktperson/<id:contact_assignment_id>/avsluta/",
        views.assignment_end,
        name="assignment_end",
    ),
    path(
        CASE + "kontaktperson/<id:contact_assignment_id>/uppfoljning/",
        views.assignment_follow_up,
        name="assignment_follow_up",
    ),
    path("partner/", views.portal, name="portal"),
    path(PORTAL, views.portal_referral, name="portal_referral"),
    path(PORTAL + "status/", views.portal_status, name="portal_status"),
    path(PORTAL + "aterkoppling/", views.portal_feedback, name="portal_feedback"),
    path("kontaktpersoner/", views.contact_persons, name="contact_persons"),
    path("kontaktpersoner/ny/", views.contact_person_edit, name="contact_person_new"),
    path(
        "kontaktpersoner/<id:contact_person_id>/",
        views.contact_person_edit,
        name="contact_person_edit",
    ),
]
