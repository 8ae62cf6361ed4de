"""The list exports over JSON, one for every registered ``ListExport`` (core.exports):
scripts get the same .xlsx as a list's 导出 button, written by the background task.

``POST /api/v1/exports/{name}`` with the list's filters in the query string (as on its
page: ``/api/v1/exports/contracts?state=in_force``) queues the export and answers 202 with
the task; ``GET /api/v1/exports/{id}`` gives its progress; ``GET /api/v1/exports/{id}/file``
the workbook, only to whoever asked for it. A filter naming a record outside the account's
subtree is a 404, as on the page.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Router, Schema, Status

from unionworks.core import exports, tasks
from unionworks.core.api import ErrorOut
from unionworks.core.selectors import task_for
from unionworks.core.views import task_file_response

router = Router(tags=["导出"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ExportTaskOut(Schema):
    id: int
    list: str
    status: str
    done: int
    total: int
    message: str
    file_url: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


def _out(task) -> dict:
    ready = task.status == task.Status.DONE and bool(task.output_path)
    return {
        "id": task.pk,
        "list": task.params.get("list", ""),
        "status": task.status,
        "done": task.done,
        "total": task.total,
        "message": task.message,
        "file_url": f"/api/v1/exports/{task.pk}/file" if ready else None,
        "created_at": task.created_at,
        "finished_at": task.finished_at,
    }


# The id routes come first: ``{name}`` would match an id too.


def _mine(request, task_id: int):
    """The caller's own export task (another's, or another kind, is a 404)."""
    task = task_for(request.user, task_id)
    if task.kind != exports.TASK_KIND or task.created_by_id != request.user.pk:
        raise Http404
    return task


@router.get("/exports/{int:task_id}", response={200: ExportTaskOut, **ERRORS}, summary="导出进度")
def export_status(request, task_id: int):
    return Status(200, _out(_mine(request, task_id)))


@router.get("/exports/{int:task_id}/file", response={404: ErrorOut}, summary="下载导出的文件")
def export_file(request, task_id: int):
    return task_file_response(_mine(request, task_id))


@router.post(
    "/exports/{name}", response={202: ExportTaskOut, **ERRORS}, summary="导出列表（.xlsx）"
)
def start_export(request, name: str):
    export = exports.export_named(name)
    if export is None:
        raise Http404
    params = {"list": name, "query": exports.query_params(request.GET)}
    # Read the filters now, in the account's scope: another city's org is a 404 here.
    user = request.user
    export.records(user, export.filters(user, exports.Query(params["query"])))
    task = tasks.enqueue(exports.TASK_KIND, actor=user, org=user.org, params=params)
    task.refresh_from_db()
    return Status(202, _out(task))
