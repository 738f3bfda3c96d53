from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Användarnamn"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Användarnamnet eller lösenordet stämmer inte. Observera att båda fälten "
            "skiljer på stora och små bokstäver."
        ),
        "inactive": _("Kontot är inaktiverat. Kontakta din systemadministratör."),
    }


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Engångskod"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("Sex siffror från autentiseringsappen i din telefon."),
        error_messages={
            "required": _("Ange den sexsiffriga koden från din autentiseringsapp."),
            "invalid": _("Koden ska vara sex siffror."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Registreringskod"),
        max_length=40,
        help_text=_(
            "Koden du fick av den som skapade ditt konto, till exempel ABCD-EFGH-JKMN. "
            "Den gäller en gång och i några dagar."
        ),
        error_messages={
            "required": _("Ange registreringskoden."),
            "max_length": _("Registreringskoden är tolv tecken."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
