"""Reading spreadsheets the way clerks fill them in, and reporting what was wrong.

Every importer (the member roll, disbursement lists, …) describes its columns with a
``ColumnSpec`` and then:

- ``read_table(path, spec)`` streams the rows of an .xlsx (python-calamine) or .csv
  (UTF-8, else GB18030 as older Excel saves it). The header row is found among the
  first rows by the known header names, so title rows above it and any column order
  are fine; a missing required column is one clear ``ImportFileError``. Blank rows and
  signature footers (填表人/审核人/填表日期/制表…) are skipped, never reported. Each
  ``SourceRow`` carries the row number the user sees (the sheet row, or the CSV line).
- the value parsers (``parse_date``, ``parse_bool``, ``clean_text``, ``digits_text``)
  accept the usual spellings and raise ``ValueError`` with a Chinese reason.
- a rejected row becomes a ``RowError`` (row, column header as in the file, reason);
  ``RejectsWriter`` writes the rejected rows back as a workbook with the original
  columns plus 行号, 出错列, 原因 — fix the rows there and upload that file again.
- ``write_template`` writes the empty form with the Chinese headers and one example row.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from openpyxl.styles import Font

from unionworks.core.errors import DomainError
from unionworks.core.spreadsheets import append_row, new_workbook, save_workbook, text_cell

HEADER_SCAN_ROWS = 10
FOOTER_PREFIXES = (
    "填表人",
    "填报人",
    "制表",
    "审核人",
    "审批人",
    "复核人",
    "负责人",
    "单位负责人",
    "经办人",
    "填表日期",
    "填报日期",
    "报送日期",
    "合计",
    "总计",
    "注：",
    "注:",
    "说明：",
    "说明:",
    "备注：",
    "备注:",
)
REJECT_COLUMNS = ("行号", "出错列", "原因")
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_BLANKS = str.maketrans({"\u3000": " ", "\xa0": " ", "\u200b": None, "\ufeff": None})
_ODD_BLANKS = re.compile("[\u3000\xa0\u200b\ufeff]")


class ImportFileError(DomainError):
    """The file as a whole cannot be read: wrong type, no header row, a required column missing."""


# --- columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One field an importer reads: its template header and the other names clerks use."""

    field: str
    header: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    example: object = ""
    text: bool = False  # written as a text cell in the template (ID numbers, phones, codes)
    in_template: bool = True  # False for columns read only to recognise a header (性别, 序号)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)


def header_key(text: object) -> str:
    """How headers are compared: no spaces or required-markers, half-width, lower case."""
    value = unicodedata.normalize("NFKC", clean_text(text))
    return re.sub(r"[\s*:：]", "", value).lower()


@dataclass(frozen=True)
class ColumnSpec:
    columns: tuple[Column, ...]
    # Groups of fields of which at least one column must be present (e.g. unit name or code).
    one_of: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self):
        lookup = {}
        for column in self.columns:
            for name in column.names:
                lookup.setdefault(header_key(name), column.field)
        object.__setattr__(self, "_lookup", lookup)

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def field_for(self, header: object) -> str | None:
        key = header_key(header)
        return self._lookup.get(key) if key else None

    def match(self, cells: list) -> dict[str, int]:
        """field → column index for the cells of a header row (the first of a repeated name wins)."""
        found: dict[str, int] = {}
        for index, cell in enumerate(cells):
            name = self.field_for(cell)
            if name is not None and name not in found:
                found[name] = index
        return found

    def missing(self, found: dict[str, int]) -> list[str]:
        """Headers of required columns (and of unmet one-of groups) absent from ``found``."""
        missing = [c.header for c in self.columns if c.required and c.field not in found]
        for group in self.one_of:
            if not any(f in found for f in group):
                missing.append("或".join(self.column(f).header for f in group))
        return missing


# --- reading ---------------------------------------------------------------------------


@dataclass
class SourceRow:
    number: int  # the row number the user sees in the file
    cells: list  # the original cells, as read
    values: dict  # field → raw cell value (None when the column is absent)


@dataclass
class Table:
    path: Path
    headers: list[str]  # the header row's text, as in the file
    columns: dict[str, int]  # field → index
    header_row: int
    rows: Iterator[SourceRow]
    last_row: int  # the file's last row number (blank and footer rows included)

    @property
    def estimated_rows(self) -> int:
        """Rows under the header, blanks and footers included: a progress bar's total."""
        return max(0, self.last_row - self.header_row)

    def header_of(self, field_name: str) -> str:
        index = self.columns.get(field_name)
        return self.headers[index] if index is not None and index < len(self.headers) else ""

    def data_row(self, number: int, cells: list) -> SourceRow | None:
        """The row as a ``SourceRow``; None for the header and rows above it, blanks and footers."""
        if number <= self.header_row or is_footer(cells) or all(is_blank(c) for c in cells):
            return None
        width = len(cells)
        values = {name: (cells[i] if i < width else None) for name, i in self.columns.items()}
        return SourceRow(number=number, cells=cells, values=values)


