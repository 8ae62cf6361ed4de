"""上传任务指标: a file of targets (org, year, indicator, value), checked row by row.

Columns (Chinese headers, any order, a title row above is fine — core.importing):
组织编号 (the organisation's number on this platform) or 组织名称, 年度, 指标 (a code such
as ``members_joined`` or its Chinese name such as 新发展会员数), 目标值 (rates in percent:
90 means 90%).

Each row is checked before anything is saved: the organisation lies in the uploader's
subtree and strictly below the uploader's own organisation, the indicator is
registered, the year is a year, the value a number not below zero, and no two rows set
the same target. All-or-nothing by default: one bad row and nothing is saved, the
rejected rows come back as a workbook with 行号/出错列/原因. ``save_good_rows=True``
saves the good rows and still returns the rejects. The good rows are set through
``stats.services.set_target`` in one transaction (an audit entry each).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.db import transaction
from openpyxl import load_workbook
from openpyxl.styles import Font

from unionworks.core import roles
from unionworks.core.errors import DomainError
from unionworks.core.importing import (
    Column,
    ColumnSpec,
    RejectsWriter,
    RowError,
    SourceRow,
    clean_text,
    digits_text,
    read_table,
    to_ascii_digits,
    write_template,
)
from unionworks.core.scoping import root_org_of, subtree_orgs
from unionworks.orgs.models import Org
from unionworks.stats import registry, services

MAX_ROWS = 5_000
FIRST_YEAR, LAST_YEAR = 1990, 2100

TARGET_COLUMNS = ColumnSpec(
    columns=(
        Column("org_code", "组织编号", ("组织ID", "组织id", "编号"), example=""),
        Column("org_name", "组织名称", ("组织", "工会名称", "下达给"), example="太原市总工会"),
        Column("year", "年度", ("年份", "年"), required=True, example=2008),
        Column(
            "indicator",
            "指标",
            ("指标名称", "指标代码", "指标编码"),
            required=True,
            example="新发展会员数",
        ),
        Column("value", "目标值", ("目标", "任务数", "指标值"), required=True, example=1000),
    ),
    one_of=(("org_code", "org_name"),),
)


@dataclass
class TargetRow:
    row: int
    org: Org
    year: int
    indicator: str
    value: Decimal


@dataclass
class TargetImportResult:
    rows: int = 0  # data rows read
    saved: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejects_path: Path | None = None

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def ok(self) -> bool:
        return not self.errors


def indicator_lookup() -> dict[str, str]:
    """What a clerk may write in 指标 → the code: the code itself, its Chinese or English name."""
    lookup: dict[str, str] = {}
    for indicator in registry.all_indicators():
        for name in (indicator.name, indicator.name_en, indicator.code):
            lookup.setdefault(_key(name), indicator.code)
    return lookup


def _key(text: object) -> str:
    return "".join(clean_text(text).split()).lower()


def parse_amount(value: object) -> Decimal:
    """A number as typed: 1000, 1,000, １０００, 90%, 12.5 (a trailing % is dropped)."""
    if isinstance(value, bool):
        raise ValueError("不是数字")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    text = to_ascii_digits(clean_text(value)).replace(",", "").replace("，", "")
    text = text.rstrip("%％").strip()
    if not text:
        raise ValueError("目标值为空")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{clean_text(value)}”不是数字") from None
    if not number.is_finite():
        raise ValueError(f"“{clean_text(value)}”不是数字")
    return number


class _Checker:
    """Checks the rows of one file against the uploader's subtree, with one query per kind."""

    def __init__(self, actor, rows: list[SourceRow], header_of):
        self.actor = actor
        self.root = root_org_of(actor)
        self.header_of = header_of
        self.indicators = indicator_lookup()
        codes = {digits_text(r.values.get("org_code")) for r in rows}
        ids = {int(c) for c in codes if c.isdigit()}
        names = {clean_text(r.values.get("org_name")) for r in rows} - {""}
        orgs = subtree_orgs(actor)
        self.by_id = {o.pk: o for o in orgs.filter(pk__in=ids)} if ids else {}
        self.by_name: dict[str, list[Org]] = {}
        if names:
            for org in orgs.filter(name__in=names):
                self.by_name.setdefault(org.name, []).append(org)
        self.seen: dict[tuple, int] = {}

    def error(self, row: SourceRow, name: str, reason: str) -> RowError:
        return RowError(row.number, self.header_of(name), reason)

    def org(self, row: SourceRow, errors: list[RowError]) -> Org | None:
        code = digits_text(row.values.get("org_code"))
        name = clean_text(row.values.get("org_name"))
        org = None
        if code:
            if not code.isdigit():
                errors.append(self.error(row, "org_code", f"组织编号“{code}”应为数字"))
                return None
            org = self.by_id.get(int(code))
            if org is None:
                errors.append(
                    self.error(
                        row, "org_code", f"组织编号“{code}”不存在，或不在本组织及下级组织范围内"
                    )
                )
                return None
            if name and name != org.name:
                errors.append(
                    self.error(
                        row, "org_name", f"组织名称“{name}”与组织编号{code}（{org.name}）不一致"
                    )
                )
                return None
        elif name:
            found = self.by_name.get(name, [])
            if not found:
                errors.append(
                    self.error(row, "org_name", f"组织“{name}”不存在，或不在本组织及下级组织范围内")
                )
                return None
            if len(found) > 1:
                errors.append(
                    self.error(row, "org_name", f"有{len(found)}个组织名为“{name}”，请填写组织编号")
                )
                return None
            org = found[0]
        else:
            column = "org_code" if self.header_of("org_code") else "org_name"
            errors.append(self.error(row, column, "未填写组织编号或组织名称"))
            return None
        if org.pk == self.root.pk:
            column = "org_code" if code else "org_name"
            errors.append(self.error(row, column, "只能为下级组织下达任务指标"))
            return None
        return org

    def year(self, row: SourceRow, errors: list[RowError]) -> int | None:
        text = digits_text(row.values.get("year")).removesuffix("年")
        if not text:
            errors.append(self.error(row, "year", "未填写年度"))
            return None
        if not (text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR):
            errors.append(self.error(row, "year", f"年度“{text}”应为四位数字年份，如 2008"))
            return None
        return int(text)

    def indicator(self, row: SourceRow, errors: list[RowError]) -> str | None:
        text = clean_text(row.values.get("indicator"))
        if not text:
            errors.append(self.error(row, "indicator", "未填写指标"))
            return None
        code = self.indicators.get(_key(text))
        if code is None:
            errors.append(
                self.error(row, "indicator", f"未知的指标“{text}”（填指标名称或代码，见指标目录）")
            )
        return code

    def value(self, row: SourceRow, errors: list[RowError]) -> Decimal | None:
        try:
            amount = parse_amount(row.values.get("value"))
        except ValueError as exc:
            errors.append(self.error(row, "value", str(exc)))
            return None
        if amount < 0:
            errors.append(self.error(row, "value", "目标值不能为负数"))
            return None
        if amount >= Decimal("1e14"):
            errors.append(self.error(row, "value", "目标值过大"))
            return None
        return amount.quantize(Decimal("0.01"))

    def check(self, row: SourceRow) -> tuple[TargetRow | None, list[RowError]]:
        errors: list[RowError] = []
        org = self.org(row, errors)
        year = self.year(row, errors)
        indicator = self.indicator(row, errors)
        value = self.value(row, errors)
        if errors:
            return None, errors
        key = (org.pk, year, indicator)
        if key in self.seen:
            errors.append(
                self.error(row, "indicator", f"与第{self.seen[key]}行重复（同一组织、年度和指标）")
            )
            return None, errors
        self.seen[key] = row.number
        return TargetRow(row.number, org, year, indicator, value), errors


