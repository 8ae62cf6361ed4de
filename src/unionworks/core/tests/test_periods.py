import datetime as dt

import pytest

from unionworks.core.errors import DomainError
from unionworks.core.periods import as_of, parse_period, year


@pytest.mark.parametrize(
    ("code", "start", "end", "label"),
    [
        ("2008", "2008-01-01", "2008-12-31", "2008年"),
        ("2008H1", "2008-01-01", "2008-06-30", "2008年上半年"),
        ("2008H2", "2008-07-01", "2008-12-31", "2008年下半年"),
        ("2008Q1", "2008-01-01", "2008-03-31", "2008年第1季度"),
        ("2008Q3", "2008-07-01", "2008-09-30", "2008年第3季度"),
        ("2008-02", "2008-02-01", "2008-02-29", "2008年2月"),
        ("@2008-09-30", "2008-01-01", "2008-09-30", "截至2008年9月30日"),
    ],
)
def test_period_codes_round_trip(code, start, end, label):
    period = parse_period(code)
    assert (period.start.isoformat(), period.end.isoformat(), period.label) == (start, end, label)
    assert parse_period(period.code) == period


def test_last_day_of_a_quarter_is_in_that_quarter_only():
    day = dt.date(2008, 3, 31)
    assert parse_period("2008Q1").contains(day)
    assert not parse_period("2008Q2").contains(day)
    assert parse_period("2008Q2").contains(dt.date(2008, 4, 1))


def test_year_before_for_tongbi():
    assert parse_period("2008Q3").year_before() == parse_period("2007Q3")
    assert parse_period("2008-02").year_before() == parse_period("2007-02")
    assert as_of(dt.date(2008, 2, 29)).year_before() == as_of(dt.date(2007, 2, 28))
    assert year(2008).year_before() == year(2007)


def test_months_of_a_period():
    months = parse_period("@2008-09-15").months()
    assert [m.code for m in months][:2] == ["2008-01", "2008-02"] and len(months) == 9
    assert months[-1].end == dt.date(2008, 9, 15)


@pytest.mark.parametrize("bad", ["", "2008Q5", "2008-13", "@2008-02-30", "last year"])
def test_bad_period_is_refused_with_what_is_accepted(bad):
    with pytest.raises(DomainError, match="2008Q3"):
        parse_period(bad)


def test_a_date_range_period():
    period = parse_period("2008-03-01~2008-09-30")
    assert (period.start, period.end, period.as_of) == (
        dt.date(2008, 3, 1),
        dt.date(2008, 9, 30),
        dt.date(2008, 9, 30),
    )
    assert parse_period(period.code) == period
    assert period.year_before() == parse_period("2007-03-01~2007-09-30")
    with pytest.raises(DomainError):
        parse_period("2008-09-30~2008-03-01")
