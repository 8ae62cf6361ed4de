"""实力强会工程 end to end, in Chromium: the provincial clerk imports the tax office's list,
opens the receipt it made, and follows each level's share to that level's ledger."""

import pytest
from openpyxl import Workbook

from unionworks.finance.models import FundReceipt
from unionworks.finance.tests.factories import scheme
from unionworks.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_an_imported_receipt_reaches_the_ledger_of_each_level(page, world, settings, tmp_path):
    settings.TASKS_MODE = "eager"
    settings.MEDIA_ROOT = tmp_path
    scheme(world)
    book = Workbook()
    book.active.append(
        ["统一社会信用代码", "单位名称", "所属期", "工资总额", "代征金额", "入库日期"]
    )
    book.active.append(
        [world["taiyuan_unit"].credit_code, "太原重机", "2008-03", 100000, 2000, "2008-04-10"]
    )
    book.active.append(["911401007011234569", "不存在", "2008-03", 1000, 20, "2008-04-10"])
    path = tmp_path / "小店区代征清单.xlsx"
    book.save(path)
    base = page.base_url

    log_in(page, "admin", world["password"])
    page.goto(f"{base}/finance/")
    page.click("text=导入税务代征清单")
    page.select_option("#id_org", str(world["xiaodian"].pk))
    page.set_input_files("#id_file", str(path))
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/imports/task/*/")
    # a row that matches no unit: nothing saved, the reason given
    assert FundReceipt.objects.count() == 0
    assert "未通过" in page.inner_text("main")

    # saving the good rows
    page.goto(f"{base}/imports/tax_receipts/")
    page.select_option("#id_org", str(world["xiaodian"].pk))
    page.set_input_files("#id_file", str(path))
    page.check("#id_save_good_rows")
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/imports/task/*/")
    assert FundReceipt.objects.count() == 1

    page.goto(f"{base}/finance/")
    page.click("text=2008-04-10")
    page.wait_for_url("**/finance/receipts/*/")
    shares = page.locator("#shares tbody tr")
    assert shares.count() == 5
    assert "全国总工会" in shares.nth(4).inner_text() and "100.00" in shares.nth(4).inner_text()

    expected = {  # the level's union → its own share and what it passed up, for the year
        "太原重型机械有限公司工会": ("1,200.00", "0.00"),
        "小店区总工会": ("200.00", "600.00"),
        "太原市总工会": ("300.00", "300.00"),
        "山西省总工会": ("200.00", "100.00"),
    }
    receipt_url = page.url
    for name, (own, passed_up) in expected.items():
        page.goto(receipt_url)
        page.locator("#shares").get_by_role("link", name=name).click()
        page.wait_for_url("**/finance/ledger/*")
        assert name in page.inner_text("h1")
        assert page.inner_text("#ledger tfoot [data-col=own]") == own, name
        assert page.inner_text("#ledger tfoot [data-col=passed_up]") == passed_up, name
    # the county collected it: it returned the grassroots union's 60 %
    assert page.inner_text("#ledger tfoot [data-col=returned_down]") == "0.00"
    page.goto(f"{base}/finance/ledger/?org={world['xiaodian'].pk}&year=2008")
    assert page.inner_text("#ledger tfoot [data-col=returned_down]") == "1,200.00"

    # another city's clerk gets 404 on the receipt
    page.context.clear_cookies()
    log_in(page, "datong", world["password"])
    assert page.goto(receipt_url).status == 404
