"""A data generation number: bumped after every committed write, part of every cache key
of computed figures, so a cached figure can never outlive the records it came from.

Every write goes through a service that writes an audit entry (core.audit.record),
and that is where the bump is scheduled — on commit, so a rolled-back write leaves
the caches alone. Bulk paths write one audit entry too, and so bump it as well.
"""

from django.core.cache import cache
from django.db import transaction

KEY = "unionworks:data-generation"


def current() -> int:
    value = cache.get(KEY)
    if value is None:
        cache.add(KEY, 1, timeout=None)
        value = cache.get(KEY, 1)
    return value


def bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, 2, timeout=None)


def bump_on_commit() -> None:
    transaction.on_commit(bump)
