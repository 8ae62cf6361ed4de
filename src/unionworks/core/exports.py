"""List exports (导出): any list page's records, as filtered there, into an .xlsx written
by a background task — units, hardship files, disbursements, the audit trail, and the next
apps' lists. An app declares what a list exports in its ``exports.py``:

```python
register_export(ListExport(
    name="disbursements",                       # /tasks/export/disbursements/
    title="帮扶发放",                            # the sheet, the file and the page say it
    filters=lambda actor, query: {...},         # the list's filter form read from its query
    records=lambda actor, filters: queryset,    # the scoped selector behind the list
    columns=[("姓名", lambda d: d.name), ...],  # Chinese headers, one value per record
    file_title=lambda actor, filters: "...",    # optional: the file's name (else title)
))
```

``records`` is a QuerySet, anything with ``count()`` and ``iterator(chunk_size=)`` (rows
computed batch by batch from one), or a list (a few computed rows, such as a ledger).

Every cell goes through ``cell`` (one place to make a value safe for a spreadsheet).
The filters are stored with the task as the list page read them, except a full ID number
typed into a search, which is kept masked (the export then finds the same person by the
masked number): the task's parameters never hold a full ID number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from unionworks.core.errors import DomainError
from unionworks.core.idnumber import mask_id_number, normalize_id_number
from unionworks.core.models import Task
from unionworks.core.spreadsheets import append_row, new_workbook, save_workbook
from unionworks.core.tasks import task_dir, task_kind

TASK_KIND = "core.export_list"
BATCH = 2000
# Query keys a list page may carry that are no filter (pagination, htmx).
NOT_FILTERS = {"page", "after", "before", "last", "csrfmiddlewaretoken"}
_FULL_ID = re.compile(r"^\s*\d{17}[\dXx]\s*$|^\s*\d{15}\s*$")


def cell(value):
    """One value as written into an exported workbook. Every list export writes through
    here: dates stay dates, money stays Decimal (a number in the sheet), None is empty."""
    if value is None:
        return ""
    if isinstance(value, (bool,)):
        return "是" if value else "否"
    if isinstance(value, (int, float, Decimal, dt.date, dt.datetime)):
        return value
    return str(value)


@dataclass(frozen=True)
class ListExport:
    name: str
    title: str
    filters: Callable[[object, dict], dict]
    records: Callable[[object, dict], QuerySet]
    columns: list[tuple[str, Callable]]
    file_title: Callable[[object, dict], str] | None = None


_EXPORTS: dict[str, ListExport] = {}


def register_export(*exports: ListExport) -> None:
    for export in exports:
        if export.name in _EXPORTS and _EXPORTS[export.name] != export:
            raise ValueError(f"export {export.name} registered twice")
        _EXPORTS[export.name] = export


def export_named(name: str) -> ListExport | None:
    from unionworks.core.tasks import _load_registry

    _load_registry()
    return _EXPORTS.get(name)


def query_params(query) -> dict:
    """The list page's query as the task keeps it: filters only, a full ID number masked."""
    params = {}
    for key in query:
        if key in NOT_FILTERS:
            continue
        values = (
            [v for v in query.getlist(key) if v != ""]
            if hasattr(query, "getlist")
            else [query[key]]
        )
        values = [_without_full_id(str(v)) for v in values]
        if values:
            params[key] = values if len(values) > 1 else values[0]
    return params


def _without_full_id(value: str) -> str:
    if _FULL_ID.match(value):
        try:
            return mask_id_number(normalize_id_number(value))
        except Exception:  # not a valid number after all: keep the digits out anyway
            return ""
    return value


class Query(dict):
    """The stored parameters read back as the list's filter form reads a QueryDict."""

    def getlist(self, key):
        value = self.get(key)
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]


def rows_of(export: ListExport, records: Iterable) -> Iterable[list]:
    for record in records:
        yield [cell(value(record)) for _header, value in export.columns]


@task_kind(TASK_KIND)
def run_list_export(task: Task, progress) -> dict:
    """params: ``list`` (the export's name) and ``query`` (the list page's filters)."""
    export = export_named(task.params.get("list", ""))
    if export is None:
        raise DomainError("未知的导出类型")
    actor = task.created_by
    filters = export.filters(actor, Query(task.params.get("query") or {}))
    records = export.records(actor, filters)
    listed = isinstance(records, (list, tuple))
    total = len(records) if listed else records.count()
    progress(0, total, "正在导出")
    book = new_workbook(write_only=True)
    sheet = book.create_sheet(export.title[:31])
    append_row(sheet, [cell(header) for header, _value in export.columns])
    written = 0
    for row in rows_of(export, records if listed else records.iterator(chunk_size=BATCH)):
        append_row(sheet, row)  # text that reads as a formula is written as text
        written += 1
        if written % BATCH == 0:
            progress(written, total, "正在导出")
    progress(written, total, "已导出")
    title = export.file_title(actor, filters) if export.file_title else export.title
    path = task_dir(task) / f"{_file_safe(title)}.xlsx"
    save_workbook(book, path)
    task.output_path = str(path)
    return {"figures": [["导出行数", written]]}


def _file_safe(title: str) -> str:
    """A title as a file name: no path separators or control characters."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", title)[:120] or "导出"


# ---- the audit trail (core's own list) -----------------------------------------------------


def _audit_filters(actor, query) -> dict:
    from unionworks.core.models import AuditEntry
    from unionworks.core.views import audited_model_choices

    action, model = query.get("action") or "", query.get("model") or ""
    return {
        "action": action if action in AuditEntry.Action.values else "",
        "model": model if model in {v for v, _label in audited_model_choices()} else "",
    }


def _audit_records(actor, filters: dict) -> QuerySet:
    from unionworks.core.selectors import audit_entries_for

    return audit_entries_for(actor, **filters)


def _changes_text(entry) -> str:
    from unionworks.core.audit import field_label

    lines = []
    for field, pair in (entry.changes or {}).items():
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        lines.append(
            f"{field_label(field)}：{'' if old is None else old} → {'' if new is None else new}"
        )
    return "\n".join(lines)


register_export(
    ListExport(
        name="audit",
        title="审计日志",
        filters=_audit_filters,
        records=_audit_records,
        columns=[
            ("时间", lambda e: timezone.localtime(e.at).replace(tzinfo=None)),
            ("操作人", lambda e: str(e.actor) if e.actor else "系统"),
            ("操作", lambda e: e.get_action_display()),
            ("记录类型", lambda e: e.model_display),
            ("记录", lambda e: e.object_repr),
            ("所属组织", lambda e: e.org.name if e.org else ""),
            ("变更内容", _changes_text),
        ],
    )
)
