"""import_roll(initial_load=True): the bulk first load gives what the normal import gives."""

import csv
import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from openpyxl import Workbook, load_workbook

from unionworks.core import parallel
from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD, PHONE_FIELD
from unionworks.core.idnumber import make_id_number
from unionworks.core.models import AuditEntry
from unionworks.core.personal_data import unseal
from unionworks.core.tests.factories import OrgFactory
from unionworks.members import services
from unionworks.members.models import Member, MembershipSpell
from unionworks.members.roll_import import bulk_load, import_roll, importer
from unionworks.members.tests import test_import
from unionworks.members.tests.factories import join
from unionworks.members.tests.test_import import EMPLOYERS, copy_of, db_fingerprint
from unionworks.orgs.models import Org

roll = test_import.roll  # the same fixture: the importing union and its seven employers
MEMBER_TABLES = [Member._meta.db_table, MembershipSpell._meta.db_table]


def index_definitions() -> list[tuple]:
    """Every index of the member tables, by name and definition."""
    if connection.vendor == "postgresql":
        sql = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1"
        params = [MEMBER_TABLES]
    else:
        sql = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (%s, %s) "
            "ORDER BY 1"
        )
        params = MEMBER_TABLES
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def roll_state() -> dict:
    """Members and spells by person (ids, timestamps and cipher nonces aside)."""
    members = {}
    for m in Member.objects.all():
        members[m.id_number_index] = (
            m.name,
            m.name_initials,
            m.sex,
            m.birth_date,
            m.ethnicity,
            m.education,
            m.is_migrant,
            unseal(bytes(m.id_number_cipher), field=ID_FIELD),
            m.id_number_mask,
            unseal(bytes(m.phone_cipher), field=PHONE_FIELD) if m.phone_cipher else None,
            m.phone_index,
            m.phone_mask,
            m.card_number,
            m.org_id,
            m.unit_id,
            m.status,
        )
    spells = sorted(
        MembershipSpell.objects.values_list(
            "member__id_number_index",
            "org_id",
            "unit_id",
            "start",
            "end",
            "start_reason",
            "end_reason",
            "is_migrant",
        )
    )
    return {"members": members, "spells": spells}


def outcome(result) -> dict:
    data = result.as_dict()
    rejects = data.pop("rejects_path")
    data["rejects"] = (
        [list(r) for r in load_workbook(rejects).active.iter_rows(values_only=True)]
        if rejects
        else None
    )
    return data


def both_modes(run) -> tuple[dict, dict]:
    """``run(initial_load)`` in a savepoint rolled back after each mode: (normal, initial)."""
    seen = []
    for initial_load in (False, True):
        with transaction.atomic():
            result = run(initial_load)
            seen.append({"result": outcome(result), **roll_state()})
            transaction.set_rollback(True)
    return seen[0], seen[1]


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
@pytest.mark.parametrize("save_good_rows", [True, False])
def test_the_sample_rolls_give_exactly_what_the_normal_import_gives(
    roll, suffix, save_good_rows, tmp_path
):
    path = copy_of(f"roll-2008-taiyuan.{suffix}", tmp_path)

    def run(initial_load):
        return import_roll(
            actor=roll["actor"],
            org=roll["union"],
            path=path,
            save_good_rows=save_good_rows,
            rejects_dir=tmp_path / f"rejects-{initial_load}",
            initial_load=initial_load,
        )

    normal, initial = both_modes(run)
    assert initial == normal
    assert normal["result"]["saved"] is save_good_rows
    assert len(normal["members"]) == (211 if save_good_rows else 0)


