"""Every write of the finance records. Keyword-only functions, one transaction each, an
audit entry inside it; a refusal is a DomainError naming the field in Chinese.

The levy's ``received`` is kept here, under a lock of the levy's row, so two receipts for
one unit and period entered at once both count. The split of a receipt between levels is
``shares_for`` (the arithmetic is ``finance.levy.split``); the importer of tax-office lists
calls the same functions for its set-based writes.

``actor=None`` is a system act (the demo generator, a signal): no role or scope check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from unionworks.core import audit, roles
from unionworks.core.checks import checked_text as _text
from unionworks.core.errors import DomainError
from unionworks.core.money import FEN, MoneyError, parse_money
from unionworks.core.scoping import is_in_subtree
from unionworks.core.services import model_create, model_update
from unionworks.finance.levy import LevyPeriod, levy_due, parse_levy_period, split, split_fens
from unionworks.finance.models import (
    LEVY_CHANNELS,
    UPPER_LEVELS,
    Assessment,
    AssessmentScheme,
    Asset,
    AssetRule,
    Channel,
    FundReceipt,
    FundShare,
    Grade,
    Institution,
    Level,
    Levy,
    Mode,
    Portion,
    Score,
    ScoreItem,
    ShareScheme,
)
from unionworks.orgs.models import Org, Unit

NO_SCHEME = "尚未制定{day}适用的经费分成办法：请省总工会先录入分成比例"
KIND_OF_LEVEL = {
    Level.COUNTY: Org.Kind.COUNTY,
    Level.CITY: Org.Kind.CITY,
    Level.PROVINCE: Org.Kind.PROVINCE,
}


# ---- shared checks ---------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _require_writer(actor) -> None:
    if actor is not None:
        roles.require_writer(actor)


def _check_org(org, actor, *, field: str = "org", label: str = "组织") -> None:
    if org is None:
        raise DomainError(f"{label}不能为空", field=field)
    if actor is not None and not is_in_subtree(org, actor):
        raise DomainError(f"{label}须在本组织及下级组织范围内", field=field)


def _date(on, *, field: str, label: str, future_ok: bool = False) -> dt.date:
    if on is None:
        raise DomainError(f"{label}不能为空", field=field)
    if not isinstance(on, dt.date):
        raise DomainError(f"{label}应为日期", field=field)
    if not future_ok and on > _today():
        raise DomainError(f"{label}不能晚于今天", field=field)
    return on


def money(value, *, field: str, label: str, positive: bool = False) -> Decimal:
    try:
        amount = parse_money(value, label=label)
    except MoneyError as exc:
        raise DomainError(str(exc), field=field) from None
    if positive and amount <= 0:
        raise DomainError(f"{label}须大于零", field=field)
    return amount


def _rate(value, *, field: str, label: str) -> Decimal:
    try:
        rate = Decimal(str(value if value not in (None, "") else 0))
    except ArithmeticError:
        raise DomainError(f"{label}应为数字", field=field) from None
    if not rate.is_finite() or rate < 0 or rate > 100:
        raise DomainError(f"{label}应在0到100之间", field=field)
    if rate != rate.quantize(Decimal("0.01")):
        raise DomainError(f"{label}最多两位小数", field=field)
    return rate


# ---- the share scheme ------------------------------------------------------------------------


@transaction.atomic
def create_share_scheme(
    *,
    actor,
    org: Org,
    name: str,
    valid_from: dt.date,
    mode: str = Mode.FULL,
    grassroots_rate=Decimal(60),
    county_rate=Decimal(10),
    city_rate=Decimal(15),
    province_rate=Decimal(10),
    national_rate=Decimal(5),
    late_fee_rate=None,
) -> ShareScheme:
    """分成办法: the province enters the shares; they must sum to 100 %."""
    _require_writer(actor)
    _check_org(org, actor)
    if org.kind != Org.Kind.PROVINCE:
        raise DomainError("经费分成比例由省总工会制定", field="org")
    if mode not in Mode.values:
        raise DomainError(f"征收方式“{mode}”不是有效选项", field="mode")
    rates = {
        level.value: _rate(value, field=f"{level.value}_rate", label=f"{level.label}分成比例")
        for level, value in zip(
            list(Level),
            (grassroots_rate, county_rate, city_rate, province_rate, national_rate),
            strict=True,
        )
    }
    total = sum(rates.values())
    if total != 100:
        raise DomainError(
            f"各级分成比例合计应为100%，现为{total.normalize():f}%", field="grassroots_rate"
        )
    fee = None
    if late_fee_rate not in (None, ""):
        fee = Decimal(str(late_fee_rate))
        if not fee.is_finite() or fee < 0 or fee > 10:
            raise DomainError("滞纳金日费率应在0到10‰之间", field="late_fee_rate")
    scheme = ShareScheme(
        org=org,
        name=_text(name, field="name", label="名称", required=True, max_length=100),
        valid_from=_date(valid_from, field="valid_from", label="执行日期", future_ok=True),
        mode=mode,
        late_fee_rate=fee,
        **{f"{level}_rate": rate for level, rate in rates.items()},
    )
    if ShareScheme.objects.filter(org=org, valid_from=scheme.valid_from).exists():
        raise DomainError("该日期已有分成办法执行", field="valid_from")
    return model_create(
        instance=scheme,
        actor=actor,
        conflict=DomainError("该日期已有分成办法执行", field="valid_from"),
    )


def scheme_on(day: dt.date) -> ShareScheme:
    """The scheme in force on ``day`` (the latest that started by then)."""
    scheme = ShareScheme.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if scheme is None:
        raise DomainError(NO_SCHEME.format(day=day.isoformat()), field="received_on")
    return scheme


class SchemeCache:
    """The schemes, loaded once for a bulk write (an import, the demo)."""

    def __init__(self):
        self.schemes = list(ShareScheme.objects.order_by("-valid_from"))

    def on(self, day: dt.date) -> ShareScheme:
        for scheme in self.schemes:
            if scheme.valid_from <= day:
                return scheme
        raise DomainError(NO_SCHEME.format(day=day.isoformat()), field="received_on")


# ---- the split -------------------------------------------------------------------------------


def portion_for(channel: str, mode: str, *, has_union: bool) -> str:
    """Which part of the levy a receipt pays. Under 只征40%, the tax office and the budget
    collect the upper levels' part and the unit pays the 60 % to its own union directly;
    a unit without a union pays the whole 2 % as 建会筹备金 under either mode."""
    if channel not in LEVY_CHANNELS:
        return Portion.NONE
    if channel == Channel.PREPARATORY or not has_union or mode == Mode.FULL:
        return Portion.FULL
    return Portion.GRASSROOTS if channel == Channel.DIRECT else Portion.UPPER


def weights_for(portion: str, scheme: ShareScheme) -> dict[str, Decimal]:
    rates = scheme.rates()
    if portion == Portion.FULL:
        return rates
    if portion == Portion.UPPER:
        return {level.value: rates[level.value] for level in UPPER_LEVELS}
    if portion == Portion.GRASSROOTS:
        return {Level.GRASSROOTS.value: Decimal(100)}
    return {}


class LevelOrgs:
    """Which union takes each level's share of a payer's levy: its grassroots union, and
    the nearest county, city and province federations above it (a missing level's share
    goes to the next one up). Ancestors are read once per payer org."""

    def __init__(self):
        self._chains: dict[int, list[Org]] = {}

    def preload(self, orgs) -> None:
        """The chains of ``orgs`` in one query (a batch of an import)."""
        wanted = [o for o in orgs if o.pk not in self._chains]
        prefixes = {o.path[: i * 8] for o in wanted for i in range(1, len(o.path) // 8 + 1)}
        by_path = {o.path: o for o in Org.objects.filter(path__in=prefixes)}
        for org in wanted:
            self._chains[org.pk] = [
                by_path[org.path[: i * 8]] for i in range(1, len(org.path) // 8 + 1)
            ]

    def chain(self, org: Org) -> list[Org]:
        if org.pk not in self._chains:
            self._chains[org.pk] = [*org.ancestors(), org]
        return self._chains[org.pk]

    def for_payer(self, payer_org: Org | None, collector: Org) -> dict[str, Org | None]:
        base = payer_org or collector
        chain = self.chain(base)
        found: dict[str, Org | None] = {}
        # The grassroots share: the payer's union; with none yet, the collecting union
        # holds it (建会筹备金) until a union is founded.
        found[Level.GRASSROOTS] = base if base.kind == Org.Kind.GRASSROOTS else collector
        for level in (Level.COUNTY, Level.CITY, Level.PROVINCE):
            kind = KIND_OF_LEVEL[level]
            found[level] = next((o for o in reversed(chain) if o.kind == kind), None)
        found[Level.NATIONAL] = None
        # A level with no union of its kind above the payer: the next one up takes it.
        upper = found[Level.PROVINCE] or chain[0]
        for level in (Level.CITY, Level.COUNTY):
            if found[level] is None:
                found[level] = upper
            upper = found[level]
        return found


def flow_of(share_org: Org | None, collector: Org) -> str:
    if share_org is None:
        return FundShare.Flow.UP
    if share_org.pk == collector.pk:
        return FundShare.Flow.OWN
    if share_org.path.startswith(collector.path):
        return FundShare.Flow.DOWN
    return FundShare.Flow.UP


def share_rows(
    amount: Decimal, portion: str, scheme: ShareScheme | None, orgs: dict, collector: Org
) -> list[tuple[str, int | None, str, Decimal]]:
    """(level, org id, flow, amount) of each share of ``amount``, summing to it."""
    weights = weights_for(portion, scheme) if scheme is not None else {}
    if not weights:
        return []
    return [
        (level, getattr(orgs[level], "pk", None), flow_of(orgs[level], collector), share)
        for level, share in split(amount, weights).items()
    ]


class ShareRows:
    """``share_rows`` for many receipts to one collector (an import): the levels' unions,
    flows and weights of each (payer org, portion, scheme) are worked out once; per
    receipt only the split of its fens is left."""

    def __init__(self, level_orgs: LevelOrgs, collector: Org):
        self.level_orgs, self.collector = level_orgs, collector
        self._plans: dict[tuple, tuple] = {}

    def rows(
        self, amount: Decimal, portion: str, scheme: ShareScheme | None, payer_org: Org | None
    ) -> list[tuple[str, int | None, str, Decimal]]:
        key = (getattr(payer_org, "pk", None), portion, getattr(scheme, "pk", None))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._plan(portion, scheme, payer_org)
        heads, integers = plan
        if not heads:
            return []
        fens = amount.scaleb(2)  # in fens: an integer for an amount to the fen
        if fens != fens.to_integral_value() or fens < 0:
            raise ValueError("amount must be to the fen and not negative")
        shares = split_fens(int(fens), integers)
        return [(*head, Decimal(n) * FEN) for head, n in zip(heads, shares, strict=True)]

    def _plan(self, portion, scheme, payer_org) -> tuple:
        weights = weights_for(portion, scheme) if scheme is not None else {}
        if not weights:
            return [], []
        orgs = self.level_orgs.for_payer(payer_org, self.collector)
        values = [Decimal(w) for w in weights.values()]
        if any(v < 0 for v in values):
            raise ValueError("weights must not be negative")
        scale = max((max(-v.as_tuple().exponent, 0) for v in values), default=0)
        integers = [int(v.scaleb(scale)) for v in values]
        if sum(integers) <= 0:
            raise ValueError("weights must not all be zero")
        heads = [
            (level, getattr(orgs[level], "pk", None), flow_of(orgs[level], self.collector))
            for level in weights
        ]
        return heads, integers


def shares_for(
    receipt: FundReceipt, scheme: ShareScheme | None, orgs: dict[str, Org | None]
) -> list[FundShare]:
    """The receipt's shares by level (unsaved), summing to its amount."""
    return [
        FundShare(
            receipt=receipt,
            level=level,
            org_id=org_id,
            collector=receipt.org,
            flow=flow,
            amount=amount,
            received_on=receipt.received_on,
        )
        for level, org_id, flow, amount in share_rows(
            receipt.amount, receipt.portion, scheme, orgs, receipt.org
        )
    ]


