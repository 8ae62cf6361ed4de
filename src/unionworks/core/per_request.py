"""Answers kept for the length of one request: what a page would otherwise ask the
database again and again (whether the acting root is the whole tree; whether change notes
came since the last look) is asked once per request.

Outside a request (tests calling selectors, management commands, tasks) nothing is
kept: every call computes afresh. ``forget`` drops one kind of answer (a write in the request
forgets "no notes since").
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.core.signals import request_finished, request_started

_local = threading.local()


def _begin(**_kwargs) -> None:
    _local.kept = {}


def _end(**_kwargs) -> None:
    _local.kept = None


request_started.connect(_begin, dispatch_uid="core.per_request.begin")
request_finished.connect(_end, dispatch_uid="core.per_request.end")


def in_request() -> bool:
    return getattr(_local, "kept", None) is not None


def remember(key: tuple, compute: Callable):
    """``compute()``, asked once per request for ``key`` (every time outside one)."""
    kept = getattr(_local, "kept", None)
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def was_done(key: tuple) -> bool:
    """Whether ``done(key)`` was said earlier in this request (never outside one)."""
    kept = getattr(_local, "kept", None)
    return kept is not None and key in kept


def done(key: tuple) -> None:
    kept = getattr(_local, "kept", None)
    if kept is not None:
        kept[key] = True


def forget(kind: str) -> None:
    """Drop every answer whose key starts with ``kind``."""
    kept = getattr(_local, "kept", None)
    if kept is not None:
        for key in [k for k in kept if k[0] == kind]:
            del kept[key]
