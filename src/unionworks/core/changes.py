"""Where committed writes changed records: what the figures must count again.

Every write's audit entry (``core.audit``) notes, in the same transaction, the orgs
whose records it changed: the entry's org, and every organisation a foreign key of the
record pointed at before or after the change (a unit moved from one union to another
touches both). A bulk act (an import) notes its org's whole subtree; a change to the
tree itself (an org founded, moved, dissolved) notes "everything". Because the notes
are rows written in the writing transaction, a rolled-back write leaves none, and every
process — any number of web workers, with or without a shared cache — reads the same
notes from the database: freshness needs no shared cache.

A reader keeps a ``Mark`` (how far it has read) and asks ``read_since(mark)`` for the
notes committed since, in one indexed query.

- On SQLite one transaction writes at a time, so ids are handed out in commit order and
  "ids above the last one read" is exact.
- On PostgreSQL ids are handed out in insert order, and a transaction that took id 7
  may commit after one that took id 8. So each note carries its transaction id, and
  the mark is the oldest transaction still running when it was read (the snapshot's
  xmin): everything older has ended, so the next read asks for notes of transactions
  at or after that mark and skips the note ids it has already applied.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models

from unionworks.core import per_request

# A reader polls the notes once per request (``per_request``): a page reads many
# figures, and the notes committed during the request are the next request's news —
# unless the request writes itself (``note`` forgets every reader's poll).
POLLED = "changes.polled"


class Change(models.Model):
    class Scope(models.TextChoices):
        ORG = "org", "本组织的记录"
        SUBTREE = "subtree", "本组织及下级的记录"
        ALL = "all", "全部（组织架构变动）"

    id = models.BigAutoField(primary_key=True)
    # No database constraint: a note must never stop an org from being deleted.
    org = models.ForeignKey(
        "orgs.Org", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.ORG)
    # The app whose records changed ('' for any): figures counted from another app's
    # records need not be counted again.
    app = models.CharField(max_length=40, blank=True, default="", db_default="")
    xid = models.BigIntegerField(null=True, db_index=True)  # PostgreSQL: the writer's xact id

    class Meta:
        app_label = "core"
        verbose_name = "数据变动"
        verbose_name_plural = "数据变动"

    def __str__(self) -> str:
        return f"{self.get_scope_display()} #{self.org_id}"


class CurrentXid(models.Func):
    """The writing transaction's id (PostgreSQL 13+)."""

    template = "pg_current_xact_id()::text::bigint"
    output_field = models.BigIntegerField()


def note(orgs: Iterable, *, scope: str = Change.Scope.ORG, app: str = "") -> None:
    """Inside the writing transaction: the records of ``app`` held by ``orgs`` (ids or
    Orgs) changed."""
    ids = {getattr(o, "pk", o) for o in orgs if o is not None}
    if not ids and scope != Change.Scope.ALL:
        return
    per_request.forget(POLLED)  # what this request reads next must see this write
    xid = CurrentXid() if connection.vendor == "postgresql" else None
    Change.objects.bulk_create(
        [Change(org_id=org_id, scope=scope, app=app, xid=xid) for org_id in sorted(ids)]
        or [Change(org_id=None, scope=scope, app=app, xid=xid)]
    )


def note_everything() -> None:
    """The tree itself changed (or a whole province was built): every figure is recounted."""
    note((), scope=Change.Scope.ALL)


@dataclass
class Mark:
    """How far a reader has read the notes."""

    position: int = 0  # SQLite: the last id read; PostgreSQL: the xmin of the last read
    applied: dict[int, int] = field(default_factory=dict)  # PostgreSQL: note id → xid


@dataclass(frozen=True)
class Note:
    org_id: int | None
    scope: str
    app: str = ""


def start_mark() -> Mark:
    """A mark at the present: everything committed so far counts as read (without
    reading it: the notes of the past are many)."""
    table = Change._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            return Mark(position=cursor.fetchone()[0])
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        (horizon,) = cursor.fetchone()
        cursor.execute(f"SELECT id, xid FROM {table} WHERE xid >= %s", [horizon])
        return Mark(position=horizon, applied=dict(cursor.fetchall()))


def read_since(mark: Mark) -> list[Note]:
    """The notes committed since ``mark`` (which moves on)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(
                f"SELECT id, org_id, scope, app FROM {Change._meta.db_table} "
                "WHERE id > %s ORDER BY id",
                [mark.position],
            )
            rows = cursor.fetchall()
            if rows:
                mark.position = rows[-1][0]
            return [Note(org_id, scope, app) for _id, org_id, scope, app in rows]
        # The horizon first: any transaction that commits after this read has an xid at
        # or above it, so it is asked for again next time.
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        (horizon,) = cursor.fetchone()
        cursor.execute(
            f"SELECT id, org_id, scope, app, xid FROM {Change._meta.db_table} WHERE xid >= %s",
            [mark.position],
        )
        rows = cursor.fetchall()
    found = [
        Note(org, scope, app) for id_, org, scope, app, _xid in rows if id_ not in mark.applied
    ]
    mark.applied = {id_: xid for id_, _org, _scope, _app, xid in rows if xid >= horizon}
    mark.position = horizon
    return found


def prune(*, keep: int = 100_000) -> int:
    """Delete all but the newest ``keep`` notes; the number deleted.

    A reader whose mark is older than the notes deleted would miss them, so the same
    transaction writes one "everything" note after them: every reader, whatever its
    mark, recounts once instead of trusting figures it can no longer bring up to date.
    Run daily (``manage.py prune_changes``), at night, then ``warm_figures``."""
    from django.db import transaction

    with transaction.atomic():
        newest = Change.objects.order_by("-id").values_list("id", flat=True).first()
        if newest is None or newest <= keep:
            return 0
        deleted, _ = Change.objects.filter(id__lte=newest - keep).delete()
        if deleted:
            note_everything()
        return deleted


def paths_of(notes: list[Note]) -> dict[int, str]:
    """The tree paths of the orgs ``notes`` name (an org since deleted is absent)."""
    Org = apps.get_model("orgs", "Org")
    ids = {n.org_id for n in notes if n.org_id is not None}
    return dict(Org.objects.filter(pk__in=ids).values_list("pk", "path")) if ids else {}


class Reader:
    """One process's reading of the notes, for one kind of thing it keeps (figures, to-do
    counts, …): its mark, moved on at most once per request (``per_request``)."""

    def __init__(self, name: str):
        self.name = name
        self.mark: Mark | None = None

    def news(self) -> list[Note] | None:
        """The notes committed since the last read ([] if already read in this request);
        None at the first read: everything so far counts as read (nothing is kept yet)."""
        polled = (POLLED, self.name)
        if self.mark is None:
            self.mark = start_mark()
            per_request.done(polled)
            return None
        if per_request.was_done(polled):
            return []
        found = read_since(self.mark)
        per_request.done(polled)
        return found


class _Watch:
    """This process's count of the notes it has read, per app: a generation that moves
    whenever records of the app (or the tree) changed anywhere."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reader = Reader("watch")
        self.counts: dict[str, int] = {}


_WATCH = _Watch()


def generation(app: str) -> int:
    """How often records of ``app`` (or the tree) changed as far as this process has read
    the notes (once per request): what a process keeps about them is as old as this."""
    with _WATCH.lock:
        for found in _WATCH.reader.news() or ():
            name = "*" if found.scope == Change.Scope.ALL or not found.app else found.app
            _WATCH.counts[name] = _WATCH.counts.get(name, 0) + 1
        return _WATCH.counts.get(app, 0) + _WATCH.counts.get("*", 0)