# ---- levies and receipts ---------------------------------------------------------------------


def levy_org_of(unit: Unit) -> Org:
    """The union answering for a unit's levy: its grassroots union, else the union that
    registers it."""
    return unit.union if unit.union_id else unit.org


def _check_collector(collector: Org, payer_org: Org) -> None:
    if not payer_org.path.startswith(collector.path):
        raise DomainError("收款工会须为缴费单位所属工会或其上级工会", field="org")


def _levy_for(
    *, unit: Unit, period: LevyPeriod, payroll_base: Decimal | None, lock: bool = True
) -> Levy:
    found = Levy.objects.select_for_update() if lock else Levy.objects
    levy = found.filter(unit=unit, period=period.code).first()
    if levy is not None:
        if payroll_base is not None and payroll_base != levy.payroll_base:
            raise DomainError(
                f"该单位{period.label}已申报工资总额{levy.payroll_base}元，与本次填写的不一致",
                field="payroll_base",
            )
        return levy
    if payroll_base is None:
        raise DomainError("该单位本期首次缴费，须填写工资总额", field="payroll_base")
    levy = Levy(
        unit=unit,
        org=levy_org_of(unit),
        period=period.code,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        due_on=period.due_on,
        payroll_base=payroll_base,
        due=levy_due(payroll_base),
    )
    try:
        with transaction.atomic():
            levy.save()
    except IntegrityError:
        # Someone recorded the same unit and period at this moment: use theirs.
        return _levy_for(unit=unit, period=period, payroll_base=payroll_base, lock=lock)
    return levy


