"""导入单位名录: a county's list of units with credit codes and dates, through the shared
pipeline and the unit services — good rows registered with their coverage spells, each
bad row refused with its row, column and Chinese reason, a re-upload changing nothing,
and a change of covering union that keeps every past figure."""

import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from unionworks.assistance.tests.factories import accounts
from unionworks.core.creditcode import check_char, make_credit_code
from unionworks.core.errors import DomainError
from unionworks.core.models import AuditEntry
from unionworks.core.periods import parse_period
from unionworks.core.tests.factories import OrgFactory, UnitFactory
from unionworks.orgs.importers import UnitImporter, import_units
from unionworks.orgs.models import CoverageSpell, Org, Unit
from unionworks.stats.values import evaluate

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "单位名称",
    "统一社会信用代码",
    "经济类型",
    "所属行业",
    "职工人数",
    "其中农民工",
    "其中女职工",
    "成立日期",
    "注销日期",
    "覆盖的基层工会",
    "建会(覆盖)日期",
    "地址",
    "所属组织",
]
_rng = random.Random(2008)


def code() -> str:
    return make_credit_code(_rng, region_code="140105")


def row(name, credit_code, **over):
    values = {
        "单位名称": name,
        "统一社会信用代码": credit_code,
        "经济类型": "私营",
        "所属行业": "制造业",
        "职工人数": 100,
        "其中农民工": 20,
        "其中女职工": 30,
        "成立日期": dt.date(2003, 5, 8),
    }
    values.update(over)
    return [None, *(values.get(h) for h in HEADER[1:])]


def upload(tmp_path, rows, *, actor, org, name="单位名录.xlsx", **options):
    book = Workbook()
    sheet = book.active
    sheet.append(["小店区单位名录（2008年）"])  # a title row above the header, as counties send
    sheet.append(HEADER)
    for number, values in enumerate(rows, 1):
        sheet.append([number, *values[1:]])
    path = tmp_path / name
    book.save(path)
    return import_units(actor=actor, org=org, path=path, rejects_dir=tmp_path / "out", **options)


@pytest.fixture
def county(world):
    """小店区: its editor, a second township and two grassroots unions with founding dates."""
    people = accounts(world)
    world["editor"] = people["county_editor"]
    world["beige"] = OrgFactory(
        name="北格镇工会", kind=Org.Kind.TOWNSHIP, parent=world["xiaodian"], region_code="140105"
    )
    world["union_a"] = OrgFactory(
        name="晋阳联合基层工会",
        kind=Org.Kind.GRASSROOTS,
        parent=world["township"],
        founded_on=dt.date(2007, 6, 1),
    )
    world["union_b"] = OrgFactory(
        name="北格镇联合基层工会",
        kind=Org.Kind.GRASSROOTS,
        parent=world["beige"],
        founded_on=dt.date(2008, 3, 1),
    )
    world["datong_union"] = OrgFactory(
        name="平城区联合基层工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"]
    )
    return world


def covered(org, period="2007"):
    return evaluate(org, parse_period(period), ["units_covered"])[org.pk].figures["units_covered"]


