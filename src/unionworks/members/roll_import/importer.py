"""导入会员花名册: a whole roll (.xlsx or .csv) into the importing organisation's subtree.

Each row is a person joining (入会). What is checked, per row:

- 身份证号: spaces, full-width digits and a lower-case x are fixed first, then the
  length (位数), the birth date it carries (出生日期) and the check digit (校验); the
  later of two rows with the same number is a duplicate (重复);
- 姓名 present; 手机号码 (if given) 11 digits; 入会时间 given, not before the birth
  date, not in the future; 文化程度 one of the known levels; 是否农民工 yes or no;
- 工作单位 (by name) or 统一社会信用代码 is a unit of the actor's subtree (单位); the
  union is the importing org when it is a grassroots union, else the unit's covering
  union, which must lie in the importing org's subtree;
- a person already in another union is refused (须办理转会); already in the same union
  is left unchanged, so importing the same file twice changes nothing the second time;
  a person who left earlier rejoins on their old record.

性别 and 出生年月 columns are read only to recognise the header: sex and birth date come
from the ID number, and a 性别 that disagrees with it is ignored, not an error.

All-or-nothing by default: if any row is rejected nothing is saved and the rejected
rows come back as a workbook with 行号/出错列/原因. ``save_good_rows=True`` saves the good
rows and still returns the rejects.

Speed: rows are checked and sealed in batches, existing persons looked up per batch
(one query), and the batch is staged in a temporary table (COPY on PostgreSQL,
executemany on SQLite). Once every row is read, one transaction merges the stage into
``members_member`` and ``members_membershipspell`` with three set-based statements and
writes one audit entry for the whole import. A failure leaves the database as it was.

``initial_load=True`` is the bulk mode for an organisation's first load, in a maintenance
window: it is refused unless no member is yet held in the org's subtree. On PostgreSQL
it is ``bulk_load``: a pool of processes reads, checks and seals the file and the rows
are ``COPY``ed straight into the tables with their indexes and unique and foreign-key
constraints dropped, all rebuilt and checked at the end (the whole application waits
meanwhile: the org tables are locked too). On SQLite the plain indexes are dropped
around the merge. The checks, the result and the all-or-nothing guarantee are the same
as in the normal mode; a failure rolls the dropped indexes and constraints back too.
"""

from __future__ import annotations

import collections
import datetime as dt
import difflib
import itertools
import re
import unicodedata
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections
from django.db.models import DateField, Q
from django.urls import reverse
from django.utils import timezone

from unionworks.core.bulk import indexes_built_after
from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD, PHONE_FIELD, check_mobile, name_initials
from unionworks.core.idnumber import mask_id_number
from unionworks.core.importing import (
    Column,
    ColumnSpec,
    RowError,
    SourceRow,
    clean_text,
    digits_text,
    parse_bool,
    parse_date,
    people,
    write_template,
)
from unionworks.core.importing.pipeline import ImportResult, register, task_kind_of
from unionworks.core.parallel import ordered_map, processes_available
from unionworks.core.personal_data import Sealer, mask_phone
from unionworks.core.scoping import (
    is_in_subtree,
    path_upper_bound,
    root_org_of,
    subtree_filter,
)
from unionworks.members.models import Member, MembershipSpell
from unionworks.members.roll_import import bulk_load
from unionworks.orgs.importing import OrgImporter
from unionworks.orgs.models import Org, Unit

TASK_KIND = task_kind_of("roll")
BATCH_SIZE = 10_000
# A roll this large is checked and sealed by a pool of processes (core.parallel: one per
# core, at most two); the main process keeps the cross-row state and the order.
PARALLEL_MIN_ROWS = 50_000

ROLL_COLUMNS = ColumnSpec(
    columns=(
        people.name_column(("会员姓名", "职工姓名")),
        people.id_number_column(),
        Column(
            "unit_name",
            "工作单位",
            ("单位", "单位名称", "所在单位", "工作单位名称", "就业单位"),
            example="太原重型机械集团有限公司",
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            ("单位统一社会信用代码", "社会信用代码", "信用代码"),
            text=True,
        ),
        Column(
            "join_date",
            "入会时间",
            ("入会日期", "入会年月", "加入工会时间", "入会时间(年月)"),
            required=True,
            example=dt.date(2008, 5, 1),
        ),
        Column(
            "phone",
            "手机号码",
            ("手机", "手机号", "联系电话", "电话", "联系方式", "电话号码"),
            example="13812345678",
            text=True,
        ),
        Column("education", "文化程度", ("学历", "最高学历"), example="大专"),
        Column("is_migrant", "是否农民工", ("农民工", "是否为农民工"), example="否"),
        Column("ethnicity", "民族", example="汉族"),
        Column("card_number", "会员卡号", ("会员证号", "卡号", "会员证编号"), text=True),
        Column("sex", "性别", in_template=False),
        Column("birth", "出生年月", ("出生日期", "出生年月日"), in_template=False),
        Column("serial", "序号", ("编号",), in_template=False),
    ),
    one_of=(("unit_name", "credit_code"),),
)

