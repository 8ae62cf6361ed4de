"""The synthetic province: Shanxi's union tree, its units and their coverage, built in bulk.

The figures come from the article's 夯基工程 paragraph: at the end of 2007, 52,221
grassroots unions covering 90,447 of 100,000 units (90.45%); by 30 September 2008,
52,558 grassroots unions covering 134,224 units, 555 unions in foreign-invested units
(foreign and Hong Kong/Macao/Taiwan, as ``members.coverage`` counts them), out of
148,400 units. ``province`` scale reproduces those counts exactly as of both dates
(through ``Org.founded_on``, ``Unit.covered_since`` and ``Unit.established_on``);
``small`` and ``tiny`` scale them down and keep the shape (all 11 cities, 119 counties).

The build is a list of steps (``STEPS``), each a function of the ``DemoContext``; a step
draws its randomness from ``ctx.rng(step_name)``, its own stream of the seed, so adding a
step (members, contracts, …) after the existing ones leaves their output unchanged.
Steps that write use ``demo.bulk.insert_rows`` (COPY on PostgreSQL, executemany
elsewhere) with ids allocated here, so the same seed gives the same ids.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from unionworks.accounts.models import User
from unionworks.core import audit, changes
from unionworks.core.bulk import indexes_built_after, insert_rows, reset_sequences
from unionworks.core.creditcode import ALPHABET, check_char
from unionworks.core.scoping import SEGMENT
from unionworks.demo import names
from unionworks.orgs.models import CoverageSpell, Org, OrgEvent, Unit

# --- the figures ------------------------------------------------------------------------

PROVINCE_UNITS = 148_400  # 134,224 covered / 148,400 = 90.45%, the article's 2007 rate
ARTICLE = {
    "grassroots": 52_558,  # 基层工会委员会, 2008-09-30
    "grassroots_2007": 52_221,  # 工会组织, end of 2007
    "covered": 134_224,  # 基层工会涵盖单位, 2008-09-30
    "covered_2007": 90_447,  # 覆盖法人单位, end of 2007
    "foreign_unions": 555,  # 外资企业工会 (in foreign or Hong Kong/Macao/Taiwan-invested units)
    "units_2007": 100_000,  # 90,447 covered at 90.45% (经济单位 10万个 → 14万个)
}
END_2007 = dt.date(2007, 12, 31)
START_2008 = dt.date(2008, 1, 1)
AS_OF = dt.date(2008, 9, 30)
JOINT_SHARE = 0.12  # share of grassroots unions that are 联合基层工会


@dataclass(frozen=True)
class Scale:
    name: str
    units: int
    # townships per county, by the county's kind: district, city (县级市), county
    townships: dict[str, tuple[int, int]]
    federation_share: float  # chance that a township has a 工会联合会


SCALES = {
    "tiny": Scale("tiny", 600, {"district": (1, 1), "city": (1, 1), "county": (1, 1)}, 0.1),
    "small": Scale("small", 4_000, {"district": (2, 3), "city": (2, 2), "county": (1, 2)}, 0.3),
    "province": Scale(
        "province",
        PROVINCE_UNITS,
        {"district": (8, 14), "city": (10, 16), "county": (8, 15)},
        0.5,
    ),
}


@dataclass(frozen=True)
class Figures:
    units: int
    grassroots: int
    grassroots_2007: int
    covered: int
    covered_2007: int
    foreign_unions: int
    units_2007: int


def figures_for(scale: Scale) -> Figures:
    """The article's counts, exact at province scale and in proportion below it."""
    f = scale.units / PROVINCE_UNITS
    grassroots = round(ARTICLE["grassroots"] * f)
    return Figures(
        units=scale.units,
        grassroots=grassroots,
        grassroots_2007=min(grassroots - 1, round(ARTICLE["grassroots_2007"] * f)),
        covered=round(ARTICLE["covered"] * f),
        covered_2007=round(ARTICLE["covered_2007"] * f),
        foreign_unions=max(1, round(ARTICLE["foreign_unions"] * f)),
        units_2007=round(ARTICLE["units_2007"] * f),
    )


# --- the in-memory province -------------------------------------------------------------


@dataclass(slots=True, eq=False)
class OrgNode:
    name: str
    kind: str
    parent: OrgNode | None
    region_code: str
    place: str = ""  # the place's own name: 太原市, 小店区, 坞城街道
    founded_on: dt.date | None = None
    address: str = ""
    chair: str = ""
    phone: str = ""
    id: int = 0
    path: str = ""
    children: list[OrgNode] = field(default_factory=list)
    county_kind: str = ""  # counties: district, city or county
    units: list[UnitNode] = field(default_factory=list)  # registered (townships) or covered


@dataclass(slots=True, eq=False)
class UnitNode:
    name: str
    credit_code: str
    ownership: str
    industry: str
    region_code: str
    org: OrgNode
    employees: int
    migrant_workers: int
    women_workers: int
    address: str
    established_on: dt.date
    union: OrgNode | None = None
    covered_since: dt.date | None = None
    id: int = 0
    anchor: bool = False