def is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not clean_text(cell))


def is_footer(cells: list) -> bool:
    """A signature or totals line under the table: its first non-empty cell says so."""
    for cell in cells:
        if is_blank(cell):
            continue
        if not isinstance(cell, str) or cell.lstrip()[:1] not in _FOOTER_STARTS:
            return False  # the common case, decided without normalising anything
        return header_key(cell).startswith(_FOOTER_KEYS)
    return False


# A workbook is a zip archive. Its sizes as declared are checked before anything is
# unpacked: a 0.9 MB file that unpacks to 315 MB of XML (a zip bomb, or a damaged file) took
# 34 s and a gigabyte of memory before it was refused. A real sheet compresses about 7-12
# times (100,000 roll rows: 6 MB → 75 MB); Excel's own limit of 1,048,576 rows of a roll
# stays under the total.
MAX_XLSX_UNPACKED = 2 * 1024**3  # bytes, all members together
MAX_XLSX_RATIO = 100  # unpacked : packed, of one member …
RATIO_FROM_BYTES = 10 * 1024**2  # … of more than 10 MB unpacked
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, renamed or not


def check_xlsx_archive(
    path: str | Path,
    *,
    max_unpacked: int = MAX_XLSX_UNPACKED,
    max_ratio: int = MAX_XLSX_RATIO,
) -> None:
    """Refuse an .xlsx/.xlsm from its zip directory alone (nothing is unpacked): not a zip
    at all, more than ``max_unpacked`` bytes unpacked, or a large member packed more than
    ``max_ratio`` times — an ``ImportFileError`` in Chinese."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as stream:
            if stream.read(len(_OLE2_MAGIC)) == _OLE2_MAGIC:
                return  # an Excel 97-2003 workbook: calamine reads it, or says it cannot
        raise ImportFileError(
            f"“{path.name}”不是有效的 .xlsx 文件（可能已损坏，或是改了扩展名的其他文件），"
            "请用 Excel 打开后另存为 .xlsx 再上传"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(
            f"“{path.name}”已损坏，无法打开，请用 Excel 打开后另存为 .xlsx 再上传"
        ) from None
    total = sum(m.file_size for m in members)
    bomb = any(
        m.file_size > RATIO_FROM_BYTES and m.file_size > max_ratio * max(m.compress_size, 1)
        for m in members
    )
    if total > max_unpacked or bomb:
        raise ImportFileError(
            f"文件解压后过大（约 {max(1, round(total / 1024**2)):,} MB），"
            "疑似损坏或恶意文件，请检查后重新保存为 .xlsx"
        )


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list]]:
    from python_calamine import CalamineWorkbook

    check_xlsx_archive(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ImportFileError(
            f"无法读取该电子表格（{exc.__class__.__name__}），请另存为 .xlsx 后重试"
        ) from None
    # iter_rows starts at the sheet's first row (row 1), whatever the first used row is.
    for index, row in enumerate(sheet.iter_rows()):
        yield index + 1, list(row)


def detect_encoding(path: Path, chunk_size: int = 1 << 20) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such, else GB18030."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(chunk_size):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _csv_rows(path: Path) -> Iterator[tuple[int, list]]:
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as stream:
        reader = csv.reader(stream)
        line = 1
        for row in reader:
            yield line, row
            line = reader.line_num + 1


def quote_free_csv(path: str | Path) -> bool:
    """A CSV without a single quote character: each line is then exactly one row, so the
    file can be cut at any line end into blocks that parse on their own (``csv_blocks``)."""
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 22):
            if b'"' in chunk:
                return False
    return True


def _lines_in(block: bytes) -> int:
    # Counted as the csv module counts lines (newline=""): \n, \r\n and a lone \r.
    return block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")


def csv_blocks(path: str | Path, *, block_bytes: int = 1 << 20) -> Iterator[tuple[int, bytes]]:
    """A quote-free CSV (``quote_free_csv``) as (number of its first line, bytes) blocks of
    whole lines, for a pool of processes to parse with ``csv_block_rows``."""
    line, rest = 1, b""
    with open(path, "rb") as stream:
        while chunk := stream.read(block_bytes):
            data = rest + chunk
            cut = data.rfind(b"\n") + 1
            block, rest = data[:cut], data[cut:]
            if block:
                yield line, block
                line += _lines_in(block)
    if rest:
        yield line, rest


def csv_block_rows(first_line: int, block: bytes, encoding: str) -> Iterator[tuple[int, list]]:
    """(row number, cells) of one block of ``csv_blocks``: the numbers ``_csv_rows`` gives."""
    reader = csv.reader(io.StringIO(block.decode(encoding, errors="replace"), newline=""))
    line = first_line
    for row in reader:
        yield line, row
        line = first_line + reader.line_num


def iter_file_rows(path: str | Path) -> Iterator[tuple[int, list]]:
    """(row number as the user sees it, cells) for every row of the file, blanks included."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFileError(f"不支持的文件类型“{suffix or path.name}”：请上传 .xlsx 或 .csv 文件")
    if not path.is_file():
        raise ImportFileError(f"找不到文件“{path.name}”")
    return _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)


