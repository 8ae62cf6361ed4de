"""The real-name member roll (会员) and membership spells (会籍).

A person is keyed by the blind index of their 居民身份证号; the number itself and the
phone are sealed (core.personal_data). Figures "as of" a date come from spells:
a spell covers [start, end) — on a transfer date the person counts in the receiving
union only, never in both and never in none.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from unionworks.core.fields import AsciiKeyField, ByteOrderCharField
from unionworks.core.people import PersonWithPhone
from unionworks.orgs.models import Org, Unit


class Member(PersonWithPhone):
    """A member: the person (name, sex, birth date, sealed ID number and phone: core.people)
    and their membership."""

    class Status(models.TextChoices):
        ACTIVE = "active", "在册"
        LEFT = "left", "已退会"
        DECEASED = "deceased", "已故"

    class Education(models.TextChoices):
        POSTGRADUATE = "postgraduate", "研究生"
        BACHELOR = "bachelor", "本科"
        COLLEGE = "college", "大专"
        SECONDARY = "secondary", "中专"
        HIGH_SCHOOL = "high_school", "高中"
        JUNIOR = "junior", "初中及以下"

    # Byte order: the (name, id) index serves a name search by prefix in name order, so
    # a search stops at its first page instead of walking the roll (see members.selectors).
    name = ByteOrderCharField("姓名", max_length=50)
    name_initials = AsciiKeyField("拼音首字母", max_length=20)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    education = models.CharField("文化程度", max_length=12, choices=Education.choices, blank=True)
    is_migrant = models.BooleanField("农民工", default=False)
    card_number = AsciiKeyField("会员卡号", max_length=30, null=True, blank=True)
    # The union that holds the record: the current one, or the last one after leaving.
    # Kept by the services together with the spells; scoping goes through it.
    # Indexed by (org, status) below, which serves every look-up by org alone too.
    org = models.ForeignKey(
        Org,
        verbose_name="所在工会",
        on_delete=models.PROTECT,
        related_name="members",
        db_index=False,
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="工作单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    status = models.CharField(
        "会籍状态", max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "会员"
        verbose_name_plural = "会员"
        ordering = ["id"]
        permissions = [("view_personal_data", "可查看完整身份证号和手机号")]
        # Declared here rather than with db_index/unique so PostgreSQL builds no second
        # "_like" index per column: look-ups on these are exact (blind indexes, masks).
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"], name="member_one_per_id_number"),
            models.UniqueConstraint(
                fields=["card_number"],
                condition=Q(card_number__isnull=False),
                name="member_card_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status"], name="member_org_status"),
            # Name searches: 王伟% in (name, id) order, to the page (byte order: see name).
            models.Index(fields=["name", "id"], name="member_name"),
            models.Index(fields=["id_number_mask"], name="member_id_mask"),
            models.Index(fields=["phone_index"], name="member_phone_index"),
            models.Index(fields=["name_initials", "id"], name="member_name_initials"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_mask}）"


class MembershipSpell(models.Model):
    class StartReason(models.TextChoices):
        JOIN = "join", "入会"
        TRANSFER_IN = "transfer_in", "转入"
        MERGED_IN = "merged_in", "工会合并转入"

    class EndReason(models.TextChoices):
        TRANSFER_OUT = "transfer_out", "转出"
        LEAVE = "leave", "退会"
        DEATH = "death", "去世"
        MERGED = "merged", "工会合并"

    member = models.ForeignKey(
        Member, verbose_name="会员", on_delete=models.CASCADE, related_name="spells"
    )
    # Indexed by (org, start) below, which serves every look-up by org alone too.
    org = models.ForeignKey(
        Org,
        verbose_name="工会",
        on_delete=models.PROTECT,
        related_name="spells",
        db_index=False,
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="工作单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start = models.DateField("起始日期")
    end = models.DateField("终止日期", null=True, blank=True)
    start_reason = models.CharField("起因", max_length=12, choices=StartReason.choices)
    end_reason = models.CharField("终因", max_length=12, choices=EndReason.choices, blank=True)
    # The person's 农民工 status during this spell: a fact of the spell, so counts "as of"
    # a past date keep the status of that time, and need no join to the members table.
    is_migrant = models.BooleanField("农民工", default=False, db_default=False)

    class Meta:
        verbose_name = "会籍"
        verbose_name_plural = "会籍"
        ordering = ["member", "start", "id"]
        constraints = [
            # A person is in at most one union at a time: one open spell each.
            models.UniqueConstraint(
                fields=["member"], condition=Q(end__isnull=True), name="one_open_spell_per_member"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="spell_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["org", "start"])]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.org_id} {self.start}–{self.end or ''}"


class Transfer(models.Model):
    """转会: asked by the sending union, accepted (or refused) by the receiving one."""

    class Status(models.TextChoices):
        PENDING = "pending", "待接收"
        ACCEPTED = "accepted", "已接收"
        REJECTED = "rejected", "已退回"

    member = models.ForeignKey(
        Member, verbose_name="会员", on_delete=models.CASCADE, related_name="transfers"
    )
    from_org = models.ForeignKey(
        Org, verbose_name="转出工会", on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_org = models.ForeignKey(
        Org, verbose_name="转入工会", on_delete=models.PROTECT, related_name="transfers_in"
    )
    to_unit = models.ForeignKey(
        Unit,
        verbose_name="新工作单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_on = models.DateField("申请日期")
    decided_on = models.DateField("办理日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField("说明", max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "转会"
        verbose_name_plural = "转会"
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="pending"),
                name="one_pending_transfer_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.from_org} → {self.to_org}"
