from types import SimpleNamespace

import pytest

from unionworks.core import todos
from unionworks.core.roles import REVIEWERS


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(todos, "_REGISTRY", {})
    return todos


def test_an_account_sees_the_items_of_its_role_with_their_counts(registry):
    registry.register_todo(
        todos.Todo("a.review", "待审核", lambda u: 3, lambda u: "/a/?s=p", roles=REVIEWERS),
        todos.Todo("a.none", "无待办", lambda u: 0, lambda u: "/a/"),
        todos.Todo("b.all", "人人可见", lambda u: 1, lambda u: "/b/", weight=5),
    )
    reviewer = SimpleNamespace(role="reviewer")
    viewer = SimpleNamespace(role="viewer")
    assert [(w.todo.code, w.count, w.url) for w in registry.waiting_for(reviewer)] == [
        ("b.all", 1, "/b/"),
        ("a.review", 3, "/a/?s=p"),
    ]
    assert [w.todo.code for w in registry.waiting_for(viewer)] == ["b.all"]
    assert [w.todo.code for w in registry.waiting_for(viewer, include_empty=True)] == [
        "b.all",
        "a.none",
    ]


def test_a_code_cannot_be_declared_twice_with_another_meaning(registry):
    registry.register_todo(todos.Todo("x", "甲", lambda u: 0, lambda u: "/"))
    with pytest.raises(ValueError):
        registry.register_todo(todos.Todo("x", "乙", lambda u: 0, lambda u: "/"))
