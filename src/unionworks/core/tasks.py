"""Background tasks: long work (a whole roll's import, a province report) out of the request.

A task kind is a function registered with ``@task_kind("app.name")``; it receives the
``Task`` and a ``Progress`` and returns the result as a JSON-able dict. ``enqueue``
stores the task and, by ``settings.TASKS_MODE``:

- ``"thread"`` (the demo default): runs it in a daemon thread of the web process once
  the enqueuing transaction commits, so the user can leave the page and come back;
- ``"worker"``: leaves it queued for ``manage.py run_tasks`` (several workers may run:
  each claims one task at a time, ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL);
- ``"eager"``: runs it inline before returning (tests).

A task that raises ends ``failed`` with a Chinese message (a ``DomainError``'s own
message, or a generic one — the traceback goes to the log, not to the user). A task
function may set ``task.output_path`` (a file under ``task_dir(task)``) for the user
to download.

A task whose process died (the server was restarted or killed mid-import) would stay
``running`` for ever: the task records which process runs it and that process's
heartbeat, and ``fail_abandoned`` marks such tasks failed — when ``run_tasks`` starts
and every minute after, and on the web process's first request and every minute after.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone

from unionworks.core.errors import DomainError
from unionworks.core.models import Task

log = logging.getLogger(__name__)

MODES = ("thread", "worker", "eager")
TaskFunction = Callable[[Task, "Progress"], dict]
REGISTRY: dict[str, TaskFunction] = {}


def task_kind(kind: str) -> Callable[[TaskFunction], TaskFunction]:
    """Register ``function`` as the code that runs tasks of ``kind``."""

    def register(function: TaskFunction) -> TaskFunction:
        REGISTRY[kind] = function
        return function

    return register


def mode() -> str:
    value = getattr(settings, "TASKS_MODE", "thread")
    if value not in MODES:
        raise ValueError(f"TASKS_MODE must be one of {MODES}, not {value!r}")
    return value


def task_dir(task: Task) -> Path:
    """Where a task's files live: MEDIA_ROOT/tasks/<id>/."""
    path = Path(settings.MEDIA_ROOT) / "tasks" / str(task.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


class Progress:
    """What a running task reports. Call it once per batch, not per row: each call is a write.

    A task that works inside one long transaction (an import on PostgreSQL) would hide
    its progress until the end; then the report goes through a second, autocommit
    connection so the page polling the task sees it move.
    """

    def __init__(self, task: Task):
        self.task = task
        self._side = None

    def __call__(self, done: int | None = None, total: int | None = None, message: str = ""):
        changes = {}
        if done is not None:
            changes["done"] = self.task.done = max(0, int(done))
        if total is not None:
            changes["total"] = self.task.total = max(0, int(total))
        if message:
            changes["message"] = self.task.message = message[:500]
        if changes:
            changes["heartbeat_at"] = timezone.now()  # a report is also a sign of life
        if changes and not self._write_aside(changes):
            Task.objects.filter(pk=self.task.pk).update(**changes)

    def _write_aside(self, changes: dict) -> bool:
        main = connections[DEFAULT_DB_ALIAS]
        if not (main.in_atomic_block and main.vendor == "postgresql"):
            return False
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        columns = ", ".join(f"{self._side.ops.quote_name(k)} = %s" for k in changes)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Task._meta.db_table} SET {columns} WHERE id = %s",
                [*changes.values(), self.task.pk],
            )
            # 0 rows: the task itself is not committed yet (eager mode inside a transaction).
            return cursor.rowcount == 1

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def _load_registry() -> None:
    """Task kinds live in the apps' modules; import the ones that declare them."""
    from django.apps import apps
    from django.utils.module_loading import autodiscover_modules

    if apps.ready:
        autodiscover_modules("importers", "exports", "reports")


def enqueue(
    kind: str,
    *,
    actor,
    org,
    params: dict | None = None,
    input_path: str | Path = "",
    message: str = "排队等待处理",
) -> Task:
    """Store a task for ``org`` asked by ``actor`` and start it as ``TASKS_MODE`` says."""
    _load_registry()
    if kind not in REGISTRY:
        raise ValueError(f"unknown task kind {kind!r}")
    task = Task.objects.create(
        kind=kind,
        created_by=actor if getattr(actor, "pk", None) else None,
        org=org,
        params=params or {},
        input_path=str(input_path or ""),
        message=message,
    )
    how = mode()
    if how == "eager":
        run_task(task.pk)
        task.refresh_from_db()
    elif how == "thread":
        transaction.on_commit(lambda: start_thread(task.pk))
    return task


