"""One import kind's test case for ``tests/test_import_kinds.py``: an app adds its kinds in
``<app>/tests/import_cases.py`` as ``IMPORT_CASES = {kind: (tables, build)}``, where
``tables`` are the model labels a run may write (their rows are fingerprinted) and
``build(world)`` returns a ``Case`` (``world`` is the shared fixture of two cities)."""

from dataclasses import dataclass


@dataclass
class Case:
    kind: str
    actor: object
    outsider: object
    data: dict  # the upload form's fields beside the file
    good: list  # rows of a file that saves
    bad_row: list  # a row that is refused
    header: list
    count: str  # the count that says rows were written
