"""The import pipeline: what every spreadsheet import does, once.

An app declares an ``Importer`` subclass — its columns (Chinese headers and the other
spellings clerks use), ``check_row`` (one row on its own), ``check_batch`` (the good
rows of a batch against the database, one query per kind of check, never one per row)
and ``write`` (set-based; returns counts) — and registers it with ``@register``. The
pipeline owns the rest:

- the role and subtree check (``authorise``), reading in batches, progress once a batch;
- duplicate keys within the file (``unique``: "与第3行身份证号重复");
- one transaction: all-or-nothing by default (one rejected row and nothing is saved),
  or ``save_good_rows``; a **dry run** (预检) runs every check and every write and then
  rolls the transaction back, so it reports exactly what the real run would;
- an integrity error raised by ``write`` (someone wrote the same record meanwhile)
  becomes a row error on the rows that caused it, found one by one in savepoints;
- the rejected-rows workbook (the original columns + 行号/出错列/原因);
- rows that ``check_batch`` marks ``unchanged`` are counted and not written again, so a
  re-upload of the same file changes nothing;
- one ``ImportResult`` with counts, and one audit entry through ``audit.record_bulk``
  (which notes the import's subtree as changed, so its figures are counted again);
- the background task with progress (``run_import_task``), and the pages and API in
  ``core.importing.views`` / ``core.importing.api``.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    connection,
    connections,
    models,
    transaction,
)
from django.utils import timezone

from unionworks.core import audit, roles
from unionworks.core.errors import DomainError
from unionworks.core.importing.reading import (
    ColumnSpec,
    RejectsWriter,
    RowError,
    SourceRow,
    Table,
    clean_text,
    read_table,
    write_template,
)
from unionworks.core.scoping import is_in_subtree, root_org_of

ERRORS_KEPT = 200  # the first row errors, for a page; the workbook has them all


class Row:
    """One data row of the file: where it is (``row_number``, ``values``), what is
    wrong with it (``errors``), and whatever the importer's checks find out about it
    (set as attributes: ``row.person = …``)."""

    def __init__(self, source: SourceRow):
        self.source = source
        self.row_number = source.number  # as the user sees it in the file
        self.values = source.values
        self.errors: list[RowError] = []
        self.unchanged = False  # already on record as the file says: counted, not written

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    rows: int = 0  # data rows read (blank and footer rows are not rows)
    counts: dict = field(default_factory=dict)  # the importer's counts, e.g. {"new": 3}
    rejected: int = 0
    ready: int = 0  # rows that passed every check (saved, or would have been)
    saved: bool = False
    dry_run: bool = False
    rejects_path: str = ""
    message: str = ""
    errors: list[RowError] = field(default_factory=list)  # the first ones, for a page
    # What many rows lack alike, said once rather than on every row (e.g. units not yet
    # registered): [{"text": …, "items": [{"name", "rows", "closest": [...], "link"}]}].
    notices: list = field(default_factory=list)

    def __getattr__(self, name: str):
        # result.new, result.proposed …: the importer's counts read like fields.
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            **self.counts,
            "counts": dict(self.counts),
            "rejected": self.rejected,
            "ready": self.ready,
            "saved": self.saved,
            "dry_run": self.dry_run,
            "rejects_path": self.rejects_path,
            "message": self.message,
            "errors": [str(e) for e in self.errors],
            "notices": list(self.notices),
        }


class _Rollback(Exception):
    """Raised inside the import's transaction to undo it (a refusal, or a dry run)."""


