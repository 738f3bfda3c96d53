from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from brygga.organisation.twofactor import second_factor_satisfied

# Pages a user who has given only the password may reach.
PASSWORD_ONLY_URL_NAMES = frozenset(
    {
        "login",
        "second_factor",
        "enrolment_code",
        "enrol_second_factor",
        "logout",
        "set_language",
        "health",
    }
)


class SecondFactorRequiredMiddleware:
    """After the password, nothing but the second-factor pages until the code is given."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not second_factor_satisfied(request):
            try:
                url_name = resolve(request.path_info).url_name
            except Resolver404:
                return self.get_response(request)  # a 404 page shows nothing
            # Default deny: an unnamed route is not on the list either.
            if url_name not in PASSWORD_ONLY_URL_NAMES:
                target = reverse("second_factor")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)
