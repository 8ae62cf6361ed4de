"""导入税务代征清单: the tax office's list of levies it collected (.xlsx or .csv), into the
union the money was remitted to (the county or city federation chosen on the upload page).

Per row: 统一社会信用代码 valid (GB 32100) and a unit on record within the chosen union's
subtree; 所属期 readable (2008-03, 2008年第一季度 …); 工资总额 and 代征金额 to the fen
(金额 more than zero); 入库日期 a date not in the future, with a share scheme in force; the
same unit and period not twice in the file; a base that differs from what the unit already
declared for the period is refused. A unit without a union pays 建会筹备金 (it becomes its
union's money when one is founded). The same list uploaded again changes nothing: a row
already on record (same unit, period, date, amount and 票证号) is counted as unchanged.

Writes are set-based: the new levies in one insert, the receipts in one, their shares in
one, the levies' received amounts in one update — per batch.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from unionworks.core.bulk import any_of, insert_rows, rows_with_keys
from unionworks.core.creditcode import validate_credit_code
from unionworks.core.errors import DomainError
from unionworks.core.importing import Column, ColumnSpec, clean_text, parse_date
from unionworks.core.importing.pipeline import Row, register
from unionworks.core.money import MoneyError, parse_money
from unionworks.finance import services
from unionworks.finance.levy import levy_due, parse_levy_period
from unionworks.finance.models import Channel, FundReceipt, FundShare, Levy, Mode
from unionworks.orgs.importing import OrgImporter
from unionworks.orgs.models import Org, Unit

TAX_LIST_COLUMNS = ColumnSpec(
    columns=(
        Column(
            "credit_code",
            "统一社会信用代码",
            ("社会信用代码", "纳税人识别号", "信用代码", "统一代码"),
            required=True,
            example="91140100MA0GRQ6X3K",
            text=True,
        ),
        Column("unit_name", "单位名称", ("纳税人名称", "缴费单位", "企业名称")),
        Column(
            "period",
            "所属期",
            ("费款所属期", "税款所属期", "所属期间", "所属月份"),
            required=True,
            example="2008-03",
            text=True,
        ),
        Column(
            "payroll_base",
            "工资总额（元）",
            ("工资总额", "计征依据", "计费依据", "工资总额(元)"),
            required=True,
            example=100000,
        ),
        Column(
            "amount",
            "代征金额（元）",
            ("代征金额", "实缴金额", "入库金额", "金额", "代征金额(元)"),
            required=True,
            example=2000,
        ),
        Column(
            "received_on",
            "入库日期",
            ("缴款日期", "到账日期", "入库时间"),
            required=True,
            example=dt.date(2008, 4, 10),
        ),
        Column("reference", "票证号", ("电子税票号", "流水号", "票证号码"), text=True),
    ),
)


SHARE_FIELDS = ["receipt", "level", "org", "collector", "flow", "amount", "received_on"]
LEVY_FIELDS = ["id", "unit", "org", "period", "period_kind", "period_start", "period_end",
               "due_on", "payroll_base", "due", "received", "paid_up_on", "created_at"]  # fmt: skip
RECEIPT_FIELDS = ["id", "org", "channel", "levy", "payer_org", "amount", "received_on",
                  "portion", "scheme", "reference", "note", "created_at"]  # fmt: skip


def _credit_code_of(value) -> tuple[str, str]:
    try:
        return validate_credit_code(value), ""
    except ValidationError as exc:
        return "", exc.messages[0]


@register
class TaxListImporter(OrgImporter):
    kind = "tax_receipts"
    title = "税务代征工会经费清单"
    columns = TAX_LIST_COLUMNS
    model = FundReceipt
    count_labels = {"received": "入账笔数", "levies": "新增应缴记录", "unchanged": "已入账未变"}
    unique = {"credit_code": "统一社会信用代码和所属期"}
    org_label = "代征经费拨入"
    org_help = "税务机关将代征经费划入的工会（通常是县、市总工会）"
    help_text = (
        "每行一笔代征经费；按统一社会信用代码匹配单位，未建会单位计为建会筹备金；"
        "重新上传同一清单不会重复入账"
    )
    conflict_message = "导入期间该单位本期经费被他人同时入账"
    write_behind = True  # check_row needs no database; write only the rows

    def setup(self) -> None:
        self.schemes = services.SchemeCache()
        self.level_orgs = services.LevelOrgs()
        self.shares = services.ShareRows(self.level_orgs, self.org)
        # credit code → (unit id, name, has a union, payer org id), or None: read once.
        self.units: dict[str, tuple | None] = {}
        self.payers: dict[int, Org] = {}  # the unions answering for the units' levies

    # -- one row, on its own ---------------------------------------------------------------
    def check_row(self, row: Row) -> None:
        values = row.values
        row.code, wrong = _credit_code_of(values.get("credit_code"))
        if wrong:
            self.reject(row, "credit_code", wrong)
        row.period = None
        try:
            row.period = parse_levy_period(values.get("period"))
        except DomainError as exc:
            self.reject(row, "period", exc.message)
        for name, label in (("payroll_base", "工资总额"), ("amount", "代征金额")):
            try:
                setattr(row, name, parse_money(values.get(name), allow_blank=False, label=label))
            except MoneyError as exc:
                setattr(row, name, None)
                self.reject(row, name, str(exc))
        if row.amount is not None and row.amount <= 0:
            self.reject(row, "amount", "代征金额须大于零")
        row.received_on = None
        try:
            row.received_on = parse_date(values.get("received_on"))
        except ValueError as exc:
            self.reject(row, "received_on", str(exc))
        if row.received_on is None and row.ok:
            self.reject(row, "received_on", "入库日期不能为空")
        elif row.received_on is not None and row.received_on > self.today:
            self.reject(row, "received_on", "入库日期不能晚于今天")
        elif row.received_on is not None:
            try:
                row.scheme = self.schemes.on(row.received_on)
            except DomainError as exc:
                self.reject(row, "received_on", exc.message)
        row.reference = clean_text(values.get("reference"))[:40]

    def duplicate_keys(self, row: Row) -> dict:
        if not row.code or row.period is None:
            return {"credit_code": None}
        return {"credit_code": f"{row.code}|{row.period.code}"}

    # -- one batch, against the database ---------------------------------------------------
    def load_units(self, codes: set[str]) -> None:
        """The units of ``codes`` and the unions answering for their levies, once each."""
        where, params = any_of("u.credit_code", codes)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT u.credit_code, u.id, u.name, u.union_id, COALESCE(u.union_id, u.org_id) "
                f"FROM {Unit._meta.db_table} u WHERE {where}",
                params,
            )
            for code, pk, name, union_id, payer_id in cursor.fetchall():
                self.units[code] = (pk, name, union_id is not None, payer_id)
        for code in codes:
            self.units.setdefault(code, None)
        wanted = {u[3] for u in map(self.units.get, codes) if u} - self.payers.keys()
        if wanted:
            found = Org.objects.filter(pk__in=wanted).only("id", "name", "kind", "path")
            self.payers.update((org.pk, org) for org in found)
            self.level_orgs.preload([self.payers[pk] for pk in wanted] + [self.org])

    def check_batch(self, rows: list[Row]) -> None:
        wanted = {r.code for r in rows} - self.units.keys()
        if wanted:
            self.load_units(wanted)
        root = self.org.path
        placed = []
        for row in rows:
            unit = self.units[row.code]
            if unit is None:
                self.reject(row, "credit_code", f"未找到统一社会信用代码为{row.code}的单位")
                continue
            payer = self.payers[unit[3]]
            if not payer.path.startswith(root):
                self.reject(row, "credit_code", f"单位“{unit[1]}”不在“{self.org.name}”的收缴范围内")
                continue
            row.unit_id, row.has_union, row.payer = unit[0], unit[2], payer
            placed.append(row)
        levies = {
            (unit_id, period): (pk, base)
            for pk, unit_id, period, base in rows_with_keys(
                Levy,
                ("unit", "period"),
                {(r.unit_id, r.period.code) for r in placed},
                ["id", "unit_id", "period", "payroll_base"],
            )
        }
        on_record = set()
        if levies:
            where, params = any_of("levy_id", [pk for pk, _base in levies.values()])
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT levy_id, received_on, amount, reference "
                    f"FROM {FundReceipt._meta.db_table} WHERE org_id = %s AND {where}",
                    [self.org.pk, *params],
                )
                on_record = set(cursor.fetchall())
        for row in placed:
            row.levy_on_record, base = levies.get((row.unit_id, row.period.code), (None, None))
            if row.levy_on_record is None:
                continue
            if base != row.payroll_base:
                self.reject(
                    row,
                    "payroll_base",
                    f"该单位{row.period.label}已申报工资总额{base}元，与清单不一致",
                )
                continue
            if (row.levy_on_record, row.received_on, row.amount, row.reference) in on_record:
                row.unchanged = True

    def write(self, rows: list[Row]) -> dict[str, int]:
        """Set-based: ids taken from the tables' sequences, then levies, receipts and
        shares as rows (COPY on PostgreSQL). A new levy is written with its receipt
        already credited; the levies on record are credited in one UPDATE per thousand —
        no model instance per row."""
        now = timezone.now()
        fresh = [row for row in rows if row.levy_on_record is None]
        levy_of = {id(row): row.levy_on_record for row in rows}
        levies = []
        for row, pk in zip(fresh, allocate_ids(Levy, len(fresh)), strict=True):
            levy_of[id(row)], period = pk, row.period
            due = levy_due(row.payroll_base)
            # Its one receipt (a unit and period come once in a file) is credited here.
            paid_up_on = row.received_on if row.amount >= due else None
            levies.append(
                (pk, row.unit_id, row.payer.pk, period.code, period.kind, period.start,
                 period.end, period.due_on, row.payroll_base, due, row.amount, paid_up_on, now)
            )  # fmt: skip
        insert_rows(Levy, LEVY_FIELDS, levies)
        receipts, shares = [], []
        collector = self.org.pk
        for row, pk in zip(rows, allocate_ids(FundReceipt, len(rows)), strict=True):
            channel = Channel.TAX if row.has_union else Channel.PREPARATORY
            mode = row.scheme.mode if row.scheme else Mode.FULL
            portion = services.portion_for(channel, mode, has_union=row.has_union)
            receipts.append(
                (pk, collector, channel, levy_of[id(row)], row.payer.pk, row.amount,
                 row.received_on, portion, row.scheme.pk, row.reference, "", now)
            )  # fmt: skip
            for level, org, flow, amount in self.shares.rows(
                row.amount, portion, row.scheme, row.payer
            ):
                shares.append((pk, level, org, collector, flow, amount, row.received_on))
        insert_rows(FundReceipt, RECEIPT_FIELDS, receipts)
        # Five shares a receipt are most of what an import writes.
        insert_rows(FundShare, SHARE_FIELDS, shares)
        services.credit_levies(
            [
                (row.levy_on_record, row.amount, row.received_on)
                for row in rows
                if row.levy_on_record
            ]
        )
        return {"received": len(rows), "levies": len(fresh)}


def allocate_ids(model, count: int) -> list[int]:
    """``count`` new ids for ``model``'s rows written with explicit ids: from its sequence on
    PostgreSQL (safe beside other writers); after the largest id elsewhere (SQLite has one
    writer at a time, and this runs inside the import's write transaction)."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        (largest,) = cursor.fetchone()
    return list(range(largest + 1, largest + 1 + count))


def import_tax_list(
    *, actor, org: Org, path, save_good_rows: bool = False, dry_run: bool = False, rejects_dir=None
):
    """Load the tax office's list at ``path`` into ``org``."""
    job = TaxListImporter(actor=actor, org=org, save_good_rows=save_good_rows, dry_run=dry_run)
    return job.run(path, rejects_dir)
