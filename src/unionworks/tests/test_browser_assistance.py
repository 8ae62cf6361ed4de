"""帮扶工程 end to end, in Chromium: a county clerk proposes a hardship worker for 送温暖, a
city reviewer approves, the clerk records the payment and the campaign's balance drops."""

import datetime as dt

import pytest

from unionworks.assistance.models import Disbursement
from unionworks.assistance.tests.factories import accounts, campaign, open_file, raise_funds
from unionworks.core.identity import ID_FIELD
from unionworks.core.personal_data import unseal
from unionworks.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_a_disbursement_goes_from_proposal_through_approval_to_payment(page, world):
    base = page.base_url
    accounts(world)
    warmth = campaign(world, name="2008年“两节”送温暖")
    raise_funds(warmth, world["taiyuan"], "1000.00")
    file = open_file(world["xiaodian"], opened_on=dt.date(2007, 6, 1), name="王建国")
    number = unseal(file.id_number_cipher, field=ID_FIELD)

    # The county clerk proposes the hardship worker (who has an open file).
    log_in(page, "xiaodian_editor", world["password"])
    page.goto(f"{base}/assistance/campaigns/{warmth.pk}/")
    assert "1,000.00" in page.locator("[data-figure=balance]").inner_text()
    page.click("text=提名发放对象")
    page.select_option("#id_org", str(world["township"].pk))
    page.fill("#id_id_number", number)
    page.fill("#id_name", "王建国")
    page.select_option("#id_category", "hardship")
    page.fill("#id_cash", "300")
    page.fill("#id_goods_value", "50")
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/assistance/disbursements/*/")
    assert page.locator("#status").inner_text() == "待审核"
    record = Disbursement.objects.get(campaign=warmth)
    assert record.hardship_file == file

    # A city reviewer finds it in the queue and approves it.
    page.context.clear_cookies()
    log_in(page, "taiyuan_reviewer", world["password"])
    page.goto(f"{base}/assistance/review/")
    row = page.locator("#review-table tr", has_text="王建国")
    row.get_by_role("button", name="批准", exact=True).click()
    page.wait_for_load_state()
    assert "已批准“王建国”" in page.locator(".msg-success").inner_text()
    assert page.locator("#review-table").get_by_text("王建国").count() == 0

    # The clerk records the payment; the campaign's balance shows what is left.
    page.context.clear_cookies()
    log_in(page, "xiaodian_editor", world["password"])
    page.goto(f"{base}/assistance/disbursements/{record.pk}/")
    assert page.locator("#status").inner_text() == "已批准"
    page.click("button:has-text('登记发放')")
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "已发放"
    record.refresh_from_db()
    assert record.status == "paid" and str(record.total) == "350.00"
    page.goto(f"{base}/assistance/campaigns/{warmth.pk}/")
    assert page.locator("[data-figure=paid]").inner_text() == "350.00"
    assert page.locator("[data-figure=balance]").inner_text() == "650.00"

    # Another city's reviewer gets 404 on the record.
    page.context.clear_cookies()
    log_in(page, "datong_reviewer", world["password"])
    assert page.goto(f"{base}/assistance/disbursements/{record.pk}/").status == 404
