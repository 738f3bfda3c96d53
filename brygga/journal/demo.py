"""Demo journal notes: a few signed notes per case, some corrections, a few drafts."""

from __future__ import annotations

import datetime

from django.utils import timezone

from brygga.cases.models import Case, CaseTeamMember, TeamRole
from brygga.journal.models import JournalNote
from brygga.lib.demo_world import BATCH, DemoWorld

CASES_WITH_JOURNAL = 400
NOTES = [
    (
        "Inskrivningssamtal",
        "Första samtalet. Personen beskriver sin situation och sina behov. "
        "Vi går igenom hur kontakten med socialtjänsten fungerar och vilka stöd som finns.",
    ),
    (
        "Hembesök",
        "Hembesök i den nya bostaden. Hon har fått ordning på de flesta rummen men "
        "saknar fortfarande möbler i sovrummet. Vi pratade om hur hyran betalas.",
    ),
    (
        "Telefonsamtal",
        "Personen ringde och berättade att hon fått plats på SFI från nästa "
        "månad. Hon är nöjd men orolig för att resa ensam dit.",
    ),
    (
        "Samverkansmöte med Jobbtorg",
        "Möte med handläggare på Jobbtorg. Vi kom överens om en "
        "kartläggning av tidigare utbildning och arbetslivserfarenhet.",
    ),
    (
        "Planeringsmöte",
        "Genomgång av stödplanen. Boendestödet fortsätter tre månader till. "
        "Kontaktperson ska sökas via kontaktpersonsamordnaren.",
    ),
    (
        "Uppföljning av risk",
        "Ingen ny kontakt från familjen sedan förra mötet. Hon följer "
        "fortfarande säkerhetsplanen och har den skyddade telefonen laddad.",
    ),
    (
        "Samtal om ekonomi",
        "Vi gick igenom räkningarna. Autogiro för hyran är nu upplagt. "
        "Hon vill lära sig göra en budget själv.",
    ),
]
CORRECTION = (
    "Rättelse: datum för SFI-start",
    "Rättelse av tidigare anteckning: SFI-starten är i början av nästa termin, inte nästa månad.",
)


def build(world: DemoWorld) -> None:
    rng, today = world.rng, world.today
    ids = sorted(world.case_ids)[:CASES_WITH_JOURNAL]
    if not ids:
        return
    cases = dict(Case.objects.filter(pk__in=ids).values_list("pk", "opened_on"))
    authors = dict(
        CaseTeamMember.objects.filter(case_id__in=ids, role=TeamRole.RESPONSIBLE).values_list(
            "case_id", "user_id"
        )
    )
    now = timezone.now()
    notes: list[JournalNote] = []
    drafts: list[JournalNote] = []
    for case_id in ids:
        opened_on, author = cases[case_id], authors.get(case_id)
        if author is None:
            continue
        span = max(1, (today - opened_on).days)
        for _ in range(rng.randint(2, 6)):
            title, text = rng.choice(NOTES)
            on = opened_on + datetime.timedelta(days=rng.randint(0, span))
            notes.append(
                JournalNote(
                    case_id=case_id,
                    author_id=author,
                    title=title,
                    text=text,
                    written_on=on,
                    signed_at=now,
                )
            )
        if rng.random() < 0.1:
            drafts.append(
                JournalNote(
                    case_id=case_id,
                    author_id=author,
                    title="Anteckning efter samtal",
                    text="Påbörjad anteckning som ännu inte är signerad.",
                    written_on=today,
                )
            )
    created = JournalNote.objects.bulk_create(notes, batch_size=BATCH)
    corrections = [
        JournalNote(
            case_id=note.case_id,
            author_id=note.author_id,
            title=CORRECTION[0],
            text=CORRECTION[1],
            written_on=note.written_on,
            corrects_id=note.pk,
            signed_at=now,
        )
        for note in created
        if note.title == "Telefonsamtal" and rng.random() < 0.5
    ]
    JournalNote.objects.bulk_create(corrections + drafts, batch_size=BATCH)
