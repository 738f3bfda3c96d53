"""Who ever had a protection level: their details stay behind a grant (decision 0022)."""

from django.db import migrations, models


def mark_the_ever_protected(apps, schema_editor):
    """Protected now, or at any time in the person's history (a level lowered before this)."""
    person = apps.get_model("people", "Person")
    history = apps.get_model("people", "HistoricalPerson")
    once = history.objects.exclude(protection_level="none").values("id")
    person.objects.exclude(protection_level="none").update(ever_protected=True)
    person.objects.filter(pk__in=once).update(ever_protected=True)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_grant_expiry"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalperson",
            name="ever_protected",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="har haft skyddsnivå"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="ever_protected",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="har haft skyddsnivå"
            ),
        ),
        migrations.RunPython(mark_the_ever_protected, migrations.RunPython.noop),
    ]
