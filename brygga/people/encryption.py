"""Field encryption helpers: find every encrypted field, reload keys, re-encrypt with the first.

The library (django-fernet-encrypted-fields) derives one Fernet key per (SECRET_KEY or fallback,
SALT_KEY) pair; the first encrypts, all decrypt. It caches the keys on each field instance, so
after a settings change the caches must be dropped (`reset_field_keys`).
"""

from __future__ import annotations

from collections.abc import Iterator

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast
from encrypted_fields.fields import EncryptedFieldMixin


class UndecryptableValue(Exception):
    """A stored value that no configured key decrypts: rotation stops rather than lose it."""


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[models.Field]]]:
    """Every concrete model (history tables included) with its encrypted fields."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedFieldMixin)  # type: ignore[misc]
        ]
        if fields:
            yield model, fields


def reset_field_keys() -> None:
    for _model, fields in encrypted_fields():
        for field in fields:
            for cached in ("keys", "f"):
                field.__dict__.pop(cached, None)


def rotate_model(model: type[models.Model], fields: list[models.Field], batch_size: int) -> int:
    """Re-encrypt every non-empty value of `fields` with the first key. Returns rows rewritten."""
    raw = {f.attname: Cast(f.attname, output_field=models.TextField()) for f in fields}
    pk_name = model._meta.pk.attname  # type: ignore[union-attr]
    manager = model._base_manager
    rewritten = 0
    last_pk = None
    while True:
        rows = manager.order_by(pk_name)
        if last_pk is not None:
            rows = rows.filter(pk__gt=last_pk)
        batch = list(rows.values(pk_name, **{f"raw_{k}": v for k, v in raw.items()})[:batch_size])
        if not batch:
            return rewritten
        last_pk = batch[-1][pk_name]
        objs = []
        for row in batch:
            obj = model(**{pk_name: row[pk_name]})
            for field in fields:
                token = row[f"raw_{field.attname}"]
                setattr(obj, field.attname, _decrypt(field, token, model, row[pk_name]))
            objs.append(obj)
        with transaction.atomic():
            manager.bulk_update(objs, [f.attname for f in fields])
        rewritten += len(objs)


def _decrypt(
    field: models.Field, token: str | None, model: type[models.Model], pk: object
) -> str | None:
    if not token:
        return token
    try:
        return field.f.decrypt(token.encode()).decode()  # type: ignore[attr-defined]
    except InvalidToken as exc:
        raise UndecryptableValue(f"{model._meta.label} pk={pk} field={field.name}") from exc
