"""The input checks every app's services share: a refusal is a DomainError naming the field,
in Chinese, before anything is written."""

from __future__ import annotations

from decimal import Decimal

from unionworks.core.errors import DomainError
from unionworks.core.money import MoneyError, parse_money


def checked_money(value, *, field: str, label: str) -> Decimal:
    """Yuan to the fen (``core.money.parse_money``): at most two decimals, not negative, what
    the column holds; blank is 0.00."""
    try:
        return parse_money(value, label=label)
    except MoneyError as exc:
        raise DomainError(str(exc), field=field) from None


def checked_text(
    value, *, field: str, label: str, required: bool = False, max_length: int = 200
) -> str:
    """One line of text, its runs of blanks made one space."""
    text = " ".join(str(value or "").split())
    if required and not text:
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > max_length:
        raise DomainError(f"{label}过长（最多{max_length}个字）", field=field)
    return text


def checked_choice(value, choices, *, field: str, label: str) -> str:
    """A value of ``choices`` (a ``TextChoices``)."""
    if value not in choices.values:
        raise DomainError(f"{label}“{value}”不是有效选项", field=field)
    return value
