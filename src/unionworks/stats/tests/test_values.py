import datetime as dt
from decimal import Decimal

import pytest

from unionworks.core.periods import parse_period, year
from unionworks.core.tests.factories import OrgFactory, cover
from unionworks.members.tests.factories import join
from unionworks.orgs.models import Org
from unionworks.stats import lens, registry
from unionworks.stats.lens import PROJECTS, project
from unionworks.stats.selectors import indicator_table, project_dashboard
from unionworks.stats.services import set_target
from unionworks.stats.values import evaluate, series, year_on_year


@pytest.fixture
def unions(world):
    second = OrgFactory(
        name="第二工会",
        kind=Org.Kind.GRASSROOTS,
        parent=world["township"],
        founded_on=dt.date(2008, 3, 31),
    )
    datong_union = OrgFactory(name="大同工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"])
    return {**world, "second": second, "datong_union": datong_union}


def test_a_record_on_the_last_day_of_a_quarter_counts_in_that_quarter_only(unions):
    join(unions["grassroots"], on=dt.date(2008, 3, 31))
    province = unions["province"]
    q1 = evaluate(province, parse_period("2008Q1"), ["members_joined", "unions_founded"])[
        province.pk
    ].figures
    q2 = evaluate(province, parse_period("2008Q2"), ["members_joined", "unions_founded"])[
        province.pk
    ].figures
    assert (q1["members_joined"], q1["unions_founded"]) == (1, 1)
    assert (q2["members_joined"], q2["unions_founded"]) == (0, 0)


def test_parent_sums_children_and_ratio_is_numerator_over_denominator_at_every_level(unions):
    for _ in range(3):
        join(unions["grassroots"], on=dt.date(2008, 1, 5))
    join(unions["datong_union"], on=dt.date(2008, 2, 5))
    taiyuan_unit = unions["taiyuan_unit"]
    cover(taiyuan_unit, unions["grassroots"], dt.date(2000, 1, 1))
    codes = [
        "members",
        "units",
        "units_covered",
        "coverage_rate",
        "membership_rate",
        "employees_covered",
    ]
    nodes = evaluate(unions["province"], year(2008), codes)
    children_of: dict[int, list] = {}
    for node in nodes.values():
        children_of.setdefault(node.parent_id, []).append(node)
    for node in nodes.values():
        kids = children_of.get(node.id, [])
        if kids:
            for code in ["members", "units", "units_covered", "employees_covered"]:
                # a node's own records plus its children's subtrees
                assert node.figures[code] >= sum(k.figures[code] for k in kids)
        f = node.figures
        expected = None if not f["units"] else f["units_covered"] / f["units"]
        assert f["coverage_rate"] == expected
    province = nodes[unions["province"].pk].figures
    assert province["members"] == 4
    assert province["members"] == sum(
        nodes[c.pk].figures["members"] for c in [unions["taiyuan"], unions["datong"]]
    )


def test_year_on_year_when_last_year_is_zero_is_a_dash_not_an_error():
    members = registry.get("members")
    assert year_on_year(5, 0, members).rate is None
    assert year_on_year(5, 0, members).difference == 5
    assert year_on_year(6, 4, members).rate == pytest.approx(0.5)
    assert year_on_year(None, 4, members).rate is None
    rate = registry.get("coverage_rate")
    assert year_on_year(0.9, 0.8, rate).difference == pytest.approx(0.1)


def test_series_gives_the_month_by_month_trend(unions):
    join(unions["grassroots"], on=dt.date(2008, 1, 15))
    join(unions["grassroots"], on=dt.date(2008, 3, 1))
    rows = series(
        unions["province"], parse_period("2008Q1").months(), ["members", "members_joined"]
    )
    assert [r["members"] for r in rows] == [1, 1, 2]
    assert [r["members_joined"] for r in rows] == [1, 0, 1]


