import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from unionworks.core import creditcode, idnumber

seeds = st.integers(min_value=0, max_value=2**32)


@given(seed=seeds)
def test_every_generated_id_number_passes(seed):
    number = idnumber.make_id_number(random.Random(seed))
    facts = idnumber.parse_id_number(number)
    assert facts.number == number


@given(seed=seeds, position=st.integers(0, 17), replacement=st.sampled_from("0123456789X"))
def test_changing_one_character_of_an_id_number_fails(seed, position, replacement):
    number = idnumber.make_id_number(random.Random(seed))
    if number[position] == replacement:
        return
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        idnumber.parse_id_number(changed)


@given(seed=seeds)
def test_every_generated_credit_code_passes(seed):
    code = creditcode.make_credit_code(random.Random(seed))
    assert creditcode.validate_credit_code(code) == code


@given(
    seed=seeds,
    position=st.integers(0, 17),
    replacement=st.sampled_from(creditcode.ALPHABET + "IOZSV"),
)
def test_changing_one_character_of_a_credit_code_fails(seed, position, replacement):
    code = creditcode.make_credit_code(random.Random(seed))
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError):
        creditcode.validate_credit_code(changed)


def test_id_number_facts_and_messy_spellings():
    facts = idnumber.parse_id_number("140502 19690323 064x")
    assert facts.number == "14050219690323064X"
    assert facts.birth_date == dt.date(1969, 3, 23)
    assert facts.sex == "F"
    assert (
        idnumber.normalize_id_number("１４０５０２１９６９０３２３０６４Ｘ") == "14050219690323064X"
    )


@pytest.mark.parametrize(
    ("raw", "keyword"),
    [
        ("140106197710164", "位数"),
        ("140502196302300550", "出生日期"),
        ("140502198704020551", "校验"),
    ],
)
def test_id_number_reasons_name_the_fault(raw, keyword):
    with pytest.raises(ValidationError) as exc:
        idnumber.parse_id_number(raw)
    assert keyword in exc.value.messages[0]


def test_birth_date_in_the_future_is_refused():
    future = dt.date.today() + dt.timedelta(days=30)
    number = idnumber.make_id_number(random.Random(1), birth_date=future)
    with pytest.raises(ValidationError, match="出生日期"):
        idnumber.parse_id_number(number)


def test_known_real_format_credit_code():
    # The check character of a well-known published code.
    assert creditcode.validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    with pytest.raises(ValidationError, match="校验"):
        creditcode.validate_credit_code("91350100M000100Y44")


def test_mask_id_number():
    assert idnumber.mask_id_number("14050219690323064X") == "1405**********064X"
