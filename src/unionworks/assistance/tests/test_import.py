"""Uploading a disbursement list: checked like the roll, rejected rows returned, nothing
half-saved."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from unionworks.assistance.importers import import_disbursements, write_disbursement_template
from unionworks.assistance.models import Campaign, Disbursement
from unionworks.assistance.tests.factories import (
    accounts,
    campaign,
    new_id_number,
    open_file,
    propose,
    raise_funds,
)
from unionworks.core.identity import ID_FIELD
from unionworks.core.models import AuditEntry, Task
from unionworks.core.personal_data import unseal
from unionworks.core.tests.factories import login_as

HEADER = ["序号", "姓名", "身份证号", "对象类别", "现金(元)", "实物折款", "备注"]


@pytest.fixture(autouse=True)
def eager_tasks(settings, tmp_path):
    settings.TASKS_MODE = "eager"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def setup(world):
    people = accounts(world)
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"], "100000.00")
    file = open_file(world["xiaodian"])
    return {
        **world,
        **people,
        "warmth": warmth,
        "file_number": unseal(file.id_number_cipher, field=ID_FIELD),
    }


def workbook(rows, *, header=HEADER, title=True) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["2008年“两节”送温暖慰问对象名单"])
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.append(["填表人：王芳", None, None, "审核人：李强"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "名单.xlsx"
    return data


def save(tmp_path, data) -> str:
    path = tmp_path / data.name
    path.write_bytes(data.getvalue())
    return str(path)


def _bad_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def messy_rows(setup):
    taken = new_id_number()
    propose(setup["warmth"], setup["township"], id_number=taken)
    twice = new_id_number()
    return [
        [1, "张 三", new_id_number(), "农民工", 300, 100, ""],  # row 4: good
        [2, "李四", setup["file_number"], "困难职工", "1,200.00元", None, ""],  # row 5: good
        [3, "王五", _bad_check_digit(new_id_number()), "农民工", 300, 0, ""],  # row 6: 校验
        [4, "赵六", twice, "农民工", 300, 0, ""],  # row 7: good
        [5, "钱七", twice, "农民工", 300, 0, ""],  # row 8: duplicate of row 7
        [6, "孙八", new_id_number(), "农民工", "12.345", 0, ""],  # row 9: fen
        [7, "周九", new_id_number(), "农民工", 0, 0, ""],  # row 10: both zero
        [8, "吴十", new_id_number(), "贫困户", 100, 0, ""],  # row 11: category
        [9, "郑一", taken, "农民工", 100, 0, ""],  # row 12: already proposed
        [10, "冯二", new_id_number(), "困难职工", 100, 0, ""],  # row 13: no open file
        [11, "", new_id_number(), "农民工", 100, 0, ""],  # row 14: no name
    ]


def test_bad_rows_save_nothing_and_come_back_with_row_column_and_reason(setup, tmp_path):
    path = save(tmp_path, workbook(messy_rows(setup)))
    result = import_disbursements(
        actor=setup["county_editor"],
        campaign=setup["warmth"],
        org=setup["township"],
        path=path,
        rejects_dir=tmp_path / "out",
    )
    assert not result.saved and (result.rows, result.rejected, result.ready) == (11, 8, 3)
    assert Disbursement.objects.count() == 1  # only the one proposed beforehand
    rows = list(load_workbook(result.rejects_path).active.values)
    header = rows[0]
    assert header[-3:] == ("行号", "出错列", "原因")
    found = {r[-3]: (r[-2], r[-1]) for r in rows[1:]}
    assert set(found) == {6, 8, 9, 10, 11, 12, 13, 14}
    assert found[6][0] == "身份证号" and "校验" in found[6][1]
    assert "与第7行身份证号重复" in found[8][1]
    assert found[9][0] == "现金(元)" and "精确到分" in found[9][1]
    assert "不能都为零" in found[10][1]
    assert found[11][0] == "对象类别" and "贫困户" in found[11][1]
    assert "每人只能领取一次" in found[12][1]
    assert "在档的困难职工档案" in found[13][1]
    assert found[14][0] == "姓名"
    # The original cells come back as typed, so the clerk fixes them in place.
    assert rows[1][1] == "王五"


def test_saving_the_good_rows_only(setup, tmp_path):
    path = save(tmp_path, workbook(messy_rows(setup)))
    result = import_disbursements(
        actor=setup["county_editor"],
        campaign=setup["warmth"],
        org=setup["township"],
        path=path,
        save_good_rows=True,
        rejects_dir=tmp_path / "out",
    )
    assert result.saved and result.proposed == 3 and result.rejected == 8
    saved = Disbursement.objects.filter(proposed_by=setup["county_editor"]).order_by("id")
    assert [d.name for d in saved] == ["张三", "李四", "赵六"]
    assert saved[1].total == Decimal("1200.00") and saved[1].hardship_file is not None
    assert all(d.status == "proposed" and d.org == setup["township"] for d in saved)
    assert (
        AuditEntry.objects.filter(model="assistance.disbursement", object_id="import").count() == 1
    )
    # Uploading the same list again proposes nobody twice.
    again = import_disbursements(
        actor=setup["county_editor"],
        campaign=setup["warmth"],
        org=setup["township"],
        path=path,
        save_good_rows=True,
        rejects_dir=tmp_path / "again",
    )
    assert again.proposed == 0 and Disbursement.objects.count() == 4


def test_schooling_lists_need_the_student(setup, tmp_path):
    autumn = campaign(setup, kind=Campaign.Kind.SCHOOLING, name="金秋助学")
    header = ["姓名", "身份证号", "学校", "入学年份", "层次", "资助金额"]
    rows = [
        ["陈晓", new_id_number(birth_date=dt.date(1990, 1, 1)), "山西大学", 2008, "本科", 2000],
        [
            "林杰",
            new_id_number(birth_date=dt.date(1990, 2, 1)),
            "山西职业技术学院",
            "2008年",
            "大专",
            1500,
        ],
        ["何丽", new_id_number(birth_date=dt.date(1990, 3, 1)), "", 2008, "本科", 2000],
        ["黄磊", new_id_number(birth_date=dt.date(1990, 4, 1)), "太原五中", 2008, "初中", 800],
    ]
    path = save(tmp_path, workbook(rows, header=header, title=False))
    result = import_disbursements(
        actor=None, campaign=autumn, org=setup["township"], path=path, save_good_rows=True,
        rejects_dir=tmp_path / "out",
    )  # fmt: skip
    assert result.proposed == 2
    levels = dict(Disbursement.objects.values_list("name", "student_level"))
    assert levels == {"陈晓": "undergraduate", "林杰": "college"}
    reasons = [r[-1] for r in list(load_workbook(result.rejects_path).active.values)[1:]]
    assert any("学校不能为空" in r for r in reasons) and any("初中" in r for r in reasons)


def test_template_has_the_chinese_headers(tmp_path, setup):
    path = write_disbursement_template(tmp_path / "t.xlsx", setup["warmth"])
    header = next(load_workbook(path).active.values)
    assert header[:3] == ("姓名*", "公民身份号码*", "对象类别") and "学校" not in header


def test_upload_page_runs_a_task_and_offers_the_rejected_rows(client, setup):
    login_as(client, setup["county_editor"])
    opened = client.get(f"/assistance/campaigns/{setup['warmth'].pk}/import/")
    url = "/imports/disbursements/"
    assert opened["Location"] == f"{url}?campaign={setup['warmth'].pk}"
    assert setup["warmth"].name in client.get(opened["Location"]).content.decode()
    upload = workbook([["1", "张三", _bad_check_digit(new_id_number()), "农民工", 300, 0, ""]])
    response = client.post(
        url, {"campaign": setup["warmth"].pk, "org": setup["township"].pk, "file": upload}
    )
    task = Task.objects.get()
    assert response["Location"] == f"/imports/task/{task.pk}/"
    assert task.status == "failed" and task.result["rejected"] == 1
    page = client.get(response["Location"]).content.decode()
    assert f"/tasks/{task.pk}/download/" in page and "校验" in page
    rejects = load_workbook(
        io.BytesIO(b"".join(client.get(f"/tasks/{task.pk}/download/").streaming_content))
    )
    assert list(rejects.active.values)[1][-3] == 4
    # Another city cannot see the task or its rejected rows, nor open the campaign's upload.
    login_as(client, setup["datong_editor"])
    assert client.get(f"/imports/task/{task.pk}/").status_code == 404
    assert client.get(f"/tasks/{task.pk}/download/").status_code == 404
    assert client.get(f"/assistance/campaigns/{setup['warmth'].pk}/import/").status_code == 404
    refused = client.post(
        url, {"campaign": setup["warmth"].pk, "org": setup["township"].pk, "file": upload}
    )
    assert refused.status_code == 200 and Task.objects.count() == 1


def test_a_viewer_cannot_upload(client, setup):
    login_as(client, setup["taiyuan_viewer"])
    url = "/imports/disbursements/"
    upload = workbook([["1", "张三", new_id_number(), "农民工", 300, 0, ""]])
    data = {"campaign": setup["warmth"].pk, "org": setup["township"].pk, "file": upload}
    assert client.post(url, data).status_code == 403
    assert not Task.objects.exists()


@pytest.mark.parametrize("amount", ["1e308", 10**30, 1e308, "99999999999999999999.99"])
def test_an_amount_too_large_for_the_column_is_a_row_error(setup, tmp_path, amount):
    rows = [[1, "张三", new_id_number(), "农民工", amount, 0, ""]]
    result = import_disbursements(
        actor=setup["county_editor"],
        campaign=setup["warmth"],
        org=setup["township"],
        path=save(tmp_path, workbook(rows)),
        rejects_dir=tmp_path / "out",
    )
    [error] = result.errors
    assert (error.row, error.column) == (4, "现金(元)") and "过大" in error.reason
    assert not result.saved