def test_a_new_record_shows_up_through_the_cache(unions, django_capture_on_commit_callbacks):
    province = unions["province"]
    assert evaluate(province, year(2008), ["members"])[province.pk].figures["members"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        join(unions["grassroots"], on=dt.date(2008, 5, 1))
    assert evaluate(province, year(2008), ["members"])[province.pk].figures["members"] == 1


def test_dashboard_has_key_figures_tongbi_targets_trend_and_children(unions):
    join(unions["grassroots"], on=dt.date(2007, 5, 1))
    join(unions["grassroots"], on=dt.date(2008, 5, 1))
    set_target(
        actor=unions["province_admin"],
        org=unions["taiyuan"],
        year=2008,
        indicator="members",
        value=4,
    )
    set_target(
        actor=unions["province_admin"],
        org=unions["taiyuan"],
        year=2008,
        indicator="coverage_rate",
        value=80,
    )
    board = project_dashboard(
        unions["province_admin"],
        project_code="foundation",
        org=unions["taiyuan"],
        period=year(2008),
        trend_codes=["members"],
    )
    figures = {f.indicator.code: f for f in board.key_figures}
    assert figures["members"].value == 2 and figures["members"].change.previous == 1
    assert figures["members"].change.rate == pytest.approx(1.0)
    assert figures["members"].target == Decimal("4.00") and figures[
        "members"
    ].completion == pytest.approx(0.5)
    assert figures["coverage_rate"].completion is not None
    assert len(board.trend["members"]) == 12 and board.trend["members"][-1] == 2
    assert list(board.trend) == ["members"]  # the other trends are asked for when picked
    assert [c.name for c in board.children] == ["小店区总工会"]


def test_every_project_keeps_records_and_one_without_says_so():
    assert all(p.has_records for p in PROJECTS), [p.code for p in PROJECTS if not p.has_records]
    empty = lens.Project("empty", "未录入工程", "Not kept", ("no_such_indicator",))
    assert not empty.has_records and empty.kept() == []


def test_dashboard_of_a_project_without_records_has_no_figures(unions, monkeypatch):
    empty = lens.Project("empty", "未录入工程", "Not kept", ("no_such_indicator",))
    monkeypatch.setitem(lens._BY_CODE, "empty", empty)
    board = project_dashboard(
        unions["province_admin"],
        project_code=empty.code,
        org=unions["province"],
        period=year(2008),
    )
    assert not board.has_records and board.key_figures == [] and board.children == []


def test_indicator_table_sorts_children_and_totals(unions):
    join(unions["datong_union"], on=dt.date(2008, 1, 5))
    join(unions["datong_union"], on=dt.date(2008, 1, 6))
    join(unions["grassroots"], on=dt.date(2008, 1, 6))
    table = indicator_table(
        unions["province_admin"],
        org=unions["province"],
        period=year(2008),
        codes=["members", "nonsense"],
        sort="members",
    )
    assert [i.code for i in table.indicators] == ["members"]
    assert [(r.name, r.figures["members"]) for r in table.rows] == [
        ("大同市总工会", 2),
        ("太原市总工会", 1),
    ]
    assert table.own.figures["members"] == 3


def test_every_source_series_equals_its_per_period_evaluation(unions):
    """The one-scan trends agree with evaluating each month on its own."""
    from unionworks.core.tests.factories import UnitFactory
    from unionworks.orgs.models import Unit

    join(unions["grassroots"], on=dt.date(2008, 1, 15), is_migrant=True)
    join(unions["second"], on=dt.date(2008, 4, 2))
    UnitFactory(
        org=unions["township"],
        union=unions["second"],
        covered_since=dt.date(2008, 4, 1),
        ownership=Unit.Ownership.FOREIGN,
        employees=80,
    )
    codes = [
        c.code for c in registry.all_indicators() if c.code in project("foundation").indicators
    ]
    months = parse_period("2008H1").months()
    for root in (unions["province"], unions["taiyuan"]):
        trend = series(root, months, codes)
        for month, row in zip(months, trend, strict=True):
            expected = evaluate(root, month, codes)[root.pk].figures
            assert {c: row[c] for c in codes} == {c: expected[c] for c in codes}, (root, month)
