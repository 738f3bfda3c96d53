from django.urls import include, path

from brygga.cases import views as cases
from brygga.lib import converters
from brygga.organisation import views as organisation
from brygga.web import views as web

# Before the includes below: their patterns use the bounded `<id:…>` converter.
converters.register()

urlpatterns = [
    path("", web.start, name="start"),
    path("health/", web.health, name="health"),
    path("sprak/", web.set_language, name="set_language"),
    path("logga-in/", organisation.login_view, name="login"),
    path("logga-in/kod/", organisation.second_factor, name="second_factor"),
    path("logga-in/registreringskod/", organisation.enrolment_code, name="enrolment_code"),
    path("logga-in/aktivera/", organisation.enrol_second_factor, name="enrol_second_factor"),
    path("logga-ut/", organisation.logout_view, name="logout"),
    path("sok/", cases.search, name="search"),
    path("arenden/nytt/", cases.open_case, name="open_case"),
    path("arenden/nummertraffar/", cases.identity_matches, name="identity_matches"),
    path(
        "arenden/nummertraffar/<id:match_id>/hanterad/",
        cases.acknowledge_identity_match,
        name="acknowledge_identity_match",
    ),
    path("arenden/<id:case_id>/", cases.case_detail, name="case_detail"),
    path("arenden/<id:case_id>/team/", cases.case_team, name="case_team"),
    path("", include("brygga.people.urls")),
    path("", include("brygga.support.urls")),
    path("", include("brygga.housing.urls")),
    path("", include("brygga.network.urls")),
    path("", include("brygga.access.urls")),
    path("", include("brygga.organisation.accounts_urls")),
    path("", include("brygga.organisation.structure_urls")),
    path("", include("brygga.organisation.oidc_urls")),
    path("", include("brygga.history.urls")),
    path("", include("brygga.journal.urls")),
    path("", include("brygga.audit.urls")),
    path("", include("brygga.partners.urls")),
    path("", include("brygga.stats.urls")),
    path("", include("brygga.jobs.urls")),
    path("", include("brygga.retention.urls")),
]

handler400 = "brygga.web.views.bad_request"
handler403 = "brygga.web.views.permission_denied"
handler404 = "brygga.web.views.page_not_found"
handler500 = "brygga.web.views.server_error"
