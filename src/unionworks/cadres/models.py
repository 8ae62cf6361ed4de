"""理论武装工程 and 人才兴会工程: study and training events, the union cadre roster with its
posts as dated spells, socially recruited cadres, elections of union committees, and the
federations' arrangements for their cadres (rights mechanism, rank equivalence).

A cadre is a person keyed by 居民身份证号, sealed, blind-indexed and masked exactly as on
the member roll (core.people); viewing the number in full is the roll's logged act.

A post is a spell ``[start, end)`` like a membership spell: counts "as of" a day read the
spells open on it. One chair per union at a time is a partial unique index (one open
chair post per org); a new chair's post ends the predecessor's on the day it starts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from unionworks.core import people
from unionworks.core.fields import AsciiKeyField
from unionworks.members.models import Member
from unionworks.orgs.models import Org


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "本科"
    COLLEGE = "college", "大专"
    SECONDARY = "secondary", "中专"
    HIGH_SCHOOL = "high_school", "高中及以下"


class Cadre(people.Person):
    """工会干部: one roster record per person (the blind index is unique); ``org`` is the
    union whose roster keeps them (where their current or last post is)."""

    org = models.ForeignKey(
        Org, verbose_name="所在工会", on_delete=models.PROTECT, related_name="cadres"
    )
    member = models.ForeignKey(
        Member, verbose_name="会员", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    education = models.CharField("文化程度", max_length=12, choices=Education.choices, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "工会干部"
        verbose_name_plural = "工会干部"
        ordering = ["org__path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"], name="one_cadre_per_person")
        ]
        indexes = [models.Index(fields=["org", "name"], name="cadre_org_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_mask}）"


class Post(models.Model):
    """A cadre's post in a union, as a spell ``[start, end)``."""

    class Kind(models.TextChoices):
        CHAIR = "chair", "主席"
        VICE_CHAIR = "vice_chair", "副主席"
        MEMBER = "member", "委员"
        AUDIT = "audit", "经审委员"
        WOMEN = "women", "女职工委员"
        STAFF = "staff", "专职工作人员"

    class How(models.TextChoices):
        DIRECT = "direct", "直接选举"
        ELECTED = "elected", "选举"
        APPOINTED = "appointed", "委派"
        SOCIAL = "social", "社会化招聘"
        PROFESSIONAL = "professional", "职业化招聘"

    class EndReason(models.TextChoices):
        SUCCEEDED = "succeeded", "继任者到任"
        ELECTION = "election", "换届"
        RESIGNED = "resigned", "辞职"
        REMOVED = "removed", "免职"
        OTHER = "other", "其他"

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE,
                              related_name="posts")  # fmt: skip
    org = models.ForeignKey(Org, verbose_name="工会", on_delete=models.PROTECT,
                            related_name="cadre_posts", db_index=False)  # fmt: skip
    kind = models.CharField("职务", max_length=12, choices=Kind.choices)
    full_time = models.BooleanField("专职", default=False)
    how = models.CharField("产生方式", max_length=12, choices=How.choices)
    rank_deputy = models.BooleanField("按同级党政副职配备", default=False)
    start = models.DateField("任职日期")
    end = models.DateField("离任日期", null=True, blank=True)
    end_reason = models.CharField("离任原因", max_length=10, choices=EndReason.choices, blank=True)
    election = models.ForeignKey("Election", verbose_name="选举", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="posts")  # fmt: skip
    recruitment = models.ForeignKey("Recruitment", verbose_name="招聘", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="posts")  # fmt: skip
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    COMMITTEE = (Kind.CHAIR, Kind.VICE_CHAIR, Kind.MEMBER)

    class Meta:
        verbose_name = "干部任职"
        verbose_name_plural = "干部任职"
        ordering = ["org__path", "kind", "-start", "id"]
        constraints = [
            # One chair per union at a time: two requests cannot both seat a chair.
            models.UniqueConstraint(
                fields=["org"], condition=Q(kind="chair", end__isnull=True),
                name="one_chair_per_union",
            ),
            # A person holds one open post of a kind in a union.
            models.UniqueConstraint(
                fields=["cadre", "org", "kind"], condition=Q(end__isnull=True),
                name="one_open_post_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="post_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(rank_deputy=False) | Q(kind="chair"), name="rank_deputy_only_chairs"
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["org", "kind", "end"], name="post_org_kind_end"),
            models.Index(fields=["start"], name="post_start"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.get_kind_display()} {self.cadre.name}"


class StudySeries(models.Model):
    """A recurring event (每月一次专家讲座, 每月一次义务劳动): its sessions are StudyEvents
    planned one per month and checked off when held."""

    org = models.ForeignKey(Org, verbose_name="主办工会", on_delete=models.PROTECT,
                            related_name="study_series")  # fmt: skip
    kind = models.CharField("类型", max_length=12)
    theme = models.CharField("主题", max_length=200)
    first_date = models.DateField("首次日期")
    last_date = models.DateField("末次日期")
    hours = models.DecimalField("每次学时", max_digits=5, decimal_places=1)
    venue = models.CharField("地点", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "系列学习活动"
        verbose_name_plural = "系列学习活动"
        ordering = ["-first_date", "-id"]

    def __str__(self) -> str:
        return self.theme


class StudyEvent(models.Model):
    """学习培训活动: one event (or one session of a series)."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", "专题讲座"
        CLASS = "class", "专题培训班"
        GROUP_STUDY = "group_study", "中心组学习"
        FORUM = "forum", "研讨会/论坛"
        EXPERT = "expert", "专家讲座"
        LABOUR = "labour", "义务劳动"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        PLANNED = "planned", "计划"
        HELD = "held", "已举办"

    org = models.ForeignKey(Org, verbose_name="主办工会", on_delete=models.PROTECT,
                            related_name="study_events", db_index=False)  # fmt: skip
    series = models.ForeignKey(StudySeries, verbose_name="系列", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="sessions")  # fmt: skip
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    theme = models.CharField("主题", max_length=200)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    venue = models.CharField("地点", max_length=100, blank=True)
    teachers = models.CharField("授课人", max_length=200, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.HELD)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "学习培训活动"
        verbose_name_plural = "学习培训活动"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="study_event_dates"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="study_event_hours_positive"),
        ]
        indexes = [
            models.Index(fields=["org", "start_date"], name="study_event_org_date"),
            models.Index(fields=["start_date"], name="study_event_date"),
        ]

    def __str__(self) -> str:
        return self.theme


class Attendance(models.Model):
    """A named attendee of an event: a cadre of the roster or a member, keyed by the blind
    index of their ID number (one row per person and event), with the union they came from
    (what "cadres trained" is counted under: once per person, whatever their courses)."""

    event = models.ForeignKey(StudyEvent, verbose_name="活动", on_delete=models.CASCADE,
                              related_name="attendances")  # fmt: skip
    org = models.ForeignKey(Org, verbose_name="所在工会", on_delete=models.PROTECT,
                            related_name="+", db_index=False)  # fmt: skip
    cadre = models.ForeignKey(Cadre, verbose_name="干部", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="attendances")  # fmt: skip
    member = models.ForeignKey(Member, verbose_name="会员", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")  # fmt: skip
    person_index = AsciiKeyField("身份证号索引", max_length=32)
    name = models.CharField("姓名", max_length=50)
    id_number_mask = AsciiKeyField("身份证号", max_length=18)
    event_date = models.DateField("活动日期")  # the event's start, kept here for the counts
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "参训人员"
        verbose_name_plural = "参训人员"
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person_index"], name="attend_once_per_event"),
            models.CheckConstraint(
                condition=Q(cadre__isnull=False) | Q(member__isnull=False),
                name="attendee_is_cadre_or_member",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "event_date"], name="attendance_org_date"),
            models.Index(fields=["person_index", "event_date"], name="attendance_person"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_mask}）"


class AttendanceCount(models.Model):
    """Attendees given as a count with their union (a lecture to 300 members)."""

    event = models.ForeignKey(StudyEvent, verbose_name="活动", on_delete=models.CASCADE,
                              related_name="counts")  # fmt: skip
    org = models.ForeignKey(Org, verbose_name="所在工会", on_delete=models.PROTECT,
                            related_name="+")  # fmt: skip
    people = models.PositiveIntegerField("人数")
    event_date = models.DateField("活动日期")

    class Meta:
        verbose_name = "参加人数"
        verbose_name_plural = "参加人数"
        constraints = [
            models.UniqueConstraint(fields=["event", "org"], name="attendance_count_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.people}人"


class Recruitment(models.Model):
    """社会化工会工作者招聘: posts offered, applicants, grade; the hires are Posts."""

    org = models.ForeignKey(Org, verbose_name="招聘工会", on_delete=models.PROTECT,
                            related_name="recruitments")  # fmt: skip
    title = models.CharField("招聘名称", max_length=200)
    how = models.CharField("方式", max_length=12, choices=[
        (Post.How.SOCIAL, "社会化招聘"), (Post.How.PROFESSIONAL, "职业化招聘")])  # fmt: skip
    announced_on = models.DateField("发布日期")
    posts_offered = models.PositiveIntegerField("岗位数")
    applicants = models.PositiveIntegerField("报名人数", default=0)
    grade = models.CharField("岗位等级", max_length=50, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "工会干部招聘"
        verbose_name_plural = "工会干部招聘"
        ordering = ["-announced_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(posts_offered__gte=1), name="recruitment_posts")
        ]

    def __str__(self) -> str:
        return self.title


class Election(models.Model):
    """换届选举 of a union committee: request, the higher union's approval of the
    candidate list, the vote, the result reported and approved; then the new committee's
    posts start on the election day and the old ones end."""

    class Method(models.TextChoices):
        ASSEMBLY = "assembly", "会员大会"
        CONGRESS = "congress", "会员代表大会"

    class Status(models.TextChoices):
        REQUESTED = "requested", "已请示"
        CANDIDATES_APPROVED = "candidates_approved", "候选人已批复"
        HELD = "held", "已选举待批复"
        APPROVED = "approved", "结果已批复"

    org = models.ForeignKey(Org, verbose_name="工会", on_delete=models.PROTECT,
                            related_name="elections", db_index=False)  # fmt: skip
    status = models.CharField("状态", max_length=20, choices=Status.choices,
                              default=Status.REQUESTED)  # fmt: skip
    term_years = models.PositiveSmallIntegerField("任期（年）", default=5)
    method = models.CharField("选举方式", max_length=10, choices=Method.choices)
    members_count = models.PositiveIntegerField("会员人数")
    delegates = models.PositiveIntegerField("代表人数", default=0)
    seats = models.PositiveSmallIntegerField("应选委员数")
    direct_chair = models.BooleanField("直接选举主席", default=False)
    requested_on = models.DateField("请示日期")
    planned_on = models.DateField("拟选举日期")
    candidates_approved_on = models.DateField("候选人批复日期", null=True, blank=True)
    held_on = models.DateField("选举日期", null=True, blank=True)
    voters = models.PositiveIntegerField("到会有选举权人数", default=0)
    result_approved_on = models.DateField("结果批复日期", null=True, blank=True)
    approved_by_org = models.ForeignKey(Org, verbose_name="批复工会", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")  # fmt: skip
    next_due_on = models.DateField("下次换届日期", null=True, blank=True)
    superseded_on = models.DateField("被下次换届取代日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "换届选举"
        verbose_name_plural = "换届选举"
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(term_years__in=[3, 5]), name="election_term"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_seats"),
            # One election under way per union at a time.
            models.UniqueConstraint(
                fields=["org"], condition=~Q(status="approved"), name="one_open_election"
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status"], name="election_org_status"),
            models.Index(fields=["next_due_on"], name="election_due"),
        ]

    def __str__(self) -> str:
        return f"{self.org.name}换届选举（{self.planned_on:%Y年%m月}）"


class Candidate(people.Person):
    """A candidate on the list (委员, and the chair when elected directly), with the votes."""

    class Seat(models.TextChoices):
        CHAIR = "chair", "主席"
        VICE_CHAIR = "vice_chair", "副主席"
        MEMBER = "member", "委员"

    election = models.ForeignKey(Election, verbose_name="选举", on_delete=models.CASCADE,
                                 related_name="candidates")  # fmt: skip
    seat = models.CharField("拟任职务", max_length=12, choices=Seat.choices, default=Seat.MEMBER)
    full_time = models.BooleanField("专职", default=False)
    votes = models.PositiveIntegerField("得票数", null=True, blank=True)
    elected = models.BooleanField("当选", default=False)

    class Meta:
        verbose_name = "候选人"
        verbose_name_plural = "候选人"
        ordering = ["election", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "id_number_index"], name="candidate_once_per_election"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Arrangement(models.Model):
    """A city or county federation's arrangement for its cadres, as a dated record:
    工会干部维权机制, or the chair ranking as a deputy head (按同级党政副职配备)."""

    class Kind(models.TextChoices):
        RIGHTS = "rights", "工会干部维权机制"
        RANK = "rank", "主席按同级党政副职配备"

    org = models.ForeignKey(Org, verbose_name="工会", on_delete=models.PROTECT,
                            related_name="cadre_arrangements")  # fmt: skip
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    since = models.DateField("建立日期")
    until = models.DateField("终止日期", null=True, blank=True)
    document = models.CharField("依据文件", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    class Meta:
        verbose_name = "干部工作机制"
        verbose_name_plural = "干部工作机制"
        ordering = ["org__path", "kind", "-since"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind"], condition=Q(until__isnull=True),
                name="one_open_arrangement_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="arrangement_dates",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.org.name}{self.get_kind_display()}"
