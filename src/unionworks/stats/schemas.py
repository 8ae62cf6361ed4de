import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from unionworks.core.api import bounded_by
from unionworks.core.numbers import schema_bounds
from unionworks.stats.models import Target


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    unit: str
    measure: str = Field(description="stock 期末存量 / flow 期间流量 / ratio 比率")
    numerator: str | None
    denominator: str | None
    money: bool
    description: str
    projects: list[str] = Field(description="在哪些工程中展示（八大工程代码）")


class ValueRowOut(Schema):
    org: int
    name: str
    kind: str
    values: dict[str, float | int | Decimal | None]


class ValuesOut(Schema):
    period: str
    period_label: str
    start: dt.date
    end: dt.date
    indicators: list[str]
    rows: list[ValueRowOut] = Field(description="第一行为所选组织（合计），其后为各下级组织")


@bounded_by(Target)
class TargetIn(Schema):
    org: int
    year: int = Field(**schema_bounds(Target, "year"))
    indicator: str
    value: Decimal = Field(
        description="目标值；比率类指标按百分数填写（90 表示 90%）",
        **schema_bounds(Target, "value"),
    )


class TargetOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    year: int
    indicator: str
    value: Decimal


class CompletionOut(Schema):
    org: int = Field(alias="org_id")
    org_name: str
    indicator: str
    indicator_name: str
    unit: str
    target: Decimal
    actual: float | int | Decimal | None
    rate: float | None
