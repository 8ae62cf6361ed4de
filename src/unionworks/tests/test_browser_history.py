"""Issue 11 end to end, in Chromium: a county admin founds a union covering two units and
the county's 建会率 rises from the founding date, not before."""

import datetime as dt

import pytest

from unionworks.core.tests.factories import UnitFactory, UserFactory
from unionworks.orgs.models import Org
from unionworks.tests.conftest import log_in

pytestmark = pytest.mark.browser


def coverage_rate(page, base, county, day: str) -> str:
    page.goto(f"{base}/members/coverage/?org={county.pk}&as_of={day}&period_start=2008-01-01")
    headings = [h.strip() for h in page.locator("table thead th").all_inner_texts()]
    first_row = page.locator("table tbody tr").first.locator("th, td").all_inner_texts()
    return first_row[headings.index("建会率")].strip()


def test_founding_a_union_raises_the_countys_coverage_from_its_founding_date(page, world):
    base = page.base_url
    for name in ("坞城五金店", "坞城面馆"):
        UnitFactory(name=name, org=world["township"], established_on=dt.date(2005, 1, 1))
    UserFactory(username="xiaodian", org=world["xiaodian"], role="admin")
    log_in(page, "xiaodian", world["password"])
    county = world["xiaodian"]
    before = {d: coverage_rate(page, base, county, d) for d in ("2008-06-30", "2008-07-01")}
    assert before == {"2008-06-30": "33.3%", "2008-07-01": "33.3%"}

    page.goto(f"{base}/orgs/{world['township'].pk}/")
    page.click("a:has-text('组建工会')")
    page.fill("#id_name", "坞城联合基层工会")
    page.select_option("#id_form", "joint")
    page.fill("#id_founded_on", "2008-07-01")
    page.fill("#id_chair", "李明")
    page.locator("label", has_text="坞城五金店").click()
    page.locator("label", has_text="坞城面馆").click()
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/orgs/*/")
    assert "坞城联合基层工会" in page.locator("h1").inner_text()
    assert Org.objects.get(name="坞城联合基层工会").founded_on == dt.date(2008, 7, 1)

    assert coverage_rate(page, base, county, "2008-06-30") == "33.3%"
    assert coverage_rate(page, base, county, "2008-07-01") == "100.0%"
    page.goto(f"{base}/orgs/{Org.objects.get(name='坞城联合基层工会').pk}/history/")
    assert "组建" in page.locator("table").first.inner_text()
