"""View decorators: every view names its access rule; a test fails on any that does not.

`case_view` resolves the user's `CaseAccess` once (through `visible_cases`, so "no access" and
"does not exist" are the same 404), keeps it on the request for the view and its panels, and
records whose data the page shows in the audit log.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from brygga.access import policy
from brygga.audit.log import record_view
from brygga.cases.models import Case
from brygga.organisation.roles import has_role

ViewFunc = Callable[..., HttpResponse]

# Statuses whose body is a page about the object: the page itself, a form with errors, a
# conflict page showing both versions.
PAGE_STATUSES = frozenset({200, 400, 409, 422})


def shows_page(response: HttpResponse) -> bool:
    return response.status_code in PAGE_STATUSES


def _mark(view: ViewFunc, rule: str) -> ViewFunc:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def public(view: ViewFunc) -> ViewFunc:
    """Open to anyone, logged in or not. Only login, health and language belong here."""
    return _mark(login_not_required(view), "public")


def signed_in(view: ViewFunc) -> ViewFunc:
    """Any signed-in user; for views that show nothing about a person (logout, 2FA setup)."""
    return _mark(view, "signed_in")


def role_required(*roles: str) -> Callable[[ViewFunc], ViewFunc]:
    """A page for users holding one of these roles; what it lists must still come from policy."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, *roles):
                raise Http404(_("Sidan finns inte."))
            return view(request, *args, **kwargs)

        return _mark(wrapper, "role:" + ",".join(roles))

    return decorator


class CaseNotFound(Http404):
    """A case URL the user may not open, or one that does not exist: the two look the same.

    The 404 page offers a caseworker emergency access with the number filled in, whether or not
    the case exists, so the offer tells nothing.
    """

    def __init__(self, case_number: int) -> None:
        super().__init__(_("Sidan finns inte."))
        self.case_number = case_number


def case_view(
    *, change: bool = False, audit: bool = True, part: bool = False
) -> Callable[[ViewFunc], ViewFunc]:
    """Replaces the `case_id` argument with the case, or 404 if the user may not see it.

    The resolved `policy.CaseAccess` is on the request (`policy.access_for(request, case)`).
    With change=True the user must also be allowed to edit the case; a user who may see but
    not edit gets 404 as well (nothing to tell them apart by). Those who act in part on a case
    (housing support, contact-person coordinators) get 404 too unless the view says part=True:
    such a view shows or changes only their part (their plan items), never the whole case.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, case_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
            access = policy.case_access(request.user, case_id)
            if access is None:
                raise CaseNotFound(case_id)
            if (change and not access.may_change) or (access.acts_in_part and not part):
                raise Http404(_("Sidan finns inte."))
            policy.remember_case_access(request, access)
            case = access.case
            response = view(request, case, *args, **kwargs)
            # Whatever the method: a page re-rendered after an invalid POST shows the person
            # as much as a GET does. A redirect, 404 or 405 shows nothing (a change it made
            # writes its own event).
            if audit and shows_page(response):
                record_view(request, case, person_id=case.person_id)
            return response

        rule = "case:change" if change else "case:view"
        return _mark(wrapper, rule + (":part" if part else ""))

    return decorator


def get_visible_case(user: Any, case_id: int) -> Case:
    return get_object_or_404(policy.visible_cases(user), pk=case_id)
