"""Model fields shared by the domains."""

from django.db import models


class ByteOrderCharField(models.CharField):
    """Text compared byte by byte on PostgreSQL (the "C" collation): an index on it sorts
    several times faster (a province's roll rebuilds them over millions of rows), and one
    plain index serves both ``LIKE '王伟%'`` and ``ORDER BY`` the column, so a prefix search
    can stop at its first page. Other databases keep their default (SQLite's is already
    byte order). Sorted by it, Chinese text comes in code-point order, not pinyin.
    """

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


class AsciiKeyField(ByteOrderCharField):
    """Text only ever matched exactly or by prefix, never sorted for people to read:
    blind indexes, masks, pinyin initials, card numbers (no ``varchar_pattern_ops`` twin
    index is needed for ``LIKE 'zs%'``)."""
