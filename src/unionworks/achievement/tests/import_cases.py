"""The proposal list's case for the shared import tests (tests/test_import_kinds.py)."""

from unionworks.achievement.tests.factories import new_id_number
from unionworks.tests.import_case import Case


def _proposals_case(world):
    code = world["taiyuan_unit"].credit_code
    return Case(
        "proposals",
        world["taiyuan_admin"],
        world["datong_editor"],
        {"org": world["taiyuan"].pk},
        [
            [
                f"2008-{i:04d}",
                code,
                "合理化建议",
                f"建议{i}",
                "2008-03-01",
                "张三",
                new_id_number(),
            ]
            for i in range(1, 4)
        ],
        ["2008-0099", code, "没有的类别", "坏行", "2008-03-01", "李四", new_id_number()],
        ["建议编号", "统一社会信用代码", "类别", "题目", "提出日期", "提出人", "身份证号"],
        "created",
    )


IMPORT_CASES = {
    "proposals": (
        ["achievement.proposal", "achievement.proposalauthor", "core.auditentry"],
        _proposals_case,
    )
}
