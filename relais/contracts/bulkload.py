"""Secondary indexes of the contract tables, dropped around a first full load and rebuilt after it (ADR 0013).

Maintaining a B-tree row by row while millions of rows arrive in random key order costs several times more than
building it once from the sorted rows. So when an import starts on an empty contracts table, the indexes that only
serve reading (pages, search, filters) are dropped, and they are created again once the run has written everything
and its search index. Creation is `CREATE INDEX IF NOT EXISTS`: every import starting on a non-empty table runs it
first, so a first load killed halfway gets its indexes back when it is resumed (the resumed part is then loaded
with the indexes in place: slower, but correct). The unique and primary keys the import itself reads (`uid`, the
keys of holders and amendments) are never dropped. On PostgreSQL the primary key of the search index (written
only at the end of a run) and the foreign-key constraints of the contract tables are dropped and added back too.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.db import connection, connections, models

from .models import Contract, ContractHolder, ContractModification, ContractTerm

# SQLite, for the length of an import: a page cache that holds the import's indexes (the default 2 MB makes each
# batch re-read them from the OS), and fewer WAL checkpoints (by default one at every batch's commit).
_SQLITE_IMPORT_PRAGMAS = {"cache_size": -131072, "wal_autocheckpoint": 16384}
# Objects allocated between two collections of the youngest generation, in the import and its reader processes.
GC_THRESHOLD = 100_000
# PostgreSQL, to build an index from millions of rows in memory rather than in sorted runs on disk.
_POSTGRES_INDEX_MEMORY = "256MB"
# ORDER BY notified_on DESC NULLS LAST, id DESC: PostgreSQL only (see migration 0003_contract_search).
RECENT_INDEX = "contract_recent"


def secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE INDEX IF NOT EXISTS …) of each index dropped for a first load, from the models' declarations."""
    return contract_indexes() + term_indexes()


def contract_indexes() -> list[tuple[str, str]]:
    """The secondary indexes of the contracts table (its declared ones, the CPV's, and on PostgreSQL the order of
    the most recent)."""
    editor = connection.schema_editor()  # only to write statements: never entered, nothing is executed
    found = [(str(index.name), str(index.create_sql(Contract, editor))) for index in Contract._meta.indexes]
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
    return _if_not_exists(found)


def term_indexes() -> list[tuple[str, str]]:
    """The lookup index of the search index (its primary key aside: `_ensure_term_key`)."""
    editor = connection.schema_editor()
    return _if_not_exists([(str(i.name), str(i.create_sql(ContractTerm, editor))) for i in ContractTerm._meta.indexes])


def _if_not_exists(statements: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)) for name, sql in statements]


def _term_key() -> tuple[str, str, str]:
    """(table, constraint, columns) of the search index's primary key, PostgreSQL's default name for it."""
    table = ContractTerm._meta.db_table
    return connection.ops.quote_name(table), connection.ops.quote_name(f"{table}_pkey"), "contract_id, term"


def _drop_term_key() -> list[str]:
    """On PostgreSQL the search index's primary key is dropped for a first load too: its rows are written in one
    statement after the contracts (`search.index_contracts_of_run`), and building the key once from them costs a
    third of maintaining it row by row. SQLite cannot drop a primary key: it stays."""
    if connection.vendor != "postgresql":
        return []
    table, name, _ = _term_key()
    return [f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"]


def _ensure_term_key() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    table, name, columns = _term_key()
    # ALTER TABLE has no ADD CONSTRAINT IF NOT EXISTS: the catalogue says whether the key is there.
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '{table}'::regclass "  # noqa: S608 (model names)
        f"AND contype = 'p') THEN ALTER TABLE {table} ADD CONSTRAINT {name} PRIMARY KEY ({columns}); END IF; END $$"
    ]


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
    trigger would scan the whole heap again), and the youngest generation is collected after `GC_THRESHOLD` new
    objects rather than 700 (rows and records hold no cycles: each pass traversed the batch for nothing, as in the
    reader process); SQLite: `_SQLITE_IMPORT_PRAGMAS`; PostgreSQL: `_postgres_session`."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        with _sqlite_pragmas() if connection.vendor == "sqlite" else _postgres_session():
            yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@contextmanager
