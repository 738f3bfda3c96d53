from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language as django_set_language

from brygga.access import policy
from brygga.access.decorators import public, signed_in
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.organisation.models import Role
from brygga.organisation.roles import has_role
from brygga.partners.views import portal
from brygga.support.queries import worker_todo

CASES_PER_PAGE = 50


@signed_in
def start(request: HttpRequest) -> HttpResponse:
    """The start page: the cases this user may see (none for administrators); for a partner
    user, the referrals to their organisation."""
    if has_role(request.user, Role.PARTNER):
        return portal(request)
    cases = (
        policy.visible_cases(request.user)
        .select_related("person", "owning_unit__administration")
        .order_by("phase", "person__last_name", "person__first_name")
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("sida"))
    todo = worker_todo(request.user)
    shown = [case.person_id for case in page.object_list] + (todo.person_ids if todo else [])
    if shown:
        record(request, Action.VIEW, persons_shown=shown, detail={"page": "start"})
    return render(request, "web/start.html", {"page": page, "todo": todo})


@public
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


set_language = public(django_set_language)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 400}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Same answer as "not found": nothing to tell a forbidden case from a missing one.
    return render(request, "web/error.html", {"status": 404}, status=404)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/error.html", {"status": 500}, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "web/error.html", {"status": 403, "csrf": True}, status=403)
