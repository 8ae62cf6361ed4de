"""Money — yuan to the fen — read and written the same way by forms, imports, the API and
the services.

Every amount column is ``DecimalField(max_digits=14, decimal_places=2)``
(``assistance.models.MONEY``): at most 999,999,999,999.99 yuan.

- ``parse_money(value, *, allow_blank=True, allow_negative=False, max_value=MAX_MONEY,
  label="金额")`` → a ``Decimal`` with two places. Takes what clerks type or a cell holds:
  500, 500.5, "1,200.00", "３００元", "1,200.00元", "￥300", "¥ 1 200"; floats are read by
  their repr (0.1 is 0.1). Blank (None, "") is 0.00 when allowed. Refuses, with a Chinese
  ``ValueError`` (a ``MoneyError``): text that is no number, NaN/infinity, more than two
  decimals, a negative amount, more than ``max_value``.
- ``format_yuan(amount)`` → "1,234.50" (None → "—"); ``format_wan(amount)`` → the amount
  in 万元 with two decimals ("12.35" for 123,456 yuan), as the statistics pages show money.
- ``MoneyField``: the form field (a ``forms.DecimalField`` cleaning with ``parse_money``).
- ``Money``: the pydantic/ninja type of an amount in a schema (``cash: Money = Decimal(0)``);
  a refusal is a 422 with the same Chinese reason.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from pydantic import BeforeValidator

from unionworks.core.numbers import largest_decimal

FEN = Decimal("0.01")
MONEY_DIGITS = 14
MONEY_PLACES = 2
MAX_MONEY = largest_decimal(MONEY_DIGITS, MONEY_PLACES)  # 999,999,999,999.99
TEN_THOUSAND = Decimal(10_000)
DASH = "—"

_SIGNS = ("¥", "￥", "RMB", "rmb")
_DROP = str.maketrans({",": None, "\u200b": None, "\ufeff": None})


# Plain ASCII digits, up to MAX_MONEY's twelve before the point and two after it.
_PLAIN = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")


class MoneyError(ValueError):
    """An amount refused; ``str(error)`` is the Chinese reason."""


def _shown(value: object) -> str:
    """The value as the message quotes it (a float cell 12.0 reads "12")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _read(value: object, label: str) -> Decimal | None:
    """The number in ``value``, or None when it is blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise MoneyError(f"{_prefix(label)}应为金额")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = unicodedata.normalize("NFKC", str(value)).translate(_DROP)
    text = "".join(text.split())
    text = text.removesuffix("元")
    for sign in _SIGNS:
        text = text.removeprefix(sign)
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise MoneyError(f"{_prefix(label)}“{_shown(value)}”不是有效的金额") from None


def _prefix(label: str) -> str:
    # "“abc”不是有效的金额", but "现金“abc”不是有效的金额".
    return "" if label == "金额" else label


def parse_money(
    value: object,
    *,
    allow_blank: bool = True,
    allow_negative: bool = False,
    max_value: Decimal = MAX_MONEY,
    label: str = "金额",
) -> Decimal:
    """An amount as typed or as a cell holds it, to the fen (see the module docstring)."""
    if type(value) is str and _PLAIN.fullmatch(value) and max_value == MAX_MONEY:
        return Decimal(value).quantize(FEN)  # 1234 or 1234.5(0), as most cells: all is well
    amount = _read(value, label)
    if amount is None:
        if not allow_blank:
            raise MoneyError(f"{label}不能为空")
        return Decimal("0.00")
    if not amount.is_finite():
        raise MoneyError(f"{_prefix(label)}“{_shown(value)}”不是有效的金额")
    if amount < 0 and not allow_negative:
        raise MoneyError(f"{label}不能为负数")
    # Far too large (1e308, 10**30) is said before anything is rounded: quantizing it
    # would overflow the decimal context.
    if amount.copy_abs().adjusted() > max(max_value.adjusted(), 0):
        raise MoneyError(_too_large(label, max_value))
    if amount != amount.quantize(FEN):
        raise MoneyError(f"{label}最多精确到分（两位小数）")
    if amount.copy_abs() > max_value:
        raise MoneyError(_too_large(label, max_value))
    return amount.quantize(FEN)


def _too_large(label: str, max_value: Decimal) -> str:
    if max_value == MAX_MONEY:
        return f"{label}过大"  # as every amount column holds: the message clerks know
    return f"{label}过大（不能超过{format_yuan(max_value)}）"


def _decimal(amount: object) -> Decimal:
    if isinstance(amount, Decimal):
        return amount
    if isinstance(amount, float):
        return Decimal(repr(amount))
    return Decimal(str(amount).replace(",", "").strip())


def format_yuan(amount: object) -> str:
    """1234.5 → "1,234.50"; None or "" → "—"; anything not a number is shown as it is."""
    return _formatted(amount, Decimal(1))


def format_wan(amount: object) -> str:
    """Yuan in 万元 with two decimals and separators: 123456 → "12.35"; None → "—"."""
    return _formatted(amount, TEN_THOUSAND)


def _formatted(amount: object, unit: Decimal) -> str:
    if amount is None or amount == "":
        return DASH
    try:
        number = _decimal(amount)
        if not number.is_finite():
            return str(amount)
        return f"{(number / unit).quantize(FEN, rounding=ROUND_HALF_UP):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return str(amount)


class MoneyField(forms.DecimalField):
    """An amount on a page: what ``parse_money`` accepts, refused with its message.

    Blank is None (the service makes it 0.00 where the amount may be left out).
    """

    def __init__(self, *, max_value: Decimal = MAX_MONEY, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("min_value", None if allow_negative else 0)
        super().__init__(
            max_value=max_value, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_money(
                value, allow_negative=self.allow_negative, max_value=self.max_value or MAX_MONEY
            )
        except MoneyError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def validate(self, value):
        forms.Field.validate(self, value)


def _schema_money(value: object) -> Decimal:
    return parse_money(value, allow_blank=False)


Money = Annotated[Decimal, BeforeValidator(_schema_money)]
"""An amount in an API schema: a decimal string ("1234.50") or a number, to the fen."""
