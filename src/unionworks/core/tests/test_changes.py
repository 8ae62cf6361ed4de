"""Change notes (core.changes): every committed note is read once, in any commit order."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from unionworks.core import changes
from unionworks.core.changes import Change

pytestmark = pytest.mark.django_db(transaction=True)


def orgs_of(notes) -> list:
    return sorted(n.org_id for n in notes)


def test_notes_are_read_once(world):
    mark = changes.start_mark()
    changes.note([world["grassroots"], world["datong"].pk])
    assert orgs_of(changes.read_since(mark)) == sorted([world["grassroots"].pk, world["datong"].pk])
    assert changes.read_since(mark) == []
    changes.note_everything()
    [note] = changes.read_since(mark)
    assert (note.org_id, note.scope) == (None, Change.Scope.ALL)


@pytest.mark.postgres
def test_a_note_committed_after_a_later_one_is_still_read(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: ids follow the commit order")
    mark = changes.start_mark()
    slow = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        slow.set_autocommit(False)
        with slow.cursor() as cursor:  # takes the earlier transaction id, commits last
            cursor.execute(
                f"INSERT INTO {Change._meta.db_table} (org_id, scope, xid) "
                "VALUES (%s, 'org', pg_current_xact_id()::text::bigint)",
                [world["datong"].pk],
            )
        changes.note([world["grassroots"]])  # a later transaction, committed first
        assert orgs_of(changes.read_since(mark)) == [world["grassroots"].pk]
        slow.commit()
    finally:
        slow.close()
    assert orgs_of(changes.read_since(mark)) == [world["datong"].pk]
    assert changes.read_since(mark) == []


def test_a_mark_starts_at_the_present(world):
    changes.note([world["grassroots"]])
    mark = changes.start_mark()
    assert changes.read_since(mark) == []
    changes.note([world["datong"]])
    assert orgs_of(changes.read_since(mark)) == [world["datong"].pk]