def _credit(levy: Levy, amount: Decimal, on: dt.date) -> None:
    """Count ``amount`` received on ``on`` towards the levy; note the day it was paid up."""
    levy.received += amount
    fields = ["received"]
    if levy.paid_up_on is None and levy.received >= levy.due:
        levy.paid_up_on = on
        fields.append("paid_up_on")
    levy.save(update_fields=fields)


def credit_levies(credits) -> None:
    """``_credit`` for many (levy, amount, day) at once, in one UPDATE per thousand levies:
    each levy's received grows by its amounts (atomically in the database, so concurrent
    credits add up), and a levy that reaches what is due is paid up on the last day."""
    totals: dict[int, tuple[Decimal, dt.date]] = {}
    for levy, amount, on in credits:
        pk = getattr(levy, "pk", levy)  # a Levy or its id
        total, last = totals.get(pk, (Decimal("0.00"), on))
        totals[pk] = (total + amount, max(last, on))
    table = connection.ops.quote_name(Levy._meta.db_table)
    items = list(totals.items())
    cast = "::numeric" if connection.vendor == "postgresql" else ""
    day = "::date" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        for start in range(0, len(items), 1000):
            chunk = items[start : start + 1000]
            values = ", ".join([f"(%s, %s{cast}, %s{day})"] * len(chunk))
            params = [x for pk, (amount, last) in chunk for x in (pk, amount, last)]
            cursor.execute(
                f"""WITH v(id, amount, last) AS (VALUES {values})
                    UPDATE {table} SET
                      paid_up_on = CASE WHEN paid_up_on IS NULL AND received + v.amount >= due
                                        THEN v.last ELSE paid_up_on END,
                      received = received + v.amount
                    FROM v WHERE {table}.id = v.id""",
                params,
            )


