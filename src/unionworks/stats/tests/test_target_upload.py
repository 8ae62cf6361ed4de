"""Uploading targets (任务指标) from a spreadsheet: every row checked, all or nothing."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from unionworks.core.models import AuditEntry, Task
from unionworks.core.tests.factories import login_as
from unionworks.stats.models import Target

pytestmark = pytest.mark.django_db

UPLOAD = "/imports/targets/"
HEADERS = ["组织编号", "组织名称", "年度", "指标", "目标值"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS_MODE = "eager"


def workbook(rows, *, title=True) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["太原市总工会2008年任务指标分解表"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("任务指标.xlsx", buffer.getvalue())


def good_rows(world):
    return [
        [world["xiaodian"].pk, None, 2008, "新发展会员数", 10],
        [None, "坞城街道工会", "2008", "members_joined", "5"],
        [world["xiaodian"].pk, "小店区总工会", 2008, "建会率", "90%"],
    ]


def upload(client, file, **data):
    return client.post(UPLOAD, {"file": file, **data})


def task_of(response) -> Task:
    """The import task the upload redirected to (tasks run inline in these tests)."""
    assert response.status_code == 302
    task = Task.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert response["Location"] == f"/imports/task/{task.pk}/"
    return task


def rejects_of(client, task) -> list[tuple]:
    download = client.get(f"/tasks/{task.pk}/download/")
    return list(load_workbook(BytesIO(b"".join(download.streaming_content))).active.values)


def test_a_good_file_sets_every_target_in_one_go(client, world):
    login_as(client, world["taiyuan_admin"])
    task = task_of(upload(client, workbook(good_rows(world))))
    assert task.status == "done" and task.result["set"] == 3
    assert set(Target.objects.values_list("org__name", "year", "indicator", "value")) == {
        ("小店区总工会", 2008, "members_joined", Decimal("10.00")),
        ("坞城街道工会", 2008, "members_joined", Decimal("5.00")),
        ("小店区总工会", 2008, "coverage_rate", Decimal("90.00")),
    }
    # One entry per target set, and one for the import as a whole.
    assert AuditEntry.objects.filter(model="stats.target").count() == 4
    assert "导入完成：下达指标3" in client.get(f"/imports/task/{task.pk}/").content.decode()
    page = client.get(reverse("stats:targets"), {"year": "2008"})
    assert len(page.context["rows"]) == 3
    # The same file again changes nothing.
    again = task_of(upload(client, workbook(good_rows(world))))
    assert (again.result["set"], again.result["unchanged"]) == (0, 3)
    assert AuditEntry.objects.filter(model="stats.target").count() == 4


@pytest.mark.parametrize(
    "bad, column, reason",
    [
        ([None, "不存在的工会", 2008, "新发展会员数", 3], "组织名称", "不存在"),
        (["datong", None, 2008, "新发展会员数", 3], "组织编号", "不存在"),  # another city
        ([None, "太原市总工会", 2008, "新发展会员数", 3], "组织名称", "只能为下级组织下达"),
        ([None, "小店区总工会", 2008, "会员幸福指数", 3], "指标", "未知的指标“会员幸福指数”"),
        ([None, "小店区总工会", 2008, "新发展会员数", "十个"], "目标值", "“十个”不是数字"),
        ([None, "小店区总工会", 2008, "新发展会员数", -1], "目标值", "不能为负数"),
        ([None, "小店区总工会", "去年", "新发展会员数", 3], "年度", "应为四位数字年份"),
    ],
)
def test_one_bad_row_rejects_the_whole_file_naming_row_column_and_reason(
    client, world, bad, column, reason
):
    if bad[0] == "datong":
        bad = [world["pingcheng"].pk, *bad[1:]]
    login_as(client, world["taiyuan_admin"])
    rows = good_rows(world)
    task = task_of(upload(client, workbook([rows[0], bad, rows[1]])))
    assert task.status == "failed"
    assert not Target.objects.exists()
    [error] = task.result["errors"]
    assert error.startswith(f"第4行“{column}”列")  # the title row, the header, then row 4
    assert reason in error
    html = client.get(f"/imports/task/{task.pk}/").content.decode()
    assert f"第4行“{column}”列" in html and "全部未保存" in html
    rows_back = rejects_of(client, task)
    assert rows_back[0][-3:] == ("行号", "出错列", "原因")
    assert len(rows_back) == 2 and rows_back[1][-3] == 4 and rows_back[1][-2] == column


def test_a_row_repeating_another_is_rejected(client, world):
    login_as(client, world["taiyuan_admin"])
    rows = good_rows(world)
    task = task_of(upload(client, workbook([rows[0], rows[0]], title=False)))
    [error] = task.result["errors"]
    assert error.startswith("第3行") and "与第2行重复" in error
    assert not Target.objects.exists()


def test_saving_the_good_rows_is_a_choice_and_still_returns_the_rejects(client, world):
    login_as(client, world["taiyuan_admin"])
    rows = good_rows(world) + [[None, "小店区总工会", 2008, "会员幸福指数", 3]]
    task = task_of(upload(client, workbook(rows), save_good_rows="on"))
    assert Target.objects.count() == 3
    assert (task.result["set"], task.result["rejected"]) == (3, 1)
    assert "1行未通过检查未保存" in task.message
    assert len(rejects_of(client, task)) == 2


def test_a_file_that_is_not_a_spreadsheet_is_refused_by_name(client, world):
    login_as(client, world["taiyuan_admin"])
    response = upload(client, SimpleUploadedFile("targets.pdf", b"%PDF-1.4"))
    assert response.status_code == 200
    assert "只接受 .xlsx 或 .csv 文件" in response.context["form"].errors["file"][0]
    task = task_of(upload(client, SimpleUploadedFile("targets.csv", "甲,乙\n1,2\n".encode())))
    assert task.status == "failed" and "没有找到表头" in task.message
    assert not Target.objects.exists()


def test_the_rejects_are_only_for_whoever_uploaded_them(client, world):
    login_as(client, world["taiyuan_admin"])
    bad = [[None, "不存在的工会", 2008, "新发展会员数", 3]]
    task = task_of(upload(client, workbook(bad)))
    assert client.get(f"/tasks/{task.pk}/download/").status_code == 200
    other = world["province_admin"]
    login_as(client, other)
    assert client.get(f"/tasks/{task.pk}/download/").status_code == 404
    login_as(client, world["datong_editor"])
    assert client.get(f"/imports/task/{task.pk}/").status_code == 404


def test_viewer_gets_403_on_upload_and_on_setting_a_target(client, world):
    login_as(client, world["taiyuan_viewer"])
    assert upload(client, workbook(good_rows(world))).status_code == 403
    response = client.post(
        reverse("stats:targets"),
        {"org": world["xiaodian"].pk, "indicator": "members", "value": "3", "year": "2008"},
    )
    assert response.status_code == 403
    assert not Target.objects.exists()
    assert "上传任务指标" not in client.get(reverse("stats:targets")).content.decode()


def test_the_template_has_chinese_headers_and_the_orgs_and_indicators_to_copy(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.get("/imports/targets/template/")
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["任务指标", "组织编号", "指标"]
    assert [c.value for c in book["任务指标"][1]] == [
        "组织编号",
        "组织名称",
        "年度*",
        "指标*",
        "目标值*",
    ]
    orgs = list(book["组织编号"].values)
    assert orgs[0] == ("组织编号", "组织名称", "类型")
    assert (world["xiaodian"].pk, "小店区总工会", "县(市、区)总工会") in orgs
    assert all(row[1].strip() != "太原市总工会" for row in orgs[1:])
    codes = [row[0] for row in book["指标"].values]
    assert "members_joined" in codes and "coverage_rate" in codes


def test_the_target_form_offers_any_registered_indicator(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post(
        reverse("stats:targets"),
        {"org": world["xiaodian"].pk, "indicator": "units_covered", "value": "30", "year": "2008"},
    )
    assert response.status_code == 302
    assert Target.objects.get().indicator == "units_covered"


@pytest.mark.parametrize("value", ["1e308", 10**30, "99999999999999999999.99"])
def test_a_value_too_large_for_the_column_is_a_row_error(client, world, value):
    login_as(client, world["taiyuan_admin"])
    task = task_of(upload(client, workbook([[None, "小店区总工会", 2008, "新发展会员数", value]])))
    [error] = task.result["errors"]
    assert error.startswith("第3行“目标值”列") and "过大" in error
    assert not Target.objects.exists()
    # The targets pages still open for every ancestor.
    assert client.get(reverse("stats:targets"), {"year": "2008"}).status_code == 200
