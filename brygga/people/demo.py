"""Demo data: fictional addresses and safe contact details for the demo persons."""

from __future__ import annotations

from typing import Any

from brygga.people.models import Person, ProtectedDetails

BATCH = 2000


def build(world: Any) -> None:
    rng, fake = world.rng, world.faker
    person_ids = list(
        Person.objects.filter(is_fictional=True, protected_details__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = []
    for person_id in person_ids:
        rows.append(
            ProtectedDetails(
                person_id=person_id,
                address=f"{fake.street_address()}\n{fake.postcode()} {fake.city()}",
                phone=fake.phone_number(),
                whereabouts=rng.choice(["", "Skyddat boende", "Hos väninna", "Egen lägenhet"]),
                workplace=rng.choice(["", "SFI", fake.company()]),
                relatives=f"{fake.name_male()} (far)\n{fake.name_male()} (bror)",
                may_leave_message=rng.choice(["yes", "no", "ask"]),
                safe_times=rng.choice(["Vardagar 9–11", "Efter kl. 18", "Bara tisdagar"]),
                code_word=fake.word(),
            )
        )
        if len(rows) >= BATCH:
            ProtectedDetails.objects.bulk_create(rows)
            rows = []
    if rows:
        ProtectedDetails.objects.bulk_create(rows)
