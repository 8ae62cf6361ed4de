"""Kept figures (stats.values) are never older than the last committed write, whatever
kind of write and whichever source counts it; a write counts again only what it touched.

These tests commit as the application does (``transaction=True``): figures are read
between commits, outside any transaction, the way a web request reads them.
"""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import transaction

from unionworks.assistance import services as assistance
from unionworks.assistance.tests.factories import campaign, open_file, paid, raise_funds
from unionworks.core.creditcode import make_credit_code
from unionworks.core.periods import parse_period
from unionworks.core.tests.factories import UnitFactory
from unionworks.members import services as members
from unionworks.members.tests.factories import join
from unionworks.orgs import services as orgs
from unionworks.orgs.models import Org
from unionworks.stats import values
from unionworks.stats.values import evaluate

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = parse_period("2008")
DAY = dt.date(2008, 6, 2)


def figure(org, code, period=YEAR):
    return evaluate(org, period, [code])[org.pk].figures[code]


@pytest.fixture
def counted(monkeypatch):
    """The roots each source was asked to count (a source is asked for a subtree's root).
    In a world this small any subtree is a large share of the tree: patch, never recount."""
    monkeypatch.setattr(values, "WHOLE_SHARE", 1.0)
    asked: list[int] = []
    stub = values.Tree.stub

    def spy(tree, org_id):
        asked.append(org_id)
        return stub(tree, org_id)

    monkeypatch.setattr(values.Tree, "stub", spy)
    return asked


def _join(world):
    join(world["grassroots"], on=DAY)


def _leave(world):
    member = join(world["grassroots"], on=dt.date(2008, 1, 5))
    return lambda: members.record_leaving(actor=None, member=member, on=DAY)


