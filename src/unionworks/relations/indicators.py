"""和谐劳动关系 indicators, counted from the records at the union where each sits.

- contracts in force as of the period's last day (``effective_on <= day < expires_on``),
  by kind and by scope, at the signing union: a regional contract covering forty units is
  one contract; the employees it covers are its own figure;
- units covered by a contract in force: each unit once (however many contracts cover it),
  counted where the unit is registered — the same place as ``units``, so the rate of
  the two is right at every level;
- contracts signed in the period; contracts first submitted in the period and how many
  within 10 days of signing; contracts in force expiring within the next 3 months;
- wage contracts in force: their agreed rises, averaged after the roll-up;
- units with a 职代会 session in the period (against ``units_covered``, the units with a
  union), sessions and proposals (handling rate: 已办结 of those not declined);
- units with 厂务公开 in the period's year (against ``units_covered``);
- enterprises commended in the period, by level;
- disputes accepted, closed, settled, the amount of the agreements, and cases open past
  the 15-day limit on the period's last day.

Each source counts several figures in one grouped query, and offers ``series``: a whole
trend (one figure per month) in one scan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from unionworks.core.periods import Period
from unionworks.core.scoping import subtree_q
from unionworks.orgs.models import Org
from unionworks.relations.models import (
    CollectiveContract,
    CongressProposal,
    CongressSession,
    ContractUnit,
    Dispute,
    HarmonyAssessment,
    Level,
    Openness,
    Scope,
)
from unionworks.relations.selectors import in_force_q
from unionworks.relations.services import RENEWAL_MONTHS, add_months
from unionworks.stats.registry import FLOW, RATIO, STOCK, Indicator, register
from unionworks.stats.registry import Source as IndicatorSource
from unionworks.stats.sources import (
    COUNT,
    MONEY,
    TOTAL,
    Figure,
    everything,
    flow_source,
    grouped_source,
    per_org,
    where,
)

Figures = Callable[[Period], dict]  # a period → {code: aggregate}


def period_source(
    name: str,
    records: Callable[[Org], QuerySet],
    *,
    org: str,
    figures: Figures,
    clean=None,
    series=None,
    grouped_totals: bool = False,
) -> IndicatorSource:
    """A source whose aggregates depend on the period as a whole (a stock as of its last
    day, a distinct count inside it): one grouped query per period.

    Its trend is the root's totals (``series_by_org=False``): one aggregate over the
    subtree for all the months, not a figure per union per month rolled up a 54,781-node
    tree for every code and month — the price is that a write counts the trend again
    whole. ``grouped_totals``: the root's total is the sum of the per-union figures (a
    distinct count per union), so the trend equals the figures exactly."""
    clean = clean or {}

    def tidy(code: str, value):
        return clean[code](value) if code in clean else int(value or 0)

    def compute(root: Org, period: Period) -> dict:
        aggregates = figures(period)
        found = per_org(records(root), org, **aggregates)
        return {c: {k: tidy(c, v) for k, v in found[c].items()} for c in aggregates}

    def many(root: Org, periods: list[Period]) -> list[dict]:
        each = [figures(p) for p in periods]
        named = {f"{c}__{i}": agg for i, aggs in enumerate(each) for c, agg in aggs.items()}
        if grouped_totals:
            found = per_org(records(root), org, **named)
            sums = {key: sum(values.values()) for key, values in found.items()}
        else:
            sums = records(root).aggregate(**named)
        return [{c: tidy(c, sums[f"{c}__{i}"]) for c in aggs} for i, aggs in enumerate(each)]

    return IndicatorSource(name, compute, series or many, series_by_org=False)


def root_trend(source: IndicatorSource) -> IndicatorSource:
    """``source`` whose trend is kept as the root's totals (see ``period_source``): its
    figures stay per union, its months are not rolled up the tree code by code."""
    series_by_org = source.series

    def series(root: Org, periods: list[Period]) -> list[dict]:
        return [
            {code: sum(values.values()) for code, values in found.items()}
            for found in series_by_org(root, periods)
        ]

    return IndicatorSource(source.name, source.compute, series, series_by_org=False, app=source.app)


# ---- contracts -------------------------------------------------------------------------------

KINDS = list(CollectiveContract.Kind)
REGIONAL = (Scope.REGIONAL, Scope.INDUSTRY)


def _contracts(root: Org) -> QuerySet:
    return CollectiveContract.objects.filter(subtree_q(root, "org__"), effective_on__isnull=False)


def _contract_figures(period: Period) -> dict:
    day = period.as_of
    live = in_force_q(day)
    wage = live & Q(kind=CollectiveContract.Kind.WAGE, wage_rise__isnull=False)
    return {
        "collective_contracts": Count("id", filter=live),
        "regional_contracts": Count("id", filter=live & Q(scope__in=REGIONAL)),
        **{
            f"contracts_{kind.value}": Count("id", filter=live & Q(kind=kind.value))
            for kind in KINDS
        },
        **{
            f"contracts_{scope.value}_scope": Count("id", filter=live & Q(scope=scope.value))
            for scope in Scope
        },
        "contract_employees": Sum("employees_covered", filter=live),
        "contract_women_covered": Sum("women_covered", filter=live),
        "contract_migrants_covered": Sum("migrants_covered", filter=live),
        "wage_contracts": Count("id", filter=wage),
        "wage_rise_total": Sum("wage_rise", filter=wage),
        "contracts_expiring": Count(
            "id", filter=live & Q(expires_on__lte=add_months(day, RENEWAL_MONTHS))
        ),
    }


def _fraction(value) -> Decimal:
    """Percent points summed → a sum of fractions (the average is then shown as a rate)."""
    return (Decimal(str(value or 0)) / 100).quantize(Decimal("0.000001"))


def _contracts_series(root: Org, periods: list[Period]) -> list[dict]:
    """The root's totals for many days from one read of the contracts in force on any of
    them (a few columns each), sorted into the days here: one conditional aggregate per
    figure and day would be a hundred and fifty columns."""
    first, last = min(p.as_of for p in periods), max(p.as_of for p in periods)
    rows = (
        _contracts(root)
        .filter(effective_on__lte=last, expires_on__gt=first)
        .values_list(
            "kind",
            "scope",
            "employees_covered",
            "women_covered",
            "migrants_covered",
            "wage_rise",
            "effective_on",
            "expires_on",
        )  # fmt: skip
    )
    days = [(p.as_of, add_months(p.as_of, RENEWAL_MONTHS)) for p in periods]
    found = [defaultdict(int) for _ in periods]
    for kind, scope, employees, women, migrants, rise, effective, expires in rows:
        counts = {"collective_contracts": 1, f"contracts_{kind}": 1, f"contracts_{scope}_scope": 1,
                  "contract_employees": employees, "contract_women_covered": women,
                  "contract_migrants_covered": migrants}  # fmt: skip
        if scope in REGIONAL:
            counts["regional_contracts"] = 1
        if kind == CollectiveContract.Kind.WAGE and rise is not None:
            counts["wage_contracts"] = 1
            counts["wage_rise_total"] = Decimal(rise)
        for i, (day, horizon) in enumerate(days):
            if effective <= day < expires:
                totals = found[i]
                for code, value in counts.items():
                    totals[code] += value
                if expires <= horizon:
                    totals["contracts_expiring"] += 1
    codes = list(_contract_figures(periods[0]))
    return [{c: _fraction(t[c]) if c == "wage_rise_total" else t[c] for c in codes} for t in found]


CONTRACTS = period_source(
    "relations.contracts",
    _contracts,
    org="org_id",
    figures=_contract_figures,
    clean={"wage_rise_total": _fraction},
    series=_contracts_series,
)


def _contract_units(root: Org) -> QuerySet:
    return ContractUnit.objects.filter(
        subtree_q(root, "unit__org__"), contract__effective_on__isnull=False
    )


CONTRACT_UNITS = period_source(
    "relations.contract_units",
    _contract_units,
    org="unit__org_id",
    figures=lambda p: {
        "contract_units": Count("unit_id", distinct=True, filter=in_force_q(p.as_of, "contract__"))
    },
)
SIGNED = root_trend(
    flow_source(
        "relations.signed",
        lambda root: CollectiveContract.objects.filter(subtree_q(root, "org__")),
        date="signed_on",
        org="org_id",
        figures=[
            Figure("contracts_signed"),
            Figure("regional_contracts_signed", COUNT, where=Q(scope__in=REGIONAL)),
        ],
    )
)
FILED = root_trend(
    flow_source(
        "relations.filed",
        lambda root: CollectiveContract.objects.filter(subtree_q(root, "org__")),
        date="first_submitted_on",
        org="org_id",
        figures=[
            Figure("contracts_filed"),
            Figure(
                "contracts_filed_on_time",
                COUNT,
                where=Q(first_submitted_on__lte=F("filing_deadline")),
            ),
        ],
    )
)

# ---- congresses, proposals, openness ---------------------------------------------------------


def _sessions(root: Org) -> QuerySet:
    return CongressSession.objects.filter(subtree_q(root, "org__"))


def _session_figures(period: Period) -> dict:
    held = Q(held_on__gte=period.start, held_on__lte=period.end)
    return {
        "congress_sessions": Count("id", filter=held, distinct=True),
        "congress_units": Count("congress__units", filter=held, distinct=True),
    }


SESSIONS = period_source(
    "relations.sessions", _sessions, org="org_id", figures=_session_figures, grouped_totals=True
)
PROPOSALS = root_trend(
    flow_source(
        "relations.proposals",
        lambda root: CongressProposal.objects.filter(subtree_q(root, "org__")),
        date="session__held_on",
        org="org_id",
        figures=[
            Figure("congress_proposals", COUNT, where=~Q(status=CongressProposal.Status.DECLINED)),
            Figure("proposals_done", COUNT, where=Q(status=CongressProposal.Status.DONE)),
        ],
    )
)


def _openness(root: Org) -> QuerySet:
    return Openness.objects.filter(subtree_q(root, "org__"))


def _openness_figures(period: Period) -> dict:
    year = Q(year=period.end.year)
    return {
        "openness_units": Count("id", filter=year),
        "openness_in_assessment": Count("id", filter=year & Q(in_assessment=True)),
    }


def _openness_series(root: Org, periods: list[Period]) -> list[dict]:
    """A record is of a year: the months of one year share one count."""
    by_year = {}
    for p in periods:
        if p.end.year not in by_year:
            by_year[p.end.year] = _openness(root).aggregate(**_openness_figures(p))
    return [{c: int(v or 0) for c, v in by_year[p.end.year].items()} for p in periods]


OPENNESS = period_source(
    "relations.openness",
    _openness,
    org="org_id",
    figures=_openness_figures,
    series=_openness_series,
)

# ---- harmony, disputes -----------------------------------------------------------------------

COMMENDED = root_trend(
    grouped_source(
        "relations.commended",
        lambda root: HarmonyAssessment.objects.filter(
            subtree_q(root, "org__"), status=HarmonyAssessment.Status.COMMENDED
        ),
        date="commended_on",
        dims=("level",),
        measures={"units": lambda q=None: Count("id", filter=q)},
        codes=[
            ("harmony_commended", "units", everything),
            *[
                (f"harmony_commended_{level.value}", "units", where("level", level.value))
                for level in Level
            ],
        ],
        money=(),
    )
)
RECEIVED = root_trend(
    flow_source(
        "relations.disputes",
        lambda root: Dispute.objects.filter(subtree_q(root, "org__")),
        date="accepted_on",
        org="org_id",
        figures=[Figure("disputes_received"), Figure("dispute_applicants", TOTAL, "applicants")],
    )
)
CLOSED = root_trend(
    flow_source(
        "relations.disputes_closed",
        lambda root: Dispute.objects.filter(subtree_q(root, "org__"), closed_on__isnull=False),
        date="closed_on",
        org="org_id",
        figures=[
            Figure("disputes_closed"),
            Figure("disputes_settled", COUNT, where=Q(outcome=Dispute.Outcome.SETTLED)),
            Figure(
                "dispute_amount_settled",
                MONEY,
                "agreement_amount",
                Q(outcome=Dispute.Outcome.SETTLED),
            ),
        ],
    )
)


def _overdue_figures(period: Period) -> dict:
    day = period.as_of
    open_then = Q(accepted_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
    return {"disputes_overdue": Count("id", filter=open_then & Q(deadline__lt=day))}


OVERDUE = period_source(
    "relations.disputes_overdue",
    lambda root: Dispute.objects.filter(subtree_q(root, "org__")),
    org="org_id",
    figures=_overdue_figures,
)

KIND_NAMES = {
    CollectiveContract.Kind.COMPREHENSIVE: ("综合性集体合同", "Comprehensive contracts"),
    CollectiveContract.Kind.WAGE: ("工资专项集体合同", "Wage contracts"),
    CollectiveContract.Kind.WOMEN: ("女职工权益保护专项集体合同", "Women's-rights contracts"),
    CollectiveContract.Kind.SAFETY: ("劳动安全卫生专项集体合同", "Safety and health contracts"),
}
SCOPE_NAMES = {
    Scope.ENTERPRISE: ("企业集体合同", "Enterprise contracts"),
    Scope.REGIONAL: ("区域性集体合同", "Regional contracts"),
    Scope.INDUSTRY: ("行业性集体合同", "Industry contracts"),
}
LEVEL_EN = {"county": "county", "city": "city", "province": "provincial", "national": "national"}
IN_FORCE = "期末已生效且未到期"

register(
    Indicator(
        "collective_contracts",
        "集体合同（在有效期内）",
        "Collective contracts in force",
        "份",
        STOCK,
        CONTRACTS,
        description=f"{IN_FORCE}的集体合同（含专项合同），区域性、行业性合同每份计一份",
    ),
    Indicator(
        "regional_contracts",
        "区域（行业）性集体合同",
        "Regional and industry contracts in force",
        "份",
        STOCK,
        CONTRACTS,
        description=f"{IN_FORCE}的区域性和行业性集体合同",
    ),
    *[
        Indicator(
            f"contracts_{kind.value}",
            zh,
            en,
            "份",
            STOCK,
            CONTRACTS,
            description=f"{IN_FORCE}的{zh}",
        )
        for kind, (zh, en) in KIND_NAMES.items()
    ],
    *[
        Indicator(
            f"contracts_{scope.value}_scope",
            zh,
            en,
            "份",
            STOCK,
            CONTRACTS,
            description=f"{IN_FORCE}的{zh}",
        )
        for scope, (zh, en) in SCOPE_NAMES.items()
    ],
    Indicator(
        "contract_employees",
        "集体合同覆盖职工",
        "Employees covered by contracts",
        "人",
        STOCK,
        CONTRACTS,
        description=f"{IN_FORCE}的集体合同覆盖的职工人数",
    ),
    Indicator(
        "contract_women_covered", "集体合同覆盖女职工", "Women covered", "人", STOCK, CONTRACTS
    ),
    Indicator(
        "contract_migrants_covered",
        "集体合同覆盖农民工",
        "Migrant workers covered",
        "人",
        STOCK,
        CONTRACTS,
    ),
    Indicator(
        "wage_contracts",
        "约定工资增幅的工资专项合同",
        "Wage contracts with an agreed rise",
        "份",
        STOCK,
        CONTRACTS,
    ),
    Indicator(
        "wage_rise_total",
        "工资专项合同约定增幅之和",
        "Sum of agreed wage rises",
        "",
        STOCK,
        CONTRACTS,
        description="平均增幅的分子（以小数计）",
    ),
    Indicator(
        "wage_rise_average",
        "工资专项合同平均约定增幅",
        "Average agreed wage rise",
        "%",
        RATIO,
        numerator="wage_rise_total",
        denominator="wage_contracts",
        description="在有效期内的工资专项集体合同约定工资增幅的平均数",
    ),
    Indicator(
        "contracts_expiring",
        "3个月内到期的集体合同",
        "Contracts expiring within 3 months",
        "份",
        STOCK,
        CONTRACTS,
        description="期末有效、3个月内到期须协商续签的集体合同",
        higher_is_better=False,
    ),
    Indicator(
        "contract_units",
        "集体合同覆盖单位",
        "Units covered by contracts",
        "个",
        STOCK,
        CONTRACT_UNITS,
        description="期末有效的集体合同覆盖的单位，每个单位只计一次（按单位登记组织计）",
    ),
    Indicator(
        "contract_unit_rate",
        "集体合同覆盖率（单位）",
        "Share of units covered by contracts",
        "%",
        RATIO,
        numerator="contract_units",
        denominator="units",
        description="集体合同覆盖单位 ÷ 法人单位数",
    ),
    Indicator(
        "contracts_signed",
        "新签集体合同",
        "Contracts signed",
        "份",
        FLOW,
        SIGNED,
        description="期间内签订的集体合同",
    ),
    Indicator(
        "regional_contracts_signed",
        "新签区域（行业）性集体合同",
        "Regional and industry contracts signed",
        "份",
        FLOW,
        SIGNED,
    ),
    Indicator(
        "contracts_filed",
        "报送审查的集体合同",
        "Contracts submitted for review",
        "份",
        FLOW,
        FILED,
        description="期间内首次报送劳动保障部门审查的集体合同",
    ),
    Indicator(
        "contracts_filed_on_time",
        "按期报送的集体合同",
        "Contracts submitted within 10 days",
        "份",
        FLOW,
        FILED,
        description="签订后10日内报送审查的",
    ),
    Indicator(
        "contracts_filed_on_time_rate",
        "集体合同按期报送率",
        "Contracts submitted within 10 days (rate)",
        "%",
        RATIO,
        numerator="contracts_filed_on_time",
        denominator="contracts_filed",
    ),
    Indicator(
        "congress_units",
        "召开职代会的单位",
        "Units holding a workers' congress",
        "个",
        FLOW,
        SESSIONS,
        description="期间内召开过职代会会议的单位（区域职代会覆盖的单位各计一次）",
    ),
    Indicator(
        "congress_rate",
        "职代会建制率",
        "Workers' congress rate",
        "%",
        RATIO,
        numerator="congress_units",
        denominator="units_covered",
        description="召开职代会的单位 ÷ 建会单位数",
    ),
    Indicator(
        "congress_sessions", "职代会会议", "Workers' congress sessions", "次", FLOW, SESSIONS
    ),
    Indicator(
        "congress_proposals",
        "职代会立案提案",
        "Congress proposals filed",
        "件",
        FLOW,
        PROPOSALS,
        description="期间内召开的职代会收到并立案的提案（不含不予立案）",
    ),
    Indicator("proposals_done", "已办结提案", "Proposals handled", "件", FLOW, PROPOSALS),
    Indicator(
        "proposal_handling_rate",
        "提案办结率",
        "Proposal handling rate",
        "%",
        RATIO,
        numerator="proposals_done",
        denominator="congress_proposals",
    ),
    Indicator(
        "openness_units",
        "推行厂务公开的单位",
        "Units practising factory-affairs openness",
        "个",
        FLOW,
        OPENNESS,
        description="本年度登记了厂务公开的单位",
    ),
    Indicator(
        "openness_in_assessment",
        "厂务公开纳入考核的单位",
        "Openness included in the local assessment",
        "个",
        FLOW,
        OPENNESS,
    ),
    Indicator(
        "openness_rate",
        "厂务公开建制率",
        "Factory-affairs openness rate",
        "%",
        RATIO,
        numerator="openness_units",
        denominator="units_covered",
        description="推行厂务公开的单位 ÷ 建会单位数",
    ),
    Indicator(
        "harmony_commended",
        "命名劳动关系和谐企业",
        "Harmonious enterprises commended",
        "家",
        FLOW,
        COMMENDED,
        description="期间内经三方决定命名表彰的劳动关系和谐企业（各级合计）",
    ),
    *[
        Indicator(
            f"harmony_commended_{level.value}",
            f"{level.label}劳动关系和谐企业",
            f"Harmonious enterprises commended at {LEVEL_EN[level.value]} level",
            "家",
            FLOW,
            COMMENDED,
        )
        for level in Level
    ],
    Indicator(
        "disputes_received",
        "受理劳动争议",
        "Labour disputes received",
        "件",
        FLOW,
        RECEIVED,
        description="期间内调解委员会受理的劳动争议案件",
    ),
    Indicator("dispute_applicants", "劳动争议申请人数", "Dispute applicants", "人", FLOW, RECEIVED),
    Indicator("disputes_closed", "调解结案", "Disputes closed", "件", FLOW, CLOSED),
    Indicator("disputes_settled", "调解成功", "Disputes settled by mediation", "件", FLOW, CLOSED),
    Indicator(
        "dispute_success_rate",
        "调解成功率",
        "Mediation success rate",
        "%",
        RATIO,
        numerator="disputes_settled",
        denominator="disputes_closed",
        description="调解成功 ÷ 调解结案",
    ),
    Indicator(
        "dispute_amount_settled",
        "调解协议金额",
        "Amount recovered by mediation",
        "元",
        FLOW,
        CLOSED,
        money=True,
        description="期间内调解成功的案件协议金额",
    ),
    Indicator(
        "disputes_overdue",
        "超过15日未结的争议",
        "Disputes open past 15 days",
        "件",
        STOCK,
        OVERDUE,
        description="期末仍在调解、受理已超过15日的案件",
        higher_is_better=False,
    ),
)
