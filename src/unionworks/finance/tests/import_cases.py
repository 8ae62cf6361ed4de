"""The tax office's list as a case of the shared import tests (tests/test_import_kinds.py)."""

import datetime as dt

from unionworks.core.tests.factories import UnitFactory
from unionworks.finance.tests.factories import scheme
from unionworks.tests.import_case import Case


def _tax_receipts_case(world):
    scheme(world)
    units = [
        UnitFactory(name=f"代征测试{i}有限公司", org=world["township"], union=world["grassroots"])
        for i in range(3)
    ]
    return Case(
        "tax_receipts",
        world["taiyuan_admin"],
        world["datong_editor"],
        {"org": world["xiaodian"].pk},
        [[u.credit_code, "2008-03", 100000, 2000, dt.date(2008, 4, 10)] for u in units],
        ["911401007011234569", "2008-03", 100000, 2000, dt.date(2008, 4, 10)],
        ["统一社会信用代码", "所属期", "工资总额", "代征金额", "入库日期"],
        "received",
    )


IMPORT_CASES = {
    "tax_receipts": (
        [
            "finance.fundreceipt",
            "finance.fundshare",
            "finance.levy",
            "core.auditentry",
        ],
        _tax_receipts_case,
    )
}
