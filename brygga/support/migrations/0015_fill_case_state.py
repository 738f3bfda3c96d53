"""Fill the precomputed case state for the cases that exist (docs/decisions/0120).

Calls the same bulk rebuild as the `rebuild_case_state` command. It reads the current models,
not the historical ones: should a later migration change what the state is computed from, it
must depend on this one (the state is recomputed by the command at any time anyway).
"""

from django.db import migrations


def fill(apps, schema_editor):
    from brygga.support.state import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0014_case_state"),
        ("journal", "0001_initial"),
        ("cases", "0006_phase_reason"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