class Importer:
    """Declare an import kind: subclass, set the class attributes, write the three checks.

    Instances live for one run; ``self.actor``, ``self.org`` (where the rows go),
    ``self.params`` (the kind's own choices, e.g. a campaign) and ``self.today`` are set.
    """

    kind: ClassVar[str]  # the slug in URLs and the API: "roll", "disbursements", …
    title: ClassVar[str]  # what the file is, in Chinese: "会员花名册"
    columns: ClassVar[ColumnSpec]
    model: ClassVar[type[models.Model]]  # the records written (for the audit entry)
    # The counts ``write`` returns, in order, with how the result message says them.
    count_labels: ClassVar[dict[str, str]] = {}
    # Fields whose values may not repeat within one file → the noun of the message.
    unique: ClassVar[dict[str, str]] = {}
    batch_size: ClassVar[int] = 2000
    needs_org: ClassVar[bool] = True  # False: the rows name their own orgs (targets)
    max_rows: ClassVar[int | None] = None
    conflict_message: ClassVar[str] = "该行与他人同时写入的记录冲突"
    help_text: ClassVar[str] = ""  # shown on the upload page
    do_not_call_in_templates: ClassVar[bool] = True  # pages show the class's attributes
    # PostgreSQL: write each batch in a second thread while the next one is checked. Only
    # for an importer whose ``check_row`` never touches the database and whose ``write``
    # needs nothing from the checking thread but the rows (see ``process_behind``).
    write_behind: ClassVar[bool] = False

    def __init__(
        self,
        *,
        actor,
        org=None,
        params: dict | None = None,
        save_good_rows: bool = False,
        dry_run: bool = False,
        progress=None,
        today=None,
    ):
        self.actor = actor
        self.org = org if org is not None else (root_org_of(actor) if actor else None)
        self.params = dict(params or {})
        self.save_good_rows = save_good_rows
        self.dry_run = dry_run
        self.progress = progress
        self.today = today or timezone.localdate()
        self.result = ImportResult(dry_run=dry_run)
        self.result.counts = {name: 0 for name in self.count_labels}
        self.rejects: RejectsWriter | None = None
        self.seen: dict[str, dict] = {name: {} for name in self.unique}
        self.table: Table | None = None
        self.path: Path | None = None
        self.writer: BatchWriter | None = None

    # -- what an app declares ------------------------------------------------------------
    def authorise(self) -> None:
        """The role and subtree check; an importer adds its own (a campaign taken part in)."""
        if self.actor is None:
            return
        roles.require_writer(self.actor)
        if self.org is not None and not is_in_subtree(self.org, self.actor):
            raise DomainError("只能导入到本组织及下级组织", field="org")

    def setup(self) -> None:
        """Once the header is read: load what the checks need for the whole file."""

    def check_row(self, row: Row) -> None:
        """One row on its own: parse its values onto ``row``, ``self.reject`` what is wrong."""
        raise NotImplementedError

    def duplicate_keys(self, row: Row) -> dict[str, object]:
        """The row's keys for ``unique`` (None or '' for a value already rejected or blank)."""
        return {name: clean_text(row.values.get(name)) for name in self.unique}

    def check_batch(self, rows: list[Row]) -> None:
        """The good rows of a batch against the database; mark ``row.unchanged`` what is
        already on record as the file says."""

    def write(self, rows: list[Row]) -> dict[str, int]:
        """Save the rows (set-based) and return the counts, keyed as ``count_labels``."""
        raise NotImplementedError

    def audit_summary(self) -> dict:
        result = self.result
        summary = {"文件": self.path.name, "读取行数": result.rows}
        summary.update({label: result.counts.get(n, 0) for n, label in self.count_labels.items()})
        summary["未通过"] = result.rejected
        return summary

    def done_message(self) -> str:
        result = self.result
        said = "，".join(
            f"{label}{result.counts.get(name, 0)}" for name, label in self.count_labels.items()
        )
        skipped = f"，{result.rejected}行未通过检查未保存" if result.rejected else ""
        if result.dry_run:
            return f"预检完成（未保存任何数据）：共{result.rows}行，{said}{skipped.replace('未保存', '')}"
        if not self.wrote_anything() and result.rejected:
            return f"没有保存任何行：共{result.rows}行，{result.rejected}行未通过检查"
        return f"导入完成：{said}{skipped}"

    # -- helpers for the checks ----------------------------------------------------------
    def reject(self, row: Row, field_name: str, reason: str) -> None:
        """``row`` is wrong in column ``field_name`` ('' for the row as a whole)."""
        header = self.table.header_of(field_name) if field_name else ""
        row.errors.append(RowError(row.row_number, header, reason))

    @classmethod
    def param_fields(cls, actor) -> dict:
        """The upload form's fields beyond the file and the two options: ``org`` (where
        the rows go; else the actor's own org) and the kind's own (a campaign …)."""
        return {}

    @classmethod
    def prepare_form(cls, form, actor) -> None:
        """Fill the choices of ``param_fields`` that depend on the form's data."""

    @classmethod
    def template(cls, path: str | Path, *, actor=None, **params) -> Path:
        """The blank form: Chinese headers (required ones marked *) and one example row."""
        return write_template(path, cls.columns, title=cls.title)

    # -- the pipeline --------------------------------------------------------------------
    def run(self, path: str | Path, rejects_dir: str | Path | None = None) -> ImportResult:
        self.path = Path(path)
        if rejects_dir is None:
            rejects_dir = Path(settings.MEDIA_ROOT) / "tasks" / "imports" / uuid.uuid4().hex[:12]
        self.rejects_dir = Path(rejects_dir)
        self.authorise()
        self.table = read_table(self.path, self.columns)
        self.setup()
        self.report(0, self.table.estimated_rows, "正在检查")
        try:
            with transaction.atomic():
                self.process()
                if self.refused():
                    raise _Rollback
                if self.wrote_anything():
                    self.record()
                if self.dry_run:
                    raise _Rollback
                self.result.saved = True
        except _Rollback:
            pass
        finally:
            self.close_rejects()
        return self.finish()

    def process(self) -> None:
        """Check every batch; write the good rows (as they come on PostgreSQL, whose one
        transaction may stay open; at the end on SQLite, which has one writer at a time)."""
        stream = connection.vendor == "postgresql"
        if stream and self.write_behind:
            self.process_behind()
            return
        pending: list[Row] = []
        for rows in self.checked_batches():
            good = [r for r in rows if r.ok and not r.unchanged]
            if stream:
                if not self.refused():
                    self.write_safely(good)
            else:
                pending.extend(good)
        if not stream and not self.refused():
            self.report(self.result.rows, self.result.rows, "正在保存")
            for start in range(0, len(pending), self.batch_size):
                self.write_safely(pending[start : start + self.batch_size])

    def process_behind(self) -> None:
        """PostgreSQL, ``write_behind``: each batch is written by a second thread on this
        connection and transaction while this one checks the next batch's rows (the
        database works on the other core). Foreign keys are checked with each batch's
        statements, in that thread, rather than all at once at commit."""
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.writer = BatchWriter(self.write_batch)
        try:
            for rows in self.checked_batches():
                good = [r for r in rows if r.ok and not r.unchanged]
                if good and not self.refused():
                    self.writer.submit(good)
            self.settle_writes()
        finally:
            writer, self.writer = self.writer, None
            writer.close()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django expects them

    def write_batch(self, rows: list[Row]):
        """In the writer thread: ``write`` in a savepoint; the counts, or the refusal."""
        try:
            with transaction.atomic():
                return self.write(rows), None
        except (IntegrityError, DomainError) as exc:
            return None, exc

    def settle_writes(self) -> None:
        """Wait for the batch being written (the database is free after); a batch the
        database or a service refused is written again row by row, here."""
        if self.writer is None:
            return
        done = self.writer.wait()
        if done is None:
            return
        rows, (counts, refusal) = done
        if refusal is None:
            self.add_counts(counts)
        else:
            self.write_one_by_one(rows)

    def checked_batches(self) -> Iterator[list[Row]]:
        result, total = self.result, self.table.estimated_rows
        sources = iter(self.table.rows)
        while batch := list(itertools.islice(sources, self.batch_size)):
            if self.max_rows and result.rows + len(batch) > self.max_rows:
                raise DomainError(f"文件超过{self.max_rows}行，请分成几个文件上传", field="file")
            rows = [self.checked(source) for source in batch]
            good = [r for r in rows if r.ok]
            self.settle_writes()  # the batch before is written: the connection is free
            if good:
                self.check_batch(good)
            result.rows += len(rows)
            for row in rows:
                if row.ok:
                    result.ready += 1
                    if row.unchanged:
                        result.counts["unchanged"] = result.counts.get("unchanged", 0) + 1
                else:
                    self.add_reject(row)
            self.report(result.rows, max(total, result.rows), "正在检查")
            yield rows

    def checked(self, source: SourceRow) -> Row:
        row = Row(source)
        self.check_row(row)
        for name, key in self.duplicate_keys(row).items():
            if key in (None, ""):
                continue
            first = self.seen[name].setdefault(key, row.row_number)
            if first != row.row_number:
                self.reject(row, name, f"与第{first}行{self.unique[name]}重复")
        return row

    def write_safely(self, rows: list[Row]) -> None:
        """``write`` in a savepoint; if the database or a service refuses the batch, row by
        row to find the culprits, each rejected with the reason."""
        if not rows:
            return
        try:
            with transaction.atomic():
                self.add_counts(self.write(rows))
            return
        except (IntegrityError, DomainError):
            pass
        self.write_one_by_one(rows)

    def write_one_by_one(self, rows: list[Row]) -> None:
        for row in rows:
            try:
                with transaction.atomic():
                    self.add_counts(self.write([row]))
            except IntegrityError:
                self.reject_late(row, "", self.conflict_message)
            except DomainError as exc:
                self.reject_late(row, exc.field or "", exc.message)

    def reject_late(self, row: Row, field_name: str, reason: str) -> None:
        """A row refused while writing: counted and returned like the others."""
        if field_name and field_name not in self.table.columns:
            field_name = ""
        self.reject(row, field_name, reason)
        self.result.ready -= 1
        self.add_reject(row)

    def add_counts(self, counts: dict[str, int]) -> None:
        for name, value in (counts or {}).items():
            self.result.counts[name] = self.result.counts.get(name, 0) + value

    def add_reject(self, row: Row) -> None:
        result = self.result
        result.rejected += 1
        if len(result.errors) < ERRORS_KEPT:
            result.errors.extend(row.errors[: ERRORS_KEPT - len(result.errors)])
        if self.rejects is None:
            self.rejects = RejectsWriter(
                self.rejects_dir / f"{self.path.stem}-未通过的行.xlsx",
                self.table.headers,
                title=f"{self.title}未通过的行",
            )
        self.rejects.add(row.source.cells, row.errors)

    def close_rejects(self) -> None:
        if self.rejects is not None and not self.result.rejects_path:
            self.result.rejects_path = str(self.rejects.close())

    def wrote_anything(self) -> bool:
        return any(n for name, n in self.result.counts.items() if name != "unchanged")

    def refused(self) -> bool:
        return bool(self.result.rejected) and not self.save_good_rows

    def record(self) -> None:
        """Inside the import's transaction: one audit entry for the whole file."""
        audit.record_bulk(
            actor=self.actor,
            org=self.org,
            model=self.model,
            title=f"导入{self.title}“{self.path.name}”",
            summary=self.audit_summary(),
        )

    def finish(self) -> ImportResult:
        result = self.result
        if self.refused():
            result.saved = False
            for name in result.counts:
                if name != "unchanged":
                    result.counts[name] = 0
            result.message = (
                f"共{result.rows}行，其中{result.rejected}行未通过检查，全部未保存："
                "请下载未通过的行，改正后重新上传（或选择“只保存无误的行”）"
            )
            if result.dry_run:
                result.message = "预检：" + result.message.replace(
                    "全部未保存", "正式导入时将全部不保存"
                )
        else:
            result.message = self.done_message()
        self.report(result.rows, result.rows, result.message)
        return result

    def report(self, done: int, total: int, message: str) -> None:
        if self.progress is not None:
            self.progress(done, total, message)


