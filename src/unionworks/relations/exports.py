"""和谐劳动关系's list exports: the collective contracts as filtered on their list (any
number of rows: written by the background export task, core.exports)."""

from django.utils import timezone

from unionworks.core.exports import ListExport, register_export
from unionworks.relations.forms import ContractFilterForm
from unionworks.relations.selectors import contracts_for


def _contract_filters(actor, query) -> dict:
    return ContractFilterForm(query).filters()


def _contract_title(actor, filters) -> str:
    return f"集体合同_{timezone.localdate().isoformat()}"


register_export(
    ListExport(
        name="contracts",
        title="集体合同",
        filters=_contract_filters,
        records=lambda actor, filters: contracts_for(actor, **filters),
        columns=[
            ("合同编号", lambda c: c.number),
            ("签订工会", lambda c: c.org.name),
            ("合同类型", lambda c: c.get_kind_display()),
            ("合同范围", lambda c: c.get_scope_display()),
            ("区域或行业", lambda c: c.region_name),
            ("企业方", lambda c: c.employer_party),
            ("签订日期", lambda c: c.signed_on),
            ("期限（年）", lambda c: c.term_years),
            ("覆盖职工人数", lambda c: c.employees_covered),
            ("其中女职工", lambda c: c.women_covered),
            ("其中农民工", lambda c: c.migrants_covered),
            ("约定工资增幅（%）", lambda c: c.wage_rise),
            ("报送日期", lambda c: c.submitted_on),
            ("生效日期", lambda c: c.effective_on),
            ("到期日期", lambda c: c.expires_on),
            ("状态", lambda c: c.state_on(timezone.localdate())),
        ],
        file_title=_contract_title,
    )
)
