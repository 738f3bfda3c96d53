"""Demo budget assignments of the network, some with their check-in overdue. Fictional."""

from __future__ import annotations

import datetime

from brygga.lib.demo_world import DemoWorld
from brygga.network.models import AssignmentStatus, BudgetAssignment, MeetingNote

DAY = datetime.timedelta(days=1)
ASSIGNMENTS = [
    ("Jourlägenheter i alla stadsdelar", AssignmentStatus.IN_PROGRESS, -20),
    ("En väg in till SHIS genomgångsbostäder", AssignmentStatus.IN_PROGRESS, 14),
    ("Längre beslutsperioder för boende", AssignmentStatus.NOT_STARTED, -5),
    ("Jämställdhetsanalys: når vi män och pojkar?", AssignmentStatus.PAUSED, 40),
    ("IOP med civilsamhället om mentorprogram", AssignmentStatus.DONE, -60),
]
NOTES = [
    "Nätverket gick igenom läget; stadsdelen återkommer med förslag (demo).",
    "Två stadsdelar saknar fortfarande rutin; ny avstämning bokad (demo).",
]


def build(world: DemoWorld) -> None:
    districts = world.districts
    notes = []
    for i, (title, status, days) in enumerate(ASSIGNMENTS):
        district = districts[(i * 3) % len(districts)]
        assignment = BudgetAssignment.objects.create(
            title=title,
            description="Fiktivt budgetuppdrag (demo).",
            responsible_district=district.unit.administration if i % 2 == 0 else None,
            responsible_unit=None if i % 2 == 0 else district.unit,
            status=status,
            next_check_in=world.today + days * DAY,
        )
        for n, text in enumerate(NOTES[: 1 + i % 2]):
            notes.append(
                MeetingNote(
                    assignment=assignment, met_on=world.today - (30 + 30 * n) * DAY, text=text
                )
            )
    MeetingNote.objects.bulk_create(notes)
