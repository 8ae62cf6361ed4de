"""Set-based writes for bulk paths (the demo generator, the roll's initial load): COPY on
PostgreSQL, executemany elsewhere, and plain indexes dropped during a load and rebuilt after.

Rows are tuples of database values in the order of ``fields`` (foreign keys as ids);
a caller that allocates ids itself calls ``reset_sequences`` afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice

from django.core.management.color import no_style
from django.db import connection


def _columns(model, fields: list[str]) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(f).column) for f in fields]


def insert_rows(model, fields: list[str], rows: Iterable[tuple], *, batch_size: int = 5000) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_columns(model, fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        rows = iter(rows)
        while batch := list(islice(rows, batch_size)):
            cursor.executemany(sql, batch)


_PLAIN_INDEXES = {
    # Indexes that back no constraint (primary keys and UNIQUE stay): safe to drop and rebuild.
    "postgresql": """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = %s
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c
            WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
          )
          AND (%s = false OR i.indexdef NOT LIKE 'CREATE UNIQUE%%')
        ORDER BY i.indexname
    """,
    "sqlite": """
        SELECT name, sql FROM sqlite_master
        WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL
          AND (%s = 0 OR sql NOT LIKE 'CREATE UNIQUE%%') ORDER BY name
    """,
}


# Unique and foreign-key constraints (PostgreSQL), in the order they are added back: the
# unique ones first, so a foreign key that points at one finds its index.
_CONSTRAINTS = """
    SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
    FROM pg_constraint c
    WHERE c.conrelid = %s::regclass AND c.contype IN ('u', 'f')
    ORDER BY c.contype DESC, c.conname
"""


@contextmanager
def indexes_built_after(*models, keep_unique: bool = False, constraints: bool = False):
    """Drop the plain indexes of ``models`` for a bulk load and build them again after it.

    Building an index once over loaded rows is several times faster than keeping it up
    to date row by row. ``keep_unique`` keeps unique indexes without a constraint of their
    own (Django's conditional UniqueConstraints) in place while loading.

    ``constraints`` (PostgreSQL only) also drops the unique and foreign-key constraints
    and adds them back after the load: one sort builds each unique index, and one join
    per foreign key checks every loaded row at once instead of a look-up per row. Only
    primary keys and check constraints stay. Dropping a foreign key locks the table it
    points at (ACCESS EXCLUSIVE) until the transaction ends.

    Inside a transaction the drop is undone with everything else if the load fails (both
    databases have transactional DDL); a row that breaks a constraint makes adding it back
    fail, which fails the load.
    """
    query = _PLAIN_INDEXES.get(connection.vendor)
    postgres = connection.vendor == "postgresql"
    saved: list[tuple[str, str]] = []
    dropped: list[tuple[str, str, str]] = []
    quote = connection.ops.quote_name
    if query:
        with connection.cursor() as cursor:
            if constraints and postgres:
                for model in models:
                    cursor.execute(_CONSTRAINTS, [quote(model._meta.db_table)])
                    dropped.extend(cursor.fetchall())
                # ALTER TABLE refuses a table with pending deferred checks: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # Foreign keys first (the unique ones may be what they point at).
                for table, name, _definition in reversed(dropped):
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for model in models:
                cursor.execute(query, [model._meta.db_table, keep_unique])
                saved.extend(cursor.fetchall())
            for name, _definition in saved:
                cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    if not saved and not dropped:
        return
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, definition in saved:
            cursor.execute(definition)
        for table, name, definition in dropped:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def reset_sequences(models: list) -> None:
    """After inserting explicit ids: the next id the database hands out follows them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
