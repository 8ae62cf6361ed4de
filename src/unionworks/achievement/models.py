"""建功立业工程 and 职工素质工程: competitions, proposals (合理化建议, 五小, 技术创新), "ten ones"
savings and energy-saving results, honours and model workers, nominations with their
composition rules, worker libraries, learning-organisation titles and skills training.

A person (a winner, a proposal's author, a model worker, a nominee) is a
``core.people.Person``: the 身份证号 is sealed, blind-indexed and masked exactly as the
member roll keeps it. Money is yuan to the fen (``DecimalField(14, 2)``). Every figure
the lens shows is counted from these records (achievement.indicators).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from unionworks.core import people
from unionworks.orgs.models import Org, Unit

MONEY = {"max_digits": 14, "decimal_places": 2}
SHARE = {"max_digits": 5, "decimal_places": 2}  # a percentage, 0.00–100.00
USER = settings.AUTH_USER_MODEL


class Level(models.TextChoices):
    """The level a competition, honour or title is held or awarded at."""

    NATIONAL = "national", "全国"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    GRASSROOTS = "grassroots", "基层"


# -- competitions -----------------------------------------------------------------------


class Competition(models.Model):
    """劳动竞赛 / 技能竞赛 …: run by a union (``org``), perhaps with bodies outside the union."""

    class Kind(models.TextChoices):
        LABOUR = "labour", "劳动竞赛"
        SKILLS = "skills", "技能竞赛"
        DRILL = "drill", "岗位练兵"
        CONTEST = "contest", "技术比武"
        ENERGY = "energy", "节能减排立功竞赛"
        THEME = "theme", "主题竞赛"

    # The kinds that are skills contests (职工素质工程) rather than labour competitions.
    SKILL_KINDS = ("skills", "drill", "contest")

    org = models.ForeignKey(
        Org, verbose_name="主办工会", on_delete=models.PROTECT, related_name="competitions"
    )
    kind = models.CharField("竞赛类型", max_length=10, choices=Kind.choices)
    name = models.CharField("竞赛名称", max_length=100)
    theme = models.CharField("主题", max_length=200, blank=True)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    co_organisers = models.CharField(
        "联合主办单位", max_length=200, blank=True, help_text="工会以外的主办单位，如省经委"
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    rules = models.TextField("竞赛规则", blank=True)
    created_by = models.ForeignKey(
        USER,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "竞赛"
        verbose_name_plural = "竞赛"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="competition_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["org", "name", "start_date"], name="competition_unique_per_org"
            ),
        ]
        indexes = [models.Index(fields=["org", "start_date"], name="competition_org_start")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_skills(self) -> bool:
        return self.kind in self.SKILL_KINDS


class Participation(models.Model):
    """A unit taking part in a competition, registered by the union below that covers it
    (``org``) and accepted by the organiser. Counted only once accepted."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "已报名"
        ACCEPTED = "accepted", "已确认"
        REFUSED = "refused", "未接受"

    competition = models.ForeignKey(
        Competition, verbose_name="竞赛", on_delete=models.CASCADE, related_name="participations"
    )
    org = models.ForeignKey(
        Org, verbose_name="报名工会", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    unit = models.ForeignKey(
        Unit, verbose_name="参赛单位", on_delete=models.PROTECT, related_name="+"
    )
    workers = models.PositiveIntegerField("参赛职工人数")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.REGISTERED
    )
    registered_on = models.DateField("报名日期")
    registered_by = models.ForeignKey(
        USER,
        verbose_name="报名人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    decided_on = models.DateField("确认日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        USER,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # The competition's start, kept here so the figures group one table by org and date.
    start_date = models.DateField("竞赛开始日期")
    competition_kind = models.CharField("竞赛类型", max_length=10, choices=Competition.Kind.choices)

    class Meta:
        verbose_name = "参赛单位"
        verbose_name_plural = "参赛单位"
        ordering = ["competition", "id"]
        constraints = [
            # A unit is registered once per competition, whoever registers it.
            models.UniqueConstraint(fields=["competition", "unit"], name="participation_once"),
            models.CheckConstraint(condition=Q(workers__gte=1), name="participation_workers"),
        ]
        indexes = [
            models.Index(fields=["org", "start_date"], name="participation_org_start"),
            models.Index(fields=["competition", "status"], name="participation_status"),
        ]

    def __str__(self) -> str:
        return f"{self.competition} · {self.unit}"


class Team(models.Model):
    """A team entered in a competition (班组, 代表队)."""

    competition = models.ForeignKey(
        Competition, verbose_name="竞赛", on_delete=models.CASCADE, related_name="teams"
    )
    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("队名", max_length=100)
    members = models.PositiveIntegerField("队员人数", default=1)

    class Meta:
        verbose_name = "参赛队"
        verbose_name_plural = "参赛队"
        ordering = ["competition", "name"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="team_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class Reward(models.TextChoices):
    MEDAL = "medal", "奖章"
    GRADE = "grade", "技术等级晋升"
    MONEY = "money", "奖金"
    CERTIFICATE = "certificate", "荣誉证书"


class Winner(people.Person):
    """A person placed in a competition: rank and reward (a medal, a skill grade, money)."""

    competition = models.ForeignKey(
        Competition, verbose_name="竞赛", on_delete=models.CASCADE, related_name="winners"
    )
    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField("名次")
    reward = models.CharField("奖励", max_length=12, choices=Reward.choices)
    prize = models.DecimalField("奖金（元）", default=0, **MONEY)
    promoted_grade = models.CharField("晋升等级", max_length=20, blank=True)
    awarded_on = models.DateField("表彰日期")

    class Meta:
        verbose_name = "获奖职工"
        verbose_name_plural = "获奖职工"
        ordering = ["competition", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "id_number_index"], name="winner_once_per_competition"
            ),
            models.CheckConstraint(condition=Q(prize__gte=0), name="winner_prize_not_negative"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="winner_rank_positive"),
        ]
        indexes = [models.Index(fields=["org", "awarded_on"], name="winner_org_awarded")]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_mask}）"