class BatchWriter:
    """Runs ``work(rows)`` in a second thread on the calling thread's connection and
    transaction, one batch at a time; ``wait`` gives back ``(rows, what work returned)``."""

    def __init__(self, work):
        self.work = work
        # The wrapper itself, not the thread-local proxy: the writer thread uses it too.
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.connection.inc_thread_sharing()
        self.pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="import-writer", initializer=self._adopt
        )
        self.pending = None

    def _adopt(self) -> None:
        # ORM calls, ``transaction.atomic`` and ``connection`` in the writer thread find
        # this thread's connection: the importing one, in its transaction.
        connections[DEFAULT_DB_ALIAS] = self.connection

    def submit(self, rows: list) -> None:
        if self.pending is not None:
            raise RuntimeError("a batch is still being written: wait() for it first")
        self.pending = (rows, self.pool.submit(self.work, rows))

    def wait(self):
        pending, self.pending = self.pending, None
        if pending is None:
            return None
        rows, future = pending
        return rows, future.result()  # re-raises the writer's unexpected error here

    def close(self) -> None:
        """After ``wait``; or on an error, once the batch being written is done."""
        self.pending = None
        self.pool.shutdown()  # waits for the thread
        self.connection.dec_thread_sharing()


# -- the registry of import kinds, and the background task ------------------------------

