"""Model fields shared by the domains."""

from django.db import models


class AsciiKeyField(models.CharField):
    """Text only ever matched exactly or by prefix, never sorted for people to read:
    blind indexes, masks, pinyin initials, card numbers.

    On PostgreSQL it is compared byte by byte (the "C" collation): an index on it sorts
    several times faster (a province's roll rebuilds them over millions of rows), and a
    plain index serves ``LIKE 'zs%'`` too, so no ``varchar_pattern_ops`` twin is needed.
    Other databases keep their default (SQLite's is already byte order).
    """

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters
