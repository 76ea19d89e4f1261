"""Fast inserts for the import: PostgreSQL's COPY, SQLite's executemany, bypassing model instances.

At 1.5 million contracts, building a model instance and preparing each value through its field costs more than
parsing the file (`bulk_create` took ~60 % of an import's time). The import knows its values' types, so rows are
plain tuples converted once per column kind here; everything else (constraints, defaults of columns not listed)
stays with the database. Only the import's own tables go through this path.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Collection, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, models

Converter = Callable[[Any], Any]


def new_public_ids(count: int) -> list[str]:
    """Random (version 4) UUIDs as 32 hex digits, the form Django stores on SQLite and PostgreSQL accepts.
    One call to the system's random source for the whole batch instead of one per row."""
    data = bytearray(os.urandom(16 * count))
    for start in range(0, len(data), 16):
        data[start + 6] = (data[start + 6] & 0x0F) | 0x40  # version 4
        data[start + 8] = (data[start + 8] & 0x3F) | 0x80  # RFC 4122 variant
    hexed = data.hex()
    return [hexed[i : i + 32] for i in range(0, len(hexed), 32)]


def _identity(value: Any) -> Any:
    return value


def _json(value: Any) -> Any:
    return None if value is None else json.dumps(value)


def _naive_utc(value: Any) -> Any:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _converter(field: models.Field[Any, Any]) -> Converter:
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.DateTimeField) and connection.vendor == "sqlite" and settings.USE_TZ:
        return _naive_utc  # Django keeps naive UTC datetimes in SQLite
    return _identity


def _convert(row: Sequence[Any], converted: list[tuple[int, Converter]]) -> list[Any]:
    values = list(row)
    for index, convert in converted:
        values[index] = convert(values[index])
    return values


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    json_ready: Collection[str] = (),
    ignore_conflicts: bool = False,
) -> None:
    """Insert `rows` (values in the order of `columns`, attribute names such as "buyer_id") into the model's table.
    Values are Python values of the column's type; JSON columns take Python lists/dicts, or their JSON text for
    the columns named in `json_ready`. With `ignore_conflicts`, rows breaking a unique constraint are skipped
    (an INSERT per row, sent in one batch, instead of COPY on PostgreSQL)."""
    if not rows:
        return
    fields = {field.attname: field for field in model._meta.concrete_fields}
    converters = [_identity if column in json_ready else _converter(fields[column]) for column in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(fields[column].column or column) for column in columns)
    converted = [(index, convert) for index, convert in enumerate(converters) if convert is not _identity]
    if converted:
        rows = [_convert(row, converted) for row in rows]
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        if ignore_conflicts:
            verb, tail = ("INSERT", " ON CONFLICT DO NOTHING")
            if connection.vendor == "sqlite":
                verb, tail = ("INSERT OR IGNORE", "")
            cursor.executemany(f"{verb} INTO {table} ({names}) VALUES ({marks}){tail}", rows)
        elif connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def model_defaults(model: type[models.Model], columns: Collection[str]) -> dict[str, Any]:
    """The default value of every other column of the model (its field's default, "" for text), to insert rows
    through `insert_rows` with values for `columns` only."""
    return {
        field.attname: field.get_default()
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in columns
    }
