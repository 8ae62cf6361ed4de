"""The proposal list import: every check names its row and column; nothing half-saved."""

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook

from unionworks.achievement.importers import ProposalImporter
from unionworks.achievement.models import Proposal, ProposalAuthor
from unionworks.achievement.tests.factories import new_id_number
from unionworks.core.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

HEADER = ["建议编号", "统一社会信用代码", "类别", "题目", "提出日期", "提出人", "身份证号",
          "是否采纳", "实施日期", "创造价值（元）", "节约（元）"]  # fmt: skip


def _file(tmp_path, rows):
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    path = tmp_path / "建议.xlsx"
    book.save(path)
    return path


def _run(world, tmp_path, rows, **options):
    job = ProposalImporter(
        actor=world["taiyuan_admin"], org=world["taiyuan"], today=dt.date(2008, 9, 30), **options
    )
    return job.run(_file(tmp_path, rows), tmp_path)


def test_good_list_saves_proposals_and_authors(world, tmp_path):
    code = world["taiyuan_unit"].credit_code
    a, b = new_id_number(), new_id_number()
    rows = [
        ["2008-0001", code, "合理化建议", "改进托辊", "2008-03-01", "张三、李四", f"{a}、{b}",
         "是", "2008-04-01", "12345.67", "0.5"],
        ["2008-0002", code, "操作法创新", "快速换模操作法", "2008-03-02", "张三", a, "", "", "", ""],
    ]  # fmt: skip
    result = _run(world, tmp_path, rows)
    assert result.saved, result.errors
    assert result.created == 2 and result.authors == 3
    first = Proposal.objects.get(number="2008-0001")
    assert first.status == Proposal.Status.IMPLEMENTED and first.org == world["grassroots"]
    assert first.confirmed_value == Decimal("12345.67")
    assert first.confirmed_savings == Decimal("0.50")
    assert first.decided_on == dt.date(2008, 3, 1)
    assert ProposalAuthor.objects.filter(proposal=first).count() == 2
    again = _run(world, tmp_path, rows)
    assert again.unchanged == 2 and Proposal.objects.count() == 2


def test_bad_rows_are_refused_by_row_and_column_and_nothing_is_saved(world, tmp_path):
    code = world["taiyuan_unit"].credit_code
    datong = UnitFactory(org=world["pingcheng"]).credit_code
    ok = new_id_number()
    rows = [
        ["2008-0001", code, "合理化建议", "好的一行", "2008-03-01", "张三", ok, "", "", "", ""],
        ["2008-0002", code, "大发明", "类别错", "2008-03-01", "张三", ok, "", "", "", ""],
        ["2008-0003", code, "小窍门", "身份证错", "2008-03-01", "张三", "140105198001010012", "", "", "", ""],
        ["2008-0004", code, "小窍门", "人数不对", "2008-03-01", "张三、李四", ok, "", "", "", ""],
        ["2008-0005", datong, "小窍门", "外市单位", "2008-03-01", "张三", ok, "", "", "", ""],
        ["2008-0006", "91140100MA0XXXXXX0", "小窍门", "没有的单位", "2008-03-01", "张三", ok, "", "", "", ""],
        ["2008-0007", code, "小窍门", "未采纳却实施", "2008-03-01", "张三", ok, "否", "2008-04-01", "", ""],
        ["2008-0008", code, "小窍门", "钱不对", "2008-03-01", "张三", ok, "是", "", "1.234", ""],
        ["2008-0001", code, "小窍门", "编号重复", "2008-03-01", "张三", ok, "", "", "", ""],
        ["2008-0010", code, "小窍门", "实施早于提出", "2008-03-01", "张三", ok, "是", "2008-02-01", "", ""],
        ["2008-0011", code, "小窍门", "未来日期", "2009-03-01", "张三", ok, "", "", "", ""],
        ["2008-0012", code, "小窍门", "日期错", "2008-13-45", "张三", ok, "", "", "", ""],
    ]  # fmt: skip
    result = _run(world, tmp_path, rows)
    assert not result.saved and result.rejected == 11
    assert not Proposal.objects.exists() and not ProposalAuthor.objects.exists()
    by_row = {e.row: (e.column, e.reason) for e in result.errors}
    assert by_row[3][0] == "类别" and "大发明" in by_row[3][1]
    assert by_row[4][0] == "身份证号"
    assert by_row[5] == ("身份证号", "提出人2名，身份证号1个，应一一对应")
    assert by_row[6] == ("统一社会信用代码", "该单位不在本工会及下级工会范围内")
    assert "未找到" in by_row[7][1]
    assert by_row[8][0] == "实施日期"
    assert by_row[9][0] == "创造价值（元）"
    assert by_row[10] == ("建议编号", "与第2行建议编号重复")
    assert by_row[11][0] == "实施日期"
    assert by_row[12] == ("提出日期", "提出日期不能晚于今天")
    assert by_row[13][0] == "提出日期" and "不存在" in by_row[13][1]
    # Saving the good rows keeps the one good row and still reports the rest.
    kept = _run(world, tmp_path, rows, save_good_rows=True)
    assert kept.saved and kept.created == 1 and kept.rejected == 11


def test_a_number_reused_for_another_title_is_refused(world, tmp_path):
    code = world["taiyuan_unit"].credit_code
    row = ["2008-0001", code, "合理化建议", "改进托辊", "2008-03-01", "张三", new_id_number()]
    assert _run(world, tmp_path, [row + ["", "", "", ""]]).saved
    other = [*row[:3], "另一个题目", *row[4:], "", "", "", ""]
    result = _run(world, tmp_path, [other])
    assert not result.saved
    assert "题目为“改进托辊”" in result.errors[0].reason


def test_batches_are_written_behind_and_a_conflict_is_found_row_by_row(
    world, tmp_path, monkeypatch
):
    """On PostgreSQL each batch is written by the writer thread while the next is checked;
    a batch the database refuses (here: a proposal registered by someone else after the
    check) is written again row by row and only the culprit is refused."""
    from django.db import connection

    from unionworks.achievement import importers

    unit = world["taiyuan_unit"]
    code = unit.credit_code
    Proposal.objects.create(
        org=world["grassroots"], unit=unit, number="2008-0003", category="proposal",
        title="他人同时登记", proposed_on=dt.date(2008, 3, 1),
    )  # fmt: skip
    monkeypatch.setattr(importers, "rows_with_keys", lambda *args, **kwargs: [])  # unseen
    threads = set()
    write = ProposalImporter.write

    def spy(self, rows):
        import threading

        threads.add(threading.current_thread().name.split("_")[0])
        return write(self, rows)

    monkeypatch.setattr(ProposalImporter, "write", spy)
    rows = [
        [f"2008-000{i}", code, "合理化建议", f"建议{i}", "2008-03-01", "张三", new_id_number(),
         "", "", "", ""]
        for i in range(1, 6)
    ]  # fmt: skip
    job = ProposalImporter(
        actor=world["taiyuan_admin"],
        org=world["taiyuan"],
        today=dt.date(2008, 9, 30),
        save_good_rows=True,
    )
    job.batch_size = 2
    result = job.run(_file(tmp_path, rows), tmp_path)
    assert result.saved and result.created == 4 and result.rejected == 1
    assert [(e.row, e.reason) for e in result.errors] == [(4, ProposalImporter.conflict_message)]
    assert Proposal.objects.filter(unit=unit).count() == 5
    assert ProposalAuthor.objects.count() == 4
    if connection.vendor == "postgresql":
        assert threads == {"import-writer", "MainThread"}  # batches behind; the culprit here
    else:
        assert threads == {"MainThread"}
