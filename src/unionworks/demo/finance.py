"""The demo province's 实力强会工程 records (a step of ``manage.py demo_province``).

What the article says, made into records:
- "一改三策": from 2006 the tax office collects the 2 % levy (地税代征), public bodies'
  levy comes as fiscal allocations (财政划拨), units without a union pay the preparatory
  fee (建会筹备金) — which became their union's money on the day it was founded — and
  the rest pay their union directly (单位直接拨缴). Fund income grows about 30 % a year
  (payroll per head about 13–15 % a year, the units paying about 13–16 % more a year).
- Levies are quarterly, 2005Q4–2008Q2 (received by mid-July 2008), split 60/10/15/10/5
  by the province's scheme (全额征收后返还); from 2008 the province charges a late fee of
  0.5‰ a day. About 3 % of the levies are paid short; most of the older ones are paid
  up later, so a realistic share of units is in arrears on 30 September 2008.
- 上级补助: each county federation receives a yearly grant from its city.
- Assets at the province, the cities and the counties, depreciated straight-line; every
  one of the cities issued its asset-management rules in 2007–2008; the province issued
  its rules for the affiliated institutions, and assessed them for 2007 by its score sheet.

At ``province`` scale one unit in four pays into the demo's levies (the larger ones, by
employees, where most of the payroll is) so that the step stays fast; at smaller scales
every unit does. Everything is written with ``core.bulk.insert_rows`` in batches.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from unionworks.core.bulk import indexes_built_after, insert_rows, reset_sequences
from unionworks.demo.province import PROVINCE_UNITS, DemoContext, OrgNode, UnitNode
from unionworks.finance.levy import quarter_period, split_fens
from unionworks.finance.models import (
    Assessment,
    AssessmentScheme,
    Asset,
    AssetRule,
    Channel,
    FundReceipt,
    FundShare,
    Institution,
    Level,
    Levy,
    Score,
    ScoreItem,
    ShareScheme,
)
from unionworks.orgs.models import Org, Unit

AS_OF = dt.date(2008, 9, 30)
QUARTERS = (
    [(2005, 4)] + [(y, q) for y in (2006, 2007) for q in (1, 2, 3, 4)] + [(2008, 1), (2008, 2)]
)
# Payroll per employee and quarter (yuan), and the share of payer units paying that year.
WAGE = {2005: 3_700, 2006: 4_200, 2007: 4_800, 2008: 5_450}
PAYING = {2005: 0.50, 2006: 0.58, 2007: 0.70, 2008: 0.80}
RATES = [60, 10, 15, 10, 5]  # grassroots, county, city, province, national
LEVELS = [lv.value for lv in Level]
SHORT = 0.03  # levies paid short
CLEARED_OLD, CLEARED_2008 = 0.92, 0.35  # of those, paid up later (due before / in 2008)
DIRECT = 0.25  # covered units paying their union directly (the rest through the tax office)
FISCAL_OWNERSHIP = {Unit.Ownership.PUBLIC_INSTITUTION, Unit.Ownership.SOCIAL_ORG}
GRANT = {2006: 60_000_00, 2007: 78_000_00, 2008: 101_000_00}  # per county, fen, scaled
BIG_PROVINCE = 10_000  # above this many units, one in four pays in the demo
BATCH = 20_000

LEVY_FIELDS = ["id", "unit", "org", "period", "period_kind", "period_start", "period_end",
               "due_on", "payroll_base", "due", "received", "paid_up_on", "created_at"]  # fmt: skip
RECEIPT_FIELDS = ["id", "org", "channel", "levy", "payer_org", "amount", "received_on",
                  "portion", "scheme", "moved_to", "moved_on", "reference", "note",
                  "created_at"]  # fmt: skip
SHARE_FIELDS = ["id", "receipt", "level", "org", "collector", "flow", "amount", "received_on"]

INSTITUTIONS = [
    ("山西省工人文化宫", "文化宫", 120),
    ("山西省总工会干部学校", "院校", 85),
    ("山西省工人疗养院", "疗养院", 140),
    ("山西工人报社", "报社", 60),
    ("山西省职工技术协会", "社团", 20),
    ("山西省职工服务中心", "服务中心", 35),
    ("山西省总工会机关服务中心", "服务中心", 45),
]
SCORE_ITEMS = [("经济效益", 30), ("资产保值增值", 25), ("社会效益", 20), ("内部管理", 15),
               ("安全稳定", 10)]  # fmt: skip
# (category, name, value range in yuan, useful life in years, how many per org kind)
ASSET_KINDS = [
    ("2", "办公楼", (2_000_000, 12_000_000), 50, {"province": 3, "city": 2, "county": 1}),
    ("2", "职工活动中心", (800_000, 6_000_000), 50, {"province": 2, "city": 2, "county": 1}),
    ("1", "土地使用权", (500_000, 5_000_000), 0, {"province": 2, "city": 1, "county": 1}),
    ("3", "公务用车", (120_000, 300_000), 8, {"province": 6, "city": 3, "county": 1}),
    ("3", "计算机及网络设备", (30_000, 200_000), 6, {"province": 8, "city": 4, "county": 2}),
    ("4", "文体设备", (20_000, 300_000), 10, {"province": 4, "city": 3, "county": 1}),
    ("7", "办公家具", (10_000, 120_000), 15, {"province": 5, "city": 3, "county": 1}),
    ("6", "图书资料", (5_000, 80_000), 0, {"province": 2, "city": 1, "county": 0}),
]


def fen_text(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _ancestor(node: OrgNode, kind: str) -> OrgNode | None:
    while node is not None and node.kind != kind:
        node = node.parent
    return node


def _flow(share_org: OrgNode | None, collector: OrgNode) -> str:
    if share_org is None:
        return FundShare.Flow.UP
    if share_org is collector:
        return FundShare.Flow.OWN
    if share_org.path.startswith(collector.path):
        return FundShare.Flow.DOWN
    return FundShare.Flow.UP


class _Build:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng("finance")
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.levy_id = self.receipt_id = self.share_id = 0
        self.levies, self.receipts, self.shares = [], [], []
        self.levels_of: dict[int, list] = {}
        self.counts = {"levies": 0, "receipts": 0, "shares": 0}

    # -- the scheme and the levies -------------------------------------------------------
    def schemes(self) -> None:
        province = self.ctx.province
        rows = [
            (1, province.id, "山西省工会经费收缴分成办法", dt.date(2005, 10, 1), "full", *RATES,
             None, self.now),
            (2, province.id, "山西省工会经费收缴分成办法（2008年修订，加收滞纳金）",
             dt.date(2008, 1, 1), "full", *RATES, "0.500", self.now),
        ]  # fmt: skip
        insert_rows(
            ShareScheme,
            ["id", "org", "name", "valid_from", "mode", "grassroots_rate", "county_rate",
             "city_rate", "province_rate", "national_rate", "late_fee_rate", "created_at"],
            rows,
        )  # fmt: skip

    def payers(self) -> list[UnitNode]:
        units = [u for u in self.ctx.units if u.employees > 0]
        if len(self.ctx.units) > BIG_PROVINCE:
            units.sort(key=lambda u: (-u.employees, u.id))
            units = sorted(units[: len(units) // 4], key=lambda u: u.id)
        return units

    def levels(self, payer: OrgNode, collector: OrgNode, union: OrgNode | None) -> list:
        key = (payer.id, collector.id, union.id if union else 0)
        if key not in self.levels_of:
            county = _ancestor(payer, Org.Kind.COUNTY)
            city = _ancestor(payer, Org.Kind.CITY)
            province = self.ctx.province
            city = city or province
            county = county or city
            self.levels_of[key] = [
                (org, _flow(org, collector))
                for org in (union or collector, county, city, province, None)
            ]
        return self.levels_of[key]

    def receipt(self, *, org, channel, levy_id, payer, fens, on, portion, levels, moved=None):
        self.receipt_id += 1
        scheme = 2 if on >= dt.date(2008, 1, 1) else 1
        self.receipts.append(
            (self.receipt_id, org.id, channel, levy_id, payer.id if payer else None,
             fen_text(fens), on, portion, scheme if levy_id else None,
             moved[0].id if moved else None, moved[1] if moved else None,
             f"DS{on:%Y%m}{self.receipt_id:07d}" if channel == Channel.TAX else "", "",
             self.now)
        )  # fmt: skip
        if not levels:
            return
        for level, (share_org, flow), amount in zip(
            LEVELS, levels, split_fens(fens, RATES), strict=True
        ):
            self.share_id += 1
            self.shares.append(
                (self.share_id, self.receipt_id, level, share_org.id if share_org else None,
                 org.id, flow, fen_text(amount), on)
            )  # fmt: skip

    def unit_levies(self, unit: UnitNode, start_paying: float) -> None:
        rng = self.rng
        union = unit.union
        payer = union or unit.org
        county = _ancestor(unit.org, Org.Kind.COUNTY) or self.ctx.province
        for year, quarter in QUARTERS:
            period = quarter_period(year, quarter)
            if unit.established_on and unit.established_on > period.end:
                continue
            if start_paying >= PAYING[year]:
                continue
            base = unit.employees * WAGE[year] * 100
            base = base * rng.randint(90, 110) // 100 // 100 * 100  # to the yuan
            due = (base * 2 + 50) // 100
            covered = union is not None and (
                unit.covered_since is None or unit.covered_since <= period.end
            )
            if not covered:
                channel, collector = Channel.PREPARATORY, county
            elif unit.ownership in FISCAL_OWNERSHIP:
                channel, collector = Channel.FISCAL, county
            elif rng.random() < DIRECT:
                channel, collector = Channel.DIRECT, union
            else:
                channel, collector = Channel.TAX, county
            moved = (union, unit.covered_since) if (not covered and union is not None) else None
            share_union = union if (covered or moved) else None
            levels = self.levels(payer, collector, share_union)
            on = period.due_on - dt.timedelta(days=rng.randint(1, 14))
            self.levy_id += 1
            paid, paid_up_on = due, on
            later = None
            if rng.random() < SHORT:
                paid = due * rng.randint(50, 90) // 100
                paid_up_on = None
                cleared = CLEARED_OLD if period.due_on.year < 2008 else CLEARED_2008
                if rng.random() < cleared:
                    late = period.due_on + dt.timedelta(days=rng.randint(45, 300))
                    if late <= AS_OF:
                        later, paid_up_on = late, late
            received = paid + (due - paid if later else 0)
            self.levies.append(
                (self.levy_id, unit.id, payer.id, period.code, period.kind, period.start,
                 period.end, period.due_on, fen_text(base), fen_text(due), fen_text(received),
                 paid_up_on, self.now)
            )  # fmt: skip
            if paid > 0:
                self.receipt(org=collector, channel=channel, levy_id=self.levy_id, payer=payer,
                             fens=paid, on=on, portion="full", levels=levels, moved=moved)  # fmt: skip
            if later:
                # a preparatory fee paid up after the founding went to the union that day
                moved_later = (union, max(moved[1], later)) if moved else None
                self.receipt(org=collector, channel=channel, levy_id=self.levy_id, payer=payer,
                             fens=due - paid, on=later, portion="full", levels=levels,
                             moved=moved_later)  # fmt: skip
            if len(self.shares) >= BATCH:
                self.flush()

    def flush(self) -> None:
        insert_rows(Levy, LEVY_FIELDS, self.levies)
        insert_rows(FundReceipt, RECEIPT_FIELDS, self.receipts)
        insert_rows(FundShare, SHARE_FIELDS, self.shares)
        self.counts["levies"] += len(self.levies)
        self.counts["receipts"] += len(self.receipts)
        self.counts["shares"] += len(self.shares)
        self.levies, self.receipts, self.shares = [], [], []

    def grants(self) -> None:
        scale = self.ctx.scale.units / PROVINCE_UNITS
        for county in self.ctx.orgs_of_kind(Org.Kind.COUNTY):
            for year, full in GRANT.items():
                fens = max(round(full * scale), 100_00)
                on = dt.date(year, 3, 1) + dt.timedelta(days=self.rng.randint(0, 60))
                self.receipt(org=county, channel=Channel.GRANT, levy_id=None, payer=None,
                             fens=fens, on=on, portion="none", levels=None)  # fmt: skip

    # -- assets, rules, institutions -----------------------------------------------------
    def assets(self) -> int:
        rng, rows, asset_id = self.rng, [], 0
        owners = [self.ctx.province, *self.ctx.orgs_of_kind(Org.Kind.CITY),
                  *self.ctx.orgs_of_kind(Org.Kind.COUNTY)]  # fmt: skip
        for org in owners:
            for category, name, (low, high), life, per_kind in ASSET_KINDS:
                for i in range(per_kind.get(org.kind, 0)):
                    asset_id += 1
                    # more acquired in 2007–2008: 资产总量 growing
                    year = rng.choice([1996, 1999, 2002, 2004, 2005, 2006, 2007, 2007, 2008])
                    acquired = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                    if acquired > AS_OF:
                        acquired = AS_OF - dt.timedelta(days=rng.randint(1, 200))
                    value = rng.randint(low, high) * 100
                    disposed = None
                    if life and year < 2003 and rng.random() < 0.3:
                        disposed = dt.date(rng.choice([2007, 2008]), rng.randint(1, 9), 15)
                    rows.append(
                        (asset_id, org.id, None, f"{name}{i + 1 if i else ''}",
                         f"ZC{org.id:05d}{asset_id:06d}", category, acquired, fen_text(value),
                         life, "disposed" if disposed else "in_use",
                         "报废" if disposed else "", None, disposed, None, self.now)
                    )  # fmt: skip
        insert_rows(
            Asset,
            ["id", "org", "institution", "name", "code", "category", "acquired_on",
             "original_value", "useful_life_years", "status", "disposal_reason",
             "disposal_value", "disposed_on", "approved_by", "created_at"],
            rows,
        )  # fmt: skip
        return len(rows)

    def rules(self) -> int:
        rows = []
        cities = self.ctx.orgs_of_kind(Org.Kind.CITY)
        for i, city in enumerate(cities, start=1):
            issued = dt.date(2007, 6, 1) + dt.timedelta(days=(i * 37) % 420)
            rows.append((i, city.id, f"{city.place or city.name}工会资产管理办法", issued,
                         issued + dt.timedelta(days=15), None, self.now))  # fmt: skip
        rows.append((len(rows) + 1, self.ctx.province.id,
                     "关于加强对省总直属事业单位资产监督管理的意见", dt.date(2008, 4, 8),
                     dt.date(2008, 4, 8), None, self.now))  # fmt: skip
        insert_rows(
            AssetRule,
            ["id", "org", "title", "issued_on", "valid_from", "valid_to", "created_at"],
            rows,
        )
        return len(cities)

    def institutions(self) -> str:
        rng, province = self.rng, self.ctx.province
        insert_rows(
            Institution,
            ["id", "org", "name", "kind", "founded_on", "staff", "created_at"],
            [(i, province.id, name, kind, dt.date(1950 + 5 * i, 5, 1), staff, self.now)
             for i, (name, kind, staff) in enumerate(INSTITUTIONS, start=1)],
        )  # fmt: skip
        insert_rows(
            AssessmentScheme,
            ["id", "org", "year", "title", "excellent_from", "good_from", "pass_from"],
            [(1, province.id, 2007, "山西省总工会直属事业单位年度业绩考核（试行）办法",
              "90.00", "75.00", "60.00")],
        )  # fmt: skip
        insert_rows(
            ScoreItem,
            ["id", "scheme", "name", "max_score", "order"],
            [(i, 1, name, f"{score}.00", i) for i, (name, score) in enumerate(SCORE_ITEMS, 1)],
        )
        assessments, scores, grades = [], [], {}
        for i, (_name, _kind, staff) in enumerate(INSTITUTIONS, start=1):
            quality = rng.uniform(0.62, 0.98)
            points = [round(max_ * min(1, quality + rng.uniform(-0.06, 0.06)), 1)
                      for _n, max_ in SCORE_ITEMS]  # fmt: skip
            total = sum(points)
            grade = ("excellent" if total >= 90 else "good" if total >= 75
                     else "pass" if total >= 60 else "fail")  # fmt: skip
            grades[grade] = grades.get(grade, 0) + 1
            income = staff * rng.randint(60_000, 120_000) * 100
            assessments.append(
                (i, 1, i, province.id, dt.date(2008, 3, 20), fen_text(income),
                 fen_text(income * rng.randint(3, 8)), f"{total:.2f}", grade)
            )  # fmt: skip
            for j, point in enumerate(points, start=1):
                scores.append((len(scores) + 1, i, j, f"{point:.2f}"))
        insert_rows(
            Assessment,
            ["id", "scheme", "institution", "org", "assessed_on", "income", "assets_value",
             "total", "grade"],
            assessments,
        )  # fmt: skip
        insert_rows(Score, ["id", "assessment", "item", "score"], scores)
        return "、".join(f"{n}个{label}" for label, n in grades.items())

    def run(self) -> str:
        self.schemes()
        rng = self.rng
        with indexes_built_after(Levy, FundReceipt, FundShare):
            for unit in self.payers():
                self.unit_levies(unit, rng.random())
            self.grants()
            self.flush()
        assets = self.assets()
        cities = self.rules()
        self.institutions()
        reset_sequences([ShareScheme, Levy, FundReceipt, FundShare, Asset, AssetRule,
                         Institution, AssessmentScheme, ScoreItem, Assessment, Score])  # fmt: skip
        self.ctx.summary["经费收入笔数"] = self.counts["receipts"]
        return (
            f"应缴经费 {self.counts['levies']:,} 户次，经费收入 {self.counts['receipts']:,} 笔"
            f"（分成 {self.counts['shares']:,} 条），资产 {assets:,} 项，"
            f"{cities} 个市级工会建立资产管理制度，{len(INSTITUTIONS)} 个直属事业单位完成考核"
        )


def build_finance(ctx) -> str:
    return _Build(ctx).run()
