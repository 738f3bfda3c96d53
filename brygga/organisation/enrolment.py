"""Enrolment codes: the out-of-band step before a new account enrols its authenticator.

Whoever has the password alone cannot enrol: the first login also needs a one-time code that
was shown once to the administrator who created the account (or reset its second factor) and
handed over in person or by phone. Decision 0021.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.organisation.models import EnrolmentCode, User

# No 0/O, 1/I/L: read aloud or typed from a note without mistakes.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 12  # 31**12 ≈ 2**59
SESSION_KEY = "brygga_enrolment_code_accepted"


def _normalised(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return salted_hmac(
        "brygga.organisation.enrolment", _normalised(code), algorithm="sha256"
    ).hexdigest()


def _formatted(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@transaction.atomic
def issue_code(request: HttpRequest | None, user: User) -> str:
    """A new code for `user`, replacing any unused one. The clear code is returned once."""
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    expires_at = timezone.now() + datetime.timedelta(hours=settings.ENROLMENT_CODE_HOURS)
    acting = getattr(request, "user", None) if request is not None else None
    EnrolmentCode.objects.create(
        user=user,
        code_hash=_hash(code),
        issued_by=acting if getattr(acting, "is_authenticated", False) else None,
        expires_at=expires_at,
    )
    record(
        request,
        Action.UPDATE,
        obj=user,
        detail={"enrolment_code_issued": {"expires_at": expires_at.isoformat()}},
    )
    return _formatted(code)


def _current(user: User) -> EnrolmentCode | None:
    return (
        EnrolmentCode.objects.select_for_update()
        .filter(
            user=user,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            failed_attempts__lt=settings.ENROLMENT_CODE_FAILURE_LIMIT,
        )
        .order_by("-issued_at")
        .first()
    )


def accept_code(request: HttpRequest, user: User, given: str) -> bool:
    """True, and the code is spent, if `given` is the user's current code. A wrong code counts
    against the code (spent after the limit) and, like a wrong password, against the login
    lockout (django-axes and the per-address limit)."""
    with transaction.atomic():
        current = _current(user)
        if current is not None and constant_time_compare(current.code_hash, _hash(given)):
            current.used_at = timezone.now()
            current.save(update_fields=["used_at"])
            request.session[SESSION_KEY] = user.pk
            record(request, Action.SECOND_FACTOR, detail={"step": "enrolment_code"})
            return True
        if current is not None:
            current.failed_attempts += 1
            current.save(update_fields=["failed_attempts"])
        record(request, Action.SECOND_FACTOR_FAILED, detail={"step": "enrolment_code"})
    user_login_failed.send(
        sender=__name__, credentials={"username": user.username}, request=request
    )
    return False


def code_accepted(request: HttpRequest) -> bool:
    return request.session.get(SESSION_KEY) == request.user.pk