RECEIPT_AUDIT = ["org", "channel", "levy", "amount", "received_on", "portion", "reference", "note"]


@transaction.atomic
def record_receipt(
    *,
    actor,
    org: Org,
    channel: str,
    amount,
    received_on: dt.date,
    unit: Unit | None = None,
    period=None,
    payroll_base=None,
    reference: str = "",
    note: str = "",
) -> FundReceipt:
    """工会经费收缴: money that arrived at ``org``. For the levy's channels the payer unit
    and period are required (the first receipt of a period also its payroll base), and
    the receipt is split between the levels by the scheme in force on its date."""
    _require_writer(actor)
    _check_org(org, actor, label="收款工会")
    if channel not in Channel.values:
        raise DomainError(f"收缴渠道“{channel}”不是有效选项", field="channel")
    amount = money(amount, field="amount", label="金额", positive=True)
    received_on = _date(received_on, field="received_on", label="到账日期")
    levy = None
    payer_org = None
    has_union = False
    if channel in LEVY_CHANNELS:
        if unit is None:
            raise DomainError("该渠道的经费须填写缴费单位", field="unit")
        if period in (None, ""):
            raise DomainError("所属期不能为空", field="period")
        levy_period = period if isinstance(period, LevyPeriod) else parse_levy_period(period)
        base = None
        if payroll_base not in (None, ""):
            base = money(payroll_base, field="payroll_base", label="工资总额")
        has_union = bool(unit.union_id)
        if channel == Channel.PREPARATORY and has_union:
            raise DomainError("该单位已建立工会，应缴工会经费而非建会筹备金", field="channel")
        payer_org = levy_org_of(unit)
        _check_collector(org, payer_org)
        levy = _levy_for(unit=unit, period=levy_period, payroll_base=base)
    scheme = scheme_on(received_on) if channel in LEVY_CHANNELS else None
    receipt = FundReceipt(
        org=org,
        channel=channel,
        levy=levy,
        payer_org=payer_org,
        amount=amount,
        received_on=received_on,
        portion=portion_for(channel, scheme.mode if scheme else Mode.FULL, has_union=has_union),
        scheme=scheme,
        reference=_text(reference, field="reference", label="票据号", max_length=40),
        note=_text(note, field="note", label="备注"),
    )
    model_create(instance=receipt, actor=actor, audited=RECEIPT_AUDIT)
    FundShare.objects.bulk_create(
        shares_for(receipt, scheme, LevelOrgs().for_payer(payer_org, org))
    )
    if levy is not None:
        _credit(levy, amount, received_on)
    return receipt


