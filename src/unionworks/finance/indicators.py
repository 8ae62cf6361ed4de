"""实力强会工程 indicators, summed from the records where each sits.

- fund income: receipts at the collecting union, by the day the money arrived, in total
  and by channel (建会筹备金 included); the levy's part of it (levy_received);
- levy due: the 2 % on the payroll base of the units' periods, by the period's deadline
  (so a quarter's levy and the money paid for it fall in the same months), at the union
  answering for the unit; collection rate = levy received ÷ levy due;
- shares: each level's share of what was collected in a subtree (by the collecting
  union), so the national and provincial shares are what the subtree passed up;
- arrears as of the period's last day: levies past their deadline not paid up by then,
  the amount still owed on that day (due less what had arrived by then) and the units;
- assets: the value of the register as of the last day (original value less straight-line
  depreciation; disposed assets out), their original value; cities with asset rules in
  force; institutions assessed in the period and their grades.

同比 (the article's ~30 % a year) is computed by stats for every indicator. Money is yuan
to the fen (Decimal) at every level.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from unionworks.core.periods import Period
from unionworks.core.scoping import subtree_q
from unionworks.finance.models import (
    LEVY_CHANNELS,
    Assessment,
    Asset,
    AssetRule,
    Channel,
    FundReceipt,
    FundShare,
    Grade,
    Level,
    Levy,
)
from unionworks.finance.selectors import in_arrears_on, value_on
from unionworks.orgs.models import Org
from unionworks.stats.registry import FLOW, RATIO, STOCK, Indicator, Source, register
from unionworks.stats.sources import (
    COUNT,
    MONEY,
    MONEY_SUM,
    Figure,
    everything,
    fen,
    flow_source,
    grouped_source,
    money_sum,
    per_org,
    where,
)

YUAN = "元"
CHANNEL_EN = {
    Channel.TAX: "collected by the tax office",
    Channel.FISCAL: "fiscal allocations",
    Channel.DIRECT: "paid directly by units",
    Channel.PREPARATORY: "preparatory fees",
    Channel.GRANT: "grants from above",
    Channel.OTHER: "other income",
}
LEVEL_EN = {
    Level.GRASSROOTS: "grassroots unions",
    Level.COUNTY: "county federations",
    Level.CITY: "city federations",
    Level.PROVINCE: "the provincial federation",
    Level.NATIONAL: "the national federation",
}


def _receipts(root: Org) -> QuerySet:
    return FundReceipt.objects.filter(subtree_q(root, "org__"))


def _is_levy(row: dict) -> bool:
    return row["channel"] in LEVY_CHANNELS


RECEIPTS = grouped_source(
    "finance.receipts",
    _receipts,
    date="received_on",
    dims=("channel",),
    measures={"amount": lambda q=None: money_sum("amount", filter=q)},
    codes=[
        ("fund_receipts", "amount", everything),
        ("levy_received", "amount", _is_levy),
        *[(f"fund_receipts_{c.value}", "amount", where("channel", c.value)) for c in Channel],
    ],
)
LEVIES = flow_source(
    "finance.levies",
    lambda root: Levy.objects.filter(subtree_q(root, "org__")),
    date="due_on",
    org="org_id",
    figures=[
        Figure("levy_due", MONEY, "due"),
        Figure("payroll_base", MONEY, "payroll_base"),
        Figure("levies_declared", COUNT),
    ],
)
SHARES = grouped_source(
    "finance.shares",
    lambda root: FundShare.objects.filter(subtree_q(root, "collector__")),
    date="received_on",
    dims=("level",),
    measures={"amount": lambda q=None: money_sum("amount", filter=q)},
    codes=[(f"fund_share_{lv.value}", "amount", where("level", lv.value)) for lv in Level],
    org="collector_id",
)


def _arrears(root: Org, period: Period) -> dict:
    day = period.as_of
    levies = Levy.objects.filter(subtree_q(root, "org__")).filter(in_arrears_on(day))
    owed = per_org(
        levies,
        "org_id",
        due=Sum("due", output_field=MONEY_SUM),
        units=Count("unit_id", distinct=True),
    )
    paid = per_org(
        FundReceipt.objects.filter(subtree_q(root, "levy__org__"))
        .filter(in_arrears_on(day, "levy__"))
        .filter(received_on__lte=day),
        "levy__org_id",
        amount=Sum("amount", output_field=MONEY_SUM),
    )["amount"]
    amounts = {
        org: fen(due) - fen(paid.get(org)) for org, due in owed["due"].items()
    }  # fmt: skip
    return {
        "arrears_amount": {k: v for k, v in amounts.items() if v},
        "units_in_arrears": {k: int(v) for k, v in owed["units"].items()},
    }


ARREARS = Source("finance.arrears", _arrears)


def _assets(root: Org, period: Period) -> dict:
    day = period.as_of
    found = (
        Asset.objects.filter(subtree_q(root, "org__"), acquired_on__lte=day)
        .filter(Q(disposed_on__isnull=True) | Q(disposed_on__gt=day))
        .only("org_id", "acquired_on", "original_value", "useful_life_years", "disposed_on")
    )
    value: dict[int, Decimal] = defaultdict(Decimal)
    original: dict[int, Decimal] = defaultdict(Decimal)
    count: dict[int, int] = defaultdict(int)
    for asset in found.iterator(chunk_size=5000):
        value[asset.org_id] += value_on(asset, day)
        original[asset.org_id] += asset.original_value
        count[asset.org_id] += 1
    rules = per_org(
        AssetRule.objects.filter(subtree_q(root, "org__"), valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .filter(org__kind=Org.Kind.CITY),
        "org_id",
        orgs=Count("org_id", distinct=True),
    )["orgs"]
    return {
        "assets_value": {k: fen(v) for k, v in value.items() if v},
        "assets_original_value": {k: fen(v) for k, v in original.items() if v},
        "assets_count": dict(count),
        "cities_with_asset_rules": {k: int(v) for k, v in rules.items()},
    }


ASSETS = Source("finance.assets", _assets)

ASSESSMENTS = flow_source(
    "finance.assessments",
    lambda root: Assessment.objects.filter(subtree_q(root, "org__")),
    date="assessed_on",
    org="org_id",
    figures=[
        Figure("institutions_assessed"),
        *[Figure(f"institutions_{g.value}", COUNT, where=Q(grade=g.value)) for g in Grade],
        Figure("institution_income", MONEY, "income"),
    ],
)


def _money(code, name, name_en, source, description="", measure=FLOW, **extra) -> Indicator:
    return Indicator(
        code, name, name_en, YUAN, measure, source, money=True, description=description, **extra
    )


register(
    _money(
        "fund_receipts",
        "工会经费收入",
        "Union fund income",
        RECEIPTS,
        "期间内到账的工会经费（各收缴渠道合计，按收款工会计）",
    ),
    *[
        _money(
            f"fund_receipts_{c.value}",
            f"经费收入：{c.label}",
            f"Fund income: {CHANNEL_EN[c]}",
            RECEIPTS,
            f"期间内经“{c.label}”渠道到账的经费",
        )
        for c in Channel
    ],
    _money(
        "levy_received",
        "实收工会经费（2%）",
        "Levy received",
        RECEIPTS,
        "期间内到账的2%工会经费（税务代收、财政划拨、单位直接拨缴、建会筹备金）",
    ),
    _money(
        "levy_due",
        "应缴工会经费",
        "Levy due",
        LEVIES,
        "缴费期限在期间内的应缴经费（单位工资总额的2%）",
    ),
    _money(
        "payroll_base", "计缴工资总额", "Payroll base", LEVIES, "缴费期限在期间内的申报工资总额"
    ),
    Indicator("levies_declared", "申报缴费单位期数", "Levy periods declared", "户次", FLOW, LEVIES),
    Indicator(
        "collection_rate",
        "经费收缴率",
        "Collection rate",
        "%",
        RATIO,
        numerator="levy_received",
        denominator="levy_due",
        description="实收工会经费 ÷ 应缴工会经费",
    ),
    *[
        _money(
            f"fund_share_{lv.value}",
            f"分成：{lv.label}",
            f"Shares of {LEVEL_EN[lv]}",
            SHARES,
            f"期间内收缴的经费中按分成比例归{lv.label}的部分（按收款工会计）",
        )
        for lv in Level
    ],
    _money(
        "arrears_amount",
        "欠缴工会经费",
        "Levy in arrears",
        ARREARS,
        "期末已过缴费期限、尚未缴足的应缴经费余额",
        measure=STOCK,
        higher_is_better=False,
    ),
    Indicator(
        "units_in_arrears",
        "欠缴单位数",
        "Units in arrears",
        "个",
        STOCK,
        ARREARS,
        description="期末有逾期未缴足经费的单位",
        higher_is_better=False,
    ),
    _money(
        "assets_value",
        "工会资产净值",
        "Union assets (net value)",
        ASSETS,
        "期末在册资产的原值减累计折旧（直线法），已处置的不计",
        measure=STOCK,
    ),
    _money(
        "assets_original_value",
        "工会资产原值",
        "Union assets (original value)",
        ASSETS,
        "期末在册资产的原值",
        measure=STOCK,
    ),
    Indicator("assets_count", "在册资产数", "Assets on the register", "项", STOCK, ASSETS),
    Indicator(
        "cities_with_asset_rules",
        "建立资产管理制度的市级工会",
        "Cities with asset-management rules",
        "个",
        STOCK,
        ASSETS,
        description="期末有资产管理制度施行的市总工会",
    ),
    Indicator(
        "institutions_assessed",
        "完成年度业绩考核的直属事业单位",
        "Institutions assessed",
        "个",
        FLOW,
        ASSESSMENTS,
        description="期间内完成年度业绩考核的直属事业单位",
    ),
    *[
        Indicator(
            f"institutions_{g.value}",
            f"考核{g.label}的事业单位",
            f"Institutions graded {g.name.lower()}",
            "个",
            FLOW,
            ASSESSMENTS,
            higher_is_better=g != Grade.FAIL,
        )
        for g in Grade
    ],
    _money(
        "institution_income",
        "直属事业单位收入",
        "Income of affiliated institutions",
        ASSESSMENTS,
        "期间内考核的事业单位报告的年度收入",
    ),
)
