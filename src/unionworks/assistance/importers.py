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

from pathlib import Path

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionworks.assistance import selectors, services
from unionworks.assistance.forms import setup_taking_part
from unionworks.assistance.models import Campaign, Disbursement, HardshipFile
from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD
from unionworks.core.idnumber import mask_id_number
from unionworks.core.importing import (
    Column,
    ColumnSpec,
    clean_text,
    digits_text,
    people,
    write_template,
)
from unionworks.core.importing.pipeline import ImportResult, Row, register
from unionworks.core.money import parse_money
from unionworks.core.personal_data import Sealer
from unionworks.core.scoping import subtree_filter
from unionworks.members.models import Member
from unionworks.orgs.importing import OrgImporter
from unionworks.orgs.models import Org

DISBURSEMENT_COLUMNS = ColumnSpec(
    columns=(
        people.name_column(("职工姓名", "学生姓名", "受助人姓名", "对象姓名")),
        people.id_number_column(),
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


class CampaignField(forms.ModelChoiceField):
    """A campaign the actor can see (the upload page is opened from the campaign's page)."""

    def __init__(self, actor, **kwargs):
        super().__init__(
            queryset=selectors.campaigns_for(actor),
            label=_("帮扶活动"),
            empty_label=_("请选择"),
            **kwargs,
        )


@register
class DisbursementImporter(OrgImporter):
    kind = "disbursements"
    title = "发放名单"
    columns = DISBURSEMENT_COLUMNS
    model = Disbursement
    count_labels = {"proposed": "提名人数", "unchanged": "已提名未变"}
    unique = {"id_number": "身份证号"}
    conflict_message = "导入期间此人被他人提名（同一活动每人只能领取一次）"
    help_text = "每行一名发放对象；同一活动每人只能领取一次，重新上传同一名单不会重复提名"

    @classmethod
    def param_fields(cls, actor) -> dict:
        return {"campaign": CampaignField(actor), **super().param_fields(actor)}

    @classmethod
    def prepare_form(cls, form, actor) -> None:
        """The picker offers the unions that take part in the chosen campaign."""
        campaign = form["campaign"].value()
        campaign = (
            form.fields["campaign"].queryset.filter(pk=campaign).first()
            if str(campaign or "").isdigit()
            else None
        )
        if campaign is None:
            super().prepare_form(form, actor)
        else:
            setup_taking_part(form, actor, campaign)

    @classmethod
    def template(cls, path, *, actor=None, **params):
        campaign = params.get("campaign")
        return write_disbursement_template(path, campaign)

    def authorise(self) -> None:
        super().authorise()
        campaign = self.params.get("campaign")
        if not isinstance(campaign, Campaign):
            campaign = Campaign.objects.select_related("org").filter(pk=campaign).first()
            if campaign is None:
                raise DomainError("未找到该帮扶活动", field="campaign")
            self.params["campaign"] = campaign
        self.campaign = campaign
        if not selectors.takes_part(campaign, self.org):
            raise DomainError(f"“{self.org.name}”没有参加“{campaign.name}”", field="org")

    def setup(self) -> None:
        self.sealer = Sealer()
        self.proposer = self.actor if getattr(self.actor, "pk", None) else None

    def audit_summary(self) -> dict:
        return {"帮扶活动": self.campaign.name, **super().audit_summary()}

    # -- one row, on its own ---------------------------------------------------------------
    def check_row(self, row: Row) -> None:
        values = row.values
        row.name, wrong = people.person_name(values.get("name"))
        if wrong:
            self.reject(row, "name", wrong)
        row.facts, wrong = people.id_number(values.get("id_number"), today=self.today)
        row.number = "" if wrong else row.facts.number
        if wrong:
            self.reject(row, "id_number", wrong)

        text = "".join(clean_text(values.get("category")).split())
        row.category = CATEGORIES.get(text) if text else DEFAULT_CATEGORY[self.campaign.kind]
        if row.category is None:
            self.reject(
                row,
                "category",
                f"对象类别“{text}”无法识别（可填：困难职工、农民工、劳动模范、学生、其他）",
            )
        money_ok = True
        for name, attr in (("cash", "cash"), ("goods_value", "goods")):
            try:
                setattr(row, attr, parse_money(values.get(name)))
            except ValueError as exc:
                self.reject(row, name, str(exc))
                money_ok = False
        if money_ok and row.cash + row.goods <= 0:
            self.reject(
                row,
                "cash" if "cash" in self.table.columns else "goods_value",
                "现金和实物折款不能都为零",
            )
        row.student = {}
        if self.campaign.kind == Campaign.Kind.SCHOOLING and row.category:
            self.check_student(row)
        row.note = clean_text(values.get("note"))[:200]

    def duplicate_keys(self, row: Row) -> dict:
        return {"id_number": row.number}

    def check_student(self, row: Row) -> None:
        values = row.values
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

    # -- one batch, against the database ---------------------------------------------------
    def check_batch(self, rows: list[Row]) -> None:
        for row in rows:
            row.index = self.sealer.index(row.number, ID_FIELD)
        indexes = [r.index for r in rows]
        campaign = self.campaign
        taken = Disbursement.objects.exclude(status=Disbursement.Status.REJECTED).filter(
            id_number_index__in=indexes
        )
        # Already proposed in this campaign by this union with the same amounts: the same
        # list uploaded again, left as it is. Anything else is a second payment.
        in_campaign = {
            index: (org_id, cash, goods)
            for index, org_id, cash, goods in taken.filter(campaign=campaign).values_list(
                "id_number_index", "org_id", "cash", "goods_value"
            )
        }
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
        for row in rows:
            if row.index in in_campaign:
                if in_campaign[row.index] == (self.org.pk, row.cash, row.goods):
                    row.unchanged = True
                    continue
                self.reject(row, "id_number", services.ONCE_PER_CAMPAIGN)
            elif row.index in this_year:
                self.reject(row, "id_number", services.ONCE_A_YEAR.format(year=campaign.year))
            row.hardship_file_id = None
            if (
                campaign.kind == Campaign.Kind.WARMTH
                and row.category == Disbursement.Category.HARDSHIP
            ):
                row.hardship_file_id = files.get(row.index)
                if row.hardship_file_id is None:
                    self.reject(row, "id_number", services.NEEDS_OPEN_FILE)
            row.member_id = members.get(row.index)

    def write(self, rows: list[Row]) -> dict[str, int]:
        Disbursement.objects.bulk_create([self.build(r) for r in rows])
        return {"proposed": len(rows)}

    def build(self, row: Row) -> Disbursement:
        number, facts, campaign = row.number, row.facts, self.campaign
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
            proposed_by=self.proposer,
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

    def done_message(self) -> str:
        if self.result.dry_run or self.result.rejected or self.result.counts.get("unchanged"):
            return super().done_message()
        return f"导入完成：提名{self.result.proposed}人，待审核"


def import_disbursements(
    *,
    actor,
    campaign: Campaign,
    org: Org,
    path: str | Path,
    save_good_rows: bool = False,
    dry_run: bool = False,
    progress=None,
    rejects_dir: str | Path | None = None,
) -> ImportResult:
    """Propose everyone on the list at ``path`` for ``campaign`` on behalf of ``org``."""
    job = DisbursementImporter(
        actor=actor,
        org=org,
        params={"campaign": campaign},
        save_good_rows=save_good_rows,
        dry_run=dry_run,
        progress=progress,
    )
    return job.run(path, rejects_dir)
