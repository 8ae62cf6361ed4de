"""Every read of the finance records, scoped to the acting user's subtree.

The ledger of an org (经费台账) by month of a year, for the org seen as a level:
- 应缴 due: the levy due on the units in its subtree, by the month of the period;
- 实收 received: what arrived at unions in its subtree, by the day it arrived;
- 本级分成: the shares that are this union's own;
- 上解 passed up: shares collected in its subtree that belong above it (they leave it);
- 返还下级: shares it collected that belong to unions below it (it pays them down);
- 收到返还: shares collected above it that came down to it.
For the collecting union itself 实收 = 本级分成 + 上解 + 返还下级, to the fen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from unionworks.core.scoping import (
    get_in_subtree_or_404,
    scope_to_subtree,
    subtree_filter,
    subtree_q,
)
from unionworks.finance.levy import late_fee, months_overdue
from unionworks.finance.models import (
    Assessment,
    AssessmentScheme,
    Asset,
    AssetRule,
    FundReceipt,
    FundShare,
    Institution,
    Levy,
    ShareScheme,
)
from unionworks.orgs.models import Org
from unionworks.stats.sources import MONEY_SUM, fen

ZERO = Decimal("0.00")


# ---- receipts, shares, levies --------------------------------------------------------------


def receipts_for(
    actor, *, channel: str = "", year: int | None = None, org: Org | None = None
) -> QuerySet:
    """Receipts that arrived in the actor's subtree, or that its units paid."""
    found = scope_to_subtree(FundReceipt.objects.all(), actor, via=("org", "payer_org"))
    if channel:
        found = found.filter(channel=channel)
    if year:
        found = found.filter(
            received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31)
        )
    if org is not None:
        found = found.filter(
            Q(**subtree_filter(org.path, "org__path"))
            | Q(**subtree_filter(org.path, "payer_org__path"))
        )
    return found.select_related("org", "levy__unit", "payer_org")


def receipt_for(actor, pk: int) -> FundReceipt:
    return get_in_subtree_or_404(
        FundReceipt.objects.select_related("org", "levy__unit", "payer_org", "scheme", "moved_to"),
        actor,
        via=("org", "payer_org"),
        pk=pk,
    )


def shares_of(receipt: FundReceipt) -> QuerySet:
    return receipt.shares.select_related("org").order_by("id")


def levies_for(actor) -> QuerySet:
    return scope_to_subtree(Levy.objects.all(), actor).select_related("unit", "org")


def schemes_for(actor) -> QuerySet:
    """The share schemes are the province's, and every union works by them: all readable."""
    return ShareScheme.objects.select_related("org").order_by("-valid_from")


# ---- arrears ---------------------------------------------------------------------------------

OUTSTANDING = ExpressionWrapper(F("due") - F("received"), output_field=MONEY_SUM)


def in_arrears_now(today: dt.date) -> Q:
    return Q(due_on__lt=today, received__lt=F("due"))


def in_arrears_on(day: dt.date, prefix: str = "") -> Q:
    """Levies overdue on ``day`` and not paid up by then (the past stays as it was);
    ``prefix`` reaches the levy from another record ("levy__")."""
    return Q(**{f"{prefix}due_on__lt": day}) & (
        Q(**{f"{prefix}paid_up_on__isnull": True}) | Q(**{f"{prefix}paid_up_on__gt": day})
    )


def arrears_for(actor, *, org: Org | None = None, today: dt.date | None = None) -> QuerySet:
    """欠缴: the actor's levies past their deadline with less received than due, largest
    first; ``org`` narrows to a county (or any union) of the subtree."""
    today = today or timezone.localdate()
    found = levies_for(actor).filter(in_arrears_now(today))
    if org is not None:
        found = found.filter(**subtree_filter(org.path, "org__path"))
    return found.annotate(outstanding_amount=OUTSTANDING).order_by("-outstanding_amount", "id")


@dataclass
class ArrearsLine:
    levy: Levy
    outstanding: Decimal
    months: int
    late_fee: Decimal


