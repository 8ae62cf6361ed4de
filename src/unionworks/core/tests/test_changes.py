"""Change notes (core.changes): every committed note is read once, in any commit order."""

import datetime as dt

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


def test_pruning_keeps_the_newest_notes_and_makes_every_older_reader_recount(world):
    old_reader = changes.start_mark()
    for _ in range(5):
        changes.note([world["grassroots"]])
    recent_reader = changes.start_mark()
    changes.note([world["datong"]])
    assert changes.prune(keep=2) == 4
    assert Change.objects.count() == 3  # the newest two and the "everything" note
    # A reader whose mark is older than what was deleted still learns it must recount.
    assert Change.Scope.ALL in {n.scope for n in changes.read_since(old_reader)}
    assert Change.Scope.ALL in {n.scope for n in changes.read_since(recent_reader)}
    assert changes.prune(keep=10) == 0


def test_a_kept_figure_stays_fresh_across_a_prune(world):
    from unionworks.core.periods import parse_period
    from unionworks.members.tests.factories import join
    from unionworks.stats.values import evaluate

    period = parse_period("2008")
    union = world["grassroots"]

    def members():
        return evaluate(union, period, ["members"])[union.pk].figures["members"]

    assert members() == 0
    join(union, on=dt.date(2008, 5, 1))
    changes.prune(keep=0)
    assert members() == 1
