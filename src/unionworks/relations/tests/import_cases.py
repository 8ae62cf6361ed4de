"""The contract list's case for ``tests/test_import_kinds.py`` (what every import kind promises)."""

from unionworks.tests.import_case import Case

HEADER = ["合同编号", "合同类型", "覆盖单位信用代码", "企业方", "职工方", "职代会通过日期",
          "到会代表数", "赞成票数", "签订日期", "期限", "覆盖职工人数"]  # fmt: skip


def row(number, code, *, term=3, kind="综合"):
    return [number, kind, code, "太原重型机械有限公司", "太原重型机械有限公司工会",
            "2008-05-20", 180, 172, "2008-06-01", term, 1200]  # fmt: skip


def _contracts_case(world):
    code = world["taiyuan_unit"].credit_code
    return Case(
        "contracts",
        world["taiyuan_admin"],
        world["datong_editor"],
        {"org": world["grassroots"].pk},
        [row(f"2008-{i:04d}", code) for i in range(1, 4)],
        row("2008-0099", code, term=5),
        HEADER,
        "recorded",
    )


IMPORT_CASES = {
    "contracts": (
        ["relations.collectivecontract", "relations.contractunit", "core.auditentry"],
        _contracts_case,
    )
}
