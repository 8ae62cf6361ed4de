import datetime as dt

import pytest

from unionworks.core.tests.factories import OrgFactory, UnitFactory, cover
from unionworks.members import services
from unionworks.members.coverage import coverage_table, coverage_tree
from unionworks.members.tests.factories import join
from unionworks.orgs.models import Org, Unit

END_2007 = dt.date(2007, 12, 31)
SEPT_2008 = dt.date(2008, 9, 30)


@pytest.fixture
def province(world):
    """Two unions founded before 2008 and one during it; members moving between them."""
    w = world
    old = w["grassroots"]
    old.founded_on = dt.date(2001, 5, 1)
    old.save()
    new = OrgFactory(
        name="新建工会",
        kind=Org.Kind.GRASSROOTS,
        parent=w["township"],
        founded_on=dt.date(2008, 4, 1),
    )
    datong_union = OrgFactory(
        name="大同工会",
        kind=Org.Kind.GRASSROOTS,
        parent=w["pingcheng"],
        founded_on=dt.date(2003, 1, 1),
    )
    w["taiyuan_unit"].employees = 200
    w["taiyuan_unit"].save()
    cover(w["taiyuan_unit"], w["grassroots"], dt.date(2001, 5, 1))
    UnitFactory(
        org=w["township"],
        union=new,
        covered_since=dt.date(2008, 4, 1),
        employees=50,
        migrant_workers=10,
        ownership=Unit.Ownership.FOREIGN,
    )
    UnitFactory(
        org=w["township"], union=None, employees=30, women_workers=10, migrant_workers=5
    )  # no union: coverage below 100%
    w["datong_unit"].employees = 100
    w["datong_unit"].save()
    cover(w["datong_unit"], datong_union, dt.date(2003, 1, 1))
    a = join(old, on=dt.date(2005, 1, 1), is_migrant=True)
    join(old, on=dt.date(2006, 1, 1))
    leaver = join(old, on=dt.date(2006, 6, 1))
    services.record_leaving(actor=None, member=leaver, on=dt.date(2008, 2, 1))
    t = services.request_transfer(actor=None, member=a, to_org=new, on=dt.date(2008, 5, 1))
    services.accept_transfer(actor=None, transfer=t, on=dt.date(2008, 5, 2))
    join(new, on=dt.date(2008, 6, 1))
    join(datong_union, on=dt.date(2004, 1, 1))
    w.update(new=new, datong_union=datong_union)
    return w


def figures(rows, org):
    return next(r.figures for r in rows if r.org_id == org.pk)


def test_counts_as_of_end_2007_and_sept_2008_differ_and_are_reproducible(province):
    admin = province["province_admin"]
    t2007 = coverage_table(admin, as_of=END_2007)
    t2008 = coverage_table(admin, as_of=SEPT_2008, period=(dt.date(2008, 1, 1), SEPT_2008))
    p2007, p2008 = figures(t2007, province["province"]), figures(t2008, province["province"])
    assert (p2007["grassroots_unions"], p2008["grassroots_unions"]) == (2, 3)
    assert (p2007["units_covered"], p2008["units_covered"]) == (2, 3)
    assert p2008["units"] == 4
    assert (p2007["members"], p2008["members"]) == (4, 4)
    assert (p2007["migrant_members"], p2008["migrant_members"]) == (1, 1)
    assert p2008["members_joined"] == 1 and p2008["unions_founded"] == 1
    assert p2008["fie_unions"] == 1
    # Asking again for 2007 after 2008's changes gives the same 2007 figures.
    assert figures(coverage_table(admin, as_of=END_2007), province["province"]) == p2007


def test_a_transfer_day_counts_the_person_in_the_receiving_union_only(province):
    admin = province["province_admin"]
    tree = coverage_tree(admin, as_of=dt.date(2008, 5, 2))
    assert tree[province["grassroots"].pk].figures["members"] == 1
    assert tree[province["new"].pk].figures["members"] == 1
    day_before = coverage_tree(admin, as_of=dt.date(2008, 5, 1))
    assert day_before[province["grassroots"].pk].figures["members"] == 2
    assert day_before[province["new"].pk].figures["members"] == 0


def test_parent_is_the_sum_of_children_and_rates_come_from_parts(province):
    admin = province["province_admin"]
    rows = coverage_table(admin, as_of=SEPT_2008)
    own, children = rows[0], rows[1:]
    assert [r.name for r in children] == ["太原市总工会", "大同市总工会"]
    for name in [
        "grassroots_unions",
        "units",
        "units_covered",
        "members",
        "migrant_members",
        "employees_covered",
    ]:
        assert own.figures[name] == sum(c.figures[name] for c in children), name
    for row in rows:
        f = row.figures
        assert f["coverage_rate"] == pytest.approx(f["units_covered"] / f["units"])
        assert f["membership_rate"] == pytest.approx(f["members"] / f["employees_covered"])


def test_a_city_sees_only_its_subtree(province):
    rows = coverage_table(province["datong_editor"], as_of=SEPT_2008)
    assert rows[0].name == "大同市总工会"
    assert rows[0].figures["members"] == 1
    assert all(r.name != "太原市总工会" for r in rows)


def test_zero_denominator_rate_is_none(world):
    rows = coverage_table(world["datong_editor"], as_of=SEPT_2008)
    pingcheng = next(r for r in rows if r.name == "平城区总工会")
    assert pingcheng.figures["membership_rate"] is None
