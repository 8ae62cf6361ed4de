import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import load_workbook

from unionworks.accounts.models import User
from unionworks.core import tasks
from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD, id_index_of
from unionworks.core.models import AuditEntry, Task
from unionworks.core.personal_data import unseal
from unionworks.core.tests.factories import OrgFactory, UnitFactory, UserFactory
from unionworks.members import services
from unionworks.members.models import Member, MembershipSpell
from unionworks.members.roll_import import TASK_KIND, import_roll, write_roll_template
from unionworks.members.tests.factories import join
from unionworks.orgs.models import Org

# CI clones the repository with shared/ beside it: <root>/../shared/samples.
SAMPLES = Path(__file__).resolve().parents[4].parent / "shared" / "samples"
EMPLOYERS = [
    "山西省电力公司",
    "太原钢铁（集团）有限公司",
    "晋城无烟煤矿业集团有限责任公司",
    "大同煤矿集团有限责任公司",
    "太原重型机械集团有限公司",
    "阳泉煤业（集团）有限责任公司",
    "山西焦煤集团有限责任公司",
]
TABLES = ["members_member", "members_membershipspell", "members_transfer", "core_auditentry"]


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.is_file():
        pytest.fail(f"shared sample {path} is missing: the tests need shared/ beside the repo")
    return path


@pytest.fixture
def expected():
    data = json.loads(sample("roll-2008-taiyuan.expected.json").read_text(encoding="utf-8"))
    return {
        "good": set(data["good"]),
        "bad": {int(k): v for k, v in data["bad"].items()},
        "footer": data["footer_row"],
    }


