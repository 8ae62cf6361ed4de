"""和谐劳动关系 end to end, in Chromium: a city clerk enters a township's regional collective
contract, records its filing with the labour bureau within 10 days, and with no objection
in the 15-day review it shows as in force, counts on the 和谐劳动关系 dashboard, and is
published to the workforce; another city's account gets 404 on it."""

import datetime as dt

import pytest
from django.utils import timezone

from unionworks.core.tests.factories import UnitFactory
from unionworks.relations.models import CollectiveContract
from unionworks.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_a_contract_goes_from_entry_through_filing_to_in_force(page, world):
    base = page.base_url
    today = timezone.localdate()
    signed = today - dt.timedelta(days=40)
    second = UnitFactory(name="坞城五金加工厂", org=world["township"], employees=60,
                         women_workers=20, migrant_workers=30)  # fmt: skip
    codes = f"{world['taiyuan_unit'].credit_code}、{second.credit_code}"

    # Entry: the regional contract, approved by the 职代会, covering two units.
    log_in(page, "taiyuan", world["password"])
    page.goto(f"{base}/relations/")
    page.click("text=登记集体合同")
    page.select_option("#id_org", str(world["township"].pk))
    page.fill("#id_number", "WC-2008-01")
    page.select_option("#id_kind", "wage")
    page.select_option("#id_scope", "regional")
    page.fill("#id_region_name", "坞城街道")
    page.fill("#id_units", codes)
    page.fill("#id_employer_party", "坞城街道企业方代表")
    page.fill("#id_union_party", "坞城街道工会")
    page.fill("#id_congress_approved_on", (signed - dt.timedelta(days=6)).isoformat())
    page.fill("#id_congress_present", "60")
    page.fill("#id_congress_votes_for", "55")
    page.fill("#id_signed_on", signed.isoformat())
    page.select_option("#id_term_years", "2")
    page.fill("#id_employees_covered", "1160")
    page.fill("#id_wage_rise", "8.5")
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/relations/contracts/*/")
    # Entered after the fact: the 10 days are over and nothing yet says it was filed.
    assert page.locator("#contract-state").inner_text() == "逾期未报送"
    record = CollectiveContract.objects.get(number="WC-2008-01")
    assert record.units.count() == 2

    # Filing: submitted to the labour bureau on the 8th day after signing.
    page.fill("#id_submitted_on", (signed + dt.timedelta(days=8)).isoformat())
    page.click("button:has-text('登记报送')")
    page.wait_for_load_state()
    assert "已登记报送审查" in page.locator(".msg-success").inner_text()
    assert "按期报送" in page.content()
    # No objection in the 15 days: in force from the day after.
    effective = signed + dt.timedelta(days=8 + 16)
    assert page.locator("#contract-state").inner_text() == "已生效"
    assert page.locator("#effective-on").inner_text() == effective.isoformat()
    record.refresh_from_db()
    assert record.in_force_on(today) and not record.in_force_on(effective - dt.timedelta(days=1))

    # Published to the workforce; the list of contracts in force has it.
    page.fill("#id_published_on", today.isoformat())
    page.click("button:has-text('登记公布')")
    page.wait_for_load_state()
    assert "已登记向职工公布" in page.locator(".msg-success").inner_text()
    page.goto(f"{base}/relations/?state=in_force")
    assert page.locator("table.grid").get_by_text("WC-2008-01").count() == 1

    # The 和谐劳动关系 dashboard counts it: one contract, regional, covering 1,160 workers.
    page.goto(f"{base}/stats/dashboards/relations/")
    card = page.locator("[data-indicator=collective_contracts] .stat-value")
    assert card.inner_text().startswith("1")
    assert (
        page.locator("[data-indicator=regional_contracts] .stat-value").inner_text().startswith("1")
    )
    assert "1,160" in page.locator("[data-indicator=contract_employees] .stat-value").inner_text()

    # Another city's account gets 404 on it.
    page.context.clear_cookies()
    log_in(page, "datong", world["password"])
    assert page.goto(f"{base}/relations/contracts/{record.pk}/").status == 404