def read_table(path: str | Path, spec: ColumnSpec, *, scan_rows: int = HEADER_SCAN_ROWS) -> Table:
    """Find the header row among the first ``scan_rows`` rows and stream the data rows under it."""
    path = Path(path)
    rows = iter_file_rows(path)
    best: tuple[int, int, list, dict] | None = None  # (score, row number, cells, columns)
    head: list[tuple[int, list]] = []
    for number, cells in rows:
        head.append((number, cells))
        found = spec.match(cells)
        if found and (best is None or len(found) > best[0]):
            best = (len(found), number, cells, found)
        if len(head) >= scan_rows:
            break
    if best is None:
        expected = "、".join(c.header for c in spec.columns if c.required)
        raise ImportFileError(f"在文件前{scan_rows}行中没有找到表头（应含有：{expected}）")
    _score, header_row, header_cells, columns = best
    missing = spec.missing(columns)
    if missing:
        raise ImportFileError(f"缺少必填列：{'、'.join(missing)}（第{header_row}行为表头）")
    headers = [clean_text(c) for c in header_cells]

    def data_rows() -> Iterator[SourceRow]:
        pending = ((n, c) for n, c in head if n > header_row)
        for number, cells in chain(pending, rows):
            row = table.data_row(number, cells)
            if row is not None:
                yield row

    table = Table(
        path=path,
        headers=headers,
        columns=columns,
        header_row=header_row,
        rows=data_rows(),
        last_row=count_rows(path),
    )
    return table


def count_rows(path: Path) -> int:
    """The number of the file's last row (CSV lines are counted, cheaply, as bytes)."""
    if path.suffix.lower() == ".csv":
        lines, last = 0, b""
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        return lines + (1 if last not in (b"", b"\n") else 0)
    from python_calamine import CalamineWorkbook

    check_xlsx_archive(path)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return sheet.end[0] + 1 if sheet.end else 0


# --- values ----------------------------------------------------------------------------


def clean_text(value: object) -> str:
    """A cell as trimmed text: None → '', 12.0 → '12', odd blanks (全角空格, NBSP) removed."""
    if type(value) is str:
        text = value.strip()
        return text.translate(_BLANKS).strip() if _ODD_BLANKS.search(text) else text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).translate(_BLANKS).strip()


def to_ascii_digits(text: str) -> str:
    return text.translate(_FULL_WIDTH_DIGITS)


_FLOATISH = re.compile(r"^(\d+)\.0+$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_MAX_DIGITS = 30  # longer than any ID, card, phone or code a cell holds


def digits_text(value: object) -> str:
    """A number typed into a spreadsheet, as the digits the user meant.

    13812345678.0 (a float cell, or that text from a CSV saved by Excel) → '13812345678';
    full-width digits → ASCII; spaces removed. Anything else stays as typed.
    """
    if type(value) is str and (
        not value
        or (
            value.isascii()
            and value.isalnum()
            and (value.isdigit() or not _SCIENTIFIC.match(value))
        )
    ):
        return value  # plain digits (or a code's letters) or nothing: nothing to fix
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = "".join(to_ascii_digits(clean_text(value)).split())
    floatish = _FLOATISH.match(text)
    if floatish:
        return floatish.group(1)
    if _SCIENTIFIC.match(text):
        from decimal import Decimal

        number = Decimal(text)
        # 1.38E+10 is a phone Excel showed in its own way; 1e999999999 is nobody's number
        # (and its digits would take the import minutes to write out).
        if number.adjusted() <= _MAX_DIGITS and number == number.to_integral_value():
            return str(int(number))
    return text


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    # 2008-01-19, 2005.3.7, 2005/3/7, 2005年3月7日, 2008-01-19 00:00:00
    re.compile(
        r"^(?P<y>\d{4})\s*[-./年]\s*(?P<m>\d{1,2})\s*[-./月]\s*(?P<d>\d{1,2})\s*日?"
        r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
    ),
    # 2005年3月, 1973-09, 2005.3, 2005/03
    re.compile(r"^(?P<y>\d{4})\s*[-./年]\s*(?P<m>\d{1,2})\s*月?$"),
    # 20050307
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    # 200503
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})$"),
)


def _date_from_parts(y: str, m: str, d: str | None) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d) if d else 1)
    except ValueError:
        return None


