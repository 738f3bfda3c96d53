"""Demo data: fictional addresses and safe contact details for the demo persons."""

from __future__ import annotations

from typing import Any

from brygga.lib import bulk
from brygga.people.models import Person, ProtectedDetails

BATCH = 2000
POOL = 500


def build(world: Any) -> None:
    rng, fake = world.rng, world.faker
    person_ids = list(
        Person.objects.filter(is_fictional=True, protected_details__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Faker takes about a millisecond a call: draw pools once, then pick from them.
    size = min(len(person_ids), POOL)
    addresses = [f"{fake.street_address()}\n{fake.postcode()} {fake.city()}" for _ in range(size)]
    phones = [fake.phone_number() for _ in range(size)]
    companies = [fake.company() for _ in range(size)]
    men = [fake.name_male() for _ in range(size)]
    words = [fake.word() for _ in range(size)]
    rows = []
    for person_id in person_ids:
        rows.append(
            ProtectedDetails(
                person_id=person_id,
                address=rng.choice(addresses),
                phone=rng.choice(phones),
                whereabouts=rng.choice(["", "Skyddat boende", "Hos väninna", "Egen lägenhet"]),
                workplace=rng.choice(["", "SFI", rng.choice(companies)]),
                relatives=f"{rng.choice(men)} (far)\n{rng.choice(men)} (bror)",
                may_leave_message=rng.choice(["yes", "no", "ask"]),
                safe_times=rng.choice(["Vardagar 9–11", "Efter kl. 18", "Bara tisdagar"]),
                code_word=rng.choice(words),
            )
        )
        if len(rows) >= BATCH:
            bulk.insert(ProtectedDetails, rows)
            rows = []
    bulk.insert(ProtectedDetails, rows)
