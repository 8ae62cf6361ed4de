"""The eight-project lens end to end, in Chromium: province → city → county on a dashboard."""

import datetime as dt

import pytest

from unionworks.members.tests.factories import join, new_id_number
from unionworks.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_province_admin_walks_the_foundation_dashboard_down_and_back_up(page, world):
    for on in (dt.date(2007, 6, 1), dt.date(2008, 3, 1), dt.date(2008, 5, 1)):
        join(world["grassroots"], id_number=new_id_number(), on=on)
    base = page.base_url
    log_in(page, "admin", world["password"])

    # The menu leads to the project's dashboard for the user's own org.
    page.goto(f"{base}/stats/dashboards/")
    page.locator(".sidenav a", has_text="夯基工程").click()
    page.wait_for_url("**/stats/dashboards/foundation/")
    assert page.locator("h1").inner_text() == "夯基工程：山西省总工会"
    cards = page.locator(".key-figure")
    assert cards.count() == 4
    assert "3" in cards.filter(has_text="会员数").locator(".stat-value").inner_text()

    # Both charts are drawn by ECharts (a canvas inside each chart box).
    page.locator("#trend-chart canvas").wait_for()
    page.locator("#children-chart canvas").wait_for()
    assert page.locator("#trend-chart").bounding_box()["height"] >= 200

    # Another indicator's trend is asked for when it is picked, then drawn.
    page.locator('[data-chart-select="trend-chart"]').select_option("members")
    page.wait_for_function(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('trend-chart'));"
        " const s = c && c.getOption().series[0]; return s && s.name.includes('会员') &&"
        " s.data.length === 12; }"
    )

    # Down: the province → 太原市总工会 → 小店区总工会, through the children's table.
    page.locator(".children-table a", has_text="太原市总工会").click()
    page.wait_for_url(f"**org={world['taiyuan'].pk}*")
    assert page.locator("h1").inner_text() == "夯基工程：太原市总工会"
    page.locator("#trend-chart canvas").wait_for()
    page.locator(".children-table a", has_text="小店区总工会").click()
    page.wait_for_url(f"**org={world['xiaodian'].pk}*")
    assert page.locator("h1").inner_text() == "夯基工程：小店区总工会"
    breadcrumb = page.locator(".breadcrumb")
    assert "山西省总工会" in breadcrumb.inner_text() and "太原市总工会" in breadcrumb.inner_text()

    # Up again: the breadcrumb leads back to the province.
    breadcrumb.get_by_role("link", name="山西省总工会").click()
    page.wait_for_url(f"**org={world['province'].pk}*")
    assert page.locator("h1").inner_text() == "夯基工程：山西省总工会"
