"""The arithmetic of union funds, apart from the database: the 2 % levy, the split between
levels to the fen, levy periods, months overdue and the late fee.

The split's remainder rule (余数处理规则), stated once: each level first gets its exact
share rounded *down* to the fen; the fens left over (fewer than the number of levels) go
one each to the levels with the largest dropped fractions, and between equal fractions to
the lower level first (基层工会 before 县级, 县级 before 市级 …), since the money is
collected at the bottom. So the shares always sum to the receipt, and none is negative.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from unionworks.core.errors import DomainError
from unionworks.core.importing import to_ascii_digits
from unionworks.core.money import FEN

LEVY_RATE = Decimal("0.02")
PAYMENT_DAY = 15  # the levy of a period is due by the 15th of the month after it


def levy_due(payroll_base: Decimal) -> Decimal:
    """2 % of the payroll base, to the fen (half a fen rounds up)."""
    return (payroll_base * LEVY_RATE).quantize(FEN, rounding=ROUND_HALF_UP)


def split_fens(fens: int, weights: list[int]) -> list[int]:
    """``fens`` shared in proportion to integer ``weights`` (bottom level first), by the
    remainder rule of the module docstring; integers throughout, so exact and fast."""
    total = sum(weights)
    exact = [fens * w for w in weights]
    shares = [e // total for e in exact]  # floor: never negative
    left = fens - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] % total), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def split(amount: Decimal, weights: dict[str, Decimal]) -> dict[str, Decimal]:
    """``amount`` shared in proportion to ``weights`` (in the order given: bottom level
    first), each share to the fen, by the remainder rule of the module docstring."""
    fens = int((amount / FEN).to_integral_value())
    if Decimal(fens) * FEN != amount:
        raise ValueError("amount must be to the fen")
    if fens < 0:
        raise ValueError("amount must not be negative")
    values = [Decimal(w) for w in weights.values()]
    if any(v < 0 for v in values):
        raise ValueError("weights must not be negative")
    # Weights as integers: scaled by the power of ten their most precise one needs.
    places = max((max(-v.as_tuple().exponent, 0) for v in values), default=0)
    integers = [int(v.scaleb(places)) for v in values]
    if sum(integers) <= 0:
        raise ValueError("weights must not all be zero")
    shares = split_fens(fens, integers)
    return {level: Decimal(n) * FEN for level, n in zip(weights, shares, strict=True)}


@dataclass(frozen=True)
class LevyPeriod:
    code: str  # 2008-03 or 2008Q1
    kind: str  # month or quarter
    start: dt.date
    end: dt.date

    @property
    def due_on(self) -> dt.date:
        year, month = self.end.year, self.end.month + 1
        if month == 13:
            year, month = year + 1, 1
        return dt.date(year, month, PAYMENT_DAY)

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.year}年{self.start.month}月"


_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年])?\s*(\d{1,2})\s*月?(?:份)?$")
_QUARTER = re.compile(r"^(\d{4})\s*(?:年)?\s*(?:Q|第)\s*([1-4一二三四])\s*(?:季度?)?$", re.I)
_CHINESE = {"一": 1, "二": 2, "三": 3, "四": 4}


def month_period(year: int, month: int) -> LevyPeriod:
    last = calendar.monthrange(year, month)[1]
    return LevyPeriod(
        f"{year}-{month:02d}", "month", dt.date(year, month, 1), dt.date(year, month, last)
    )


def quarter_period(year: int, quarter: int) -> LevyPeriod:
    start = dt.date(year, 3 * quarter - 2, 1)
    end_month = 3 * quarter
    end = dt.date(year, end_month, calendar.monthrange(year, end_month)[1])
    return LevyPeriod(f"{year}Q{quarter}", "quarter", start, end)


def parse_levy_period(value: object) -> LevyPeriod:
    """所属期 as clerks and the tax office write it: 2008-03, 2008.3, 200803, 2008年3月,
    2008Q1, 2008年第一季度. A bad one is a DomainError saying what is accepted."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return month_period(value.year, value.month)
    text = to_ascii_digits(str(value or "")).strip()
    compact = text.replace(" ", "")
    if re.fullmatch(r"\d{6}", compact):
        compact = f"{compact[:4]}-{compact[4:]}"
    match = _MONTH.match(compact)
    if match and 1 <= int(match[2]) <= 12 and 1990 <= int(match[1]) <= 2100:
        return month_period(int(match[1]), int(match[2]))
    match = _QUARTER.match(compact)
    if match and 1990 <= int(match[1]) <= 2100:
        quarter = _CHINESE.get(match[2]) or int(match[2])
        return quarter_period(int(match[1]), quarter)
    raise DomainError(
        f"所属期“{text}”无法识别：可写 2008-03、2008年3月、2008Q1 或 2008年第一季度",
        field="period",
    )


def months_overdue(due_on: dt.date, as_of: dt.date) -> int:
    """Whole or part months since the deadline (0 before it): one day late is 1 month."""
    if as_of <= due_on:
        return 0
    months = (as_of.year - due_on.year) * 12 + as_of.month - due_on.month
    if as_of.day > due_on.day:
        months += 1
    return max(months, 1)


def late_fee(outstanding: Decimal, due_on: dt.date, as_of: dt.date, rate) -> Decimal:
    """滞纳金: ``rate`` per mille of the outstanding amount per day past the deadline; 0.00
    where the province charges none (``rate`` None)."""
    if rate is None or outstanding <= 0 or as_of <= due_on:
        return Decimal("0.00")
    days = (as_of - due_on).days
    return (outstanding * Decimal(rate) * days / 1000).quantize(FEN, rounding=ROUND_HALF_UP)
