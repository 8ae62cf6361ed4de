"""导入发放名单: a list of proposed recipients (.xlsx or .csv) for one campaign, checked like
the member roll (core.importing) and proposed in one go by a union taking part.

Per row: 姓名 present; 身份证号 valid (位数, 出生日期, 校验) and not repeated in the file;
对象类别 known (by default what the campaign's kind implies); 现金 / 实物折款 amounts to
the fen, not negative, not both zero; the person not already proposed or paid in this
campaign; 送温暖 to a hardship worker needs an open hardship file within the campaign's
reach; 金秋助学 needs 学校, 入学年份 and 学历层次 and pays a student once a year.

All-or-nothing by default: if any row is rejected nothing is saved and the rejected rows
come back as a workbook with 行号/出错列/原因. ``save_good_rows=True`` saves the good
rows and still returns the rejects. Saving is one transaction (batched inserts, one
audit entry); the database constraints still hold if someone proposes the same person
at the same moment, and then nothing is saved.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from unionworks.assistance import selectors, services
from unionworks.assistance.models import Campaign, Disbursement, HardshipFile
from unionworks.core import audit, roles
from unionworks.core.errors import DomainError
from unionworks.core.idnumber import mask_id_number, parse_id_number
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
from unionworks.core.models import Task
from unionworks.core.personal_data import Sealer
from unionworks.core.scoping import is_in_subtree, subtree_filter
from unionworks.core.tasks import task_dir, task_kind
from unionworks.members.identity import ID_FIELD
from unionworks.members.importers import clean_name
from unionworks.members.models import Member
from unionworks.orgs.models import Org

TASK_KIND = "assistance.import_disbursements"
BATCH_SIZE = 2000

DISBURSEMENT_COLUMNS = ColumnSpec(
    columns=(
        Column(
            "name",
            "姓名",
            ("职工姓名", "学生姓名", "受助人姓名", "对象姓名"),
            required=True,
            example="张三",
        ),
        Column(
            "id_number",
            "公民身份号码",
            ("身份证号", "身份证号码", "证件号码", "居民身份证号", "居民身份证号码", "身份证"),
            required=True,
            example="140105198001010011",
            text=True,
        ),
        Column("category", "对象类别", ("类别", "人员类别", "帮扶对象类别"), example="困难职工"),
        Column(
            "cash",
            "现金（元）",
            ("现金", "慰问金", "资助金额", "发放金额", "金额", "现金(元)"),
            example=500,
        ),
        Column(
            "goods_value",
            "实物折款（元）",
            ("实物折款", "物资折款", "实物折价", "慰问品折款", "实物折款(元)"),
            example=200,
        ),
        Column("school", "学校", ("就读学校", "录取学校", "学校名称")),
        Column("admission_year", "入学年份", ("入学时间", "入学年度", "入学年")),
        Column("student_level", "学历层次", ("层次", "就读层次", "学历", "录取层次")),
        Column("note", "备注", ("说明",)),
        Column("serial", "序号", ("编号",), in_template=False),
    ),
    one_of=(("cash", "goods_value"),),
)

CATEGORIES = {
    **dict.fromkeys(["困难职工", "困难职工家庭", "困难户"], Disbursement.Category.HARDSHIP),
    **dict.fromkeys(["农民工", "进城务工人员", "外来务工人员"], Disbursement.Category.MIGRANT),
    **dict.fromkeys(["劳动模范", "劳模", "困难劳模"], Disbursement.Category.MODEL),
    **dict.fromkeys(["学生", "困难职工子女", "困难学生"], Disbursement.Category.STUDENT),
    **dict.fromkeys(["其他", "其它"], Disbursement.Category.OTHER),
}
DEFAULT_CATEGORY = {
    Campaign.Kind.WARMTH: Disbursement.Category.HARDSHIP,
    Campaign.Kind.MEDICAL: Disbursement.Category.HARDSHIP,
    Campaign.Kind.SCHOOLING: Disbursement.Category.STUDENT,
    Campaign.Kind.SUMMER: Disbursement.Category.MIGRANT,
    Campaign.Kind.SAFE_RETURN: Disbursement.Category.MIGRANT,
    Campaign.Kind.WAGES: Disbursement.Category.MIGRANT,
    Campaign.Kind.OTHER: Disbursement.Category.OTHER,
}
LEVELS = {
    **dict.fromkeys(["本科", "大学本科", "本科生"], Disbursement.StudentLevel.UNDERGRADUATE),
    **dict.fromkeys(
        ["专科", "大专", "高职", "高职高专", "专科生"], Disbursement.StudentLevel.COLLEGE
    ),
    **dict.fromkeys(["高中", "普高", "高中生"], Disbursement.StudentLevel.HIGH_SCHOOL),
}


def write_disbursement_template(path: str | Path, campaign: Campaign | None = None) -> Path:
    """The 发放名单 form: Chinese headers (required ones marked *) and one example row."""
    spec = DISBURSEMENT_COLUMNS
    if campaign is None or campaign.kind != Campaign.Kind.SCHOOLING:
        spec = ColumnSpec(
            columns=tuple(
                c
                for c in spec.columns
                if c.field not in ("school", "admission_year", "student_level")
            ),
            one_of=spec.one_of,
        )
    return write_template(path, spec, title="发放名单")


def parse_money(value: object) -> Decimal:
    """A cell as yuan: 500, 500.5, "1,200.00", "３００元"; blank is 0."""
    if value is None or isinstance(value, bool):
        if value is None:
            return Decimal("0.00")
        raise ValueError("应为金额")
    if isinstance(value, (int, float)):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = to_ascii_digits(clean_text(value)).replace(",", "").replace("，", "")
        text = text.removesuffix("元").strip()
        if not text:
            return Decimal("0.00")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{clean_text(value)}”不是有效的金额") from None
    if not amount.is_finite():
        raise ValueError(f"“{clean_text(value)}”不是有效的金额")
    if amount < 0:
        raise ValueError("金额不能为负数")
    if amount != amount.quantize(services.FEN):
        raise ValueError("金额最多精确到分（两位小数）")
    if amount >= services.MAX_MONEY:
        raise ValueError("金额过大")
    return amount.quantize(services.FEN)


@dataclass
class ImportResult:
    rows: int = 0
    proposed: int = 0
    rejected: int = 0
    ready: int = 0
    saved: bool = False
    rejects_path: str = ""
    message: str = ""
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["errors"] = [str(e) for e in self.errors]
        return data


@dataclass
class _Row:
    source: SourceRow
    errors: list[RowError] = field(default_factory=list)
    name: str = ""
    number: str = ""
    facts: object = None
    index: str = ""
    category: str = ""
    cash: Decimal = Decimal("0.00")
    goods: Decimal = Decimal("0.00")
    student: dict = field(default_factory=dict)
    note: str = ""
    hardship_file_id: int | None = None
    member_id: int | None = None


class _DisbursementImport:
    def __init__(
        self, *, actor, campaign: Campaign, org: Org, path: Path, save_good_rows, progress
    ):
        self.actor, self.campaign, self.org, self.path = actor, campaign, org, path
        self.save_good_rows, self.progress = save_good_rows, progress
        self.today = timezone.localdate()
        self.sealer = Sealer()
        self.result = ImportResult()
        self.seen: dict[str, int] = {}
        self.rejects: RejectsWriter | None = None
        self.good: list[_Row] = []

    def reject(self, row: _Row, field_name: str, reason: str) -> None:
        row.errors.append(RowError(row.source.number, self.table.header_of(field_name), reason))

    # -- one row, on its own ---------------------------------------------------------------
    def check(self, source: SourceRow) -> _Row:
        row = _Row(source=source)
        values = source.values
        row.name = clean_name(values.get("name"))
        if not row.name:
            self.reject(row, "name", "姓名不能为空")
        elif len(row.name) > 50:
            self.reject(row, "name", "姓名过长（最多50个字）")

        raw_id = values.get("id_number")
        if isinstance(raw_id, float):
            self.reject(
                row,
                "id_number",
                "身份证号被存成了数字，末几位已丢失：请把该列设为文本格式后重新填写",
            )
        else:
            try:
                row.facts = parse_id_number(raw_id, today=self.today)
            except ValidationError as exc:
                self.reject(row, "id_number", exc.messages[0])
            else:
                row.number = row.facts.number
                first = self.seen.setdefault(row.number, source.number)
                if first != source.number:
                    self.reject(row, "id_number", f"与第{first}行身份证号重复")

        text = "".join(clean_text(values.get("category")).split())
        row.category = CATEGORIES.get(text) if text else DEFAULT_CATEGORY[self.campaign.kind]
        if row.category is None:
            self.reject(
                row,
                "category",
                f"对象类别“{text}”无法识别（可填：困难职工、农民工、劳动模范、学生、其他）",
            )

        for name, attr in (("cash", "cash"), ("goods_value", "goods")):
            try:
                setattr(row, attr, parse_money(values.get(name)))
            except ValueError as exc:
                self.reject(row, name, str(exc))
        if not any(
            e.column in (self.table.header_of("cash"), self.table.header_of("goods_value"))
            for e in row.errors
        ):
            if row.cash + row.goods <= 0:
                self.reject(
                    row,
                    "cash" if "cash" in self.table.columns else "goods_value",
                    "现金和实物折款不能都为零",
                )

        if self.campaign.kind == Campaign.Kind.SCHOOLING and row.category:
            self.check_student(row)
        row.note = clean_text(values.get("note"))[:200]
        return row

    def check_student(self, row: _Row) -> None:
        values = row.source.values
        year_text = digits_text(values.get("admission_year")).removesuffix("年")
        level_text = "".join(clean_text(values.get("student_level")).split())
        level = LEVELS.get(level_text, level_text or None)
        try:
            row.student = services.check_student(
                self.campaign,
                category=row.category,
                school=clean_text(values.get("school")),
                admission_year=year_text[:4] if year_text else None,
                student_level=level,
            )
        except DomainError as exc:
            column = {"student_level": "student_level", "admission_year": "admission_year"}.get(
                exc.field, "school" if exc.field == "school" else "category"
            )
            message = exc.message
            if exc.field == "student_level" and level_text:
                message = f"学历层次“{level_text}”无法识别（可填：本科、专科、高中）"
            self.reject(row, column, message)

    # -- one batch, against the database -------------------------------------------------------
    def check_batch(self, rows: list[_Row]) -> None:
        good = [r for r in rows if not r.errors]
        for row in good:
            row.index = self.sealer.index(row.number, ID_FIELD)
        indexes = [r.index for r in good]
        if not indexes:
            return
        campaign = self.campaign
        taken = Disbursement.objects.exclude(status=Disbursement.Status.REJECTED).filter(
            id_number_index__in=indexes
        )
        in_campaign = set(taken.filter(campaign=campaign).values_list("id_number_index", flat=True))
        this_year = set()
        if campaign.kind == Campaign.Kind.SCHOOLING:
            this_year = set(
                taken.filter(campaign_kind=Campaign.Kind.SCHOOLING, year=campaign.year).values_list(
                    "id_number_index", flat=True
                )
            )
        files = {}
        if campaign.kind == Campaign.Kind.WARMTH:
            files = dict(
                HardshipFile.objects.filter(
                    Q(**subtree_filter(campaign.org.path, "org__path")),
                    status=HardshipFile.Status.OPEN,
                    id_number_index__in=indexes,
                ).values_list("id_number_index", "id")
            )
        members = dict(
            Member.objects.filter(id_number_index__in=indexes).values_list("id_number_index", "id")
        )
        for row in good:
            if row.index in in_campaign:
                self.reject(row, "id_number", services.ONCE_PER_CAMPAIGN)
            elif row.index in this_year:
                self.reject(row, "id_number", services.ONCE_A_YEAR.format(year=campaign.year))
            if (
                campaign.kind == Campaign.Kind.WARMTH
                and row.category == Disbursement.Category.HARDSHIP
            ):
                row.hardship_file_id = files.get(row.index)
                if row.hardship_file_id is None:
                    self.reject(row, "id_number", services.NEEDS_OPEN_FILE)
            row.member_id = members.get(row.index)

    def add_rejects(self, rows: list[_Row], rejects_dir: Path) -> None:
        for row in rows:
            if not row.errors:
                continue
            self.result.rejected += 1
            if len(self.result.errors) < 200:
                self.result.errors.extend(row.errors[: 200 - len(self.result.errors)])
            if self.rejects is None:
                self.rejects = RejectsWriter(
                    rejects_dir / f"{self.path.stem}-未通过的行.xlsx", self.table.headers
                )
            self.rejects.add(row.source.cells, row.errors)

    def build(self, row: _Row) -> Disbursement:
        number, facts, campaign = row.number, row.facts, self.campaign
        actor = self.actor if getattr(self.actor, "pk", None) else None
        return Disbursement(
            campaign=campaign,
            org=self.org,
            year=campaign.year,
            campaign_kind=campaign.kind,
            category=row.category,
            cash=row.cash,
            goods_value=row.goods,
            hardship_file_id=row.hardship_file_id,
            proposed_on=self.today,
            proposed_by=actor,
            note=row.note,
            name=row.name,
            sex=facts.sex,
            birth_date=facts.birth_date,
            id_number_cipher=self.sealer.seal(number, ID_FIELD),
            id_number_index=row.index,
            id_number_mask=mask_id_number(number),
            member_id=row.member_id,
            **(row.student or {"school": "", "admission_year": None, "student_level": ""}),
        )

    # -- the whole file ------------------------------------------------------------------------
    def run(self, rejects_dir: Path) -> ImportResult:
        result = self.result
        self.table = read_table(self.path, DISBURSEMENT_COLUMNS)
        total = self.table.estimated_rows
        self.report(0, total, "正在检查")
        rows = iter(self.table.rows)
        while batch := list(itertools.islice(rows, BATCH_SIZE)):
            checked = [self.check(source) for source in batch]
            self.check_batch(checked)
            result.rows += len(checked)
            self.add_rejects(checked, rejects_dir)
            self.good.extend(r for r in checked if not r.errors)
            self.report(result.rows, max(total, result.rows), "正在检查")
        result.ready = len(self.good)
        if self.rejects is not None:
            result.rejects_path = str(self.rejects.close())
        if result.rejected and not self.save_good_rows:
            result.message = (
                f"共{result.rows}行，其中{result.rejected}行未通过检查，全部未保存："
                "请下载未通过的行，改正后重新上传（或选择“只保存无误的行”）"
            )
            self.report(result.rows, result.rows, result.message)
            return result
        self.save()
        skipped = f"，{result.rejected}行未通过检查未保存" if result.rejected else ""
        result.message = f"导入完成：提名{result.proposed}人，待审核{skipped}"
        return result

    def save(self) -> None:
        result = self.result
        self.report(result.rows, result.rows, "正在保存")
        try:
            with transaction.atomic():
                for start in range(0, len(self.good), BATCH_SIZE):
                    Disbursement.objects.bulk_create(
                        [self.build(r) for r in self.good[start : start + BATCH_SIZE]]
                    )
                result.proposed = len(self.good)
                if result.proposed:
                    audit.record_bulk(
                        actor=self.actor,
                        org=self.org,
                        model=Disbursement,
                        title=f"导入发放名单“{self.path.name}”（{self.campaign.name}）",
                        summary={
                            "文件": self.path.name,
                            "帮扶活动": self.campaign.name,
                            "读取行数": result.rows,
                            "提名人数": result.proposed,
                            "未通过": result.rejected,
                        },
                    )
        except IntegrityError:
            raise DomainError(
                "导入期间名单中有人被他人提名（同一活动每人只能领取一次），未保存任何数据，请重新导入"
            ) from None
        result.saved = True

    def report(self, done: int, total: int, message: str) -> None:
        if self.progress is not None:
            self.progress(done, total, message)


def import_disbursements(
    *,
    actor,
    campaign: Campaign,
    org: Org,
    path: str | Path,
    save_good_rows: bool = False,
    progress=None,
    rejects_dir: str | Path | None = None,
) -> ImportResult:
    """Propose everyone on the list at ``path`` for ``campaign`` on behalf of ``org``."""
    if actor is not None:
        roles.require_writer(actor)
        if not is_in_subtree(org, actor):
            raise DomainError("提名单位须在本组织及下级组织范围内", field="org")
    if not selectors.takes_part(campaign, org):
        raise DomainError(f"“{org.name}”没有参加“{campaign.name}”", field="org")
    if rejects_dir is None:
        rejects_dir = Path(settings.MEDIA_ROOT) / "tasks" / "imports" / uuid.uuid4().hex[:12]
    job = _DisbursementImport(
        actor=actor,
        campaign=campaign,
        org=org,
        path=Path(path),
        save_good_rows=save_good_rows,
        progress=progress,
    )
    return job.run(Path(rejects_dir))


@task_kind(TASK_KIND)
def run_import_task(task: Task, progress) -> dict:
    """params {"campaign": id, "save_good_rows": bool}; the proposing org is task.org."""
    campaign = Campaign.objects.select_related("org").get(pk=task.params["campaign"])
    result = import_disbursements(
        actor=task.created_by,
        campaign=campaign,
        org=task.org,
        path=task.input_path,
        save_good_rows=bool(task.params.get("save_good_rows")),
        progress=progress,
        rejects_dir=task_dir(task),
    )
    if result.rejects_path:
        task.output_path = result.rejects_path
    data = result.as_dict()
    data["failed"] = not result.saved
    return data
