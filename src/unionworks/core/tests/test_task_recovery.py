"""A task left running by a process that died (the server restarted or killed mid-import)
ends failed, saying nothing was saved; a task whose process is alive is left alone."""

import datetime as dt
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from unionworks.core import tasks
from unionworks.core.models import Task

SRC = Path(__file__).resolve().parents[3]


@tasks.task_kind("tests.import_then_hang")
def import_then_hang(task, progress):
    """Saves a row in the import's transaction, reports, then waits to be killed."""
    with transaction.atomic():
        Task.objects.create(kind="tests.half_saved", org_id=task.org_id)
        progress(1, 1, "正在保存")
        threading.Event().wait()


@tasks.task_kind("tests.quick")
def quick(task, progress):
    return {}


def wait_for(condition, seconds: float = 60, what: str = "the condition"):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)  # polling, with a deadline


def running_task(world, kind="members.import_roll", **runner) -> Task:
    return Task.objects.create(
        kind=kind,
        org=world["taiyuan"],
        status=Task.Status.RUNNING,
        started_at=timezone.now(),
        done=60_000,
        total=60_000,
        message="正在保存",
        **runner,
    )


def status_of(task) -> tuple[str, str]:
    task.refresh_from_db()
    return task.status, task.message


@pytest.fixture
def child():
    """A forked process that just waits (a runner in the middle of its work)."""
    context = multiprocessing.get_context("fork")
    never = context.Event()
    process = context.Process(target=never.wait, daemon=True)
    process.start()
    yield process
    if process.is_alive():
        process.kill()
    process.join(timeout=30)


def test_a_task_whose_process_is_killed_ends_failed_and_not_before(world, child):
    task = running_task(world, **tasks.runner_fields(child.pid))
    assert tasks.fail_abandoned() == []
    assert status_of(task) == (Task.Status.RUNNING, "正在保存")

    os.kill(child.pid, signal.SIGKILL)
    # Dead but not yet reaped by its parent (a zombie): gone all the same.
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    assert tasks.fail_abandoned() == [task.pk]
    assert status_of(task) == (Task.Status.FAILED, tasks.INTERRUPTED_IMPORT)
    assert "未保存任何数据" in task.message and "重新上传" in task.message
    assert task.finished and task.finished_at

    child.join(timeout=30)  # reaped: its pid is free
    assert tasks.process_start(child.pid) is None
    assert tasks.fail_abandoned() == []  # already failed


def test_a_task_claimed_here_records_this_process_and_is_left_alone(world, settings):
    settings.TASKS_MODE = "worker"
    task = tasks.enqueue("tests.import_then_hang", actor=None, org=world["taiyuan"])
    assert tasks.claim_next() == task.pk
    task.refresh_from_db()
    assert (task.runner_host, task.runner_pid) == (tasks.this_host(), os.getpid())
    assert task.runner_start and task.runner_start == tasks.process_start(os.getpid())
    assert task.heartbeat_at
    assert tasks.fail_abandoned() == []
    assert task.status == Task.Status.RUNNING


def test_a_later_process_with_the_runners_pid_is_not_the_runner(world):
    reused = running_task(world, **{**tasks.runner_fields(os.getpid()), "runner_start": "x:1"})
    unknown = running_task(world, **{**tasks.runner_fields(os.getpid()), "runner_start": ""})
    assert tasks.fail_abandoned() == [reused.pk]
    assert status_of(unknown)[0] == Task.Status.RUNNING  # alive, as far as we can tell


def test_a_runner_elsewhere_is_dead_once_it_has_not_been_heard_from_for_long(world):
    long_ago = timezone.now() - tasks.STALE_AFTER - dt.timedelta(minutes=1)
    elsewhere = {"runner_host": "web-2 pid:[1]", "runner_pid": os.getpid()}
    silent = running_task(world, "members.export_roll", **elsewhere, heartbeat_at=long_ago)
    beating = running_task(world, **elsewhere, heartbeat_at=timezone.now())
    # From before runners were recorded: only its start is known.
    older = running_task(world)
    Task.objects.filter(pk=older.pk).update(started_at=long_ago)

    assert sorted(tasks.fail_abandoned()) == sorted([silent.pk, older.pk])
    assert status_of(silent) == (Task.Status.FAILED, tasks.INTERRUPTED)
    assert "重新发起" in silent.message
    assert status_of(older) == (Task.Status.FAILED, tasks.INTERRUPTED_IMPORT)
    assert status_of(beating)[0] == Task.Status.RUNNING


