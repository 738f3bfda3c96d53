"""Logging in: password, then a TOTP code; the first login enrols the authenticator."""

from __future__ import annotations

import base64
import math
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from brygga.access.decorators import public, signed_in
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.lib.http import submitted
from brygga.organisation import enrolment
from brygga.organisation.forms import EnrolmentCodeForm, LoginForm, TokenForm
from brygga.organisation.lockout import address_locked_out
from brygga.organisation.twofactor import (
    DEMO_SKIP_SESSION_KEY,
    may_skip_second_factor,
    second_factor_satisfied,
)

# 429 Too Many Requests, as django-axes answers by default.
LOCKED_OUT_STATUS = 429


def _next_url(request: HttpRequest) -> str:
    """Where to go after logging in: `next` only if it is a path on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("start")


def _with_next(url_name: str, request: HttpRequest) -> str:
    """The URL of `url_name`, carrying on a safe `next` (and nothing else from the request)."""
    url = reverse(url_name)
    target = _next_url(request)
    if target != reverse("start"):
        url += "?" + urlencode({"next": target})
    return url


@public
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and address_locked_out(request):
        return locked_out(request)
    if request.user.is_authenticated and second_factor_satisfied(request):
        return redirect("start")
    form = LoginForm(request, data=submitted(request))
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user)
        if may_skip_second_factor(user):
            request.session[DEMO_SKIP_SESSION_KEY] = True
            return HttpResponseRedirect(_next_url(request))
        return redirect(_with_next("second_factor", request))
    return render(
        request,
        "organisation/login.html",
        {"form": form, "next": _next_url(request), "oidc_enabled": settings.OIDC_ENABLED},
    )


@signed_in
@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    if second_factor_satisfied(request):
        return redirect("start")
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(_with_next("enrol_second_factor", request))
    form = TokenForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            record(request, Action.SECOND_FACTOR)
            return HttpResponseRedirect(_next_url(request))
        record(request, Action.SECOND_FACTOR_FAILED)
        form.add_error("token", _("Koden stämmer inte eller har gått ut. Försök med nästa kod."))
    return render(
        request, "organisation/second_factor.html", {"form": form, "next": _next_url(request)}
    )


@signed_in
@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def enrol_second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("second_factor")
    if not enrolment.code_accepted(request):
        return redirect(_with_next("enrolment_code", request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Brygga", confirmed=False)
    form = TokenForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record(request, Action.SECOND_FACTOR_ENROLLED)
            return HttpResponseRedirect(_next_url(request))
        form.add_error(
            "token", _("Koden stämmer inte. Kontrollera att telefonens klocka går rätt.")
        )
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR-kod för autentiseringsappen"), dark="#000", light="#fff"
    )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "organisation/enrol_second_factor.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": _next_url(request)},
    )


@signed_in
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def enrolment_code(request: HttpRequest) -> HttpResponse:
    """Before the first enrolment: the one-time code handed over out of band (decision 0021)."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("second_factor")
    if enrolment.code_accepted(request):
        return redirect(_with_next("enrol_second_factor", request))
    if request.method == "POST" and address_locked_out(request):
        return locked_out(request)
    form = EnrolmentCodeForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        if enrolment.accept_code(request, user, form.cleaned_data["code"]):  # type: ignore[arg-type]
            return redirect(_with_next("enrol_second_factor", request))
        form.add_error(
            "code",
            _(
                "Koden stämmer inte, har redan använts eller har gått ut. Efter flera fel "
                "slutar den gälla: be då din systemadministratör om en ny."
            ),
        )
    return render(
        request, "organisation/enrolment_code.html", {"form": form, "next": _next_url(request)}
    )


@signed_in
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): in Swedish, with the real wait."""
    minutes = max(1, math.ceil(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(
        request, "organisation/locked_out.html", {"minutes": minutes}, status=LOCKED_OUT_STATUS
    )
