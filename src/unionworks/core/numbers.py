"""The range of numbers a model field holds, for checking input at the edge.

A number that does not fit its column must be refused where it comes in (a form, an API
schema, an import row, a service), with a Chinese message, never reach the database: on
SQLite it overflows Python's conversion (a 500) or is stored and cannot be read back; on
PostgreSQL it is a DataError (a 500). The ranges here are the portable ones (what
PostgreSQL enforces; SQLite would hold more), so both databases refuse the same values.

- ``field_bounds(Model, "name")`` → ``Bounds(lo, hi, max_digits, decimal_places)`` of an
  integer field (Small/Positive/Big…) or a DecimalField (DECIMAL(16, 2) holds up to
  99999999999999.99, but SQLite reads back only 15 digits: its bound is 99999999999999.9).
- ``form_bounds(Model, "name", min_value=…)`` → ``min_value``/``max_value`` for a form
  field; ``schema_bounds(Model, "name", ge=…)`` → ``ge``/``le`` for a pydantic ``Field``.
  Tighter limits given by the caller are kept.
- ``check_bounds(value, Model, "name", label=…)`` raises ``DomainError`` (field=name) for a
  value outside the range — for services that take numbers from every path.
- ``MAX_BIGINT``: the largest id, offset or count a BIGINT holds (2⁶³ − 1).
- ``EARLIEST_DATE``/``LATEST_DATE``: the dates any record of ours can name (a birth, a
  joining, a payment: 1900 to 2099); ``check_date_range`` refuses year 0001 or 9999 typed
  into a form or an API body, which the database would store and every page then show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from unionworks.core.errors import DomainError

INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges
MAX_BIGINT = INTEGER_RANGES["BigIntegerField"][1]
SQLITE_DIGITS = 15  # significant digits of a decimal stored in SQLite (a double)


def largest_decimal(max_digits: int, decimal_places: int) -> Decimal:
    """The largest value of DECIMAL(max_digits, decimal_places): 14, 2 → 999999999999.99."""
    return Decimal(10) ** (max_digits - decimal_places) - Decimal(10) ** -decimal_places


@dataclass(frozen=True)
class Bounds:
    lo: int | Decimal
    hi: int | Decimal
    max_digits: int | None = None
    decimal_places: int | None = None

    def __contains__(self, value) -> bool:
        return self.lo <= value <= self.hi


def bounds_of(field: models.Field) -> Bounds:
    """The values ``field`` holds on every supported database."""
    if isinstance(field, models.DecimalField):
        top = largest_decimal(field.max_digits, field.decimal_places)
        if field.max_digits > SQLITE_DIGITS:
            # SQLite keeps a decimal as a double, read back to 15 digits: 99999999999999.99
            # comes back as 1.00000000000000E+14, which no longer fits (a 500 on every read).
            whole = field.max_digits - field.decimal_places
            top = Decimal(10) ** whole - Decimal(10) ** (whole - SQLITE_DIGITS)
        return Bounds(-top, top, field.max_digits, field.decimal_places)
    internal = field.get_internal_type()
    if internal in INTEGER_RANGES:
        lo, hi = INTEGER_RANGES[internal]
        return Bounds(lo, hi)
    raise TypeError(f"{field!r} is not an integer or decimal field")


def field_bounds(model: type[models.Model], name: str) -> Bounds:
    return bounds_of(model._meta.get_field(name))


def _tighter(lo, hi, bounds: Bounds) -> tuple:
    return (bounds.lo if lo is None else max(lo, bounds.lo)), (
        bounds.hi if hi is None else min(hi, bounds.hi)
    )


def form_bounds(model, name: str, *, min_value=None, max_value=None) -> dict:
    """``min_value``/``max_value`` for ``forms.IntegerField``/``DecimalField`` of the field."""
    lo, hi = _tighter(min_value, max_value, field_bounds(model, name))
    return {"min_value": lo, "max_value": hi}


def schema_bounds(model, name: str, *, ge=None, le=None) -> dict:
    """``ge``/``le`` for a pydantic (ninja) ``Field`` of the field."""
    lo, hi = _tighter(ge, le, field_bounds(model, name))
    return {"ge": lo, "le": hi}


def check_bounds(value, model, name: str, *, label: str) -> None:
    """A DomainError on ``name`` if ``value`` does not fit the column."""
    bounds = field_bounds(model, name)
    if value > bounds.hi:
        raise DomainError(f"{label}过大（不能超过{_plain(bounds.hi)}）", field=name)
    if value < bounds.lo:
        raise DomainError(f"{label}过小（不能小于{_plain(bounds.lo)}）", field=name)


def _plain(number) -> str:
    return f"{number:,}" if isinstance(number, int) else f"{number:,f}"


EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
DATE_RANGE_MESSAGE = f"应在{EARLIEST_DATE.isoformat()}至{LATEST_DATE.isoformat()}之间"


def check_date_range(value):
    """``value`` (a date or None) unchanged; ValueError with a Chinese reason out of range."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"日期{DATE_RANGE_MESSAGE}")
    return value