class _Refused(Exception):
    def __init__(self, row: TargetRow, exc: DomainError):
        self.row, self.exc = row, exc


def _save(actor, good: list[TargetRow]) -> None:
    with transaction.atomic():
        for row in good:
            try:
                services.set_target(
                    actor=actor,
                    org=row.org,
                    year=row.year,
                    indicator=row.indicator,
                    value=row.value,
                )
            except DomainError as exc:
                raise _Refused(row, exc) from None


_FIELD_COLUMN = {"org": "org_code", "year": "year", "indicator": "indicator", "value": "value"}


def import_targets(
    *,
    actor,
    path: str | Path,
    save_good_rows: bool = False,
    rejects_dir: str | Path | None = None,
) -> TargetImportResult:
    """Check every row of the file at ``path`` and set its targets; see the module doc.

    A file that cannot be read at all raises ``core.importing.ImportFileError``.
    """
    roles.require_writer(actor)
    table = read_table(path, TARGET_COLUMNS)
    rows = []
    for row in table.rows:
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise DomainError(f"文件超过{MAX_ROWS}行，请分成几个文件上传", field="file")
    checker = _Checker(actor, rows, table.header_of)
    result = TargetImportResult(rows=len(rows))
    good: list[TargetRow] = []
    rejected: list[tuple[SourceRow, list[RowError]]] = []
    for row in rows:
        target, errors = checker.check(row)
        if errors:
            rejected.append((row, errors))
            result.errors.extend(errors)
        else:
            good.append(target)
    if good and (not rejected or save_good_rows):
        try:
            _save(actor, good)
            result.saved = len(good)
        except _Refused as refused:
            column = _FIELD_COLUMN.get(refused.exc.field or "", "")
            header = table.header_of(column) or (
                table.header_of("org_name") if column == "org_code" else ""
            )
            error = RowError(refused.row.row, header, refused.exc.message)
            source = next(r for r in rows if r.number == refused.row.row)
            rejected.append((source, [error]))
            result.errors.append(error)
    if rejected:
        rejected.sort(key=lambda item: item[0].number)
        directory = Path(rejects_dir or Path(settings.MEDIA_ROOT) / "target_rejects")
        writer = RejectsWriter(
            directory / f"{uuid.uuid4().hex}.xlsx", table.headers, title="任务指标未通过的行"
        )
        for row, errors in rejected:
            writer.add(row.cells, errors)
        result.rejects_path = writer.close()
    return result


