"""导入单位名录: a county's (or township's) list of units with their credit codes and dates,
through the shared pipeline (core.importing.pipeline).

The picked org is the registering org (a county or township of the actor's subtree); a
row may name a township below it in 所属组织 (matched by name within the picked org's
subtree). A credit code already registered updates that unit through
``services.update_unit``; a new one is registered through ``services.create_unit``, so
every rule of the services holds here too (dates against the unit's 成立/注销 and the
union's founding/dissolution, 农民工/女职工 within 职工人数) and their refusals come back
as row errors naming the column.

Rules of the file beyond the services':
- a blank cell leaves what is on record for a unit already registered (a partial list
  changes only what it says), and takes the services' default for a new one;
- a changed covering union starts a new coverage spell on the row's 建会(覆盖)日期, which
  is then required and must fall after the current spell's start (the past is kept;
  a wrong past spell is corrected on the unit's page, not by an upload);
- the same union with another 建会(覆盖)日期 corrects the start of the open spell (the
  service's correction);
- a blank 覆盖的基层工会 leaves the coverage as it is (ending a coverage is dated, done
  on the unit's page or by its 注销日期);
- rows that match what is on record are counted as 未变 and not written again.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Min
from openpyxl import load_workbook
from openpyxl.styles import Font

from unionworks.core.creditcode import check_char, validate_credit_code
from unionworks.core.errors import DomainError
from unionworks.core.importing import (
    Column,
    ColumnSpec,
    clean_text,
    digits_text,
    parse_date,
    write_template,
)
from unionworks.core.importing.pipeline import ImportResult, Row, register
from unionworks.core.numbers import field_bounds
from unionworks.core.scoping import is_in_subtree, org_label_for, subtree_orgs
from unionworks.core.spreadsheets import save_workbook
from unionworks.orgs import services
from unionworks.orgs.importing import OrgImporter
from unionworks.orgs.models import CoverageSpell, Org, Unit

MAX_ROWS = 20_000  # each row goes through the services (audited one by one)
REGISTERING_KINDS = (Org.Kind.COUNTY, Org.Kind.TOWNSHIP)
_EXAMPLE_CODE = "91140105MA0K1B2C3"
EXAMPLE_CREDIT_CODE = _EXAMPLE_CODE + check_char(_EXAMPLE_CODE)

UNIT_COLUMNS = ColumnSpec(
    columns=(
        Column(
            "name",
            "单位名称",
            ("单位", "企业名称", "法人单位名称", "名称"),
            required=True,
            example="晋阳精密机械有限公司",
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            ("信用代码", "社会信用代码", "统一代码", "统一社会信用代码证号"),
            required=True,
            example=EXAMPLE_CREDIT_CODE,
            text=True,
        ),
        Column(
            "ownership",
            "经济类型",
            ("经济性质", "企业类型", "单位性质"),
            required=True,
            example="私营",
        ),
        Column(
            "industry",
            "所属行业",
            ("行业", "行业门类", "国民经济行业"),
            required=True,
            example="制造业",
        ),
        Column(
            "employees", "职工人数", ("职工数", "从业人员", "从业人数", "职工总数"), example=120
        ),
        Column("migrant_workers", "其中农民工", ("农民工", "农民工人数"), example=30),
        Column("women_workers", "其中女职工", ("女职工", "女职工人数"), example=45),
        Column(
            "established_on",
            "成立日期",
            ("单位成立日期", "成立时间", "注册日期"),
            example=dt.date(2003, 5, 8),
        ),
        Column("closed_on", "注销日期", ("注销时间",)),
        Column(
            "union",
            "覆盖的基层工会",
            ("基层工会", "所在基层工会", "覆盖工会", "建会工会", "工会名称"),
            example="晋阳精密机械有限公司工会",
        ),
        Column(
            "covered_since",
            "建会(覆盖)日期",
            ("建会日期", "覆盖日期", "建会时间", "入会(覆盖)日期"),
            example=dt.date(2007, 9, 15),
        ),
        Column("address", "地址", ("单位地址", "注册地址", "住所")),
        Column("org", "所属组织", ("所属乡镇(街道)工会", "登记组织", "所属工会组织")),
        Column("serial", "序号", ("编号",), in_template=False),
    ),
)


def _key(text: object) -> str:
    """How labels are compared: half-width, no spaces or 、，, lower case."""
    value = unicodedata.normalize("NFKC", clean_text(text))
    return re.sub(r"[\s、,，.。;；]", "", value).lower()


def _lookup(choices, synonyms: dict[str, list[str]]) -> dict[str, str]:
    found = {}
    for value, label in choices:
        for name in (value, label, *synonyms.get(value, ())):
            found.setdefault(_key(name), value)
    return found


OWNERSHIPS = _lookup(
    Unit.Ownership.choices,
    {
        "state": ["国有企业", "国企", "国有独资", "国有控股"],
        "collective": ["集体企业", "集体所有制"],
        "private": ["私营企业", "民营", "民营企业", "私企", "私人企业"],
        "foreign": ["外资", "外资企业", "外商投资企业", "中外合资", "中外合作", "外商独资"],
        "hmt": ["港澳台", "港澳台投资企业", "港澳台商投资", "港澳台资"],
        "individual": ["个体工商户", "个体户", "个体经济"],
        "institution": ["事业"],
        "social": ["社会团体", "民办非企业单位", "社团"],
    },
)
INDUSTRIES = _lookup(Unit.Industry.choices, {})
OWNERSHIP_HINT = "、".join(label for _v, label in Unit.Ownership.choices)

INT_FIELDS = {
    "employees": "职工人数",
    "migrant_workers": "其中农民工",
    "women_workers": "其中女职工",
}
# The services' names for the dates, in their messages.
DATE_LABELS = {
    "established_on": "单位成立日期",
    "closed_on": "注销日期",
    "covered_since": "建会(覆盖)日期",
}
DATE_FIELDS = tuple(DATE_LABELS)
# Kept as on record when the cell is blank (a unit already registered).
OPTIONAL_FIELDS = (
    "employees",
    "migrant_workers",
    "women_workers",
    "established_on",
    "closed_on",
    "address",
)


def _iso(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@register
class UnitImporter(OrgImporter):
    kind = "units"
    title = "单位名录"
    columns = UNIT_COLUMNS
    model = Unit
    count_labels = {"created": "新登记单位", "updated": "更新单位", "unchanged": "已登记未变"}
    unique = {"credit_code": "统一社会信用代码"}
    max_rows = MAX_ROWS
    batch_size = 1000
    conflict_message = "导入期间他人登记了同一统一社会信用代码的单位"
    org_label = "登记组织"
    org_help = "县(市、区)总工会或乡镇(街道)工会；行中可在“所属组织”填其下的乡镇(街道)工会"
    help_text = (
        "每行一个单位，按统一社会信用代码识别：已登记的更新，未登记的新登记；"
        "空白的格保留已登记的内容；更换覆盖的基层工会须填写新的建会(覆盖)日期"
    )

    @classmethod
    def template(cls, path, *, actor=None, **params):
        Path(path).write_bytes(unit_template())
        return Path(path)

    def authorise(self) -> None:
        super().authorise()
        if self.org is None or self.org.kind not in REGISTERING_KINDS:
            raise DomainError("单位名录须导入到县(市、区)总工会或乡镇(街道)工会", field="org")

    def setup(self) -> None:
        self.bounds = {name: field_bounds(Unit, name) for name in INT_FIELDS}

    def audit_summary(self) -> dict:
        return {"登记组织": self.org.name, **super().audit_summary()}

    # -- one row, on its own ---------------------------------------------------------------
    def check_row(self, row: Row) -> None:
        values = row.values
        row.name = clean_text(values.get("name"))
        if not row.name:
            self.reject(row, "name", "未填写单位名称")
        elif len(row.name) > Unit._meta.get_field("name").max_length:
            self.reject(row, "name", "单位名称过长（最多100字）")
        row.code = ""
        text = clean_text(values.get("credit_code"))
        if not text:
            self.reject(row, "credit_code", "未填写统一社会信用代码")
        else:
            try:
                row.code = validate_credit_code(text)
            except ValidationError as exc:
                self.reject(row, "credit_code", exc.messages[0])
        row.ownership = self.choice(row, "ownership", OWNERSHIPS, "经济类型", OWNERSHIP_HINT)
        row.industry = self.choice(
            row, "industry", INDUSTRIES, "所属行业", "行业门类名称，如制造业，或其字母A-T"
        )
        row.given = {}  # the optional values the row states (blank: keep what is on record)
        for name, label in INT_FIELDS.items():
            text = digits_text(values.get(name))
            if not text:
                continue
            if not text.isdigit():
                self.reject(row, name, f"{label}“{text}”应为不小于0的整数")
            elif int(text) > self.bounds[name].hi:
                self.reject(row, name, f"{label}过大")
            else:
                row.given[name] = int(text)
        for name in DATE_FIELDS:
            try:
                day = parse_date(values.get(name))
            except ValueError as exc:
                self.reject(row, name, str(exc))
                continue
            if day is None:
                continue
            if day > self.today:
                self.reject(row, name, f"{DATE_LABELS[name]}不能晚于今天")
            row.given[name] = day
        address = clean_text(values.get("address"))
        if len(address) > Unit._meta.get_field("address").max_length:
            self.reject(row, "address", "地址过长（最多200字）")
        elif address:
            row.given["address"] = address
        row.union_name = clean_text(values.get("union"))
        row.org_name = clean_text(values.get("org"))
        if not row.union_name and "covered_since" in row.given:
            self.reject(row, "union", "填写了建会(覆盖)日期，但未填写覆盖的基层工会")

    def choice(self, row: Row, name: str, lookup: dict, label: str, hint: str) -> str | None:
        text = clean_text(row.values.get(name))
        if not text:
            self.reject(row, name, f"未填写{label}")
            return None
        value = lookup.get(_key(text))
        if value is None:
            self.reject(row, name, f"{label}“{text}”无法识别（可填：{hint}）")
        return value

    def duplicate_keys(self, row: Row) -> dict:
        return {"credit_code": row.code}

    # -- one batch, against the database ---------------------------------------------------
    def check_batch(self, rows: list[Row]) -> None:
        units = {
            u.credit_code: u
            for u in Unit.objects.select_related("org").filter(
                credit_code__in=[r.code for r in rows]
            )
        }
        orgs = self.named(
            self.org.subtree().filter(kind__in=REGISTERING_KINDS),
            {r.org_name for r in rows if r.org_name},
        )
        unions = self.named(
            subtree_orgs(self.actor).filter(kind=Org.Kind.GRASSROOTS),
            {r.union_name for r in rows if r.union_name},
        )
        ids = [u.pk for u in units.values()]
        latest: dict[int, CoverageSpell] = {}
        for spell in (
            CoverageSpell.objects.select_related("union")
            .filter(unit_id__in=ids)
            .order_by("unit_id", "start")
        ):
            latest[spell.unit_id] = spell
        first_cover = dict(
            CoverageSpell.objects.filter(unit_id__in=ids)
            .values("unit_id")
            .annotate(first=Min("start"))
            .values_list("unit_id", "first")
        )
        for row in rows:
            row.unit = units.get(row.code)
            row.org = self.org_of(row, orgs)
            row.union = self.union_of(row, unions)
            if not row.ok:
                continue
            self.check_against_record(row)
            if not row.ok:
                continue
            if row.unit is None:
                row.fields = self.new_unit(row)
            else:
                self.check_existing(row, latest.get(row.unit.pk), first_cover.get(row.unit.pk))
            if row.ok:
                self.check_coverage_dates(row)

    def check_against_record(self, row: Row) -> None:
        """The row's figures and dates with the blanks filled from the record (or, for a
        new unit, the services' defaults): the services' rules, asked before writing."""

        def value(name):
            if name in row.given:
                return row.given[name]
            return getattr(row.unit, name) if row.unit is not None else None

        employees = value("employees") or 0
        for name, label in (("migrant_workers", "农民工"), ("women_workers", "女职工")):
            if (value(name) or 0) > employees:
                self.reject(row, name, f"{label}人数不能多于职工人数")
        established, closed = value("established_on"), value("closed_on")
        if established and closed and closed <= established:
            self.reject(
                row,
                "closed_on" if "closed_on" in row.given else "established_on",
                "注销日期须晚于单位成立日期",
            )

    def named(self, orgs, names: set[str]) -> dict[str, list[Org]]:
        found: dict[str, list[Org]] = {}
        for org in orgs.filter(name__in=names) if names else ():
            found.setdefault(org.name, []).append(org)
        return found

    def org_of(self, row: Row, orgs: dict) -> Org | None:
        if not row.org_name:
            return None  # the picked org for a new unit; where it is for one on record
        found = orgs.get(row.org_name, [])
        if len(found) == 1:
            return found[0]
        if not found:
            self.reject(
                row,
                "org",
                f"“{row.org_name}”不是{self.org.name}或其下的乡镇(街道)工会",
            )
        else:
            self.reject(row, "org", f"{self.org.name}下有{len(found)}个组织名为“{row.org_name}”")
        return None

    def union_of(self, row: Row, unions: dict) -> Org | None:
        if not row.union_name:
            return None
        found = unions.get(row.union_name, [])
        if len(found) > 1:
            # The same name elsewhere in the actor's subtree: the one near the list wins.
            near = [u for u in found if is_in_subtree(u, self.org)]
            found = near if len(near) == 1 else found
        if len(found) == 1:
            return found[0]
        if not found:
            self.reject(
                row, "union", f"基层工会“{row.union_name}”不存在，或不在本组织及下级组织范围内"
            )
        else:
            self.reject(row, "union", f"有{len(found)}个基层工会名为“{row.union_name}”")
        return None

    def new_unit(self, row: Row) -> dict:
        org = row.org or self.org
        fields = {
            "name": row.name,
            "credit_code": row.code,
            "ownership": row.ownership,
            "industry": row.industry,
            "region_code": org.region_code,
            "org": org,
            "union": row.union,
            **row.given,
        }
        fields.setdefault("address", "")
        return fields

    def check_existing(self, row: Row, spell: CoverageSpell | None, first_cover) -> None:
        unit = row.unit
        if not is_in_subtree(unit.org, self.org):
            self.reject(
                row,
                "credit_code",
                f"该统一社会信用代码已由{org_label_for(unit.org, self.actor)}登记，"
                f"不在{self.org.name}范围内",
            )
            return
        wanted = {
            "name": row.name,
            "ownership": row.ownership,
            "industry": row.industry,
            **{k: v for k, v in row.given.items() if k in OPTIONAL_FIELDS},
        }
        if row.org is not None:
            wanted["org"] = row.org
        changes = {k: v for k, v in wanted.items() if getattr(unit, k) != v}
        established = changes.get("established_on")
        if established and first_cover and established > first_cover:
            # The service checks coverage dates against 成立日期, not the reverse.
            self.reject(
                row,
                "established_on",
                f"成立日期（{_iso(established)}）晚于{unit.name}的建会(覆盖)日期"
                f"（{_iso(first_cover)}），单位不能在成立之前被覆盖",
            )
            return
        closed = changes.get("closed_on")
        if closed and spell is not None and spell.end is None and closed <= spell.start:
            # Closing ends the open spell that day, which must come after its start.
            self.reject(
                row,
                "closed_on",
                f"{unit.name}自{_iso(spell.start)}起由{org_label_for(spell.union, self.actor)}"
                f"覆盖，注销日期（{_iso(closed)}）须晚于该日",
            )
            return
        if row.union is not None:
            self.coverage_changes(row, spell, changes)
        row.fields = changes
        row.unchanged = row.ok and not changes

    def coverage_changes(self, row: Row, spell: CoverageSpell | None, changes: dict) -> None:
        """What the row's union and 建会日期 change. The union that covers the unit now —
        or, for a closed unit, the one that covered it until its 注销 — is compared."""
        unit, since = row.unit, row.given.get("covered_since")
        current = spell
        if spell is not None and spell.end is not None:
            closed = changes.get("closed_on", unit.closed_on)
            current = spell if closed and spell.end == closed else None
        if current is not None and current.union_id == row.union.pk:
            if since and since != current.start:
                changes.update(union=row.union, covered_since=since)  # a corrected start
            return
        if since is None:
            self.reject(
                row,
                "covered_since",
                "更换覆盖的基层工会须填写建会(覆盖)日期（新工会自该日起覆盖）"
                if current is not None
                else "请填写建会(覆盖)日期（自该日起覆盖）",
            )
            return
        if current is not None and since <= current.start:
            self.reject(
                row,
                "covered_since",
                f"{unit.name}自{_iso(current.start)}起由{org_label_for(current.union, self.actor)}"
                f"覆盖，改由“{row.union.name}”覆盖的日期（{_iso(since)}）须晚于该日"
                "（更正过去的覆盖请在单位页面办理）",
            )
            return
        changes.update(union=row.union, covered_since=since)

    def check_coverage_dates(self, row: Row) -> None:
        """The services' date rules, asked here too so that one pass reports every row (an
        all-or-nothing file is not written, and so not checked by them, once a row fails);
        the services check again when writing."""
        fields = row.fields
        union = fields.get("union")
        if union is None:
            return
        if row.unit is None:
            since = fields.get("covered_since") or fields.get("established_on") or self.today
            probe = Unit(
                name=row.name, **{k: fields.get(k) for k in ("established_on", "closed_on")}
            )
        else:
            since = fields["covered_since"]
            probe = Unit(
                name=row.name,
                established_on=fields.get("established_on", row.unit.established_on),
                closed_on=fields.get("closed_on", row.unit.closed_on),
            )
        try:
            services.check_unit_exists_on(probe, since, field="covered_since")
            services.check_union_open_on(union, since, field="covered_since", what="覆盖日期")
        except DomainError as exc:
            self.reject(row, exc.field, exc.message)

    # -- writing, through the services -----------------------------------------------------
    def write(self, rows: list[Row]) -> dict[str, int]:
        created = updated = 0
        for row in rows:
            if row.unit is None:
                unit = services.create_unit(actor=self.actor, **row.fields)
                if unit.closed_on and unit.union_id:
                    # create_unit leaves the first spell open on a closed unit; the edit
                    # ends it on the 注销日期 as it does for a unit closed later.
                    services.update_unit(actor=self.actor, unit=unit)
                created += 1
            else:
                services.update_unit(actor=self.actor, unit=row.unit, **row.fields)
                updated += 1
        return {"created": created, "updated": updated}


def import_units(
    *,
    actor,
    org: Org,
    path: str | Path,
    save_good_rows: bool = False,
    dry_run: bool = False,
    rejects_dir: str | Path | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Register or update every unit of the list at ``path`` under ``org``."""
    job = UnitImporter(
        actor=actor, org=org, save_good_rows=save_good_rows, dry_run=dry_run, today=today
    )
    return job.run(path, rejects_dir)


