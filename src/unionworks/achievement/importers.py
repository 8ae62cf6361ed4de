"""导入合理化建议: an enterprise's (or a whole federation's) half-year list of proposals, 五小
and innovations (.xlsx or .csv), through the shared pipeline (core.importing).

Per row: 建议编号 present and not repeated in the file for the same unit; the unit found by
its 统一社会信用代码 and inside the importing union's subtree (the proposal is counted
at the grassroots union covering the unit); 类别 known; 题目 present; 提出日期 a date,
not in the future; one or more 提出人 (姓名 and 身份证号 in the same order, several
separated by 、), each ID number valid and not repeated on the row; amounts to the fen,
not negative; 是否采纳 是 / 否 / blank (not yet decided), with 采纳日期 and 实施日期 not
before the proposal and nothing implemented or confirmed that was not adopted.

A row whose unit already has a proposal with that number and the same title is already
on record (unchanged): uploading the same list again changes nothing. Another title
under a number already used is refused. All-or-nothing by default.

Writes are set-based: per batch one insert of the proposals and one of their authors.

``initial_load=True`` (``manage.py import_proposals --initial-load``) is the bulk mode for
a first load in a maintenance window: refused unless the org's subtree holds no proposal
yet. On PostgreSQL it is ``bulk_load``: a pool of processes checks the rows and the rows
are ``COPY``ed straight into the tables with their indexes and unique and foreign-key
constraints dropped, all rebuilt and checked at the end (the whole application waits
meanwhile: the org, unit and user tables are locked too). On SQLite it is the normal
import. The checks, the rejects, the result, the audit entry and change note and the
all-or-nothing guarantee are the same as in the normal mode.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from unionworks.achievement.models import Proposal, ProposalAuthor
from unionworks.core.bulk import insert_rows, rows_with_keys
from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD
from unionworks.core.idnumber import mask_id_number
from unionworks.core.importing import Column, ColumnSpec, clean_text, digits_text, parse_date
from unionworks.core.importing import people as person_columns
from unionworks.core.importing.pipeline import Row, register
from unionworks.core.money import MoneyError, parse_money
from unionworks.core.personal_data import Sealer
from unionworks.core.scoping import path_upper_bound, subtree_filter
from unionworks.orgs.importing import OrgImporter
from unionworks.orgs.models import Unit

PROPOSAL_COLUMNS = ColumnSpec(
    columns=(
        Column("number", "建议编号", ("编号", "序号", "建议序号"), required=True, example="2008-0001", text=True),
        Column("unit_code", "单位统一社会信用代码", ("统一社会信用代码", "信用代码", "单位代码"), required=True, text=True, example="91140100MA0GRBCD1X"),
        Column("unit_name", "单位名称", ("单位", "所在单位"), in_template=False),
        Column("category", "类别", ("建议类别", "项目类别", "成果类别"), required=True, example="合理化建议"),
        Column("title", "题目", ("建议题目", "项目名称", "名称", "建议名称"), required=True, example="改进托辊润滑方式"),
        Column("status_quo", "现状", ("存在问题", "现状及问题")),
        Column("measure", "建议措施", ("措施", "改进措施", "主要内容")),
        Column("proposed_on", "提出日期", ("提出时间", "日期"), required=True, example="2008-03-05"),
        Column("name", "提出人", ("姓名", "建议人", "提出人姓名"), required=True, example="张三"),
        Column("id_number", "身份证号", person_columns.ID_NUMBER_SYNONYMS[1:], required=True, text=True, example="140105198001010011"),
        Column("estimated_value", "预计创造价值（元）", ("预计创造价值", "预计效益")),
        Column("estimated_savings", "预计节约（元）", ("预计节约",)),
        Column("adopted", "是否采纳", ("采纳", "采纳情况"), example="是"),
        Column("decided_on", "采纳日期", ("决定日期",)),
        Column("implemented_on", "实施日期", ("实施时间",)),
        Column("confirmed_value", "创造价值（元）", ("创造价值", "创造经济效益", "确认创造价值")),
        Column("confirmed_savings", "节约（元）", ("节约金额", "节约", "确认节约")),
    )
)  # fmt: skip

CATEGORIES = {label: value for value, label in Proposal.Category.choices}
CATEGORIES.update(
    {"建议": "proposal", "合理化": "proposal", "操作法": "method", "技术革新": "innovation"}
)
_SPLIT = re.compile(r"[、,，;；/\s]+")
_YES, _NO = {"是", "采纳", "已采纳", "y", "yes", "1"}, {"否", "不采纳", "未采纳", "n", "no", "0"}
MONEY_FIELDS = ("estimated_value", "estimated_savings", "confirmed_value", "confirmed_savings")


def split_people(value: object) -> list[str]:
    return [p for p in _SPLIT.split(clean_text(value)) if p]


@register
class ProposalImporter(OrgImporter):
    kind = "proposals"
    title = "合理化建议清单"
    columns = PROPOSAL_COLUMNS
    model = Proposal
    count_labels = {"created": "新增建议", "authors": "提出人次"}
    unique = {"number": "建议编号"}
    conflict_message = "导入期间该单位同一编号的建议已被他人登记"
    help_text = (
        "每行一条建议（含五小、技术创新）；多名提出人的姓名和身份证号按同一顺序用“、”分隔；"
        "按单位和建议编号识别，重新上传同一清单不会重复登记"
    )
    batch_size = 5000
    write_behind = True  # check_row needs no database; write only the rows

    def __init__(self, *, initial_load: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.initial_load = initial_load

    def setup(self) -> None:
        self.sealer = Sealer()
        self.units: dict[str, tuple | None] = {}
        self.proposer = self.actor if getattr(self.actor, "pk", None) else None
        root = self.org.path
        self.low, self.high = root, path_upper_bound(root)
        if self.initial_load:
            self.require_empty_subtree()  # early; again under the lock before writing

    # -- the first load -----------------------------------------------------------------------
    def require_empty_subtree(self) -> None:
        if Proposal.objects.filter(**subtree_filter(self.org.path, "org__path")).exists():
            raise DomainError(
                f"“{self.org.name}”及其下级组织已有合理化建议，不能使用首次批量导入"
                "（首次批量导入只用于本组织范围内还没有任何建议时）；请改用普通导入",
                field="initial_load",
            )

    def process(self) -> None:
        if self.initial_load and connection.vendor == "postgresql":
            from unionworks.achievement import bulk_load

            try:
                bulk_load.load(self)
            except bulk_load.Refused:
                pass  # the pipeline rolls the transaction back and says why
            return
        super().process()

    def audit_summary(self) -> dict:
        summary = super().audit_summary()
        if self.initial_load:
            summary["首次批量导入"] = "是"
        return summary

    # -- one row ------------------------------------------------------------------------------
    def check_row(self, row: Row) -> None:
        values = row.values
        row.number = clean_text(values.get("number"))
        if not row.number:
            self.reject(row, "number", "建议编号不能为空")
        elif len(row.number) > 30:
            self.reject(row, "number", "建议编号过长（最多30个字）")
        row.code = digits_text(values.get("unit_code")).upper()
        if not row.code:
            self.reject(row, "unit_code", "单位统一社会信用代码不能为空")
        text = "".join(clean_text(values.get("category")).split())
        row.category = CATEGORIES.get(text)
        if row.category is None:
            self.reject(
                row,
                "category",
                f"类别“{text}”无法识别（可填：{'、'.join(Proposal.Category.labels)}）",
            )
        row.title = " ".join(clean_text(values.get("title")).split())
        if not row.title:
            self.reject(row, "title", "题目不能为空")
        elif len(row.title) > 200:
            self.reject(row, "title", "题目过长（最多200个字）")
        row.status_quo = clean_text(values.get("status_quo"))[:2000]
        row.measure = clean_text(values.get("measure"))[:2000]
        row.proposed_on = self._date(row, "proposed_on", "提出日期", required=True)
        self.check_people(row)
        row.money = {}
        for name in MONEY_FIELDS:
            raw = values.get(name)
            if raw is None or raw == "":
                row.money[name] = ZERO  # most cells: nothing to read
                continue
            try:
                row.money[name] = parse_money(
                    values.get(name),
                    label=self.table.header_of(name) if name in self.table.columns else "金额",
                )
            except MoneyError as exc:
                self.reject(row, name, str(exc))
        self.check_outcome(row)

    def _date(self, row: Row, name: str, label: str, *, required: bool = False):
        raw = row.values.get(name)
        if raw in (None, ""):
            if required:
                self.reject(row, name, f"{label}不能为空")
            return None
        try:
            day = parse_date(raw)
        except ValueError as exc:
            self.reject(row, name, f"{label}：{exc}")
            return None
        if day is None:
            if required:
                self.reject(row, name, f"{label}不能为空")
        elif day > self.today:
            self.reject(row, name, f"{label}不能晚于今天")
            return None
        return day

    def check_people(self, row: Row) -> None:
        names = split_people(row.values.get("name"))
        raw = row.values.get("id_number")
        numbers = [raw] if isinstance(raw, float) else split_people(raw)
        row.people = []
        if not names:
            self.reject(row, "name", "提出人不能为空")
            return
        if len(names) != len(numbers):
            self.reject(
                row, "id_number", f"提出人{len(names)}名，身份证号{len(numbers)}个，应一一对应"
            )
            return
        seen = set()
        for i, (name, value) in enumerate(zip(names, numbers, strict=True), start=1):
            name, wrong = person_columns.person_name(name)
            if wrong:
                self.reject(row, "name", wrong if len(names) == 1 else f"第{i}名提出人：{wrong}")
                continue
            facts, wrong = person_columns.id_number(value, today=self.today)
            if wrong:
                self.reject(
                    row, "id_number", wrong if len(names) == 1 else f"第{i}名提出人：{wrong}"
                )
                continue
            if facts.number in seen:
                self.reject(row, "id_number", f"第{i}名提出人与前面的提出人身份证号重复")
                continue
            seen.add(facts.number)
            row.people.append((name, facts))

    def check_outcome(self, row: Row) -> None:
        text = clean_text(row.values.get("adopted")).lower()
        decided = self._date(row, "decided_on", "采纳日期")
        implemented = self._date(row, "implemented_on", "实施日期")
        proposed = row.proposed_on
        row.status, row.decided_on, row.implemented_on = Proposal.Status.PROPOSED, None, None
        if text in _YES:
            row.status = Proposal.Status.IMPLEMENTED if implemented else Proposal.Status.ADOPTED
            row.decided_on = decided or proposed
            row.implemented_on = implemented
        elif text in _NO:
            row.status = Proposal.Status.NOT_ADOPTED
            row.decided_on = decided or proposed
        elif text:
            self.reject(row, "adopted", f"是否采纳“{text}”无法识别（可填：是、否，未决定的留空）")
            return
        confirmed = row.money.get("confirmed_value") or row.money.get("confirmed_savings")
        if text not in _YES and (implemented or confirmed):
            column = "implemented_on" if implemented else "confirmed_value"
            self.reject(row, column, "未采纳的建议不能填写实施日期或创造价值、节约")
            return
        if proposed and row.decided_on and row.decided_on < proposed:
            self.reject(row, "decided_on", f"采纳日期不能早于提出日期（{proposed.isoformat()}）")
        elif row.decided_on and implemented and implemented < row.decided_on:
            self.reject(
                row, "implemented_on", f"实施日期不能早于采纳日期（{row.decided_on.isoformat()}）"
            )

    def duplicate_keys(self, row: Row) -> dict:
        return {"number": f"{row.code}/{row.number}" if row.number and row.code else None}

    # -- one batch ----------------------------------------------------------------------------
    def check_batch(self, rows: list[Row]) -> None:
        wanted = {r.code for r in rows if r.code not in self.units}
        if wanted:
            for pk, code, union_id, union_path, org_id, org_path in Unit.objects.filter(
                credit_code__in=wanted
            ).values_list("id", "credit_code", "union_id", "union__path", "org_id", "org__path"):
                # Counted at the union covering the unit, else the union its record sits under.
                target, path = (union_id, union_path) if union_id else (org_id, org_path)
                self.units[code] = (pk, target, self.low <= path < self.high)
            for code in wanted:
                self.units.setdefault(code, None)
        for row in rows:
            unit = self.units[row.code]
            if unit is None:
                self.reject(row, "unit_code", f"未找到统一社会信用代码为“{row.code}”的单位")
            elif not unit[2]:
                self.reject(row, "unit_code", "该单位不在本工会及下级工会范围内")
            else:
                row.unit_id, row.org_id = unit[0], unit[1]
        good = [r for r in rows if r.ok]
        if not good:
            return
        existing = {
            (unit_id, number): title
            for unit_id, number, title in rows_with_keys(
                Proposal,
                ("unit", "number"),
                {(r.unit_id, r.number) for r in good},
                ["unit_id", "number", "title"],
            )
        }
        for r in good:
            title = existing.get((r.unit_id, r.number))
            if title is None:
                continue
            if title == r.title:
                r.unchanged = True
            else:
                self.reject(r, "number", f"该单位已有编号为“{r.number}”的建议（题目为“{title}”）")

    # -- writing ------------------------------------------------------------------------------
    def write(self, rows: list[Row]) -> dict[str, int]:
        """PostgreSQL: ids drawn from the sequence in one statement and both tables written
        with COPY. SQLite (one writer, small deployments): ``bulk_create``."""
        proposer = self.proposer.pk if self.proposer else None
        now = timezone.now()
        values = [
            (r.org_id, r.unit_id, r.number, r.category, r.title, r.status_quo, r.measure,
             r.money["estimated_value"], r.money["estimated_savings"], r.money["confirmed_value"],
             r.money["confirmed_savings"], r.status, len(r.people), r.proposed_on, proposer, "",
             r.decided_on, "", r.implemented_on, ZERO, now)
            for r in rows
        ]  # fmt: skip
        if connection.vendor == "postgresql":
            ids = _next_ids(Proposal, len(rows))
            insert_rows(
                Proposal, PROPOSAL_FIELDS, [(i, *v) for i, v in zip(ids, values, strict=True)]
            )
        else:
            made = Proposal.objects.bulk_create(
                [Proposal(**dict(zip(PROPOSAL_ATTNAMES[1:], v, strict=True))) for v in values]
            )
            ids = [p.pk for p in made]
        seal, index = self.sealer.seal, self.sealer.index
        authors = [
            (pk, r.org_id, r.proposed_on, name, facts.sex, facts.birth_date,
             seal(facts.number, ID_FIELD), index(facts.number, ID_FIELD), mask_id_number(facts.number))
            for pk, r in zip(ids, rows, strict=True)
            for name, facts in r.people
        ]  # fmt: skip
        if connection.vendor == "postgresql":
            insert_rows(ProposalAuthor, AUTHOR_FIELDS, authors)
        else:
            ProposalAuthor.objects.bulk_create(
                [ProposalAuthor(**dict(zip(AUTHOR_ATTNAMES, a, strict=True))) for a in authors]
            )
        return {"created": len(rows), "authors": len(authors)}


ZERO = Decimal("0.00")
PROPOSAL_FIELDS = [
    "id", "org", "unit", "number", "category", "title", "status_quo", "measure",
    "estimated_value", "estimated_savings", "confirmed_value", "confirmed_savings", "status",
    "authors_count", "proposed_on", "proposed_by", "dept_opinion", "decided_on",
    "decision_note", "implemented_on", "reward_amount", "created_at",
]  # fmt: skip
AUTHOR_FIELDS = ["proposal", "org", "proposed_on", "name", "sex", "birth_date",
                 "id_number_cipher", "id_number_index", "id_number_mask"]  # fmt: skip
AUTHOR_ATTNAMES = ["proposal_id", "org_id", *AUTHOR_FIELDS[2:]]


PROPOSAL_ATTNAMES = [Proposal._meta.get_field(f).attname for f in PROPOSAL_FIELDS]


def _next_ids(model, count: int) -> list[int]:
    """``count`` ids from the table's sequence in one statement (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [n for (n,) in cursor.fetchall()]


def import_proposals(
    *,
    actor,
    org,
    path,
    save_good_rows: bool = False,
    dry_run: bool = False,
    progress=None,
    rejects_dir=None,
    today=None,
    initial_load: bool = False,
):
    """Import the proposal list at ``path`` into ``org`` (in the actor's subtree).

    ``initial_load=True``: the bulk first load (refused unless the subtree holds no
    proposal; on PostgreSQL locks the proposal, org, unit and user tables until it ends);
    see the module doc."""
    job = ProposalImporter(
        actor=actor,
        org=org,
        save_good_rows=save_good_rows,
        dry_run=dry_run,
        progress=progress,
        today=today,
        initial_load=initial_load,
    )
    return job.run(path, rejects_dir)
