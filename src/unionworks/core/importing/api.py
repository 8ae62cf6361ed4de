"""The import API, one for every kind: scripts load a roll without scraping pages.

``POST /api/v1/imports/{kind}`` (multipart: ``file`` and the upload page's fields —
``org``, the kind's own such as ``campaign``, ``save_good_rows``, ``dry_run``) queues
the import and answers 202 with the task; ``GET /api/v1/imports/{id}`` gives its
status, counts and errors; ``GET /api/v1/imports/{id}/rejects`` the rejected rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from unionworks.core import roles
from unionworks.core.api import ErrorOut
from unionworks.core.errors import DomainError
from unionworks.core.importing.pipeline import TASK_PREFIX
from unionworks.core.importing.views import UploadForm, importer_or_404
from unionworks.core.selectors import task_for

router = Router(tags=["导入"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ImportTaskOut(Schema):
    id: int
    kind: str
    org_id: int
    status: str
    done: int
    total: int
    message: str
    dry_run: bool
    result: dict | None
    rejects_url: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


def task_out(request, task) -> dict:
    mine = task.created_by_id == request.user.pk
    return {
        "id": task.pk,
        "kind": task.kind.removeprefix(TASK_PREFIX),
        "org_id": task.org_id,
        "status": task.status,
        "done": task.done,
        "total": task.total,
        "message": task.message,
        "dry_run": bool(task.params.get("dry_run")),
        "result": task.result or None,
        # Rejected rows hold the file's personal data: only for whoever uploaded it.
        "rejects_url": (
            f"/api/v1/imports/{task.pk}/rejects" if task.output_path and mine else None
        ),
        "created_at": task.created_at,
        "finished_at": task.finished_at,
    }


def import_task_for(request, task_id: int):
    task = task_for(request.user, task_id)
    if not task.kind.startswith(TASK_PREFIX):
        raise Http404
    return task


@router.get(
    "/imports/{int:task_id}", response={200: ImportTaskOut, **ERRORS}, summary="导入进度和结果"
)
def import_status(request, task_id: int):
    return Status(200, task_out(request, import_task_for(request, task_id)))


@router.get("/imports/{int:task_id}/rejects", response={404: ErrorOut}, summary="下载未通过的行")
def import_rejects(request, task_id: int):
    task = import_task_for(request, task_id)
    path = Path(task.output_path) if task.output_path else None
    if (
        task.created_by_id != request.user.pk
        or path is None
        or not path.is_file()
        or not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    ):
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@router.post("/imports/{kind}", response={202: ImportTaskOut, **ERRORS}, summary="上传文件导入")
def start_import(request, kind: str, file: File[UploadedFile]):
    importer = importer_or_404(kind)
    roles.require_writer(request.user)
    form = UploadForm(request.POST, request.FILES, importer=importer, actor=request.user)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        label = form.fields[name].label if name in form.fields else ""
        raise DomainError(f"{label}：{errors[0]}" if label else errors[0], field=name)
    task = form.start(request.user)
    task.refresh_from_db()
    return Status(202, task_out(request, task))
