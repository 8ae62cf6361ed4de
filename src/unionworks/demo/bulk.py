"""The demo generator's table housekeeping (is the database empty? empty it); the
set-based writes themselves live in core.bulk."""

from __future__ import annotations

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management.color import no_style
from django.db import connection


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