EDUCATION = {
    **dict.fromkeys(["研究生", "博士", "硕士", "博士研究生", "硕士研究生"], "postgraduate"),
    **dict.fromkeys(["本科", "大学本科", "大学", "学士"], "bachelor"),
    **dict.fromkeys(["大专", "专科", "大学专科", "高职", "高职高专"], "college"),
    **dict.fromkeys(["中专", "中技", "技校", "职高", "中职", "中等专业学校"], "secondary"),
    **dict.fromkeys(["高中", "普高", "高中及同等学历"], "high_school"),
    **dict.fromkeys(["初中", "小学", "初中及以下", "小学及以下", "文盲", "半文盲"], "junior"),
}


def write_roll_template(path: str | Path) -> Path:
    """The 会员花名册 form: Chinese headers (required ones marked *) and one example row."""
    return write_template(path, ROLL_COLUMNS, title="会员花名册")


@dataclass(slots=True)
class _Row:
    source: SourceRow
    errors: list[RowError] = field(default_factory=list)
    number: str = ""  # the normalised ID number, when valid
    facts: object = None
    name: str = ""
    phone: str = ""
    joined_on: dt.date | None = None
    education: str = ""
    is_migrant: bool = False
    ethnicity: str = ""
    card_number: str | None = None
    unit_id: int | None = None
    union_id: int | None = None
    id_index: str = ""
    action: str = ""  # new / rejoin / unchanged
    member_id: int | None = None
    sealed: tuple = ()
    initials: str = ""
    dup_at: tuple = (0, 0)  # where check_seen puts a duplicate ID's / card's error


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


UNREGISTERED = "工作单位“{name}”不在本组织范围内或尚未登记，请先登记该单位"
_UNREGISTERED = re.compile("^" + re.escape(UNREGISTERED).replace(r"\{name\}", "(.+)") + "$")
# Missing units named with their closest registered names (each a search of every name).
CLOSEST_FOR = 20


class _Units:
    """The units a roll may name: those of the actor's subtree, by name or by credit code."""

    def __init__(self, *, scope: Org, org: Org):
        self.org = org
        self.by_name: dict[str, tuple | None] = {}
        self.by_code: dict[str, tuple] = {}
        self.cache: dict[tuple[str, str], tuple[int, int] | str] = {}
        units = Unit.objects.filter(
            Q(**subtree_filter(scope.path, "org__path"))
            | Q(**subtree_filter(scope.path, "union__path"))
        ).values_list("id", "name", "credit_code", "union_id", "union__path", "union__kind")
        for unit_id, name, code, union_id, union_path, union_kind in units.iterator(
            chunk_size=5000
        ):
            entry = (unit_id, name, union_id, union_path, union_kind)
            key = _key(name)
            # Two units of the same name: the name alone cannot say which (None).
            self.by_name[key] = None if key in self.by_name else entry
            self.by_code[code.upper()] = entry
        # The unions' founding and dissolution dates: nobody joins outside them.
        self.union_dates = {
            union_id: (name, founded, dissolved)
            for union_id, name, founded, dissolved in Org.objects.filter(
                Q(**subtree_filter(scope.path)) | Q(pk=org.pk),
                kind=Org.Kind.GRASSROOTS,
            )
            .filter(Q(founded_on__isnull=False) | Q(dissolved_on__isnull=False))
            .values_list("id", "name", "founded_on", "dissolved_on")
        }

    def closed_on(self, union_id: int, day: dt.date) -> str:
        """Why ``union_id`` takes no member on ``day`` ('' when it does)."""
        name, founded, dissolved = self.union_dates.get(union_id, ("", None, None))
        if founded and day < founded:
            return f"入会时间早于“{name}”的成立日期（{founded.isoformat()}）"
        if dissolved and day >= dissolved:
            return f"“{name}”已于{dissolved.isoformat()}撤销，入会时间不能在撤销之后"
        return ""

    def closest(self, name: str, n: int = 3) -> list[str]:
        """The registered names nearest to ``name`` (太原重型机械集团有限公司 → 太原重型机械有限公司)."""
        names = sorted({entry[1] for entry in self.by_code.values()})
        return difflib.get_close_matches(name, names, n=n, cutoff=0.6)

    def resolve(self, name: str, code: str) -> tuple[int, int] | str:
        """(unit id, union id), or the reason it cannot be had."""
        key = (name, code)
        if key not in self.cache:
            self.cache[key] = self._resolve(name, code)
        return self.cache[key]

    def _resolve(self, name: str, code: str) -> tuple[int, int] | str:
        if code:
            entry = self.by_code.get(_key(code).upper())
            if entry is None:
                return f"统一社会信用代码为“{code}”的单位不在本组织范围内或尚未登记"
        elif name:
            key = _key(name)
            if key not in self.by_name:
                return UNREGISTERED.format(name=name)
            entry = self.by_name[key]
            if entry is None:
                return f"工作单位“{name}”有多个同名单位，请填写统一社会信用代码"
        else:
            return "工作单位不能为空"
        unit_id, unit_name, union_id, union_path, union_kind = entry
        if self.org.kind == Org.Kind.GRASSROOTS:
            return unit_id, self.org.pk
        if union_id is None or union_kind != Org.Kind.GRASSROOTS:
            return f"单位“{unit_name}”尚无覆盖它的基层工会，无法确定会员所属工会"
        if not self.org.path <= union_path < path_upper_bound(self.org.path):
            return f"单位“{unit_name}”的基层工会不在“{self.org.name}”范围内"
        return unit_id, union_id