IMPORTERS: dict[str, type[Importer]] = {}
TASK_PREFIX = "import."


def register(cls: type[Importer]) -> type[Importer]:
    """Make ``cls`` an import kind: its pages, its API and its background task."""
    from unionworks.core.tasks import task_kind

    IMPORTERS[cls.kind] = cls
    task_kind(task_kind_of(cls.kind))(run_import_task)
    return cls


def task_kind_of(kind: str) -> str:
    return TASK_PREFIX + kind


def importers() -> dict[str, type[Importer]]:
    """Every registered import kind (the apps' ``importers`` modules are imported first)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("importers")
    return IMPORTERS


def importer_for(kind: str) -> type[Importer] | None:
    return importers().get(kind)


def start_import(
    kind: str,
    *,
    actor,
    org,
    path: str | Path,
    params: dict | None = None,
    save_good_rows: bool = False,
    dry_run: bool = False,
):
    """Queue the import of the stored file at ``path`` as a background task."""
    from unionworks.core import tasks

    return tasks.enqueue(
        task_kind_of(kind),
        actor=actor,
        org=org,
        params={"params": params or {}, "save_good_rows": save_good_rows, "dry_run": dry_run},
        input_path=path,
    )


def run_import_task(task, progress) -> dict:
    """The task behind every upload: the kind from ``task.kind``, the file ``task.input_path``."""
    from unionworks.core.tasks import task_dir

    cls = IMPORTERS[task.kind.removeprefix(TASK_PREFIX)]
    job = cls(
        actor=task.created_by,
        org=task.org,
        params=task.params.get("params"),
        save_good_rows=bool(task.params.get("save_good_rows")),
        dry_run=bool(task.params.get("dry_run")),
        progress=progress,
    )
    result = job.run(task.input_path, task_dir(task))
    if result.rejects_path:
        task.output_path = result.rejects_path
    data = result.as_dict()
    # What the progress block lists, in the kind's own words and order.
    data["figures"] = [
        [label, result.counts.get(name, 0)] for name, label in cls.count_labels.items()
    ]
    # Refused, or "save the good rows" with no good row: nothing saved, so not 已完成.
    saved_nothing = result.saved and result.rejected and not job.wrote_anything()
    data["failed"] = not result.dry_run and (not result.saved or bool(saved_nothing))
    return data