def test_a_county_list_registers_its_units_with_their_dated_coverage(county, tmp_path):
    w = county
    codes = [code() for _ in range(3)]
    result = upload(
        tmp_path,
        [
            row(
                "晋阳精密机械有限公司",
                codes[0],
                覆盖的基层工会="晋阳联合基层工会",
                **{"建会(覆盖)日期": dt.date(2007, 9, 15)},
                地址="小店区晋阳街1号",
            ),
            row(
                "北格食品有限公司",
                codes[1],
                经济类型="外资",
                所属行业="h",
                所属组织="北格镇工会",
                成立日期="2006年4月1日",
            ),
            row("小店建筑公司", codes[2], 经济类型="国有企业", 所属行业="E"),
        ],
        actor=w["editor"],
        org=w["xiaodian"],
    )
    assert result.saved, result.errors
    assert (result.created, result.updated, result.rejected) == (3, 0, 0)
    assert result.message == "导入完成：新登记单位3，更新单位0，已登记未变0"

    first = Unit.objects.get(credit_code=codes[0])
    assert (first.org, first.union, first.covered_since) == (
        w["xiaodian"],
        w["union_a"],
        dt.date(2007, 9, 15),
    )
    assert first.established_on == dt.date(2003, 5, 8) and first.address == "小店区晋阳街1号"
    assert (first.employees, first.migrant_workers, first.women_workers) == (100, 20, 30)
    assert list(first.coverage_spells.values_list("union", "start", "end")) == [
        (w["union_a"].pk, dt.date(2007, 9, 15), None)
    ]
    second = Unit.objects.get(credit_code=codes[1])
    assert (second.org, second.ownership, second.industry) == (
        w["beige"],
        Unit.Ownership.FOREIGN,
        Unit.Industry.H,
    )
    assert second.established_on == dt.date(2006, 4, 1) and second.union is None
    third = Unit.objects.get(credit_code=codes[2])
    assert (third.ownership, third.industry) == (Unit.Ownership.STATE, Unit.Industry.E)
    # The services audited each unit, and the pipeline the file as a whole.
    assert (
        AuditEntry.objects.filter(object_id="import", object_repr__contains="单位名录").count() == 1
    )
    assert covered(w["union_a"]) == 1 and covered(w["xiaodian"]) == 2  # + 太原重型机械


def refused(result) -> dict:
    """row number → (column, reason) of each rejected row's first error."""
    found = {}
    for error in result.errors:
        found.setdefault(error.row, (error.column, error.reason))
    return found


