"""The to-do registry (待办): what waits for an account, declared by each app.

Each domain app declares its to-do sources in its own ``todos.py`` (discovered when the
apps load, as indicators are) and registers them here:

```python
register_todo(Todo(
    code="assistance.disbursements_to_review",
    label="待审核的发放",
    count=lambda user: disbursements_for(user).filter(status=PROPOSED).count(),
    url=lambda user: reverse("assistance:review") + "?status=proposed",
    roles=REVIEWERS,
))
```

``count`` is one scoped query for the acting user (never a loop over rows); ``url`` opens
the filtered list the count was taken from. ``roles`` limits who sees the item (all roles
when empty). The 工作台 lists every registered item the account may see, with its count.

Counts are kept, like the figures: a count over a province's records can take half a
second, and every login lands on the 工作台. A count is kept per (to-do, account, day)
and counted again when a change note (``core.changes``) about the records of the app
that declares it (the code's prefix: ``assistance.…`` counts assistance records) falls
in the account's subtree, or the day changes. ``kept=False`` for a count of records that
write no change notes (the account's own import tasks): it is counted every time.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from unionworks.core import changes


def app_of(code: str) -> str:
    """The app whose records a to-do counts: its code's prefix (``relations.…``)."""
    return code.split(".", 1)[0]


@dataclass(frozen=True)
class Todo:
    code: str
    label: str
    count: Callable  # (user) -> int, one scoped query
    url: Callable  # (user) -> str, the filtered list behind the count
    roles: frozenset = field(default_factory=frozenset)  # empty: every role
    # A short Chinese note on why the item matters (shown beside the count).
    hint: str = ""
    # Higher first on the 工作台; items of one app keep their declaration order.
    weight: int = 0
    # Kept between requests until a change note about the app's records in the
    # account's subtree (see the module's docstring); False: counted every time.
    kept: bool = True

    @property
    def app(self) -> str:
        return app_of(self.code)

    def applies_to(self, user) -> bool:
        return not self.roles or getattr(user, "role", None) in self.roles


@dataclass(frozen=True)
class Waiting:
    todo: Todo
    count: int
    url: str


_REGISTRY: dict[str, Todo] = {}


def register_todo(*todos: Todo) -> None:
    for todo in todos:
        if todo.code in _REGISTRY and _REGISTRY[todo.code] != todo:
            raise ValueError(f"to-do {todo.code} registered twice")
        _REGISTRY[todo.code] = todo


def all_todos() -> list[Todo]:
    return sorted(_REGISTRY.values(), key=lambda t: -t.weight)


def waiting_for(user, *, include_empty: bool = False) -> list[Waiting]:
    """Every item this account may see, with its count (empty ones only if asked)."""
    result = []
    for todo in all_todos():
        if not todo.applies_to(user):
            continue
        count = _KEPT.count(todo, user)
        if count or include_empty:
            result.append(Waiting(todo, count, todo.url(user)))
    return result


class _KeptCounts:
    """This process's kept counts and how far it has read the change notes."""

    LIMIT = 20_000  # entries (accounts × to-dos) before starting afresh

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.reader = changes.Reader("todos")
        self.counts: dict[tuple, int] = {}  # (code, user id, org path, day) → count

    def count(self, todo: Todo, user) -> int:
        # Inside a transaction the notes may yet be rolled back: count, keep nothing.
        if not todo.kept or connection.in_atomic_block or getattr(user, "pk", None) is None:
            return int(todo.count(user) or 0)
        org = getattr(user, "org", None)
        key = (todo.code, user.pk, getattr(org, "path", ""), timezone.localdate())
        with self.lock:
            self._catch_up()
            if key in self.counts:
                return self.counts[key]
            mark = copy.deepcopy(self.reader.mark)  # the count below sees at least this much
        found = _shared_count(key)
        if found is None:
            found = int(todo.count(user) or 0)
            if _sharing():
                cache.set(_shared_key(key), (mark, found), SHARED_FOR)
        with self.lock:
            if len(self.counts) >= self.LIMIT:
                self.counts.clear()
            self.counts[key] = found
        return found

    def _catch_up(self) -> None:
        """Drop the counts the notes committed since the last look may have changed."""
        notes = self.reader.news()
        if notes is None:  # the first look: nothing kept yet
            self.counts.clear()
            return
        if notes and self.counts:
            paths = changes.paths_of(notes)
            stale = [k for k in self.counts if _touched(app_of(k[0]), k[2], notes, paths)]
            for key in stale:
                del self.counts[key]
        today = timezone.localdate()
        for key in [k for k in self.counts if k[3] != today]:
            del self.counts[key]


# With a shared cache (Redis: ``SHARE_KEPT_FIGURES``) a worker that starts takes the
# counts another has taken, with the mark they were taken at, and checks the notes since
# (as the kept figures do): a restart does not count a province's to-dos once per worker.
SHARED_FOR = 24 * 3600


def _sharing() -> bool:
    return bool(getattr(settings, "SHARE_KEPT_FIGURES", False))


def _shared_key(key: tuple) -> str:
    return "uw:todo:" + hashlib.sha256(repr(key).encode()).hexdigest()


def _shared_count(key: tuple) -> int | None:
    """The count another worker took for ``key``, if no note since may have changed it."""
    if not _sharing():
        return None
    found = cache.get(_shared_key(key))
    if found is None:
        return None
    mark, count = found
    notes = changes.read_since(mark)
    if notes and _touched(app_of(key[0]), key[2], notes, changes.paths_of(notes)):
        return None
    return count


def _touched(app: str, root: str, notes: list, paths: dict) -> bool:
    """Whether a note may have changed records of ``app`` in the subtree at ``root``."""
    for note in notes:
        if note.app and note.app != app:
            continue
        if note.scope == changes.Change.Scope.ALL:
            return True
        path = paths.get(note.org_id)
        if path is None or path.startswith(root):
            return True  # an org since deleted: counted again to be safe
        if note.scope == changes.Change.Scope.SUBTREE and root.startswith(path):
            return True  # a bulk write above the root may have written inside it
    return False


_KEPT = _KeptCounts()


def forget_kept_counts() -> None:
    """Drop what this process keeps (tests start from nothing)."""
    with _KEPT.lock:
        _KEPT.reset()
