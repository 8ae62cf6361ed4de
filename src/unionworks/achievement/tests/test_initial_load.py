"""The proposal list's bulk first load (``initial_load=True``) gives what the normal import gives.

On PostgreSQL it is ``achievement.bulk_load`` (a pool of processes, COPY into tables whose
indexes and constraints are rebuilt after); on SQLite the flag runs the normal import,
refusal included. Both databases run every test but the ones about the rebuild.
"""

import csv
import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from openpyxl import Workbook, load_workbook

from unionworks.achievement import bulk_load
from unionworks.achievement.importers import ProposalImporter, import_proposals
from unionworks.achievement.models import Proposal, ProposalAuthor
from unionworks.achievement.tests.factories import new_id_number, proposal
from unionworks.core import changes, parallel
from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD
from unionworks.core.models import AuditEntry
from unionworks.core.periods import year
from unionworks.core.personal_data import unseal
from unionworks.core.tests.factories import UnitFactory
from unionworks.stats.values import evaluate

pytestmark = pytest.mark.django_db

TODAY = dt.date(2008, 9, 30)
HEADER = ["建议编号", "统一社会信用代码", "类别", "题目", "现状", "建议措施", "提出日期", "提出人",
          "身份证号", "预计创造价值（元）", "是否采纳", "采纳日期", "实施日期", "创造价值（元）",
          "节约（元）"]  # fmt: skip
TABLES = [Proposal._meta.db_table, ProposalAuthor._meta.db_table]


def only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the bulk first load is PostgreSQL's; SQLite runs the normal import")


def write_list(path, world, rng: random.Random, *, rows: int = 160, bad: bool = True) -> None:
    """A quote-free CSV: good rows (one in five with two authors) for two units of Taiyuan,
    and, with ``bad``, every kind of reject, numbers repeated near and far (across blocks),
    and rows matching a proposal already on record (unchanged) or not (another title)."""
    codes = [world["taiyuan_unit"].credit_code, world["taiyuan_unit_2"].credit_code]
    out = []
    for i in range(1, rows + 1):
        people = [(rng.choice("张李王赵") + rng.choice("建国红梅"), new_id_number())]
        if i % 5 == 0:
            people.append(("刘" + rng.choice("强芳"), new_id_number()))
        adopted = rng.random() < 0.6
        out.append(
            [f"2008-{i:04d}", codes[i % 2], rng.choice(["合理化建议", "小窍门", "技术创新"]),
             f"关于改进工序{i}的建议", "能耗偏高" if i % 3 else "", "加装\\计量装置" if i % 7 == 0 else "",
             f"2008-0{1 + i % 6}-1{i % 10}", "、".join(n for n, _ in people),
             "、".join(n for _, n in people), f"{rng.randrange(0, 50000)}.{i % 100:02d}",
             "是" if adopted else rng.choice(["否", ""]), "", "2008-08-01" if adopted else "",
             "1234.5" if adopted else "", "12" if adopted else ""]
        )  # fmt: skip
    if bad:
        code, datong = codes[0], world["datong_unit"].credit_code
        ok = new_id_number()
        out[3][2] = "大发明"
        out[5][8] = "140105198001010012"  # check digit
        out[8][7] = "张三、李四"  # one ID number for two names
        out[11][1] = datong  # outside the subtree
        out[12][1] = "91140100MA0XXXXXX0"  # no such unit
        out[14][10:13] = ["否", "", "2008-08-01"]  # implemented, not adopted
        out[17][13] = "1.234"
        out[20][6] = "2009-03-01"  # in the future
        out[21][6] = "2008-13-45"
        out[22][3] = ""  # no title
        out[23][0] = ""  # no number
        out += [
            [out[30][0], out[30][1], "小窍门", "编号重复", "", "", "2008-03-01", "张三", ok, "", "", "", "", "", ""],
            [out[150][0], out[150][1], "小窍门", "远处重复", "", "", "2008-03-01", "张三", ok, "", "", "", "", "", ""],
            # Repeated, and wrong on its own too: both said.
            [out[40][0], out[40][1], "大发明", "重复且类别错", "", "", "2008-03-01", "张三", ok, "", "", "", "", "", ""],
            # Repeated, and its unit outside: only the repetition said (as one pass says it).
            [f"2008-{9000:04d}", datong, "小窍门", "外市", "", "", "2008-03-01", "张三", ok, "", "", "", "", "", ""],
            [f"2008-{9000:04d}", datong, "小窍门", "外市重复", "", "", "2008-03-01", "张三", ok, "", "", "", "", "", ""],
            # On record for this unit under an org outside Taiyuan (the unit moved in).
            ["2008-5000", code, "合理化建议", "旧的建议", "", "", "2008-03-01", "张三", ok, "", "", "", "", "", ""],
            ["2008-5001", code, "合理化建议", "另一个题目", "", "", "2008-03-01", "张三", ok, "", "", "", "", "", ""],
        ]  # fmt: skip
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(out)


