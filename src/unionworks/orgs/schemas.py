"""What the orgs API reads and writes. Related records travel as ids."""

import datetime as dt

from ninja import Field, Schema

from unionworks.core.api import bounded_by
from unionworks.core.numbers import schema_bounds
from unionworks.core.scoping import is_in_subtree
from unionworks.orgs.models import Org, OrgEvent, Unit


class OrgOut(Schema):
    id: int
    name: str
    kind: Org.Kind
    kind_display: str
    form: str = Field(
        description="组织形式：single 独立基层工会 / joint 联合基层工会 / regional 区域性 / industry 行业性工会联合会；其他组织为空"
    )
    parent: int | None = Field(description="上级组织编号；不在本账号范围内时为空")
    depth: int
    region_code: str
    founded_on: dt.date | None
    dissolved_on: dt.date | None
    address: str
    chair: str
    phone: str

    @staticmethod
    def resolve_kind_display(obj: Org) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_parent(obj: Org, context) -> int | None:
        # The parent of the account's own root is outside its subtree: don't name it.
        parent = obj.parent
        if parent is None or not is_in_subtree(parent, context["request"].auth):
            return None
        return parent.pk


class SubtreeCounts(Schema):
    orgs: int = Field(description="下级工会组织数（不含本级）")
    grassroots: int = Field(description="其中基层工会数")
    units: int = Field(description="所辖单位数")


class OrgDetailOut(OrgOut):
    counts: SubtreeCounts


class UnitOut(Schema):
    id: int
    name: str
    credit_code: str
    ownership: Unit.Ownership
    ownership_display: str
    industry: Unit.Industry
    industry_display: str
    region_code: str
    org: int
    org_name: str
    union: int | None
    union_name: str | None
    covered_since: dt.date | None
    established_on: dt.date | None
    closed_on: dt.date | None
    employees: int
    migrant_workers: int
    women_workers: int
    address: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_ownership_display(obj: Unit) -> str:
        return obj.get_ownership_display()

    @staticmethod
    def resolve_industry_display(obj: Unit) -> str:
        return obj.get_industry_display()

    @staticmethod
    def resolve_org(obj: Unit) -> int:
        return obj.org_id

    @staticmethod
    def resolve_org_name(obj: Unit) -> str:
        return obj.org.name

    @staticmethod
    def resolve_union(obj: Unit) -> int | None:
        return obj.union_id

    @staticmethod
    def resolve_union_name(obj: Unit) -> str | None:
        return obj.union.name if obj.union_id else None


@bounded_by(Unit)
class UnitIn(Schema):
    """A whole unit, for create (POST) and replace (PUT).

    ``credit_code`` and ``name`` are checked by the service so that the answer names
    the exact fault in Chinese (length, characters, check character).
    """

    name: str = Field(description="单位名称")
    credit_code: str = Field(description="统一社会信用代码（18位）")
    ownership: Unit.Ownership = Field(description="经济类型")
    industry: Unit.Industry = Field(description="所属行业（GB/T 4754 门类）")
    region_code: str = Field("", max_length=6, description="行政区划代码")
    org: int = Field(description="所属组织编号（乡镇或县级工会）")
    union: int | None = Field(None, description="覆盖的基层工会编号")
    covered_since: dt.date | None = Field(
        None, description="建会(覆盖)日期；改换覆盖工会时为新覆盖的起始日期（不填为今天）"
    )
    established_on: dt.date | None = Field(
        None, description="单位成立日期；新增时不填则取建会日期或登记当天"
    )
    closed_on: dt.date | None = Field(None, description="注销日期：当天起不再计入单位数，覆盖终止")
    employees: int = Field(0, description="职工人数", **schema_bounds(Unit, "employees"))
    migrant_workers: int = Field(
        0, description="其中农民工", **schema_bounds(Unit, "migrant_workers")
    )
    women_workers: int = Field(0, description="其中女职工", **schema_bounds(Unit, "women_workers"))
    address: str = Field("", max_length=200, description="地址")


@bounded_by(Unit)
class UnitPatch(Schema):
    """Only the fields sent are changed (PATCH)."""

    name: str | None = None
    credit_code: str | None = None
    ownership: Unit.Ownership | None = None
    industry: Unit.Industry | None = None
    region_code: str | None = Field(None, max_length=6)
    org: int | None = None
    union: int | None = None
    covered_since: dt.date | None = None
    established_on: dt.date | None = None
    closed_on: dt.date | None = None
    employees: int | None = Field(None, **schema_bounds(Unit, "employees"))
    migrant_workers: int | None = Field(None, **schema_bounds(Unit, "migrant_workers"))
    women_workers: int | None = Field(None, **schema_bounds(Unit, "women_workers"))
    address: str | None = Field(None, max_length=200)


@bounded_by(Org, q="name")
class OrgFilter(Schema):
    parent: int | None = Field(None, description="只列出该组织的直属下级")
    kind: Org.Kind | None = Field(None, description="组织类型")
    q: str = Field("", description="按名称搜索")


@bounded_by(Unit, q="name")
class UnitFilter(Schema):
    """The same filters as the unit list page."""

    q: str = Field("", description="单位名称，或统一社会信用代码前缀")
    ownership: Unit.Ownership | None = Field(None, description="经济类型")
    industry: Unit.Industry | None = Field(None, description="所属行业")
    region_code: str = Field("", description="行政区划代码（前缀）")
    org: int | None = Field(None, description="所属组织编号（含其下级）")


class CoverageSpellOut(Schema):
    union: int = Field(alias="union_id")
    union_name: str = Field(alias="union.name")
    start: dt.date
    end: dt.date | None
    end_reason: str
    end_reason_display: str

    @staticmethod
    def resolve_end_reason_display(obj) -> str:
        return obj.get_end_reason_display()


@bounded_by()
class CoverageIn(Schema):
    union: int | None = Field(
        description="从该日起覆盖本单位的基层工会编号；为空表示不再有工会覆盖"
    )
    on: dt.date = Field(description="变更日期：原覆盖于当日终止，新覆盖于当日开始")


@bounded_by(Org)
class FoundUnionIn(Schema):
    name: str = Field(max_length=100, description="工会名称")
    parent: int = Field(description="上级组织编号（市、县、乡镇(街道)工会或工会联合会）")
    form: Org.Form = Field(description="组织形式")
    founded_on: dt.date = Field(description="成立日期")
    chair: str = Field("", max_length=50, description="首任工会主席")
    units: list[int] = Field(
        default_factory=list,
        description="覆盖的单位编号（独立基层工会一个，联合基层工会两个及以上）",
    )
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=30)


@bounded_by(OrgEvent)
class MoveIn(Schema):
    parent: int = Field(description="新的上级组织编号")
    on: dt.date = Field(description="调整日期")
    note: str = Field("", max_length=200, description="说明")


class OrgEventOut(Schema):
    id: int
    kind: str
    kind_display: str
    on: dt.date
    other: int | None = Field(None, alias="other_id")
    other_name: str | None = None
    from_parent: int | None = Field(None, alias="from_parent_id")
    to_parent: int | None = Field(None, alias="to_parent_id")
    note: str

    @staticmethod
    def resolve_kind_display(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_other_name(obj) -> str | None:
        return obj.other.name if obj.other_id else None
