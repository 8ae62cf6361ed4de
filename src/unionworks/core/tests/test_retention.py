"""Files holding personal data (uploads, rejected rows, exports) do not stay for ever."""

import datetime as dt
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from unionworks.core.models import Task
from unionworks.core.retention import purge_task_files

NOW = timezone.now()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASK_FILES_KEEP_DAYS = 30
    return tmp_path


def file_at(path, *, days_old: int):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("140105198001010011")
    stamp = (NOW - dt.timedelta(days=days_old)).timestamp()
    os.utime(path, (stamp, stamp))
    os.utime(path.parent, (stamp, stamp))
    return path


def task(world, media, name, *, status=Task.Status.DONE, days_old: int):
    finished = NOW - dt.timedelta(days=days_old)
    upload = file_at(media / "uploads" / name / "花名册.xlsx", days_old=days_old)
    made = Task.objects.create(
        kind="members.import_roll",
        org=world["taiyuan"],
        status=status,
        input_path=str(upload),
        finished_at=finished if status in (Task.Status.DONE, Task.Status.FAILED) else None,
    )
    rejects = file_at(media / "tasks" / str(made.pk) / "未通过的行.xlsx", days_old=days_old)
    made.output_path = str(rejects)
    made.save(update_fields=["output_path"])
    return made


def test_old_finished_tasks_go_with_their_files_and_the_rest_stays(world, media):
    old = task(world, media, "a", days_old=40)
    failed = task(world, media, "b", status=Task.Status.FAILED, days_old=31)
    recent = task(world, media, "c", days_old=3)
    running = task(world, media, "d", status=Task.Status.RUNNING, days_old=90)
    orphan = file_at(media / "uploads" / "e" / "花名册.csv", days_old=60)
    command_line = file_at(media / "tasks" / "imports" / "f" / "未通过的行.xlsx", days_old=45)
    fresh_orphan = file_at(media / "uploads" / "g" / "花名册.csv", days_old=1)

    assert purge_task_files(now=NOW) == {"tasks": 2, "folders": 2}

    assert set(Task.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    for gone in (old, failed):
        assert not os.path.exists(gone.input_path) and not os.path.exists(gone.output_path)
    for kept in (recent, running):
        assert os.path.exists(kept.input_path) and os.path.exists(kept.output_path)
    assert not orphan.exists() and not command_line.exists() and fresh_orphan.exists()


def test_the_command_takes_the_days(world, media, capsys):
    recent = task(world, media, "a", days_old=3)
    call_command("purge_task_files", "--days", "2")
    assert not Task.objects.filter(pk=recent.pk).exists()
    assert not os.path.exists(recent.input_path)
    assert "已删除 1 个已结束任务" in capsys.readouterr().out
