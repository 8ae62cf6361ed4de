"""建功立业 end to end, in Chromium: a county clerk enters a proposal of two workers; a city
reviewer takes it through 部门初审, the committee's score sheet and 采纳; the clerk records
its implementation with the value confirmed and then the reward; each step is dated and
signed on the proposal's page, and another city's reviewer gets 404."""

import pytest

from unionworks.achievement.models import Proposal
from unionworks.achievement.tests.factories import accounts, new_id_number
from unionworks.core.tests.factories import UserFactory
from unionworks.tests.conftest import log_in

pytestmark = pytest.mark.browser


def _step(tab, name: str, fields: dict, selects: dict | None = None) -> None:
    tab.click(f"a[data-step={name}]")
    for selector, value in (selects or {}).items():
        tab.select_option(selector, value)
    for selector, value in fields.items():
        tab.fill(selector, value)
    tab.click("form.panel button[type=submit]")
    tab.wait_for_url("**/achievement/proposals/*/")


def test_a_proposal_goes_from_entry_to_reward(page, world):  # noqa: F811
    base = page.base_url
    accounts(world)
    UserFactory(username="datong_reviewer", org=world["datong"], role="reviewer")

    # The county clerk enters the proposal; a wrong ID number is refused on the field.
    log_in(page, "grassroots_editor", world["password"])
    page.goto(f"{base}/achievement/proposals/new/")
    page.fill("#id_unit", world["taiyuan_unit"].credit_code)
    page.select_option("#id_category", "proposal")
    page.fill("#id_title", "改进皮带输送机托辊润滑方式")
    page.fill("#id_proposed_on", "2008-03-03")
    page.fill("#id_authors", "张建国 140105198001010012")
    page.fill("#id_estimated_value", "12000")
    page.click("form.panel button[type=submit]")
    assert "校验" in page.content()
    page.fill("#id_authors", f"张建国 {new_id_number()}\n李红 {new_id_number()}")
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/achievement/proposals/*/")
    assert page.locator("#proposal-status").inner_text() == "已提出"
    record = Proposal.objects.get(title="改进皮带输送机托辊润滑方式")
    assert record.authors.count() == 2
    url = page.url

    # The city reviewer: department review, the score sheet (capped by its band), adoption.
    page.context.clear_cookies()
    log_in(page, "taiyuan_reviewer", world["password"])
    page.goto(url)
    _step(page, "department", {"#id_on": "2008-03-10", "#id_opinion": "可行"}, {"#id_passed": "1"})
    assert page.locator("#proposal-status").inner_text() == "部门初审通过"
    page.click("a[data-step=score]")
    page.select_option("#id_value_band", "to_100k")
    for field, value in (("technical", "25"), ("economic", "35"), ("scope", "12"),
                         ("practicality", "13"), ("on", "2008-03-20")):  # fmt: skip
        page.fill(f"#id_{field}", value)
    page.click("form.panel button[type=submit]")
    assert "上限20分" in page.content()
    page.fill("#id_economic", "18")
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/achievement/proposals/*/")
    assert "合计68分" in page.locator("#proposal-steps").inner_text()
    _step(page, "decide", {"#id_on": "2008-03-25"}, {"#id_adopt": "1"})
    assert page.locator("#proposal-status").inner_text() == "已采纳"

    # The clerk records the implementation and the reward.
    page.context.clear_cookies()
    log_in(page, "grassroots_editor", world["password"])
    page.goto(url)
    _step(page, "implement", {"#id_on": "2008-04-15", "#id_confirmed_value": "123456.78",
                              "#id_confirmed_savings": "2000"})  # fmt: skip
    assert page.locator("#confirmed-value").inner_text() == "123,456.78"
    _step(page, "reward", {"#id_on": "2008-05-01", "#id_amount": "800"})
    assert page.locator("#proposal-status").inner_text() == "已奖励"
    steps = page.locator("#proposal-steps").inner_text()
    for day in ("2008-03-03", "2008-03-10", "2008-03-20", "2008-03-25", "2008-04-15", "2008-05-01"):
        assert day in steps
    assert "taiyuan_reviewer" in steps and "grassroots_editor" in steps
    record.refresh_from_db()
    assert record.status == "rewarded" and str(record.confirmed_value) == "123456.78"

    # Another city's reviewer: 404.
    page.context.clear_cookies()
    log_in(page, "datong_reviewer", world["password"])
    assert page.goto(url).status == 404
