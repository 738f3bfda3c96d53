"""The protected-housing provider (which shelter a named person is in) is encrypted at rest."""

import encrypted_fields.fields
from django.db import migrations

BATCH = 500


def encrypt_existing(apps, label: str, field: str) -> None:
    """Rewrite every value through the now-encrypted field: a clear value reads back as it is
    (the field passes a value it cannot decrypt through) and is saved encrypted."""
    model = apps.get_model(*label.split("."))
    pk = model._meta.pk.attname
    last = None
    while True:
        rows = model._base_manager.all()
        if last is not None:
            rows = rows.filter(**{f"{pk}__gt": last})
        batch = list(rows.order_by(pk).only(pk, field)[:BATCH])
        if not batch:
            return
        last = getattr(batch[-1], pk)
        filled = [row for row in batch if getattr(row, field)]
        model._base_manager.bulk_update(filled, [field])


def encrypt(apps, schema_editor):
    for label, field in [("cases.ProtectedHousingStay", "provider")]:
        encrypt_existing(apps, label, field)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_identity_match"),
    ]

    operations = [
        migrations.AlterField(
            model_name="protectedhousingstay",
            name="provider",
            field=encrypted_fields.fields.EncryptedCharField(
                max_length=200, verbose_name="boende / utförare"
            ),
        ),
        migrations.RunPython(encrypt, migrations.RunPython.noop),
    ]
