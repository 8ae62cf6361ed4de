"""The levy and the split: 2 % to the fen, shares that always sum to the receipt."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionworks.core.errors import DomainError
from unionworks.finance.levy import (
    late_fee,
    levy_due,
    months_overdue,
    parse_levy_period,
    split,
)

LEVELS = ["grassroots", "county", "city", "province", "national"]


def test_levy_is_two_percent_to_the_fen_half_up():
    assert levy_due(Decimal("100000.00")) == Decimal("2000.00")
    assert levy_due(Decimal("123.45")) == Decimal("2.47")  # 2.469
    assert levy_due(Decimal("0.25")) == Decimal("0.01")  # 0.005 rounds up


def test_default_split_of_a_thousand():
    shares = split(
        Decimal("1000.00"), dict(zip(LEVELS, map(Decimal, [60, 10, 15, 10, 5]), strict=True))
    )
    assert shares == {
        "grassroots": Decimal("600.00"),
        "county": Decimal("100.00"),
        "city": Decimal("150.00"),
        "province": Decimal("100.00"),
        "national": Decimal("50.00"),
    }


def test_remainder_goes_to_largest_fraction_then_lower_level():
    # 0.10 in thirds: 3.33… fens each; one fen left, equal fractions → the lowest level.
    shares = split(Decimal("0.10"), {"grassroots": 1, "county": 1, "city": 1})
    assert shares == {
        "grassroots": Decimal("0.04"),
        "county": Decimal("0.03"),
        "city": Decimal("0.03"),
    }
    # 0.01 at 60/40: 0.6 and 0.4 fen → the larger fraction takes it.
    assert split(Decimal("0.01"), {"grassroots": 60, "county": 40}) == {
        "grassroots": Decimal("0.01"),
        "county": Decimal("0.00"),
    }


rates = st.lists(st.integers(min_value=0, max_value=10_000), min_size=5, max_size=5).filter(
    lambda xs: sum(xs) > 0
)


@settings(max_examples=400, deadline=None)
@given(
    fens=st.integers(min_value=1, max_value=99_999_999_999_999),
    raw=rates,
)
def test_shares_sum_to_the_receipt_and_none_is_negative(fens, raw):
    # Any shares summing to 100 %: basis points scaled so that they sum to exactly 10,000
    # (the last level takes what the others leave), as percentages with two decimals.
    total = sum(raw)
    points = [x * 10_000 // total for x in raw[:-1]]
    points.append(10_000 - sum(points))
    weights = {level: Decimal(p) / 100 for level, p in zip(LEVELS, points, strict=True)}
    assert sum(weights.values()) == 100
    amount = Decimal(fens) / 100
    shares = split(amount, weights)
    assert sum(shares.values()) == amount
    assert all(s >= 0 for s in shares.values())
    assert all(s == s.quantize(Decimal("0.01")) for s in shares.values())
    for level, share in shares.items():
        # each share within a fen of its exact value; a level at 0 % gets nothing
        exact = amount * weights[level] / 100
        assert abs(share - exact) < Decimal("0.01")
        if weights[level] == 0:
            assert share == 0


@pytest.mark.parametrize(
    "text,code",
    [
        ("2008-03", "2008-03"),
        ("2008.3", "2008-03"),
        ("200803", "2008-03"),
        ("2008年3月", "2008-03"),
        ("2008Q1", "2008Q1"),
        ("2008年第一季度", "2008Q1"),
        ("２００８年第２季度", "2008Q2"),
    ],
)
def test_periods_as_clerks_write_them(text, code):
    assert parse_levy_period(text).code == code


def test_bad_period_names_what_is_accepted():
    with pytest.raises(DomainError, match="所属期“2008-13”无法识别"):
        parse_levy_period("2008-13")


def test_deadline_months_overdue_and_late_fee():
    period = parse_levy_period("2008-03")
    assert period.due_on == dt.date(2008, 4, 15)
    assert parse_levy_period("2008Q4").due_on == dt.date(2009, 1, 15)
    assert months_overdue(period.due_on, dt.date(2008, 4, 15)) == 0
    assert months_overdue(period.due_on, dt.date(2008, 4, 16)) == 1
    assert months_overdue(period.due_on, dt.date(2008, 7, 15)) == 3
    assert months_overdue(period.due_on, dt.date(2008, 7, 16)) == 4
    # 0.5 ‰ a day on 2,000 for 10 days = 10.00
    assert late_fee(
        Decimal("2000"), period.due_on, dt.date(2008, 4, 25), Decimal("0.5")
    ) == Decimal("10.00")
    assert late_fee(Decimal("2000"), period.due_on, dt.date(2008, 4, 25), None) == 0
