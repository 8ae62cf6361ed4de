"""The foundation issue's task end to end, in Chromium: a city admin keeps its units."""

import random

import pytest

from unionworks.core.creditcode import make_credit_code
from unionworks.orgs.models import Unit
from unionworks.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_city_admin_creates_a_unit_and_another_city_cannot_see_it(page, world):
    base = page.base_url
    log_in(page, "taiyuan", world["password"])
    # The tree starts at the user's own org and opens one level at a time.
    page.goto(f"{base}/orgs/")
    assert page.locator(".tree-root .node-name").inner_text() == "太原市总工会"
    page.locator("summary", has_text="小店区总工会").click()
    page.locator(".node-name", has_text="坞城街道工会").wait_for()

    # A wrong credit code is refused with a message that says so, and nothing is saved.
    page.goto(f"{base}/units/new/")
    good_code = make_credit_code(random.Random(42), region_code="140105")
    bad_code = good_code[:-1] + ("0" if good_code[-1] != "0" else "1")
    page.fill("#id_name", "山西晋阳精密机械有限公司")
    page.fill("#id_credit_code", bad_code)
    page.select_option("#id_ownership", "private")
    page.select_option("#id_industry", "C")
    page.select_option("#id_org", str(world["township"].pk))
    page.fill("#id_employees", "120")
    page.fill("#id_migrant_workers", "30")
    page.fill("#id_women_workers", "50")
    page.click("form.panel button[type=submit]")
    assert "统一社会信用代码校验位不对" in page.locator(".field-error").first.inner_text()
    assert not Unit.objects.filter(name="山西晋阳精密机械有限公司").exists()

    # The right code saves it, and the list finds it.
    page.fill("#id_credit_code", good_code)
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/units/*/")
    unit = Unit.objects.get(credit_code=good_code)
    page.goto(f"{base}/units/?q=晋阳精密")
    assert "山西晋阳精密机械有限公司" in page.locator("table").inner_text()

    # Another city's account gets 404 on the page and on the API.
    page.context.clear_cookies()
    log_in(page, "datong", world["password"])
    assert page.goto(f"{base}/units/{unit.pk}/").status == 404
    assert page.goto(f"{base}/api/v1/units/{unit.pk}").status == 404