def write_generated_roll(path, rng: random.Random) -> dict:
    """A roll of 400 persons with a few of each kind of bad row, and two known persons."""
    start = dt.date(1955, 1, 1)
    numbers = []
    while len(numbers) < 400:
        birth = start + dt.timedelta(days=rng.randrange(0, 365 * 45))
        number = make_id_number(rng, region_code="140105", birth_date=birth)
        if number not in numbers:
            numbers.append(number)
    rows = []
    for i, number in enumerate(numbers):
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        rows.append(
            [
                f"王{'伟芳娜秀英敏静丽强磊'[i % 10]}{'军洋勇艳杰'[i % 5]}",
                number,
                EMPLOYERS[i % len(EMPLOYERS)],
                birth.replace(year=birth.year + 20, day=min(birth.day, 28)).isoformat(),
                f"139{rng.randrange(10**8):08d}" if i % 3 else "",
                ["研究生", "本科", "大专", "中专", "高中", "初中"][i % 6],
                "是" if i % 4 == 0 else "否",
                f"C{100000 + i}" if i % 5 == 0 else "",
            ]
        )
    rows[10][1] = rows[9][1]  # a duplicate ID number
    rows[20][1] = rows[20][1][:-1] + ("0" if rows[20][1][-1] != "0" else "1")  # check digit
    rows[30][7] = rows[25][7] = "C777777"  # a duplicate card
    rows[40][2] = "不存在的单位"
    rows[50][3] = "2099-01-01"
    rows[90][0], rows[95][7] = "王\\伟", "C\\100095"  # a backslash: escaped in COPY text
    with open(path, "w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(
            [
                "姓名",
                "身份证号",
                "工作单位",
                "入会时间",
                "手机号码",
                "文化程度",
                "是否农民工",
                "会员卡号",
            ]
        )
        out.writerows(rows)
    other = make_id_number(rng, region_code="140213", birth_date=dt.date(1970, 1, 1))
    return {
        "other": other,
        "in_datong": rows[60][1],
        "left_datong": rows[70][1],
        "card_of_other": rows[80][7],
    }


@pytest.mark.parametrize("save_good_rows", [True, False])
def test_a_generated_roll_gives_exactly_what_the_normal_import_gives(
    roll, save_good_rows, tmp_path
):
    path = tmp_path / "generated.csv"
    known = write_generated_roll(path, random.Random(2008))
    datong_union = OrgFactory(kind=Org.Kind.GRASSROOTS, parent=roll["pingcheng"])

    def run(initial_load):
        # Someone in a Datong union (refused: 转会), someone who left one (rejoins), and a
        # card number held by a Datong member (refused).
        join(datong_union, id_number=known["in_datong"], name="陈敏")
        left = join(datong_union, id_number=known["left_datong"], on=dt.date(1999, 1, 1))
        services.record_leaving(actor=None, member=left, on=dt.date(2001, 1, 1))
        join(
            datong_union,
            id_number=known["other"],
            name="李四",
            card_number=known["card_of_other"],
        )
        return import_roll(
            actor=roll["actor"],
            org=roll["union"],
            path=path,
            save_good_rows=save_good_rows,
            rejects_dir=tmp_path / f"rejects-{initial_load}",
            initial_load=initial_load,
        )

    normal, initial = both_modes(run)
    assert initial == normal
    result = normal["result"]
    assert result["rows"] == 400 and result["rejected"] == 7
    if save_good_rows:
        assert result["new"] == 392 and result["rejoined"] == 1
        assert len(normal["spells"]) == 3 + 393  # the Datong ones and the imported


def test_a_subtree_holding_members_is_refused_in_chinese(roll, tmp_path):
    join(roll["union"], name="李四")
    before, indexes = db_fingerprint(), index_definitions()
    with pytest.raises(DomainError, match="已有会员，不能使用首次批量导入"):
        import_roll(
            actor=roll["actor"],
            org=roll["union"],
            path=copy_of("roll-2008-taiyuan.csv", tmp_path),
            save_good_rows=True,
            initial_load=True,
        )
    # The county above holds that member too.
    with pytest.raises(DomainError, match="已有会员"):
        import_roll(
            actor=roll["actor"],
            org=roll["xiaodian"],
            path=copy_of("roll-2008-taiyuan.csv", tmp_path),
            initial_load=True,
        )
    assert db_fingerprint() == before and index_definitions() == indexes


def test_members_elsewhere_do_not_stop_an_initial_load(roll, tmp_path):
    join(OrgFactory(kind=Org.Kind.GRASSROOTS, parent=roll["pingcheng"]), name="李四")
    indexes = index_definitions()
    result = import_roll(
        actor=roll["actor"],
        org=roll["union"],
        path=copy_of("roll-2008-taiyuan.csv", tmp_path),
        save_good_rows=True,
        initial_load=True,
    )
    assert result.saved and result.new == 211
    assert index_definitions() == indexes  # every index built again
    entry = AuditEntry.objects.get(model="members.member", object_id="import")
    assert "首次批量导入" in str(entry.changes)


