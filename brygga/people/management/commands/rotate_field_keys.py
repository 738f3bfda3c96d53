"""Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first (`FIELD_ENCRYPTION_KEYS=new,old`), run this command, then drop
the old key. Works in batches; stops on a value no configured key can decrypt.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from brygga.people.encryption import (
    UndecryptableValue,
    encrypted_fields,
    reset_field_keys,
    rotate_model,
)


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the first configured key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        reset_field_keys()
        total = 0
        for model, fields in encrypted_fields():
            try:
                count = rotate_model(model, fields, options["batch_size"])
            except UndecryptableValue as exc:
                raise CommandError(f"No configured key decrypts {exc}; nothing lost.") from exc
            total += count
            names = ", ".join(f.name for f in fields)
            self.stdout.write(f"{model._meta.label}: {count} rows ({names})")
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} rows."))
