"""导入工会干部名册: a union's cadres and their posts (.xlsx or .csv), through the shared
pipeline (core.importing): dry run, all-or-nothing or save-the-good-rows, rejects workbook,
one audit entry.

Per row: 姓名 present; 身份证号 valid and not repeated in the file; 职务 and 产生方式
known; 任职日期 a date not in the future nor before the person's birth; 专职 and
按同级党政副职配备 是/否 (the latter only for a federation's chair); at most one 主席 row per
file. Against the records: a person already on another union's roster outside the
importer's reach is refused; the same open post with the same start is already on record
(unchanged, so a re-upload changes nothing); a chair row must start after the sitting
chair, whose post then ends on that day (services.start_post's rule).
"""

from __future__ import annotations

from unionworks.cadres import services
from unionworks.cadres.models import Cadre, Education, Post
from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD
from unionworks.core.idnumber import mask_id_number
from unionworks.core.importing import Column, ColumnSpec, clean_text, parse_bool, parse_date, people
from unionworks.core.importing.pipeline import Row, register
from unionworks.core.personal_data import Sealer
from unionworks.core.scoping import is_in_subtree
from unionworks.members.models import Member
from unionworks.orgs.importing import OrgImporter
from unionworks.orgs.models import Org

ROSTER_COLUMNS = ColumnSpec(
    columns=(
        people.name_column(("干部姓名",)),
        people.id_number_column(),
        Column("kind", "职务", ("工会职务", "担任职务"), required=True, example="主席"),
        Column("how", "产生方式", ("任职方式", "产生办法"), required=True, example="直接选举"),
        Column("start", "任职日期", ("任职时间", "到任日期"), required=True, example="2008-04-10"),
        Column("full_time", "专职", ("是否专职", "专兼职"), example="是"),
        Column("education", "文化程度", ("学历",), example="本科"),
        Column("rank_deputy", "按同级党政副职配备", ("副职配备",), example="否"),
        Column("serial", "序号", ("编号",), in_template=False),
    )
)

KINDS = {
    **{label: value for value, label in Post.Kind.choices},
    "工会主席": Post.Kind.CHAIR,
    "工会副主席": Post.Kind.VICE_CHAIR,
    "常委": Post.Kind.MEMBER,
    "经费审查委员": Post.Kind.AUDIT,
    "工作人员": Post.Kind.STAFF,
}
HOWS = {
    **{label: value for value, label in Post.How.choices},
    "直选": Post.How.DIRECT,
    "选举产生": Post.How.ELECTED,
    "委任": Post.How.APPOINTED,
    "任命": Post.How.APPOINTED,
    "社会招聘": Post.How.SOCIAL,
    "职业化": Post.How.PROFESSIONAL,
}
EDUCATION = {label: value for value, label in Education.choices}
FULL_TIME = {"专职": True, "兼职": False}