class TeamResult(models.Model):
    """A team placed in a competition."""

    competition = models.ForeignKey(
        Competition, verbose_name="竞赛", on_delete=models.CASCADE, related_name="team_results"
    )
    team = models.OneToOneField(
        Team, verbose_name="参赛队", on_delete=models.CASCADE, related_name="result"
    )
    rank = models.PositiveSmallIntegerField("名次")
    reward = models.CharField("奖励", max_length=12, choices=Reward.choices)
    prize = models.DecimalField("奖金（元）", default=0, **MONEY)
    awarded_on = models.DateField("表彰日期")

    class Meta:
        verbose_name = "获奖队"
        verbose_name_plural = "获奖队"
        ordering = ["competition", "rank"]
        constraints = [
            models.CheckConstraint(condition=Q(prize__gte=0), name="team_prize_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.team} 第{self.rank}名"


# -- proposals, 五小 and innovations ------------------------------------------------------


class Proposal(models.Model):
    """合理化建议 / 五小 / 技术创新 and its review, each step dated and by whom."""

    class Category(models.TextChoices):
        PROPOSAL = "proposal", "合理化建议"
        INVENTION = "invention", "小发明"
        INNOVATION = "innovation", "小革新"
        DESIGN = "design", "小设计"
        SUGGESTION = "suggestion", "小建议"
        KNACK = "knack", "小窍门"
        TECHNICAL = "technical", "技术创新"
        PROCESS = "process", "工艺创新"
        PRODUCT = "product", "产品创新"
        METHOD = "method", "操作法创新"

    INNOVATIONS = ("technical", "process", "product", "method")

    class Status(models.TextChoices):
        PROPOSED = "proposed", "已提出"
        DEPT_REVIEWED = "dept_reviewed", "部门初审通过"
        COMMITTEE_REVIEWED = "committee_reviewed", "评审委员会已评审"
        ADOPTED = "adopted", "已采纳"
        NOT_ADOPTED = "not_adopted", "不采纳"
        IMPLEMENTED = "implemented", "已实施"
        REWARDED = "rewarded", "已奖励"

    org = models.ForeignKey(
        Org,
        verbose_name="所属工会",
        on_delete=models.PROTECT,
        related_name="proposals",
        db_index=False,
    )
    # No index of its own: the unique (unit, number) leads with it.
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    number = models.CharField("建议编号", max_length=30)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    title = models.CharField("题目", max_length=200)
    status_quo = models.TextField("现状", blank=True)
    measure = models.TextField("建议措施", blank=True)
    estimated_value = models.DecimalField("预计创造价值（元）", default=0, **MONEY)
    estimated_savings = models.DecimalField("预计节约（元）", default=0, **MONEY)
    confirmed_value = models.DecimalField("确认创造价值（元）", default=0, **MONEY)
    confirmed_savings = models.DecimalField("确认节约（元）", default=0, **MONEY)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    authors_count = models.PositiveSmallIntegerField("提出人数", default=1)
    proposed_on = models.DateField("提出日期")
    proposed_by = models.ForeignKey(
        USER,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    dept_reviewed_on = models.DateField("部门初审日期", null=True, blank=True)
    dept_reviewed_by = models.ForeignKey(
        USER,
        verbose_name="初审人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    dept_opinion = models.CharField("初审意见", max_length=200, blank=True)
    committee_reviewed_on = models.DateField("评审日期", null=True, blank=True)
    committee_reviewed_by = models.ForeignKey(
        USER,
        verbose_name="评审人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    decided_on = models.DateField("采纳决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        USER,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    decision_note = models.CharField("决定说明", max_length=200, blank=True)
    implemented_on = models.DateField("实施日期", null=True, blank=True)
    implemented_by = models.ForeignKey(
        USER,
        verbose_name="实施登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    rewarded_on = models.DateField("奖励日期", null=True, blank=True)
    rewarded_by = models.ForeignKey(
        USER,
        verbose_name="奖励登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    reward_amount = models.DecimalField("奖励金额（元）", default=0, **MONEY)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "合理化建议"
        verbose_name_plural = "合理化建议"
        ordering = ["-proposed_on", "-id"]
        constraints = [
            # A unit's numbering is its own: the same list uploaded again changes nothing.
            models.UniqueConstraint(fields=["unit", "number"], name="proposal_number_per_unit"),
            models.CheckConstraint(
                condition=Q(estimated_value__gte=0)
                & Q(estimated_savings__gte=0)
                & Q(confirmed_value__gte=0)
                & Q(confirmed_savings__gte=0)
                & Q(reward_amount__gte=0),
                name="proposal_money_not_negative",
            ),
            # Each step comes after the one before it.
            models.CheckConstraint(
                condition=(
                    Q(dept_reviewed_on__isnull=True) | Q(dept_reviewed_on__gte=F("proposed_on"))
                )
                & (Q(decided_on__isnull=True) | Q(decided_on__gte=F("proposed_on")))
                & (Q(implemented_on__isnull=True) | Q(implemented_on__gte=F("decided_on")))
                & (Q(rewarded_on__isnull=True) | Q(rewarded_on__gte=F("implemented_on"))),
                name="proposal_steps_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "proposed_on"], name="proposal_org_proposed"),
            models.Index(fields=["org", "status"], name="proposal_org_status"),
            models.Index(fields=["proposed_on"], name="proposal_proposed_on"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_adopted(self) -> bool:
        return self.status in (self.Status.ADOPTED, self.Status.IMPLEMENTED, self.Status.REWARDED)


class ProposalAuthor(people.Person):
    """One of a proposal's authors. ``org`` and ``proposed_on`` repeat the proposal's so
    "workers making proposals" is one grouped count over this table."""

    # No index of its own: the unique (proposal, id_number_index) leads with it.
    proposal = models.ForeignKey(
        Proposal,
        verbose_name="建议",
        on_delete=models.CASCADE,
        related_name="authors",
        db_index=False,
    )
    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    proposed_on = models.DateField("提出日期")

    class Meta:
        verbose_name = "建议提出人"
        verbose_name_plural = "建议提出人"
        ordering = ["proposal", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "id_number_index"], name="proposal_author_once"
            )
        ]
        indexes = [models.Index(fields=["org", "proposed_on"], name="author_org_proposed")]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_mask}）"


class ProposalScore(models.Model):
    """评审委员会评分表: four parts, each out of its maximum; the total decides nothing on
    its own (the committee then adopts or not) but is kept with the proposal."""

    class ValueBand(models.TextChoices):
        """经济效益 by the value created a year: the band caps the economic score."""

        UNDER_10K = "under_10k", "1万元以下"
        TO_100K = "to_100k", "1万—10万元"
        TO_1M = "to_1m", "10万—100万元"
        OVER_1M = "over_1m", "100万元以上"

    proposal = models.OneToOneField(
        Proposal, verbose_name="建议", on_delete=models.CASCADE, related_name="score"
    )
    technical = models.PositiveSmallIntegerField("技术水平（满分30）")
    value_band = models.CharField("经济效益档次", max_length=10, choices=ValueBand.choices)
    economic = models.PositiveSmallIntegerField("经济效益（满分40）")
    scope = models.PositiveSmallIntegerField("推广范围（满分15）")
    practicality = models.PositiveSmallIntegerField("实用性（满分15）")
    total = models.PositiveSmallIntegerField("总分")
    reviewed_on = models.DateField("评审日期")
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name="评审人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    opinion = models.CharField("评审意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "评审评分"
        verbose_name_plural = "评审评分"
        constraints = [
            models.CheckConstraint(
                condition=Q(technical__lte=30)
                & Q(economic__lte=40)
                & Q(scope__lte=15)
                & Q(practicality__lte=15)
                & Q(total=F("technical") + F("economic") + F("scope") + F("practicality")),
                name="proposal_score_bounds",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} {self.total}分"


# -- "ten ones" savings and energy saving -------------------------------------------------


class SavingsResult(models.Model):
    """A unit's 十个一 节约 or 节能减排 results for a period: the measures and the value
    confirmed."""

    class Kind(models.TextChoices):
        TEN_ONES = "ten_ones", "十个一节约"
        ENERGY = "energy", "节能减排"

    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    competition = models.ForeignKey(
        Competition,
        verbose_name="所属竞赛",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    period_start = models.DateField("期间开始")
    period_end = models.DateField("期间结束")
    measures = models.TextField("措施", blank=True)
    value = models.DecimalField("确认节约价值（元）", **MONEY)
    energy_saved_tce = models.DecimalField(
        "节能量（吨标准煤）", max_digits=12, decimal_places=2, default=0
    )
    confirmed_on = models.DateField("确认日期")
    created_by = models.ForeignKey(
        USER,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = "节约成果"
        verbose_name_plural = "节约成果"
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "period_start", "period_end"],
                name="savings_once_per_period",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="savings_value_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="savings_period_order"
            ),
        ]
        indexes = [models.Index(fields=["org", "period_end"], name="savings_org_end")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.period_start}—{self.period_end}"


# -- honours, model workers and nominations ----------------------------------------------


class HonourKind(models.TextChoices):
    MAY_DAY_MEDAL = "may_day_medal", "五一劳动奖章"
    MAY_DAY_AWARD = "may_day_award", "五一劳动奖状"
    VANGUARD = "vanguard", "工人先锋号"
    MODEL_WORKER = "model_worker", "劳动模范"
    ADVANCED_WORKER = "advanced_worker", "先进工作者"
    INNOVATION_EXPERT = "innovation_expert", "技术创新能手"
    INNOVATION_RESULT = "innovation_result", "职工职业技术创新成果"
    SKILLS_EXPERT = "skills_expert", "技术能手"


class ModelWorker(people.Person):
    """劳模（先进人物）档案: job, income, 荣誉津贴, health checks and rest leave, reviewed
    every year."""

    class JobStatus(models.TextChoices):
        WORKING = "working", "在岗"
        LAID_OFF = "laid_off", "下岗失业"
        RETIRED = "retired", "退休"
        DECEASED = "deceased", "已故"

    org = models.ForeignKey(
        Org, verbose_name="管理工会", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    job_status = models.CharField("在职状况", max_length=10, choices=JobStatus.choices)
    monthly_income = models.DecimalField("月收入（元）", **MONEY)
    allowance = models.DecimalField("荣誉津贴（元/月）", default=0, **MONEY)
    last_health_check_on = models.DateField("最近体检日期", null=True, blank=True)
    last_rest_leave_on = models.DateField("最近疗休养日期", null=True, blank=True)
    last_reviewed_on = models.DateField("最近年度复核日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "劳模档案"
        verbose_name_plural = "劳模档案"
        ordering = ["org", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"], name="model_worker_once"),
            models.CheckConstraint(
                condition=Q(monthly_income__gte=0) & Q(allowance__gte=0),
                name="model_worker_money_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_mask}）"


class Honour(models.Model):
    """荣誉: held by a person (their model-worker file), a unit or a team (班组)."""

    org = models.ForeignKey(
        Org, verbose_name="推荐工会", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField("荣誉", max_length=20, choices=HonourKind.choices)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年度")
    awarded_on = models.DateField("授予日期")
    awarding_body = models.CharField("授予机关", max_length=100)
    person = models.ForeignKey(
        ModelWorker,
        verbose_name="个人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team_name = models.CharField("班组名称", max_length=100, blank=True)

    class Meta:
        verbose_name = "荣誉"
        verbose_name_plural = "荣誉"
        ordering = ["-awarded_on", "-id"]
        constraints = [
            # One holder: a person, or a unit (with a team's name when a 班组 holds it).
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True, team_name="")
                | Q(person__isnull=True, unit__isnull=False),
                name="honour_one_holder",
            )
        ]
        indexes = [models.Index(fields=["org", "awarded_on"], name="honour_org_awarded")]

    def __str__(self) -> str:
        return f"{self.holder()} {self.get_level_display()}{self.get_kind_display()}"

    def holder(self) -> str:
        if self.person_id:
            return str(self.person)
        return f"{self.unit}{' ' + self.team_name if self.team_name else ''}"


class ModelWorkerReview(models.Model):
    """年度复核 of a model worker's file."""

    worker = models.ForeignKey(
        ModelWorker, verbose_name="劳模", on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField("年度")
    reviewed_on = models.DateField("复核日期")
    job_status = models.CharField("在职状况", max_length=10, choices=ModelWorker.JobStatus.choices)
    monthly_income = models.DecimalField("月收入（元）", **MONEY)
    in_hardship = models.BooleanField("生活困难", default=False)
    note = models.CharField("复核意见", max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = "劳模年度复核"
        verbose_name_plural = "劳模年度复核"
        ordering = ["worker", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "year"], name="model_worker_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.year}年度复核"


class NominationRound(models.Model):
    """推荐评选: a quota and the composition rules the federation sets for one honour."""

    org = models.ForeignKey(
        Org, verbose_name="组织工会", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("荣誉", max_length=20, choices=HonourKind.choices)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("名称", max_length=100)
    quota = models.PositiveIntegerField("名额")
    min_frontline_share = models.DecimalField(
        "一线职工和专业技术人员不少于（%）", default=0, **SHARE
    )
    min_migrant_share = models.DecimalField("农民工不少于（%）", default=0, **SHARE)
    max_head_share = models.DecimalField("单位负责人不超过（%）", default=100, **SHARE)
    deadline = models.DateField("截止日期")

    class Meta:
        verbose_name = "推荐评选"
        verbose_name_plural = "推荐评选"
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_frontline_share__lte=100)
                & Q(min_migrant_share__lte=100)
                & Q(max_head_share__lte=100)
                & Q(min_frontline_share__gte=0)
                & Q(min_migrant_share__gte=0)
                & Q(max_head_share__gte=0),
                name="nomination_shares_bounded",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Nomination(people.Person):
    """A person on a union's nomination list for a round (推荐名单)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "拟推荐"
        SUBMITTED = "submitted", "已报送"

    round = models.ForeignKey(
        NominationRound,
        verbose_name="推荐评选",
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    org = models.ForeignKey(
        Org, verbose_name="推荐工会", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    frontline = models.BooleanField("一线职工或专业技术人员", default=False)
    migrant = models.BooleanField("农民工", default=False)
    unit_head = models.BooleanField("单位负责人", default=False)
    deeds = models.TextField("主要事迹", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField("报送日期", null=True, blank=True)

    class Meta:
        verbose_name = "推荐对象"
        verbose_name_plural = "推荐对象"
        ordering = ["round", "org", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "id_number_index"], name="nominated_once")
        ]


# -- worker libraries, learning organisations, training -------------------------------------


class WorkerLibrary(models.Model):
    """职工书屋."""

    class LibraryLevel(models.TextChoices):
        NATIONAL = "national", "全国示范"
        PROVINCE = "province", "省级"
        GRASSROOTS = "grassroots", "基层"

    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField("名称", max_length=100)
    level = models.CharField("级别", max_length=10, choices=LibraryLevel.choices)
    books = models.PositiveIntegerField("藏书（册）")
    area = models.DecimalField("面积（平方米）", max_digits=8, decimal_places=1)
    opened_on = models.DateField("开放日期")

    class Meta:
        verbose_name = "职工书屋"
        verbose_name_plural = "职工书屋"
        ordering = ["org", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="library_name_per_org"),
            models.CheckConstraint(condition=Q(area__gt=0), name="library_area_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class BookDelivery(models.Model):
    """送书: books delivered to a library (they add to its stock)."""

    library = models.ForeignKey(
        WorkerLibrary, verbose_name="职工书屋", on_delete=models.CASCADE, related_name="deliveries"
    )
    delivered_on = models.DateField("送达日期")
    books = models.PositiveIntegerField("册数")
    donor = models.CharField("赠送方", max_length=100, blank=True)

    class Meta:
        verbose_name = "送书"
        verbose_name_plural = "送书"
        ordering = ["-delivered_on"]
        constraints = [models.CheckConstraint(condition=Q(books__gte=1), name="delivery_books")]

    def __str__(self) -> str:
        return f"{self.library} {self.delivered_on} {self.books}册"


class LearningTitle(models.Model):
    """创建学习型组织 / 争做知识型职工: a title won by a unit in a year."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "学习型组织"
        KNOWLEDGE_WORKER = "knowledge_worker", "知识型职工先进集体"

    org = models.ForeignKey(
        Org, verbose_name="所属工会", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("称号", max_length=20, choices=Kind.choices)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年度")
    awarded_on = models.DateField("命名日期")

    class Meta:
        verbose_name = "学习型组织称号"
        verbose_name_plural = "学习型组织称号"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "level", "year"], name="title_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.get_kind_display()}"


class TrainingCourse(models.Model):
    """职工技能培训班: how many trained, how many of them rose a skill grade."""

    org = models.ForeignKey(
        Org, verbose_name="举办工会", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("培训班名称", max_length=100)
    trade = models.CharField("工种", max_length=50, blank=True)
    start_date = models.DateField("开班日期")
    end_date = models.DateField("结业日期")
    trainees = models.PositiveIntegerField("培训人数")
    promoted = models.PositiveIntegerField("晋升技术等级人数", default=0)

    class Meta:
        verbose_name = "技能培训班"
        verbose_name_plural = "技能培训班"
        ordering = ["-end_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="course_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(promoted__lte=F("trainees")), name="course_promoted_within_trainees"
            ),
        ]
        indexes = [models.Index(fields=["org", "end_date"], name="course_org_end")]

    def __str__(self) -> str:
        return self.name
