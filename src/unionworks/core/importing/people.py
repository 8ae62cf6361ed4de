"""The columns and checks of a person in a spreadsheet — the roll, disbursement lists,
and next the cadre roster, honours and competition winners all read them the same way.

Each check returns ``(value, reason)``: the value, or None with the Chinese reason, so
an importer files the reason under its own column however it reports errors.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError

from unionworks.core.idnumber import IdFacts, parse_id_number
from unionworks.core.importing.reading import Column, clean_text

NAME_MAX = 50
ID_NUMBER_SYNONYMS = (
    "身份证号",
    "身份证号码",
    "证件号码",
    "居民身份证号",
    "居民身份证号码",
    "身份证",
)
ID_AS_NUMBER = "身份证号被存成了数字，末几位已丢失：请把该列设为文本格式后重新填写"
_CJK_NAME = {"Lo", "Po"}  # letters without case (汉字) and the middle dot of minority names


def name_column(synonyms: tuple[str, ...] = ("职工姓名",), **options) -> Column:
    return Column("name", "姓名", synonyms, required=True, example="张三", **options)


def id_number_column(**options) -> Column:
    return Column(
        "id_number",
        "公民身份号码",
        ID_NUMBER_SYNONYMS,
        required=True,
        example="140105198001010011",
        text=True,
        **options,
    )


def clean_name(value: object) -> str:
    """张 三 → 张三 (spaces to align names in a column); Latin names keep single spaces."""
    text = " ".join(clean_text(value).split())
    if " " in text and all(unicodedata.category(c) in _CJK_NAME for c in text.replace(" ", "")):
        text = text.replace(" ", "")
    return text


def person_name(value: object) -> tuple[str, str | None]:
    """The cleaned name, and why it cannot be taken (None when it can)."""
    name = clean_name(value)
    if not name:
        return name, "姓名不能为空"
    if len(name) > NAME_MAX:
        return name, f"姓名过长（最多{NAME_MAX}个字）"
    return name, None


def id_number(value: object, *, today: dt.date) -> tuple[IdFacts | None, str | None]:
    """A 居民身份证号 cell: its facts (number, birth date, sex), or why it is wrong —
    including a number Excel kept as a float, whose last digits are gone."""
    if isinstance(value, float):
        return None, ID_AS_NUMBER
    try:
        return parse_id_number(value, today=today), None
    except ValidationError as exc:
        return None, exc.messages[0]