def test_each_bad_row_is_refused_naming_its_row_column_and_reason(county, tmp_path):
    w = county
    good = code()
    bad_check = good[:16] + ("1" if good[16] != "1" else "2")
    bad_check += check_char(bad_check)
    bad_check = bad_check[:17] + ("1" if bad_check[17] != "1" else "2")
    rows = [
        row("好单位有限公司", good),  # row 3
        row("校验位错公司", bad_check),  # 4
        row("类型错公司", code(), 经济类型="合伙"),  # 5
        row("行业错公司", code(), 所属行业="Z"),  # 6
        row("人数错公司", code(), 其中农民工=200),  # 7
        row(
            "早覆盖公司",
            code(),
            覆盖的基层工会="晋阳联合基层工会",
            **{"成立日期": dt.date(2007, 10, 1), "建会(覆盖)日期": dt.date(2007, 9, 15)},
        ),  # 8
        row(
            "早于工会公司",
            code(),
            覆盖的基层工会="北格镇联合基层工会",
            **{"建会(覆盖)日期": dt.date(2008, 1, 10)},
        ),  # 9
        row("无此工会公司", code(), 覆盖的基层工会="没有的工会"),  # 10
        row("外市工会公司", code(), 覆盖的基层工会="平城区联合基层工会"),  # 11
        row("重复代码公司", good),  # 12
        row("外市单位", w["datong_unit"].credit_code),  # 13
        row("未来公司", code(), 成立日期=dt.date(2099, 1, 1)),  # 14
        row("先注销公司", code(), 注销日期=dt.date(2001, 1, 1)),  # 15
        row("无此乡镇公司", code(), 所属组织="坞城乡工会"),  # 16
        row("无日期公司", code(), **{"建会(覆盖)日期": dt.date(2008, 1, 1)}),  # 17
        # On record with 100 职工: a blank 职工人数 keeps them, 150 农民工 is too many.
        row(w["taiyuan_unit"].name, w["taiyuan_unit"].credit_code, 职工人数=None, 其中农民工=150),
    ]
    before = (Unit.objects.count(), CoverageSpell.objects.count(), AuditEntry.objects.count())
    result = upload(tmp_path, rows, actor=w["editor"], org=w["xiaodian"])
    assert not result.saved and result.rejected == 15 and result.created == 0
    assert "全部未保存" in result.message
    assert (Unit.objects.count(), CoverageSpell.objects.count(), AuditEntry.objects.count()) == (
        before
    )
    errors = refused(result)
    assert 3 not in errors
    assert errors[4] == ("统一社会信用代码", "统一社会信用代码校验位不对，请核对代码")
    assert errors[5][0] == "经济类型" and "经济类型“合伙”无法识别" in errors[5][1]
    assert errors[6][0] == "所属行业" and "所属行业“Z”无法识别" in errors[6][1]
    assert errors[7] == ("其中农民工", "农民工人数不能多于职工人数")
    # The services' own messages for dates against the history.
    assert errors[8] == (
        "建会(覆盖)日期",
        "早覆盖公司成立于2007年10月1日，覆盖日期（2007年9月15日）不能早于成立日期",
    )
    assert errors[9] == (
        "建会(覆盖)日期",
        "覆盖日期（2008年1月10日）早于北格镇联合基层工会的成立日期（2008年3月1日）",
    )
    assert errors[10] == (
        "覆盖的基层工会",
        "基层工会“没有的工会”不存在，或不在本组织及下级组织范围内",
    )
    assert errors[11] == errors[10][:1] + (
        "基层工会“平城区联合基层工会”不存在，或不在本组织及下级组织范围内",
    )
    assert errors[12] == ("统一社会信用代码", "与第3行统一社会信用代码重复")
    # Registered in another city: refused without naming where.
    assert errors[13] == (
        "统一社会信用代码",
        "该统一社会信用代码已由其他工会登记，不在小店区总工会范围内",
    )
    assert errors[14] == ("成立日期", "单位成立日期不能晚于今天")
    assert errors[15] == ("注销日期", "注销日期须晚于单位成立日期")
    assert errors[16] == ("所属组织", "“坞城乡工会”不是小店区总工会或其下的乡镇(街道)工会")
    assert errors[17] == ("覆盖的基层工会", "填写了建会(覆盖)日期，但未填写覆盖的基层工会")
    assert errors[18] == ("其中农民工", "农民工人数不能多于职工人数")
    # The rejects workbook: the original cells, then 行号, 出错列, 原因.
    sheet = load_workbook(result.rejects_path).active
    lines = list(sheet.values)
    assert lines[0][-3:] == ("行号", "出错列", "原因") and len(lines) == 16
    assert lines[1][-3:] == (4, "统一社会信用代码", "统一社会信用代码校验位不对，请核对代码")


def test_good_rows_can_be_saved_without_the_bad_ones(county, tmp_path):
    w = county
    rows = [row("好单位有限公司", code()), row("类型错公司", code(), 经济类型="合伙")]
    result = upload(tmp_path, rows, actor=w["editor"], org=w["xiaodian"], save_good_rows=True)
    assert result.saved and (result.created, result.rejected) == (1, 1)
    assert Unit.objects.filter(name="好单位有限公司").exists()
    assert not Unit.objects.filter(name="类型错公司").exists()