class _Stage:
    """A temporary table on this connection holding the checked, sealed rows."""

    COLUMNS = (
        ("row_no", "integer"),
        ("action", "varchar(8)"),
        ("member_id", "bigint"),
        ("name", "varchar(50)"),
        ("name_initials", "varchar(20)"),
        ("sex", "varchar(1)"),
        ("birth_date", "date"),
        ("ethnicity", "varchar(20)"),
        ("education", "varchar(12)"),
        ("is_migrant", "boolean"),
        ("id_cipher", "BYTES"),
        ("id_index", "varchar(32)"),
        ("id_mask", "varchar(18)"),
        ("phone_cipher", "BYTES"),
        ("phone_index", "varchar(32)"),
        ("phone_mask", "varchar(11)"),
        ("card_number", "varchar(30)"),
        ("org_id", "bigint"),
        ("unit_id", "bigint"),
        ("start", "date"),
    )

    def __init__(self):
        # The wrapper itself, not the thread-local proxy: a writer thread uses it too.
        self.connection = connection = connections[DEFAULT_DB_ALIAS]
        self.postgres = connection.vendor == "postgresql"
        self.table = f"uw_roll_stage_{uuid.uuid4().hex[:12]}"
        self.count = 0

    def __enter__(self) -> _Stage:
        self.connection.ensure_connection()
        bytes_type = "bytea" if self.postgres else "blob"
        columns = ", ".join(
            f"{self.connection.ops.quote_name(n)} {t.replace('BYTES', bytes_type)}"
            for n, t in self.COLUMNS
        )
        with self.connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {self.table} ({columns})")
        return self

    def __exit__(self, *exc) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(self.connection.ops.quote_name(n) for n, _t in self.COLUMNS)
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.COLUMNS))
                cursor.executemany(f"INSERT INTO {self.table} ({names}) VALUES ({marks})", rows)
            if self.postgres:
                cursor.execute(f"ANALYZE {self.table}")  # so the merge joins by index
        self.count += len(rows)

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"TRUNCATE {self.table}" if self.postgres else f"DELETE FROM {self.table}"
            )

    def merge(self, *, expect_new: int, expect_rejoin: int) -> None:
        """Three set-based statements; a count that differs means the roll changed under us.

        On PostgreSQL the member insert hands the new ids back to the stage, so the spell
        insert reads them there instead of joining the (ever larger) members table."""
        q = self.connection.ops.quote_name
        now = self.connection.ops.adapt_datetimefield_value(timezone.now())
        member, spell = Member._meta.db_table, MembershipSpell._meta.db_table
        with self.connection.cursor() as cursor:
            insert_members = f"""
                INSERT INTO {member} (name, name_initials, sex, birth_date, ethnicity, education,
                    is_migrant, id_number_cipher, id_number_index, id_number_mask, phone_cipher,
                    phone_index, phone_mask, card_number, org_id, unit_id, status, created_at,
                    updated_at)
                SELECT name, name_initials, sex, birth_date, ethnicity, education, is_migrant,
                    id_cipher, id_index, id_mask, phone_cipher, phone_index, phone_mask,
                    card_number, org_id, unit_id, 'active', %s, %s
                FROM {self.table} WHERE action = 'new' ORDER BY row_no
                ON CONFLICT (id_number_index) DO NOTHING
                """
            if self.postgres:
                cursor.execute(
                    f"""
                    WITH new AS ({insert_members} RETURNING id, id_number_index)
                    UPDATE {self.table} s SET member_id = new.id
                    FROM new WHERE s.id_index = new.id_number_index
                    """,
                    [now, now],
                )
                spell_source = f"""
                    SELECT s.member_id, s.org_id, s.unit_id, s.start, NULL, 'join', '',
                        s.is_migrant
                    FROM {self.table} s
                    WHERE s.action IN ('new', 'rejoin') AND s.member_id IS NOT NULL
                    ORDER BY s.row_no
                """
            else:
                cursor.execute(insert_members, [now, now])
                spell_source = f"""
                    SELECT m.id, s.org_id, s.unit_id, s.start, NULL, 'join', '', s.is_migrant
                    FROM {self.table} s JOIN {member} m ON m.id_number_index = s.id_index
                    WHERE s.action IN ('new', 'rejoin') ORDER BY s.row_no
                """
            inserted = cursor.rowcount
            rejoined = 0
            if expect_rejoin:  # none on a first load: no statement at all
                cursor.execute(
                    f"""
                UPDATE {member} SET name = s.name, name_initials = s.name_initials,
                    ethnicity = s.ethnicity, education = s.education, is_migrant = s.is_migrant,
                    id_number_cipher = s.id_cipher, id_number_mask = s.id_mask,
                    phone_cipher = s.phone_cipher, phone_index = s.phone_index,
                    phone_mask = s.phone_mask,
                    card_number = COALESCE(s.card_number, {member}.card_number),
                    org_id = s.org_id, unit_id = s.unit_id, status = 'active', updated_at = %s
                FROM {self.table} s
                WHERE {member}.id = s.member_id AND s.action = 'rejoin'
                    AND {member}.status = 'left'
                """,
                    [now],
                )
                rejoined = cursor.rowcount
            cursor.execute(
                f"""
                INSERT INTO {spell} (member_id, org_id, unit_id, start, {q("end")}, start_reason,
                    end_reason, is_migrant)
                {spell_source}
                ON CONFLICT DO NOTHING
                """
            )
            spells = cursor.rowcount
        if (inserted, rejoined, spells) != (expect_new, expect_rejoin, expect_new + expect_rejoin):
            raise DomainError(
                "导入期间会员名册被他人修改（有人同时办理了其中某人的入会），未保存任何数据，请重新导入"
            )

    def stage_value(self, value):
        if not self.postgres and isinstance(value, dt.date):
            return value.isoformat()
        return value


