"""The unit register's export (单位名录): the units list as filtered on its page."""

from unionworks.core.exports import ListExport, register_export
from unionworks.orgs.forms import UnitFilterForm
from unionworks.orgs.selectors import units_for


def _filters(actor, query) -> dict:
    return UnitFilterForm(query).filters()


def _records(actor, filters: dict):
    return units_for(actor, **filters)


register_export(
    ListExport(
        name="units",
        title="单位名录",
        filters=_filters,
        records=_records,
        columns=[
            ("单位名称", lambda u: u.name),
            ("统一社会信用代码", lambda u: u.credit_code),
            ("经济类型", lambda u: u.get_ownership_display()),
            ("所属行业", lambda u: u.get_industry_display()),
            ("行政区划代码", lambda u: u.region_code),
            ("所属组织", lambda u: u.org.name),
            ("所在基层工会", lambda u: u.union.name if u.union else ""),
            ("建会(覆盖)日期", lambda u: u.covered_since),
            ("单位成立日期", lambda u: u.established_on),
            ("职工人数", lambda u: u.employees),
            ("其中农民工", lambda u: u.migrant_workers),
            ("其中女职工", lambda u: u.women_workers),
            ("地址", lambda u: u.address),
        ],
    )
)
