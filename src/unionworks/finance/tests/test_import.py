"""Importing the tax office's collection list through the shared pipeline."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from unionworks.core.creditcode import make_credit_code
from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import UnitFactory
from unionworks.finance.importers import import_tax_list
from unionworks.finance.models import Channel, FundReceipt, FundShare, Levy
from unionworks.finance.tests.factories import scheme, unit_without_union

HEADER = [
    "序号",
    "纳税人识别号",
    "纳税人名称",
    "费款所属期",
    "计征依据",
    "实缴金额",
    "入库日期",
    "电子税票号",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def tax_list(tmp_path, rows, name="小店区地税代征清单.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(["2008年4月工会经费代征清单"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    sheet.append(["合计", None, None, None, None, None])
    path = tmp_path / name
    book.save(path)
    return path


@pytest.fixture
def setup(world):
    scheme(world)
    return {**world, "new_unit": unit_without_union(world)}


def good_rows(w):
    return [
        [
            1,
            w["taiyuan_unit"].credit_code,
            "太原重机",
            "2008-03",
            100000,
            2000,
            dt.date(2008, 4, 10),
            "T001",
        ],
        [
            2,
            w["new_unit"].credit_code,
            "新兴科技",
            "2008年第一季度",
            "50,000.00",
            "1000.00",
            "2008-04-12",
            "T002",
        ],
    ]


def test_a_good_list_is_received_split_and_credited(setup, tmp_path):
    w = setup
    result = import_tax_list(
        actor=w["taiyuan_admin"], org=w["xiaodian"], path=tax_list(tmp_path, good_rows(w))
    )
    assert result.saved, result.errors
    assert (result.received, result.levies, result.rejected) == (2, 2, 0)
    tax = FundReceipt.objects.get(levy__unit=w["taiyuan_unit"])
    assert (tax.channel, tax.amount, tax.org, tax.payer_org) == (
        Channel.TAX,
        Decimal("2000.00"),
        w["xiaodian"],
        w["grassroots"],
    )
    assert sum(s.amount for s in tax.shares.all()) == tax.amount
    # a unit without a union pays the preparatory fee, held by the county for now
    fee = FundReceipt.objects.get(levy__unit=w["new_unit"])
    assert fee.channel == Channel.PREPARATORY
    assert fee.levy.period == "2008Q1" and fee.levy.due == Decimal("1000.00")
    assert FundShare.objects.get(receipt=fee, level="grassroots").org == w["xiaodian"]
    assert Levy.objects.get(unit=w["taiyuan_unit"]).received == Decimal("2000.00")
    assert AuditEntry.objects.filter(model="finance.fundreceipt", object_id="import").count() == 1
    # the same list again: nothing new
    again = import_tax_list(
        actor=w["taiyuan_admin"], org=w["xiaodian"], path=tax_list(tmp_path, good_rows(w))
    )
    assert (again.received, again.unchanged) == (0, 2)
    assert FundReceipt.objects.count() == 2
    assert Levy.objects.get(unit=w["taiyuan_unit"]).received == Decimal("2000.00")


def test_bad_and_unmatched_rows_are_rejected_with_row_column_and_reason(setup, tmp_path):
    w = setup
    elsewhere = UnitFactory(name="大同外地公司", org=w["pingcheng"])
    nobody = make_credit_code(random.Random(7))
    rows = [
        *good_rows(w),
        [3, "91140100MA0GRQ6X3X", "校验错", "2008-03", 1000, 20, "2008-04-10", ""],
        [4, nobody, "无此单位", "2008-03", 1000, 20, "2008-04-10", ""],
        [5, elsewhere.credit_code, "外市单位", "2008-03", 1000, 20, "2008-04-10", ""],
        [6, w["taiyuan_unit"].credit_code, "重复", "2008-03", 100000, 2000, "2008-04-10", ""],
        [7, w["taiyuan_unit"].credit_code, "坏期间", "2008-13", 1000, 20, "2008-04-10", ""],
        [8, w["taiyuan_unit"].credit_code, "坏金额", "2008-04", 1000, "1.234", "2008-05-10", ""],
        [9, w["taiyuan_unit"].credit_code, "零金额", "2008-05", 1000, 0, "2008-06-10", ""],
        [10, w["taiyuan_unit"].credit_code, "无日期", "2008-06", 1000, 20, None, ""],
    ]
    result = import_tax_list(
        actor=w["taiyuan_admin"], org=w["xiaodian"], path=tax_list(tmp_path, rows)
    )
    assert not result.saved
    assert FundReceipt.objects.count() == 0 and Levy.objects.count() == 0
    said = {(e.row, e.column): e.reason for e in result.errors}
    assert "校验" in said[(5, "纳税人识别号")]
    assert said[(6, "纳税人识别号")] == f"未找到统一社会信用代码为{nobody}的单位"
    assert said[(7, "纳税人识别号")] == "单位“大同外地公司”不在“小店区总工会”的收缴范围内"
    assert said[(8, "纳税人识别号")] == "与第3行统一社会信用代码和所属期重复"
    assert "所属期“2008-13”无法识别" in said[(9, "费款所属期")]
    assert "两位小数" in said[(10, "实缴金额")]
    assert said[(11, "实缴金额")] == "代征金额须大于零"
    assert said[(12, "入库日期")] == "入库日期不能为空"
    assert result.rejected == 8
    book = load_workbook(result.rejects_path)
    header = [c.value for c in next(book.active.iter_rows(max_row=1))]
    assert header[-3:] == ["行号", "出错列", "原因"]

    # saving the good rows keeps them and still returns the others
    kept = import_tax_list(
        actor=w["taiyuan_admin"],
        org=w["xiaodian"],
        path=tax_list(tmp_path, rows),
        save_good_rows=True,
    )
    assert kept.saved and kept.received == 2 and kept.rejected == 8


def test_a_base_that_differs_from_the_declared_one_is_refused(setup, tmp_path):
    w = setup
    import_tax_list(
        actor=w["taiyuan_admin"], org=w["xiaodian"], path=tax_list(tmp_path, good_rows(w)[:1])
    )
    rows = [[1, w["taiyuan_unit"].credit_code, "x", "2008-03", 90000, 200, "2008-05-10", "T9"]]
    result = import_tax_list(
        actor=w["taiyuan_admin"], org=w["xiaodian"], path=tax_list(tmp_path, rows)
    )
    assert result.errors[0].reason == "该单位2008年3月已申报工资总额100000.00元，与清单不一致"


def test_viewer_and_outsider_cannot_import(setup, tmp_path):
    from django.core.exceptions import PermissionDenied

    from unionworks.core.errors import DomainError

    w = setup
    with pytest.raises(PermissionDenied):
        import_tax_list(
            actor=w["taiyuan_viewer"], org=w["xiaodian"], path=tax_list(tmp_path, good_rows(w))
        )
    with pytest.raises(DomainError, match="只能导入到本组织及下级组织"):
        import_tax_list(
            actor=w["datong_editor"], org=w["xiaodian"], path=tax_list(tmp_path, good_rows(w))
        )


def test_a_new_levy_is_written_credited_and_a_levy_on_record_is_credited_after(setup, tmp_path):
    w = setup
    code = w["taiyuan_unit"].credit_code
    part = [[1, code, "x", "2008-03", 100000, 1500, "2008-04-10", "T1"]]
    assert import_tax_list(
        actor=w["taiyuan_admin"], org=w["xiaodian"], path=tax_list(tmp_path, part)
    ).saved
    levy = Levy.objects.get(unit=w["taiyuan_unit"])
    assert (levy.due, levy.received, levy.paid_up_on) == (Decimal("2000.00"), 1500, None)
    rest = [[1, code, "x", "2008-03", 100000, 500, "2008-04-20", "T2"]]
    result = import_tax_list(
        actor=w["taiyuan_admin"], org=w["xiaodian"], path=tax_list(tmp_path, rest)
    )
    assert (result.received, result.levies) == (1, 0)
    levy.refresh_from_db()
    assert (levy.received, levy.paid_up_on) == (Decimal("2000.00"), dt.date(2008, 4, 20))
    whole = [[1, w["new_unit"].credit_code, "x", "2008-03", 50000, 1000, "2008-04-12", "T3"]]
    import_tax_list(actor=w["taiyuan_admin"], org=w["xiaodian"], path=tax_list(tmp_path, whole))
    paid = Levy.objects.get(unit=w["new_unit"])
    assert (paid.received, paid.paid_up_on) == (Decimal("1000.00"), dt.date(2008, 4, 12))


@pytest.mark.parametrize("mode", ["full", "upper"])
def test_share_rows_worked_out_once_per_payer_split_as_one_by_one(setup, mode):
    from unionworks.finance import services
    from unionworks.finance.models import Mode, ShareScheme

    w = setup
    ShareScheme.objects.all().delete()
    plan = scheme(w, mode=Mode.FULL if mode == "full" else Mode.UPPER)
    collector = w["xiaodian"]
    level_orgs = services.LevelOrgs()
    shares = services.ShareRows(level_orgs, collector)
    rng = random.Random(3)
    for payer in (w["grassroots"], collector, None):
        for portion in ("full", "upper", "grassroots", "none"):
            for _ in range(40):
                amount = Decimal(rng.randrange(1, 10**7)) / 100
                expected = services.share_rows(
                    amount, portion, plan, level_orgs.for_payer(payer, collector), collector
                )
                assert shares.rows(amount, portion, plan, payer) == expected
    assert shares.rows(Decimal("1.00"), "full", None, w["grassroots"]) == []