def receipts_into_levy(levy: Levy) -> Decimal:
    """What the levy's receipts sum to (the kept ``received`` must equal it)."""
    return levy.receipts.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


# ---- 建会筹备金 moving to a newly founded union --------------------------------------------


@transaction.atomic
def move_preparatory_fees(*, union: Org, units: Iterable[Unit], on: dt.date, actor) -> int:
    """When ``union`` is founded for ``units``, the preparatory fees they paid become its
    money: each such receipt is marked moved, its grassroots share (held by the collecting
    union until now) becomes the new union's, returned to it; the units' levies answer to
    the new union from now on. Returns how many receipts moved."""
    unit_ids = [u.pk for u in units]
    if not unit_ids:
        return 0
    receipts = list(
        FundReceipt.objects.select_for_update()
        .filter(levy__unit_id__in=unit_ids, channel=Channel.PREPARATORY, moved_to__isnull=True)
        .select_related("org")
    )
    for receipt in receipts:
        before = audit.snapshot(receipt, RECEIPT_AUDIT + ["moved_to", "moved_on"])
        receipt.moved_to, receipt.moved_on = union, on
        receipt.save(update_fields=["moved_to", "moved_on"])
        FundShare.objects.filter(receipt=receipt, level=Level.GRASSROOTS).update(
            org=union, flow=flow_of(union, receipt.org)
        )
        audit.record(
            actor=actor,
            action="update",
            instance=receipt,
            org=receipt.org,
            before=before,
            after={
                **audit.snapshot(receipt, RECEIPT_AUDIT + ["moved_to", "moved_on"]),
                audit.ORGS_KEY: [receipt.org_id, union.pk],
            },
        )
    Levy.objects.filter(unit_id__in=unit_ids).exclude(org=union).update(org=union)
    FundReceipt.objects.filter(levy__unit_id__in=unit_ids).exclude(payer_org=union).update(
        payer_org=union
    )
    return len(receipts)


def on_union_founded(sender, *, union, units, on, actor=None, **kwargs) -> None:
    """The receiver of ``orgs.signals.union_founded`` (connected in FinanceConfig.ready)."""
    move_preparatory_fees(union=union, units=units, on=on, actor=actor)


# ---- assets ----------------------------------------------------------------------------------

ASSET_AUDIT = [
    "org",
    "institution",
    "name",
    "code",
    "category",
    "acquired_on",
    "original_value",
    "useful_life_years",
    "status",
    "disposal_reason",
    "disposal_value",
    "disposed_on",
]


@transaction.atomic
def register_asset(
    *,
    actor,
    org: Org,
    name: str,
    category: str,
    acquired_on: dt.date,
    original_value,
    useful_life_years: int = 0,
    code: str = "",
    institution: Institution | None = None,
) -> Asset:
    _require_writer(actor)
    _check_org(org, actor, label="产权单位")
    if category not in Asset.Category.values:
        raise DomainError(f"资产分类“{category}”不是有效选项", field="category")
    if useful_life_years is None or not 0 <= int(useful_life_years) <= 100:
        raise DomainError("折旧年限应在0到100年之间", field="useful_life_years")
    if institution is not None and institution.org_id != org.pk:
        raise DomainError("使用事业单位须隶属于产权单位", field="institution")
    asset = Asset(
        org=org,
        institution=institution,
        name=_text(name, field="name", label="资产名称", required=True, max_length=100),
        code=_text(code, field="code", label="资产编号", max_length=40),
        category=category,
        acquired_on=_date(acquired_on, field="acquired_on", label="取得日期"),
        original_value=money(original_value, field="original_value", label="原值"),
        useful_life_years=int(useful_life_years),
    )
    return model_create(instance=asset, actor=actor, audited=ASSET_AUDIT)


