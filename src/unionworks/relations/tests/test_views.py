"""The pages: an in-scope user reads and writes; an outsider gets 404 on every page of a
record; a viewer cannot write (403); the filing steps run through the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from unionworks.core.tests.factories import login_as
from unionworks.relations import services
from unionworks.relations.models import CollectiveContract, CongressProposal
from unionworks.relations.tests.factories import contract, in_force


@pytest.fixture
def records(world):
    signed = contract(world, number="S-1")
    live = in_force(world, number="L-1")
    congress = services.create_congress(
        actor=None, org=world["grassroots"], name="太重职代会", units=[world["taiyuan_unit"]],
        term_number=1, term_starts_on=dt.date(2007, 1, 1),
    )  # fmt: skip
    meeting = services.record_session(
        actor=None, congress=congress, number=1, held_on=dt.date(2008, 3, 10),
        delegates_elected=100, delegates_present=90,
    )  # fmt: skip
    proposal = services.add_proposal(
        actor=None, session=meeting, title="改善职工食堂", proposer="王强等12人"
    )
    assessment = services.apply_assessment(
        actor=None, org=world["grassroots"], unit=world["taiyuan_unit"], year=2008,
        applied_on=dt.date(2008, 3, 1),
    )  # fmt: skip
    dispute = services.accept_dispute(
        actor=None, org=world["grassroots"], unit=world["taiyuan_unit"], applicants=2,
        cause="wages", accepted_on=dt.date(2008, 6, 1),
    )  # fmt: skip
    return {"signed": signed, "live": live, "congress": congress, "proposal": proposal,
            "assessment": assessment, "dispute": dispute}  # fmt: skip


LISTS = ["/relations/", "/relations/congresses/", "/relations/congresses/idle-units/",
         "/relations/openness/", "/relations/assessments/", "/relations/disputes/",
         "/relations/committees/"]  # fmt: skip
CREATES = ["/relations/contracts/new/", "/relations/congresses/new/", "/relations/openness/new/",
           "/relations/assessments/new/", "/relations/disputes/new/",
           "/relations/committees/new/"]  # fmt: skip


def record_pages(r):
    return [
        f"/relations/contracts/{r['signed'].pk}/",
        f"/relations/contracts/{r['signed'].pk}/edit/",
        f"/relations/congresses/{r['congress'].pk}/",
        f"/relations/proposals/{r['proposal'].pk}/status/",
        f"/relations/assessments/{r['assessment'].pk}/",
        f"/relations/disputes/{r['dispute'].pk}/",
    ]


def record_posts(r):
    return [
        f"/relations/contracts/{r['signed'].pk}/submit/",
        f"/relations/contracts/{r['live'].pk}/object/",
        f"/relations/contracts/{r['live'].pk}/publish/",
        f"/relations/congresses/{r['congress'].pk}/sessions/",
        f"/relations/congresses/{r['congress'].pk}/proposals/",
        f"/relations/congresses/{r['congress'].pk}/representatives/",
        f"/relations/proposals/{r['proposal'].pk}/status/",
        f"/relations/assessments/{r['assessment'].pk}/score/",
        f"/relations/assessments/{r['assessment'].pk}/notice/",
        f"/relations/assessments/{r['assessment'].pk}/commend/",
        f"/relations/disputes/{r['dispute'].pk}/close/",
    ]


def test_every_page_opens_for_the_union_in_scope(client, world, records):
    login_as(client, world["taiyuan_admin"])
    for url in LISTS + CREATES + record_pages(records):
        assert client.get(url).status_code == 200, url
    page = client.get("/relations/").content.decode()
    assert "S-1" in page and "L-1" in page


def test_an_outsider_gets_404_on_every_record_page_and_step(client, world, records):
    login_as(client, world["datong_editor"])
    for url in record_pages(records):
        assert client.get(url).status_code == 404, url
    for url in record_posts(records):
        assert client.post(url, {}).status_code == 404, url
    listing = client.get("/relations/").content.decode()
    assert "S-1" not in listing


def test_a_viewer_reads_but_cannot_write(client, world, records):
    login_as(client, world["taiyuan_viewer"])
    for url in record_pages(records):
        expected = 403 if url.endswith(("/edit/", "/status/")) else 200
        assert client.get(url).status_code == expected, url
    for url in CREATES:
        assert client.get(url).status_code == 403, url
    for url in record_posts(records):
        assert client.post(url, {}).status_code == 403, url
    assert CollectiveContract.objects.get(pk=records["signed"].pk).status == "signed"
    assert CongressProposal.objects.get(pk=records["proposal"].pk).status == "filed"


def test_a_contract_is_entered_filed_and_in_force_through_the_pages(client, world):
    login_as(client, world["taiyuan_admin"])
    signed = timezone.localdate() - dt.timedelta(days=40)
    data = {
        "org": world["grassroots"].pk, "kind": "wage", "scope": "enterprise",
        "units": world["taiyuan_unit"].credit_code, "employer_party": "太原重型机械有限公司",
        "union_party": "太原重型机械有限公司工会", "congress_approved_on": signed - dt.timedelta(days=7),
        "congress_present": "180", "congress_votes_for": "170", "signed_on": signed,
        "term_years": "2", "employees_covered": "1200", "women_covered": "300",
        "migrants_covered": "100", "last_year_wage": "21000", "wage_rise": "12",
    }  # fmt: skip
    bad = client.post("/relations/contracts/new/", {**data, "congress_votes_for": "80"})
    assert bad.status_code == 200 and "半数以上" in bad.content.decode()
    response = client.post("/relations/contracts/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = CollectiveContract.objects.get()
    response = client.post(
        f"/relations/contracts/{record.pk}/submit/", {"submitted_on": signed + dt.timedelta(11)}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.filed_late and record.effective_on == signed + dt.timedelta(days=27)
    page = client.get(f"/relations/contracts/{record.pk}/").content.decode()
    assert "逾期报送" in page and "已生效" in page


def test_unknown_credit_codes_are_named(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post("/relations/contracts/new/", {"units": "91140000MA0XXXXXXX"})
    assert "未找到信用代码为“91140000MA0XXXXXXX”的单位" in response.content.decode()


def test_the_province_edits_a_years_score_sheet_on_its_page(client, world):
    lines = "a|基础指标|依法用工|60\nb|创建成效|职工满意|40"
    login_as(client, world["taiyuan_admin"])
    assert client.get("/relations/score-sheets/2009/").status_code == 200
    response = client.post("/relations/score-sheets/2009/", {"items": lines, "pass_mark": "85"})
    assert response.status_code == 403
    login_as(client, world["province_admin"])
    bad = client.post(
        "/relations/score-sheets/2009/", {"items": "a|基础指标|x|60", "pass_mark": "90"}
    )
    assert "合计须为100分" in bad.content.decode()
    response = client.post("/relations/score-sheets/2009/", {"items": lines, "pass_mark": "85"})
    assert response.status_code == 302
    assert services.sheet_for(2009).pass_mark == 85
    assert services.sheet_for(2008).items == services.DEFAULT_SHEET


def test_a_contract_is_corrected_on_its_edit_page(client, world, records):
    login_as(client, world["taiyuan_admin"])
    record = records["signed"]
    page = client.get(f"/relations/contracts/{record.pk}/edit/").content.decode()
    assert record.number in page and world["taiyuan_unit"].credit_code in page
    data = {
        "kind": "comprehensive", "scope": "enterprise", "units": world["taiyuan_unit"].credit_code,
        "employer_party": "太原重型机械有限公司", "union_party": "太原重型机械有限公司工会",
        "congress_approved_on": "2008-05-27", "congress_present": "180",
        "congress_votes_for": "172", "signed_on": "2008-06-01", "term_years": "2",
        "employees_covered": "1300", "women_covered": "400", "migrants_covered": "300",
    }  # fmt: skip
    response = client.post(f"/relations/contracts/{record.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert (record.term_years, record.employees_covered, record.org) == (
        2,
        1300,
        world["grassroots"],
    )


def test_a_proposal_is_handled_from_its_congress_page(client, world, records):
    login_as(client, world["taiyuan_admin"])
    congress, proposal = records["congress"], records["proposal"]
    page = client.get(f"/relations/congresses/{congress.pk}/").content.decode()
    url = f"/relations/proposals/{proposal.pk}/status/"
    assert url in page
    form = client.get(url).content.decode()
    assert 'value="handling"' in form and 'value="declined"' in form and "改善职工食堂" in form
    early = client.post(url, {"status": "handling", "on": "2008-03-01"})
    assert "日期不能早于会议召开日期2008-03-10" in early.content.decode()
    moved = client.post(url, {"status": "handling", "on": "2008-03-20"})
    assert moved.status_code == 302 and moved["Location"] == f"/relations/congresses/{congress.pk}/"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.status_on) == ("handling", dt.date(2008, 3, 20))
    form = client.get(url).content.decode()
    assert 'value="done"' in form and 'value="declined"' not in form  # only the way on
    client.post(url, {"status": "done", "on": "2008-05-06", "reply": "食堂已改造"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.handled_on, proposal.reply) == (
        "done", dt.date(2008, 5, 6), "食堂已改造"
    )  # fmt: skip
    page = client.get(f"/relations/congresses/{congress.pk}/").content.decode()
    assert "食堂已改造" in page and url not in page  # 已办结 is final: no link any more
    final = client.post(url, {"status": "handling", "on": "2008-05-07"})
    assert "“已办结”的提案不能再改变办理状态" in final.content.decode()