@pytest.fixture
def roll(world, tmp_path, settings):
    """The importing grassroots union with the seven employers it covers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    union = world["grassroots"]
    for name in EMPLOYERS:
        UnitFactory(name=name, org=world["township"], union=union)
    return {"union": union, "actor": world["taiyuan_admin"], **world}


def copy_of(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copy(sample(name), target)
    return target


def offset(suffix: str) -> int:
    return 0 if suffix == "xlsx" else 1  # the CSV has no title row


def db_fingerprint() -> dict:
    """Count and checksum of every table an import touches."""
    prints = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            rows = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()
            ]
            prints[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return prints


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_sample_roll_saves_exactly_the_good_rows_and_rejects_each_bad_row(
    roll, expected, suffix, tmp_path
):
    result = import_roll(
        actor=roll["actor"],
        org=roll["union"],
        path=copy_of(f"roll-2008-taiyuan.{suffix}", tmp_path),
        save_good_rows=True,
    )
    shift = offset(suffix)
    assert result.saved
    assert result.rows == len(expected["good"]) + len(expected["bad"])
    assert result.new == len(expected["good"]) == Member.objects.count()
    assert result.rejected == len(expected["bad"])
    assert MembershipSpell.objects.filter(org=roll["union"], end__isnull=True).count() == len(
        expected["good"]
    )
    reasons: dict[int, str] = {}
    for error in result.errors:
        reasons[error.row + shift] = reasons.get(error.row + shift, "") + error.reason
    assert set(reasons) == set(expected["bad"])
    for row, keyword in expected["bad"].items():
        assert keyword in reasons[row], (row, reasons[row])
    assert expected["footer"] not in reasons
    # One audit entry for the whole import, not one per row.
    assert AuditEntry.objects.filter(model="members.member").count() == 1


def test_messy_but_valid_spellings_are_read_right(roll, tmp_path):
    import_roll(
        actor=roll["actor"],
        org=roll["union"],
        path=copy_of("roll-2008-taiyuan.xlsx", tmp_path),
        save_good_rows=True,
    )
    # Row 4: full-width digits; row 23: spaces inside; a 1990年8月 join date (row 9).
    full_width = Member.objects.get(id_number_index=id_index_of("140502195709281377"))
    assert full_width.name == "吴晓" and full_width.sex == "M"
    assert full_width.birth_date == dt.date(1957, 9, 28)
    assert full_width.is_migrant is True and full_width.education == "postgraduate"
    spaced = Member.objects.get(id_number_index=id_index_of("14050219690323064X"))
    assert unseal(spaced.id_number_cipher, field=ID_FIELD) == "14050219690323064X"
    month_only = Member.objects.get(id_number_index=id_index_of("140502196307286903"))
    assert month_only.spells.get().start == dt.date(1990, 8, 1)
    assert month_only.unit.name == "山西省电力公司"
    assert month_only.phone_mask == "131****2348"


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_all_or_nothing_by_default_leaves_the_database_exactly_as_it_was(roll, suffix, tmp_path):
    join(roll["union"], name="李四")  # something already there
    before = db_fingerprint()
    result = import_roll(
        actor=roll["actor"],
        org=roll["union"],
        path=copy_of(f"roll-2008-taiyuan.{suffix}", tmp_path),
    )
    assert not result.saved
    assert result.new == 0 and result.rejected == 29 and result.ready == 211
    assert "未保存" in result.message
    assert db_fingerprint() == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(roll, tmp_path):
    path = copy_of("roll-2008-taiyuan.csv", tmp_path)
    first = import_roll(actor=roll["actor"], org=roll["union"], path=path, save_good_rows=True)
    before = db_fingerprint()
    second = import_roll(actor=roll["actor"], org=roll["union"], path=path, save_good_rows=True)
    assert (second.new, second.rejoined, second.unchanged) == (0, 0, first.new)
    assert second.rejected == first.rejected
    assert db_fingerprint() == before


def test_every_row_names_an_unknown_unit_when_no_employer_is_registered(world, tmp_path):
    result = import_roll(
        actor=world["taiyuan_admin"],
        org=world["grassroots"],
        path=copy_of("roll-2008-taiyuan.csv", tmp_path),
        save_good_rows=True,
        rejects_dir=tmp_path,
    )
    assert result.new == 0 and result.rejected == result.rows == 240
    assert all("单位" in e.reason for e in result.errors if e.column == "工作单位")
    assert Member.objects.count() == 0


def test_a_person_in_another_union_is_refused_the_rest_saved(roll, tmp_path):
    datong_union = OrgFactory(kind=Org.Kind.GRASSROOTS, parent=roll["pingcheng"])
    join(datong_union, id_number="140502198704020550", name="陈敏")
    result = import_roll(
        actor=roll["actor"],
        org=roll["union"],
        path=copy_of("roll-2008-taiyuan.xlsx", tmp_path),
        save_good_rows=True,
    )
    row3 = [e for e in result.errors if e.row == 3]
    assert row3 and "转会" in row3[0].reason
    assert datong_union.name not in row3[0].reason  # outside the actor's subtree: not named
    assert result.new == 211 - 1
    chen = Member.objects.get(id_number_index=id_index_of("140502198704020550"))
    assert chen.org == datong_union and chen.spells.count() == 1


def test_a_person_who_left_rejoins_on_their_record(roll, tmp_path):
    member = join(roll["union"], id_number="140502198704020550", on=dt.date(2000, 1, 1))
    services.record_leaving(actor=None, member=member, on=dt.date(2003, 5, 1))
    result = import_roll(
        actor=roll["actor"],
        org=roll["union"],
        path=copy_of("roll-2008-taiyuan.xlsx", tmp_path),
        save_good_rows=True,
    )
    assert result.rejoined == 1 and result.new == 210
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE and member.name == "陈敏"
    assert list(member.spells.values_list("start", "end")) == [
        (dt.date(2000, 1, 1), dt.date(2003, 5, 1)),
        (dt.date(2008, 1, 19), None),
    ]


def test_a_person_in_the_same_union_is_left_unchanged(roll, tmp_path):
    member = join(roll["union"], id_number="140502198704020550", name="陈敏")
    result = import_roll(
        actor=roll["actor"],
        org=roll["union"],
        path=copy_of("roll-2008-taiyuan.csv", tmp_path),
        save_good_rows=True,
    )
    assert result.unchanged == 1 and result.new == 210
    assert member.spells.count() == 1


def test_rejected_rows_workbook_has_row_column_and_reason(roll, tmp_path):
    result = import_roll(
        actor=roll["actor"], org=roll["union"], path=copy_of("roll-2008-taiyuan.xlsx", tmp_path)
    )
    sheet = load_workbook(result.rejects_path).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-3:] == ["行号", "出错列", "原因"] and "公民身份号码" in header
    by_row = {r[header.index("行号")]: r for r in rows[1:]}
    assert len(by_row) == 29
    assert "重复" in by_row[55][header.index("原因")]
    assert by_row[111][header.index("出错列")] == "手机号码"
    assert by_row[7][header.index("公民身份号码")] == "140106197710164"


def test_rejected_rows_workbook_can_be_fixed_and_uploaded_again(roll, tmp_path):
    first = import_roll(
        actor=roll["actor"], org=roll["union"], path=copy_of("roll-2008-taiyuan.csv", tmp_path)
    )
    again = import_roll(actor=roll["actor"], org=roll["union"], path=first.rejects_path)
    # Read back through the same headers; the three later duplicates stand alone now.
    assert again.rows == 29 and again.rejected == 26 and again.ready == 3


def test_a_required_column_missing_is_one_clear_error(roll, tmp_path):
    path = tmp_path / "no-id.csv"
    path.write_text("姓名,工作单位,入会时间\n张三,山西省电力公司,2008-01-01\n", encoding="utf-8")
    with pytest.raises(DomainError, match="缺少必填列：公民身份号码"):
        import_roll(actor=roll["actor"], org=roll["union"], path=path)


def test_columns_in_any_order_with_a_credit_code_and_a_county_as_importer(roll, tmp_path):
    unit = UnitFactory(name="新单位", org=roll["township"], union=roll["union"])
    path = tmp_path / "roll.csv"
    path.write_text(
        "入会日期,统一社会信用代码,身份证号,姓名,学历,农民工\n"
        f"2005年3月7日,{unit.credit_code},140105198001010011,王五,大学本科,Y\n",
        encoding="utf-8",
    )
    result = import_roll(actor=roll["actor"], org=roll["xiaodian"], path=path)
    assert result.saved and result.new == 1
    member = Member.objects.get()
    assert (member.org, member.unit, member.is_migrant) == (roll["union"], unit, True)
    assert member.education == "bachelor" and member.spells.get().start == dt.date(2005, 3, 7)


def test_a_unit_without_a_covering_union_is_refused_for_a_county_import(roll, tmp_path):
    UnitFactory(name="无工会单位", org=roll["township"], union=None)
    path = tmp_path / "roll.csv"
    path.write_text(
        "姓名,身份证号,工作单位,入会时间\n王五,140105198001010011,无工会单位,2005-03-07\n",
        encoding="utf-8",
    )
    result = import_roll(actor=roll["actor"], org=roll["xiaodian"], path=path)
    assert not result.saved and "基层工会" in result.errors[0].reason


def test_join_date_before_birth_or_in_the_future_is_refused(roll, tmp_path):
    path = tmp_path / "roll.csv"
    path.write_text(
        "姓名,身份证号,工作单位,入会时间\n"
        "王五,140105198001010011,山西省电力公司,1979-03-07\n"
        "赵六,14010519800101002X,山西省电力公司,2999-01-01\n",
        encoding="utf-8",
    )
    result = import_roll(actor=roll["actor"], org=roll["union"], path=path)
    assert [e.reason for e in result.errors] == ["入会时间早于出生日期", "入会时间不能晚于今天"]


def test_nobody_joins_before_the_union_was_founded_or_after_it_was_dissolved(roll, tmp_path):
    union = roll["union"]
    Org.objects.filter(pk=union.pk).update(
        founded_on=dt.date(2005, 1, 1), dissolved_on=dt.date(2009, 1, 1)
    )
    path = tmp_path / "roll.csv"
    path.write_text(
        "姓名,身份证号,工作单位,入会时间\n"
        "王五,140105198001010011,山西省电力公司,2004-12-31\n"
        "赵六,14010519800101002X,山西省电力公司,2009-01-01\n"
        "钱七,140105198001010038,山西省电力公司,2008-12-31\n",
        encoding="utf-8",
    )
    result = import_roll(actor=roll["actor"], org=roll["union"], path=path)
    assert [(e.row, e.reason) for e in result.errors] == [
        (2, "入会时间早于“太原重型机械有限公司工会”的成立日期（2005-01-01）"),
        (3, "“太原重型机械有限公司工会”已于2009-01-01撤销，入会时间不能在撤销之后"),
    ]


def test_a_viewer_cannot_import_and_an_outsider_org_is_refused(roll, tmp_path):
    path = copy_of("roll-2008-taiyuan.csv", tmp_path)
    with pytest.raises(PermissionDenied):
        import_roll(actor=roll["taiyuan_viewer"], org=roll["union"], path=path)
    with pytest.raises(DomainError, match="本组织"):
        import_roll(actor=roll["datong_editor"], org=roll["union"], path=path)


@pytest.mark.parametrize("save_good_rows", [True, False])
def test_the_import_runs_as_a_task_with_progress_to_the_end(
    roll, tmp_path, settings, save_good_rows
):
    settings.TASKS_MODE = "eager"
    task = tasks.enqueue(
        TASK_KIND,
        actor=roll["actor"],
        org=roll["union"],
        params={"save_good_rows": save_good_rows},
        input_path=copy_of("roll-2008-taiyuan.xlsx", tmp_path),
    )
    assert task.status == (Task.Status.DONE if save_good_rows else Task.Status.FAILED)
    assert task.total > 0 and task.done == task.total
    assert task.result["rejected"] == 29 and task.result["saved"] is save_good_rows
    assert Path(task.output_path).is_file()
    assert Path(task.output_path).parent == Path(settings.MEDIA_ROOT) / "tasks" / str(task.pk)
    assert Member.objects.count() == (211 if save_good_rows else 0)


def test_import_roll_command(roll, tmp_path):
    user = UserFactory(username="clerk", org=roll["union"], role=User.Role.EDITOR)
    path = copy_of("roll-2008-taiyuan.csv", tmp_path)
    with pytest.raises(CommandError, match="未保存"):
        call_command("import_roll", str(path), user="clerk", org=roll["union"].pk)
    call_command(
        "import_roll", str(path), user=user.username, org=roll["union"].pk, save_good_rows=True
    )
    assert Member.objects.count() == 211


def test_the_template_is_read_back_as_a_roll(roll, tmp_path):
    path = write_roll_template(tmp_path / "template.xlsx")
    sheet = load_workbook(path).active
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["姓名*", "公民身份号码*", "工作单位"]
    result = import_roll(actor=roll["actor"], org=roll["union"], path=path)
    assert result.saved and result.new == 1