@transaction.atomic
def propose_disposal(*, actor, asset: Asset, reason: str, value=None) -> Asset:
    """资产处置申请: waits for a reviewer's approval."""
    _require_writer(actor)
    _check_org(asset.org, actor)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.status != Asset.Status.IN_USE:
        raise DomainError("只有在用资产可以申请处置", field="status")
    data = {
        "status": Asset.Status.PROPOSED,
        "disposal_reason": _text(reason, field="reason", label="处置理由", required=True),
        "disposal_value": money(value, field="value", label="处置收入"),
    }
    return model_update(instance=asset, data=data, actor=actor, audited=ASSET_AUDIT)[0]


@transaction.atomic
def approve_disposal(*, actor, asset: Asset, on: dt.date) -> Asset:
    """处置审批: a reviewer (not the clerk who asked) approves; the asset leaves the register."""
    if actor is not None:
        if not roles.can_review(actor):
            raise PermissionDenied("只有审核员可以审批资产处置")
        _check_org(asset.org, actor)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.status != Asset.Status.PROPOSED:
        raise DomainError("该资产没有待批的处置申请", field="status")
    on = _date(on, field="on", label="处置日期")
    if on < asset.acquired_on:
        raise DomainError("处置日期不能早于取得日期", field="on")
    data = {"status": Asset.Status.DISPOSED, "disposed_on": on}
    asset.approved_by = actor if getattr(actor, "pk", None) else None
    asset.save(update_fields=["approved_by"])
    return model_update(instance=asset, data=data, actor=actor, audited=ASSET_AUDIT)[0]