def start_thread(task_id: int) -> threading.Thread:
    thread = threading.Thread(
        target=_run_in_thread, args=(task_id,), name=f"task-{task_id}", daemon=True
    )
    thread.start()
    return thread


def _run_in_thread(task_id: int) -> None:
    try:
        run_task(task_id)
    finally:
        connections.close_all()  # this thread's connections only


def _claim(task_id: int) -> bool:
    """Mark a queued task running, by this process; False if another runner got it first."""
    return bool(
        Task.objects.filter(pk=task_id, status=Task.Status.QUEUED).update(
            status=Task.Status.RUNNING,
            started_at=timezone.now(),
            message="正在处理",
            **runner_fields(os.getpid()),
        )
    )


def run_task(task_id: int) -> Task | None:
    """Run one queued task to its end (done or failed). None when it was not ours to run."""
    if not _claim(task_id):
        return None
    return _execute(task_id)


def _execute(task_id: int) -> Task:
    task = Task.objects.select_related("created_by", "org").get(pk=task_id)
    _load_registry()
    function = REGISTRY.get(task.kind)
    progress = Progress(task)
    # Eager runs inline, maybe in the caller's transaction: a beat from another connection
    # could wait on the caller's own lock (and the caller is the process to watch anyway).
    heartbeat = threading.Event() if mode() == "eager" else start_heartbeat(task.pk)
    try:
        if function is None:
            raise DomainError(f"未知的任务类型“{task.kind}”")
        result = function(task, progress) or {}
    except DomainError as exc:
        return _finish(task, Task.Status.FAILED, exc.message)
    except Exception:
        log.exception("task %s (%s) failed", task.pk, task.kind)
        return _finish(task, Task.Status.FAILED, "任务执行出错，请联系系统管理员（详情见日志）")
    finally:
        heartbeat.set()  # not joined: a beat may be waiting for the database
        progress.close()
    # A task that finished its work but whose outcome is a refusal (an import with rejected
    # rows, saved nothing) returns {"failed": True, …}: it ends failed and keeps its result.
    status = Task.Status.FAILED if result.pop("failed", False) else Task.Status.DONE
    return _finish(task, status, result.pop("message", "") or "已完成", result)


def _finish(task: Task, status: str, message: str, result: dict | None = None) -> Task:
    task.status = status
    task.message = message[:500]
    task.finished_at = timezone.now()
    fields = ["status", "message", "finished_at"]
    if result is not None:
        task.result = result
        fields.append("result")
    if result is not None and task.total:
        task.done = task.total  # it ran to the end
        fields.append("done")
    if task.output_path:
        fields.append("output_path")
    Task.objects.filter(pk=task.pk).update(**{f: getattr(task, f) for f in fields})
    return task


def claim_next() -> int | None:
    """The id of the oldest queued task, now claimed by this worker; None when there is none."""
    while True:
        with transaction.atomic():
            queued = Task.objects.filter(status=Task.Status.QUEUED).order_by("created_at", "id")
            if connections[queued.db].features.has_select_for_update_skip_locked:
                queued = queued.select_for_update(skip_locked=True)
            task_id = queued.values_list("pk", flat=True).first()
            if task_id is None:
                return None
            if _claim(task_id):
                return task_id
        # Another worker claimed it between our read and our update (SQLite): look again.


def _refresh_connections() -> None:
    """Between tasks, drop broken or expired connections (never one inside a transaction)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def work(*, once: bool = False, poll_seconds: float = 2.0, stop: threading.Event | None = None):
    """The worker loop behind ``manage.py run_tasks``: returns how many tasks it ran."""
    stop = stop or threading.Event()
    ran = 0
    next_check = 0.0  # at start-up, then every CHECK_SECONDS
    while not stop.is_set():
        _refresh_connections()
        if time.monotonic() >= next_check:
            fail_abandoned()
            next_check = time.monotonic() + CHECK_SECONDS
        task_id = claim_next()
        if task_id is not None:
            _execute(task_id)
            ran += 1
            continue
        if once:
            break
        stop.wait(poll_seconds)
    return ran


# -- tasks left running by a process that died ------------------------------------------

HEARTBEAT_SECONDS = 30
# A runner on another machine (or in another container) is taken for dead only when it
# has not been heard from for this long: its heartbeat comes every HEARTBEAT_SECONDS, and
# a beat may wait behind a long write on SQLite or a clock may be a little off.
STALE_AFTER = dt.timedelta(minutes=10)
CHECK_SECONDS = 60
INTERRUPTED = "处理该任务的进程意外中断（服务重启或进程被终止），请重新发起。"
INTERRUPTED_IMPORT = (
    "处理该任务的进程意外中断（服务重启或进程被终止），未保存任何数据，请重新上传文件。"
)


@functools.cache
def this_host() -> str:
    """This machine and its pid namespace: a pid means the same process only within both."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")  # each container has its own
    except OSError:
        namespace = ""
    return f"{socket.gethostname()} {namespace}".strip()[:200]


