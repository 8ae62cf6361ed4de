"""Kept to-do counts (core.todos) are never older than the last committed write about
their app's records in the account's subtree, and a write elsewhere leaves them alone.

These tests commit as the application does (``transaction=True``): the 工作台 reads
between commits, outside any transaction.
"""

import datetime as dt

import pytest
from django.db import transaction

from unionworks.core import changes, todos
from unionworks.core.tests.factories import OrgFactory
from unionworks.members.models import Member
from unionworks.members.tests.factories import join
from unionworks.orgs.models import Org

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def counting(monkeypatch, world):
    """One to-do of the members app: the members in the account's subtree; ``asked``
    lists each time it was really counted."""
    asked = []

    def members_in_subtree(user):
        asked.append(user.username)
        return Member.objects.filter(org__path__startswith=user.org.path).count()

    monkeypatch.setattr(todos, "_REGISTRY", {})
    todos.forget_kept_counts()
    todos.register_todo(todos.Todo("members.everyone", "会员", members_in_subtree, lambda u: "/"))
    yield asked
    todos.forget_kept_counts()


def shown(user) -> int:
    return todos.waiting_for(user, include_empty=True)[0].count


def test_a_count_is_kept_until_a_write_in_the_subtree_changes_it(counting, world):
    admin, taiyuan = world["province_admin"], world["taiyuan_admin"]
    assert (shown(admin), shown(taiyuan)) == (0, 0)
    assert (shown(admin), shown(taiyuan)) == (0, 0)
    assert counting == ["admin", "taiyuan"]  # the second look was kept

    join(world["grassroots"])  # 太原: both accounts' subtrees
    assert (shown(admin), shown(taiyuan)) == (1, 1)
    assert counting == ["admin", "taiyuan"] * 2


def test_a_write_in_another_subtree_leaves_the_count_alone(counting, world):
    datong_union = OrgFactory(
        name="大同煤矿工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"]
    )
    assert shown(world["taiyuan_admin"]) == 0
    join(datong_union)
    assert shown(world["taiyuan_admin"]) == 0
    assert counting == ["taiyuan"]
    assert shown(world["province_admin"]) == 1


def test_a_note_about_another_apps_records_leaves_the_count_alone(counting, world):
    assert shown(world["taiyuan_admin"]) == 0
    with transaction.atomic():
        changes.note([world["grassroots"]], app="assistance")
    assert shown(world["taiyuan_admin"]) == 0
    assert counting == ["taiyuan"]
    with transaction.atomic():
        changes.note([world["taiyuan"]], scope=changes.Change.Scope.SUBTREE, app="members")
    shown(world["taiyuan_admin"])
    assert counting == ["taiyuan", "taiyuan"]  # an import's note counts again


def test_a_bulk_write_above_the_account_counts_again(counting, world):
    shown(world["taiyuan_admin"])
    with transaction.atomic():
        changes.note([world["province"]], scope=changes.Change.Scope.SUBTREE, app="members")
    shown(world["taiyuan_admin"])
    with transaction.atomic():
        changes.note_everything()
    shown(world["taiyuan_admin"])
    assert counting == ["taiyuan"] * 3


def test_a_rolled_back_write_leaves_the_count_alone(counting, world):
    assert shown(world["taiyuan_admin"]) == 0
    with pytest.raises(RuntimeError), transaction.atomic():
        join(world["grassroots"])
        raise RuntimeError
    assert shown(world["taiyuan_admin"]) == 0
    assert counting == ["taiyuan"]


def test_a_count_is_taken_again_the_next_day(counting, world, monkeypatch):
    shown(world["taiyuan_admin"])
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(todos.timezone, "localdate", lambda: tomorrow)
    shown(world["taiyuan_admin"])
    assert counting == ["taiyuan", "taiyuan"]


def test_inside_a_transaction_nothing_is_kept(counting, world):
    with transaction.atomic():
        shown(world["taiyuan_admin"])
        shown(world["taiyuan_admin"])
    assert counting == ["taiyuan", "taiyuan"]


def test_a_worker_that_starts_takes_the_counts_another_took(counting, world, shared_cache):
    taiyuan = world["taiyuan_admin"]
    assert shown(taiyuan) == 0
    todos.forget_kept_counts()  # another worker, or this one restarted
    assert shown(taiyuan) == 0
    assert counting == ["taiyuan"]  # taken from the shared cache, not counted again

    todos.forget_kept_counts()
    join(world["grassroots"])  # a note since the shared count was taken
    assert shown(taiyuan) == 1
    assert counting == ["taiyuan", "taiyuan"]
