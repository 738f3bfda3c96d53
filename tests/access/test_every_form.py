"""Every form Brygga renders, posted with oversize values and overflowing ids (issue 14).

The class: a value no form produced (an 80-character passphrase, a 100 000-character note, an
id beyond 64 bits in a select) must give a field error or a 4xx, never a 500. The forms are
found by walking every URL pattern as the people who may open them and reading the `<form
method="post">` elements of each page, so new apps' forms are covered without changes here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.access.test_matrix import ROUTES, build_url
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

OPENERS = ["case_worker", "unit_manager", "administrator"]
TEXT_TYPES = {"text", "password", "email", "search", "tel", "url", "number", "date", "", None}
HUGE_TEXT = "Ålänning " * 3_000  # ~27 000 characters, with non-ASCII letters
LONG_PASSPHRASE = "korp lingon fyrtorn " * 4  # 80 characters: over zxcvbn's 72
OVERFLOWING_IDS = [str(2**63), "9" * 40, "-" + str(2**63)]


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> a value the page offered
    text: set[str] = field(default_factory=set)  # names that take free text
    choices: set[str] = field(default_factory=set)  # names that take a value from a list


class FormReader(HTMLParser):
    """The POST forms of a page, with the values they would submit as rendered."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = Form(action=a.get("action") or self.page)
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            return
        name = a["name"] or ""
        if name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = (a.get("type") or "").lower()
            if kind in ("checkbox", "radio"):
                self._form.choices.add(name)
                if "checked" in a or name not in self._form.fields:
                    self._form.fields[name] = a.get("value") or "on"
            elif kind in TEXT_TYPES:
                self._form.text.add(name)
                self._form.fields[name] = a.get("value") or ""
            else:
                self._form.fields[name] = a.get("value") or ""
        elif tag == "textarea":
            self._form.text.add(name)
            self._form.fields[name] = ""
        elif tag == "select":
            self._select = name
            self._form.choices.add(name)
        elif tag == "option" and self._select:
            if "selected" in a or self._form.fields.get(self._select, "") == "":
                self._form.fields[self._select] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on_every_page(world, client: Client) -> list[Form]:
    found: dict[tuple[str, frozenset[str]], Form] = {}
    for route, _name in ROUTES:
        path, _ = build_url(route, world, [])
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = FormReader(path)
        reader.feed(response.content.decode())
        for form in reader.forms:
            if form.action.startswith("/logga-ut"):
                continue  # signing out ends the walk; it takes no input
            found.setdefault((form.action, frozenset(form.fields)), form)
    return list(found.values())


def _post(client: Client, form: Form, data: dict[str, str], problems: list[str], label: str):
    try:
        status = client.post(form.action, data).status_code
    except Exception as exc:  # a 500: reported, never a pass
        problems.append(f"{label} {form.action}: {exc!r}")
        return
    if status >= 500:
        problems.append(f"{label} {form.action} -> {status}")


@pytest.mark.parametrize("persona", OPENERS)
def test_every_form_answers_oversize_text_and_overflowing_ids_without_a_server_error(
    world, persona
):
    client = signed_in(world.users[persona])
    forms = forms_on_every_page(world, client)
    problems: list[str] = []
    for form in forms:
        if form.text:
            huge = {n: (LONG_PASSPHRASE if "password" in n else HUGE_TEXT) for n in form.text}
            _post(client, form, {**form.fields, **huge}, problems, "huge text")
            passphrase = dict.fromkeys(form.text, LONG_PASSPHRASE)
            _post(client, form, {**form.fields, **passphrase}, problems, "80 characters")
        for big in OVERFLOWING_IDS if form.choices else []:
            _post(client, form, {**form.fields, **dict.fromkeys(form.choices, big)}, problems, big)
    assert len(forms) >= (1 if persona == "administrator" else 5)  # the walk found the forms
    assert "\n".join(problems) == ""


def test_a_new_account_with_an_80_character_passphrase_gets_an_answer_not_a_crash(cast, as_user):
    client = as_user(cast.administrator)
    reader = FormReader("/konton/ny/")
    reader.feed(client.get("/konton/ny/").content.decode())
    (form,) = [f for f in reader.forms if "password1" in f.fields]
    data = {
        **form.fields,
        "username": "lang_fras",
        "first_name": "Fiktiv",
        "last_name": "Testperson",
        "password1": LONG_PASSPHRASE,
        "password2": LONG_PASSPHRASE,
    }
    response = client.post(form.action, data)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("value", [HUGE_TEXT, LONG_PASSPHRASE])
def test_the_login_form_answers_oversize_values_with_a_form_error(db, client, value):
    response = client.post("/logga-in/", {"username": value, "password": value})
    assert response.status_code == 200
    assert "<form" in response.content.decode()