def unit_template() -> bytes:
    """The 单位名录 form and a second sheet with what 经济类型 and 所属行业 accept."""
    from tempfile import TemporaryDirectory

    with TemporaryDirectory() as directory:
        path = write_template(Path(directory) / "units.xlsx", UNIT_COLUMNS, title="单位名录")
        workbook = load_workbook(path)
    first = workbook.worksheets[0]
    widths = (28, 22, 10, 16, 10, 10, 10, 12, 12, 28, 14, 30, 20)
    for index, width in enumerate(widths):
        first.column_dimensions[chr(ord("A") + index)].width = width
    # The credit code stays text (a number cell would lose nothing here, but 0-led
    # codes and the check letter should be typed as they are printed).
    for cell in first["B"]:
        cell.number_format = "@"
    notes = workbook.create_sheet("填写说明")
    bold = Font(bold=True)
    notes.append(["经济类型（填名称）"])
    for _value, label in Unit.Ownership.choices:
        notes.append([label])
    notes.append([])
    notes.append(["所属行业（填门类名称或字母）", "名称"])
    for value, label in Unit.Industry.choices:
        notes.append([value, label])
    notes.append([])
    for line in (
        "统一社会信用代码已登记的单位按本表更新，未登记的新登记；空白的格保留已登记的内容。",
        "更换覆盖的基层工会须填写新的建会(覆盖)日期：原覆盖到该日为止，历史数字不变。",
        "日期不能早于单位成立日期或基层工会成立日期，也不能晚于今天。",
    ):
        notes.append([line])
    for row in (notes[1], notes[len(Unit.Ownership.choices) + 3]):
        for cell in row:
            cell.font = bold
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 40
    return save_workbook(workbook)
