"""The 单位名录 import kind's case for the shared suite (tests/test_import_kinds.py)."""

import random

from unionworks.assistance.tests.factories import accounts
from unionworks.core.creditcode import make_credit_code
from unionworks.tests.import_case import Case


def _units_case(world):
    people = accounts(world)
    rng = random.Random(11)
    return Case(
        "units",
        people["county_editor"],
        world["datong_editor"],
        {"org": world["xiaodian"].pk},
        [[f"小店新单位{i}有限公司", make_credit_code(rng), "私营", "制造业"] for i in range(3)],
        ["坏行有限公司", "91140105MA0K1B2C3X", "私营", "制造业"],
        ["单位名称", "统一社会信用代码", "经济类型", "所属行业"],
        "created",
    )


IMPORT_CASES = {
    "units": (["orgs.unit", "orgs.coveragespell", "core.auditentry"], _units_case),
}