@functools.cache
def _boot_id() -> str:
    # After a reboot the same pid may start at the same tick again.
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


@functools.cache
def _has_proc() -> bool:
    return Path("/proc/self/stat").exists()


def process_start(pid: int) -> str | None:
    """What tells process ``pid`` from a later one given the same pid ("" where unknown);
    None when no such process is alive (a zombie, killed but not yet reaped, is not)."""
    if not _has_proc():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # it exists, under another user
        return ""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    except OSError:
        return ""
    fields = stat.rpartition(")")[2].split()  # the name, in brackets, may hold spaces
    if fields[0] in ("Z", "X"):
        return None
    return f"{_boot_id()}:{fields[19]}"  # field 22 of stat: its start, in ticks since boot


def runner_fields(pid: int) -> dict:
    """What a task records of the process ``pid`` (on this host) that runs it."""
    return {
        "runner_host": this_host(),
        "runner_pid": pid,
        "runner_start": process_start(pid) or "",
        "heartbeat_at": timezone.now(),
    }


def start_heartbeat(task_id: int) -> threading.Event:
    """Beat for the task every HEARTBEAT_SECONDS, from its own thread, until the event is set.

    Progress reports beat too, but an import's last step (saving the rows) reports
    nothing for minutes."""
    stop = threading.Event()

    def run():
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                beat(task_id)
        finally:
            connections.close_all()  # this thread's connections only

    threading.Thread(target=run, name=f"task-{task_id}-heartbeat", daemon=True).start()
    return stop


def beat(task_id: int) -> None:
    try:
        Task.objects.filter(pk=task_id, status=Task.Status.RUNNING).update(
            heartbeat_at=timezone.now()
        )
    except DatabaseError as exc:  # SQLite busy with the task's own import: the next will do
        log.info("task %s: heartbeat not written (%s)", task_id, exc)


def runner_is_gone(task: Task, *, now: dt.datetime | None = None) -> bool:
    """Whether the process that runs ``task`` has died (the task is running, or was)."""
    if task.runner_host == this_host() and task.runner_pid:
        start = process_start(task.runner_pid)
        if start is None:
            return True
        return bool(task.runner_start and start and start != task.runner_start)  # pid reused
    last_heard = task.heartbeat_at or task.started_at
    cutoff = (now or timezone.now()) - STALE_AFTER
    return last_heard is not None and last_heard < cutoff


def interrupted_message(kind: str) -> str:
    # An import saves in one transaction: a process that died mid-way saved nothing.
    return INTERRUPTED_IMPORT if "import" in kind else INTERRUPTED


def fail_abandoned() -> list[int]:
    """Mark failed every running task whose process has died; their ids."""
    running = Task.objects.filter(status=Task.Status.RUNNING).only(
        "kind", "started_at", "runner_host", "runner_pid", "runner_start", "heartbeat_at"
    )
    return [task.pk for task in running if runner_is_gone(task) and _fail_interrupted(task)]


def _fail_interrupted(task: Task) -> bool:
    # Only as we saw it: a beat since means its runner is alive after all.
    failed = Task.objects.filter(
        pk=task.pk, status=Task.Status.RUNNING, heartbeat_at=task.heartbeat_at
    ).update(
        status=Task.Status.FAILED,
        message=interrupted_message(task.kind),
        finished_at=timezone.now(),
    )
    if failed:
        log.warning(
            "task %s (%s) was left running by %s pid %s: marked failed",
            task.pk,
            task.kind,
            task.runner_host or "?",
            task.runner_pid,
        )
    return bool(failed)


_next_check = 0.0
_check_lock = threading.Lock()


def fail_abandoned_now_and_then(**_) -> None:
    """``request_started``: look on the web process's first request, then once a minute.

    One indexed query; it never fails the request."""
    global _next_check
    if time.monotonic() < _next_check or not _check_lock.acquire(blocking=False):
        return
    try:
        _next_check = time.monotonic() + CHECK_SECONDS
        fail_abandoned()
    except Exception:
        log.warning("could not look for tasks left running by a dead process", exc_info=True)
    finally:
        _check_lock.release()
