import datetime
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from brygga.demo.builders import BUILDERS, PROFILES, app_builders
from brygga.lib.demo_world import DEMO_PASSWORD, DemoWorld
from brygga.organisation.models import User
from brygga.support.state import rebuild as rebuild_case_state


class Command(BaseCommand):
    help = "Build fictional demo data: Stockholm's 14 districts, staff, persons and cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--profile",
            choices=PROFILES,
            default="real",
            help="real: staff in proportion, most cases closed; heavy: few workers, "
            "thousands of open cases each (the stress case).",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the database has users."
        )
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--progress", action="store_true", help="Progress bars on stderr.")

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO:
            raise CommandError("Demo data can only be created with BRYGGA_MODE=demo.")
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demo data already present; nothing to do.")
                self._print_logins()
                return
            raise CommandError("The database already has users. Use a fresh database.")
        seed = int(options["seed"])  # type: ignore[call-overload]
        faker = Faker("sv_SE")
        faker.seed_instance(seed)
        world = DemoWorld(
            rng=random.Random(seed),  # noqa: S311 - synthetic data, not security
            faker=faker,
            today=options["today"] or timezone.localdate(),  # type: ignore[arg-type]
            persons=int(options["persons"]),  # type: ignore[call-overload]
            progress=self.stdout.isatty() or bool(options.get("progress")),
            profile=str(options["profile"]),
        )
        with transaction.atomic():
            for build in [*BUILDERS, *app_builders()]:
                started = time.monotonic()
                build(world)
                if connection.vendor == "postgresql":
                    # Fresh statistics for the next builder's reads: without them the planner
                    # takes the tables just filled for empty (nested seq scans, minutes at 100k).
                    _analyze()
                if world.progress:
                    seconds = time.monotonic() - started
                    self.stderr.write(f"{build.__module__}.{build.__name__}: {seconds:.1f} s")
            # The loaders send no signals: the precomputed case state is filled once, in bulk.
            started = time.monotonic()
            rebuild_case_state()
            if world.progress:
                self.stderr.write(f"case state: {time.monotonic() - started:.1f} s")
        if connection.vendor == "postgresql":
            # Fresh statistics: plans made on the empty tables' estimates are badly wrong.
            _analyze()
        self.stdout.write(
            self.style.SUCCESS(f"Created {world.persons} fictional persons ({world.profile}).")
        )
        self._print_logins(world.logins)

    def _print_logins(self, logins: list[tuple[str, str]] | None = None) -> None:
        logins = logins or [
            (u.username, "") for u in User.objects.filter(is_demo=True).order_by("username")[:8]
        ]
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, description in logins:
            self.stdout.write(f"  {username:<26} {description}")
        self.stdout.write("")


def _analyze() -> None:
    """ANALYZE this database's own tables. A bare ANALYZE also takes the shared catalogues
    (pg_authid, pg_database) and, inside the seed's transaction, keeps their lock until the
    commit: every other database's seed then waits at its own ANALYZE for this one to end."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
