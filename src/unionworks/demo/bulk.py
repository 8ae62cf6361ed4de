"""Set-based writes for the demo generator: COPY on PostgreSQL, executemany elsewhere.

Rows are tuples of database values in the order of ``fields`` (foreign keys as ids);
the caller allocates the ids and then calls ``reset_sequences``.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice

from django.apps import apps
from django.contrib.sessions.models import Session
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
        ORDER BY i.indexname
    """,
    "sqlite": """
        SELECT name, sql FROM sqlite_master
        WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL ORDER BY name
    """,
}


@contextmanager
def indexes_built_after(*models):
    """Drop the plain indexes of ``models`` for a bulk load and build them again after it.

    Building an index once over loaded rows is several times faster than keeping it up
    to date row by row. Inside a transaction the drop is undone with everything else if
    the load fails (both databases have transactional DDL).
    """
    query = _PLAIN_INDEXES.get(connection.vendor)
    saved: list[tuple[str, str]] = []
    if query:
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(query, [model._meta.db_table])
                saved.extend(cursor.fetchall())
            for name, _definition in saved:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    if not saved:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # CREATE INDEX waits for no one: run the deferred foreign-key checks first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, definition in saved:
            cursor.execute(definition)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def reset_sequences(models: list) -> None:
    """After inserting explicit ids: the next id the database hands out follows them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def project_tables() -> list[str]:
    """Every table of our own apps (and the sessions of the accounts in them)."""
    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_config.name.startswith("unionworks.")
    ]
    existing = set(connection.introspection.table_names())
    return [
        t for t in [m._meta.db_table for m in models] + [Session._meta.db_table] if t in existing
    ]


def row_counts() -> dict[str, int]:
    """Row counts of the tables that make a database "not empty" for the demo."""
    from unionworks.accounts.models import User
    from unionworks.orgs.models import Org, Unit

    return {
        "工会组织": Org.objects.count(),
        "单位": Unit.objects.count(),
        "账号": User.objects.count(),
    }


def flush_project_tables() -> None:
    """Empty our tables in one statement per table (TRUNCATE … CASCADE on PostgreSQL)."""
    sql = connection.ops.sql_flush(
        no_style(), project_tables(), reset_sequences=True, allow_cascade=True
    )
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # TRUNCATE refuses a table with foreign-key checks still deferred in this transaction.
        sql = ["SET CONSTRAINTS ALL IMMEDIATE;", *sql, "SET CONSTRAINTS ALL DEFERRED;"]
    connection.ops.execute_sql_flush(sql)
