"""Need areas, their IBIC life areas, and the 1–5 assessment scale."""

from __future__ import annotations

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class NeedArea(models.TextChoices):
    HOUSING = "housing", _("Boende")
    OCCUPATION = "occupation", _("Sysselsättning")
    SOCIAL = "social", _("Socialt stöd")
    SAFETY = "safety", _("Trygghet")
    ECONOMY = "economy", _("Ekonomi")
    HEALTH = "health", _("Hälsa och trauma")
    CHILDREN = "children", _("Barn")


CORE_AREAS = (NeedArea.HOUSING, NeedArea.OCCUPATION, NeedArea.SOCIAL)

# Socialstyrelsen's IBIC (Individens behov i centrum) life areas for each need area.
IBIC_LIFE_AREAS: dict[str, tuple[StrOrPromise, ...]] = {
    NeedArea.HOUSING: (_("Hemliv"),),
    NeedArea.OCCUPATION: (_("Utbildning, arbete, sysselsättning och ekonomiskt liv"),),
    NeedArea.SOCIAL: (
        _("Mellanmänskliga interaktioner och relationer"),
        _("Samhällsgemenskap, socialt och medborgerligt liv"),
    ),
    NeedArea.SAFETY: (_("Känsla av trygghet"),),
    NeedArea.ECONOMY: (_("Utbildning, arbete, sysselsättning och ekonomiskt liv"),),
    NeedArea.HEALTH: (_("Personlig vård"), _("Känsla av trygghet")),
    NeedArea.CHILDREN: (_("Hemliv"), _("Mellanmänskliga interaktioner och relationer")),
}

LEVELS: dict[int, StrOrPromise] = {
    1: _("Akut behov"),
    2: _("Stort behov av stöd"),
    3: _("Visst behov av stöd"),
    4: _("Klarar sig med lite stöd"),
    5: _("Klarar sig självständigt"),
}
# Levels 1–3 are a need: an area at these levels must have someone responsible.
NEED_THRESHOLD = 3


def level_choices() -> list[tuple[int, StrOrPromise]]:
    # Lazy, so the scale is translated in the language of the request, not of the import.
    return [(level, format_lazy("{} – {}", level, label)) for level, label in LEVELS.items()]


def applicable_areas(accompanying_children: int) -> list[NeedArea]:
    """The need areas to assess for a person: "Barn" only when children came along."""
    return [area for area in NeedArea if area != NeedArea.CHILDREN or accompanying_children > 0]