def _postgres_session() -> Iterator[None]:
    """Commits that do not wait for their WAL to reach the disk (`synchronous_commit = off`). Safe for an import:
    a crash of the server can lose only its last committed batches, and the run's position is committed with each
    batch, so the resumed run reads them again and ends in the same state (never a half-written batch)."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


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


def _foreign_keys() -> list[tuple[type[models.Model], models.ForeignKey[Any, Any]]]:
    """The foreign keys of the tables a load fills, constrained in the database."""
    return [
        (model, field)
        for model in (Contract, ContractHolder, ContractModification)
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and getattr(field, "db_constraint", True)
    ]


def _foreign_key_names(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
            "AND a.attnum = ANY (c.conkey) WHERE c.contype = 'f' AND c.conrelid = %s::regclass AND a.attname = %s",
            [connection.ops.quote_name(table), column],
        )
        return [row[0] for row in cursor.fetchall()]


def _drop_foreign_keys() -> list[str]:
    """On PostgreSQL a first load also goes without the foreign-key constraints of the contract tables: each row
    queued 2 to 4 deferred checks, run one by one at every commit (about a third of a batch's time); adding the
    constraint back checks the whole table in one join (PostgreSQL's advice for populating a database). SQLite's
    checks are cheap lookups made as rows arrive: they stay."""
    if connection.vendor != "postgresql":
        return []
    quote = connection.ops.quote_name
    return [
        f"ALTER TABLE {quote(model._meta.db_table)} DROP CONSTRAINT IF EXISTS {quote(name)}"
        for model, field in _foreign_keys()
        for name in _foreign_key_names(model._meta.db_table, field.column)
    ]


def _ensure_foreign_keys() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    editor = connection.schema_editor()  # only to write statements, as in `secondary_indexes`
    return [
        str(editor._create_fk_sql(model, field, "_fk_%(to_table)s_%(to_column)s"))  # type: ignore[attr-defined]
        for model, field in _foreign_keys()
        if not _foreign_key_names(model._meta.db_table, field.column)
    ]


def drop_secondary_indexes() -> None:
    drops = [f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}" for name, _ in secondary_indexes()]
    _execute(drops + _drop_term_key() + _drop_foreign_keys())


def ensure_secondary_indexes() -> None:
    """Create what a first load (or its interruption) left missing: `ensure_term_indexes`,
    `ensure_contract_indexes`, then `ensure_foreign_keys`."""
    ensure_term_indexes()
    ensure_contract_indexes()
    ensure_foreign_keys()


def ensure_term_indexes() -> None:
    """The search index's primary key and lookup index, when missing (the key first: the lookup index is then
    built from a table whose pages are in memory)."""
    _execute(_ensure_term_key() + [sql for _, sql in term_indexes()])


def ensure_contract_indexes() -> None:
    """The secondary indexes of the contracts table, when missing. Independent of the search index's: after a
    first load on PostgreSQL they are built in another connection while it is written (`services._after_load`)."""
    _execute([sql for _, sql in contract_indexes()])


def ensure_foreign_keys() -> None:
    """The foreign-key constraints dropped for a first load, when missing (last: their check reads the indexes)."""
    _execute(_ensure_foreign_keys())


def first_load_prepare() -> bool:
    """Before an import: on an empty contracts table, drop the secondary indexes and return True (the caller
    rebuilds them with `ensure_secondary_indexes` at the end); otherwise make sure they all exist."""
    if not Contract.objects.exists():
        drop_secondary_indexes()
        return True
    ensure_secondary_indexes()
    return False


def side_by_side(*steps: Callable[[], None]) -> None:
    """Run independent steps at the same time, each in its own thread and database connection, on PostgreSQL when
    the import is not inside a transaction (the other connections must see what it committed); otherwise one after
    the other. After a first load of 150,000 contracts the search index (rows, key, lookup index) and the contracts'
    indexes then the cubes each take ~6 s of one core: side by side they use the machine's second core."""
    first, *others = steps
    if connection.vendor != "postgresql" or connection.in_atomic_block or not others:
        for step in steps:
            step()
        return

    def in_own_connection(step: Callable[[], None]) -> None:
        try:
            step()
        finally:
            connections.close_all()  # this thread's connections only

    with ThreadPoolExecutor(max_workers=len(others), thread_name_prefix="decp-after-load") as pool:
        pending = [pool.submit(in_own_connection, step) for step in others]
        first()
        for future in pending:
            future.result()  # re-raises a step's error here