@register
class RosterImporter(OrgImporter):
    kind = "cadres"
    title = "工会干部名册"
    columns = ROSTER_COLUMNS
    model = Post
    count_labels = {"posts": "新增任职", "new_cadres": "新入名册", "unchanged": "已在册未变"}
    unique = {"id_number": "身份证号"}
    conflict_message = "导入期间此人或此职务被他人登记"
    help_text = "每行一名干部的一项任职；主席每个文件最多一行，新主席到任时原主席的任职同日结束"

    def setup(self) -> None:
        self.sealer = Sealer()
        self.chair_row = None

    def duplicate_keys(self, row: Row) -> dict:
        return {"id_number": row.number}

    def check_row(self, row: Row) -> None:
        values = row.values
        row.name, wrong = people.person_name(values.get("name"))
        if wrong:
            self.reject(row, "name", wrong)
        row.facts, wrong = people.id_number(values.get("id_number"), today=self.today)
        row.number = "" if wrong else row.facts.number
        if wrong:
            self.reject(row, "id_number", wrong)
        text = "".join(clean_text(values.get("kind")).split())
        row.kind = KINDS.get(text)
        if row.kind is None:
            self.reject(row, "kind", f"职务“{text}”无法识别（可填：{'、'.join(Post.Kind.labels)}）")
        text = "".join(clean_text(values.get("how")).split())
        row.how = HOWS.get(text)
        if row.how is None:
            self.reject(
                row, "how", f"产生方式“{text}”无法识别（可填：{'、'.join(Post.How.labels)}）"
            )
        try:
            row.start = parse_date(values.get("start"))
        except ValueError as exc:
            row.start = None
            self.reject(row, "start", str(exc))
        else:
            if row.start is None:
                self.reject(row, "start", "任职日期不能为空")
            elif row.start > self.today:
                self.reject(row, "start", "任职日期不能晚于今天")
            elif row.facts and row.start < row.facts.birth_date:
                self.reject(row, "start", "任职日期不能早于出生日期")
        text = "".join(clean_text(values.get("full_time")).split())
        try:
            row.full_time = FULL_TIME[text] if text in FULL_TIME else parse_bool(text)
        except ValueError as exc:
            self.reject(row, "full_time", str(exc))
        text = "".join(clean_text(values.get("education")).split())
        row.education = EDUCATION.get(text, "") if text else ""
        if text and not row.education:
            self.reject(row, "education", f"文化程度“{text}”无法识别")
        try:
            row.rank_deputy = parse_bool(values.get("rank_deputy"))
        except ValueError as exc:
            self.reject(row, "rank_deputy", str(exc))
        else:
            if row.rank_deputy and (
                row.kind != Post.Kind.CHAIR
                or self.org.kind not in (Org.Kind.CITY, Org.Kind.COUNTY, Org.Kind.PROVINCE)
            ):
                self.reject(row, "rank_deputy", "只有省、市、县总工会主席可按同级党政副职配备")
        if row.kind == Post.Kind.CHAIR and row.ok:
            if self.chair_row is not None:
                self.reject(
                    row, "kind", f"与第{self.chair_row}行同为主席：一个工会同一时间只能有一名主席"
                )
            else:
                self.chair_row = row.row_number

    def check_batch(self, rows: list[Row]) -> None:
        for row in rows:
            row.index = self.sealer.index(row.number, ID_FIELD)
        indexes = [r.index for r in rows]
        cadres = {
            c.id_number_index: c
            for c in Cadre.objects.filter(id_number_index__in=indexes).select_related("org")
        }
        open_posts = {
            (cadre_id, kind): start
            for cadre_id, kind, start in Post.objects.filter(
                cadre__id_number_index__in=indexes, org=self.org, end__isnull=True
            ).values_list("cadre_id", "kind", "start")
        }
        sitting = Post.objects.filter(org=self.org, kind=Post.Kind.CHAIR, end__isnull=True).first()
        members = dict(
            Member.objects.filter(id_number_index__in=indexes).values_list("id_number_index", "id")
        )
        for row in rows:
            row.cadre = cadre = cadres.get(row.index)
            row.member_id = members.get(row.index)
            if cadre is not None:
                if self.actor is not None and not is_in_subtree(cadre.org, self.actor):
                    self.reject(
                        row, "id_number", "此人已在其他工会的干部名册中，请由其所在工会办理"
                    )
                    continue
                start = open_posts.get((cadre.pk, row.kind))
                if start == row.start:
                    row.unchanged = True
                    continue
                if start is not None:
                    self.reject(
                        row,
                        "kind",
                        f"此人已在本会任{Post.Kind(row.kind).label}（自{start.isoformat()}）",
                    )
                    continue
            if row.kind == Post.Kind.CHAIR and sitting is not None and sitting.start >= row.start:
                self.reject(
                    row, "start",
                    f"现任主席自{sitting.start.isoformat()}任职，继任者的任职日期须晚于该日",
                )  # fmt: skip

    def write(self, rows: list[Row]) -> dict[str, int]:
        new = [r for r in rows if r.cadre is None]
        Cadre.objects.bulk_create([self.build(r) for r in new])
        # bulk_create gives ids on PostgreSQL and SQLite ≥ 3.35; read them back to be sure.
        created = dict(
            Cadre.objects.filter(id_number_index__in=[r.index for r in new]).values_list(
                "id_number_index", "id"
            )
        )
        posts = []
        for row in rows:
            cadre_id = row.cadre.pk if row.cadre else created[row.index]
            if row.kind == Post.Kind.CHAIR:
                # The one chair row goes through the service: it ends the sitting chair's post.
                try:
                    services._start_post(
                        self.actor, cadre=Cadre.objects.get(pk=cadre_id), org=self.org,
                        kind=row.kind, how=row.how, start=row.start, full_time=row.full_time,
                        rank_deputy=row.rank_deputy,
                    )  # fmt: skip
                except DomainError as exc:
                    raise DomainError(exc.message, field="start") from None
                continue
            posts.append(
                Post(
                    cadre_id=cadre_id,
                    org=self.org,
                    kind=row.kind,
                    how=row.how,
                    start=row.start,
                    full_time=row.full_time,
                    rank_deputy=False,
                )  # fmt: skip
            )
        Post.objects.bulk_create(posts)
        return {"posts": len(rows), "new_cadres": len(new)}

    def build(self, row: Row) -> Cadre:
        number, facts = row.number, row.facts
        return Cadre(
            org=self.org,
            name=row.name,
            sex=facts.sex,
            birth_date=facts.birth_date,
            id_number_cipher=self.sealer.seal(number, ID_FIELD),
            id_number_index=row.index,
            id_number_mask=mask_id_number(number),
            member_id=row.member_id,
            education=row.education,
        )
