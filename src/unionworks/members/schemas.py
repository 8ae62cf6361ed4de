"""What the members API reads and writes. Personal data travels masked unless revealed."""

import datetime as dt

from ninja import Field, Schema

from unionworks.core.api import bounded_by
from unionworks.members.models import Member, Transfer


class MemberOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: dt.date
    ethnicity: str
    education: str
    is_migrant: bool
    id_number: str = Field(alias="id_number_mask", description="脱敏身份证号")
    phone: str = Field(alias="phone_mask", description="脱敏手机号")
    card_number: str | None
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    unit: int | None = Field(alias="unit_id")
    unit_name: str | None
    status: Member.Status

    @staticmethod
    def resolve_unit_name(obj: Member) -> str | None:
        return obj.unit.name if obj.unit_id else None


class SpellOut(Schema):
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    start: dt.date
    end: dt.date | None
    start_reason: str
    end_reason: str


class MemberDetailOut(MemberOut):
    spells: list[SpellOut]

    @staticmethod
    def resolve_spells(obj: Member) -> list:
        return list(obj.spells.select_related("org").order_by("start", "id"))


@bounded_by()
class MemberFilter(Schema):
    q: str = Field(
        "",
        description="姓名、拼音首字母、脱敏身份证号或会员卡号（完整身份证号放在请求头 X-Id-Number 中）",
    )
    status: Member.Status | None = None
    org: int | None = Field(None, description="只看该组织及其下级")


@bounded_by(Member)
class JoinIn(Schema):
    org: int = Field(description="加入的基层工会编号")
    id_number: str
    name: str
    joined_on: dt.date
    unit: int | None = None
    phone: str = ""
    education: Member.Education | None = None
    ethnicity: str = ""
    is_migrant: bool = False
    card_number: str | None = None


@bounded_by()
class LeaveIn(Schema):
    on: dt.date
    death: bool = False


@bounded_by(Transfer)
class TransferIn(Schema):
    to_org: int = Field(description="转入的基层工会编号（可在本组织范围之外）")
    on: dt.date
    reason: str = ""


class TransferOut(Schema):
    id: int
    member: int = Field(alias="member_id")
    member_name: str = Field(alias="member.name")
    from_org: int = Field(alias="from_org_id")
    from_org_name: str = Field(alias="from_org.name")
    to_org: int = Field(alias="to_org_id")
    to_org_name: str = Field(alias="to_org.name")
    requested_on: dt.date
    decided_on: dt.date | None
    status: Transfer.Status
    reason: str


@bounded_by()
class AcceptIn(Schema):
    on: dt.date | None = None


@bounded_by(Transfer)
class RejectIn(Schema):
    reason: str


class RevealOut(Schema):
    id_number: str
    phone: str


class CoverageRowOut(Schema):
    org: int
    name: str
    kind: str
    grassroots_unions: int
    units: int
    units_covered: int
    coverage_rate: float | None = Field(description="建会率 = 建会单位数 / 单位数")
    members: int
    migrant_members: int
    employees_covered: int
    membership_rate: float | None = Field(description="入会率 = 会员数 / 建会单位职工数")
    fie_unions: int
    members_joined: int
    unions_founded: int


class CoverageOut(Schema):
    as_of: dt.date
    period_start: dt.date
    period_end: dt.date
    rows: list[CoverageRowOut]


@bounded_by()
class DissolveIn(Schema):
    on: dt.date = Field(description="撤销日期")
    note: str = Field("", max_length=200, description="说明")


@bounded_by()
class MergeIn(Schema):
    into: int = Field(description="并入的基层工会编号")
    on: dt.date = Field(description="合并日期：会员与覆盖单位于当日转入")
    note: str = Field("", max_length=200, description="说明")