@dataclass
class DemoContext:
    scale: Scale
    seed: int
    password: str
    out: Callable[[str], None] = print
    figures: Figures | None = None
    province: OrgNode | None = None
    orgs: list[OrgNode] = field(default_factory=list)  # in id order once numbered
    units: list[UnitNode] = field(default_factory=list)  # in id order
    accounts: list[dict] = field(default_factory=list)
    summary: dict[str, object] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)

    def rng(self, step: str) -> random.Random:
        """The random stream of one step: the same seed gives the same stream."""
        return random.Random(f"{self.seed}:{step}")

    def orgs_of_kind(self, kind: str) -> list[OrgNode]:
        return [o for o in self.orgs if o.kind == kind]


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    run: Callable[[DemoContext], str]


# --- helpers ----------------------------------------------------------------------------


def apportion(
    total: int, weights: list[float], *, minimum: int = 0, maximum: list[int] | None = None
) -> list[int]:
    """Split ``total`` into integers in proportion to ``weights`` (largest remainder).

    Each share is at least ``minimum`` (or its cap if lower) and at most its cap.
    """
    n = len(weights)
    caps = maximum if maximum is not None else [total] * n
    result = [min(minimum, caps[i]) for i in range(n)]
    remaining = total - sum(result)
    if remaining < 0:
        raise ValueError(f"{total} 不够每份至少分 {minimum}")
    active = [i for i in range(n) if result[i] < caps[i]]
    while remaining > 0 and active:
        wsum = sum(weights[i] for i in active)
        share = {
            i: remaining * (weights[i] / wsum if wsum > 0 else 1 / len(active)) for i in active
        }
        clipped = False
        for i in active:
            add = min(int(share[i]), caps[i] - result[i])
            clipped |= add < int(share[i])
            result[i] += add
            remaining -= add
        if not clipped:  # hand out what the floors left, largest fraction first
            for i in sorted(active, key=lambda i: (-(share[i] - int(share[i])), i)):
                if remaining == 0:
                    break
                if result[i] < caps[i]:
                    result[i] += 1
                    remaining -= 1
        active = [i for i in active if result[i] < caps[i]]
    if remaining:
        raise ValueError(f"{total} 超出各份上限之和")
    return result


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def date_in_year(rng: random.Random, year: int, *, not_after: dt.date = END_2007) -> dt.date:
    return random_date(rng, dt.date(year, 1, 1), min(dt.date(year, 12, 31), not_after))


@cache
def _year_weights(first: int, last: int, power: float) -> tuple[list[int], list[float]]:
    years = list(range(first, last + 1))
    return years, list(accumulate((y - first + 1) ** power for y in years))


def weighted_year(rng: random.Random, first: int, last: int, power: float) -> int:
    """A year in [first, last], later years more likely as ``power`` grows."""
    years, cumulative = _year_weights(first, last, power)
    return rng.choices(years, cum_weights=cumulative)[0]


def phone(rng: random.Random, area: str) -> str:
    return f"{area}-{rng.randint(2_000_000, 8_999_999)}"


def street_address(rng: random.Random, *parts: str) -> str:
    return "".join(parts) + f"{rng.choice(names.ROADS)}{rng.randint(1, 399)}号"


# --- step 1: the tree of union federations ----------------------------------------------


def county_kind(name: str) -> str:
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "city"
    return "county"


def add_org(
    rng: random.Random,
    parent: OrgNode | None,
    *,
    name: str,
    kind: str,
    region_code: str,
    place: str,
    founded_on: dt.date,
    area: str,
    at: tuple[str, ...],
    **extra,
) -> OrgNode:
    """A union federation node with its chair, phone and address, appended to its parent."""
    node = OrgNode(
        name=name,
        kind=kind,
        parent=parent,
        region_code=region_code,
        place=place,
        founded_on=founded_on,
        address=street_address(rng, *at),
        chair=names.person_name(rng),
        phone=phone(rng, area),
        **extra,
    )
    if parent is not None:
        parent.children.append(node)
    return node


def build_tree(ctx: DemoContext) -> str:
    rng = ctx.rng("tree")
    code, name, _ = names.PROVINCE
    province = ctx.province = add_org(
        rng,
        None,
        name=name,
        kind=Org.Kind.PROVINCE,
        region_code=code,
        place="山西省",
        founded_on=dt.date(1949, 10, 1) + dt.timedelta(days=rng.randint(30, 400)),
        area="0351",
        at=("太原市",),
    )
    townships = 0
    for city_code, city_name, area in names.CITIES:
        city = add_org(
            rng,
            province,
            name=f"{city_name}总工会",
            kind=Org.Kind.CITY,
            region_code=city_code,
            place=city_name,
            founded_on=date_in_year(rng, rng.randint(1949, 1956)),
            area=area,
            at=(city_name,),
        )
        for county_code, county_name in names.COUNTIES[city_code]:
            place = (
                city_name + county_name
                if county_name in names.AMBIGUOUS_COUNTY_NAMES
                else county_name
            )
            kind = county_kind(county_name)
            county = add_org(
                rng,
                city,
                name=f"{place}总工会",
                kind=Org.Kind.COUNTY,
                region_code=county_code,
                place=place,
                founded_on=date_in_year(rng, rng.randint(1950, 1985)),
                area=area,
                at=(place,),
                county_kind=kind,
            )
            low, high = ctx.scale.townships[kind]
            for township_name in names.township_names(
                rng, county_code=county_code, county_kind=kind, count=rng.randint(low, high)
            ):
                add_org(
                    rng,
                    county,
                    name=f"{township_name}工会",
                    kind=Org.Kind.TOWNSHIP,
                    region_code=county_code,
                    place=township_name,
                    founded_on=date_in_year(rng, rng.randint(1984, 2005)),
                    area=area,
                    at=(place, township_name),
                )
                townships += 1
    counties = sum(len(c.children) for c in province.children)
    return (
        f"1 个省总工会，{len(province.children)} 个市总工会，{counties} 个县(市、区)总工会，"
        f"{townships} 个乡镇(街道)工会"
    )


