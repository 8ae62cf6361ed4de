"""In Chromium, under the Content-Security-Policy: a full ID number typed into the roll's
search box never appears in a request URL or the address bar, the pages draw their charts
and ask their confirmations with nothing refused (the ``page`` fixture fails a test on any
CSP refusal)."""

import datetime as dt

import pytest

from unionworks.assistance.tests.factories import accounts, campaign, raise_funds
from unionworks.members.tests.factories import join, new_id_number
from unionworks.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_a_full_id_number_search_keeps_the_number_out_of_every_url(page, world):
    number = new_id_number(birth_date=dt.date(1971, 4, 2))
    member = join(world["grassroots"], id_number=number, name="王建国")
    join(world["grassroots"], id_number=new_id_number(), name="李秀英")
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    log_in(page, "taiyuan", world["password"])
    page.goto(f"{page.base_url}/members/")
    page.locator("input[name=q]").press_sequentially(number, delay=20)
    page.wait_for_url("**idx=*")
    rows = page.locator("#member-table tbody tr")
    assert rows.count() == 1 and f"/members/{member.pk}/" in rows.first.inner_html()
    assert "idx=" in page.url and number not in page.url
    assert urls and not [u for u in urls if number in u]
    # The export carries the search as its mask and index.
    page.locator("a.btn", has_text="导出").click()
    assert "idx=" in page.url and number not in page.url


def test_charts_and_confirmations_work_under_the_policy(page, world):
    for on in (dt.date(2007, 6, 1), dt.date(2008, 3, 1)):
        join(world["grassroots"], id_number=new_id_number(), on=on)
    accounts(world)
    warmth = campaign(world, name="2008年“两节”送温暖")
    raise_funds(warmth, world["taiyuan"], "1000.00")
    log_in(page, "admin", world["password"])
    page.goto(f"{page.base_url}/stats/dashboards/foundation/")
    chart = page.locator("#trend-chart canvas")
    chart.wait_for()
    # The tooltip's drawing runs under the policy too. (hover waits at most the page's
    # timeout; a bare mouse move would wait for ever on a renderer that hangs.)
    page.locator("#trend-chart").hover()
    page.goto(f"{page.base_url}/assistance/campaigns/{warmth.pk}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("form[data-confirm] button").first.click()
    assert page.url.endswith(f"/assistance/campaigns/{warmth.pk}/"), "dismissed: nothing sent"
    assert page.locator("form[data-confirm]").count() == 1
    assert page.csp_violations == []