class _Writer:
    """Runs ``work`` in a second thread on the importing thread's connection and transaction
    (each batch's merge, or COPY), while the importing thread checks the next batch. One
    batch at a time."""

    def __init__(self, work):
        self.work = work
        # The wrapper itself, not the thread-local proxy: the writer thread uses it too.
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="roll-import")
        self.pending = None
        self.connection.inc_thread_sharing()

    def wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()  # re-raises the writer's error here

    def submit(self, *args, **kwargs) -> None:
        self.wait()
        self.pending = self.pool.submit(self.work, *args, **kwargs)

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self.pool.shutdown()
            self.connection.dec_thread_sharing()


def _in_list(values: list) -> tuple[str, list]:
    """``= ANY(%s)`` with one array parameter on PostgreSQL, ``IN (%s, …)`` elsewhere."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(values)]
    return f"IN ({', '.join(['%s'] * len(values))})", list(values)


def _lookup_existing(rows: list[_Row]) -> dict[str, tuple]:
    """id index → (member id, status, open spell's org id, last spell end) for one batch."""
    member, spell = Member._meta.db_table, MembershipSpell._meta.db_table
    end = connection.ops.quote_name("end")
    condition, params = _in_list([r.id_index for r in rows])
    sql = f"""
        SELECT m.id_number_index, m.id, m.status,
            (SELECT s.org_id FROM {spell} s WHERE s.member_id = m.id AND s.{end} IS NULL),
            (SELECT MAX(s.{end}) FROM {spell} s WHERE s.member_id = m.id)
        FROM {member} m WHERE m.id_number_index {condition}
    """
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # The planner has the statistics of before the import (an empty table on a
            # first load) and would scan members_member whole for each batch, ever longer.
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, params)
        found = cursor.fetchall()
        if postgres:
            cursor.execute("SET LOCAL enable_seqscan = on")
    date = DateField().to_python
    return {index: (pk, status, org_id, date(end)) for index, pk, status, org_id, end in found}


