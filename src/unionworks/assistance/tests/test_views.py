"""The pages: in-scope users work, outsiders get 404 everywhere, viewers cannot write."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from unionworks.assistance import services
from unionworks.assistance.models import Campaign, Disbursement, HardshipFile
from unionworks.assistance.tests.factories import (
    accounts,
    campaign,
    new_id_number,
    open_file,
    propose,
    raise_funds,
)
from unionworks.core.tests.factories import login_as


@pytest.fixture
def records(world):
    people = accounts(world)
    warmth = campaign(world)
    raising = raise_funds(warmth, world["taiyuan"], "2000.00")
    record = propose(warmth, world["township"], cash=Decimal("300.00"))
    file = open_file(world["xiaodian"])
    centre = services.create_centre(actor=None, org=world["xiaodian"], name="小店区帮扶中心")
    case = services.record_wage_case(
        actor=None,
        org=world["xiaodian"],
        employer_name="某建筑公司",
        workers_count=3,
        amount_owed="3000",
        opened_on=dt.date(2008, 1, 5),
    )
    home = campaign(world, kind=Campaign.Kind.SAFE_RETURN, name="平安返乡")
    return {
        **world,
        **people,
        "warmth": warmth,
        "raising": raising,
        "record": record,
        "file": file,
        "centre": centre,
        "case": case,
        "home": home,
    }


def _pages(r) -> list[str]:
    c, d = r["warmth"].pk, r["record"].pk
    return [
        reverse("assistance:campaign", args=[c]),
        reverse("assistance:campaign_edit", args=[c]),
        reverse("assistance:raising_create", args=[c]),
        reverse("assistance:propose", args=[c]),
        reverse("assistance:import", args=[c]),
        reverse("assistance:trip_create", args=[r["home"].pk]),
        reverse("assistance:disbursement", args=[d]),
        reverse("assistance:file", args=[r["file"].pk]),
        reverse("assistance:file_review", args=[r["file"].pk]),
        reverse("assistance:file_close", args=[r["file"].pk]),
        reverse("assistance:file_household", args=[r["file"].pk]),
        reverse("assistance:centre", args=[r["centre"].pk]),
        reverse("assistance:case", args=[r["case"].pk]),
        reverse("assistance:case_update", args=[r["case"].pk]),
        reverse("assistance:case_worker", args=[r["case"].pk]),
    ]


def _posts(r) -> list[str]:
    d = r["record"].pk
    return [
        reverse("assistance:disbursement_approve", args=[d]),
        reverse("assistance:disbursement_reject", args=[d]),
        reverse("assistance:disbursement_pay", args=[d]),
        reverse("assistance:raising_delete", args=[r["raising"].pk]),
        reverse("assistance:centre", args=[r["centre"].pk]),
        *[url for url in _pages(r) if not url.endswith(("/template/",)) and _writes(url)],
    ]


def _writes(url: str) -> bool:
    return url.endswith(("/edit/", "/new/", "/propose/", "/import/", "/review/", "/close/",
                         "/household/", "/update/", "/workers/"))  # fmt: skip


def test_every_page_answers_an_outsider_with_404(client, records):
    login_as(client, records["datong_editor"])
    for url in _pages(records):
        assert client.get(url).status_code == 404, url
    for url in _posts(records):
        assert client.post(url, {"reason": "x", "paid_on": "2008-02-01"}).status_code == 404, url
    records["record"].refresh_from_db()
    assert records["record"].status == Disbursement.Status.PROPOSED
    # Lists show nothing of another city.
    for name in ("campaigns", "disbursements", "files", "centres", "cases", "review", "trips"):
        page = client.get(reverse(f"assistance:{name}")).content.decode()
        assert records["record"].name not in page and "小店区" not in page, name


def test_every_page_opens_for_the_city(client, records):
    login_as(client, records["taiyuan_admin"])
    for url in _pages(records):
        assert client.get(url, follow=True).status_code == 200, url
    for name in ("campaigns", "disbursements", "files", "centres", "cases", "review", "trips"):
        assert client.get(reverse(f"assistance:{name}")).status_code == 200, name
    for name in ("campaign_create", "file_create", "centre_create", "case_create"):
        assert client.get(reverse(f"assistance:{name}")).status_code == 200, name


def test_a_viewer_reads_but_cannot_write(client, records):
    login_as(client, records["taiyuan_viewer"])
    assert (
        client.get(reverse("assistance:campaign", args=[records["warmth"].pk])).status_code == 200
    )
    writes = [
        reverse("assistance:campaign_create"),
        reverse("assistance:propose", args=[records["warmth"].pk]),
        reverse("assistance:raising_create", args=[records["warmth"].pk]),
        reverse("assistance:file_create"),
        reverse("assistance:file_review", args=[records["file"].pk]),
        reverse("assistance:disbursement_pay", args=[records["record"].pk]),
        reverse("assistance:disbursement_approve", args=[records["record"].pk]),
    ]
    for url in writes:
        assert client.post(url, {}).status_code == 403, url
    page = client.get(reverse("assistance:campaign", args=[records["warmth"].pk])).content.decode()
    assert "提名发放对象" not in page


def test_campaign_page_shows_raised_paid_and_balance(client, records):
    warmth = records["warmth"]
    services.approve_disbursement(
        actor=None, disbursement=records["record"], on=dt.date(2008, 1, 11)
    )
    services.pay_disbursement(
        actor=None, disbursement=records["record"], paid_on=dt.date(2008, 1, 12)
    )
    login_as(client, records["county_editor"])  # a union taking part sees the whole balance
    page = client.get(reverse("assistance:campaign", args=[warmth.pk])).content.decode()
    assert 'data-figure="raised">2,000.00' in page
    assert 'data-figure="paid">300.00' in page
    assert 'data-figure="balance">1,700.00' in page


def test_propose_by_hand_then_review_queue_then_pay(client, records):
    warmth = records["warmth"]
    login_as(client, records["county_editor"])
    number = new_id_number(birth_date=dt.date(1972, 3, 4))
    url = reverse("assistance:propose", args=[warmth.pk])
    data = {
        "org": records["township"].pk,
        "id_number": number,
        "name": "孙桂兰",
        "category": "migrant",
        "cash": "260.00",
        "goods_value": "40",
        "proposed_on": "2008-01-15",
    }
    bad = client.post(
        url, {**data, "id_number": number[:-1] + "0" if number[-1] != "0" else number[:-1] + "1"}
    )
    assert (
        "校验" in bad.content.decode() and not Disbursement.objects.filter(name="孙桂兰").exists()
    )
    response = client.post(url, data)
    record = Disbursement.objects.get(name="孙桂兰")
    assert response.status_code == 302 and response["Location"] == reverse(
        "assistance:disbursement", args=[record.pk]
    )
    again = client.post(url, data)
    assert "同一活动每人只能领取一次" in again.content.decode()

    login_as(client, records["reviewer"])
    queue = client.get(reverse("assistance:review")).content.decode()
    assert "孙桂兰" in queue
    response = client.post(
        reverse("assistance:disbursement_approve", args=[record.pk]),
        {"on": "2008-01-16", "next": reverse("assistance:review")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("assistance:review")
    record.refresh_from_db()
    assert record.status == Disbursement.Status.APPROVED

    login_as(client, records["county_editor"])
    too_much = client.post(
        reverse("assistance:disbursement_pay", args=[record.pk]),
        {"paid_on": "2008-01-20", "cash": "5000", "goods_value": "0"},
    )
    assert "超过批准金额" in too_much.content.decode()  # before the balance is looked at
    client.post(
        reverse("assistance:disbursement_pay", args=[record.pk]),
        {"paid_on": "2008-01-20", "cash": "260.00", "goods_value": "40.00"},
    )
    record.refresh_from_db()
    assert (record.status, record.paid_on, record.total) == (
        "paid",
        dt.date(2008, 1, 20),
        Decimal("300.00"),
    )


def test_reject_from_the_queue_needs_a_reason(client, records):
    login_as(client, records["reviewer"])
    url = reverse("assistance:disbursement_reject", args=[records["record"].pk])
    response = client.post(url, {"reason": "", "next": reverse("assistance:review")}, follow=True)
    assert "未批准理由不能为空" in response.content.decode()
    client.post(url, {"reason": "不在困难职工范围", "next": reverse("assistance:review")})
    records["record"].refresh_from_db()
    assert records["record"].status == "rejected"


def test_file_pages_open_review_and_close(client, records):
    login_as(client, records["taiyuan_admin"])
    response = client.post(
        reverse("assistance:file_create"),
        {
            "org": records["xiaodian"].pk,
            "id_number": new_id_number(birth_date=dt.date(1966, 1, 2)),
            "name": "周大勇",
            "household_size": "3",
            "household_income": "8400",
            "local_line": "260",
            "level": "deep",
            "causes": ["illness", "disability"],
            "opened_on": "2007-03-01",
            "centre": records["centre"].pk,
        },
    )
    file = HardshipFile.objects.get(name="周大勇")
    assert response["Location"] == reverse("assistance:file", args=[file.pk])
    overdue = client.get(reverse("assistance:files") + "?overdue=1").content.decode()
    assert "周大勇" in overdue
    client.post(
        reverse("assistance:file_review", args=[file.pk]),
        {
            "reviewed_on": dt.date.today().isoformat(),
            "household_size": "3",
            "household_income": "9000",
            "level": "relative",
        },
    )
    table = client.get(reverse("assistance:files") + "?overdue=1", HTTP_HX_REQUEST="true")
    assert "周大勇" not in table.content.decode()
    missing = client.post(
        reverse("assistance:file_close", args=[file.pk]),
        {"closed_on": dt.date.today().isoformat(), "closing": "out_of_hardship", "note": ""},
    )
    assert "销档说明不能为空" in missing.content.decode()
    client.post(
        reverse("assistance:file_close", args=[file.pk]),
        {
            "closed_on": dt.date.today().isoformat(),
            "closing": "out_of_hardship",
            "note": "子女就业",
        },
    )
    file.refresh_from_db()
    assert file.status == "closed" and file.get_closing_display() == "脱困"


def test_campaign_form_creates_with_participants(client, records):
    login_as(client, records["taiyuan_admin"])
    response = client.post(
        reverse("assistance:campaign_create"),
        {
            "org": records["taiyuan"].pk,
            "kind": "schooling",
            "name": "2008年金秋助学",
            "year": "2008",
            "start_date": "2008-08-01",
            "end_date": "2008-09-30",
            "budget": "50000",
            "participants": [records["xiaodian"].pk],
        },
    )
    autumn = Campaign.objects.get(name="2008年金秋助学")
    assert response["Location"] == reverse("assistance:campaign", args=[autumn.pk])
    assert list(autumn.participants.all()) == [records["xiaodian"]]
    form = client.get(reverse("assistance:propose", args=[autumn.pk])).content.decode()
    assert "入学年份" in form and "学历层次" in form
