"""The roster import's case for tests/test_import_kinds.py."""

import datetime as dt

from unionworks.cadres.tests.factories import new_id_number
from unionworks.tests.import_case import Case


def _roster_case(world):
    return Case(
        "cadres",
        world["taiyuan_admin"],
        world["datong_editor"],
        {"org": world["grassroots"].pk},
        [[f"干部{i}", new_id_number(), "委员", "选举", dt.date(2008, 4, 10)] for i in range(3)],
        ["坏行", "140105198001010012", "委员", "选举", dt.date(2008, 4, 10)],
        ["姓名", "公民身份号码", "职务", "产生方式", "任职日期"],
        "posts",
    )


IMPORT_CASES = {
    "cadres": (["cadres.cadre", "cadres.post", "core.auditentry"], _roster_case),
}