def test_a_rejected_initial_load_leaves_the_database_exactly_as_it_was(roll, tmp_path):
    join(OrgFactory(kind=Org.Kind.GRASSROOTS, parent=roll["pingcheng"]), name="李四")
    before, indexes = db_fingerprint(), index_definitions()
    result = import_roll(
        actor=roll["actor"],
        org=roll["union"],
        path=copy_of("roll-2008-taiyuan.xlsx", tmp_path),
        initial_load=True,
    )
    assert not result.saved and result.rejected == 29 and result.ready == 211
    assert db_fingerprint() == before and index_definitions() == indexes


def test_an_initial_load_failing_at_the_end_leaves_the_database_exactly_as_it_was(
    roll, tmp_path, monkeypatch
):
    before, indexes = db_fingerprint(), index_definitions()

    def fail(self):
        assert Member.objects.count() == 211  # written, indexes rebuilt: then it fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer.RollImporter, "record", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        import_roll(
            actor=roll["actor"],
            org=roll["union"],
            path=copy_of("roll-2008-taiyuan.csv", tmp_path),
            save_good_rows=True,
            initial_load=True,
        )
    assert db_fingerprint() == before and index_definitions() == indexes


def test_import_roll_command_initial_load(roll, tmp_path):
    path = copy_of("roll-2008-taiyuan.csv", tmp_path)
    args = {"user": roll["actor"].username, "org": roll["union"].pk, "save_good_rows": True}
    call_command("import_roll", str(path), initial_load=True, **args)
    assert Member.objects.count() == 211
    with pytest.raises(CommandError, match="已有会员"):
        call_command("import_roll", str(path), initial_load=True, **args)


def rewritten(path, form: str):
    """The same roll as a CSV with every cell quoted, or as a workbook."""
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    if form == "quoted csv":
        path = path.with_name("quoted.csv")
        with open(path, "w", encoding="utf-8", newline="") as stream:
            csv.writer(stream, quoting=csv.QUOTE_ALL).writerows(rows)
    elif form == "xlsx":
        path = path.with_suffix(".xlsx")
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        workbook.save(path)
    return path


@pytest.mark.parametrize(
    "initial_load,form",
    [(False, "csv"), (True, "csv"), (True, "quoted csv"), (True, "xlsx")],
)
def test_checking_in_a_pool_of_processes_gives_exactly_what_one_process_gives(
    roll, initial_load, form, tmp_path, monkeypatch
):
    """Same members, spells, counts, errors and rejected-rows workbook (row numbers, order).
    The first load reads a quote-free CSV in blocks of bytes, anything else as rows."""
    path = tmp_path / "generated.csv"
    known = write_generated_roll(path, random.Random(7))
    path = rewritten(path, form)
    datong_union = OrgFactory(kind=Org.Kind.GRASSROOTS, parent=roll["pingcheng"])
    monkeypatch.setattr(importer, "BATCH_SIZE", 37)  # many batches, duplicates across them
    monkeypatch.setattr(bulk_load, "BLOCK_ROWS", 37)
    monkeypatch.setattr(bulk_load, "BLOCK_BYTES", 3000)  # about 37 rows of the CSV
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    seen = []
    for min_rows in (10**9, 0):  # one process, then a pool
        monkeypatch.setattr(importer, "PARALLEL_MIN_ROWS", min_rows)
        monkeypatch.setattr(bulk_load, "PARALLEL_MIN_ROWS", min_rows)
        with transaction.atomic():
            join(datong_union, id_number=known["in_datong"], name="陈敏")
            result = import_roll(
                actor=roll["actor"],
                org=roll["union"],
                path=path,
                save_good_rows=True,
                rejects_dir=tmp_path / f"rejects-{min_rows}",
                initial_load=initial_load,
            )
            seen.append({"result": outcome(result), **roll_state()})
            transaction.set_rollback(True)
    assert seen[1] == seen[0]
    assert seen[0]["result"]["rejected"] == 6 and seen[0]["result"]["new"] == 394
