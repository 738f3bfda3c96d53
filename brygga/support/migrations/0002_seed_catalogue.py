"""Seed the intervention catalogue. Administrators edit it afterwards; long periods by default."""

from django.db import migrations

# name, area, is_decision, default months, minimum months, needs manager decision
CATALOGUE = [
    ("Jourlägenhet", "housing", True, 6, 3, True),
    ("Genomgångsbostad (SHIS)", "housing", True, 12, 6, True),
    ("Eget förstahandskontrakt", "housing", False, 12, 12, False),
    ("Boendestöd / boendelots", "housing", True, 12, 6, False),
    ("Kontaktperson", "social", True, 12, 6, False),
    ("Stödsamtal", "health", True, 12, 6, False),
    ("Ekonomiskt bistånd", "economy", True, 6, 1, False),
    ("Jobbtorg Stockholm", "occupation", False, 12, 6, False),
    ("Arbetsförmedlingen", "occupation", False, 12, 6, False),
    ("Studier / SFI", "occupation", False, 12, 6, False),
    ("Samordningsförbundet", "occupation", False, 12, 6, False),
    ("Mentorprogram i civilsamhället", "social", False, 12, 6, False),
]


def seed(apps, schema_editor):
    InterventionType = apps.get_model("support", "InterventionType")
    for name, area, is_decision, default, minimum, manager in CATALOGUE:
        InterventionType.objects.get_or_create(
            name=name,
            defaults={
                "area": area,
                "is_decision": is_decision,
                "default_period_months": default,
                "minimum_period_months": minimum,
                "needs_manager_decision": manager,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