def walk(root: OrgNode):
    """Every node under ``root`` (itself included), parents before children."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def area_code(township: OrgNode) -> str:
    return township.phone.split("-")[0]


# --- step 2: units ----------------------------------------------------------------------

# share of units by ownership (经济类型)
OWNERSHIP_SHARES = {
    "private": 0.6265,
    "individual": 0.11,
    "state": 0.075,
    "collective": 0.06,
    "institution": 0.09,
    "social": 0.03,
    "foreign": 0.005,
    "hmt": 0.0035,
}
FOREIGN_INVESTED = ("foreign", "hmt")  # 外资: foreign and Hong Kong/Macao/Taiwan investment
FOREIGN_UNION_RATE = 0.6  # of foreign-invested units at most this share has a union
# GB/T 4754 section weights by ownership
INDUSTRIES = {
    "private": {"C": 22, "F": 20, "E": 10, "H": 8, "B": 6, "G": 6, "L": 5, "K": 4, "O": 5,
                "A": 4, "I": 2, "M": 2, "R": 2, "N": 1, "Q": 1, "J": 1, "D": 1},
    "state": {"B": 15, "C": 15, "D": 12, "G": 10, "E": 8, "F": 8, "J": 8, "K": 3, "N": 5,
              "I": 4, "A": 4, "M": 4, "R": 2, "H": 2},
    "collective": {"A": 20, "C": 25, "F": 15, "E": 10, "G": 8, "J": 5, "O": 7, "H": 5, "N": 5},
    "foreign": {"C": 55, "F": 12, "H": 8, "L": 6, "D": 5, "B": 4, "J": 4, "I": 3, "K": 3},
    "hmt": {"C": 45, "F": 15, "H": 12, "K": 8, "L": 8, "D": 4, "I": 4, "R": 4},
    "individual": {"F": 45, "H": 25, "O": 22, "G": 5, "C": 3},
    "institution": {"P": 40, "Q": 22, "M": 8, "N": 8, "R": 6, "A": 8, "S": 8},
    "social": {"S": 55, "P": 20, "Q": 5, "R": 10, "O": 10},
}  # fmt: skip
# employees: log-normal (median, sigma), capped
EMPLOYEES = {
    "state": (100, 1.4, 50_000),
    "collective": (40, 1.0, 5_000),
    "private": (15, 1.2, 20_000),
    "foreign": (120, 1.1, 10_000),
    "hmt": (90, 1.1, 8_000),
    "individual": (5, 0.6, 50),
    "institution": (45, 1.0, 3_000),
    "social": (8, 0.8, 300),
}
# the largest unit a trade has: coal groups and steel works are huge, a bank branch is not
INDUSTRY_CAP = {"B": 50_000, "C": 30_000, "D": 20_000, "G": 20_000, "E": 10_000, "J": 600}
# share of migrant workers and of women, by industry: (low, high)
MIGRANTS = {"A": (0.3, 0.7), "B": (0.2, 0.5), "C": (0.2, 0.5), "E": (0.6, 0.9), "F": (0.2, 0.5),
            "G": (0.2, 0.5), "H": (0.4, 0.7), "K": (0.1, 0.4), "L": (0.2, 0.6), "N": (0.2, 0.5),
            "O": (0.3, 0.7)}  # fmt: skip
WOMEN = {"A": (0.3, 0.5), "B": (0.05, 0.15), "C": (0.25, 0.5), "D": (0.15, 0.3),
         "E": (0.05, 0.15), "F": (0.45, 0.65), "G": (0.1, 0.25), "H": (0.5, 0.7),
         "J": (0.45, 0.65), "P": (0.55, 0.75), "Q": (0.6, 0.8), "O": (0.45, 0.7)}  # fmt: skip
# 统一社会信用代码 positions 1-2: registering authority and organisation type
CREDIT_CODE_PREFIX = {
    "institution": "12",  # 机构编制 · 事业单位
    "social": "52",  # 民政 · 民办非企业单位 (社会团体 51 for associations)
    "individual": "92",  # 工商 · 个体工商户
}


def credit_code(rng: random.Random, *, prefix: str, region_code: str, taken: set) -> str:
    while True:
        first17 = prefix + region_code + "".join(rng.choices(ALPHABET, k=9))
        code = first17 + check_char(first17)
        if code not in taken:
            taken.add(code)
            return code


def code_prefix(ownership: str, industry: str, name: str) -> str:
    if ownership == "social" and name.endswith(("协会", "商会")):
        return "51"
    if ownership == "collective" and name.endswith("合作社"):
        return "93"
    return CREDIT_CODE_PREFIX.get(ownership, "91")


def workforce(rng: random.Random, ownership: str, industry: str) -> tuple[int, int, int]:
    median, sigma, cap = EMPLOYEES[ownership]
    cap = min(cap, INDUSTRY_CAP.get(industry, 3_000))
    employees = max(1, min(cap, round(rng.lognormvariate(math.log(median), sigma))))
    low, high = MIGRANTS.get(industry, (0.0, 0.08))
    migrants = round(employees * rng.uniform(low, high))
    low, high = WOMEN.get(industry, (0.3, 0.55))
    women = round(employees * rng.uniform(low, high))
    return employees, migrants, women


def township_weight(rng: random.Random, township: OrgNode) -> float:
    county = township.parent
    weight = {"district": 2.5, "city": 1.5, "county": 1.0}[county.county_kind]
    if county.children[0] is township:  # the county seat
        weight *= 2.5
    if county.parent.region_code == "140100":  # Taiyuan, the capital
        weight *= 1.4
    return weight * rng.lognormvariate(0, 0.35)


def ownership_quotas(ctx: DemoContext, count: int) -> dict[str, int]:
    keys = list(OWNERSHIP_SHARES)
    quotas = dict(zip(keys, apportion(count, [OWNERSHIP_SHARES[k] for k in keys]), strict=True))
    invested = sum(quotas[k] for k in FOREIGN_INVESTED)
    short = math.ceil(ctx.figures.foreign_unions / FOREIGN_UNION_RATE) - invested
    if short > 0:
        quotas["foreign"] += short
        quotas["private"] -= short
    return quotas


def establishing_date(rng: random.Random, ownership: str) -> dt.date:
    """When a unit was set up (before 2008; the step that decides coverage adds the new ones)."""
    if ownership in ("state", "institution"):
        year = rng.randint(1950, 2000)
    elif ownership == "collective":
        year = rng.randint(1958, 2005)
    elif ownership == "private":
        year = weighted_year(rng, 1992, 2007, 1.5)
    elif ownership in FOREIGN_INVESTED:
        year = weighted_year(rng, 1995, 2007, 1.0)
    elif ownership == "individual":
        year = weighted_year(rng, 2000, 2007, 1.0)
    else:
        year = weighted_year(rng, 1995, 2007, 1.0)
    return date_in_year(rng, year)


def build_units(ctx: DemoContext) -> str:
    rng = ctx.rng("units")
    townships = [o for o in walk(ctx.province) if o.kind == Org.Kind.TOWNSHIP]
    by_place = {(t.region_code, t.place): t for t in townships}
    anchors = [a for a in names.ANCHOR_UNITS if (a["county"], a["township"]) in by_place]
    count = ctx.figures.units - len(anchors)
    per_township = apportion(count, [township_weight(rng, t) for t in townships], minimum=3)
    quotas = ownership_quotas(ctx, ctx.figures.units)
    for anchor in anchors:
        quotas[anchor["ownership"]] -= 1
    labels = [k for k, n in quotas.items() for _ in range(n)]
    rng.shuffle(labels)
    industries = {k: (list(v), list(v.values())) for k, v in INDUSTRIES.items()}
    taken_names: set[str] = set()
    taken_codes: set[str] = set()

    def add(
        township: OrgNode, name: str, ownership: str, industry: str, people, established
    ) -> UnitNode:
        county = township.parent
        unit = UnitNode(
            name=name,
            credit_code=credit_code(
                rng,
                prefix=code_prefix(ownership, industry, name),
                region_code=county.region_code,
                taken=taken_codes,
            ),
            ownership=ownership,
            industry=industry,
            region_code=county.region_code,
            org=township,
            employees=people[0],
            migrant_workers=people[1],
            women_workers=people[2],
            address=street_address(rng, county.place, township.place),
            established_on=established,
        )
        taken_names.add(name)
        township.units.append(unit)
        return unit

    for anchor in anchors:
        township = by_place[(anchor["county"], anchor["township"])]
        unit = add(
            township,
            anchor["name"],
            anchor["ownership"],
            anchor["industry"],
            (anchor["employees"], anchor["migrant_workers"], anchor["women_workers"]),
            dt.date(*anchor["established_on"]),
        )
        unit.anchor = True
    position = 0
    for township, n in zip(townships, per_township, strict=True):
        county, city = township.parent, township.parent.parent
        for _ in range(n):
            ownership = labels[position]
            position += 1
            keys, weights = industries[ownership]
            industry = rng.choices(keys, weights=weights)[0]
            for attempt in range(40):
                name = names.unit_name(
                    rng,
                    ownership=ownership,
                    industry=industry,
                    county=county.place,
                    city=city.place,
                    township=township.place,
                    attempt=attempt,
                )
                if name not in taken_names:
                    break
            else:
                name = f"{name}（{township.place}）"
            people = workforce(rng, ownership, industry)
            add(township, name, ownership, industry, people, establishing_date(rng, ownership))
    ctx.units = [u for t in townships for u in t.units]
    employees = sum(u.employees for u in ctx.units)
    return f"{len(ctx.units):,} 个单位，职工 {employees:,} 人"


# --- step 3: grassroots unions, federations and coverage --------------------------------

SINGLE_BONUS = {"state": 3.0, "institution": 3.0, "foreign": 1.5, "hmt": 1.5, "collective": 1.0,
                "private": 0.0, "social": -0.5, "individual": -2.0}  # fmt: skip
JOINT_BONUS = {"private": 1.0, "individual": 0.4, "collective": 0.8, "social": 0.4,
               "state": -1.0, "institution": -0.5}  # fmt: skip


def founding_date(rng: random.Random, unit: UnitNode) -> dt.date:
    """When a unit's own union was founded: before 2008, and not before the unit."""
    ownership = unit.ownership
    if ownership in ("state", "institution"):
        year = rng.randint(1950, 2005)
    elif ownership == "collective":
        year = rng.randint(1960, 2006)
    elif ownership in ("private", "foreign", "hmt"):
        year = weighted_year(rng, 1993, 2007, 1.5)
    else:
        year = weighted_year(rng, 2000, 2007, 1.0)
    founded = date_in_year(rng, year)
    if founded < unit.established_on:
        founded = random_date(rng, unit.established_on, END_2007)
    return founded


