"""Every bulk path leaves the next figure fresh: a figure read (and kept) before the path
runs is read again after it, outside any transaction as a web request reads it, and
shows what the path wrote.

A bulk path writes one audit entry through ``audit.record_bulk``, which notes its org's
subtree as changed (core.changes); the kept figures of that subtree are counted again.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from unionworks.assistance.importers import import_disbursements
from unionworks.assistance.tests.factories import accounts, campaign, new_id_number, raise_funds
from unionworks.core.changes import Change
from unionworks.core.periods import parse_period
from unionworks.core.tests.factories import UnitFactory
from unionworks.members.roll_import import import_roll
from unionworks.orgs.models import Org
from unionworks.stats.importers import import_targets
from unionworks.stats.targets import targets_for
from unionworks.stats.values import evaluate

# The path commits, as it does for a user: the kept figures are read between commits.
pytestmark = pytest.mark.django_db(transaction=True)

AS_OF = parse_period("@2008-09-30")


def members_of(org) -> int:
    return evaluate(org, AS_OF, ["members"])[org.pk].figures["members"]


def roll_file(tmp_path, people: int, *, start: int = 0):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "公民身份号码", "工作单位", "入会时间"])
    for i in range(start, start + people):
        sheet.append([f"会员{i}", new_id_number(), "新兴机械有限公司", dt.date(2008, 5, 1)])
    path = tmp_path / f"roll-{start}.xlsx"
    book.save(path)
    return path


def noted(org) -> bool:
    return Change.objects.filter(org=org, scope=Change.Scope.SUBTREE).exists()


@pytest.fixture
def union(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    UnitFactory(name="新兴机械有限公司", org=world["township"], union=world["grassroots"])
    return world["grassroots"]


@pytest.mark.parametrize("initial_load", [False, True], ids=["upload", "first-load"])
def test_a_roll_import_shows_in_the_next_figure(world, union, tmp_path, initial_load):
    province = world["province"]
    assert members_of(province) == 0 and members_of(union) == 0  # now kept
    result = import_roll(
        actor=world["taiyuan_admin"],
        org=union,
        path=roll_file(tmp_path, 3),
        initial_load=initial_load,
    )
    assert result.saved and result.new == 3
    assert members_of(province) == 3
    assert members_of(union) == 3
    assert members_of(world["datong"]) == 0


def test_a_disbursement_list_import_notes_its_subtree(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    people = accounts(world)
    summer = campaign(world, kind="summer")
    raise_funds(summer, world["taiyuan"], "100000.00")
    book = Workbook()
    book.active.append(["姓名", "身份证号", "现金"])
    book.active.append(["王五", new_id_number(), 300])
    path = tmp_path / "list.xlsx"
    book.save(path)
    result = import_disbursements(
        actor=people["county_editor"], campaign=summer, org=world["xiaodian"], path=path
    )
    assert result.saved and result.proposed == 1
    assert noted(world["xiaodian"])


def test_a_target_upload_shows_in_the_next_table(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    actor = world["province_admin"]

    def target_of_taiyuan():
        return targets_for(actor, org_id=world["taiyuan"].pk, year=2008).get("members_joined")

    assert target_of_taiyuan() is None
    book = Workbook()
    book.active.append(["组织名称", "年度", "指标", "目标值"])
    book.active.append(["太原市总工会", 2008, "新发展会员数", 1000])
    path = tmp_path / "targets.xlsx"
    book.save(path)
    result = import_targets(actor=actor, path=path)
    assert result.saved and result.counts["set"] == 1
    assert target_of_taiyuan() == 1000
    assert noted(actor.org)


def test_building_the_demo_recounts_everything(db):
    call_command("demo_province", scale="tiny", seed=7, stdout=StringIO(), stderr=StringIO())
    province = Org.objects.get(parent__isnull=True)
    assert Change.objects.filter(scope=Change.Scope.ALL).exists()
    assert members_of(province) > 0