SCENARIOS = {
    # name: (code, org key, set-up returning the write, expected change)
    "a member joins": ("members", "grassroots", lambda w: lambda: _join(w), 1),
    "a member leaves": ("members", "grassroots", _leave, -1),
    "a unit is registered": (
        "units",
        "township",
        lambda w: (
            lambda: orgs.create_unit(
                actor=w["taiyuan_admin"],
                name="新登记的单位",
                credit_code=make_credit_code(random.Random(7)),
                org=w["township"],
                ownership="private",
                employees=50,
                established_on=dt.date(2008, 3, 1),
            )
        ),
        1,
    ),
    "a unit is covered by the union": (
        "units_covered",
        "grassroots",
        lambda w: (
            lambda: orgs.update_unit(
                actor=w["taiyuan_admin"],
                unit=w["taiyuan_unit"],
                union=w["grassroots"],
                covered_since=dt.date(2008, 3, 1),
            )
        ),
        1,
    ),
    "money is raised": (
        "funds_raised",
        "taiyuan",
        lambda w: (lambda c: lambda: raise_funds(c, w["taiyuan"], "500.00", on=DAY))(campaign(w)),
        Decimal("500.00"),
    ),
    "a disbursement is paid": (
        "amount_paid",
        "township",
        lambda w: (
            lambda c: (
                raise_funds(c, w["taiyuan"], "9000.00"),
                lambda: paid(c, w["township"], cash="300.00", on=DAY),
            )[1]
        )(campaign(w)),
        Decimal("300.00"),
    ),
    "a wage case is resolved": (
        "wages_recovered",
        "township",
        lambda w: (
            lambda case: (
                lambda: assistance.update_wage_case(
                    actor=None,
                    case=case,
                    amount_recovered="8000.00",
                    status="recovered",
                    resolved_on=DAY,
                )
            )
        )(
            assistance.record_wage_case(
                actor=None,
                org=w["township"],
                workers_count=4,
                amount_owed="8000.00",
                opened_on=dt.date(2008, 5, 1),
                employer_name="某建筑公司",
            )
        ),
        Decimal("8000.00"),
    ),
    "a safe-return trip is recorded": (
        "workers_sent_home",
        "township",
        lambda w: (
            lambda c: (
                lambda: assistance.record_trip(
                    actor=None, campaign=c, org=w["township"], trip_date=DAY, workers_sent=40
                )
            )
        )(campaign(w, kind="safe_return")),
        40,
    ),
    "a centre is funded": (
        "centre_funding",
        "township",
        lambda w: (
            lambda centre: (
                lambda: assistance.record_centre_funding(
                    actor=None, centre=centre, received_on=DAY, source="own", amount="2000.00"
                )
            )
        )(assistance.create_centre(actor=None, org=w["township"], name="帮扶站")),
        Decimal("2000.00"),
    ),
    "a hardship file is opened": (
        "hardship_files_opened",
        "township",
        lambda w: lambda: open_file(w["township"], opened_on=DAY),
        1,
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_kind_of_write_shows_in_the_next_figure(world, name):
    code, where, prepare, change = SCENARIOS[name]
    if name == "a unit is covered by the union":
        unit = world["taiyuan_unit"]
        unit.union = None
        unit.save()  # as registered, uncovered (a fixture's own write: recount from here)
        unit.coverage_spells.all().delete()
        values.forget_everything()
    write = prepare(world)
    org = world[where]
    before = {o: figure(world[o], code) for o in (where, "province", "datong")}
    write()
    assert figure(org, code) == before[where] + change
    assert figure(world["province"], code) == before["province"] + change
    assert figure(world["datong"], code) == before["datong"]


def test_a_union_founded_recounts_the_tree(world):
    assert figure(world["province"], "grassroots_unions") == 1
    orgs.create_org(
        actor=world["province_admin"],
        name="新建工会",
        kind=Org.Kind.GRASSROOTS,
        parent=world["township"],
        founded_on=dt.date(2008, 4, 1),
    )
    assert figure(world["province"], "grassroots_unions") == 2
    assert figure(world["township"], "grassroots_unions") == 2


def test_a_member_transferred_leaves_one_union_and_joins_the_other(world):
    other = orgs.create_org(
        actor=world["province_admin"],
        name="大同的工会",
        kind=Org.Kind.GRASSROOTS,
        parent=world["pingcheng"],
    )
    member = join(world["grassroots"], on=dt.date(2008, 1, 5))
    assert (figure(world["taiyuan"], "members"), figure(world["datong"], "members")) == (1, 0)
    request = members.request_transfer(
        actor=world["taiyuan_admin"], member=member, to_org=other, on=DAY
    )
    members.accept_transfer(actor=world["province_admin"], transfer=request, on=DAY)
    assert (figure(world["taiyuan"], "members"), figure(world["datong"], "members")) == (0, 1)
    assert figure(world["province"], "members") == 1


def test_a_rolled_back_write_leaves_the_kept_figures_alone(world, counted):
    assert figure(world["province"], "members") == 0
    counted.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        join(world["grassroots"], on=DAY)
        raise RuntimeError("the request fails after the write")
    assert figure(world["province"], "members") == 0
    assert counted == []  # nothing was counted again: no committed write touched it


def test_a_write_counts_again_only_the_subtree_it_touched(world, counted):
    # Each root keeps its own figures (asked before any ancestor's, which would hold them).
    for org in ("datong", "taiyuan", "province"):
        figure(world[org], "members")
    counted.clear()
    join(world["grassroots"], on=DAY)
    assert figure(world["datong"], "members") == 0
    assert counted == []  # 大同's kept figures are left as they are
    assert figure(world["taiyuan"], "members") == 1
    assert figure(world["province"], "members") == 1
    # Each root counted the grassroots union only, not its whole tree.
    assert counted == [world["grassroots"].pk, world["grassroots"].pk]


def test_an_import_counts_its_subtree_again(world, counted, tmp_path, settings):
    from openpyxl import Workbook

    from unionworks.members.roll_import import import_roll
    from unionworks.members.tests.factories import new_id_number

    settings.MEDIA_ROOT = tmp_path
    UnitFactory(name="新兴机械有限公司", org=world["township"], union=world["grassroots"])
    assert figure(world["datong"], "members") == figure(world["taiyuan"], "members") == 0
    book = Workbook()
    book.active.append(["姓名", "公民身份号码", "工作单位", "入会时间"])
    for i in range(4):
        book.active.append([f"会员{i}", new_id_number(), "新兴机械有限公司", DAY])
    book.save(tmp_path / "roll.xlsx")
    counted.clear()
    import_roll(actor=world["taiyuan_admin"], org=world["xiaodian"], path=tmp_path / "roll.xlsx")
    assert figure(world["taiyuan"], "members") == 4
    assert counted == [world["xiaodian"].pk]
    assert figure(world["datong"], "members") == 0


@pytest.mark.parametrize("code", ["members", "units_covered", "funds_raised"])
def test_a_trend_is_patched_by_a_write_like_the_figures(world, counted, code):
    from unionworks.stats.values import series

    months = parse_period("2008").months()
    org = world["taiyuan"]
    january = 0
    before = series(org, months, [code])
    counted.clear()
    if code == "members":
        join(world["grassroots"], on=DAY)
        change, where = 1, world["grassroots"].pk
    elif code == "units_covered":
        UnitFactory(name="新覆盖的单位", org=world["township"], union=None)
        values.forget_everything()  # the factory's write is not a service's: start from here
        unit = world["taiyuan_unit"].__class__.objects.get(name="新覆盖的单位")
        before = series(org, months, [code])
        counted.clear()
        orgs.update_unit(
            actor=world["taiyuan_admin"],
            unit=unit,
            union=world["grassroots"],
            covered_since=dt.date(2008, 6, 1),
        )
        change, where = 1, world["township"].pk  # the unit's org and its new union
    else:
        the_campaign = campaign(world)
        before = series(org, months, [code])
        counted.clear()
        raise_funds(the_campaign, world["taiyuan"], "500.00", on=DAY)
        change, where = Decimal("500.00"), None
    after = series(org, months, [code])
    june = 5
    assert after[june][code] == before[june][code] + change
    assert after[0][code] == before[0][code] + january  # January: as the record's dates say
    if where is not None:
        assert counted and all(
            root in (where, world["grassroots"].pk, world["township"].pk) for root in counted
        )


def test_the_org_tree_counts_come_from_the_kept_figures_and_stay_fresh(world, client):
    from unionworks.core.tests.factories import login_as

    login_as(client, world["taiyuan_admin"])

    def xiaodian():
        [row] = client.get("/orgs/").context["children"]
        return row["org"].name, row["orgs"], row["grassroots"], row["units"]

    assert xiaodian() == ("小店区总工会", 2, 1, 1)
    orgs.create_unit(
        actor=world["taiyuan_admin"],
        name="又一家单位",
        credit_code=make_credit_code(random.Random(8)),
        org=world["township"],
        ownership="private",
        employees=20,
    )
    assert xiaodian() == ("小店区总工会", 2, 1, 2)
    orgs.create_org(
        actor=world["taiyuan_admin"],
        name="新基层工会",
        kind=Org.Kind.GRASSROOTS,
        parent=world["township"],
    )
    assert xiaodian() == ("小店区总工会", 3, 2, 2)


def test_a_city_is_read_from_the_province_kept_figures(world, counted):
    assert figure(world["province"], "members") == 0
    counted.clear()
    assert figure(world["taiyuan"], "members") == 0  # a node of the province's tree
    assert counted == []
    join(world["grassroots"], on=DAY)
    assert figure(world["taiyuan"], "members") == 1
    assert figure(world["datong"], "members") == 0
    assert figure(world["province"], "members") == 1
    assert counted == [world["grassroots"].pk]  # the one entry, brought up to date once
    nodes = evaluate(world["taiyuan"], YEAR, ["members"])
    assert sorted(nodes) == sorted(
        world[k].pk for k in ("taiyuan", "xiaodian", "township", "grassroots")
    )
    assert world["datong"].pk not in nodes


def test_a_write_leaves_the_figures_of_another_apps_records_alone(world, counted):
    assert figure(world["taiyuan"], "funds_raised") == 0
    assert figure(world["taiyuan"], "units") == 1
    assert figure(world["taiyuan"], "members") == 0
    counted.clear()
    join(world["grassroots"], on=DAY)  # members' records only
    assert figure(world["taiyuan"], "funds_raised") == 0
    assert figure(world["taiyuan"], "units") == 1
    assert counted == []
    assert figure(world["taiyuan"], "members") == 1
    assert counted == [world["grassroots"].pk]


def test_every_source_knows_whose_records_it_counts():
    from unionworks.stats import registry

    apps = {i.source.name: i.source.app for i in registry.all_indicators() if i.source}
    assert apps["members.spells"] == "members"
    assert apps["orgs.units"] == apps["orgs.unions"] == "orgs"
    assert {a for n, a in apps.items() if n.startswith("assistance.")} == {"assistance"}


def test_a_worker_takes_the_figures_another_counted_from_the_shared_cache(
    world, counted, shared_cache
):
    from django.core.cache import caches

    assert caches["default"].__class__.__name__ == "RedisCache"
    assert figure(world["province"], "members") == 0  # counted, and shared
    # In Redis, where every worker finds it.
    assert caches["default"]._cache.get_client().keys("*uw:kept:*")
    values.forget_everything()  # another worker: nothing of its own yet
    counted.clear()
    join(world["grassroots"], on=DAY)  # committed after the figures were shared
    assert figure(world["province"], "members") == 1
    assert counted == [world["grassroots"].pk]  # the shared figures, brought up to date


def test_a_city_asked_first_takes_the_province_figures_another_worker_shared(
    world, counted, shared_cache
):
    join(world["grassroots"], on=DAY)
    assert figure(world["province"], "members") == 1  # counted, and shared
    months = YEAR.months()
    assert values.series(world["province"], months, ["members"])[-1]["members"] == 1
    values.forget_everything()  # a worker that starts: a city's dashboard comes first
    counted.clear()
    assert figure(world["taiyuan"], "members") == 1
    assert values.series(world["taiyuan"], months, ["members"])[-1]["members"] == 1
    assert counted == []  # the province's shared figures hold the city's: nothing counted
    join(world["grassroots"], on=DAY)
    assert figure(world["taiyuan"], "members") == 2
    assert figure(world["province"], "members") == 2
    assert counted == [world["grassroots"].pk]  # the write's union only, once


def test_without_a_shared_cache_each_worker_counts_its_own(world, counted):
    assert figure(world["province"], "members") == 0
    values.forget_everything()
    counted.clear()
    assert figure(world["province"], "members") == 0
    assert counted == [world["province"].pk]


def test_warming_counts_the_daily_figures_once_for_every_worker(world, counted, shared_cache):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("warm_figures", period=["2008"], stdout=out)
    assert "已预先计算" in out.getvalue()
    values.forget_everything()  # a worker starting after it
    counted.clear()
    assert figure(world["province"], "members") == 0
    assert counted == []  # taken from the shared cache, not counted again


def test_warming_without_a_shared_cache_says_there_is_nothing_to_do(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("warm_figures", stdout=out)
    assert "无需预热" in out.getvalue()
