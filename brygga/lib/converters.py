"""URL converters. Ids are bounded to the database's 64-bit range, so an overflowing id in a
URL is a 404 before any Brygga code runs, never a 500 from the database driver."""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    # At most 18 digits always fits in a signed 64-bit integer; 19 digits are checked below.
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("id out of range")
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def register() -> None:
    register_converter(IdConverter, "id")
