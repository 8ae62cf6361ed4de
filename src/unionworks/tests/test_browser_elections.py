"""换届选举 end to end, in Chromium: a grassroots union asks to hold its election and lists
its candidates, the county federation approves the list, the union records the vote, the
county approves the result, and the new committee is in office from the election day —
the old chair's post ended on it."""

import datetime as dt

import pytest

from unionworks.cadres.models import Election, Post
from unionworks.cadres.tests.factories import accounts, new_id_number, post
from unionworks.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_an_election_from_request_to_the_new_committee_in_office(page, world):
    base = page.base_url
    accounts(world)
    union = world["grassroots"]
    old_chair = post(union, start=dt.date(2003, 4, 1))

    # The union asks to hold its election: 50 members, so a 会员大会; 3 seats.
    log_in(page, "grassroots_editor", world["password"])
    page.goto(f"{base}/cadres/elections/new/")
    page.select_option("#id_org", str(union.pk))
    page.fill("#id_requested_on", "2008-03-01")
    page.fill("#id_planned_on", "2008-04-10")
    page.select_option("#id_method", "congress")
    page.fill("#id_members_count", "50")
    page.fill("#id_seats", "3")
    page.check("#id_direct_chair")
    page.click("form.panel button[type=submit]")
    # The wrong method is refused, and says why.
    assert "不足80人，应召开会员大会" in page.locator(".field-error").first.inner_text()
    page.select_option("#id_method", "assembly")
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/cadres/elections/*/")
    election = Election.objects.get(org=union)
    assert page.locator("#election-status").inner_text() == "已请示"

    # The candidates: 4 for 3 seats (差额), one for chair, elected directly.
    names = ["王志刚", "李秀兰", "赵建民", "孙海燕"]
    for i, name in enumerate(names):
        page.fill("#id_name", name)
        page.fill("#id_id_number", new_id_number())
        page.select_option("#id_seat", "chair" if i == 0 else "member")
        page.click("button:has-text('登记候选人')")
        page.wait_for_load_state()
    assert page.locator("#candidates tbody tr").count() == 4

    # The county federation approves the list.
    page.context.clear_cookies()
    log_in(page, "xiaodian_reviewer", world["password"])
    page.goto(f"{base}/cadres/elections/{election.pk}/")
    page.fill("#id_on", "2008-03-20")
    page.click("button:has-text('批复候选人名单')")
    page.wait_for_load_state()
    assert page.locator("#election-status").inner_text() == "候选人已批复"

    # The union records the vote: 45 of 50 members present.
    page.context.clear_cookies()
    log_in(page, "grassroots_editor", world["password"])
    page.goto(f"{base}/cadres/elections/{election.pk}/")
    page.fill("#id_held_on", "2008-04-10")
    page.fill("#id_voters", "45")
    candidates = list(election.candidates.order_by("id"))
    for candidate, votes in zip(candidates, [44, 40, 38, 12], strict=True):
        page.fill(f"#id_votes_{candidate.pk}", str(votes))
    page.click("button:has-text('登记选举结果')")
    page.wait_for_load_state()
    assert page.locator("#election-status").inner_text() == "已选举待批复"

    # The county approves the result: the new committee takes office on 10 April.
    page.context.clear_cookies()
    log_in(page, "xiaodian_reviewer", world["password"])
    page.goto(f"{base}/cadres/elections/{election.pk}/")
    page.fill("#id_on", "2008-04-15")
    page.click("button:has-text('批复选举结果')")
    page.wait_for_load_state()
    assert page.locator("#election-status").inner_text() == "结果已批复"
    assert "王志刚" in page.locator("#new-committee").inner_text()

    page.goto(f"{base}/cadres/committees/{union.pk}/")
    committee = page.locator("#committee tbody").inner_text()
    assert "王志刚" in committee and "直接选举" in committee and "2008-04-10" in committee
    assert "孙海燕" not in committee  # 12 of 45 votes: not elected
    old_chair.refresh_from_db()
    assert old_chair.end == dt.date(2008, 4, 10)
    chair = Post.objects.get(org=union, kind="chair", end__isnull=True)
    assert chair.cadre.name == "王志刚" and chair.how == "direct"

    # Another city's account gets 404 on the election and the committee.
    page.context.clear_cookies()
    log_in(page, "datong", world["password"])
    assert page.goto(f"{base}/cadres/elections/{election.pk}/").status == 404
    assert page.goto(f"{base}/cadres/committees/{union.pk}/").status == 404
