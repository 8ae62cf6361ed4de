"""居民身份证号 (GB 11643-1999): normalisation, checking and the facts it carries.

An ID number is 17 digits and a check character over them: the weighted sum mod 11
(weights 2^(17-i) mod 11) picks the check character from ``CHECK_CHARS``.
Digits 7-14 are the birth date, digit 17 the sex (odd = male).
"""

from __future__ import annotations

import datetime as dt
import operator
import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")


def normalize_id_number(raw: object) -> str:
    """What users type is often spaced, full-width or has a lower-case x: fix those only."""
    if (
        type(raw) is str
        and len(raw) == 18
        and raw.isascii()
        and raw.isalnum()
        and raw[:17].isdigit()
    ):
        return raw.upper()  # typed right, as most are
    text = "" if raw is None else str(raw)
    text = text.translate(_FULL_WIDTH)
    text = "".join(text.split()).upper()
    return text


_ZERO_OFFSET = ord("0") * sum(WEIGHTS)


def check_char(first17: str) -> str:
    # On the ASCII codes (one C-level pass; the offset of "0" taken off after): an import
    # computes this millions of times.
    total = sum(map(operator.mul, first17.encode(), WEIGHTS)) - _ZERO_OFFSET
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdFacts:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"

    @property
    def region_code(self) -> str:
        return self.number[:6]


def parse_id_number(raw: object, *, today: dt.date | None = None) -> IdFacts:
    """Return the facts of a valid ID number, or raise ValidationError with a Chinese reason.

    The messages carry the keywords users look for: 位数, 校验, 出生日期.
    """
    number = normalize_id_number(raw)
    if not number:
        raise ValidationError("身份证号不能为空", code="required")
    if len(number) != 18:
        raise ValidationError(f"身份证号位数不对：应为18位，实为{len(number)}位", code="length")
    if (
        not number.isascii()
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise ValidationError("身份证号格式不对：前17位须为数字，末位为数字或X", code="format")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            f"身份证号中的出生日期 {number[6:14]} 不存在", code="birth_date"
        ) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError(f"身份证号中的出生日期 {birth.isoformat()} 不合理", code="birth_date")
    if check_char(number[:17]) != number[17]:
        raise ValidationError("身份证号校验位不对，请核对号码", code="check_digit")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdFacts(number=number, birth_date=birth, sex=sex)


def make_id_number(
    rng: random.Random,
    *,
    region_code: str = "140105",
    birth_date: dt.date | None = None,
    sex: str | None = None,
) -> str:
    """A valid ID number, for the demo province and for tests."""
    if birth_date is None:
        birth_date = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
    seq = rng.randrange(0, 1000)
    if sex is not None:
        seq = seq - seq % 2 + (1 if sex == "M" else 0)
        if seq > 999:
            seq -= 2
    first17 = f"{region_code}{birth_date:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


def mask_id_number(number: str) -> str:
    """``1401**********1234``: the first four and last four stay readable."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
