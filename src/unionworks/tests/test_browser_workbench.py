"""A reviewer's morning, in Chromium: log in, see on the 工作台 how many disbursements
wait, approve three at once on the review queue, and see the count drop."""

import pytest

from unionworks.assistance.models import Disbursement
from unionworks.assistance.tests.factories import accounts, campaign, propose, raise_funds
from unionworks.core.models import AuditEntry
from unionworks.tests.conftest import log_in

pytestmark = pytest.mark.browser

TODO = "[data-todo='assistance.disbursements_to_review']"


def test_a_reviewer_approves_three_at_once_and_the_count_drops(page, world):
    base = page.base_url
    accounts(world)
    warmth = campaign(world, name="2008年“两节”送温暖")
    raise_funds(warmth, world["taiyuan"], "5000.00")
    names = ["李秀英", "张伟", "王芳", "刘洋"]
    records = [propose(warmth, world["xiaodian"], name=name) for name in names]

    # Logging in lands on the 工作台, which says four proposals wait.
    log_in(page, "taiyuan_reviewer", world["password"])
    assert page.url.rstrip("/") == base
    assert page.locator(f"{TODO} .todo-count").inner_text() == "4"

    # The count opens the review queue; three are ticked and approved at once.
    page.locator(f"{TODO} a").click()
    page.wait_for_url("**/assistance/review/")
    for name in names[:3]:
        page.get_by_label(f"选择{name}").check()
    page.get_by_role("button", name="批准所选", exact=True).click()
    page.wait_for_load_state()
    assert "已批准3人" in page.locator(".msg-success").inner_text()
    assert page.locator("#review-table").get_by_text("刘洋").count() == 1
    assert page.locator("#review-table").get_by_text("张伟").count() == 0

    # Back on the 工作台 one is left.
    page.click("a.brand")
    assert page.locator(f"{TODO} .todo-count").inner_text() == "1"
    statuses = [Disbursement.objects.get(pk=r.pk).status for r in records]
    assert statuses == ["approved"] * 3 + ["proposed"]
    assert (
        AuditEntry.objects.filter(
            model="assistance.disbursement",
            action="update",
            object_id__in=[str(r.pk) for r in records],
        ).count()
        == 3
    )


def test_on_a_phone_lists_are_cards_with_labelled_cells(page, world):
    base = page.base_url
    accounts(world)
    warmth = campaign(world, name="2008年“两节”送温暖")
    raise_funds(warmth, world["taiyuan"], "5000.00")
    propose(warmth, world["xiaodian"], name="李秀英")
    page.set_viewport_size({"width": 375, "height": 740})
    try:
        log_in(page, "taiyuan_reviewer", world["password"])
        page.goto(f"{base}/assistance/disbursements/")
        assert not page.locator("table.grid thead").first.is_visible()
        row = page.locator("table.grid tbody tr").first
        assert row.evaluate("r => getComputedStyle(r).display") == "block"
        # Each cell says which column it is; none runs off the screen.
        labels = row.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
        assert "提名单位" in labels
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375 + 1, width
    finally:
        page.set_viewport_size({"width": 1366, "height": 768})
