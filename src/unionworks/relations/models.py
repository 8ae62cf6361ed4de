"""和谐劳动关系建设工程: collective contracts, workers' congresses, 厂务公开, the
harmonious-enterprise assessment and labour-dispute mediation.

Every record sits at an organisation (``org``: the union that signed, holds the
congress, keeps the openness record, applied or mediates), which is what scoping and
the figures group by. Units are referred to by foreign key only.

The day rules of the filing workflow are stored as dates when the step happens, so a
figure "as of" any past day reads the records alone and never changes after the fact:

- ``filing_deadline`` = signed + 10 days (审查备案 within 10 days of signing);
- ``objection_deadline`` = submitted + 15 days; with no objection by then the contract
  is in force from the next day (``effective_on``), for its term (``expires_on``: the
  anniversary, the first day it no longer counts);
- a mediation case's ``deadline`` = accepted + 15 days.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from unionworks.orgs.models import Org, Unit

MONEY = {"max_digits": 14, "decimal_places": 2}


class Scope(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    REGIONAL = "regional", "区域性"
    INDUSTRY = "industry", "行业性"


# ---- collective contracts -------------------------------------------------------------------


class CollectiveContract(models.Model):
    """集体合同 (or 专项集体合同), signed by a union for one unit or, regional and industry
    contracts, by the regional or industry union for many."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", "综合"
        WAGE = "wage", "工资专项"
        WOMEN = "women", "女职工权益保护专项"
        SAFETY = "safety", "劳动安全卫生专项"

    class Status(models.TextChoices):
        SIGNED = "signed", "已签订待报送"
        SUBMITTED = "submitted", "已报送审查"
        OBJECTED = "objected", "有异议退回"

    org = models.ForeignKey(
        Org, verbose_name="签订工会", on_delete=models.PROTECT, related_name="collective_contracts"
    )
    number = models.CharField("合同编号", max_length=40)
    kind = models.CharField("合同类型", max_length=16, choices=Kind.choices)
    scope = models.CharField("合同范围", max_length=12, choices=Scope.choices)
    region_name = models.CharField("区域或行业", max_length=100, blank=True)
    units = models.ManyToManyField(
        Unit, through="ContractUnit", verbose_name="覆盖单位", related_name="+"
    )
    employer_party = models.CharField("企业方", max_length=100)
    union_party = models.CharField("职工方", max_length=100)
    employer_negotiator = models.CharField("企业方首席协商代表", max_length=50, blank=True)
    union_negotiator = models.CharField("职工方首席协商代表", max_length=50, blank=True)
    congress_approved_on = models.DateField("职代会通过日期", null=True, blank=True)
    congress_present = models.PositiveIntegerField("到会代表数", null=True, blank=True)
    congress_votes_for = models.PositiveIntegerField("赞成票数", null=True, blank=True)
    signed_on = models.DateField("签订日期", db_index=True)
    term_years = models.PositiveSmallIntegerField("期限（年）")
    employees_covered = models.PositiveIntegerField("覆盖职工人数")
    women_covered = models.PositiveIntegerField("其中女职工", default=0)
    migrants_covered = models.PositiveIntegerField("其中农民工", default=0)
    last_year_wage = models.DecimalField("上年职工平均工资（元）", null=True, blank=True, **MONEY)
    wage_rise = models.DecimalField(
        "约定工资增幅（%）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        "备案状态", max_length=10, choices=Status.choices, default=Status.SIGNED
    )
    filing_deadline = models.DateField("报送期限")
    first_submitted_on = models.DateField("首次报送日期", null=True, blank=True)
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    objection_deadline = models.DateField("审查期限", null=True, blank=True)
    objected_on = models.DateField("提出异议日期", null=True, blank=True)
    objection_reason = models.CharField("异议理由", max_length=300, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    expires_on = models.DateField("到期日期", null=True, blank=True)
    published_on = models.DateField("向职工公布日期", null=True, blank=True)
    renews = models.OneToOneField(
        "self",
        verbose_name="续签的合同",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewal",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "集体合同"
        verbose_name_plural = "集体合同"
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="contract_number_per_org"),
            models.CheckConstraint(
                condition=Q(term_years__gte=1, term_years__lte=3), name="contract_term_1_to_3"
            ),
            models.CheckConstraint(
                condition=Q(women_covered__lte=F("employees_covered"))
                & Q(migrants_covered__lte=F("employees_covered")),
                name="contract_covered_parts",
            ),
            models.CheckConstraint(
                condition=Q(kind="wage") | Q(wage_rise__isnull=True, last_year_wage__isnull=True),
                name="contract_wage_figures_on_wage_contracts",
            ),
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True) | Q(submitted_on__gte=F("signed_on")),
                name="contract_submitted_after_signing",
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True)
                | Q(status="submitted", expires_on__gt=F("effective_on")),
                name="contract_effective_only_when_submitted",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "-signed_on"], name="contract_org_signed"),
            models.Index(fields=["effective_on", "expires_on"], name="contract_in_force"),
            models.Index(fields=["expires_on"], name="contract_expires"),
            models.Index(fields=["status", "objection_deadline"], name="contract_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.employer_party}{self.get_kind_display()}集体合同"

    def in_force_on(self, day) -> bool:
        """In force from the day after the review period until the day before expiry."""
        return bool(self.effective_on and self.effective_on <= day and (day < self.expires_on))

    def state_on(self, day) -> str:
        """What the contract is on ``day``, in words (the list and the detail page)."""
        if self.status == self.Status.OBJECTED:
            return "有异议退回"
        if self.status == self.Status.SIGNED:
            return "逾期未报送" if day > self.filing_deadline else "待报送审查"
        if self.effective_on and day >= self.expires_on:
            return "已到期"
        if self.effective_on and day >= self.effective_on:
            return "已生效"
        return "审查中"

    @property
    def filed_late(self) -> bool | None:
        if self.first_submitted_on is None:
            return None
        return self.first_submitted_on > self.filing_deadline


class ContractUnit(models.Model):
    """A unit a contract covers: one for an enterprise contract, many for a regional or
    industry one (counted once per unit where a figure asks units)."""

    contract = models.ForeignKey(
        CollectiveContract, on_delete=models.CASCADE, related_name="covered"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "合同覆盖单位"
        verbose_name_plural = "合同覆盖单位"
        constraints = [
            models.UniqueConstraint(fields=["contract", "unit"], name="contract_unit_once")
        ]
        indexes = [models.Index(fields=["unit", "contract"], name="contract_unit_by_unit")]

    def __str__(self) -> str:
        return f"{self.contract_id}→{self.unit_id}"


# ---- workers' congresses --------------------------------------------------------------------


class WorkersCongress(models.Model):
    """职代会 of one term (届, three years by default) of a unit, or of a region's small
    units (区域职代会)."""

    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="workers_congresses"
    )
    scope = models.CharField("范围", max_length=12, choices=Scope.choices, default=Scope.ENTERPRISE)
    name = models.CharField("名称", max_length=100)
    units = models.ManyToManyField(Unit, verbose_name="单位", related_name="+", blank=True)
    term_number = models.PositiveSmallIntegerField("届次")
    term_starts_on = models.DateField("本届起始日期")
    term_ends_on = models.DateField("本届届满日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "职工代表大会"
        verbose_name_plural = "职工代表大会"
        ordering = ["-term_starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "name", "term_number"], name="congress_term_once"
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=F("term_starts_on")), name="congress_term_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}第{self.term_number}届"


class CongressSession(models.Model):
    """One session (次) of a congress term."""

    congress = models.ForeignKey(
        WorkersCongress, verbose_name="职代会", on_delete=models.CASCADE, related_name="sessions"
    )
    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField("会次")
    held_on = models.DateField("召开日期", db_index=True)
    delegates_elected = models.PositiveIntegerField("应到代表数")
    delegates_present = models.PositiveIntegerField("实到代表数")
    frontline_delegates = models.PositiveIntegerField("其中一线职工代表", default=0)
    women_delegates = models.PositiveIntegerField("其中女职工代表", default=0)
    items = models.TextField("审议事项", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "职代会会议"
        verbose_name_plural = "职代会会议"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="session_number_once"),
            models.CheckConstraint(
                condition=Q(delegates_present__lte=F("delegates_elected"))
                & Q(frontline_delegates__lte=F("delegates_elected"))
                & Q(women_delegates__lte=F("delegates_elected")),
                name="session_delegate_parts",
            ),
        ]
        indexes = [models.Index(fields=["org", "held_on"], name="session_org_held")]

    def __str__(self) -> str:
        return f"{self.congress}第{self.number}次会议"


class CongressProposal(models.Model):
    """职代会提案 and how it was handled."""

    class Status(models.TextChoices):
        FILED = "filed", "立案"
        HANDLING = "handling", "办理中"
        DONE = "done", "已办结"
        DECLINED = "declined", "不予立案"

    session = models.ForeignKey(
        CongressSession, verbose_name="会议", on_delete=models.CASCADE, related_name="proposals"
    )
    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("提案标题", max_length=200)
    proposer = models.CharField("提案人", max_length=100)
    status = models.CharField("办理状态", max_length=10, choices=Status.choices)
    # The day the status was last set (the session's day for one filed there): a change
    # is dated on or after it (services.change_proposal_status).
    status_on = models.DateField("状态日期", null=True, blank=True)
    handled_on = models.DateField("办结日期", null=True, blank=True)
    reply = models.CharField("办理答复", max_length=300, blank=True)

    class Meta:
        verbose_name = "职代会提案"
        verbose_name_plural = "职代会提案"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", handled_on__isnull=False)
                | (~Q(status="done") & Q(handled_on__isnull=True)),
                name="proposal_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title


class WorkerRepresentative(models.Model):
    """职工董事 / 职工监事 elected by the congress."""

    class Role(models.TextChoices):
        DIRECTOR = "director", "职工董事"
        SUPERVISOR = "supervisor", "职工监事"

    congress = models.ForeignKey(
        WorkersCongress,
        verbose_name="职代会",
        on_delete=models.CASCADE,
        related_name="representatives",
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=10, choices=Role.choices)
    elected_on = models.DateField("当选日期")

    class Meta:
        verbose_name = "职工董事监事"
        verbose_name_plural = "职工董事监事"
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


# ---- 厂务公开 --------------------------------------------------------------------------------

OPENNESS_ITEMS = [
    ("decisions", "企业重大决策"),
    ("operations", "生产经营"),
    ("contracts", "劳动合同与集体合同履行"),
    ("pay", "工资奖金"),
    ("insurance", "社会保险"),
    ("safety", "安全生产"),
    ("training", "职工培训"),
    ("integrity", "干部廉洁"),
]
OPENNESS_CHANNELS = [
    ("board", "公开栏"),
    ("congress", "职代会"),
    ("intranet", "内网"),
    ("wechat", "微信群"),
    ("meeting", "职工大会"),
]


class Openness(models.Model):
    """厂务公开 of a unit in a year: what was disclosed, how, and who supervises."""

    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    items = models.JSONField("公开事项", default=list)
    channels = models.JSONField("公开形式", default=list)
    supervisor = models.CharField("监督小组（负责人）", max_length=100, blank=True)
    in_assessment = models.BooleanField("纳入当地考核", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "厂务公开"
        verbose_name_plural = "厂务公开"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="openness_once_a_year")
        ]
        indexes = [models.Index(fields=["org", "year"], name="openness_org_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年厂务公开"


# ---- harmonious-enterprise assessment ---------------------------------------------------------


class ScoreSheet(models.Model):
    """The 100-point sheet of one year, which the federation edits (each year its own)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    # [{"code": "b1", "part": "basic", "name": "…", "max": "10"}, …]
    items = models.JSONField("评分项目")
    pass_mark = models.DecimalField("达标分数", max_digits=5, decimal_places=1, default=90)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "和谐企业评分表"
        verbose_name_plural = "和谐企业评分表"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年劳动关系和谐企业评分表"


class Level(models.TextChoices):
    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "全国"


class HarmonyAssessment(models.Model):
    """A unit's application as 劳动关系和谐企业 for a year, its scores and the decision."""

    class Status(models.TextChoices):
        APPLIED = "applied", "已申报"
        PASSED = "passed", "评审达标"
        FAILED = "failed", "未达标"
        NOTICE = "notice", "公示中"
        COMMENDED = "commended", "已命名表彰"

    org = models.ForeignKey(
        Org, verbose_name="申报工会", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    applied_on = models.DateField("申报日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="applied")
    scores = models.JSONField("各项得分", default=dict, blank=True)
    basic_score = models.DecimalField("基础指标得分", max_digits=5, decimal_places=1, null=True)
    system_score = models.DecimalField("建制指标得分", max_digits=5, decimal_places=1, null=True)
    effect_score = models.DecimalField("创建成效得分", max_digits=5, decimal_places=1, null=True)
    total_score = models.DecimalField("总分", max_digits=5, decimal_places=1, null=True)
    site_visit_score = models.DecimalField(
        "实地考察得分", max_digits=5, decimal_places=1, null=True, blank=True
    )
    survey_score = models.DecimalField(
        "职工满意度测评得分", max_digits=5, decimal_places=1, null=True, blank=True
    )
    scored_on = models.DateField("评审日期", null=True, blank=True)
    notice_from = models.DateField("公示开始", null=True, blank=True)
    notice_until = models.DateField("公示截止", null=True, blank=True)
    level = models.CharField("命名级别", max_length=10, choices=Level.choices, blank=True)
    commended_on = models.DateField("命名日期", null=True, blank=True, db_index=True)
    decision = models.CharField("三方决定文号", max_length=100, blank=True)

    class Meta:
        verbose_name = "劳动关系和谐企业评审"
        verbose_name_plural = "劳动关系和谐企业评审"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="assessment_once_a_year"),
            models.CheckConstraint(
                condition=Q(commended_on__isnull=True)
                | (Q(status="commended") & ~Q(level="") & Q(commended_on__gt=F("notice_until"))),
                name="assessment_commended_after_notice",
            ),
        ]
        indexes = [models.Index(fields=["org", "year"], name="assessment_org_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年和谐企业申报"


# ---- dispute mediation -----------------------------------------------------------------------


class MediationCommittee(models.Model):
    """劳动争议调解委员会 of a unit: members from both sides, chaired by the union."""

    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    chair = models.CharField("主任（工会主席）", max_length=50)
    worker_members = models.PositiveSmallIntegerField("职工代表人数")
    employer_members = models.PositiveSmallIntegerField("企业代表人数")
    established_on = models.DateField("成立日期")

    class Meta:
        verbose_name = "劳动争议调解委员会"
        verbose_name_plural = "劳动争议调解委员会"
        ordering = ["-established_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit"], name="one_committee_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit}劳动争议调解委员会"


MEDIATION_DAYS = 15


class Dispute(models.Model):
    """劳动争议调解案件; open past ``deadline`` (accepted + 15 days) it is flagged."""

    class Cause(models.TextChoices):
        WAGES = "wages", "劳动报酬"
        INSURANCE = "insurance", "社会保险"
        DISMISSAL = "dismissal", "解除终止劳动合同"
        INJURY = "injury", "工伤"
        HOURS = "hours", "工作时间与休息休假"
        OTHER = "other", "其他"

    class Outcome(models.TextChoices):
        OPEN = "open", "调解中"
        SETTLED = "settled", "调解成功"
        FAILED = "failed", "调解不成（转仲裁）"

    org = models.ForeignKey(
        Org, verbose_name="受理工会", on_delete=models.PROTECT, related_name="+"
    )
    committee = models.ForeignKey(
        MediationCommittee,
        verbose_name="调解委员会",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disputes",
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    applicants = models.PositiveIntegerField("申请人数")
    applicant_names = models.CharField("申请人", max_length=300, blank=True)
    cause = models.CharField("争议原因", max_length=10, choices=Cause.choices)
    amount_claimed = models.DecimalField("请求金额（元）", default=0, **MONEY)
    accepted_on = models.DateField("受理日期")
    deadline = models.DateField("调解期限")
    outcome = models.CharField("结果", max_length=8, choices=Outcome.choices, default="open")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    agreement_amount = models.DecimalField("协议金额（元）", default=0, **MONEY)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "劳动争议调解案件"
        verbose_name_plural = "劳动争议调解案件"
        ordering = ["-accepted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(applicants__gte=1), name="dispute_applicants"),
            models.CheckConstraint(
                condition=Q(outcome="open", closed_on__isnull=True)
                | (~Q(outcome="open") & Q(closed_on__gte=F("accepted_on"))),
                name="dispute_closed_after_accepted",
            ),
            models.CheckConstraint(
                condition=Q(agreement_amount__gte=0) & Q(amount_claimed__gte=0),
                name="dispute_amounts_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "accepted_on"], name="dispute_org_accepted"),
            models.Index(fields=["outcome", "deadline"], name="dispute_open_deadline"),
            models.Index(fields=["closed_on"], name="dispute_closed"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_cause_display()}争议（{self.accepted_on}）"

    def overdue_on(self, day) -> bool:
        """Still open after the 15-day limit."""
        return day > self.deadline and (self.closed_on is None or self.closed_on > day)
