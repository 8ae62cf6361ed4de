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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


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
        count = int(todo.count(user) or 0)
        if count or include_empty:
            result.append(Waiting(todo, count, todo.url(user)))
    return result
