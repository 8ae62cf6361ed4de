"""The member-roll issue's task end to end, in Chromium: upload a messy roll, get the
rejected rows back with their reasons, and nothing half-saved."""

import json

import pytest
from openpyxl import load_workbook

from unionworks.core.tests.factories import UnitFactory
from unionworks.members.models import Member
from unionworks.members.tests.test_import import EMPLOYERS, sample
from unionworks.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_clerk_uploads_a_roll_with_bad_rows_and_reads_the_reasons(page, world, settings, tmp_path):
    settings.TASKS_MODE = "eager"
    settings.MEDIA_ROOT = tmp_path
    for name in EMPLOYERS:
        UnitFactory(name=name, org=world["township"], union=world["grassroots"])
    expected = json.loads(sample("roll-2008-taiyuan.expected.json").read_text(encoding="utf-8"))

    log_in(page, "taiyuan", world["password"])
    page.goto(f"{page.base_url}/members/")
    page.click("text=导入花名册")
    page.select_option("#id_org", str(world["grassroots"].pk))
    page.set_input_files("#id_file", str(sample("roll-2008-taiyuan.xlsx")))
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/imports/task/*/")
    assert "有错误的行" in page.inner_text(".task-result")
    assert Member.objects.count() == 0, "all-or-nothing: a file with bad rows saves nothing"

    with page.expect_download() as download_info:
        page.click("text=下载出错行")
    path = tmp_path / "rejects.xlsx"
    download_info.value.save_as(path)
    rows = list(load_workbook(path).active.values)
    header = rows[0]
    row_no, reason = header.index("行号"), header.index("原因")
    reasons = {int(r[row_no]): r[reason] for r in rows[1:] if r[reason]}
    for number, keyword in expected["bad"].items():
        assert keyword in reasons[int(number)], (number, keyword, reasons.get(int(number)))
