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

from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Font

from unionworks.core.importing import (
    Column,
    ColumnSpec,
    clean_text,
    digits_text,
    to_ascii_digits,
    write_template,
)
from unionworks.core.importing.pipeline import Importer, ImportResult, Row, register
from unionworks.core.numbers import field_bounds
from unionworks.core.scoping import root_org_of, subtree_orgs
from unionworks.core.spreadsheets import append_row, save_workbook
from unionworks.orgs.forms import near_levels
from unionworks.orgs.models import Org
from unionworks.stats import registry, services
from unionworks.stats.models import Target

VALUE_BOUNDS = field_bounds(Target, "value")

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


def _key(text: object) -> str:
    return "".join(clean_text(text).split()).lower()


def indicator_lookup() -> dict[str, str]:
    """What a clerk may write in 指标 → the code: the code itself, its Chinese or English name."""
    lookup: dict[str, str] = {}
    for indicator in registry.all_indicators():
        for name in (indicator.name, indicator.name_en, indicator.code):
            lookup.setdefault(_key(name), indicator.code)
    return lookup


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


@register
class TargetImporter(Importer):
    """Each row names its own organisation (below the uploader's), so there is no org to
    choose; the targets are set through ``services.set_target`` (audited one by one)."""

    kind = "targets"
    title = "任务指标"
    columns = TARGET_COLUMNS
    model = Target
    count_labels = {"set": "下达指标", "unchanged": "已下达未变"}
    needs_org = False
    max_rows = MAX_ROWS
    help_text = "每行一条：组织（编号或名称）、年度、指标（名称或代码）、目标值（比率填百分数）"

    @classmethod
    def template(cls, path, *, actor=None, **params):
        Path(path).write_bytes(target_template(actor))
        return Path(path)

    def setup(self) -> None:
        self.root = root_org_of(self.actor)
        self.indicators = indicator_lookup()
        self.first_of: dict[tuple, int] = {}

    def check_row(self, row: Row) -> None:
        values = row.values
        row.code = digits_text(values.get("org_code"))
        row.name = clean_text(values.get("org_name"))
        if row.code and not row.code.isdigit():
            self.reject(row, "org_code", f"组织编号“{row.code}”应为数字")
        elif not row.code and not row.name:
            column = "org_code" if self.table.header_of("org_code") else "org_name"
            self.reject(row, column, "未填写组织编号或组织名称")
        text = digits_text(values.get("year")).removesuffix("年")
        row.year = None
        if not text:
            self.reject(row, "year", "未填写年度")
        elif not (text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR):
            self.reject(row, "year", f"年度“{text}”应为四位数字年份，如 2008")
        else:
            row.year = int(text)
        text = clean_text(values.get("indicator"))
        row.indicator = self.indicators.get(_key(text)) if text else None
        if not text:
            self.reject(row, "indicator", "未填写指标")
        elif row.indicator is None:
            self.reject(row, "indicator", f"未知的指标“{text}”（填指标名称或代码，见指标目录）")
        try:
            amount = parse_amount(values.get("value"))
        except ValueError as exc:
            self.reject(row, "value", str(exc))
        else:
            if amount < 0:
                self.reject(row, "value", "目标值不能为负数")
            elif amount > VALUE_BOUNDS.hi:
                self.reject(row, "value", "目标值过大")
            else:
                row.value = amount.quantize(Decimal("0.01"))

    def check_batch(self, rows: list[Row]) -> None:
        orgs = subtree_orgs(self.actor)
        ids = {int(r.code) for r in rows if r.code}
        names = {r.name for r in rows if r.name and not r.code}
        by_id = {o.pk: o for o in orgs.filter(pk__in=ids)} if ids else {}
        by_name: dict[str, list[Org]] = {}
        for org in orgs.filter(name__in=names) if names else ():
            by_name.setdefault(org.name, []).append(org)
        for row in rows:
            row.org = self.org_of(row, by_id, by_name)
        good = [r for r in rows if r.ok]
        keys = [(r.org.pk, r.year, r.indicator) for r in good]
        existing = {}
        if keys:
            found = Target.objects.filter(
                org_id__in={k[0] for k in keys},
                year__in={k[1] for k in keys},
                indicator__in={k[2] for k in keys},
            ).values_list("org_id", "year", "indicator", "value")
            existing = {(o, y, i): v for o, y, i, v in found}
        for row, key in zip(good, keys, strict=True):
            first = self.first_of.setdefault(key, row.row_number)
            if first != row.row_number:
                self.reject(row, "indicator", f"与第{first}行重复（同一组织、年度和指标）")
            elif existing.get(key) == row.value:
                row.unchanged = True

    def org_of(self, row: Row, by_id: dict, by_name: dict) -> Org | None:
        if row.code:
            org = by_id.get(int(row.code))
            if org is None:
                self.reject(
                    row, "org_code", f"组织编号“{row.code}”不存在，或不在本组织及下级组织范围内"
                )
                return None
            if row.name and row.name != org.name:
                self.reject(
                    row,
                    "org_name",
                    f"组织名称“{row.name}”与组织编号{row.code}（{org.name}）不一致",
                )
                return None
        else:
            found = by_name.get(row.name, [])
            if not found:
                self.reject(
                    row, "org_name", f"组织“{row.name}”不存在，或不在本组织及下级组织范围内"
                )
                return None
            if len(found) > 1:
                self.reject(
                    row, "org_name", f"有{len(found)}个组织名为“{row.name}”，请填写组织编号"
                )
                return None
            org = found[0]
        if org.pk == self.root.pk:
            self.reject(row, "org_code" if row.code else "org_name", "只能为下级组织下达任务指标")
            return None
        return org

    def write(self, rows: list[Row]) -> dict[str, int]:
        # Through the service, each audited: a few thousand rows at most (MAX_ROWS).
        for row in rows:
            services.set_target(
                actor=self.actor,
                org=row.org,
                year=row.year,
                indicator=row.indicator,
                value=row.value,
            )
        return {"set": len(rows)}


