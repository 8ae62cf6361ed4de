import signal

import pytest
from django.core.management import call_command

from unionworks.core import tasks
from unionworks.core.errors import DomainError
from unionworks.core.models import Task


@tasks.task_kind("tests.count")
def count_to(task, progress):
    total = task.params["n"]
    progress(0, total, "开始")
    for done in range(0, total + 1, 10):
        progress(done, total)
    return {"counted": total, "message": f"数到了{total}"}


@tasks.task_kind("tests.refuse")
def refuse(task, progress):
    raise DomainError("文件里没有数据")


@tasks.task_kind("tests.crash")
def crash(task, progress):
    raise RuntimeError("secret internals")


@pytest.fixture
def eager(settings):
    settings.TASKS_MODE = "eager"


def test_eager_task_runs_inline_to_done_with_its_result(world, eager):
    task = tasks.enqueue(
        "tests.count", actor=world["taiyuan_admin"], org=world["taiyuan"], params={"n": 30}
    )
    assert task.status == Task.Status.DONE
    assert (task.done, task.total, task.percent) == (30, 30, 100)
    assert task.result == {"counted": 30}
    assert task.message == "数到了30"
    assert task.created_by == world["taiyuan_admin"] and task.org == world["taiyuan"]
    assert task.started_at and task.finished_at


def test_a_task_that_raises_a_domain_error_fails_with_its_message(world, eager):
    task = tasks.enqueue("tests.refuse", actor=None, org=world["taiyuan"])
    assert task.status == Task.Status.FAILED
    assert task.message == "文件里没有数据"


def test_a_task_that_crashes_fails_without_showing_internals(world, eager):
    task = tasks.enqueue("tests.crash", actor=None, org=world["taiyuan"])
    assert task.status == Task.Status.FAILED
    assert "secret" not in task.message and "系统管理员" in task.message


def test_unknown_kind_is_refused(world, eager):
    with pytest.raises(ValueError):
        tasks.enqueue("tests.nothing", actor=None, org=world["taiyuan"])


def test_worker_mode_leaves_tasks_for_run_tasks(world, settings):
    settings.TASKS_MODE = "worker"
    first = tasks.enqueue("tests.count", actor=None, org=world["taiyuan"], params={"n": 10})
    second = tasks.enqueue("tests.refuse", actor=None, org=world["datong"])
    assert Task.objects.filter(status=Task.Status.QUEUED).count() == 2
    before = signal.getsignal(signal.SIGTERM)
    call_command("run_tasks", "--once")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Task.Status.DONE, Task.Status.FAILED)
    # Its stop handler is gone again: processes forked later must not inherit it.
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_claimed_task_is_not_claimed_again(world, settings):
    settings.TASKS_MODE = "worker"
    task = tasks.enqueue("tests.count", actor=None, org=world["taiyuan"], params={"n": 10})
    assert tasks.claim_next() == task.pk
    assert tasks.claim_next() is None
    assert tasks.run_task(task.pk) is None  # already running elsewhere
    assert Task.objects.get(pk=task.pk).status == Task.Status.RUNNING


@pytest.mark.django_db(transaction=True)
def test_thread_mode_runs_the_task_after_commit_in_a_thread(settings, monkeypatch):
    from unionworks.core.tests.factories import OrgFactory

    settings.TASKS_MODE = "thread"
    started = []
    real_start = tasks.start_thread
    monkeypatch.setattr(tasks, "start_thread", lambda pk: started.append(real_start(pk)))
    org = OrgFactory()
    task = tasks.enqueue("tests.count", actor=None, org=org, params={"n": 20})
    assert len(started) == 1
    started[0].join(timeout=30)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.done == 20
