"""How long files holding personal data are kept: uploaded spreadsheets and task files.

An uploaded roll carries every ID number in clear; so do the rejected rows sent back, and
an unmasked export. They are needed while the user downloads them, not for ever. What is
older than ``TASK_FILES_KEEP_DAYS`` goes: finished tasks (their record and folder, their
upload), and folders no task names any more (uploads whose task was never created, the
command line's imports). The audit trail keeps who imported or exported what.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from unionworks.core.models import Task

FINISHED = (Task.Status.DONE, Task.Status.FAILED)


def _media(*parts: str) -> Path:
    return Path(settings.MEDIA_ROOT).joinpath(*parts)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _remove(path: Path) -> bool:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
        return True
    if path.is_file():
        path.unlink(missing_ok=True)
        return True
    return False


def purge_task_files(*, days: int | None = None, now: dt.datetime | None = None) -> dict:
    """Remove what is older than ``days`` (default TASK_FILES_KEEP_DAYS); return the counts.

    A queued or running task keeps its files whatever its age."""
    days = settings.TASK_FILES_KEEP_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    uploads, tasks_root = _media("uploads"), _media("tasks")
    counts = {"tasks": 0, "folders": 0}
    old = Task.objects.filter(status__in=FINISHED, finished_at__lt=cutoff)
    for task in old.iterator():
        _remove(tasks_root / str(task.pk))
        for name in (task.input_path, task.output_path):
            path = Path(name) if name else None
            if path is None:
                continue
            if _inside(path, uploads):
                _remove(path.parent if path.parent != uploads else path)
            elif _inside(path, tasks_root):
                _remove(path)
    counts["tasks"] = old.delete()[1].get(Task._meta.label, 0)
    # Folders no task names any more, by their age on disk.
    kept = {
        Path(name).resolve().parent
        for name in Task.objects.exclude(input_path="").values_list("input_path", flat=True)
    }
    stamp = cutoff.timestamp()
    for folder in (uploads, tasks_root / "imports"):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.resolve() in kept or path.stat().st_mtime >= stamp:
                continue
            counts["folders"] += _remove(path)
    return counts