def arrears_lines(levies, *, today: dt.date | None = None) -> list[ArrearsLine]:
    """The rows of a page of arrears with months overdue and the late fee (by the scheme in
    force on the deadline; none where the province charges none)."""
    today = today or timezone.localdate()
    schemes = list(ShareScheme.objects.order_by("-valid_from"))

    def rate_on(day):
        scheme = next((s for s in schemes if s.valid_from <= day), None)
        return scheme.late_fee_rate if scheme else None

    lines = []
    for levy in levies:
        outstanding = levy.due - levy.received
        lines.append(
            ArrearsLine(
                levy,
                outstanding,
                months_overdue(levy.due_on, today),
                late_fee(outstanding, levy.due_on, today, rate_on(levy.due_on)),
            )
        )
    return lines


def arrears_totals(levies: QuerySet) -> dict:
    total = levies.aggregate(amount=Sum(OUTSTANDING))["amount"]
    units = levies.order_by().values("unit_id").distinct().count()
    return {"amount": fen(total), "units": units}


# ---- the ledger ------------------------------------------------------------------------------


@dataclass
class LedgerRow:
    label: str
    due: Decimal = ZERO
    received: Decimal = ZERO
    own: Decimal = ZERO
    passed_up: Decimal = ZERO
    returned_down: Decimal = ZERO
    returned_in: Decimal = ZERO
    month: int = 0


@dataclass
class Ledger:
    org: Org
    year: int
    rows: list[LedgerRow] = field(default_factory=list)
    total: LedgerRow | None = None


COLUMNS = ("due", "received", "own", "passed_up", "returned_down", "returned_in")


def _by_month(queryset: QuerySet, date_field: str, amount: str) -> dict[int, Decimal]:
    rows = (
        queryset.annotate(m=ExtractMonth(date_field))
        .values("m")
        .annotate(total=Sum(amount, output_field=MONEY_SUM))
        .order_by()
    )
    return {r["m"]: fen(r["total"]) for r in rows}


def ledger_for(actor, org: Org, year: int) -> Ledger:
    """The org's ledger (经费台账) for ``year``, month by month (see the module docstring)."""
    org = get_in_subtree_or_404(Org.objects.all(), actor, via=None, pk=org.pk)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    inside = subtree_q(org, "org__")
    shares = FundShare.objects.filter(received_on__gte=start, received_on__lte=end)
    collected_inside = Q(**subtree_filter(org.path, "collector__path"))
    belongs_inside = Q(**subtree_filter(org.path, "org__path"))
    columns = {
        "due": _by_month(
            Levy.objects.filter(inside, period_start__gte=start, period_start__lte=end),
            "period_start",
            "due",
        ),
        "received": _by_month(
            FundReceipt.objects.filter(inside, received_on__gte=start, received_on__lte=end),
            "received_on",
            "amount",
        ),
        "own": _by_month(shares.filter(org=org), "received_on", "amount"),
        "passed_up": _by_month(
            shares.filter(collected_inside).exclude(Q(org__isnull=False) & belongs_inside),
            "received_on",
            "amount",
        ),
        "returned_down": _by_month(
            shares.filter(collector=org, flow=FundShare.Flow.DOWN), "received_on", "amount"
        ),
        "returned_in": _by_month(
            shares.filter(org=org, flow=FundShare.Flow.DOWN), "received_on", "amount"
        ),
    }
    ledger = Ledger(org, year)
    for month in range(1, 13):
        ledger.rows.append(
            LedgerRow(
                f"{month}月", month=month, **{c: columns[c].get(month, ZERO) for c in COLUMNS}
            )
        )
    ledger.total = LedgerRow(
        "合计", **{c: sum((getattr(r, c) for r in ledger.rows), ZERO) for c in COLUMNS}
    )
    return ledger


# ---- assets and institutions -----------------------------------------------------------------


def assets_for(actor, *, status: str = "", category: str = "") -> QuerySet:
    found = scope_to_subtree(Asset.objects.all(), actor).select_related("org", "institution")
    if status:
        found = found.filter(status=status)
    if category:
        found = found.filter(category=category)
    return found


def asset_for(actor, pk: int) -> Asset:
    return get_in_subtree_or_404(Asset.objects.select_related("org"), actor, pk=pk)


