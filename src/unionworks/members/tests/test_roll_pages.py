"""Upload, progress, rejected-rows download and export pages of the roll."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import Workbook, load_workbook

from unionworks.core.models import AuditEntry, Task
from unionworks.core.tests.factories import login_as
from unionworks.members.models import Member
from unionworks.members.tests.factories import join, new_id_number


@pytest.fixture(autouse=True)
def eager_tasks(settings, tmp_path):
    settings.TASKS_MODE = "eager"
    settings.MEDIA_ROOT = tmp_path


def roll_file(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "公民身份号码", "工作单位", "入会时间", "手机号码"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "roll.xlsx"
    return data


def test_upload_with_a_bad_row_saves_nothing_and_returns_the_reasons(client, world):
    login_as(client, world["taiyuan_admin"])
    unit = world["taiyuan_unit"].name
    upload = roll_file(
        [
            ["张三", new_id_number(), unit, "2008-01-05", "13812345678"],
            ["李四", "140502198704020551", unit, "2008-01-05", ""],
        ]
    )
    response = client.post("/imports/roll/", {"org": world["grassroots"].pk, "file": upload})
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/task/{task.pk}/"
    assert Member.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "校验" in page and f"/tasks/{task.pk}/download/" in page
    rejects = load_workbook(
        io.BytesIO(b"".join(client.get(f"/tasks/{task.pk}/download/").streaming_content))
    )
    rows = list(rejects.active.values)
    header = rows[0]
    assert {"行号", "出错列", "原因"} <= set(header)
    reasons = [r[header.index("原因")] for r in rows[1:] if r[header.index("原因")]]
    assert any("校验" in r for r in reasons)


def test_good_upload_saves_and_progress_reaches_the_end(client, world):
    login_as(client, world["taiyuan_admin"])
    upload = roll_file(
        [["张三", new_id_number(), world["taiyuan_unit"].name, "2008-01-05", "13812345678"]]
    )
    client.post("/imports/roll/", {"org": world["grassroots"].pk, "file": upload})
    task = Task.objects.get()
    assert task.status == "done" and task.percent == 100 and task.result["new"] == 1
    assert Member.objects.count() == 1
    fragment = client.get(f"/tasks/{task.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment and "100%" in fragment


def test_wrong_file_type_is_refused(client, world):
    login_as(client, world["taiyuan_admin"])
    upload = io.BytesIO(b"not a roll")
    upload.name = "roll.doc"
    response = client.post("/imports/roll/", {"org": world["grassroots"].pk, "file": upload})
    assert "只接受" in response.content.decode() and not Task.objects.exists()


def test_template_download_has_chinese_headers(client, world):
    login_as(client, world["taiyuan_viewer"])
    response = client.get("/imports/roll/template/")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {str(c.value) for row in book.active.iter_rows(max_row=3) for c in row if c.value}
    assert any("姓名" in c for c in cells) and any("身份" in c for c in cells)


def test_viewer_cannot_upload_and_outsider_gets_404_on_task_pages(client, world):
    login_as(client, world["taiyuan_viewer"])
    upload = roll_file([["张三", new_id_number(), world["taiyuan_unit"].name, "2008-01-05", ""]])
    assert (
        client.post("/imports/roll/", {"org": world["grassroots"].pk, "file": upload}).status_code
        == 403
    )
    login_as(client, world["taiyuan_admin"])
    client.post(
        "/imports/roll/",
        {
            "org": world["grassroots"].pk,
            "file": roll_file(
                [["张三", new_id_number(), world["taiyuan_unit"].name, "2008-01-05", ""]]
            ),
        },
    )
    task = Task.objects.get()
    login_as(client, world["datong_editor"])
    for url in [
        f"/imports/task/{task.pk}/",
        f"/tasks/{task.pk}/progress/",
        f"/tasks/{task.pk}/download/",
        f"/members/export/{task.pk}/",
    ]:
        assert client.get(url).status_code == 404, url


def read_export(client, task) -> list:
    book = load_workbook(
        io.BytesIO(b"".join(client.get(f"/tasks/{task.pk}/download/").streaming_content))
    )
    return list(book.active.values)


def test_export_is_masked_by_default_and_full_only_with_the_permission_and_logged(client, world):
    number = new_id_number()
    join(
        world["grassroots"],
        id_number=number,
        name="王建国",
        phone="13812345678",
        on=dt.date(2008, 1, 1),
    )
    admin = world["taiyuan_admin"]
    login_as(client, admin)
    client.post("/members/export/", {})
    rows = read_export(client, Task.objects.latest("id"))
    assert rows[1][1] == "王建国" and number not in repr(rows) and "13812345678" not in repr(rows)
    client.post("/members/export/", {"full": "1"})
    assert Task.objects.count() == 1, "refused without the permission"
    admin.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client.post("/members/export/", {"full": "1"})
    rows = read_export(client, Task.objects.latest("id"))
    assert number in repr(rows) and "13812345678" in repr(rows)
    assert AuditEntry.objects.filter(action="view", object_id="export").count() == 1


def test_outsider_export_does_not_contain_other_cities_members(client, world):
    join(world["grassroots"], name="王建国", on=dt.date(2008, 1, 1))
    login_as(client, world["datong_editor"])
    client.post("/members/export/", {})
    rows = read_export(client, Task.objects.latest("id"))
    assert len(rows) == 1
