"""A roll naming units the union has not registered says so once — the list of missing
units, the closest registered names and a link to register each — and a "save the good
rows" run that saved nothing ends 失败, not 已完成."""

import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from unionworks.core.importing.pipeline import start_import
from unionworks.core.models import Task
from unionworks.core.tests.factories import login_as
from unionworks.members.models import Member
from unionworks.members.roll_import import import_roll

SAMPLES = Path(__file__).resolve().parents[4].parent / "shared" / "samples"


def _copy(tmp_path) -> Path:
    source = SAMPLES / "roll-2008-taiyuan.csv"
    if not source.is_file():
        pytest.fail(f"shared sample {source} is missing")
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


def test_missing_units_are_listed_once_with_the_closest_registered_names(world, tmp_path):
    result = import_roll(
        actor=world["taiyuan_admin"],
        org=world["grassroots"],
        path=_copy(tmp_path),
        save_good_rows=True,
        rejects_dir=tmp_path,
    )
    assert result.rejected == result.rows == 240 and Member.objects.count() == 0
    [notice] = result.notices
    names = {item["name"]: item for item in notice["items"]}
    assert "太原重型机械集团有限公司" in names
    heavy = names["太原重型机械集团有限公司"]
    assert heavy["closest"][0] == "太原重型机械有限公司"  # world's registered unit
    assert heavy["link"].startswith(reverse("orgs:unit_create") + "?name=")
    assert sum(item["rows"] for item in notice["items"]) <= 240
    assert f"{len(names)}个工作单位尚未登记" in notice["text"]
    # The page's list of errors no longer repeats the same reason row after row.
    assert not any("尚未登记" in e.reason for e in result.errors)
    assert result.message.startswith("没有保存任何行")


def test_a_good_rows_run_that_saved_nothing_is_not_done(client, world, tmp_path, settings):
    settings.TASKS_MODE = "eager"
    settings.MEDIA_ROOT = tmp_path / "media"
    task = start_import(
        "roll",
        actor=world["taiyuan_admin"],
        org=world["grassroots"],
        path=_copy(tmp_path),
        save_good_rows=True,
    )
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED and task.get_status_display() == "失败"
    assert task.message.startswith("没有保存任何行")
    login_as(client, world["taiyuan_admin"])
    html = client.get(reverse("imports:status", args=[task.pk])).content.decode()
    assert "已完成" not in html and "登记此单位" in html and "太原重型机械有限公司" in html


def test_the_unit_form_takes_the_name_from_the_link(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.get(reverse("orgs:unit_create"), {"name": "太原重型机械集团有限公司"})
    assert response.context["form"]["name"].value() == "太原重型机械集团有限公司"