def test_run_tasks_fails_abandoned_tasks_when_it_starts(world, child, settings):
    settings.TASKS_MODE = "worker"
    task = running_task(world, **tasks.runner_fields(child.pid))
    child.kill()
    child.join(timeout=30)
    call_command("run_tasks", "--once")
    assert status_of(task) == (Task.Status.FAILED, tasks.INTERRUPTED_IMPORT)


def test_the_web_process_looks_on_its_first_request_then_once_a_minute(
    world, child, client, monkeypatch
):
    monkeypatch.setattr(tasks, "_next_check", 0.0)  # as at start-up
    first = running_task(world, **tasks.runner_fields(child.pid))
    child.kill()
    child.join(timeout=30)
    client.get("/accounts/login/")
    assert status_of(first)[0] == Task.Status.FAILED

    second = running_task(world, **{**tasks.runner_fields(child.pid), "runner_start": ""})
    client.get("/accounts/login/")
    assert status_of(second)[0] == Task.Status.RUNNING  # not on every request: it is cheap


def test_progress_reports_and_the_heartbeat_thread_beat(world, monkeypatch):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    task = running_task(world, heartbeat_at=long_ago)
    tasks.Progress(task)(10, 20)
    task.refresh_from_db()
    assert task.heartbeat_at > long_ago

    beats = threading.Semaphore(0)
    monkeypatch.setattr(tasks, "HEARTBEAT_SECONDS", 0.01)
    monkeypatch.setattr(tasks, "beat", lambda task_id: beats.release())
    stop = tasks.start_heartbeat(task.pk)
    try:
        assert beats.acquire(timeout=30) and beats.acquire(timeout=30)  # and again
    finally:
        stop.set()


def test_a_worker_beats_while_its_task_runs_and_stops_after(world, settings, monkeypatch):
    settings.TASKS_MODE = "worker"
    started = []
    real = tasks.start_heartbeat
    monkeypatch.setattr(
        tasks, "start_heartbeat", lambda pk: started.append(real(pk)) or started[-1]
    )
    task = tasks.enqueue("tests.quick", actor=None, org=world["taiyuan"])
    call_command("run_tasks", "--once")
    assert status_of(task)[0] == Task.Status.DONE
    assert len(started) == 1 and started[0].is_set()


def database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgresql://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker in another process")
@pytest.mark.django_db(transaction=True)
def test_a_run_tasks_worker_killed_mid_import_leaves_a_failed_task_and_nothing_saved(
    settings, tmp_path
):
    from unionworks.core.tests.factories import OrgFactory

    settings.TASKS_MODE = "worker"
    task = tasks.enqueue("tests.import_then_hang", actor=None, org=OrgFactory())
    code = (
        "import django; django.setup();"
        "import unionworks.core.tests.test_task_recovery;"  # its task kind
        "from django.core.management import call_command;"
        "call_command('run_tasks', '--poll', '0.05')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionworks.settings",
        "PYTHONPATH": str(SRC),
        "DATABASE_URL": database_url(),
        "TASKS_MODE": "worker",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=log, stderr=log)
    try:
        wait_for(
            lambda: (
                status_of(task) == (Task.Status.RUNNING, "正在保存") or worker.poll() is not None
            ),
            what="the worker to reach the saving step",
        )
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        assert task.runner_pid == worker.pid
        assert tasks.fail_abandoned() == []  # its worker is alive
    finally:
        worker.kill()
        worker.wait(timeout=30)
        log.close()

    call_command("run_tasks", "--once")  # a worker starting again
    assert status_of(task) == (Task.Status.FAILED, tasks.INTERRUPTED_IMPORT)
    assert not Task.objects.filter(kind="tests.half_saved").exists()


def test_run_tasks_yields_the_cpu_to_the_web_workers(db, settings, monkeypatch):
    import os

    asked = []
    monkeypatch.setattr(os, "nice", asked.append)
    settings.TASK_NICENESS = 10
    call_command("run_tasks", "--once")
    call_command("run_tasks", "--once", "--nice", "0")
    assert asked == [10]