def target_template(actor) -> bytes:
    """The upload form (任务指标) with its Chinese headers and one example, plus two sheets
    to copy from: the organisations below the user's (两级) with their numbers, and the
    indicators with their codes."""
    from tempfile import TemporaryDirectory

    from unionworks.members.forms import near_levels

    with TemporaryDirectory() as directory:
        path = write_template(Path(directory) / "targets.xlsx", TARGET_COLUMNS, title="任务指标")
        workbook = load_workbook(path)
    bold = Font(bold=True)
    root = root_org_of(actor)
    orgs = workbook.create_sheet("组织编号")
    orgs.append(["组织编号", "组织名称", "类型"])
    for org in near_levels(actor).exclude(pk=root.pk).order_by("path"):
        indent = "\u3000" * max(org.depth - root.depth - 1, 0)
        orgs.append([org.pk, f"{indent}{org.name}", org.get_kind_display()])
    indicators = workbook.create_sheet("指标")
    indicators.append(["指标代码", "指标名称", "单位", "说明"])
    for indicator in registry.all_indicators():
        unit = "%（填百分数）" if indicator.is_ratio else indicator.unit
        indicators.append([indicator.code, indicator.name, unit, indicator.description])
    for sheet, widths in ((orgs, (12, 36, 18)), (indicators, (24, 20, 14, 40))):
        for cell in sheet[1]:
            cell.font = bold
        for letter, width in zip("ABCD", widths, strict=False):
            sheet.column_dimensions[letter].width = width
    first = workbook.worksheets[0]
    for letter, width in zip("ABCDE", (12, 28, 10, 20, 14), strict=True):
        first.column_dimensions[letter].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