def test_a_re_upload_changes_nothing_and_an_edited_row_updates_only_that_unit(county, tmp_path):
    w = county
    codes = [code() for _ in range(3)]
    rows = [
        row(
            "晋阳精密机械有限公司",
            codes[0],
            覆盖的基层工会="晋阳联合基层工会",
            **{"建会(覆盖)日期": dt.date(2007, 9, 15)},
        ),
        row("北格食品有限公司", codes[1], 所属组织="北格镇工会"),
        # Closed in 2008 while covered: its spell ends on the 注销日期.
        row(
            "已注销公司",
            codes[2],
            覆盖的基层工会="晋阳联合基层工会",
            注销日期=dt.date(2008, 7, 1),
            **{"建会(覆盖)日期": dt.date(2007, 8, 1)},
        ),
    ]
    assert upload(tmp_path, rows, actor=w["editor"], org=w["xiaodian"]).created == 3
    closed = Unit.objects.get(credit_code=codes[2])
    assert closed.union is None and list(
        closed.coverage_spells.values_list("union", "start", "end", "end_reason")
    ) == [(w["union_a"].pk, dt.date(2007, 8, 1), dt.date(2008, 7, 1), "closed")]
    stamps = dict(Unit.objects.values_list("credit_code", "updated_at"))
    spells, entries = CoverageSpell.objects.count(), AuditEntry.objects.count()

    again = upload(tmp_path, rows, actor=w["editor"], org=w["xiaodian"], name="again.xlsx")
    assert again.saved and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert dict(Unit.objects.values_list("credit_code", "updated_at")) == stamps
    assert (CoverageSpell.objects.count(), AuditEntry.objects.count()) == (spells, entries)

    # One figure edited, the other cells left blank: only that changes, the rest is kept.
    edited = [
        row("晋阳精密机械有限公司", codes[0], 职工人数=150, 成立日期=None, 其中农民工=None),
        rows[1],
    ]
    result = upload(tmp_path, edited, actor=w["editor"], org=w["xiaodian"], name="edited.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    unit = Unit.objects.get(credit_code=codes[0])
    assert (unit.employees, unit.migrant_workers, unit.established_on) == (
        150,
        20,
        dt.date(2003, 5, 8),
    )
    assert unit.union == w["union_a"] and unit.covered_since == dt.date(2007, 9, 15)


def test_a_change_of_covering_union_keeps_the_past_figures(county, tmp_path):
    w = county
    unit = UnitFactory(
        name="晋阳精密机械有限公司",
        org=w["township"],
        union=w["union_a"],
        covered_since=dt.date(2007, 9, 15),
        established_on=dt.date(2003, 5, 8),
    )
    end_2007 = {o: covered(w[o]) for o in ("union_a", "union_b", "township", "xiaodian", "taiyuan")}
    assert end_2007["union_a"] == 1 and end_2007["union_b"] == 0
    moved = {"覆盖的基层工会": "北格镇联合基层工会"}

    # Without a date, or dated on or before the current spell's start, it is refused.
    result = upload(
        tmp_path, [row(unit.name, unit.credit_code, **moved)], actor=w["editor"], org=w["xiaodian"]
    )
    assert refused(result)[3] == (
        "建会(覆盖)日期",
        "更换覆盖的基层工会须填写建会(覆盖)日期（新工会自该日起覆盖）",
    )
    early = {**moved, "建会(覆盖)日期": dt.date(2007, 9, 15)}
    result = upload(
        tmp_path, [row(unit.name, unit.credit_code, **early)], actor=w["editor"], org=w["xiaodian"]
    )
    assert refused(result)[3] == (
        "建会(覆盖)日期",
        "晋阳精密机械有限公司自2007年9月15日起由“晋阳联合基层工会”覆盖，改由“北格镇联合基层工会”"
        "覆盖的日期（2007年9月15日）须晚于该日（更正过去的覆盖请在单位页面办理）",
    )

    later = {**moved, "建会(覆盖)日期": dt.date(2008, 6, 1)}
    result = upload(
        tmp_path, [row(unit.name, unit.credit_code, **later)], actor=w["editor"], org=w["xiaodian"]
    )
    assert result.saved and result.updated == 1
    unit.refresh_from_db()
    assert (unit.union, unit.covered_since) == (w["union_b"], dt.date(2008, 6, 1))
    assert list(unit.coverage_spells.values_list("union", "start", "end")) == [
        (w["union_a"].pk, dt.date(2007, 9, 15), dt.date(2008, 6, 1)),
        (w["union_b"].pk, dt.date(2008, 6, 1), None),
    ]
    # End-2007 figures are what they were, at every level; 2008's follow the move.
    assert {o: covered(w[o]) for o in end_2007} == end_2007
    assert covered(w["union_b"], "2008") == 1 and covered(w["union_a"], "2008") == 0

    # The same file again: already so, nothing written.
    result = upload(
        tmp_path, [row(unit.name, unit.credit_code, **later)], actor=w["editor"], org=w["xiaodian"]
    )
    assert (result.updated, result.unchanged) == (0, 1)


def test_the_list_goes_to_a_county_or_township_of_the_actors_subtree(county, tmp_path):
    w = county
    rows = [row("好单位有限公司", code())]
    with pytest.raises(DomainError, match="县\\(市、区\\)总工会或乡镇\\(街道\\)工会"):
        upload(tmp_path, rows, actor=w["editor"], org=w["union_a"])
    with pytest.raises(DomainError, match="只能导入到本组织及下级组织"):
        upload(tmp_path, rows, actor=w["editor"], org=w["pingcheng"])
    with pytest.raises(PermissionDenied):
        upload(tmp_path, rows, actor=w["taiyuan_viewer"], org=w["xiaodian"])
    assert not Unit.objects.filter(name="好单位有限公司").exists()


def test_a_township_list_does_not_take_over_a_unit_registered_by_its_county(county, tmp_path):
    w = county
    unit = UnitFactory(name="县直单位有限公司", org=w["xiaodian"])
    result = upload(tmp_path, [row(unit.name, unit.credit_code)], actor=w["editor"], org=w["beige"])
    assert refused(result)[3] == (
        "统一社会信用代码",
        "该统一社会信用代码已由“小店区总工会”登记，不在北格镇工会范围内",
    )


def test_the_template_reads_back_as_a_valid_list(county, tmp_path):
    path = UnitImporter.template(tmp_path / "template.xlsx")
    book = load_workbook(path)
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:4] == ["单位名称*", "统一社会信用代码*", "经济类型*", "所属行业*"]
    assert "建会(覆盖)日期" in header and "所属组织" in header
    assert book.sheetnames[1] == "填写说明"
    # Its example row is a unit the county can register.
    result = import_units(
        actor=county["editor"], org=county["xiaodian"], path=path, rejects_dir=tmp_path
    )
    assert result.rejected == 1  # the example's union does not exist here …
    assert refused(result)[2][0] == "覆盖的基层工会"


