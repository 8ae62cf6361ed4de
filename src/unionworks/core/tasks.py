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
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
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
    """Mark a queued task running; False if another runner got it first."""
    return bool(
        Task.objects.filter(pk=task_id, status=Task.Status.QUEUED).update(
            status=Task.Status.RUNNING, started_at=timezone.now(), message="正在处理"
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
    while not stop.is_set():
        _refresh_connections()
        task_id = claim_next()
        if task_id is not None:
            _execute(task_id)
            ran += 1
            continue
        if once:
            break
        stop.wait(poll_seconds)
    return ran
