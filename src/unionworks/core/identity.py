"""How a person's identifying data is read, checked, sealed and shown — shared by the
member roll, the importers and every other domain that keys a person by ID number.
The records keep it in the fields of ``core.people.Person`` (and ``SealedPhone``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from pypinyin import Style, lazy_pinyin

from unionworks.core.errors import DomainError
from unionworks.core.idnumber import IdFacts, mask_id_number, parse_id_number
from unionworks.core.personal_data import Sealer, mask_phone

ID_FIELD = "id_number"
PHONE_FIELD = "phone"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@lru_cache(maxsize=20_000)
def _initial(char: str) -> str:
    return "".join(lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore")).lower()


def name_initials(name: str) -> str:
    """张三丰 → zsf: what clerks type to find someone quickly (per character: a roll of
    millions has few distinct characters but very many distinct names)."""
    return "".join(_initial(c) for c in name)[:20]


def normalize_phone(raw: object) -> str:
    text = "" if raw is None else str(raw)
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    return "".join(text.translate(_FULL_WIDTH_DIGITS).split()).replace("-", "")


def check_mobile(raw: object) -> str:
    """An 11-digit mainland mobile number, or '' when none is given."""
    if type(raw) is str and len(raw) == 11 and raw.isascii() and _MOBILE.match(raw):
        return raw  # as most rolls have it: nothing to normalise
    phone = normalize_phone(raw)
    if phone and not _MOBILE.match(phone):
        raise ValidationError(f"手机号码“{phone}”不是11位有效手机号", code="phone")
    return phone


@dataclass(frozen=True)
class SealedIdentity:
    facts: IdFacts
    id_cipher: bytes
    id_index: str
    id_mask: str
    phone_cipher: bytes | None
    phone_index: str
    phone_mask: str


def seal_identity(facts: IdFacts, phone: str, sealer: Sealer | None = None) -> SealedIdentity:
    sealer = sealer or Sealer()
    return SealedIdentity(
        facts=facts,
        id_cipher=sealer.seal(facts.number, ID_FIELD),
        id_index=sealer.index(facts.number, ID_FIELD),
        id_mask=mask_id_number(facts.number),
        phone_cipher=sealer.seal(phone, PHONE_FIELD) if phone else None,
        phone_index=sealer.index(phone, PHONE_FIELD) if phone else "",
        phone_mask=mask_phone(phone) if phone else "",
    )


def id_index_of(raw: object) -> str | None:
    """The blind index of a typed ID number, or None when it is not a valid number."""
    try:
        facts = parse_id_number(raw)
    except ValidationError:
        return None
    return Sealer().index(facts.number, ID_FIELD)


def parse_identity(id_number: object, phone: object = "") -> tuple[IdFacts, str]:
    """Check an ID number and phone typed into a form; DomainError names the field."""
    try:
        facts = parse_id_number(id_number)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="id_number") from None
    try:
        clean_phone = check_mobile(phone)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="phone") from None
    return facts, clean_phone
