"""core.money: one reading and one writing of yuan, for forms, imports, the API and services."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from unionworks.assistance.models import MONEY
from unionworks.core.money import (
    FEN,
    MAX_MONEY,
    MoneyError,
    MoneyField,
    format_wan,
    format_yuan,
    parse_money,
)
from unionworks.core.numbers import field_bounds

# The disbursement list's own reader answered these (before it moved onto core.money).
REFUSED = [
    ("abc", "“abc”不是有效的金额"),
    ("１２ａ", "“１２ａ”不是有效的金额"),
    ("NaN", "“NaN”不是有效的金额"),
    ("Infinity", "“Infinity”不是有效的金额"),
    (float("inf"), "“inf”不是有效的金额"),
    (True, "应为金额"),
    (-1, "金额不能为负数"),
    ("-0.01", "金额不能为负数"),
    ("12.345", "金额最多精确到分（两位小数）"),
    (0.001, "金额最多精确到分（两位小数）"),
    ("1e-999999", "金额最多精确到分（两位小数）"),
    ("1000000000000", "金额过大"),
    ("999999999999.999", "金额最多精确到分（两位小数）"),
    ("1e308", "金额过大"),
    (1e308, "金额过大"),
    (10**30, "金额过大"),
    ("9" * 5000, "金额过大"),
    ("1e999999999", "金额过大"),
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (500, Decimal("500.00")),
        (500.5, Decimal("500.50")),
        (0.1, Decimal("0.10")),
        (Decimal("12.3"), Decimal("12.30")),
        ("1,200.00", Decimal("1200.00")),
        ("１，２００．５", Decimal("1200.50")),
        ("３００元", Decimal("300.00")),
        ("1,200.00元", Decimal("1200.00")),
        ("￥300", Decimal("300.00")),
        ("¥ 1 200.5 元", Decimal("1200.50")),
        ("  88  ", Decimal("88.00")),
        ("12.340", Decimal("12.34")),
        ("999999999999.99", MAX_MONEY),
        (None, Decimal("0.00")),
        ("", Decimal("0.00")),
        ("\u3000", Decimal("0.00")),
    ],
)
def test_what_clerks_type_is_read_to_the_fen(value, expected):
    amount = parse_money(value)
    assert amount == expected and amount.as_tuple().exponent == -2


@pytest.mark.parametrize(("value", "message"), REFUSED)
def test_refusals_say_why_in_chinese(value, message):
    with pytest.raises(MoneyError) as refused:
        parse_money(value)
    assert str(refused.value) == message
    assert isinstance(refused.value, ValueError)


def test_options_blank_negative_maximum_and_label():
    with pytest.raises(ValueError, match="金额不能为空"):
        parse_money("", allow_blank=False)
    assert parse_money("-12.5", allow_negative=True) == Decimal("-12.50")
    with pytest.raises(ValueError, match="金额过大"):
        parse_money("-1e13", allow_negative=True)
    with pytest.raises(ValueError, match=r"过大（不能超过100\.00）"):
        parse_money("100.01", max_value=Decimal(100))
    assert parse_money("100", max_value=Decimal(100)) == Decimal("100.00")
    with pytest.raises(ValueError) as refused:
        parse_money("abc", label="现金")
    assert str(refused.value) == "现金“abc”不是有效的金额"
    with pytest.raises(ValueError, match="^现金不能为负数$"):
        parse_money("-1", label="现金")


def test_the_maximum_is_what_every_amount_column_holds():
    assert MONEY == {"max_digits": 14, "decimal_places": 2}
    assert field_bounds_of_money() == MAX_MONEY == Decimal("999999999999.99")
    assert FEN == Decimal("0.01")


def field_bounds_of_money():
    from django.apps import apps

    tops = {
        field_bounds(model, field.name).hi
        for model in apps.get_app_config("assistance").get_models()
        for field in model._meta.fields
        if field.get_internal_type() == "DecimalField"
    }
    assert len(tops) == 1, tops
    return tops.pop()


def test_format_yuan_and_wan():
    assert format_yuan(Decimal("1234.5")) == "1,234.50"
    assert format_yuan(0) == "0.00"
    assert format_yuan("1200") == "1,200.00"
    assert format_yuan(Decimal("0.125")) == "0.13"
    assert format_yuan(MAX_MONEY) == "999,999,999,999.99"
    assert format_yuan(None) == format_yuan("") == "—"
    assert format_yuan("n/a") == "n/a"
    assert format_wan(123456) == "12.35"
    assert format_wan(Decimal("26703500")) == "2,670.35"
    assert format_wan(0.0) == "0.00"
    assert format_wan(None) == "—"


class PayForm(forms.Form):
    cash = MoneyField(label="现金（元）", required=False)
    amount = MoneyField(label="金额（元）")


@pytest.mark.parametrize(
    ("data", "errors", "cleaned"),
    [
        ({"cash": "1,200.50", "amount": "３００元"}, {}, (Decimal("1200.50"), Decimal("300.00"))),
        ({"cash": "", "amount": "0"}, {}, (None, Decimal("0.00"))),
        ({"cash": "1e308", "amount": "1"}, {"cash": ["金额过大"]}, None),
        ({"cash": "-1", "amount": "1"}, {"cash": ["金额不能为负数"]}, None),
        ({"cash": "0.001", "amount": "1"}, {"cash": ["金额最多精确到分（两位小数）"]}, None),
        ({"cash": "x", "amount": "1"}, {"cash": ["“x”不是有效的金额"]}, None),
        ({"cash": "1"}, {"amount": ["这个字段是必填项。"]}, None),
    ],
)
def test_money_field(data, errors, cleaned):
    form = PayForm(data)
    with translation.override("zh-hans"):
        assert form.errors == errors
    if cleaned:
        assert (form.cleaned_data["cash"], form.cleaned_data["amount"]) == cleaned


def test_money_field_renders_a_number_input_to_the_fen():
    html = str(PayForm()["amount"])
    assert 'type="number"' in html and 'step="0.01"' in html and 'min="0"' in html
