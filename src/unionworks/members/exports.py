"""Roll export (会员花名册导出): a background task writing an .xlsx of the members a user
may see. ID and phone numbers are masked unless the user holds the personal-data
permission and asks for them in full — then the export is logged like a viewing."""

from __future__ import annotations

from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD, PHONE_FIELD
from unionworks.core.models import AuditEntry, Task
from unionworks.core.personal_data import unseal
from unionworks.core.spreadsheets import append_row, new_workbook, save_workbook
from unionworks.core.tasks import task_dir, task_kind
from unionworks.members.models import Member
from unionworks.members.selectors import members_for
from unionworks.members.services import can_view_personal_data

TASK_KIND = "members.export_roll"
HEADERS = [
    "序号",
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "公民身份号码",
    "手机号码",
    "文化程度",
    "是否农民工",
    "所在工会",
    "工作单位",
    "会籍状态",
    "会员卡号",
]
SEX = {"M": "男", "F": "女"}
BATCH = 5000


@task_kind(TASK_KIND)
def run_export_task(task: Task, progress) -> dict:
    """params: q and id_index (a full ID number's mask and blind index: core.idsearch), status,
    org (as on the roll page) and full (bool: unmasked numbers)."""
    actor = task.created_by
    params = task.params
    full = bool(params.get("full"))
    if full and not can_view_personal_data(actor):
        raise DomainError("您没有导出完整身份证号和手机号的权限")
    members = members_for(
        actor,
        q=params.get("q", ""),
        id_index=params.get("id_index", ""),
        status=params.get("status", ""),
        org_id=params.get("org") or None,
    )
    total = members.count()
    progress(0, total, "正在导出")
    education = dict(Member.Education.choices)
    status = dict(Member.Status.choices)
    book = new_workbook(write_only=True)
    sheet = book.create_sheet("会员花名册")
    append_row(sheet, HEADERS)
    fields = [
        "id",
        "name",
        "sex",
        "birth_date",
        "ethnicity",
        "id_number_mask",
        "phone_mask",
        "education",
        "is_migrant",
        "org__name",
        "unit__name",
        "status",
        "card_number",
    ]
    if full:
        fields += ["id_number_cipher", "phone_cipher"]
    written = 0
    last_id = 0
    while True:
        # Keyed batches: memory stays flat however large the roll.
        batch = list(members.filter(pk__gt=last_id).order_by("pk").values_list(*fields)[:BATCH])
        if not batch:
            break
        for row in batch:
            written += 1
            id_text, phone_text = row[5], row[6]
            if full:
                id_text = unseal(row[13], field=ID_FIELD)
                phone_text = unseal(row[14], field=PHONE_FIELD) if row[14] else ""
            append_row(
                sheet,
                [
                    written,
                    row[1],
                    SEX.get(row[2], ""),
                    row[3],
                    row[4],
                    id_text,
                    phone_text,
                    education.get(row[7], ""),
                    "是" if row[8] else "否",
                    row[9],
                    row[10] or "",
                    status.get(row[11], ""),
                    row[12] or "",
                ],
            )
        last_id = batch[-1][0]
        progress(written, total, "正在导出")
    path = task_dir(task) / ("会员花名册（完整证件号）.xlsx" if full else "会员花名册.xlsx")
    save_workbook(book, path)
    task.output_path = str(path)
    if full:
        AuditEntry.objects.create(
            actor=actor,
            org=task.org,
            action=AuditEntry.Action.VIEW,
            model=Member._meta.label_lower,
            object_id="export",
            object_repr=f"导出会员花名册 {written} 人",
            changes={"导出": ["", f"完整身份证号和手机号 {written} 条"]},
        )
    return {"rows": written, "full": full}
