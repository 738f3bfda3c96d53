#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brygga.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    from brygga.lib.database import startup_message, trouble

    try:
        execute_from_command_line(sys.argv)
    except DatabaseError as exc:
        # A database that is down, read-only or full: say so in one paragraph, no traceback.
        if trouble(exc) is None:
            raise
        sys.exit(startup_message(exc, settings.DATABASES["default"]))
