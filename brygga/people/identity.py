"""Swedish identity numbers: personnummer and samordningsnummer, validated by python-stdnum.

A samordningsnummer is a personnummer with 60 added to the day of birth; stdnum checks its
Luhn digit as written and its date with the 60 taken away.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import personnummer

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"


class InvalidIdentityNumber(ValueError):
    pass


@dataclass(frozen=True)
class IdentityNumber:
    kind: str
    digits: str  # twelve digits, YYYYMMDDNNNC
    birth_date: datetime.date

    @property
    def display(self) -> str:
        return f"{self.digits[:8]}-{self.digits[8:]}"


def parse_identity_number(raw: str, *, today: datetime.date | None = None) -> IdentityNumber:
    """Parse a personnummer or samordningsnummer in any common written form."""
    today = today or datetime.date.today()  # noqa: DTZ011 - a calendar date, not an instant
    # compact() strips spaces and colons and never raises on text; junk fails the checks below
    # (the property test feeds it arbitrary text).
    compacted = personnummer.compact(raw.strip())
    digits_only = compacted.replace("-", "").replace("+", "")
    if not digits_only.isdigit() or len(digits_only) not in (10, 12):
        raise InvalidIdentityNumber("format")
    ten = digits_only[-10:]
    if not luhn.is_valid(ten):
        raise InvalidIdentityNumber("checksum")

    day = int(ten[4:6])
    # `>= 60` is the same: day 60 is no date either way, so the number is refused as "date".
    kind = SAMORDNINGSNUMMER if day > 60 else PERSONNUMMER  # pragma: no mutate
    as_personnummer = compacted
    if kind == SAMORDNINGSNUMMER:
        # Replace the day so stdnum can check the date; the Luhn digit was checked above.
        day_at = len(compacted) - 7  # stdnum's compact form always ends in "DD-NNNC"
        # Equivalent if the "-" is dropped too: get_birth_date compacts the number again.
        after_day = compacted[day_at + 2 :]  # pragma: no mutate
        as_personnummer = compacted[:day_at] + f"{day - 60:02d}" + after_day
    try:
        birth_date = personnummer.get_birth_date(as_personnummer)
    except StdnumError as exc:
        raise InvalidIdentityNumber("date") from exc
    if len(digits_only) == 10:
        century = str(birth_date.year)[:2]
        digits = century + ten
    else:
        digits = digits_only
    if birth_date > today:
        raise InvalidIdentityNumber("future")
    return IdentityNumber(kind=kind, digits=digits, birth_date=birth_date)


def blind_index(digits: str) -> str:
    """Keyed HMAC of the twelve digits: equal numbers find each other, a dump reveals nothing."""
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()