def parse_date(value: object) -> dt.date | None:
    """A date cell as a ``datetime.date``; None for a blank cell.

    Accepts Excel dates (as calamine returns them, and serial numbers), ISO dates,
    2005.3.7, 2005/3/7, 2005年3月7日, 20050307, and month-only spellings (2005年3月,
    1973-09, 200503), which give the first of the month. Raises ValueError otherwise.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if type(value) is str and len(value) == 10 and value[4] == value[7] == "-" and value.isascii():
        try:
            return dt.date.fromisoformat(value)  # 2008-01-19, as most cells are
        except ValueError:
            pass
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer():
            text = str(int(value))
            if len(text) in (6, 8):  # 200503 or 20050307 typed as a number
                parsed = parse_date(text)
                if parsed is not None:
                    return parsed
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(f"日期“{value}”无法识别")
    text = to_ascii_digits(clean_text(value))
    if not text:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return dt.date.fromisoformat(text)  # the common case, fast
        except ValueError:
            pass
    for pattern in _DATE_PATTERNS:
        matched = pattern.match(text)
        if matched:
            parts = matched.groupdict()
            result = _date_from_parts(parts["y"], parts["m"], parts.get("d"))
            if result is None:
                raise ValueError(f"日期“{text}”不存在")
            return result
    raise ValueError(f"日期“{text}”无法识别，请写成 2008-01-19 或 2008年1月19日")


_YES = {"是", "y", "yes", "1", "true", "t", "√", "✓", "✔", "对", "有"}
_NO = {"否", "n", "no", "0", "false", "f", "×", "✗", "✘", "不是", "无", ""}


def parse_bool(value: object) -> bool:
    """是/Y/1/TRUE/√ → True; 否/N/0/FALSE/blank → False; anything else is a ValueError."""
    if value == "否" or value == "是":  # as most sheets have it
        return value == "是"
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = "".join(clean_text(value).split()).lower()
    text = unicodedata.normalize("NFKC", text)
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"“{clean_text(value)}”不是有效的是/否值（填“是”或“否”）")


# --- errors and output -----------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the header text as in the file ('' when the row as a whole is wrong)
    reason: str  # in Chinese

    def __str__(self) -> str:
        where = f"第{self.row}行" + (f"“{self.column}”列" if self.column else "")
        return f"{where}：{self.reason}"


def _plain_cell(value: object) -> object:
    if isinstance(value, (dt.date, int, float, bool)) or value is None:
        return value
    return str(value)


class RejectsWriter:
    """Streams rejected rows into an .xlsx: the original columns, then 行号, 出错列, 原因."""

    def __init__(self, path: str | Path, headers: list[str], *, title: str = "未通过的行"):
        self.path = Path(path)
        self.headers = list(headers)
        self.count = 0
        self._workbook = new_workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(title[:31])
        bold = Font(bold=True)
        header_cells = [
            text_cell(self._sheet, t, font=bold) for t in [*self.headers, *REJECT_COLUMNS]
        ]
        append_row(self._sheet, header_cells)

    def add(self, cells: list, errors: list[RowError]) -> None:
        width = len(self.headers)
        original = [_plain_cell(c) for c in list(cells)[:width]]
        original += [None] * (width - len(original))
        text_cells = []
        for value in original:
            # The uploaded text goes back as text (a "=…" name never becomes a formula).
            cell = text_cell(self._sheet, value)
            if isinstance(value, str):
                cell.number_format = "@"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            text_cells.append(cell)
        columns = "、".join(dict.fromkeys(e.column for e in errors if e.column))
        reasons = "；".join(e.reason for e in errors)
        append_row(self._sheet, [*text_cells, errors[0].row if errors else None, columns, reasons])
        self.count += 1

    def close(self) -> Path:
        return save_workbook(self._workbook, self.path)


def write_template(path: str | Path, spec: ColumnSpec, *, title: str) -> Path:
    """The blank form: the Chinese headers of ``spec`` (required ones marked *) and one example."""
    path = Path(path)
    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = Font(bold=True)
    headers, example = [], []
    for column in (c for c in spec.columns if c.in_template):
        headers.append(
            text_cell(sheet, column.header + ("*" if column.required else ""), font=bold)
        )
        value = text_cell(sheet, column.example)
        if column.text:
            value.number_format = "@"
        elif isinstance(column.example, dt.date):
            value.number_format = "yyyy-mm-dd"
        example.append(value)
    append_row(sheet, headers)
    append_row(sheet, example)
    return save_workbook(workbook, path)


# Footers are recognised by their normalised start (computed once, after header_key exists).
_FOOTER_KEYS = tuple(header_key(p) for p in FOOTER_PREFIXES)
_FOOTER_STARTS = frozenset(p[0] for p in FOOTER_PREFIXES) | frozenset(k[0] for k in _FOOTER_KEYS)