def import_targets(
    *,
    actor,
    path: str | Path,
    save_good_rows: bool = False,
    dry_run: bool = False,
    rejects_dir: str | Path | None = None,
) -> ImportResult:
    """Check every row of the file at ``path`` and set its targets; see the module doc.

    A file that cannot be read at all raises ``core.importing.ImportFileError``.
    """
    job = TargetImporter(actor=actor, save_good_rows=save_good_rows, dry_run=dry_run)
    return job.run(path, rejects_dir)


def target_template(actor) -> bytes:
    """The upload form (任务指标) with its Chinese headers and one example, plus two sheets
    to copy from: the organisations below the user's (两级) with their numbers, and the
    indicators with their codes."""
    from tempfile import TemporaryDirectory

    with TemporaryDirectory() as directory:
        path = write_template(Path(directory) / "targets.xlsx", TARGET_COLUMNS, title="任务指标")
        workbook = load_workbook(path)
    bold = Font(bold=True)
    root = root_org_of(actor)
    orgs = workbook.create_sheet("组织编号")
    append_row(orgs, ["组织编号", "组织名称", "类型"])
    for org in near_levels(actor).exclude(pk=root.pk).order_by("path"):
        indent = "\u3000" * max(org.depth - root.depth - 1, 0)
        append_row(orgs, [org.pk, f"{indent}{org.name}", org.get_kind_display()])
    indicators = workbook.create_sheet("指标")
    append_row(indicators, ["指标代码", "指标名称", "单位", "说明"])
    for indicator in registry.all_indicators():
        unit = "%（填百分数）" if indicator.is_ratio else indicator.unit
        append_row(indicators, [indicator.code, indicator.name, unit, indicator.description])
    for sheet, widths in ((orgs, (12, 36, 18)), (indicators, (24, 20, 14, 40))):
        for cell in sheet[1]:
            cell.font = bold
        for letter, width in zip("ABCD", widths, strict=False):
            sheet.column_dimensions[letter].width = width
    first = workbook.worksheets[0]
    for letter, width in zip("ABCDE", (12, 28, 10, 20, 14), strict=True):
        first.column_dimensions[letter].width = width
    return save_workbook(workbook)
