"""Secondary indexes of the contract tables, dropped around a first full load and rebuilt after it (ADR 0013).

Maintaining a B-tree row by row while millions of rows arrive in random key order costs several times more than
building it once from the sorted rows. So when an import starts on an empty contracts table, the indexes that only
serve reading (pages, search, filters) are dropped, and they are created again once the run has written everything
and its search index. Creation is `CREATE INDEX IF NOT EXISTS`: every import starting on a non-empty table runs it
first, so a first load killed halfway gets its indexes back when it is resumed (the resumed part is then loaded
with the indexes in place: slower, but correct). The unique and primary keys the import itself reads (`uid`, the
keys of holders and amendments) are never dropped.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models

from .models import Contract, ContractTerm

# SQLite, for the length of an import: a page cache that holds the import's indexes (the default 2 MB makes each
# batch re-read them from the OS), and fewer WAL checkpoints (by default one at every batch's commit).
_SQLITE_IMPORT_PRAGMAS = {"cache_size": -131072, "wal_autocheckpoint": 16384}
# PostgreSQL, to build an index from millions of rows in memory rather than in sorted runs on disk.
_POSTGRES_INDEX_MEMORY = "256MB"
# ORDER BY notified_on DESC NULLS LAST, id DESC: PostgreSQL only (see migration 0003_contract_search).
RECENT_INDEX = "contract_recent"


def secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE INDEX IF NOT EXISTS …) of each index dropped for a first load, from the models' declarations."""
    editor = connection.schema_editor()  # only to write statements: never entered, nothing is executed
    found: list[tuple[str, str]] = []
    for model in (Contract, ContractTerm):
        for index in model._meta.indexes:
            found.append((str(index.name), str(index.create_sql(model, editor))))
    cpv = Contract._meta.get_field("cpv")
    if isinstance(cpv, models.Field) and getattr(cpv, "db_index", False):
        statement = editor._create_index_sql(Contract, fields=[cpv])  # type: ignore[attr-defined]
        found.append((str(statement.parts["name"]).strip('"'), str(statement)))
        like = getattr(editor, "_create_like_index_sql", lambda *_: None)(Contract, cpv)  # PostgreSQL only
        if like is not None:
            found.append((str(like.parts["name"]).strip('"'), str(like)))
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Contract._meta.db_table)
        found.append((RECENT_INDEX, f"CREATE INDEX {RECENT_INDEX} ON {table} (notified_on DESC NULLS LAST, id DESC)"))
    return [(name, sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)) for name, sql in found]


def _execute(statements: list[str]) -> None:
    """Run DDL statements. Inside a transaction holding deferred foreign-key checks (an import called within one,
    as tests do), PostgreSQL refuses to index a table with pending checks: they are run first."""
    postgresql = connection.vendor == "postgresql"
    deferred = postgresql and connection.in_atomic_block
    with connection.cursor() as cursor:
        if deferred:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if postgresql:
            cursor.execute(f"SET maintenance_work_mem = '{_POSTGRES_INDEX_MEMORY}'")
        for statement in statements:
            cursor.execute(statement)
        if postgresql:
            cursor.execute("RESET maintenance_work_mem")
        if deferred:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def import_session() -> Iterator[None]:
    """Settings for the length of an import, restored after it: the objects alive before it are left out of the
    garbage collector's passes (`gc.freeze`: each batch allocates ~100,000 objects, and every collection they
    trigger would scan the whole heap again); SQLite: `_SQLITE_IMPORT_PRAGMAS`."""
    gc.freeze()
    try:
        if connection.vendor == "sqlite":
            with _sqlite_pragmas():
                yield
        else:
            yield
    finally:
        gc.unfreeze()


@contextmanager
def _sqlite_pragmas() -> Iterator[None]:
    with connection.cursor() as cursor:
        previous = {}
        for name, value in _SQLITE_IMPORT_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            previous[name] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in previous.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")


def drop_secondary_indexes() -> None:
    _execute([f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}" for name, _ in secondary_indexes()])


def ensure_secondary_indexes() -> None:
    """Create the secondary indexes that are missing (none, except after a first load or its interruption)."""
    _execute([sql for _, sql in secondary_indexes()])


def first_load_prepare() -> bool:
    """Before an import: on an empty contracts table, drop the secondary indexes and return True (the caller
    rebuilds them with `ensure_secondary_indexes` at the end); otherwise make sure they all exist."""
    if not Contract.objects.exists():
        drop_secondary_indexes()
        return True
    ensure_secondary_indexes()
    return False