def test_a_closure_in_the_list_ends_the_coverage_on_its_date(county, tmp_path):
    w = county
    unit = UnitFactory(
        name="晋阳精密机械有限公司",
        org=w["township"],
        union=w["union_a"],
        covered_since=dt.date(2007, 9, 15),
        established_on=dt.date(2003, 5, 8),
    )
    before = covered(w["xiaodian"])
    too_early = row(unit.name, unit.credit_code, 注销日期=dt.date(2007, 9, 1))
    result = upload(tmp_path, [too_early], actor=w["editor"], org=w["xiaodian"])
    assert refused(result)[3] == (
        "注销日期",
        "晋阳精密机械有限公司自2007年9月15日起由“晋阳联合基层工会”覆盖，"
        "注销日期（2007年9月1日）须晚于该日",
    )
    closing = row(
        unit.name,
        unit.credit_code,
        注销日期=dt.date(2008, 7, 1),
        覆盖的基层工会="晋阳联合基层工会",
        **{"建会(覆盖)日期": dt.date(2007, 9, 15)},
    )
    result = upload(tmp_path, [closing], actor=w["editor"], org=w["xiaodian"])
    assert result.saved and result.updated == 1
    unit.refresh_from_db()
    assert unit.closed_on == dt.date(2008, 7, 1) and unit.union is None
    assert covered(w["xiaodian"]) == before  # end-2007 as it was
    assert covered(w["union_a"], "2008") == 0
    # The same row again: the union named is the one that covered it until its closure.
    again = upload(tmp_path, [closing], actor=w["editor"], org=w["xiaodian"])
    assert (again.updated, again.unchanged) == (0, 1)
