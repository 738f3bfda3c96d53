"""A plan item's responsible organisation (free text that may name the shelter) is encrypted at
rest, history too; empty becomes NULL, and the actor constraint checks for NULL instead of ''."""

import encrypted_fields.fields
from django.db import migrations, models

BATCH = 500
FIELD = "actor_organisation"


def encrypt_existing(apps, label: str) -> None:
    """Rewrite every value through the now-encrypted field: a clear value reads back as it is
    (the field passes a value it cannot decrypt through) and is saved encrypted; '' becomes NULL."""
    model = apps.get_model(*label.split("."))
    pk = model._meta.pk.attname
    last = None
    while True:
        rows = model._base_manager.all()
        if last is not None:
            rows = rows.filter(**{f"{pk}__gt": last})
        batch = list(rows.order_by(pk).only(pk, FIELD)[:BATCH])
        if not batch:
            return
        last = getattr(batch[-1], pk)
        for row in batch:
            setattr(row, FIELD, getattr(row, FIELD) or None)
        model._base_manager.bulk_update(batch, [FIELD])


def encrypt(apps, schema_editor):
    for label in [
        "support.Intervention",
        "support.HistoricalIntervention",
        "support.Task",
        "support.HistoricalTask",
    ]:
        encrypt_existing(apps, label)


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0012_district_route"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="intervention",
            name="support_intervention_actor",
        ),
        migrations.RemoveConstraint(
            model_name="task",
            name="support_task_actor",
        ),
        migrations.AlterField(
            model_name="historicalintervention",
            name="actor_organisation",
            field=encrypted_fields.fields.EncryptedCharField(
                blank=True, max_length=200, null=True, verbose_name="ansvarig organisation"
            ),
        ),
        migrations.AlterField(
            model_name="historicaltask",
            name="actor_organisation",
            field=encrypted_fields.fields.EncryptedCharField(
                blank=True, max_length=200, null=True, verbose_name="ansvarig organisation"
            ),
        ),
        migrations.AlterField(
            model_name="intervention",
            name="actor_organisation",
            field=encrypted_fields.fields.EncryptedCharField(
                blank=True, max_length=200, null=True, verbose_name="ansvarig organisation"
            ),
        ),
        migrations.AlterField(
            model_name="task",
            name="actor_organisation",
            field=encrypted_fields.fields.EncryptedCharField(
                blank=True, max_length=200, null=True, verbose_name="ansvarig organisation"
            ),
        ),
        migrations.RunPython(encrypt, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="intervention",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("actor_kind", ""),
                        ("actor_organisation__isnull", True),
                        ("actor_role", ""),
                        ("actor_unit__isnull", True),
                        ("actor_user__isnull", True),
                    ),
                    models.Q(
                        ("actor_kind", "staff"),
                        ("actor_organisation__isnull", True),
                        ("actor_role", ""),
                        ("actor_unit__isnull", True),
                        ("actor_user__isnull", False),
                    ),
                    models.Q(
                        ("actor_kind", "role"),
                        ("actor_unit__isnull", False),
                        ("actor_user__isnull", True),
                        models.Q(("actor_role", ""), _negated=True),
                        ("actor_organisation__isnull", True),
                    ),
                    models.Q(
                        ("actor_kind", "organisation"),
                        ("actor_role", ""),
                        ("actor_unit__isnull", True),
                        ("actor_user__isnull", True),
                        ("actor_organisation__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="support_intervention_actor",
            ),
        ),
        migrations.AddConstraint(
            model_name="task",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("actor_kind", ""),
                        ("actor_organisation__isnull", True),
                        ("actor_role", ""),
                        ("actor_unit__isnull", True),
                        ("actor_user__isnull", True),
                    ),
                    models.Q(
                        ("actor_kind", "staff"),
                        ("actor_organisation__isnull", True),
                        ("actor_role", ""),
                        ("actor_unit__isnull", True),
                        ("actor_user__isnull", False),
                    ),
                    models.Q(
                        ("actor_kind", "role"),
                        ("actor_unit__isnull", False),
                        ("actor_user__isnull", True),
                        models.Q(("actor_role", ""), _negated=True),
                        ("actor_organisation__isnull", True),
                    ),
                    models.Q(
                        ("actor_kind", "organisation"),
                        ("actor_role", ""),
                        ("actor_unit__isnull", True),
                        ("actor_user__isnull", True),
                        ("actor_organisation__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="support_task_actor",
            ),
        ),
    ]