def rewritten(path, form: str):
    """The same list as a CSV with every cell quoted, or as a workbook."""
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    if form == "quoted csv":
        path = path.with_name("quoted.csv")
        with open(path, "w", encoding="utf-8", newline="") as stream:
            csv.writer(stream, quoting=csv.QUOTE_ALL).writerows(rows)
    elif form == "xlsx":
        path = path.with_suffix(".xlsx")
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    return path


@pytest.fixture
def listing(world):
    world["taiyuan_unit_2"] = UnitFactory(org=world["township"], union=world["grassroots"])
    # On record for a Taiyuan unit, counted at Datong: the subtree is still empty.
    Proposal.objects.create(
        org=world["datong"], unit=world["taiyuan_unit"], number="2008-5000",
        category="proposal", title="旧的建议", proposed_on=dt.date(2008, 2, 1),
    )  # fmt: skip
    Proposal.objects.create(
        org=world["datong"], unit=world["taiyuan_unit"], number="2008-5001",
        category="proposal", title="旧的题目", proposed_on=dt.date(2008, 2, 1),
    )  # fmt: skip
    return world


def state() -> dict:
    proposals = sorted(
        Proposal.objects.values_list(
            "unit_id", "number", "org_id", "category", "title", "status_quo", "measure",
            "estimated_value", "estimated_savings", "confirmed_value", "confirmed_savings",
            "status", "authors_count", "proposed_on", "proposed_by_id", "decided_on",
            "implemented_on", "reward_amount", "dept_opinion", "decision_note",
        )
    )  # fmt: skip
    authors = sorted(
        (a.proposal.unit_id, a.proposal.number, a.org_id, a.proposed_on, a.name, a.sex,
         a.birth_date, unseal(bytes(a.id_number_cipher), field=ID_FIELD), a.id_number_index,
         a.id_number_mask)
        for a in ProposalAuthor.objects.select_related("proposal")
    )  # fmt: skip
    return {"proposals": proposals, "authors": authors}


def outcome(result) -> dict:
    data = result.as_dict()
    rejects = data.pop("rejects_path")
    data["rejects"] = (
        [list(r) for r in load_workbook(rejects).active.iter_rows(values_only=True)]
        if rejects
        else None
    )
    return data


def run(world, path, tmp_path, **options):
    return import_proposals(
        actor=world["taiyuan_admin"], org=world["taiyuan"], path=path,
        rejects_dir=tmp_path / "rejects", today=TODAY, **options,
    )  # fmt: skip


def both_modes(world, path, tmp_path, **options) -> tuple[dict, dict]:
    """The normal import, then the first load, each in a savepoint rolled back after."""
    seen = []
    for initial_load in (False, True):
        with transaction.atomic():
            result = run(world, path, tmp_path, initial_load=initial_load, **options)
            seen.append({"result": outcome(result), **state()})
            transaction.set_rollback(True)
    return seen[0], seen[1]


