from __future__ import annotations

from django.http import HttpRequest, QueryDict


def submitted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (so it is validated), else None.

    `request.POST or None` would treat an empty POST as a GET and show a blank form
    without the error messages.
    """
    return request.POST if request.method == "POST" else None
