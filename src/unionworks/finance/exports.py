"""实力强会工程's list exports: the ledger of an org and year (经费台账) and the arrears list
(欠缴工会经费清单), as their pages show them, written as .xlsx by the background export task
(core.exports). Their pages' query: ``org`` (in the account's subtree, else 404; by
default the account's own) and, for the ledger, ``year``."""

from unionworks.core.exports import ListExport, register_export
from unionworks.finance import selectors
from unionworks.finance.forms import org_in_query, year_in_query


def _ledger_filters(actor, query) -> dict:
    return {"org": org_in_query(actor, query), "year": year_in_query(query)}


def _ledger_rows(actor, filters) -> list:
    ledger = selectors.ledger_for(actor, filters["org"], filters["year"])
    return [*ledger.rows, ledger.total]


def _arrears_filters(actor, query) -> dict:
    return {"org": org_in_query(actor, query)}


register_export(
    ListExport(
        name="fund-ledger",
        title="经费台账",
        filters=_ledger_filters,
        records=_ledger_rows,
        columns=[
            ("月份", lambda r: r.label),
            ("应缴", lambda r: r.due),
            ("实收", lambda r: r.received),
            ("本级分成", lambda r: r.own),
            ("上解", lambda r: r.passed_up),
            ("返还下级", lambda r: r.returned_down),
            ("收到返还", lambda r: r.returned_in),
        ],
        file_title=lambda actor, f: f"{f['org'].name}{f['year']}年经费台账",
    ),
    ListExport(
        name="arrears",
        title="欠缴工会经费清单",
        filters=_arrears_filters,
        records=lambda actor, f: selectors.ArrearsLines(selectors.arrears_for(actor, org=f["org"])),
        columns=[
            ("单位", lambda line: line.levy.unit.name),
            ("统一社会信用代码", lambda line: line.levy.unit.credit_code),
            ("所属工会", lambda line: line.levy.org.name),
            ("所属期", lambda line: line.levy.period),
            ("缴费期限", lambda line: line.levy.due_on),
            ("应缴", lambda line: line.levy.due),
            ("已缴", lambda line: line.levy.received),
            ("欠缴", lambda line: line.outstanding),
            ("逾期月数", lambda line: line.months),
            ("滞纳金", lambda line: line.late_fee),
        ],
        file_title=lambda actor, f: f"{f['org'].name}欠缴工会经费清单",
    ),
)
