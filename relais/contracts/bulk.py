"""Fast inserts for the import: PostgreSQL's COPY, SQLite's executemany, bypassing model instances.

At 1.5 million contracts, building a model instance and preparing each value through its field costs more than
parsing the file (`bulk_create` took ~60 % of an import's time). The import knows its values' types, so rows are
plain tuples converted once per column kind here; everything else (constraints, defaults of columns not listed)
stays with the database. Only the import's own tables go through this path.
"""

from __future__ import annotations

import datetime as dt
import functools
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


@functools.lru_cache(maxsize=256)
def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    """The text Django stores for a datetime in SQLite (naive UTC, written by its adapter), made here once per
    value: an import stamps all the rows of a batch with the same time."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(" ")


def _converter(field: models.Field[Any, Any]) -> Converter:
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.DateTimeField) and connection.vendor == "sqlite" and settings.USE_TZ:
        return _sqlite_datetime  # Django keeps naive UTC datetimes in SQLite
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
    (on PostgreSQL one INSERT … SELECT from the rows sent as JSON, instead of COPY)."""
    if not rows:
        return
    fields = {field.attname: field for field in model._meta.concrete_fields}
    converters = [_identity if column in json_ready else _converter(fields[column]) for column in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(fields[column].column or column) for column in columns)
    converted = [(index, convert) for index, convert in enumerate(converters) if convert is not _identity]
    if converted:
        rows = [_convert(row, converted) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if ignore_conflicts:
                types = [_cast_type(fields[column]) for column in columns]
                cursor.execute(_insert_json_sql(table, names, types), [json.dumps(rows, default=_json_scalar)])
                return
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        verb = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"{verb} INTO {table} ({names}) VALUES ({marks})", rows)


def _insert_json_sql(table: str, names: str, types: list[str]) -> str:
    """INSERT … SELECT from the rows sent as one JSON array of arrays, in their order (the ids the table gives
    follow it), rows breaking a unique constraint skipped. One statement and one parameter: an INSERT per row cost
    ~0.1 ms a row, arrays of Python values several microseconds per value to adapt. As jsonb, each row is parsed
    once (`->>` on a json value parses it again for every column)."""
    values = ", ".join(f"CAST(row ->> {index} AS {kind})" for index, kind in enumerate(types))
    return (
        f"INSERT INTO {table} ({names}) SELECT {values} "  # noqa: S608
        f"FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS source (row, position) "
        f"ORDER BY position ON CONFLICT DO NOTHING"
    )


def _cast_type(field: models.Field[Any, Any]) -> str:
    """The type a JSON text is cast to for the field's column; text for character columns, so that a value too
    long for the column is refused as COPY would, not cut by the cast."""
    kind = str(field.db_type(connection))
    return "text" if kind.startswith("varchar") else kind


def _json_scalar(value: Any) -> str:
    """Values JSON has no type for, as PostgreSQL reads them: ISO dates and times (every digit), exact decimals."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def any_of(column: str, values: Sequence[str]) -> tuple[str, str]:
    """An SQL condition "the text `column` is one of `values`", with the values as one JSON parameter:
    (condition, parameter). A statement with thousands of placeholders, or an array of Python values to adapt,
    cost more to prepare than to run."""
    name = connection.ops.quote_name(column)
    elements = "json_array_elements_text(%s::json)" if connection.vendor == "postgresql" else "value FROM json_each(%s)"
    return f"{name} IN (SELECT {elements})", json.dumps(list(values))


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve `count` primary keys of the model's table: the ones rows inserted without a key would have taken,
    in order. PostgreSQL: from the table's sequence (safe with concurrent writers). SQLite: after the highest key
    ever given (AUTOINCREMENT's rule); the caller's transaction holds the write lock until its rows are in."""
    if count <= 0:
        return []
    table = model._meta.db_table
    key = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(sequence) FROM CAST(pg_get_serial_sequence(%s, %s) AS regclass) AS sequence, "
                "generate_series(1, %s) ORDER BY 1",
                [connection.ops.quote_name(table), key, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(key)}) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        given = cursor.fetchone()
        start = max(highest, given[0] if given else 0) + 1
    return list(range(start, start + count))


def model_defaults(model: type[models.Model], columns: Collection[str]) -> dict[str, Any]:
    """The default value of every other column of the model (its field's default, "" for text), to insert rows
    through `insert_rows` with values for `columns` only."""
    return {
        field.attname: field.get_default()
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in columns
    }
