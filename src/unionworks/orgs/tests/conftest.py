"""The small world with a history the history tests share."""

import datetime as dt

import pytest

from unionworks.core.tests.factories import OrgFactory, UnitFactory, cover
from unionworks.members.tests.factories import join
from unionworks.orgs.models import Org, Unit


@pytest.fixture
def history(world):
    """Two counties of 太原 and 大同's: unions founded at different dates, units covered
    and uncovered, members joining across 2005–2008."""
    w = world
    w["grassroots"].founded_on = dt.date(2000, 1, 1)
    w["grassroots"].save()
    yingze = OrgFactory(name="迎泽区总工会", kind=Org.Kind.COUNTY, parent=w["taiyuan"])
    liuxiang = OrgFactory(name="柳巷街道工会", kind=Org.Kind.TOWNSHIP, parent=yingze)
    steel = OrgFactory(
        name="太原钢铁工会",
        kind=Org.Kind.GRASSROOTS,
        parent=liuxiang,
        founded_on=dt.date(2001, 1, 1),
    )
    mine = OrgFactory(
        name="大同煤矿工会", kind=Org.Kind.GRASSROOTS, parent=w["pingcheng"],
        founded_on=dt.date(2006, 1, 1),
    )  # fmt: skip
    cover(w["taiyuan_unit"], w["grassroots"], dt.date(2003, 1, 1))
    late = UnitFactory(name="晚建会单位", org=w["township"], established_on=dt.date(2002, 1, 1))
    cover(late, w["grassroots"], dt.date(2008, 3, 1))
    steelworks = UnitFactory(name="太钢", org=liuxiang, established_on=dt.date(1990, 1, 1))
    cover(steelworks, steel, dt.date(2005, 1, 1))
    shop = UnitFactory(name="柳巷小店", org=liuxiang, established_on=dt.date(2004, 1, 1))
    foreign = w["datong_unit"]
    foreign.ownership = Unit.Ownership.FOREIGN
    foreign.established_on = dt.date(2004, 6, 1)
    foreign.save()
    cover(foreign, mine, dt.date(2006, 1, 1))
    for on in (dt.date(2005, 1, 1), dt.date(2006, 5, 1), dt.date(2008, 4, 1)):
        join(w["grassroots"], on=on, unit=w["taiyuan_unit"])
    for on in (dt.date(2005, 3, 1), dt.date(2007, 8, 1)):
        join(steel, on=on, unit=steelworks, is_migrant=True)
    join(mine, on=dt.date(2007, 1, 1), unit=foreign)
    w.update(
        yingze=yingze, liuxiang=liuxiang, steel=steel, mine=mine, late=late,
        steelworks=steelworks, shop=shop, foreign=foreign,
    )  # fmt: skip
    return w
