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
            # COPY is psycopg's own: its errors become Django's (an IntegrityError a caller
            # can catch) as for any other statement.
            with connection.wrap_database_errors:
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


def any_of(column: str, values) -> tuple[str, list]:
    """``column = ANY(%s)`` with one array parameter on PostgreSQL (the query's text stays
    short however many values: thousands of placeholders cost more to send and parse than
    the look-up itself), ``column IN (%s, …)`` elsewhere. ``column`` is trusted SQL."""
    values = list(values)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def rows_with_keys(model, keys: tuple[str, str], pairs, columns: list[str]) -> list[tuple]:
    """The ``columns`` (field names) of ``model``'s rows whose two ``keys`` fields hold one
    of ``pairs``: on PostgreSQL one join against the pairs (two arrays unnested), which
    probes the two-column index once per pair; elsewhere ``IN`` on each key, the pairs
    picked out after."""
    pairs = set(pairs)
    if not pairs:
        return []
    meta, quote = model._meta, connection.ops.quote_name
    first, second = (meta.get_field(k) for k in keys)
    if connection.vendor != "postgresql":
        found = model.objects.filter(
            **{f"{first.name}__in": {a for a, _ in pairs}},
            **{f"{second.name}__in": {b for _, b in pairs}},
        ).values_list(first.attname, second.attname, *columns)
        return [row[2:] for row in found if (row[0], row[1]) in pairs]
    selected = ", ".join(f"t.{quote(meta.get_field(c).column)}" for c in columns)
    types = [_array_type(f) for f in (first, second)]
    sql = (
        f"SELECT {selected} FROM {quote(meta.db_table)} t "
        f"JOIN unnest(%s::{types[0]}[], %s::{types[1]}[]) AS k(a, b) "
        f"ON t.{quote(first.column)} = k.a AND t.{quote(second.column)} = k.b"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [[a for a, _ in pairs], [b for _, b in pairs]])
        return cursor.fetchall()


def _array_type(field) -> str:
    kind = (
        field.target_field.get_internal_type() if field.is_relation else field.get_internal_type()
    )
    if kind in ("AutoField", "BigAutoField", "BigIntegerField", "IntegerField"):
        return "bigint"
    if kind in ("CharField", "TextField", "SlugField"):
        return "text"
    raise ValueError(f"rows_with_keys: no array type for {field!r}")
