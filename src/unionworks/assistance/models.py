"""帮扶工程: hardship-worker files, assistance centres, campaigns, fund raising, disbursement,
wage-arrears cases and 平安返乡 trips.

A person (a hardship worker, a recipient, a worker owed wages) is keyed by the blind index
of their 居民身份证号 and stored sealed and masked exactly as the member roll stores it
(core.people); where the same number is on the roll the record links to the Member.

Money is ``DecimalField(max_digits=14, decimal_places=2)``: yuan to the fen. Every figure
the lens shows is summed from these records (assistance.indicators).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from unionworks.core import people
from unionworks.core.people import SealedPhone
from unionworks.members.models import Member
from unionworks.orgs.models import Org, Unit

MONEY = {"max_digits": 14, "decimal_places": 2}


class Source(models.TextChoices):
    """筹资来源: where raised money and goods come from."""

    UPPER = "upper", "上级拨款"
    OWN = "own", "本级经费"
    DONATION = "donation", "社会捐赠"
    FISCAL = "fiscal", "财政"
    OTHER = "other", "其他"


class Person(people.Person):
    """A person keyed by ID number (sealed, blind-indexed and masked as on the member roll:
    core.people), linked to the member with the same number if there is one."""

    member = models.ForeignKey(
        Member,
        verbose_name="会员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class AssistanceCentre(models.Model):
    """帮扶中心: the desk of a union (usually a county or city federation) that keeps files."""

    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="assistance_centres"
    )
    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    opened_on = models.DateField("成立日期", null=True, blank=True)
    staff = models.PositiveSmallIntegerField("工作人员数", default=0)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮扶中心"
        verbose_name_plural = "帮扶中心"
        ordering = ["org__path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="centre_name_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class CentreFunding(models.Model):
    """A sum a centre received for its building and running (建设资金, 运行经费)."""

    centre = models.ForeignKey(
        AssistanceCentre, verbose_name="帮扶中心", on_delete=models.CASCADE, related_name="funding"
    )
    received_on = models.DateField("到账日期")
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    purpose = models.CharField("用途", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮扶中心经费"
        verbose_name_plural = "帮扶中心经费"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="centre_funding_positive")
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.received_on} {self.amount}"


class HardshipFile(Person, SealedPhone):
    """困难职工档案: one per person while open; reviewed every year; closed when out of hardship."""

    class Level(models.TextChoices):
        DEEP = "deep", "深度困难"
        RELATIVE = "relative", "相对困难"
        ACCIDENT = "accident", "意外致困"

    class Cause(models.TextChoices):
        ILLNESS = "illness", "因病"
        DISABILITY = "disability", "因残"
        DISASTER = "disaster", "因灾"
        SCHOOLING = "schooling", "因学"
        UNEMPLOYMENT = "unemployment", "失业"
        LOW_WAGE = "low_wage", "收入低"
        ACCIDENT = "accident", "意外事故"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        OPEN = "open", "在档"
        CLOSED = "closed", "已销档"

    class Closing(models.TextChoices):
        OUT_OF_HARDSHIP = "out_of_hardship", "脱困"
        DECEASED = "deceased", "去世"
        MOVED = "moved", "迁出"
        OTHER = "other", "其他"

    org = models.ForeignKey(
        Org,
        verbose_name="建档工会",
        on_delete=models.PROTECT,
        related_name="hardship_files",
        db_index=False,
    )
    centre = models.ForeignKey(
        AssistanceCentre,
        verbose_name="帮扶中心",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="files",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="工作单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    household_size = models.PositiveSmallIntegerField("家庭人口")
    household_income = models.DecimalField("家庭年收入（元）", **MONEY)
    per_capita_income = models.DecimalField("家庭人均月收入（元）", **MONEY)
    local_line = models.DecimalField("当地困难标准（元/人·月）", **MONEY)
    causes = models.JSONField("致困原因", default=list, blank=True)
    level = models.CharField("困难类别", max_length=10, choices=Level.choices)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField("建档日期")
    last_reviewed_on = models.DateField("最近复核日期", null=True, blank=True)
    closed_on = models.DateField("销档日期", null=True, blank=True)
    closing = models.CharField("销档原因", max_length=16, choices=Closing.choices, blank=True)
    closing_note = models.CharField("销档说明", max_length=200, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "困难职工档案"
        verbose_name_plural = "困难职工档案"
        ordering = ["-opened_on", "-id"]
        constraints = [
            # One open file per person: two clerks filing the same person cannot both succeed.
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=Q(status="open"),
                name="one_open_hardship_file_per_person",
            ),
            models.CheckConstraint(
                condition=Q(household_size__gte=1), name="hardship_household_at_least_one"
            ),
            models.CheckConstraint(
                condition=Q(household_income__gte=0) & Q(local_line__gte=0),
                name="hardship_income_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status="closed", closed_on__gte=F("opened_on")),
                name="hardship_closed_after_opened",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status"], name="hardship_org_status"),
            models.Index(fields=["id_number_index"], name="hardship_id_index"),
            models.Index(fields=["closed_on"], name="hardship_closed_on"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_mask}）"

    @property
    def review_anchor(self):
        return self.last_reviewed_on or self.opened_on

    @property
    def review_due(self):
        """The day a year after the last review (or the opening): reviewed every year."""
        anchor = self.review_anchor
        try:
            return anchor.replace(year=anchor.year + 1)
        except ValueError:  # 29 February
            return anchor.replace(year=anchor.year + 1, day=28)

    @property
    def below_line(self) -> bool:
        return self.per_capita_income < self.local_line

    def cause_labels(self) -> list[str]:
        labels = dict(self.Cause.choices)
        return [str(labels.get(c, c)) for c in self.causes or []]


class HouseholdMember(models.Model):
    """A member of a hardship worker's household, with their income."""

    file = models.ForeignKey(
        HardshipFile, verbose_name="档案", on_delete=models.CASCADE, related_name="household"
    )
    name = models.CharField("姓名", max_length=50)
    relation = models.CharField("与本人关系", max_length=20)
    yearly_income = models.DecimalField("年收入（元）", default=0, **MONEY)
    situation = models.CharField("情况", max_length=100, blank=True)

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["file", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(yearly_income__gte=0), name="household_income_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.relation}）"


class HardshipReview(models.Model):
    """年度复核: the household's situation as found on the day."""

    file = models.ForeignKey(
        HardshipFile,
        verbose_name="档案",
        on_delete=models.CASCADE,
        related_name="reviews",
        db_index=False,
    )
    reviewed_on = models.DateField("复核日期")
    household_size = models.PositiveSmallIntegerField("家庭人口")
    household_income = models.DecimalField("家庭年收入（元）", **MONEY)
    per_capita_income = models.DecimalField("家庭人均月收入（元）", **MONEY)
    level = models.CharField("困难类别", max_length=10, choices=HardshipFile.Level.choices)
    note = models.CharField("复核意见", max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "档案复核"
        verbose_name_plural = "档案复核"
        ordering = ["file", "-reviewed_on", "-id"]
        indexes = [models.Index(fields=["file", "reviewed_on"], name="hardship_review_file_on")]

    def __str__(self) -> str:
        return f"{self.file_id} {self.reviewed_on}"


class Campaign(models.Model):
    """帮扶活动: organised by one union; the lower unions listed take part (none listed: all)."""

    class Kind(models.TextChoices):
        WARMTH = "warmth", "送温暖"
        SCHOOLING = "schooling", "金秋助学"
        MEDICAL = "medical", "大病医疗互助"
        SAFE_RETURN = "safe_return", "平安返乡"
        WAGES = "wages", "讨薪"
        SUMMER = "summer", "防暑降温"
        OTHER = "other", "其他"

    org = models.ForeignKey(
        Org,
        verbose_name="组织单位",
        on_delete=models.PROTECT,
        related_name="assistance_campaigns",
        db_index=False,
    )
    kind = models.CharField("活动类别", max_length=12, choices=Kind.choices)
    name = models.CharField("活动名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    budget = models.DecimalField("预算（元）", default=0, **MONEY)
    participants = models.ManyToManyField(
        Org, verbose_name="参加的下级组织", blank=True, related_name="assistance_campaigns_joined"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮扶活动"
        verbose_name_plural = "帮扶活动"
        ordering = ["-year", "-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_not_negative"),
        ]
        indexes = [models.Index(fields=["org", "year"], name="campaign_org_year")]

    def __str__(self) -> str:
        return self.name


class FundRaising(models.Model):
    """筹资: money and goods raised for a campaign by one union, from one source."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="帮扶活动", on_delete=models.PROTECT, related_name="raisings"
    )
    org = models.ForeignKey(
        Org,
        verbose_name="筹资单位",
        on_delete=models.PROTECT,
        related_name="fund_raisings",
        db_index=False,
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    cash = models.DecimalField("资金（元）", default=0, **MONEY)
    goods_value = models.DecimalField("物资折款（元）", default=0, **MONEY)
    received_on = models.DateField("到位日期")
    donor = models.CharField("出资方", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "筹资"
        verbose_name_plural = "筹资"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cash__gte=0)
                & Q(goods_value__gte=0)
                & (Q(cash__gt=0) | Q(goods_value__gt=0)),
                name="raising_positive",
            ),
        ]
        indexes = [models.Index(fields=["org", "received_on"], name="raising_org_received")]

    def __str__(self) -> str:
        return f"{self.campaign} {self.get_source_display()} {self.total}"

    @property
    def total(self):
        return self.cash + self.goods_value


class Disbursement(Person):
    """发放: a person proposed by a lower union, approved (or rejected) by a reviewer, then paid.

    At most once per person and campaign, and for 金秋助学 (where the person is the
    student) at most once per student and year: both are database constraints, so two
    simultaneous proposals cannot both pass. ``year`` and ``campaign_kind`` repeat the
    campaign's so that the constraints can see them.
    """

    class Category(models.TextChoices):
        HARDSHIP = "hardship", "困难职工"
        MIGRANT = "migrant", "农民工"
        MODEL = "model", "劳动模范"
        STUDENT = "student", "学生"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待审核"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"
        PAID = "paid", "已发放"

    class StudentLevel(models.TextChoices):
        UNDERGRADUATE = "undergraduate", "本科"
        COLLEGE = "college", "专科"
        HIGH_SCHOOL = "high_school", "高中"

    campaign = models.ForeignKey(
        Campaign,
        verbose_name="帮扶活动",
        on_delete=models.PROTECT,
        related_name="disbursements",
        db_index=False,
    )
    org = models.ForeignKey(
        Org,
        verbose_name="提名单位",
        on_delete=models.PROTECT,
        related_name="disbursements",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField("年度")
    campaign_kind = models.CharField("活动类别", max_length=12, choices=Campaign.Kind.choices)
    category = models.CharField("对象类别", max_length=10, choices=Category.choices)
    cash = models.DecimalField("现金（元）", default=0, **MONEY)
    goods_value = models.DecimalField("实物折款（元）", default=0, **MONEY)
    hardship_file = models.ForeignKey(
        HardshipFile,
        verbose_name="困难职工档案",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    school = models.CharField("学校", max_length=100, blank=True)
    admission_year = models.PositiveSmallIntegerField("入学年份", null=True, blank=True)
    student_level = models.CharField(
        "学历层次", max_length=14, choices=StudentLevel.choices, blank=True
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_on = models.DateField("提名日期")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提名人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the reviewer approved (cash + goods at approval): the payment may not exceed it.
    approved_total = models.DecimalField("批准金额（元）", null=True, blank=True, **MONEY)
    decided_on = models.DateField("审核日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reject_reason = models.CharField("未批准理由", max_length=200, blank=True)
    paid_on = models.DateField("发放日期", null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发放经办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮扶发放"
        verbose_name_plural = "帮扶发放"
        ordering = ["-id"]
        constraints = [
            # A person is paid at most once per campaign (a rejected proposal does not count).
            models.UniqueConstraint(
                fields=["campaign", "id_number_index"],
                condition=~Q(status="rejected"),
                name="disbursement_once_per_campaign",
            ),
            # 金秋助学: a student is aided at most once a year, whichever campaign.
            models.UniqueConstraint(
                fields=["id_number_index", "year"],
                condition=Q(campaign_kind="schooling") & ~Q(status="rejected"),
                name="student_aided_once_a_year",
            ),
            models.CheckConstraint(
                condition=Q(cash__gte=0)
                & Q(goods_value__gte=0)
                & (Q(cash__gt=0) | Q(goods_value__gt=0)),
                name="disbursement_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False),
                name="disbursement_paid_has_date",
            ),
            # An approval records its amount, and no payment exceeds it: a 100.00 approval
            # cannot be paid 600.00, whatever the campaign's balance.
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"]) | Q(approved_total__isnull=False),
                name="disbursement_approval_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid")
                | Q(approved_total__gte=models.F("cash") + models.F("goods_value")),
                name="disbursement_paid_within_approval",
            ),
            models.CheckConstraint(
                condition=~Q(campaign_kind="schooling")
                | (
                    Q(category="student", admission_year__isnull=False)
                    & ~Q(school="")
                    & ~Q(student_level="")
                ),
                name="schooling_records_the_student",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status"], name="disbursement_org_status"),
            models.Index(fields=["campaign", "status"], name="disbursement_campaign_status"),
            models.Index(fields=["status", "paid_on"], name="disbursement_status_paid_on"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_mask}）· {self.campaign}"

    @property
    def total(self):
        return self.cash + self.goods_value


class WageArrearsCase(models.Model):
    """讨薪: wages owed by an employer to a group of workers, and what the union recovered."""

    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        RECOVERED = "recovered", "全部追回"
        PARTIAL = "partial", "部分追回"
        UNRECOVERED = "unrecovered", "未能追回"
        REFERRED = "referred", "移交仲裁或监察"

    RESOLVED = (Status.RECOVERED, Status.PARTIAL, Status.UNRECOVERED, Status.REFERRED)

    org = models.ForeignKey(
        Org,
        verbose_name="办理工会",
        on_delete=models.PROTECT,
        related_name="wage_cases",
        db_index=False,
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="帮扶活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wage_cases",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="欠薪单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    employer_name = models.CharField("欠薪单位名称", max_length=100)
    workers_count = models.PositiveIntegerField("涉及职工人数")
    amount_owed = models.DecimalField("欠薪金额（元）", **MONEY)
    amount_recovered = models.DecimalField("追回金额（元）", default=0, **MONEY)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField("受理日期")
    resolved_on = models.DateField("办结日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "讨薪案件"
        verbose_name_plural = "讨薪案件"
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(workers_count__gte=1), name="wage_case_has_workers"),
            models.CheckConstraint(
                condition=Q(amount_recovered__gte=0)
                & Q(amount_owed__gt=0)
                & Q(amount_recovered__lte=F("amount_owed")),
                name="wage_case_recovered_within_owed",
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolved_on__isnull=True)
                | (~Q(status="open") & Q(resolved_on__gte=F("opened_on"))),
                name="wage_case_resolved_has_date",
            ),
        ]
        indexes = [models.Index(fields=["org", "resolved_on"], name="wage_case_org_resolved")]

    def __str__(self) -> str:
        return f"{self.employer_name} {self.opened_on}"


class WageArrearsWorker(Person):
    """A worker of a wage-arrears case, where the union knows who they are."""

    case = models.ForeignKey(
        WageArrearsCase, verbose_name="讨薪案件", on_delete=models.CASCADE, related_name="workers"
    )
    amount = models.DecimalField("追回金额（元）", null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = "讨薪职工"
        verbose_name_plural = "讨薪职工"
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "id_number_index"], name="wage_worker_once_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_mask}）"


class SafeReturnTrip(models.Model):
    """平安返乡: one trip of migrant workers sent home by a union."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="帮扶活动", on_delete=models.PROTECT, related_name="trips"
    )
    org = models.ForeignKey(
        Org,
        verbose_name="组织单位",
        on_delete=models.PROTECT,
        related_name="safe_return_trips",
        db_index=False,
    )
    trip_date = models.DateField("发车日期")
    workers_sent = models.PositiveIntegerField("送返农民工人数")
    destination = models.CharField("目的地", max_length=100, blank=True)
    vehicles = models.PositiveSmallIntegerField("车辆数", default=0)
    cost = models.DecimalField("费用（元）", default=0, **MONEY)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "平安返乡"
        verbose_name_plural = "平安返乡"
        ordering = ["-trip_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(workers_sent__gte=1), name="trip_sends_workers"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="trip_cost_not_negative"),
        ]
        indexes = [models.Index(fields=["org", "trip_date"], name="trip_org_date")]

    def __str__(self) -> str:
        return f"{self.org} {self.trip_date} {self.workers_sent}人"
