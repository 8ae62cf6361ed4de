"""帮扶工程 indicators, summed from the records at the union where each record sits.

- raised: fund raisings at the raising union, by the day the money arrived;
- paid and people reached: paid disbursements at the proposing union, by the day paid
  (每人每次活动计一次: a person is paid at most once per campaign);
- recovered wages: resolved wage-arrears cases at the handling union, by the day resolved;
- 平安返乡: trips at the organising union, by the day of the trip;
- hardship files: open as of the period's last day, opened or closed during it, and
  reviews overdue as of the last day (read from the review records, so any past day's
  figure stays the same).

Money is yuan to the fen (Decimal) at every level. Each source also offers
``series``: a whole trend (one figure per month) in one scan of its records.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from unionworks.assistance.models import (
    AssistanceCentre,
    Campaign,
    CentreFunding,
    Disbursement,
    FundRaising,
    HardshipFile,
    SafeReturnTrip,
    Source,
    WageArrearsCase,
)
from unionworks.assistance.selectors import (
    file_open_on,
    one_year_before,
    paid_value,
    review_overdue_on,
)
from unionworks.core.periods import Period
from unionworks.core.scoping import subtree_q
from unionworks.orgs.models import Org
from unionworks.stats.registry import FLOW, STOCK, Indicator, register
from unionworks.stats.registry import Source as IndicatorSource
from unionworks.stats.sources import (
    MONEY,
    TOTAL,
    Figure,
    everything,
    flow_source,
    grouped_source,
    money_sum,
    per_org,
    where,
)

YUAN = "元"


KINDS = list(Campaign.Kind)
CATEGORY_CODES = {
    Disbursement.Category.HARDSHIP: (
        "hardship_workers_reached",
        "慰问困难职工",
        "Hardship workers reached",
    ),
    Disbursement.Category.MIGRANT: (
        "migrant_workers_reached",
        "帮扶农民工",
        "Migrant workers reached",
    ),
    Disbursement.Category.MODEL: ("model_workers_reached", "慰问劳动模范", "Model workers reached"),
    Disbursement.Category.STUDENT: ("students_reached", "资助学生", "Students aided"),
}
KIND_EN = {
    Campaign.Kind.WARMTH: "Send warmth",
    Campaign.Kind.SCHOOLING: "Golden-autumn schooling aid",
    Campaign.Kind.MEDICAL: "Serious-illness mutual aid",
    Campaign.Kind.SAFE_RETURN: "Safe return home",
    Campaign.Kind.WAGES: "Wage recovery",
    Campaign.Kind.SUMMER: "Summer heat relief",
    Campaign.Kind.OTHER: "Other campaigns",
}
SOURCE_EN = {
    Source.UPPER: "grants from above",
    Source.OWN: "own funds",
    Source.DONATION: "donations",
    Source.FISCAL: "public finance",
    Source.OTHER: "other sources",
}


def _raisings(root: Org) -> QuerySet:
    return FundRaising.objects.filter(subtree_q(root, "org__"))


def _paid(root: Org) -> QuerySet:
    return Disbursement.objects.filter(subtree_q(root, "org__"), status=Disbursement.Status.PAID)


def _resolved_cases(root: Org) -> QuerySet:
    return WageArrearsCase.objects.filter(subtree_q(root, "org__"), resolved_on__isnull=False)


RAISED = grouped_source(
    "assistance.raisings",
    _raisings,
    date="received_on",
    dims=("campaign__kind", "source"),
    measures={"amount": lambda q=None: money_sum(paid_value(), filter=q)},
    codes=[
        ("funds_raised", "amount", everything),
        *[
            (f"funds_raised_{kind.value}", "amount", where("campaign__kind", kind.value))
            for kind in KINDS
        ],
        *[
            (f"funds_from_{source.value}", "amount", where("source", source.value))
            for source in Source
        ],
    ],
)
PAID = grouped_source(
    "assistance.disbursements",
    _paid,
    date="paid_on",
    dims=("campaign_kind", "category"),
    measures={
        "amount": lambda q=None: money_sum(paid_value(), filter=q),
        "people": lambda q=None: Count("id", filter=q),
    },
    codes=[
        ("amount_paid", "amount", everything),
        ("people_reached", "people", everything),
        *[
            (f"people_reached_{kind.value}", "people", where("campaign_kind", kind.value))
            for kind in KINDS
        ],
        *[
            (code, "people", where("category", category.value))
            for category, (code, _zh, _en) in CATEGORY_CODES.items()
        ],
    ],
)
WAGES = flow_source(
    "assistance.wages",
    _resolved_cases,
    date="resolved_on",
    org="org_id",
    figures=[
        Figure("wages_recovered", MONEY, "amount_recovered"),
        Figure("wage_workers_helped", TOTAL, "workers_count", Q(amount_recovered__gt=0)),
        Figure("wage_cases_resolved"),
    ],
)
TRIPS = flow_source(
    "assistance.trips",
    lambda root: SafeReturnTrip.objects.filter(subtree_q(root, "org__")),
    date="trip_date",
    org="org_id",
    figures=[
        Figure("workers_sent_home", TOTAL, "workers_sent"),
        Figure("safe_return_trips"),
    ],
)
CENTRE_FUNDING = flow_source(
    "assistance.centre_funding",
    lambda root: CentreFunding.objects.filter(subtree_q(root, "centre__org__")),
    date="received_on",
    org="centre__org_id",
    figures=[Figure("centre_funding", MONEY, "amount")],
)


def _files(root: Org, period: Period) -> dict:
    files = HardshipFile.objects.filter(subtree_q(root, "org__"))
    as_of = period.as_of
    figures = per_org(files.filter(file_open_on(as_of)), "org_id", hardship_files_open=Count("id"))
    figures.update(
        per_org(
            files.filter(review_overdue_on(as_of)), "org_id", hardship_reviews_overdue=Count("id")
        )
    )
    figures.update(
        per_org(
            files.filter(opened_on__gte=period.start, opened_on__lte=period.end),
            "org_id",
            hardship_files_opened=Count("id"),
        )
    )
    figures.update(
        per_org(
            files.filter(closed_on__gte=period.start, closed_on__lte=period.end),
            "org_id",
            hardship_files_closed=Count("id"),
            hardship_files_out_of_hardship=Count(
                "id", filter=Q(closing=HardshipFile.Closing.OUT_OF_HARDSHIP)
            ),
        )
    )
    centres = AssistanceCentre.objects.filter(subtree_q(root, "org__")).filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=as_of)
    )
    figures.update(per_org(centres, "org_id", assistance_centres=Count("id")))
    return figures


def _files_series(root: Org, periods: list[Period]) -> list[dict]:
    """The root's file figures for many periods: one scan of the files, one of the centres,
    and one grouped pass over files and reviews for the overdue counts."""
    files = HardshipFile.objects.filter(subtree_q(root, "org__"))
    counts, reviewed, overdue = {}, {}, {}
    for i, p in enumerate(periods):
        counts[f"open{i}"] = Count("id", filter=file_open_on(p.as_of))
        counts[f"opened{i}"] = Count("id", filter=Q(opened_on__gte=p.start, opened_on__lte=p.end))
        closed = Q(closed_on__gte=p.start, closed_on__lte=p.end)
        counts[f"closed{i}"] = Count("id", filter=closed)
        counts[f"out{i}"] = Count(
            "id", filter=closed & Q(closing=HardshipFile.Closing.OUT_OF_HARDSHIP)
        )
        cutoff = one_year_before(p.as_of)
        window = Q(reviews__reviewed_on__gte=cutoff, reviews__reviewed_on__lte=p.as_of)
        reviewed[f"reviewed{i}"] = Count("reviews", filter=window)
        overdue[f"overdue{i}"] = Count(
            "id",
            filter=file_open_on(p.as_of) & Q(opened_on__lt=cutoff) & Q(**{f"reviewed{i}": 0}),
        )
    totals = files.aggregate(**counts)
    first, last = min(p.as_of for p in periods), max(p.as_of for p in periods)
    candidates = files.filter(opened_on__lte=last).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=first)
    )
    totals.update(candidates.annotate(**reviewed).aggregate(**overdue))
    centres = AssistanceCentre.objects.filter(subtree_q(root, "org__")).aggregate(
        **{
            f"centres{i}": Count("id", filter=Q(opened_on__isnull=True) | Q(opened_on__lte=p.as_of))
            for i, p in enumerate(periods)
        }
    )
    return [
        {
            "hardship_files_open": totals[f"open{i}"],
            "hardship_files_opened": totals[f"opened{i}"],
            "hardship_files_closed": totals[f"closed{i}"],
            "hardship_files_out_of_hardship": totals[f"out{i}"],
            "hardship_reviews_overdue": totals[f"overdue{i}"],
            "assistance_centres": centres[f"centres{i}"],
        }
        for i in range(len(periods))
    ]


FILES = IndicatorSource("assistance.files", _files, _files_series)


def _money(code: str, name: str, name_en: str, source, description: str = "") -> Indicator:
    return Indicator(code, name, name_en, YUAN, FLOW, source, money=True, description=description)


register(
    _money(
        "funds_raised",
        "帮扶筹资总额",
        "Funds raised",
        RAISED,
        "期间内到位的帮扶活动资金和物资折款（按筹资单位计）",
    ),
    *[
        _money(
            f"funds_raised_{kind.value}",
            f"{kind.label}筹资",
            f"Funds raised: {KIND_EN[kind].lower()}",
            RAISED,
            f"“{kind.label}”类活动期间内到位的资金和物资折款",
        )
        for kind in KINDS
    ],
    *[
        _money(
            f"funds_from_{source.value}",
            f"筹资：{source.label}",
            f"Funds raised from {SOURCE_EN[source]}",
            RAISED,
            f"帮扶筹资中来源为“{source.label}”的部分",
        )
        for source in Source
    ],
    _money(
        "amount_paid",
        "帮扶发放金额",
        "Amount paid",
        PAID,
        "期间内已发放的现金和实物折款（按提名单位计）",
    ),
    Indicator(
        "people_reached",
        "帮扶慰问人次",
        "People reached",
        "人次",
        FLOW,
        PAID,
        description="期间内已发放的对象，每人每次活动计一次",
    ),
    *[
        Indicator(
            f"people_reached_{kind.value}",
            f"{kind.label}帮扶人次",
            f"People reached: {KIND_EN[kind].lower()}",
            "人次",
            FLOW,
            PAID,
            description=f"“{kind.label}”类活动期间内已发放的对象",
        )
        for kind in KINDS
    ],
    *[
        Indicator(
            code,
            f"{zh}人次" if code != "students_reached" else "资助学生人数",
            en,
            "人次" if code != "students_reached" else "人",
            FLOW,
            PAID,
            description=f"期间内已发放的对象中类别为“{category.label}”的",
        )
        for category, (code, zh, en) in CATEGORY_CODES.items()
    ],  # fmt: skip
    _money(
        "wages_recovered",
        "为职工追回欠薪",
        "Wages recovered for workers",
        WAGES,
        "期间内办结的讨薪案件追回的金额",
    ),
    Indicator(
        "wage_workers_helped",
        "讨薪帮助职工人数",
        "Workers helped to recover wages",
        "人",
        FLOW,
        WAGES,
        description="期间内办结且有追回的讨薪案件涉及的职工",
    ),
    Indicator("wage_cases_resolved", "办结讨薪案件", "Wage cases resolved", "件", FLOW, WAGES),
    Indicator(
        "workers_sent_home",
        "平安返乡送返农民工",
        "Migrant workers sent home",
        "人次",
        FLOW,
        TRIPS,
        description="期间内平安返乡活动送返的农民工",
    ),
    Indicator("safe_return_trips", "平安返乡车次", "Safe-return trips", "车次", FLOW, TRIPS),
    _money("centre_funding", "帮扶中心经费", "Assistance-centre funding", CENTRE_FUNDING),
    Indicator(
        "assistance_centres",
        "帮扶中心数",
        "Assistance centres",
        "个",
        STOCK,
        FILES,
        description="期末已成立的困难职工帮扶中心",
    ),
    Indicator(
        "hardship_files_open",
        "在档困难职工",
        "Hardship files open",
        "户",
        STOCK,
        FILES,
        description="期末在档的困难职工档案",
    ),
    Indicator(
        "hardship_files_opened",
        "新建困难职工档案",
        "Hardship files opened",
        "户",
        FLOW,
        FILES,
        description="期间内新建的困难职工档案",
    ),
    Indicator(
        "hardship_files_closed",
        "销档困难职工档案",
        "Hardship files closed",
        "户",
        FLOW,
        FILES,
        description="期间内销档的困难职工档案（含脱困、去世、迁出等）",
    ),
    Indicator(
        "hardship_files_out_of_hardship",
        "脱困销档",
        "Families out of hardship",
        "户",
        FLOW,
        FILES,
        description="期间内因脱困销档的困难职工档案",
    ),
    Indicator(
        "hardship_reviews_overdue",
        "逾期未复核档案",
        "Hardship reviews overdue",
        "户",
        STOCK,
        FILES,
        description="期末在档、距上次复核（或建档）已超过一年的档案",
        higher_is_better=False,
    ),
)
