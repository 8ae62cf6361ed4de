"""Every .xlsx the platform writes goes through here, so that no text becomes a formula.

A name such as ``=HYPERLINK("http://…","点此")`` typed into a form or an uploaded roll would,
written as it is, become a live formula in the export or in the rejected-rows workbook a
clerk opens (formula injection, CWE-1236): openpyxl stores any string starting with ``=``
as a formula, and Excel turns ``+``, ``-``, ``@`` (and a leading tab or carriage return)
into one as soon as the cell is edited. Here such text is written as a text cell with
Excel's "quote prefix" (what typing a leading ``'`` does): the cell shows and holds the
text exactly as typed — an upload of the fixed rejected rows reads it back unchanged —
and it is never evaluated. We write no formulas of our own, so every cell is safe to treat
this way.

- ``new_workbook(write_only=…)``: the workbook to fill.
- ``append_row(sheet, values)``: a row, its texts made safe (write-only sheets too).
- ``text_cell(sheet, value)``: one cell for a write-only row that also needs a style.
- ``save_workbook(workbook, path=None)``: the only way out (bytes, or the file at ``path``);
  it makes safe any cell set directly (``sheet["A1"] = …``) before writing.

``core/tests/test_spreadsheets.py`` checks every writer; a test also fails if a module
writes a workbook without these functions.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# What spreadsheet programs read as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _as_text(cell) -> None:
    cell.data_type = "s"
    cell.quotePrefix = True


def text_cell(sheet, value, **style):
    """A cell holding ``value`` (text kept as text) with ``style`` (font=, number_format=…)."""
    cell = WriteOnlyCell(sheet, value=value) if _write_only(sheet) else Cell(sheet, value=value)
    if is_formula_like(value):
        _as_text(cell)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _write_only(sheet) -> bool:
    return isinstance(sheet, WriteOnlyWorksheet)


def _safe(sheet, value):
    if isinstance(value, Cell):  # WriteOnlyCell() makes a Cell too
        if is_formula_like(value.value) or value.data_type == "f":
            _as_text(value)
        return value
    return text_cell(sheet, value) if is_formula_like(value) else value


def append_row(sheet, values) -> None:
    sheet.append([_safe(sheet, value) for value in values])


def new_workbook(*, write_only: bool = False) -> Workbook:
    return Workbook(write_only=write_only)


def save_workbook(workbook: Workbook, path: str | Path | None = None) -> bytes | Path:
    """Write ``workbook`` (to ``path``, or answer its bytes) with no cell read as a formula."""
    if not workbook.write_only:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f" or is_formula_like(cell.value):
                        _as_text(cell)
    if path is not None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
        return path
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
