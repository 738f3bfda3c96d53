import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brygga.settings")

application = get_wsgi_application()

from brygga.production import refuse_unsafe_production  # noqa: E402

refuse_unsafe_production(
    {name: getattr(settings, name) for name in dir(settings) if name.isupper()},
    check_database=True,
)