def _cards_in_use(cards: list[str]) -> dict[str, int]:
    return dict(Member.objects.filter(card_number__in=cards).values_list("card_number", "pk"))


_FORKED: RollImporter | None = None  # the import a pool of checking processes works for


def _check_and_seal(batch: list[tuple[int, dict]]) -> list[_Row]:
    """In a worker process: each row's own checks, then the sealing of the good ones."""
    rows = [_FORKED.check_own(number, values) for number, values in batch]
    _FORKED.seal(rows)
    return rows


class _Refused(Exception):
    """Raised inside the import's transaction to roll it back (and skip any index rebuild)."""


@register
class RollImporter(OrgImporter):
    """The member roll on the shared pipeline. Its rows are many (a province is 6.75
    million), so it overrides the batch and write steps with its fast paths: a pool of
    processes checks and seals rows (``checked_batches``), each batch is staged and merged
    with set-based statements by a writer thread while the next is checked (PostgreSQL),
    and the first load COPYs straight into tables whose indexes are rebuilt after
    (``bulk_load``). The pipeline keeps the rest: authorisation, the one transaction,
    refusal, dry run, the audit entry, the result and the pages, API and task."""

    kind = "roll"
    title = "会员花名册"
    columns = ROLL_COLUMNS
    model = Member
    count_labels = {"new": "新增会员", "rejoined": "重新入会", "unchanged": "已在册未变"}
    batch_size = BATCH_SIZE
    org_help = "基层工会，或其上级组织（按工作单位的覆盖工会入会）"
    help_text = (
        "逐行检查身份证号校验位、出生日期、文件内重复、已在其他工会、工作单位和必填项；"
        "同一文件重复上传不会重复入会"
    )

    def __init__(self, *, initial_load: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.initial_load = initial_load
        # Initial load: the card numbers already held, read before the indexes go (the
        # tables are locked meanwhile, so only this import's rows can add any).
        self.cards_held: dict[str, int] | None = None
        self.sealer = Sealer()
        self.seen: dict[str, int] = {}  # ID number → first row having it
        self.seen_cards: dict[str, int] = {}
        self.org_names: dict[int, str] = {}
        self.actions = {"new": 0, "rejoin": 0, "unchanged": 0}

    @classmethod
    def template(cls, path, *, actor=None, **params):
        return write_roll_template(path)

    # -- one row, on its own ---------------------------------------------------------
    def check(self, source: SourceRow) -> _Row:
        row = self.check_own(source.number, source.values)
        row.source = source
        self.check_seen(row)
        return row

    def check_seen(self, row: _Row) -> None:
        """The checks against earlier rows of the file (duplicates), in the main process;
        their errors go where a single pass would have put them."""
        number = row.source.number
        id_at, card_at = row.dup_at
        if row.number:
            first = self.seen.setdefault(row.number, number)
            if first != number:
                header = self.table.header_of("id_number")
                row.errors.insert(id_at, RowError(number, header, f"与第{first}行身份证号重复"))
                card_at += 1
        if row.card_number:
            first = self.seen_cards.setdefault(row.card_number, number)
            if first != number:
                header = self.table.header_of("card_number")
                row.errors.insert(card_at, RowError(number, header, f"与第{first}行会员卡号重复"))

    def check_own(self, number: int, values: dict) -> _Row:
        """The checks of one row on its own (any process): everything but duplicates."""
        row = _Row(source=None)
        table = self.table
        errors = row.errors

        def reject(field_name: str, reason: str) -> None:
            errors.append(RowError(number, table.header_of(field_name), reason))

        row.name, wrong = people.person_name(values.get("name"))
        if wrong:
            reject("name", wrong)
        row.facts, wrong = people.id_number(values.get("id_number"), today=self.today)
        if wrong:
            reject("id_number", wrong)
        else:
            row.number = row.facts.number
        id_at = len(errors)

        try:
            row.phone = check_mobile(digits_text(values.get("phone")))
        except ValidationError as exc:
            reject("phone", exc.messages[0])

        try:
            row.joined_on = parse_date(values.get("join_date"))
        except ValueError as exc:
            reject("join_date", f"入会时间：{exc}")
        else:
            if row.joined_on is None:
                reject("join_date", "入会时间不能为空")
            elif row.joined_on > self.today:
                reject("join_date", "入会时间不能晚于今天")
            elif row.facts is not None and row.joined_on < row.facts.birth_date:
                reject("join_date", "入会时间早于出生日期")

        education = "".join(clean_text(values.get("education")).split())
        if education:
            row.education = EDUCATION.get(education, "")
            if not row.education:
                reject(
                    "education",
                    f"文化程度“{education}”无法识别（可填：研究生、本科、大专、中专、高中、初中）",
                )

        try:
            row.is_migrant = parse_bool(values.get("is_migrant"))
        except ValueError as exc:
            reject("is_migrant", f"是否农民工：{exc}")

        row.ethnicity = clean_text(values.get("ethnicity"))
        if len(row.ethnicity) > 20:
            reject("ethnicity", "民族过长")

        card = digits_text(values.get("card_number"))
        if card:
            if len(card) > 30:
                reject("card_number", "会员卡号过长（最多30位）")
            row.card_number = card
        row.dup_at = (id_at, len(errors))

        unit = self.units.resolve(
            clean_text(values.get("unit_name")), clean_text(values.get("credit_code"))
        )
        if isinstance(unit, str):
            reject("credit_code" if values.get("credit_code") else "unit_name", unit)
        else:
            row.unit_id, row.union_id = unit
            closed = row.joined_on and self.units.closed_on(row.union_id, row.joined_on)
            if closed:
                reject("join_date", closed)
        return row

    # -- one batch, against the database ---------------------------------------------
    def classify(self, rows: list[_Row]) -> None:
        good = [r for r in rows if not r.errors]
        existing = _lookup_existing(good) if good else {}
        cards = [r.card_number for r in good if r.card_number]
        if not cards:
            cards_in_use = {}
        elif self.cards_held is not None:
            cards_in_use = {c: self.cards_held[c] for c in cards if c in self.cards_held}
        else:
            cards_in_use = _cards_in_use(cards)
        for row in good:
            found = existing.get(row.id_index)
            header = self.table.header_of("id_number")
            if found is None:
                row.action = "new"
            else:
                row.member_id, status, open_org, last_end = found
                if status == Member.Status.DECEASED:
                    row.errors.append(
                        RowError(row.source.number, header, "该身份证号对应的会员已登记去世")
                    )
                elif open_org == row.union_id:
                    row.action = "unchanged"
                elif open_org is not None:
                    row.errors.append(
                        RowError(
                            row.source.number,
                            header,
                            f"此人已是{self.union_label(open_org)}的会员，须办理转会",
                        )
                    )
                elif last_end is not None and row.joined_on < last_end:
                    row.errors.append(
                        RowError(
                            row.source.number,
                            self.table.header_of("join_date"),
                            f"入会时间不能早于上次会籍终止日期（{last_end.isoformat()}）",
                        )
                    )
                else:
                    row.action = "rejoin"
            holder = cards_in_use.get(row.card_number) if row.card_number else None
            if row.action in ("new", "rejoin") and holder and holder != row.member_id:
                row.errors.append(self.card_in_use(row))
                row.action = ""

    def card_in_use(self, row: _Row) -> RowError:
        header = self.table.header_of("card_number")
        return RowError(row.source.number, header, f"会员卡号“{row.card_number}”已被他人使用")

    def new_row(self, number: int, id_number: str, card: str | None) -> _Row:
        """A row that passed its own checks, rebuilt from what the duplicate checks need."""
        source = SourceRow(number=number, cells=None, values=None)
        return _Row(source=source, number=id_number, card_number=card)

    def union_label(self, org_id: int) -> str:
        if org_id not in self.org_names:
            other = Org.objects.filter(pk=org_id).only("name", "path").first()
            visible = other is not None and is_in_subtree(other, self.scope)
            self.org_names[org_id] = f"“{other.name}”" if visible else "其他工会"
        return self.org_names[org_id]

    def seal(self, rows: list[_Row]) -> None:
        """Blind indexes, ciphers and masks of every row that passed its own checks."""
        for row in rows:
            if not row.errors:
                self.seal_row(row)

    def seal_row(self, row: _Row) -> None:
        sealer = self.sealer
        number, phone = row.number, row.phone
        row.id_index = sealer.index(number, ID_FIELD)
        row.sealed = (
            sealer.seal(number, ID_FIELD),
            mask_id_number(number),
            sealer.seal(phone, PHONE_FIELD) if phone else None,
            sealer.index(phone, PHONE_FIELD) if phone else "",
            mask_phone(phone) if phone else "",
        )
        row.initials = name_initials(row.name)

    def staged(self, row: _Row) -> tuple:
        facts, value = row.facts, self.stage.stage_value
        id_cipher, id_mask, phone_cipher, phone_index, phone_mask = row.sealed
        return (
            row.source.number,
            row.action,
            row.member_id,
            row.name,
            row.initials,
            facts.sex,
            value(facts.birth_date),
            row.ethnicity,
            row.education,
            row.is_migrant,
            id_cipher,
            row.id_index,
            id_mask,
            phone_cipher,
            phone_index,
            phone_mask,
            row.card_number,
            row.union_id,
            row.unit_id,
            value(row.joined_on),
        )

    def add_rejects(self, rows: list[_Row]) -> None:
        for row in rows:
            if row.errors:
                for error in row.errors:
                    found = _UNREGISTERED.match(error.reason)
                    if found:
                        self.missing_units[found[1]] = self.missing_units.get(found[1], 0) + 1
                self.add_reject(row)  # the pipeline's: counted, kept for the page, written

    def finish(self):
        """Units the file names but the union has not registered: said once, with the list,
        the closest registered names and a link to register each, rather than on each row
        of the page (the rejected-rows file still gives every row its reason)."""
        if self.missing_units:
            result = self.result
            result.errors = [e for e in result.errors if not _UNREGISTERED.match(e.reason)]
            create = reverse("orgs:unit_create")
            items = [
                {
                    "name": name,
                    "rows": rows,
                    "closest": self.units.closest(name) if i < CLOSEST_FOR else [],
                    "link": f"{create}?{urlencode({'name': name})}",
                }
                for i, (name, rows) in enumerate(
                    sorted(self.missing_units.items(), key=lambda item: -item[1])
                )
            ]
            result.notices.append(
                {
                    "text": f"文件中有{len(items)}个工作单位尚未登记（或不在本组织范围内），"
                    f"涉及{sum(self.missing_units.values())}行：请核对名称，或先登记这些单位再重新导入",
                    "items": items,
                }
            )
        return super().finish()

    # -- the whole file ----------------------------------------------------------------
    def setup(self) -> None:
        self.scope = root_org_of(self.actor) if self.actor is not None else self.org
        self.units = _Units(scope=self.scope, org=self.org)
        self.missing_units: dict[str, int] = {}
        if self.initial_load:
            self.require_empty_subtree()  # early; again under the lock before writing

    def process(self) -> None:
        """Inside the pipeline's transaction: check, stage and merge every batch."""
        try:
            if self.initial_load and connection.vendor == "postgresql":
                bulk_load.load(self)
            else:
                with _Stage() as self.stage:
                    if self.stage.postgres:
                        with connection.cursor() as cursor:
                            # Check foreign keys per statement (in the writer thread, while
                            # this one reads on) rather than all at once at commit.
                            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                        # Each batch is merged by a second thread while this one checks
                        # the next (PostgreSQL works on the other core).
                        self.read_rows(_Writer(self.merge_batch))
                    else:
                        # SQLite has one writer at a time: stage everything (into a
                        # temporary table), then merge in one go.
                        self.read_rows(None)
                        if not self.refused():
                            with self.bulk_indexes():
                                self.stage.merge(
                                    expect_new=self.actions["new"],
                                    expect_rejoin=self.actions["rejoin"],
                                )
        except _Refused:
            pass  # the pipeline rolls the transaction back and says why
        except IntegrityError:
            raise DomainError(
                "导入期间会员名册被他人修改（身份证号或会员卡号冲突），未保存任何数据，请重新导入"
            ) from None
        counts = self.result.counts
        counts["new"], counts["rejoined"] = self.actions["new"], self.actions["rejoin"]
        counts["unchanged"] = self.actions["unchanged"]

    def audit_summary(self) -> dict:
        summary = super().audit_summary()
        if self.initial_load:
            summary["首次批量导入"] = "是"
        return summary

    def done_message(self) -> str:
        result = self.result
        if result.dry_run or (result.rejected and not self.wrote_anything()):
            return super().done_message()
        skipped = f"，{result.rejected}行未通过检查未保存" if result.rejected else ""
        return (
            f"导入完成：新增{result.new}人，重新入会{result.rejoined}人，"
            f"已在册未变{result.unchanged}人{skipped}"
        )

    def bulk_indexes(self):
        """Initial load on SQLite (PostgreSQL has ``bulk_load``): refuse a subtree that holds
        members; else drop the plain indexes (in the caller's transaction) and build them
        again when the block ends."""
        if not self.initial_load:
            return nullcontext()
        self.require_empty_subtree()
        self.cards_held = dict(
            Member.objects.filter(card_number__isnull=False).values_list("card_number", "pk")
        )
        return indexes_built_after(Member, MembershipSpell, keep_unique=True)

    def require_empty_subtree(self) -> None:
        held = Member.objects.filter(**subtree_filter(self.org.path, "org__path"))
        if held.exists():
            raise DomainError(
                f"“{self.org.name}”及其下级组织已有会员，不能使用首次批量导入"
                "（首次批量导入只用于本组织范围内还没有任何会员时）；请改用普通导入",
                field="initial_load",
            )

    def checked_batches(self):
        """Checked and sealed rows, a batch at a time, in file order: from a pool of
        processes (each row's own checks and sealing) for a large file, else in-process."""
        rows = iter(self.table.rows)
        batches = iter(lambda: list(itertools.islice(rows, BATCH_SIZE)), [])
        workers = processes_available()
        if self.table.estimated_rows < PARALLEL_MIN_ROWS or workers < 2:
            for batch in batches:
                checked = [self.check(source) for source in batch]
                self.seal(checked)
                yield checked
            return
        global _FORKED
        sources: collections.deque = collections.deque()

        def feed():
            for batch in batches:
                sources.append(batch)
                yield [(source.number, source.values) for source in batch]

        # Forked before the writer thread starts: each worker has this job (units, sealer,
        # headers) as it is now and never touches the database.
        _FORKED = self
        try:
            for checked in ordered_map(_check_and_seal, feed(), processes=workers):
                batch = sources.popleft()
                for row, source in zip(checked, batch, strict=True):
                    row.source = source
                    self.check_seen(row)
                yield checked
        finally:
            _FORKED = None

    def read_rows(self, writer: _Writer | None) -> None:
        result, total = self.result, self.table.estimated_rows
        batches = self.checked_batches()
        try:
            for checked in batches:
                if writer is not None:
                    writer.wait()
                self.classify(checked)
                result.rows += len(checked)
                counts = {"new": 0, "rejoin": 0, "unchanged": 0}
                for row in checked:
                    if not row.errors:
                        counts[row.action] += 1
                for action, n in counts.items():
                    self.actions[action] += n
                self.add_rejects(checked)
                staged = [
                    self.staged(r)
                    for r in checked
                    if not r.errors and r.action in ("new", "rejoin")
                ]
                if writer is None:
                    self.stage.write(staged)
                elif staged and not self.refused():
                    writer.submit(staged, new=counts["new"], rejoin=counts["rejoin"])
                self.report(result.rows, max(total, result.rows), "正在检查并写入")
        finally:
            batches.close()
            if writer is not None:
                writer.close()
        result.counts["unchanged"] = self.actions["unchanged"]
        result.ready = sum(self.actions.values())
        if self.rejects is not None:
            result.rejects_path = str(self.rejects.close())
        self.report(result.rows, result.rows, "正在保存")

    def merge_batch(self, rows: list[tuple], *, new: int, rejoin: int) -> None:
        """In the writer thread: stage one batch and merge it."""
        self.stage.write(rows)
        self.stage.merge(expect_new=new, expect_rejoin=rejoin)
        self.stage.clear()


def import_roll(
    *,
    actor,
    org: Org,
    path: str | Path,
    save_good_rows: bool = False,
    dry_run: bool = False,
    progress=None,
    rejects_dir: str | Path | None = None,
    today: dt.date | None = None,
    initial_load: bool = False,
) -> ImportResult:
    """Import the roll at ``path`` into ``org`` (in the actor's subtree); see the module doc.

    ``initial_load=True``: the bulk first load (refused unless the subtree holds no
    members; locks the member tables until it ends); see the module doc.

    ``progress(done, total, message)`` is called once per batch. The rejected rows go to
    a workbook in ``rejects_dir`` (default MEDIA_ROOT/tasks/imports/<random>/).
    """
    job = RollImporter(
        actor=actor,
        org=org,
        save_good_rows=save_good_rows,
        dry_run=dry_run,
        progress=progress,
        today=today,
        initial_load=initial_load,
    )
    return job.run(path, rejects_dir)
