"""A person on a record, keyed by 居民身份证号: the fields and the one way to set them.

Any record about a person (a member, a hardship file, a recipient, a worker owed wages,
and next a cadre or an honoured worker) inherits ``Person`` — and ``SealedPhone`` when it
keeps a phone. The ID number and phone are never stored in clear: each is sealed
(AES-GCM), blind-indexed (HMAC, for exact look-up and uniqueness) and masked for display
(core.personal_data, core.identity). ``set_identity`` sets all of it in one step; the
services call it, bulk paths (imports, the demo) write the same columns with a Sealer.
"""

from __future__ import annotations

from django.db import models

from unionworks.core.fields import AsciiKeyField
from unionworks.core.identity import ID_FIELD, PHONE_FIELD, seal_identity
from unionworks.core.idnumber import IdFacts
from unionworks.core.personal_data import Sealer, unseal

SEXES = [("M", "男"), ("F", "女")]


class SealedPhone(models.Model):
    """A phone number, sealed, blind-indexed and masked (``138****1234``); all empty when
    none is known."""

    phone_cipher = models.BinaryField("手机号(密文)", null=True, blank=True)
    phone_index = AsciiKeyField("手机号索引", max_length=32, blank=True)
    phone_mask = models.CharField("手机号", max_length=11, blank=True)

    class Meta:
        abstract = True

    def revealed_phone(self) -> str:
        """The phone in full ('' when none): only for a viewer allowed to see it (audited)."""
        return unseal(self.phone_cipher, field=PHONE_FIELD) if self.phone_cipher else ""


class Person(models.Model):
    """Name, sex and birth date, and the ID number sealed, blind-indexed and masked."""

    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=SEXES)
    birth_date = models.DateField("出生日期")
    id_number_cipher = models.BinaryField("身份证号(密文)")
    id_number_index = AsciiKeyField("身份证号索引", max_length=32)
    id_number_mask = AsciiKeyField("身份证号", max_length=18)

    class Meta:
        abstract = True

    def set_identity(self, facts: IdFacts, phone: str = "", *, sealer: Sealer | None = None):
        """The checked ID number (``facts``: from ``parse_identity``) and phone, sealed,
        indexed and masked; sex and birth date as the number gives them. A record without
        ``SealedPhone`` refuses a phone rather than drop it."""
        if phone and not isinstance(self, SealedPhone):
            raise ValueError(f"{type(self).__name__} keeps no phone")
        sealed = seal_identity(facts, phone, sealer)
        self.sex = facts.sex
        self.birth_date = facts.birth_date
        self.id_number_cipher = sealed.id_cipher
        self.id_number_index = sealed.id_index
        self.id_number_mask = sealed.id_mask
        if isinstance(self, SealedPhone):
            self.phone_cipher = sealed.phone_cipher
            self.phone_index = sealed.phone_index
            self.phone_mask = sealed.phone_mask
        return self

    def revealed_id_number(self) -> str:
        """The ID number in full: only for a viewer allowed to see it (audited)."""
        return unseal(self.id_number_cipher, field=ID_FIELD)


class PersonWithPhone(Person, SealedPhone):
    class Meta:
        abstract = True
