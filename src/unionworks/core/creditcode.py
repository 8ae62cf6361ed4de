"""统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet.

Position 1 is the registering authority, 2 the organisation type, 3-8 the region
(GB/T 2260), 9-17 the organisation code, 18 the check character: weights 3^i mod 31.
"""

from __future__ import annotations

import random

from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ",
    "0123456789ABCDEFGHJKLMNPQRTUWXY",
)
# Registering authority (position 1) and the organisation types it may issue (position 2).
AUTHORITIES = {
    "1": "1239",  # 机构编制
    "5": "1239",  # 民政
    "9": "123",  # 工商 (enterprise, individual business, farmers' co-operative)
    "Y": "1",  # 其他
}


def normalize_credit_code(raw: object) -> str:
    text = "" if raw is None else str(raw)
    return "".join(text.translate(_FULL_WIDTH).split()).upper()


def check_char(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(raw: object) -> str:
    """Return the normalised code, or raise ValidationError saying what is wrong in Chinese."""
    code = normalize_credit_code(raw)
    if len(code) != 18:
        raise ValidationError(
            f"统一社会信用代码位数不对：应为18位，实为{len(code)}位", code="length"
        )
    bad = [c for c in code if c not in _VALUE]
    if bad:
        raise ValidationError(
            f"统一社会信用代码含有不允许的字符“{bad[0]}”（不使用I、O、Z、S、V）", code="format"
        )
    if not code[2:8].isdigit():
        raise ValidationError("统一社会信用代码第3-8位应为行政区划码（数字）", code="format")
    if check_char(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位不对，请核对代码", code="check_digit")
    return code


def make_credit_code(
    rng: random.Random, *, region_code: str = "140105", authority: str = "9"
) -> str:
    """A valid code, for the demo province and for tests."""
    kind = rng.choice(AUTHORITIES[authority])
    body = "".join(rng.choice(ALPHABET) for _ in range(9))
    first17 = f"{authority}{kind}{region_code}{body}"
    return first17 + check_char(first17)
