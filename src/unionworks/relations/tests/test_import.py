"""The contract list through the shared import pipeline: bad rows come back with their row,
column and reason; nothing is half-saved; regional contracts cover many units."""

import datetime as dt

from openpyxl import Workbook, load_workbook

from unionworks.relations.importers import ContractImporter
from unionworks.relations.models import CollectiveContract, ContractUnit
from unionworks.relations.tests.factories import small_units
from unionworks.relations.tests.import_cases import HEADER, row


def run(world, rows, tmp_path, *, header=HEADER, **options):
    book = Workbook()
    book.active.append(["2008年集体合同台账"])  # a title row above the header
    book.active.append(header)
    for values in rows:
        book.active.append(values)
    path = tmp_path / "contracts.xlsx"
    book.save(path)
    job = ContractImporter(actor=world["taiyuan_admin"], org=world["grassroots"], **options)
    return job.run(path, tmp_path / "rejects")


def test_a_list_with_bad_rows_saves_nothing_and_returns_the_rejects(world, tmp_path):
    code = world["taiyuan_unit"].credit_code
    rows = [
        row("2008-0001", code),
        row("2008-0002", code, term=5),
        row("2008-0003", "91140000XXXXXXXXXX"),
        row("2008-0004", code, kind="奖金"),
        row("2008-0001", code),
        row("2008-0005", world["datong_unit"].credit_code),
    ]
    result = run(world, rows, tmp_path)
    assert not result.saved and result.rejected == 5
    assert not CollectiveContract.objects.exists()
    book = load_workbook(result.rejects_path).active
    found = {(r[-3], r[-2]) for r in book.iter_rows(min_row=2, values_only=True)}
    columns = {c for _line, c in found}
    assert {"期限", "覆盖单位信用代码", "合同类型", "合同编号"} <= columns
    reasons = [r[-1] for r in book.iter_rows(min_row=2, values_only=True)]
    assert any("1至3年" in reason for reason in reasons)
    assert any("合同类型“奖金”无法识别" in reason for reason in reasons)


def test_the_good_rows_can_be_saved_and_filed(world, tmp_path):
    code = world["taiyuan_unit"].credit_code
    header = [*HEADER, "报送日期"]
    rows = [[*row("2008-0001", code), dt.date(2008, 6, 5)], [*row("2008-0002", code, term=0), None]]
    result = run(world, rows, tmp_path, header=header, save_good_rows=True)
    assert result.saved and result.counts == {"recorded": 1, "submitted": 1, "unchanged": 0}
    contract = CollectiveContract.objects.get()
    assert contract.effective_on == dt.date(2008, 6, 21)
    assert contract.in_force_on(dt.date(2008, 9, 30))


def test_a_regional_contract_names_its_units_by_credit_code(world, tmp_path):
    units = small_units(world, 3)
    header = [*HEADER, "合同范围", "区域或行业"]
    codes = "、".join(u.credit_code for u in units)
    rows = [[*row("QY-2008-01", codes), "区域性", "坞城街道"]]
    result = run(world, rows, tmp_path, header=header)
    assert result.saved, result.errors
    contract = CollectiveContract.objects.get()
    assert contract.scope == "regional"
    assert ContractUnit.objects.filter(contract=contract).count() == 3