def depreciation_on(asset: Asset, day: dt.date) -> Decimal:
    """Straight-line to nothing over the useful life, by whole months since acquisition
    (none for land and assets with no life set)."""
    if not asset.useful_life_years or day < asset.acquired_on:
        return ZERO
    months = (day.year - asset.acquired_on.year) * 12 + day.month - asset.acquired_on.month
    months = min(max(months, 0), asset.useful_life_years * 12)
    return fen(asset.original_value * months / (asset.useful_life_years * 12))


def value_on(asset: Asset, day: dt.date) -> Decimal:
    """现值: original value less depreciation; nothing once disposed."""
    if day < asset.acquired_on or (asset.disposed_on and asset.disposed_on <= day):
        return ZERO
    return asset.original_value - depreciation_on(asset, day)


def asset_rules_for(actor) -> QuerySet:
    return scope_to_subtree(AssetRule.objects.all(), actor).select_related("org")


def institutions_for(actor) -> QuerySet:
    return scope_to_subtree(Institution.objects.all(), actor).select_related("org")


def institution_for(actor, pk: int) -> Institution:
    return get_in_subtree_or_404(Institution.objects.select_related("org"), actor, pk=pk)


def assessment_schemes_for(actor) -> QuerySet:
    return scope_to_subtree(AssessmentScheme.objects.all(), actor).select_related("org")


def assessment_scheme_for(actor, pk: int) -> AssessmentScheme:
    return get_in_subtree_or_404(AssessmentScheme.objects.select_related("org"), actor, pk=pk)


def assessments_for(actor, *, year: int | None = None) -> QuerySet:
    found = scope_to_subtree(Assessment.objects.all(), actor).select_related(
        "institution", "scheme", "org"
    )
    if year:
        found = found.filter(scheme__year=year)
    return found


def assessment_for(actor, pk: int) -> Assessment:
    return get_in_subtree_or_404(
        Assessment.objects.select_related("institution", "scheme", "org"), actor, pk=pk
    )


def assessments_of(institution: Institution) -> QuerySet:
    """An institution's assessments, the latest year first."""
    return institution.assessments.select_related("scheme").order_by("-scheme__year", "-id")


def assets_of(institution: Institution) -> QuerySet:
    """The assets an institution uses (from the register)."""
    return institution.assets.order_by("-acquired_on", "id")


def assessed_under(scheme: AssessmentScheme) -> QuerySet:
    """The assessments made by a score sheet, best total first."""
    return (
        Assessment.objects.filter(scheme=scheme)
        .select_related("institution")
        .order_by("-total", "institution__name")
    )


def institutions_to_assess(actor, scheme: AssessmentScheme) -> QuerySet:
    """The institutions a score sheet may still assess: under its org, in the actor's
    subtree, not yet assessed by it."""
    return (
        institutions_for(actor)
        .filter(**subtree_filter(scheme.org.path, "org__path"))
        .exclude(assessments__scheme=scheme)
        .order_by("org__path", "name")
    )


def previous_items(actor, org: Org, year: int) -> list[tuple[str, Decimal]]:
    """The items of the org's latest score sheet before ``year`` (a new year's sheet starts
    from them), or none."""
    earlier = assessment_schemes_for(actor).filter(org=org, year__lt=year).order_by("-year").first()
    return [(i.name, i.max_score) for i in earlier.items.all()] if earlier else []


class ArrearsLines:
    """The arrears of a queryset of levies as ``ArrearsLine``s, computed batch by batch
    (months overdue and the late fee): what the arrears export writes, however many."""

    def __init__(self, levies: QuerySet, *, today: dt.date | None = None):
        self.levies = levies
        self.today = today or timezone.localdate()

    def count(self) -> int:
        return self.levies.count()

    def iterator(self, chunk_size: int = 2000):
        batch = []
        for levy in self.levies.iterator(chunk_size=chunk_size):
            batch.append(levy)
            if len(batch) == chunk_size:
                yield from arrears_lines(batch, today=self.today)
                batch = []
        yield from arrears_lines(batch, today=self.today)
