"""实力强会工程: union funds from the 2 % payroll levy to the split between levels, arrears,
assets, affiliated institutions and their yearly assessment.

- ``ShareScheme`` (分成办法): what the province enters — the collection mode (全额征收后返还
  or 只征40%), each level's share in percent (summing to 100, a database constraint) and
  the late fee it charges, if any. The scheme in force on a receipt's date splits it.
- ``Levy`` (应缴): one per payer unit and period — the payroll base (工资总额) and the 2 %
  due on it; ``received`` is the sum of its receipts, kept by the services in the same
  transaction (what the arrears list filters on).
- ``FundReceipt`` (经费收入): money that arrived at an org (``org``, the collecting union)
  on a date through a channel, for a levy or not (上级补助 has none).
- ``FundShare`` (分成): a receipt split by level (grassroots, county, city, province,
  national), each share to the fen, the shares summing to the receipt; ``flow`` says
  whether the collecting union keeps it, passes it up (上解) or returns it down (返还).
- ``Asset``, ``AssetRule``, ``Institution``, ``AssessmentScheme`` / ``ScoreItem``,
  ``Assessment`` / ``Score``.

Money is ``DecimalField(max_digits=14, decimal_places=2)``: yuan to the fen.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Abs
from django.db.models.lookups import LessThan

from unionworks.orgs.models import Org, Unit

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 2}  # a percentage, 0.00–100.00


class Channel(models.TextChoices):
    """收缴渠道: how the money came (the 一改三策 channels first)."""

    TAX = "tax", "税务代收/地税代征"
    FISCAL = "fiscal", "财政划拨"
    DIRECT = "direct", "单位直接拨缴"
    PREPARATORY = "preparatory", "建会筹备金"
    GRANT = "grant", "上级补助"
    OTHER = "other", "其他"


# Channels that pay a unit's 2 % levy (and are split between levels); the others are not.
LEVY_CHANNELS = (Channel.TAX, Channel.FISCAL, Channel.DIRECT, Channel.PREPARATORY)


class Level(models.TextChoices):
    """分成层级, from the bottom up (the order the remainder rule walks them in)."""

    GRASSROOTS = "grassroots", "基层工会"
    COUNTY = "county", "县级工会"
    CITY = "city", "市级工会"
    PROVINCE = "province", "省总工会"
    NATIONAL = "national", "全国总工会"


LEVELS = list(Level)
UPPER_LEVELS = LEVELS[1:]


class Mode(models.TextChoices):
    """征收方式."""

    FULL = "full", "全额征收后返还（2%全额上缴，60%返还基层）"
    UPPER = "upper", "只征上缴部分（代征40%，60%由单位直接拨缴基层）"


class Portion(models.TextChoices):
    """What part of the levy a receipt pays, and so which levels it is split among."""

    FULL = "full", "全额（2%）"
    UPPER = "upper", "上缴部分"
    GRASSROOTS = "grassroots", "基层留成部分"
    NONE = "none", "不分成"


class ShareScheme(models.Model):
    """分成办法: the shares the province sets, in force from ``valid_from``."""

    org = models.ForeignKey(
        Org, verbose_name="制定单位", on_delete=models.PROTECT, related_name="share_schemes"
    )
    name = models.CharField("名称", max_length=100)
    valid_from = models.DateField("执行日期")
    mode = models.CharField("征收方式", max_length=8, choices=Mode.choices, default=Mode.FULL)
    grassroots_rate = models.DecimalField("基层工会（%）", default=Decimal("60"), **RATE)
    county_rate = models.DecimalField("县级工会（%）", default=Decimal("10"), **RATE)
    city_rate = models.DecimalField("市级工会（%）", default=Decimal("15"), **RATE)
    province_rate = models.DecimalField("省总工会（%）", default=Decimal("10"), **RATE)
    national_rate = models.DecimalField("全国总工会（%）", default=Decimal("5"), **RATE)
    # 滞纳金: per day of delay on the amount in arrears; blank where none is charged.
    late_fee_rate = models.DecimalField(
        "滞纳金日费率（‰）", max_digits=6, decimal_places=3, null=True, blank=True
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "分成办法"
        verbose_name_plural = "分成办法"
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "valid_from"], name="share_scheme_one_per_day"),
            models.CheckConstraint(
                condition=Q(
                    grassroots_rate__gte=0,
                    county_rate__gte=0,
                    city_rate__gte=0,
                    province_rate__gte=0,
                    national_rate__gte=0,
                ),
                name="share_scheme_rates_not_negative",
            ),
            # A tolerance, not equality: SQLite keeps decimals as floating point.
            models.CheckConstraint(
                condition=LessThan(
                    Abs(
                        F("grassroots_rate")
                        + F("county_rate")
                        + F("city_rate")
                        + F("province_rate")
                        + F("national_rate")
                        - Value(Decimal(100))
                    ),
                    Value(Decimal("0.001")),
                ),
                name="share_scheme_rates_sum_to_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def rates(self) -> dict[str, Decimal]:
        return {level.value: getattr(self, f"{level.value}_rate") for level in LEVELS}


class Levy(models.Model):
    """应缴工会经费: a payer unit's payroll base for a period and the 2 % due on it."""

    class PeriodKind(models.TextChoices):
        MONTH = "month", "月度"
        QUARTER = "quarter", "季度"

    # No index of its own (nor on ``org``): the unique (unit, period) and (org, due_on)
    # lead with them, and each index more is upkeep on every levy an import writes.
    unit = models.ForeignKey(
        Unit,
        verbose_name="缴费单位",
        on_delete=models.PROTECT,
        related_name="levies",
        db_index=False,
    )
    # The union answering for the unit's levy: its grassroots union, or (no union yet) the
    # union that registers it. Scoping and the arrears list go through it.
    org = models.ForeignKey(
        Org,
        verbose_name="所属工会",
        on_delete=models.PROTECT,
        related_name="levies",
        db_index=False,
    )
    period = models.CharField("所属期", max_length=7)  # 2008-03 or 2008Q1
    period_kind = models.CharField("期间类型", max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField("所属期起")
    period_end = models.DateField("所属期止")
    due_on = models.DateField("缴费期限")  # the 15th of the month after the period
    payroll_base = models.DecimalField("工资总额（元）", **MONEY)
    due = models.DecimalField("应缴经费（元）", **MONEY)
    received = models.DecimalField("已缴经费（元）", default=Decimal("0.00"), **MONEY)
    # The day what was received first reached what was due (arrears "as of" a day read it).
    paid_up_on = models.DateField("缴清日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "应缴经费"
        verbose_name_plural = "应缴经费"
        ordering = ["-period_start", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="levy_one_per_unit_period"),
            models.CheckConstraint(
                condition=Q(payroll_base__gte=0, due__gte=0, received__gte=0),
                name="levy_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="levy_period_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["org", "due_on"], name="levy_org_due"),
            models.Index(fields=["due_on", "paid_up_on"], name="levy_due_paid"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.due - self.received, Decimal("0.00"))


class FundReceipt(models.Model):
    """工会经费收入: money that arrived at ``org`` on ``received_on`` through ``channel``."""

    # No index of its own (nor on ``payer_org``): (org, received_on) and (payer_org,
    # received_on) lead with them.
    org = models.ForeignKey(
        Org,
        verbose_name="收款工会",
        on_delete=models.PROTECT,
        related_name="fund_receipts",
        db_index=False,
    )
    channel = models.CharField("收缴渠道", max_length=12, choices=Channel.choices, db_index=True)
    levy = models.ForeignKey(
        Levy,
        verbose_name="应缴经费",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    # The levy's union, copied: a grassroots union sees the receipts of its units.
    payer_org = models.ForeignKey(
        Org,
        verbose_name="缴费单位所属工会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    amount = models.DecimalField("金额（元）", **MONEY)
    received_on = models.DateField("到账日期")
    portion = models.CharField("分成部分", max_length=10, choices=Portion.choices)
    scheme = models.ForeignKey(
        ShareScheme,
        verbose_name="分成办法",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 建会筹备金: moved to the unit's new union when it is founded (orgs.signals.union_founded).
    moved_to = models.ForeignKey(
        Org,
        verbose_name="转入新建工会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moved_on = models.DateField("转入日期", null=True, blank=True)
    reference = models.CharField("票据/代征流水号", max_length=40, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "工会经费收入"
        verbose_name_plural = "工会经费收入"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_positive"),
            models.CheckConstraint(
                condition=Q(levy__isnull=False) | ~Q(channel__in=LEVY_CHANNELS),
                name="receipt_levy_channel_has_levy",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "received_on"], name="receipt_org_date"),
            models.Index(fields=["payer_org", "received_on"], name="receipt_payer_date"),
            models.Index(fields=["received_on"], name="receipt_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.amount}元（{self.received_on}）"


class FundShare(models.Model):
    """One level's share of a receipt, to the fen."""

    class Flow(models.TextChoices):
        OWN = "own", "本级留成"
        UP = "up", "上解"
        DOWN = "down", "返还"

    # No index of its own on ``receipt``, ``org`` or ``collector``: the unique (receipt,
    # level), (org, received_on) and (collector, received_on) lead with them; five shares
    # a receipt make this the table an import writes most.
    receipt = models.ForeignKey(
        FundReceipt,
        verbose_name="经费收入",
        on_delete=models.CASCADE,
        related_name="shares",
        db_index=False,
    )
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    # The union the share belongs to; none for the national federation (outside the tree).
    org = models.ForeignKey(
        Org,
        verbose_name="分成工会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_shares",
        db_index=False,
    )
    collector = models.ForeignKey(
        Org, verbose_name="收款工会", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    flow = models.CharField("流向", max_length=4, choices=Flow.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    received_on = models.DateField("到账日期")

    class Meta:
        verbose_name = "经费分成"
        verbose_name_plural = "经费分成"
        ordering = ["receipt_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["receipt", "level"], name="share_one_per_level"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="share_not_negative"),
        ]
        indexes = [
            models.Index(fields=["org", "received_on"], name="share_org_date"),
            models.Index(fields=["collector", "received_on"], name="share_collector_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.amount}"


class Asset(models.Model):
    """工会资产: an item of the register, depreciated straight-line over its useful life."""

    class Category(models.TextChoices):
        # GB/T 14885-2010 固定资产分类与代码, first-level classes
        LAND = "1", "土地、海域以及无居民海岛"
        BUILDINGS = "2", "房屋及构筑物"
        GENERAL = "3", "通用设备"
        SPECIAL = "4", "专用设备"
        RELICS = "5", "文物和陈列品"
        BOOKS = "6", "图书、档案"
        FURNITURE = "7", "家具、用具、装具及动植物"
        INTANGIBLE = "8", "无形资产"

    class Status(models.TextChoices):
        IN_USE = "in_use", "在用"
        PROPOSED = "proposed", "处置待批"
        DISPOSED = "disposed", "已处置"

    org = models.ForeignKey(
        Org, verbose_name="产权单位", on_delete=models.PROTECT, related_name="assets"
    )
    institution = models.ForeignKey(
        "Institution",
        verbose_name="使用事业单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    name = models.CharField("资产名称", max_length=100)
    code = models.CharField("资产编号", max_length=40, blank=True)
    category = models.CharField("资产分类", max_length=2, choices=Category.choices)
    acquired_on = models.DateField("取得日期")
    original_value = models.DecimalField("原值（元）", **MONEY)
    useful_life_years = models.PositiveSmallIntegerField("折旧年限（年）", default=0)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="in_use")
    disposal_reason = models.CharField("处置理由", max_length=200, blank=True)
    disposal_value = models.DecimalField("处置收入（元）", null=True, blank=True, **MONEY)
    disposed_on = models.DateField("处置日期", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "工会资产"
        verbose_name_plural = "工会资产"
        ordering = ["org_id", "-acquired_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(original_value__gte=0), name="asset_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status="disposed", disposed_on__gte=F("acquired_on"))
                | (~Q(status="disposed") & Q(disposed_on__isnull=True)),
                name="asset_disposed_after_acquired",
            ),
        ]
        indexes = [models.Index(fields=["org", "status"], name="asset_org_status")]

    def __str__(self) -> str:
        return self.name


class AssetRule(models.Model):
    """资产管理制度 in force at a union (the 11 cities' rules are counted from these)."""

    org = models.ForeignKey(
        Org, verbose_name="制定单位", on_delete=models.PROTECT, related_name="asset_rules"
    )
    title = models.CharField("制度名称", max_length=100)
    issued_on = models.DateField("印发日期")
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("废止日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "资产管理制度"
        verbose_name_plural = "资产管理制度"
        ordering = ["org_id", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="asset_rule_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Institution(models.Model):
    """直属事业单位 of a union (the provincial federation's schools, hospitals, palaces…)."""

    org = models.ForeignKey(
        Org, verbose_name="主管工会", on_delete=models.PROTECT, related_name="institutions"
    )
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("类别", max_length=30, blank=True)  # 文化宫、疗养院、院校…
    founded_on = models.DateField("成立日期", null=True, blank=True)
    staff = models.PositiveIntegerField("编制人数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "直属事业单位"
        verbose_name_plural = "直属事业单位"
        ordering = ["org_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="institution_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentScheme(models.Model):
    """年度业绩考核办法: a year's score sheet (its items) and the grade thresholds."""

    org = models.ForeignKey(
        Org, verbose_name="考核单位", on_delete=models.PROTECT, related_name="assessment_schemes"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    title = models.CharField("办法名称", max_length=100)
    excellent_from = models.DecimalField("优秀（分以上）", default=Decimal("90"), **RATE)
    good_from = models.DecimalField("良好（分以上）", default=Decimal("75"), **RATE)
    pass_from = models.DecimalField("合格（分以上）", default=Decimal("60"), **RATE)

    class Meta:
        verbose_name = "年度业绩考核办法"
        verbose_name_plural = "年度业绩考核办法"
        ordering = ["-year", "org_id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="assessment_scheme_one_a_year"),
            models.CheckConstraint(
                condition=Q(excellent_from__gt=F("good_from"), good_from__gt=F("pass_from")),
                name="assessment_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ScoreItem(models.Model):
    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name="考核办法", on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField("考核项目", max_length=100)
    max_score = models.DecimalField("分值", **RATE)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "考核项目"
        verbose_name_plural = "考核项目"
        ordering = ["scheme_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="score_item_unique"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="score_item_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class Assessment(models.Model):
    """An institution's assessment for a year: its scores, total and grade; what it reported
    of its income and assets for the year."""

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name="考核办法", on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        Institution, verbose_name="事业单位", on_delete=models.PROTECT, related_name="assessments"
    )
    # The institution's union, copied: scoping and the figures group by it.
    org = models.ForeignKey(
        Org, verbose_name="主管工会", on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField("考核日期")
    income = models.DecimalField("年度收入（元）", default=Decimal("0.00"), **MONEY)
    assets_value = models.DecimalField("年末资产总额（元）", default=Decimal("0.00"), **MONEY)
    total = models.DecimalField("总分", max_digits=6, decimal_places=2)
    grade = models.CharField("等次", max_length=10, choices=Grade.choices)

    class Meta:
        verbose_name = "年度业绩考核"
        verbose_name_plural = "年度业绩考核"
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "institution"], name="assessment_once_per_scheme"
            )
        ]
        indexes = [models.Index(fields=["org", "assessed_on"], name="assessment_org_date")]

    def __str__(self) -> str:
        return f"{self.institution} {self.scheme.year}年"


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name="考核", on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(ScoreItem, verbose_name="考核项目", on_delete=models.PROTECT)
    score = models.DecimalField("得分", **RATE)

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="score_once_per_item"),
            models.CheckConstraint(condition=Q(score__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.score}"