def definitions() -> list[tuple]:
    """Every index and constraint of the two tables, by name and definition."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
            [TABLES, TABLES],
        )
        return cursor.fetchall()


@pytest.mark.parametrize("form", ["csv", "quoted csv", "xlsx"])
@pytest.mark.parametrize("save_good_rows", [False, True])
def test_the_first_load_gives_exactly_what_the_normal_import_gives(
    listing, form, save_good_rows, tmp_path
):
    """Same rejects (row, column, reason, in order), counts, workbook and records."""
    path = tmp_path / "建议.csv"
    write_list(path, listing, random.Random(3))
    path = rewritten(path, form)
    normal, first = both_modes(listing, path, tmp_path, save_good_rows=save_good_rows)
    assert first == normal
    result = normal["result"]
    assert result["rejected"] == 17 and result["unchanged"] == 1
    assert result["saved"] == save_good_rows
    errors = result["errors"]
    assert errors[0].startswith("第5行“类别”列：类别“大发明”无法识别")
    assert "第162行“建议编号”列：与第32行建议编号重复" in errors
    assert errors[-6:] == [
        "第163行“建议编号”列：与第152行建议编号重复",
        errors[-5],  # its own error first
        "第164行“建议编号”列：与第42行建议编号重复",
        "第165行“统一社会信用代码”列：该单位不在本工会及下级工会范围内",
        "第166行“建议编号”列：与第165行建议编号重复",  # and nothing about its unit
        "第168行“建议编号”列：该单位已有编号为“2008-5001”的建议（题目为“旧的题目”）",
    ]
    assert errors[-5].startswith("第164行“类别”列")


@pytest.mark.postgres
@pytest.mark.parametrize("form", ["csv", "quoted csv", "xlsx"])
def test_checking_in_a_pool_of_processes_gives_exactly_what_one_process_gives(
    listing, form, tmp_path, monkeypatch
):
    only_postgres()
    path = tmp_path / "建议.csv"
    write_list(path, listing, random.Random(5), rows=400)
    path = rewritten(path, form)
    monkeypatch.setattr(bulk_load, "BLOCK_ROWS", 37)
    monkeypatch.setattr(bulk_load, "BLOCK_BYTES", 3000)  # about 20 rows of the CSV
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    seen = []
    for min_rows in (10**9, 0):  # one process, then a pool
        monkeypatch.setattr(bulk_load, "PARALLEL_MIN_ROWS", min_rows)
        for save_good_rows in (False, True):
            with transaction.atomic():
                result = run(
                    listing, path, tmp_path, initial_load=True, save_good_rows=save_good_rows
                )
                seen.append({"result": outcome(result), **state()})
                transaction.set_rollback(True)
    assert seen[0] == seen[2] and seen[1] == seen[3]
    assert seen[1]["result"]["created"] == 400 - 11 and seen[1]["result"]["rejected"] == 17


@pytest.mark.postgres
def test_a_refused_first_load_rebuilds_nothing_and_leaves_everything_as_it_was(listing, tmp_path):
    only_postgres()
    path = tmp_path / "建议.csv"
    write_list(path, listing, random.Random(3))
    before, shape = state(), definitions()
    result = run(listing, path, tmp_path, initial_load=True)
    assert not result.saved and result.rejected == 17 and result.created == 0
    assert state() == before and definitions() == shape
    assert not AuditEntry.objects.filter(model="achievement.proposal").exists()


@pytest.mark.postgres
def test_the_constraints_are_rebuilt_and_checked_and_the_ids_follow(listing, tmp_path):
    only_postgres()
    path = tmp_path / "建议.csv"
    write_list(path, listing, random.Random(3), bad=False)
    shape = definitions()
    assert {"proposal_number_per_unit", "proposal_author_once"} <= {n for n, _ in shape}
    result = run(listing, path, tmp_path, initial_load=True)
    assert result.saved and result.created == 160 and result.authors == 192
    assert definitions() == shape  # every index, unique and foreign key back, as it was
    # The sequence is past the new ids; the unique constraint holds again.
    later = proposal(listing, number="2008-9999")
    assert later.pk > max(Proposal.objects.exclude(pk=later.pk).values_list("pk", flat=True))
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            org=listing["grassroots"], unit=listing["taiyuan_unit"], number="2008-0002",
            category="proposal", title="重复", proposed_on=dt.date(2008, 3, 1),
        )  # fmt: skip
    # The same list again, in the normal mode: every row on record already.
    again = run(listing, path, tmp_path)
    assert again.saved and again.unchanged == 160 and again.created == 0


@pytest.mark.postgres
def test_a_row_the_rebuilt_constraints_refuse_fails_the_load(listing, tmp_path, monkeypatch):
    """A foreign key is checked when it is added back: a row pointing at no unit fails the
    whole load (in Chinese), and the tables, indexes and constraints are as they were."""
    only_postgres()
    path = tmp_path / "建议.csv"
    write_list(path, listing, random.Random(3), bad=False, rows=20)
    prepare = bulk_load._BulkLoad.prepare

    def broken(self):
        prepare(self)
        code = listing["taiyuan_unit"].credit_code
        self.units[code] = (10**9, *self.units[code][1:])  # a unit that does not exist

    monkeypatch.setattr(bulk_load._BulkLoad, "prepare", broken)
    before, shape = state(), definitions()
    with pytest.raises(DomainError, match="首次批量导入未通过数据库约束检查"):
        run(listing, path, tmp_path, initial_load=True)
    assert state() == before and definitions() == shape


def test_a_subtree_holding_proposals_is_refused_in_chinese(listing, tmp_path):
    path = tmp_path / "建议.csv"
    write_list(path, listing, random.Random(3), bad=False, rows=5)
    proposal(listing)  # at the grassroots union, inside Taiyuan
    with pytest.raises(DomainError, match="“太原市总工会”及其下级组织已有合理化建议"):
        run(listing, path, tmp_path, initial_load=True)
    assert Proposal.objects.count() == 3
    assert run(listing, path, tmp_path).created == 5  # the normal import still goes


def test_proposals_elsewhere_do_not_stop_a_first_load(listing, tmp_path):
    path = tmp_path / "建议.csv"
    write_list(path, listing, random.Random(3), bad=False, rows=5)
    proposal(listing, unit=listing["datong_unit"])  # at Datong
    result = run(listing, path, tmp_path, initial_load=True)
    assert result.saved and result.created == 5


def test_the_figures_and_change_notes_are_fresh_after_a_first_load(listing, tmp_path):
    path = tmp_path / "建议.csv"
    write_list(path, listing, random.Random(3), bad=False)
    taiyuan = listing["taiyuan"]
    wanted = ["proposals", "proposal_workers", "proposal_value"]
    assert evaluate(taiyuan, year(2008), wanted)[taiyuan.pk].figures["proposals"] == 0
    mark = changes.start_mark()
    result = run(listing, path, tmp_path, initial_load=True)
    assert result.saved
    notes = changes.read_since(mark)
    assert (taiyuan.pk, changes.Change.Scope.SUBTREE) in {(n.org_id, n.scope) for n in notes}
    figures = evaluate(listing["province"], year(2008), wanted)
    for key, count in (("province", 162), ("taiyuan", 160), ("grassroots", 160)):
        assert figures[listing[key].pk].figures["proposals"] == count, key  # 2 at Datong
        assert figures[listing[key].pk].figures["proposal_workers"] == 192, key
    entry = AuditEntry.objects.get(model="achievement.proposal", object_id="import")
    assert "首次批量导入" in str(entry.changes) and entry.org == taiyuan


def test_import_proposals_command_initial_load(listing, tmp_path):
    path = tmp_path / "建议.csv"
    write_list(path, listing, random.Random(3), bad=False, rows=12)
    args = {"user": listing["taiyuan_admin"].username, "org": listing["taiyuan"].pk}
    call_command("import_proposals", str(path), initial_load=True, **args)
    assert Proposal.objects.filter(org=listing["grassroots"]).count() == 12
    with pytest.raises(CommandError, match="已有合理化建议"):
        call_command("import_proposals", str(path), initial_load=True, **args)


def test_the_flag_is_refused_early_before_any_row_is_read(listing, tmp_path):
    proposal(listing)
    job = ProposalImporter(
        actor=listing["taiyuan_admin"], org=listing["taiyuan"], initial_load=True, today=TODAY
    )
    path = tmp_path / "建议.csv"
    write_list(path, listing, random.Random(3), bad=False, rows=3)
    with pytest.raises(DomainError) as caught:
        job.run(path, tmp_path)
    assert caught.value.field == "initial_load" and job.result.rows == 0
