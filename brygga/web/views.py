from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import set_language as django_set_language

from brygga.access import policy
from brygga.access.decorators import public, signed_in
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.lib.database import Trouble, trouble
from brygga.organisation.models import Role
from brygga.organisation.roles import has_role
from brygga.partners.views import portal
from brygga.support.queries import worker_todo

CASES_PER_PAGE = 50

logger = logging.getLogger("brygga.errors")


@signed_in
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """The start page: the cases this user may see (none for administrators); for a partner
    user, the referrals to their organisation."""
    if has_role(request.user, Role.PARTNER):
        return portal(request)
    cases = (
        policy.visible_cases(request.user)
        .select_related("person", "owning_unit__administration")
        # Ties by id: rows that tie (same phase and name) kept no order between requests.
        .order_by("phase", "person__last_name", "person__first_name", "pk")
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("sida"))
    todo = worker_todo(request.user)
    shown = [case.person_id for case in page.object_list] + (todo.person_ids if todo else [])
    if shown:
        record(request, Action.VIEW, persons_shown=shown, detail={"page": "start"})
    return render(request, "web/start.html", {"page": page, "todo": todo})


@public
@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 while the database answers, 503 while it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        # The broken connection is dropped at the end of the request (Django checks a
        # connection that raised), so the next probe connects afresh.
        logger.warning("Health check: database unavailable (%s)", type(exc).__name__)
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


set_language = public(require_http_methods(["GET", "POST"])(django_set_language))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 400}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Same answer as "not found": nothing to tell a forbidden case from a missing one.
    return render(request, "web/error.html", {"status": 404}, status=404)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A case page a caseworker may not open (or that does not exist: the same answer) offers
    # emergency access, e.g. to a worker who moved district and is still on an old case team.
    case_number = getattr(exception, "case_number", None)
    offer = case_number if case_number is not None and policy.is_caseworker(request.user) else None
    return render(
        request, "web/error.html", {"status": 404, "emergency_case_number": offer}, status=404
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """A Swedish page with a reference number the administrator can find in the log.

    Rendered without the request's context processors and user: the fault may be the database
    itself, and this page must not touch it. A database that is down, read-only or full gets
    503 and says so; anything else is 500. Nothing of the failed request was saved: every
    write runs in one transaction, which the fault rolled back.
    """
    reference = getattr(request, "request_id", "")
    kind = trouble(sys.exc_info()[1])
    status = 500 if kind is None else 503
    logger.error(
        "Request failed with %s, reference %s (%s)",
        status,
        reference,
        type(sys.exc_info()[1]).__name__,
    )
    body = loader.render_to_string(
        "web/server_error.html",
        {
            "reference": reference,
            "DEMO": settings.DEMO,
            "unreachable": kind is Trouble.UNREACHABLE,
            "read_only": kind is Trouble.READ_ONLY,
            "full": kind is Trouble.FULL,
        },
    )
    response = HttpResponse(body, status=status)
    if status == 503:
        response["Retry-After"] = "30"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "web/error.html", {"status": 403, "csrf": True}, status=403)