@transaction.atomic
def record_asset_rule(
    *, actor, org: Org, title: str, issued_on: dt.date, valid_from: dt.date, valid_to=None
) -> AssetRule:
    """资产管理制度 issued by a union (a dated record: in force from ``valid_from``)."""
    _require_writer(actor)
    _check_org(org, actor, label="制定单位")
    valid_from = _date(valid_from, field="valid_from", label="施行日期", future_ok=True)
    if valid_to is not None and valid_to <= valid_from:
        raise DomainError("废止日期须晚于施行日期", field="valid_to")
    rule = AssetRule(
        org=org,
        title=_text(title, field="title", label="制度名称", required=True, max_length=100),
        issued_on=_date(issued_on, field="issued_on", label="印发日期"),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return model_create(instance=rule, actor=actor)


# ---- affiliated institutions and their assessment --------------------------------------------


@transaction.atomic
def create_institution(
    *, actor, org: Org, name: str, kind: str = "", founded_on=None, staff: int = 0
) -> Institution:
    _require_writer(actor)
    _check_org(org, actor, label="主管工会")
    name = _text(name, field="name", label="单位名称", required=True, max_length=100)
    if Institution.objects.filter(org=org, name=name).exists():
        raise DomainError("该工会已有同名直属事业单位", field="name")
    institution = Institution(
        org=org,
        name=name,
        kind=_text(kind, field="kind", label="类别", max_length=30),
        founded_on=founded_on,
        staff=int(staff or 0),
    )
    return model_create(
        instance=institution,
        actor=actor,
        conflict=DomainError("该工会已有同名直属事业单位", field="name"),
    )


def _items(items) -> list[tuple[str, Decimal]]:
    result, seen = [], set()
    for i, (name, max_score) in enumerate(items, start=1):
        name = _text(name, field="items", label=f"第{i}项名称", required=True, max_length=100)
        if name in seen:
            raise DomainError(f"考核项目“{name}”重复", field="items")
        seen.add(name)
        score = _rate(max_score, field="items", label=f"“{name}”的分值")
        if score <= 0:
            raise DomainError(f"“{name}”的分值须大于零", field="items")
        result.append((name, score))
    if not result:
        raise DomainError("考核办法至少要有一个考核项目", field="items")
    return result


@transaction.atomic
def create_assessment_scheme(
    *,
    actor,
    org: Org,
    year: int,
    title: str,
    items,
    excellent_from=Decimal(90),
    good_from=Decimal(75),
    pass_from=Decimal(60),
) -> AssessmentScheme:
    """年度业绩考核办法: the year's score sheet (items and their maximum scores)."""
    _require_writer(actor)
    _check_org(org, actor, label="考核单位")
    items = _items(items)
    thresholds = [
        _rate(v, field=f, label=label)
        for v, f, label in (
            (excellent_from, "excellent_from", "优秀线"),
            (good_from, "good_from", "良好线"),
            (pass_from, "pass_from", "合格线"),
        )
    ]
    if not thresholds[0] > thresholds[1] > thresholds[2]:
        raise DomainError("等次分数线应为 优秀 > 良好 > 合格", field="excellent_from")
    if AssessmentScheme.objects.filter(org=org, year=year).exists():
        raise DomainError(f"{year}年已有考核办法", field="year")
    scheme = model_create(
        instance=AssessmentScheme(
            org=org,
            year=int(year),
            title=_text(title, field="title", label="办法名称", required=True, max_length=100),
            excellent_from=thresholds[0],
            good_from=thresholds[1],
            pass_from=thresholds[2],
        ),
        actor=actor,
        note={"考核项目": "；".join(f"{n}（{s}分）" for n, s in items)},
        conflict=DomainError(f"{year}年已有考核办法", field="year"),
    )
    ScoreItem.objects.bulk_create(
        ScoreItem(scheme=scheme, name=n, max_score=s, order=i) for i, (n, s) in enumerate(items)
    )
    return scheme


@transaction.atomic
def set_score_items(*, actor, scheme: AssessmentScheme, items) -> AssessmentScheme:
    """Edit the score sheet, while no institution has been assessed under it."""
    _require_writer(actor)
    _check_org(scheme.org, actor)
    if Assessment.objects.filter(scheme=scheme).exists():
        raise DomainError("已有单位按此办法考核，不能再修改考核项目", field="items")
    items = _items(items)
    before = {"考核项目": "；".join(f"{i.name}（{i.max_score}分）" for i in scheme.items.all())}
    scheme.items.all().delete()
    ScoreItem.objects.bulk_create(
        ScoreItem(scheme=scheme, name=n, max_score=s, order=i) for i, (n, s) in enumerate(items)
    )
    audit.record(
        actor=actor,
        action="update",
        instance=scheme,
        org=scheme.org,
        before=before,
        after={"考核项目": "；".join(f"{n}（{s}分）" for n, s in items)},
    )
    return scheme


def grade_of(total: Decimal, scheme: AssessmentScheme) -> str:
    if total >= scheme.excellent_from:
        return Grade.EXCELLENT
    if total >= scheme.good_from:
        return Grade.GOOD
    if total >= scheme.pass_from:
        return Grade.PASS
    return Grade.FAIL


@transaction.atomic
def assess_institution(
    *,
    actor,
    scheme: AssessmentScheme,
    institution: Institution,
    assessed_on: dt.date,
    scores: dict,
    income=None,
    assets_value=None,
) -> Assessment:
    """An institution's yearly assessment: a score for every item (not above its maximum),
    the total and the grade by the scheme's thresholds."""
    _require_writer(actor)
    _check_org(scheme.org, actor, label="考核单位")
    if not institution.org.path.startswith(scheme.org.path):
        raise DomainError("该事业单位不属于本考核办法的考核范围", field="institution")
    items = list(scheme.items.all())
    given = {int(getattr(k, "pk", k)): v for k, v in scores.items()}
    values = []
    for item in items:
        if item.pk not in given or given[item.pk] in (None, ""):
            raise DomainError(f"“{item.name}”未打分", field=f"item_{item.pk}")
        score = _rate(given[item.pk], field=f"item_{item.pk}", label=f"“{item.name}”得分")
        if score > item.max_score:
            raise DomainError(
                f"“{item.name}”得分不能超过分值{item.max_score}分", field=f"item_{item.pk}"
            )
        values.append((item, score))
    total = sum((s for _i, s in values), Decimal("0.00"))
    if Assessment.objects.filter(scheme=scheme, institution=institution).exists():
        raise DomainError(f"该单位{scheme.year}年已考核", field="institution")
    assessment = model_create(
        instance=Assessment(
            scheme=scheme,
            institution=institution,
            org=institution.org,
            assessed_on=_date(assessed_on, field="assessed_on", label="考核日期"),
            income=money(income, field="income", label="年度收入"),
            assets_value=money(assets_value, field="assets_value", label="年末资产总额"),
            total=total,
            grade=grade_of(total, scheme),
        ),
        actor=actor,
        conflict=DomainError(f"该单位{scheme.year}年已考核", field="institution"),
    )
    Score.objects.bulk_create(Score(assessment=assessment, item=i, score=s) for i, s in values)
    return assessment
