"""Reporting periods: a year, a half, a quarter, a month, or "as of" a date.

A period is the closed date range [start, end]. Flows (people who joined, money
raised) count records dated inside it; stocks (members, unions) are counted as of its
last day. Periods are written as text in URLs and the API:

    2008        the year            2008H1 / 2008H2    a half
    2008Q3      a quarter           2008-09            a month
    @2008-09-30 as of a date (the year to that date, for flows)
    2008-03-01~2008-09-30   any range of dates
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from unionworks.core.errors import DomainError

_PATTERNS = [
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})H([12])$", re.I), "half"),
    (re.compile(r"^(\d{4})Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^@(\d{4}-\d{2}-\d{2})$"), "as_of"),
    (re.compile(r"^(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})$"), "range"),
]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    kind: str  # year, half, quarter, month, as_of
    start: dt.date
    end: dt.date

    @property
    def code(self) -> str:
        y = self.start.year
        if self.kind == "year":
            return f"{y}"
        if self.kind == "half":
            return f"{y}H{1 if self.start.month == 1 else 2}"
        if self.kind == "quarter":
            return f"{y}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{y}-{self.start.month:02d}"
        if self.kind == "range":
            return f"{self.start.isoformat()}~{self.end.isoformat()}"
        return f"@{self.end.isoformat()}"

    @property
    def label(self) -> str:
        y = self.start.year
        if self.kind == "year":
            return f"{y}年"
        if self.kind == "half":
            return f"{y}年{'上' if self.start.month == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{y}年第{(self.start.month - 1) // 3 + 1}季度"
        if self.kind == "month":
            return f"{y}年{self.start.month}月"
        if self.kind == "range":
            return f"{self.start.year}年{self.start.month}月{self.start.day}日至{self.end.year}年{self.end.month}月{self.end.day}日"
        return f"截至{self.end.year}年{self.end.month}月{self.end.day}日"

    @property
    def as_of(self) -> dt.date:
        return self.end

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def year_before(self) -> Period:
        """The same period one year earlier, for 同比 (29 February falls back to the 28th)."""

        def shift(day: dt.date) -> dt.date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:
                return day.replace(year=day.year - 1, day=28)

        if self.kind in ("as_of", "range"):
            return Period(self.kind, shift(self.start), shift(self.end))
        return Period(self.kind, shift(self.start), _month_end(self.end.year - 1, self.end.month))

    def months(self) -> list[Period]:
        """The calendar months the period spans, the last one cut at the period's end."""
        result, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            end = min(_month_end(year, month), self.end)
            result.append(Period("month", dt.date(year, month, 1), end))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result


def year(y: int) -> Period:
    return Period("year", dt.date(y, 1, 1), dt.date(y, 12, 31))


def as_of(day: dt.date) -> Period:
    return Period("as_of", dt.date(day.year, 1, 1), day)


def date_range(start: dt.date, end: dt.date) -> Period:
    """Any closed range of dates; stocks are counted as of its end."""
    if end < start:
        raise DomainError("期间的结束日期不能早于开始日期", field="period")
    return Period("range", start, end)


def parse_period(text: str) -> Period:
    """Read a period code; a bad one is a DomainError naming what is accepted."""
    text = (text or "").strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        try:
            if kind == "year":
                return year(int(match[1]))
            if kind == "half":
                y, h = int(match[1]), int(match[2])
                return Period(
                    "half", dt.date(y, 1 if h == 1 else 7, 1), _month_end(y, 6 if h == 1 else 12)
                )
            if kind == "quarter":
                y, q = int(match[1]), int(match[2])
                return Period("quarter", dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q))
            if kind == "month":
                y, m = int(match[1]), int(match[2])
                return Period("month", dt.date(y, m, 1), _month_end(y, m))
            if kind == "range":
                return date_range(dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2]))
            return as_of(dt.date.fromisoformat(match[1]))
        except (ValueError, DomainError):
            break
    raise DomainError(
        f"期间“{text}”无法识别：可写 2008、2008H1、2008Q3、2008-09 或 @2008-09-30", field="period"
    )
