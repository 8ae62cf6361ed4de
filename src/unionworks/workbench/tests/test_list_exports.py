"""Units, hardship files, disbursements and the audit trail export as their lists filter
them, through one task kind; outsiders get 404, and the file goes only to who asked."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from unionworks.assistance.models import Disbursement
from unionworks.assistance.tests.factories import (
    accounts,
    campaign,
    new_id_number,
    open_file,
    propose,
    raise_funds,
)
from unionworks.core.exports import cell, query_params
from unionworks.core.models import Task
from unionworks.core.tests.factories import login_as


@pytest.fixture(autouse=True)
def _eager(settings, tmp_path):
    settings.TASKS_MODE = "eager"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def lists(world):
    people = accounts(world)
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"], "5000.00")
    propose(warmth, world["xiaodian"], name="李秀英", cash="300.00")
    propose(
        warmth, world["xiaodian"], name="张伟", cash="200.00", category=Disbursement.Category.MODEL
    )
    open_file(world["xiaodian"], name="王建国")
    return {**world, **people, "warmth": warmth}


def _export(client, name, data=None):
    response = client.post(reverse("tasks:export", args=[name]), data or {})
    assert response.status_code == 302, response.status_code
    task = Task.objects.filter(kind="core.export_list").latest("id")
    assert response["Location"] == reverse("tasks:export_status", args=[task.pk])
    return task


def _rows(client, task) -> list[list]:
    assert task.status == Task.Status.DONE, task.message
    response = client.get(reverse("tasks:download", args=[task.pk]))
    assert response.status_code == 200
    path = Path(task.output_path)
    book = load_workbook(path, read_only=True)
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def test_disbursements_export_as_filtered(client, lists):
    login_as(client, lists["taiyuan_admin"])
    task = _export(client, "disbursements", {"category": "migrant", "page": "2"})
    task.refresh_from_db()
    assert task.params == {"list": "disbursements", "query": {"category": "migrant"}}
    rows = _rows(client, task)
    assert rows[0][:3] == ["姓名", "身份证号", "帮扶活动"]
    assert [r[0] for r in rows[1:]] == ["李秀英"]
    assert rows[1][5] == 300  # money stays a number
    assert "*" in rows[1][1]  # masked, as the list shows it
    page = client.get(reverse("tasks:export_status", args=[task.pk])).content.decode()
    assert "导出帮扶发放" in page and "导出行数" in page


def test_hardship_files_units_and_audit_trail_export(client, lists):
    login_as(client, lists["taiyuan_admin"])
    files = _rows(client, _export(client, "hardship-files", {"status": "open"}))
    assert [r[0] for r in files[1:]] == ["王建国"]
    assert files[1][5] == "因病"
    units = _rows(client, _export(client, "units"))
    assert [r[0] for r in units[1:]] == ["太原重型机械有限公司"]
    trail = _rows(client, _export(client, "audit", {"model": "assistance.disbursement"}))
    assert trail[0] == ["时间", "操作人", "操作", "记录类型", "记录", "所属组织", "变更内容"]
    assert len(trail) == 3 and all(r[3] == "帮扶发放" or r[3] for r in trail[1:])
    assert all(isinstance(r[0], dt.datetime) for r in trail[1:])


def test_the_lists_offer_the_export(client, lists):
    login_as(client, lists["taiyuan_viewer"])
    for url, name in [
        (reverse("orgs:unit_list"), "units"),
        (reverse("assistance:files"), "hardship-files"),
        (reverse("assistance:disbursements"), "disbursements"),
        (reverse("core:audit_list"), "audit"),
    ]:
        html = client.get(url).content.decode()
        assert reverse("tasks:export", args=[name]) in html, url


def test_an_outsider_exports_nothing_of_another_city(client, lists):
    login_as(client, lists["datong_editor"])
    rows = _rows(client, _export(client, "disbursements"))
    assert rows[1:] == []
    # A filter naming another city's org is a 404, and no task is started.
    count = Task.objects.count()
    url = reverse("tasks:export", args=["units"])
    assert client.post(url, {"org": lists["taiyuan"].pk}).status_code == 404
    assert Task.objects.count() == count
    # Someone else's export: neither its page nor its file.
    login_as(client, lists["taiyuan_admin"])
    mine = _export(client, "units")
    login_as(client, lists["datong_editor"])
    assert client.get(reverse("tasks:export_status", args=[mine.pk])).status_code == 404
    assert client.get(reverse("tasks:download", args=[mine.pk])).status_code == 404


def test_unknown_exports_and_gets_are_refused(client, lists):
    login_as(client, lists["taiyuan_admin"])
    assert client.post(reverse("tasks:export", args=["nothing"])).status_code == 404
    assert client.get(reverse("tasks:export", args=["units"])).status_code == 405


def test_a_full_id_number_is_kept_masked_in_the_task():
    number = new_id_number(birth_date=dt.date(1970, 1, 1))
    from django.http import QueryDict

    params = query_params(QueryDict(f"q={number}&status=open&page=3"))
    assert params["status"] == "open" and "page" not in params
    assert params["q"] != number and params["q"].startswith(number[:4]) and "*" in params["q"]


def test_cells_are_written_through_one_helper():
    assert cell(None) == "" and cell(True) == "是" and cell(3) == 3
    assert cell(dt.date(2008, 9, 30)) == dt.date(2008, 9, 30)
