"""帮扶工程's list exports: hardship files and disbursements as filtered on their pages.
ID numbers are written masked, as the lists show them."""

from unionworks.assistance.forms import DisbursementFilterForm, FileFilterForm
from unionworks.assistance.selectors import disbursements_for, files_for
from unionworks.core.exports import ListExport, register_export


def _file_filters(actor, query) -> dict:
    return FileFilterForm(query).filters()


def _disbursement_filters(actor, query) -> dict:
    return DisbursementFilterForm(query).filters()


register_export(
    ListExport(
        name="hardship-files",
        title="困难职工档案",
        filters=_file_filters,
        records=lambda actor, filters: files_for(actor, **filters),
        columns=[
            ("姓名", lambda f: f.name),
            ("身份证号", lambda f: f.id_number_mask),
            ("建档工会", lambda f: f.org.name),
            ("帮扶中心", lambda f: f.centre.name if f.centre else ""),
            ("困难类别", lambda f: f.get_level_display()),
            ("致困原因", lambda f: "、".join(f.cause_labels())),
            ("家庭人口", lambda f: f.household_size),
            ("家庭年收入（元）", lambda f: f.household_income),
            ("家庭人均月收入（元）", lambda f: f.per_capita_income),
            ("状态", lambda f: f.get_status_display()),
            ("建档日期", lambda f: f.opened_on),
            ("最近复核日期", lambda f: f.last_reviewed_on),
            ("销档日期", lambda f: f.closed_on),
        ],
    ),
    ListExport(
        name="disbursements",
        title="帮扶发放",
        filters=_disbursement_filters,
        records=lambda actor, filters: disbursements_for(actor, **filters),
        columns=[
            ("姓名", lambda d: d.name),
            ("身份证号", lambda d: d.id_number_mask),
            ("帮扶活动", lambda d: d.campaign.name),
            ("提名单位", lambda d: d.org.name),
            ("对象类别", lambda d: d.get_category_display()),
            ("现金（元）", lambda d: d.cash),
            ("实物折款（元）", lambda d: d.goods_value),
            ("状态", lambda d: d.get_status_display()),
            ("提名日期", lambda d: d.proposed_on),
            ("审核日期", lambda d: d.decided_on),
            ("发放日期", lambda d: d.paid_on),
            ("未批准理由", lambda d: d.reject_reason),
        ],
    ),
)
