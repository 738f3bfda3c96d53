"""Forms for administrators: users, their roles and unit memberships."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from zxcvbn import zxcvbn

from brygga.organisation.models import (
    GLOBAL_ROLES,
    Membership,
    Role,
    RoleRequest,
    Unit,
    User,
)

# zxcvbn's scale: 0 too guessable … 4 very unguessable. 3 = "safely unguessable" (~10^10 guesses).
MIN_STRENGTH = 3
ZXCVBN_MAX_LENGTH = 72
PASSWORD_MAX_LENGTH = 200


def check_strength(password: str, user_inputs: list[str]) -> None:
    """Django's validators catch short, common and numeric passwords; zxcvbn catches the rest
    (keyboard walks, dates, l33t words, names of the user), offline, with no external call."""
    # zxcvbn refuses more than 72 characters; a passphrase that long is judged by its start.
    result = zxcvbn(
        password[:ZXCVBN_MAX_LENGTH], user_inputs=[value for value in user_inputs if value]
    )
    if result["score"] < MIN_STRENGTH:
        raise ValidationError(
            _("Lösenordet är för lätt att gissa. Använd en lång fras med flera ovanliga ord."),
            code="password_too_weak",
        )


class NewUserForm(forms.ModelForm):
    password1 = forms.CharField(
        max_length=PASSWORD_MAX_LENGTH,
        label=_("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst 12 tecken. En lång fras med flera ord är bäst."),
        error_messages={"required": _("Ange ett lösenord.")},
    )
    password2 = forms.CharField(
        max_length=PASSWORD_MAX_LENGTH,
        label=_("Lösenord igen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Skriv lösenordet en gång till.")},
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]
        error_messages = {
            "username": {
                "required": _("Ange ett användarnamn."),
                "unique": _("Användarnamnet är upptaget."),
                "invalid": _("Använd bara bokstäver, siffror och @ . + - _"),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["first_name"].error_messages["required"] = _("Ange förnamn.")
        self.fields["last_name"].error_messages["required"] = _("Ange efternamn.")
        self.fields["username"].help_text = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Lösenorden är inte lika."))
        elif first:
            candidate = User(
                username=cleaned.get("username") or "",
                first_name=cleaned.get("first_name") or "",
                last_name=cleaned.get("last_name") or "",
                email=cleaned.get("email") or "",
            )
            try:
                password_validation.validate_password(first, candidate)
                check_strength(
                    first,
                    [candidate.username, candidate.first_name, candidate.last_name, "brygga"],
                )
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class UserNamesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["first_name"].error_messages["required"] = _("Ange förnamn.")
        self.fields["last_name"].error_messages["required"] = _("Ange efternamn.")


class MembershipForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Roll"),
        choices=Role.choices,
        error_messages={"required": _("Välj en roll."), "invalid_choice": _("Välj en roll.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.offered()
        .select_related("administration")
        .order_by("administration__name", "name"),
        required=False,
        help_text=_("Lämnas tom för roller som gäller hela kommunen (statistiker, administratör)."),
        error_messages={"invalid_choice": _("Välj en enhet i listan.")},
    )

    def __init__(self, *args: Any, user: User, acting_user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.acting_user = acting_user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, unit = cleaned.get("role"), cleaned.get("unit")
        if role and role != Role.ADMINISTRATOR and self.acting_user == self.user:
            # Administrators see no case content; they may not hand themselves a way in.
            self.add_error(
                "role", _("Du kan inte ge dig själv en roll som ger tillgång till ärenden.")
            )
        elif role and role in GLOBAL_ROLES and unit is not None:
            self.add_error("unit", _("Den här rollen gäller hela kommunen; välj ingen enhet."))
        elif role and role not in GLOBAL_ROLES and unit is None:
            self.add_error("unit", _("Välj enheten där rollen gäller."))
        elif role and Membership.objects.filter(user=self.user, role=role, unit=unit).exists():
            self.add_error("role", _("Användaren har redan den rollen i enheten."))
        elif (
            role
            and RoleRequest.objects.filter(
                user=self.user, role=role, unit=unit, status=RoleRequest.Status.PENDING
            ).exists()
        ):
            self.add_error("role", _("Den rollen väntar redan på godkännande."))
        return cleaned


class RoleDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslut"),
        choices=[("approve", _("Godkänn")), ("reject", _("Avslå"))],
        error_messages={
            "required": _("Välj godkänn eller avslå."),
            "invalid_choice": _("Välj godkänn eller avslå."),
        },
    )