def grassroots(
    township: OrgNode, name: str, founded_on: dt.date, chair: str, address: str
) -> OrgNode:
    node = OrgNode(
        name=name,
        kind=Org.Kind.GRASSROOTS,
        parent=township,
        region_code=township.region_code,
        place=township.place,
        founded_on=founded_on,
        address=address,
        chair=chair,
    )
    township.children.append(node)
    return node


def check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(f"演示数据的参数无法同时满足：{message}")


def build_unions(ctx: DemoContext) -> str:
    rng = ctx.rng("unions")
    fig = ctx.figures
    townships = [o for o in walk(ctx.province) if o.kind == Org.Kind.TOWNSHIP]

    # How many 联合基层工会 each township gets: at least one wherever two units could share it.
    open_units = {
        id(t): [u for u in t.units if u.ownership not in FOREIGN_INVESTED and not u.anchor]
        for t in townships
    }
    sizes = [len(open_units[id(t)]) for t in townships]
    hosts = sum(1 for n in sizes if n >= 2)
    joint_total = max(round(fig.grassroots * JOINT_SHARE), hosts)
    joint_per = apportion(
        joint_total, sizes, minimum=1, maximum=[n // 2 if n >= 2 else 0 for n in sizes]
    )
    joint_of = {id(t): j for t, j in zip(townships, joint_per, strict=True)}
    single_total = fig.grassroots - joint_total
    joint_units_total = fig.covered - single_total
    anchors = [u for u in ctx.units if u.anchor]
    check(single_total >= fig.foreign_unions + len(anchors), "单独建会的基层工会太少")
    check(joint_units_total >= 2 * joint_total, "联合基层工会覆盖的单位太少")

    # Units with a union of their own: the big, the state-owned, exactly F foreign-invested
    # (the other foreign-invested units stay uncovered: 外资企业工会 counts exactly F).
    single_score = {
        id(u): math.log(u.employees) + SINGLE_BONUS[u.ownership] + rng.gauss(0, 1)
        for u in ctx.units
    }
    foreign = sorted(
        (u for u in ctx.units if u.ownership in FOREIGN_INVESTED),
        key=lambda u: -single_score[id(u)],
    )
    check(len(foreign) >= fig.foreign_unions, "外资企业不够")
    singles = anchors + foreign[: fig.foreign_unions]
    room = {id(t): len(open_units[id(t)]) - 2 * joint_of[id(t)] for t in townships}
    candidates = sorted(
        (u for t in townships for u in open_units[id(t)]), key=lambda u: -single_score[id(u)]
    )
    chosen = {id(u) for u in singles}
    for unit in candidates:
        if len(singles) == single_total:
            break
        if room[id(unit.org)] > 0:
            room[id(unit.org)] -= 1
            singles.append(unit)
            chosen.add(id(unit))
    check(len(singles) == single_total, "各乡镇容不下这么多单独建会的单位")

    # Units in a 联合基层工会: small private firms and shops first, two per union at least.
    joint_score = {
        id(u): -0.3 * math.log(u.employees) + JOINT_BONUS[u.ownership] + rng.gauss(0, 1)
        for u in ctx.units
        if u.ownership not in FOREIGN_INVESTED
    }
    joint_units: dict[int, list[UnitNode]] = {id(t): [] for t in townships}
    rest = []
    for t in townships:
        free = sorted(
            (u for u in open_units[id(t)] if id(u) not in chosen),
            key=lambda u: -joint_score[id(u)],
        )
        need = 2 * joint_of[id(t)]
        joint_units[id(t)] = free[:need]
        if joint_of[id(t)]:
            rest.extend(free[need:])
    rest.sort(key=lambda u: -joint_score[id(u)])
    extra = joint_units_total - 2 * joint_total
    check(len(rest) >= extra, "可加入联合基层工会的单位不够")
    for unit in rest[:extra]:
        joint_units[id(unit.org)].append(unit)

    # The unions themselves.
    single_unions: list[OrgNode] = []
    single_ids = {id(u) for u in singles}
    joint_unions: list[OrgNode] = []
    for t in townships:
        area = area_code(t)
        county = t.parent
        for unit in t.units:
            if id(unit) in single_ids:
                anchor = next(
                    (a for a in names.ANCHOR_UNITS if unit.anchor and a["name"] == unit.name),
                    None,
                )
                founded = dt.date(*anchor["founded_on"]) if anchor else founding_date(rng, unit)
                union = grassroots(
                    t, f"{unit.name}工会", founded, names.person_name(rng), unit.address
                )
                union.phone = phone(rng, area)
                union.units.append(unit)
                single_unions.append(union)
        members = joint_units[id(t)]
        count = joint_of[id(t)]
        if not count:
            continue
        rng.shuffle(members)
        weights = [rng.paretovariate(1.2) for _ in range(count)]
        groups: list[list[UnitNode]] = [members[2 * k : 2 * k + 2] for k in range(count)]
        for unit, k in zip(
            members[2 * count :],
            rng.choices(range(count), weights=weights, k=len(members) - 2 * count),
            strict=True,
        ):
            groups[k].append(unit)
        taken = set()
        for group in groups:
            while True:
                where = (
                    names.village_name(rng)
                    if rng.random() < 0.7
                    else names.place_name(rng) + rng.choice(names.MARKETS)
                )
                if where not in taken:
                    taken.add(where)
                    break
            union = grassroots(
                t,
                f"{t.place}{where}联合基层工会",
                date_in_year(rng, weighted_year(rng, 2001, 2007, 2.0)),
                names.person_name(rng),
                f"{county.place}{t.place}{where}",
            )
            union.phone = phone(rng, area)
            union.units.extend(group)
            joint_unions.append(union)
    check(len(single_unions) + len(joint_unions) == fig.grassroots, "基层工会总数不对")

    # Which were founded in 2008, and which units joined in 2008.
    founded_2008 = fig.grassroots - fig.grassroots_2007
    joint_2008_count = min(round(founded_2008 * 0.3), len(joint_unions))
    small_joint = [u for u in joint_unions if len(u.units) <= 4] or joint_unions
    joint_2008 = rng.sample(small_joint, min(joint_2008_count, len(small_joint)))
    young = [
        u for u in single_unions
        if u.units[0].ownership in ("private", "foreign", "hmt") and not u.units[0].anchor
    ]  # fmt: skip
    check(len(young) >= founded_2008 - len(joint_2008), "2008年新建的基层工会太多")
    single_2008 = rng.sample(young, founded_2008 - len(joint_2008))
    for union in joint_2008 + single_2008:
        union.founded_on = random_date(rng, START_2008, AS_OF)
    in_2008 = {id(u) for u in joint_2008}
    joined_2008 = (
        fig.covered - fig.covered_2007 - len(single_2008) - sum(len(u.units) for u in joint_2008)
    )
    later = [unit for union in joint_unions if id(union) not in in_2008 for unit in union.units[2:]]
    check(0 <= joined_2008 <= len(later), "2008年新覆盖的单位数对不上")
    late_ids = {id(u) for u in rng.sample(later, joined_2008)}
    for union in single_unions:
        union.units[0].union = union
        union.units[0].covered_since = union.founded_on
    for union in joint_unions:
        for k, unit in enumerate(union.units):
            unit.union = union
            if k < 2:
                unit.covered_since = union.founded_on
            elif id(union) in in_2008:
                unit.covered_since = random_date(rng, union.founded_on, AS_OF)
            elif id(unit) in late_ids:
                unit.covered_since = random_date(rng, START_2008, AS_OF)
            else:
                unit.covered_since = random_date(rng, union.founded_on, END_2007)
    set_up_in_2008(ctx, rng)

    federations = build_federations(ctx, rng, townships)
    covered = sum(1 for u in ctx.units if u.union is not None)
    ctx.summary.update(
        grassroots=len(single_unions) + len(joint_unions),
        joint_unions=len(joint_unions),
        federations=federations,
        covered=covered,
    )
    return (
        f"{fig.grassroots:,} 个基层工会（其中联合基层工会 {len(joint_unions):,} 个），"
        f"{federations:,} 个工会联合会，覆盖 {covered:,} 个单位"
    )


def set_up_in_2008(ctx: DemoContext, rng: random.Random) -> None:
    """Units set up in 2008, so that exactly ``units_2007`` existed at the end of 2007.

    Only a unit covered in 2008, or not at all, can be new; a unit is never covered
    before it existed.
    """
    fig = ctx.figures
    new = fig.units - fig.units_2007
    candidates = [
        u
        for u in ctx.units
        if not u.anchor and (u.covered_since is None or u.covered_since >= START_2008)
    ]
    check(0 <= new <= len(candidates), "2008年新成立的单位数对不上")
    for unit in rng.sample(candidates, new):
        unit.established_on = random_date(rng, START_2008, unit.covered_since or AS_OF)
    for unit in ctx.units:
        if unit.covered_since and unit.established_on > unit.covered_since:
            unit.established_on = unit.covered_since


def build_federations(ctx: DemoContext, rng: random.Random, townships: list[OrgNode]) -> int:
    """区域/行业工会联合会 in some townships, with joint and small unions moved under them.

    A trade federation (建筑业, 餐饮住宿业, …) takes the unions whose units are of its
    trade; a regional one (工业园区, 个体私营企业, …) takes a share of any of them.
    """
    count = 0
    for t in townships:
        joint = [c for c in t.children if c.name.endswith("联合基层工会")]
        if not joint or rng.random() >= ctx.scale.federation_share:
            continue
        small = [
            c for c in t.children
            if len(c.units) == 1 and c.units[0].employees < 50
            and c.units[0].ownership in ("private", "individual", "social")
        ]  # fmt: skip
        taken: set[str] = set()
        for _ in range(2 if len(joint) >= 8 and rng.random() < 0.3 else 1):
            free = [c for c in joint + small if c.parent is t]
            trades = Counter(
                u.industry for c in free for u in c.units if u.industry in names.FEDERATION_TRADES
            )
            trades = Counter(
                {k: n for k, n in trades.items() if names.FEDERATION_TRADES[k] not in taken}
            )
            if trades and rng.random() < 0.5:
                trade = trades.most_common(1)[0][0]
                theme = names.FEDERATION_TRADES[trade]
                picked = [c for c in free if any(u.industry == trade for u in c.units)]
            else:
                theme = rng.choice([r for r in names.FEDERATION_REGIONS if r not in taken])
                free_joint = [c for c in free if c in joint]
                if not free_joint:
                    break
                share = rng.uniform(0.2, 0.5)
                picked = rng.sample(free_joint, max(1, round(len(free_joint) * share)))
                picked += [c for c in free if c in small and rng.random() < 0.3]
            taken.add(theme)
            federation = add_org(
                rng,
                t,
                name=f"{t.place}{theme}工会联合会",
                kind=Org.Kind.FEDERATION,
                region_code=t.region_code,
                place=t.place,
                founded_on=random_date(rng, dt.date(2003, 1, 1), AS_OF),
                area=area_code(t),
                at=(t.parent.place, t.place),
            )
            for child in picked:
                t.children.remove(child)
                child.parent = federation
                federation.children.append(child)
            count += 1
    return count


def number(ctx: DemoContext) -> None:
    """Ids in tree order from 1, and each path as the parent's path plus the id."""
    ctx.orgs = list(walk(ctx.province))
    for i, node in enumerate(ctx.orgs, start=1):
        node.id = i
        node.path = (node.parent.path if node.parent else "") + str(i).zfill(SEGMENT)
    for i, unit in enumerate(ctx.units, start=1):
        unit.id = i


# --- step 4: write ----------------------------------------------------------------------

ORG_FIELDS = ["id", "name", "kind", "form", "parent", "path", "region_code", "founded_on",
              "dissolved_on", "address", "chair", "phone"]  # fmt: skip
UNIT_FIELDS = ["id", "name", "credit_code", "ownership", "industry", "region_code", "org",
               "union", "covered_since", "established_on", "closed_on", "employees",
               "migrant_workers", "women_workers", "address", "created_at", "updated_at"]  # fmt: skip
SPELL_FIELDS = ["unit", "union", "start", "end", "end_reason"]
EVENT_FIELDS = ["org", "kind", "on", "note", "created_at"]


def org_form(node: OrgNode) -> str:
    if node.kind == Org.Kind.GRASSROOTS:
        joint = node.name.endswith("联合基层工会")
        return Org.Form.JOINT if joint else Org.Form.SINGLE
    if node.kind == Org.Kind.FEDERATION:
        trade = any(t in node.name for t in names.FEDERATION_TRADES.values())
        return Org.Form.INDUSTRY if trade else Org.Form.REGIONAL
    return ""


def write_orgs_and_units(ctx: DemoContext) -> str:
    number(ctx)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with indexes_built_after(Org, Unit, CoverageSpell, OrgEvent):
        write_rows(ctx, now)
    reset_sequences([Org, Unit, CoverageSpell, OrgEvent])
    return f"{len(ctx.orgs):,} 个工会组织，{len(ctx.units):,} 个单位"


def write_rows(ctx: DemoContext, now) -> None:
    insert_rows(
        Org,
        ORG_FIELDS,
        (
            (o.id, o.name, o.kind, org_form(o), o.parent.id if o.parent else None, o.path,
             o.region_code, o.founded_on, None, o.address, o.chair, o.phone)
            for o in ctx.orgs
        ),
    )  # fmt: skip
    insert_rows(
        Unit,
        UNIT_FIELDS,
        (
            (u.id, u.name, u.credit_code, u.ownership, u.industry, u.region_code, u.org.id,
             u.union.id if u.union else None, u.covered_since, u.established_on, None,
             u.employees, u.migrant_workers, u.women_workers, u.address, now, now)
            for u in ctx.units
        ),
    )  # fmt: skip
    # The history the figures read: each covered unit's spell, each union's founding.
    insert_rows(
        CoverageSpell,
        SPELL_FIELDS,
        (
            (u.id, u.union.id, u.covered_since or u.established_on or u.union.founded_on, None, "")
            for u in ctx.units
            if u.union is not None
        ),
    )
    insert_rows(
        OrgEvent,
        EVENT_FIELDS,
        (
            (o.id, OrgEvent.Kind.FOUNDED, o.founded_on, "", now)
            for o in ctx.orgs
            if o.founded_on is not None
        ),
    )


# --- step 5: accounts -------------------------------------------------------------------


def demo_accounts(ctx: DemoContext) -> list[dict]:
    cities = {o.region_code: o for o in ctx.province.children}
    jiceng = next(
        o
        for o in walk(cities["140100"])
        if o.kind == Org.Kind.GRASSROOTS and o.name == f"{names.GRASSROOTS_LOGIN_UNIT}工会"
    )
    return [
        {"username": "admin", "org": ctx.province, "role": User.Role.ADMIN},
        {"username": "taiyuan", "org": cities["140100"], "role": User.Role.ADMIN},
        {"username": "datong", "org": cities["140200"], "role": User.Role.EDITOR},
        {"username": "jiceng", "org": jiceng, "role": User.Role.EDITOR},
        {"username": "shenhe", "org": cities["140100"], "role": User.Role.REVIEWER},
    ]


def create_accounts(ctx: DemoContext) -> str:
    ctx.accounts = demo_accounts(ctx)
    hashed = make_password(ctx.password)  # one Argon2 hash, shared: the demo stays fast
    User.objects.bulk_create(
        User(
            id=i,
            username=a["username"],
            org_id=a["org"].id,
            role=a["role"],
            password=hashed,
            first_name=f"{a['org'].name}{User.Role(a['role']).label}"[:150],
        )
        for i, a in enumerate(ctx.accounts, start=1)
    )
    reset_sequences([User])
    return f"{len(ctx.accounts)} 个账号"


# --- step 6: one audit entry for the whole build ----------------------------------------


def record_audit(ctx: DemoContext) -> str:
    province = Org.objects.get(pk=ctx.province.id)
    fig = ctx.figures
    changes.note_everything()  # the tree was built in bulk: every kept figure is recounted
    audit.record_bulk(
        actor=None,
        org=province,
        model=Org,
        title="批量生成演示省份（manage.py demo_province）",
        summary={
            "规模": ctx.scale.name,
            "随机种子": ctx.seed,
            "工会组织": len(ctx.orgs),
            "基层工会": ctx.summary["grassroots"],
            "2007年底基层工会": fig.grassroots_2007,
            "工会联合会": ctx.summary["federations"],
            "单位": len(ctx.units),
            "覆盖单位": ctx.summary["covered"],
            "2007年底覆盖单位": fig.covered_2007,
            "2007年底单位": fig.units_2007,
            "账号": ", ".join(a["username"] for a in ctx.accounts),
        },
    )
    return "1 条审计记录"


STEPS = [
    Step("tree", "建立省、市、县总工会和乡镇(街道)工会", build_tree),
    Step("units", "生成法人单位", build_units),
    Step("unions", "组建基层工会、工会联合会，确定覆盖单位", build_unions),
    Step("write", "写入数据库", write_orgs_and_units),
    Step("members", "生成会员名册与会籍（2007—2008年）", lambda ctx: _members_step(ctx)),
    Step("assistance", "生成帮扶工程数据（2007—2008年）", lambda ctx: _assistance_step(ctx)),
    Step(
        "relations", "生成和谐劳动关系数据（2007—2008年）", lambda ctx: _app_step(ctx, "relations")
    ),
    Step(
        "achievement",
        "生成建功立业、职工素质数据（2008年）",
        lambda ctx: _app_step(ctx, "achievement"),
    ),
    Step("cadres", "生成理论学习、工会干部数据（2008年）", lambda ctx: _app_step(ctx, "cadres")),
    Step("finance", "生成工会经费与资产数据（2006—2008年）", lambda ctx: _app_step(ctx, "finance")),
    Step("accounts", "创建演示账号", create_accounts),
    Step("audit", "记录审计日志", record_audit),
]


def _members_step(ctx: DemoContext) -> str:
    # Imported here: demo.members builds on this module's helpers.
    from unionworks.demo.members import build_members

    return build_members(ctx)


def _assistance_step(ctx: DemoContext) -> str:
    from unionworks.demo.assistance import build_assistance

    return build_assistance(ctx)


def _app_step(ctx: DemoContext, app: str) -> str:
    # demo.<app> holds the app's demo records: build_<app>(ctx) -> a one-line result.
    module = importlib.import_module(f"unionworks.demo.{app}")
    return getattr(module, f"build_{app}")(ctx)


def build_province(
    *,
    scale: str,
    seed: int,
    password: str,
    out: Callable[[str], None] = print,
    steps: list[Step] | None = None,
) -> DemoContext:
    """Run every step in one transaction; print each step's result and time."""
    ctx = DemoContext(scale=SCALES[scale], seed=seed, password=password, out=out)
    ctx.figures = figures_for(ctx.scale)
    steps = STEPS if steps is None else steps
    with transaction.atomic():
        for i, step in enumerate(steps, start=1):
            out(f"[{i}/{len(steps)}] {step.label}……")
            started = time.perf_counter()
            result = step.run(ctx)
            elapsed = time.perf_counter() - started
            ctx.timings.append((step.name, elapsed))
            out(f"      {result}，用时 {elapsed:.2f} 秒")
    return ctx
