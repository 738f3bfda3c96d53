import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import DatabaseError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brygga.settings")

application = get_wsgi_application()

from brygga.lib.database import startup_message  # noqa: E402
from brygga.production import refuse_unsafe_production  # noqa: E402

try:
    refuse_unsafe_production(
        {name: getattr(settings, name) for name in dir(settings) if name.isupper()},
        check_database=True,
    )
except DatabaseError as exc:
    # Production checks the database for demo users before serving; without the database it
    # cannot, so it stops with a clear message (not a traceback) and the supervisor retries.
    raise SystemExit(startup_message(exc, settings.DATABASES["default"])) from None
