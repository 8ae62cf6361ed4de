from django.conf import settings
from django.db import models

from unionworks.core.creditcode import validate_credit_code
from unionworks.core.scoping import subtree_filter


class Org(models.Model):
    """工会组织: a node of the union tree, from the provincial federation to a grassroots union."""

    class Kind(models.TextChoices):
        PROVINCE = "province", "省总工会"
        CITY = "city", "市总工会"
        COUNTY = "county", "县(市、区)总工会"
        TOWNSHIP = "township", "乡镇(街道)工会"
        FEDERATION = "federation", "区域/行业工会联合会"
        GRASSROOTS = "grassroots", "基层工会"

    class Form(models.TextChoices):
        """组织形式 of a grassroots union or federation (组建工会 asks for it)."""

        SINGLE = "single", "独立基层工会"
        JOINT = "joint", "联合基层工会"
        REGIONAL = "regional", "区域性工会联合会"
        INDUSTRY = "industry", "行业性工会联合会"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, db_index=True)
    form = models.CharField("组织形式", max_length=10, choices=Form.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path: the ids of the ancestors and this node, 8 digits each.
    path = models.CharField("路径", max_length=96, unique=True, editable=False)
    region_code = models.CharField("行政区划代码", max_length=6, blank=True, db_index=True)
    founded_on = models.DateField("建会日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    chair = models.CharField("工会主席", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "工会组织"
        verbose_name_plural = "工会组织"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return len(self.path) // 8

    def subtree(self):
        return Org.objects.filter(**subtree_filter(self.path))

    def ancestors(self):
        """From the root down to the parent, in order."""
        prefixes = [self.path[: i * 8] for i in range(1, self.depth)]
        return Org.objects.filter(path__in=prefixes).order_by("path")


class Unit(models.Model):
    """单位 / 法人单位: an employer, covered by a grassroots union or not."""

    class Ownership(models.TextChoices):
        STATE = "state", "国有"
        COLLECTIVE = "collective", "集体"
        PRIVATE = "private", "私营"
        FOREIGN = "foreign", "外商投资"
        HMT = "hmt", "港澳台投资"
        INDIVIDUAL = "individual", "个体"
        PUBLIC_INSTITUTION = "institution", "事业单位"
        SOCIAL_ORG = "social", "社会组织"

    class Industry(models.TextChoices):
        # GB/T 4754-2017 sections
        A = "A", "农、林、牧、渔业"
        B = "B", "采矿业"
        C = "C", "制造业"
        D = "D", "电力、热力、燃气及水生产和供应业"
        E = "E", "建筑业"
        F = "F", "批发和零售业"
        G = "G", "交通运输、仓储和邮政业"
        H = "H", "住宿和餐饮业"
        I = "I", "信息传输、软件和信息技术服务业"  # noqa: E741
        J = "J", "金融业"
        K = "K", "房地产业"
        L = "L", "租赁和商务服务业"
        M = "M", "科学研究和技术服务业"
        N = "N", "水利、环境和公共设施管理业"
        O = "O", "居民服务、修理和其他服务业"  # noqa: E741
        P = "P", "教育"
        Q = "Q", "卫生和社会工作"
        R = "R", "文化、体育和娱乐业"
        S = "S", "公共管理、社会保障和社会组织"
        T = "T", "国际组织"

    name = models.CharField("单位名称", max_length=100, db_index=True)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code]
    )
    ownership = models.CharField(
        "经济类型", max_length=12, choices=Ownership.choices, db_index=True
    )
    industry = models.CharField("所属行业", max_length=1, choices=Industry.choices, db_index=True)
    region_code = models.CharField("行政区划代码", max_length=6, blank=True, db_index=True)
    # The union organisation that registers this unit (a township or county): scoping goes through it.
    org = models.ForeignKey(
        Org, verbose_name="所属组织", on_delete=models.PROTECT, related_name="units"
    )
    # The grassroots union covering it, if any; one 联合基层工会 may cover many units.
    union = models.ForeignKey(
        Org,
        verbose_name="覆盖的基层工会",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="covered_units",
    )
    # ``union`` and ``covered_since`` mirror the open coverage spell (fast scoped lists);
    # every figure as of a date reads the spells (``CoverageSpell``).
    covered_since = models.DateField("建会(覆盖)日期", null=True, blank=True)
    established_on = models.DateField("单位成立日期", null=True, blank=True)
    closed_on = models.DateField("注销日期", null=True, blank=True)
    employees = models.PositiveIntegerField("职工人数", default=0)
    migrant_workers = models.PositiveIntegerField("其中农民工", default=0)
    women_workers = models.PositiveIntegerField("其中女职工", default=0)
    address = models.CharField("地址", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(migrant_workers__lte=models.F("employees")),
                name="unit_migrants_within_employees",
            ),
            models.CheckConstraint(
                condition=models.Q(women_workers__lte=models.F("employees")),
                name="unit_women_within_employees",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(established_on__isnull=True)
                | models.Q(closed_on__gt=models.F("established_on")),
                name="unit_closed_after_established",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CoverageSpell(models.Model):
    """A unit covered by one grassroots union over ``[start, end)``: moving a unit to
    another union ends one spell and starts the next on the same day, so every past
    date keeps the union that covered it then."""

    class EndReason(models.TextChoices):
        MOVED = "moved", "改由其他工会覆盖"
        MERGED = "merged", "工会合并"
        DISSOLVED = "dissolved", "工会撤销"
        CLOSED = "closed", "单位注销"
        ENDED = "ended", "不再覆盖"

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="coverage_spells"
    )
    union = models.ForeignKey(
        Org, verbose_name="覆盖的基层工会", on_delete=models.PROTECT, related_name="coverage_spells"
    )
    start = models.DateField("起始日期")
    end = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终因", max_length=10, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = "单位覆盖记录"
        verbose_name_plural = "单位覆盖记录"
        ordering = ["unit", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(end__isnull=True), name="coverage_one_open"
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="coverage_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["union", "start"], name="coverage_union_start")]

    def __str__(self) -> str:
        return f"{self.unit_id}→{self.union_id} [{self.start}, {self.end or ''})"


class OrgEvent(models.Model):
    """A dated event of the tree's history, shown on the org's history page. A move
    (隶属关系调整) is also what the figures read to see the tree as it stood on a past date."""

    class Kind(models.TextChoices):
        FOUNDED = "founded", "组建"
        DISSOLVED = "dissolved", "撤销"
        MERGED_INTO = "merged_into", "并入其他工会"
        ABSORBED = "absorbed", "合并接收"
        MOVED = "moved", "隶属关系调整"

    org = models.ForeignKey(
        Org, verbose_name="工会组织", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=12, choices=Kind.choices)
    on = models.DateField("日期")
    # The other union of a merge; for a move, the parent before and after.
    other = models.ForeignKey(
        Org,
        verbose_name="相关工会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_parent = models.ForeignKey(
        Org,
        verbose_name="原上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_parent = models.ForeignKey(
        Org,
        verbose_name="新上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "组织沿革"
        verbose_name_plural = "组织沿革"
        ordering = ["org", "on", "id"]
        indexes = [models.Index(fields=["kind", "on"], name="orgevent_kind_on")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.kind} {self.on}"
