"""The roster import: bad rows named by row and column, nothing half-saved, the chair rule."""

import datetime as dt

import pytest
from openpyxl import Workbook

from unionworks.cadres.importers import RosterImporter
from unionworks.cadres.models import Cadre, Post
from unionworks.cadres.tests.factories import new_id_number, post

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "身份证号", "职务", "产生方式", "任职日期", "专职", "文化程度"]


def _file(tmp_path, rows, name="roster.xlsx"):
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _run(world, tmp_path, rows, **options):
    job = RosterImporter(actor=world["taiyuan_admin"], org=world["grassroots"], **options)
    return job.run(_file(tmp_path, rows), tmp_path / "rejects")


def test_bad_rows_are_named_and_nothing_is_saved(world, tmp_path):
    rows = [
        ["王芳", new_id_number(), "主席", "直选", dt.date(2008, 4, 10), "是", "本科"],
        ["", new_id_number(), "委员", "选举", dt.date(2008, 4, 10), "否", ""],
        ["李强", "140105198001010012", "委员", "选举", dt.date(2008, 4, 10), "否", ""],
        ["赵军", new_id_number(), "司机", "选举", dt.date(2008, 4, 10), "否", ""],
        ["钱程", new_id_number(), "委员", "抽签", "明年", "也许", "博士后"],
        ["孙丽", new_id_number(), "主席", "选举", dt.date(2008, 4, 10), "否", ""],
    ]
    result = _run(world, tmp_path, rows)
    assert not result.saved and result.rejected == 5
    said = [str(e) for e in result.errors]
    assert any("第3行" in e and "姓名" in e for e in said)
    assert any("第4行" in e and "校验" in e for e in said)
    assert any("第5行" in e and "职务“司机”无法识别" in e for e in said)
    assert any("第6行" in e and "产生方式" in e for e in said)
    assert any("第6行" in e and "专职" in e for e in said)
    assert any("第7行" in e and "同为主席" in e for e in said)
    assert Cadre.objects.count() == 0 and Post.objects.count() == 0


def test_good_rows_saved_and_the_new_chair_ends_the_old(world, tmp_path):
    old = post(world["grassroots"], start=dt.date(2003, 4, 1))
    rows = [
        ["王芳", new_id_number(), "主席", "直选", dt.date(2008, 4, 10), "专职", "本科"],
        ["刘洋", new_id_number(), "副主席", "选举", dt.date(2008, 4, 10), "兼职", "大专"],
    ]
    result = _run(world, tmp_path, rows)
    assert result.saved and result.posts == 2 and result.new_cadres == 2
    old.refresh_from_db()
    assert old.end == dt.date(2008, 4, 10)
    chair = Post.objects.get(org=world["grassroots"], kind="chair", end__isnull=True)
    assert chair.cadre.name == "王芳" and chair.how == "direct" and chair.full_time
    again = _run(world, tmp_path, rows)
    assert again.unchanged == 2 and again.posts == 0


def test_a_chair_starting_before_the_sitting_chair_is_refused(world, tmp_path):
    post(world["grassroots"], start=dt.date(2008, 5, 1))
    rows = [["王芳", new_id_number(), "主席", "直选", dt.date(2008, 4, 10), "是", ""]]
    result = _run(world, tmp_path, rows)
    assert result.rejected == 1 and "继任者" in str(result.errors[0])
