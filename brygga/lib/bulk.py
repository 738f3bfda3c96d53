"""Loading many rows at once, for demo and volume data (seed_demo), never for a request.

`new(model, **values)` makes an unsaved instance several times faster than the model's
constructor (values by attname: `case_id=…`; no signals, no validation). `insert(model, objs)`
is `bulk_create` with the primary keys set, in list order. On PostgreSQL
it takes the ids from the table's sequence up front and streams the rows with COPY: no SQL
text to build or parse, several times faster than multi-row INSERTs at 100 000 persons
(docs/decisions/0082). Elsewhere (SQLite: the 300-person demo) it is plain `bulk_create`.

Model defaults are applied as usual (by the model's constructor); `auto_now`/`auto_now_add`
fields get their value as in `save()`. No signals are sent, as with `bulk_create`.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from django.db import connections, models, router
from django.db.models.base import ModelState

M = TypeVar("M", bound=models.Model)
CHUNK = 5000
# Field types whose Python values psycopg writes as they are: no Django conversion needed.
_PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,  # aware datetimes go as they are
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
    models.ForeignKey,
    models.OneToOneField,
)
_PLAIN_VALUES = (str, int, bool, datetime.date, decimal.Decimal, uuid.UUID, type(None))


def new(model: type[M], **values: Any) -> M:
    """An unsaved `model` with its defaults and `values` (by attname), built without running
    the constructor: for the millions of rows of volume data only."""
    static, dynamic = _defaults(model)
    if not static.keys() >= values.keys() - {name for name, _ in dynamic}:
        raise TypeError(f"{model.__name__}: not attnames: {sorted(values.keys() - static.keys())}")
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(static)
    for attname, default in dynamic:
        obj.__dict__[attname] = default()
    obj.__dict__.update(values)
    return obj


@functools.cache
def _defaults(model: type[models.Model]) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...]]:
    static: dict[str, Any] = {}
    dynamic = []
    for field in model._meta.concrete_fields:
        if field.has_default() and callable(field.default):
            dynamic.append((field.attname, field.default))
        else:
            static[field.attname] = field.get_default()
    return static, tuple(dynamic)


def update(model: type[models.Model], column: str, values: dict[int, Any]) -> None:
    """Set one column per row, {pk: value}: one statement per 5 000 rows on PostgreSQL."""
    if not values:
        return
    field = cast(models.Field, model._meta.get_field(column))
    if type(field) not in _PLAIN:
        # The UPDATE below writes values as they are: an encrypted field would land in clear.
        raise TypeError(f"{model.__name__}.{column}: bulk.update takes plain columns only")
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        objs = [model(pk=pk, **{column: value}) for pk, value in values.items()]
        model._default_manager.bulk_update(objs, [column], batch_size=500)
        return
    q = connection.ops.quote_name
    db_type = field.db_type(connection)
    items = list(values.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            cursor.execute(
                f"UPDATE {q(model._meta.db_table)} SET {q(cast(str, field.column))} = v.value "  # noqa: S608
                f"FROM unnest(%s::bigint[], %s::{db_type}[]) AS v(id, value) "
                f"WHERE {q(model._meta.db_table)}.id = v.id",
                [[pk for pk, _ in chunk], [value for _, value in chunk]],
            )


def insert(model: type[M], objs: Sequence[M], *, using: str | None = None) -> list[M]:
    """INSERT `objs` (instances of `model`, pks unset) in list order; returns them with pks."""
    objs = list(objs)
    if not objs:
        return objs
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql" or model._meta.pk.attname != "id":
        return model._default_manager.db_manager(alias).bulk_create(objs, batch_size=2000)
    _assign_ids(connection, model, objs)
    fields = [f for f in model._meta.concrete_fields]
    converters = [_converter(f, connection) for f in fields]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(cast(str, f.column)) for f in fields)
    attnames = [f.attname for f in fields]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 - model names
            for obj in objs:
                for field in stamped:
                    field.pre_save(obj, add=True)
                copy.write_row(
                    [
                        convert(getattr(obj, name))
                        for name, convert in zip(attnames, converters, strict=True)
                    ]
                )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs


def _assign_ids(connection: Any, model: type[models.Model], objs: list[Any]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), len(objs)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value)
    if type(field) in _PLAIN or (
        isinstance(field, models.ForeignKey) and type(field.target_field) in _PLAIN
    ):

        def plain(value: Any) -> Any:
            if isinstance(value, _PLAIN_VALUES):
                return value
            return field.get_db_prep_save(value, connection)

        return plain
    return lambda value: field.get_db_prep_save(value, connection)
