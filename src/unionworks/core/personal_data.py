"""Personal data at rest (PIPL): ID numbers and phone numbers are never stored in clear.

Each value is sealed with AES-256-GCM (a fresh nonce each time, the field name as
associated data so a phone cipher cannot pass for an ID cipher), and gets a keyed
blind index (HMAC-SHA256, truncated to 128 bits) for exact look-up and uniqueness.
Both sub-keys are derived with HKDF from one master key, ``UNIONWORKS_DATA_KEY``
(base64 of 32 bytes). Outside the demo the app refuses to start without it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"
# A fixed key for the demo and the tests only; production must bring its own.
DEMO_KEY = base64.b64encode(
    hashlib.sha256(b"unionworks demo data key - not secret").digest()
).decode()


def master_key_text() -> str:
    key = getattr(settings, "DATA_KEY", "") or ""
    if not key:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured(
                "缺少个人信息加密密钥 UNIONWORKS_DATA_KEY：没有它，身份证号和手机号无法读取，拒绝启动。"
            )
        key = DEMO_KEY
    return key


@lru_cache(maxsize=4)
def _keys(master_text: str) -> tuple[AESGCM, bytes]:
    try:
        master = base64.b64decode(master_text, validate=True)
    except ValueError:
        raise ImproperlyConfigured("UNIONWORKS_DATA_KEY 须为32字节密钥的 base64 编码") from None
    if len(master) != 32:
        raise ImproperlyConfigured("UNIONWORKS_DATA_KEY 须为32字节密钥的 base64 编码")

    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)

    return AESGCM(derive(b"unionworks seal v1")), derive(b"unionworks blind index v1")


def check_key() -> None:
    """Called at start-up: a missing or malformed key must be impossible to miss."""
    _keys(master_key_text())


def seal(value: str, *, field: str) -> bytes:
    aead, _ = _keys(master_key_text())
    nonce = os.urandom(12)
    return VERSION + nonce + aead.encrypt(nonce, value.encode(), field.encode())


def unseal(blob: bytes | memoryview, *, field: str) -> str:
    blob = bytes(blob)
    if blob[:1] != VERSION:
        raise ValueError("unknown cipher version")
    aead, _ = _keys(master_key_text())
    return aead.decrypt(blob[1:13], blob[13:], field.encode()).decode()


def blind_index(value: str, *, field: str) -> str:
    _, index_key = _keys(master_key_text())
    return hmac.digest(index_key, f"{field}:{value}".encode(), "sha256").hex()[:32]


_NONCE = 12
_NONCES_AT_ONCE = 4096
_nonce_generation = 0  # bumped in a forked child: nonces drawn before the fork are dropped


def _after_fork_in_child() -> None:
    global _nonce_generation
    _nonce_generation += 1


os.register_at_fork(after_in_child=_after_fork_in_child)


class Sealer:
    """The same operations with the keys looked up once, for bulk paths (imports, the demo).

    Nonces come from the OS random source 4,096 at a time rather than one system call per
    value. A forked process (the import's workers) never uses nonces drawn before the fork,
    which its siblings hold too: a GCM nonce must never be used twice with one key.
    """

    def __init__(self):
        self._aead, index_key = _keys(master_key_text())
        self._nonces, self._next, self._generation = b"", 0, -1
        # HMAC (RFC 2104) with the key's inner and outer SHA-256 states computed once: the
        # same digest as hmac.digest, at a third of its cost per value.
        block = index_key.ljust(64, b"\0")  # the key is 32 bytes: no pre-hashing
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def _nonce(self) -> bytes:
        at = self._next
        if at >= len(self._nonces) or self._generation != _nonce_generation:
            self._nonces, at = os.urandom(_NONCE * _NONCES_AT_ONCE), 0
            self._generation = _nonce_generation
        self._next = at + _NONCE
        return self._nonces[at : at + _NONCE]

    def seal(self, value: str, field: str) -> bytes:
        nonce = self._nonce()
        return VERSION + nonce + self._aead.encrypt(nonce, value.encode(), field.encode())

    def index(self, value: str, field: str) -> str:
        """The same as ``blind_index``."""
        inner = self._inner.copy()
        inner.update(f"{field}:{value}".encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:32]


def mask_phone(phone: str) -> str:
    """``138****1234``."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
