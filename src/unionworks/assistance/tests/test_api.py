"""/api/v1/ for files, centres, campaigns, raisings, disbursements, cases and trips."""

import datetime as dt
from decimal import Decimal

import pytest

from unionworks.assistance import services
from unionworks.assistance.models import Campaign, Disbursement
from unionworks.assistance.tests.factories import (
    accounts,
    campaign,
    new_id_number,
    open_file,
    propose,
    raise_funds,
)
from unionworks.core.tests.factories import login_as

API = "/api/v1"


@pytest.fixture
def records(world):
    people = accounts(world)
    warmth = campaign(world)
    raising = raise_funds(warmth, world["taiyuan"], "1000.00")
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


def post(client, url, data):
    return client.post(f"{API}{url}", data, content_type="application/json")


def test_outsiders_get_404_from_every_endpoint(client, records):
    login_as(client, records["datong_editor"])
    r = records
    for url in [
        f"/hardship-files/{r['file'].pk}",
        f"/campaigns/{r['warmth'].pk}",
        f"/disbursements/{r['record'].pk}",
        f"/wage-cases/{r['case'].pk}",
        f"/raisings/?campaign={r['warmth'].pk}",
        f"/disbursements/?campaign={r['warmth'].pk}",
        f"/safe-return-trips/?campaign={r['home'].pk}",
    ]:
        assert client.get(f"{API}{url}").status_code == 404, url
    for url, data in [
        (
            f"/hardship-files/{r['file'].pk}/reviews",
            {
                "reviewed_on": "2008-03-01",
                "household_size": 2,
                "household_income": "1",
                "level": "deep",
            },
        ),
        (f"/hardship-files/{r['file'].pk}/close", {"closed_on": "2008-03-01", "note": "x"}),
        (
            f"/assistance-centres/{r['centre'].pk}/funding",
            {"received_on": "2008-03-01", "source": "own", "amount": "1"},
        ),
        (f"/disbursements/{r['record'].pk}/approve", {}),
        (f"/disbursements/{r['record'].pk}/reject", {"reason": "x"}),
        (f"/disbursements/{r['record'].pk}/pay", {"paid_on": "2008-03-01"}),
        (f"/wage-cases/{r['case'].pk}/workers", {"id_number": new_id_number(), "name": "x"}),
    ]:
        assert post(client, url, data).status_code == 404, url
    assert client.delete(f"{API}/raisings/{r['raising'].pk}").status_code == 404
    body = {"org": r["datong"].pk, "kind": "warmth", "name": "x", "year": 2008,
            "start_date": "2008-01-01", "end_date": "2008-01-02"}  # fmt: skip
    put = client.put(f"{API}/campaigns/{r['warmth'].pk}", body, content_type="application/json")
    assert put.status_code == 404
    # An id in a body outside the subtree reads as "no such record".
    refused = post(
        client,
        "/disbursements/",
        {
            "campaign": r["warmth"].pk,
            "org": r["pingcheng"].pk,
            "id_number": new_id_number(),
            "name": "x",
            "category": "migrant",
            "cash": "1",
        },
    )
    assert refused.status_code == 400 and refused.json()["field"] == "campaign"
    for url in (
        "/hardship-files/",
        "/campaigns/",
        "/disbursements/",
        "/wage-cases/",
        "/raisings/",
        "/assistance-centres/",
    ):
        assert client.get(f"{API}{url}").json()["count"] == 0, url


def test_propose_approve_pay_over_the_api_with_money_as_decimal_strings(client, records):
    r = records
    login_as(client, r["county_editor"])
    body = {
        "campaign": r["warmth"].pk,
        "org": r["township"].pk,
        "id_number": new_id_number(birth_date=dt.date(1975, 5, 5)),
        "name": "刘海",
        "category": "migrant",
        "cash": "200.50",
        "goods_value": "99.50",
        "proposed_on": "2008-01-15",
    }
    created = post(client, "/disbursements/", body)
    assert created.status_code == 201, created.json()
    item = created.json()
    assert item["status"] == "proposed" and item["cash"] == "200.50" and "*" in item["id_number"]
    twice = post(client, "/disbursements/", body)
    assert twice.status_code == 400 and "每人只能领取一次" in twice.json()["detail"]
    assert post(client, f"/disbursements/{item['id']}/approve", {}).status_code == 403

    login_as(client, r["reviewer"])
    approved = post(client, f"/disbursements/{item['id']}/approve", {"on": "2008-01-16"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert (
        post(client, f"/disbursements/{item['id']}/pay", {"paid_on": "2008-01-20"}).status_code
        == 403
    )

    login_as(client, r["county_editor"])
    paid = post(client, f"/disbursements/{item['id']}/pay", {"paid_on": "2008-01-20"})
    assert paid.status_code == 200 and paid.json()["paid_on"] == "2008-01-20"
    detail = client.get(f"{API}/campaigns/{r['warmth'].pk}").json()
    assert (detail["raised"], detail["paid"], detail["balance"]) == ("1000.00", "300.00", "700.00")


def test_reject_needs_a_reason_and_the_viewer_cannot_write(client, records):
    r = records
    login_as(client, r["reviewer"])
    missing = post(client, f"/disbursements/{r['record'].pk}/reject", {"reason": " "})
    assert missing.status_code == 400 and missing.json()["field"] == "reason"
    login_as(client, r["taiyuan_viewer"])
    assert client.get(f"{API}/disbursements/{r['record'].pk}").status_code == 200
    for url, data in [
        (
            "/raisings/",
            {
                "campaign": r["warmth"].pk,
                "org": r["taiyuan"].pk,
                "source": "own",
                "received_on": "2008-01-10",
                "cash": "5",
            },
        ),
        (
            "/campaigns/",
            {
                "org": r["taiyuan"].pk,
                "kind": "other",
                "name": "x",
                "year": 2008,
                "start_date": "2008-01-01",
                "end_date": "2008-01-02",
            },
        ),
        (f"/disbursements/{r['record'].pk}/approve", {}),
    ]:
        assert post(client, url, data).status_code == 403, url


def test_files_campaigns_cases_and_trips_round_trip(client, records):
    r = records
    login_as(client, r["taiyuan_admin"])
    number = new_id_number(birth_date=dt.date(1964, 4, 4))
    file = post(
        client,
        "/hardship-files/",
        {
            "org": r["xiaodian"].pk,
            "id_number": number,
            "name": "郭秀梅",
            "household_size": 2,
            "household_income": "4800.00",
            "local_line": "260",
            "level": "accident",
            "causes": ["accident"],
            "opened_on": "2008-02-01",
            "centre": r["centre"].pk,
            "household": [{"name": "郭小军", "relation": "儿子", "situation": "在校"}],
        },
    )
    assert file.status_code == 201, file.json()
    file_id = file.json()["id"]
    assert file.json()["per_capita_income"] == "200.00"
    again = post(
        client,
        "/hardship-files/",
        {
            **file.json(),
            "org": r["xiaodian"].pk,
            "id_number": number,
            "household": [],
            "centre": None,
            "unit": None,
        },
    )
    assert again.status_code == 400 and again.json()["field"] == "id_number"
    detail = client.get(f"{API}/hardship-files/{file_id}").json()
    assert detail["household"][0]["name"] == "郭小军"
    reviewed = post(
        client,
        f"/hardship-files/{file_id}/reviews",
        {
            "reviewed_on": "2008-12-01",
            "household_size": 2,
            "household_income": "6000",
            "level": "relative",
        },
    )
    assert reviewed.status_code == 201
    closed = post(
        client, f"/hardship-files/{file_id}/close", {"closed_on": "2009-01-05", "note": "再就业"}
    )
    assert closed.json()["status"] == "closed" and closed.json()["closing"] == "out_of_hardship"

    made = post(
        client,
        "/campaigns/",
        {"org": r["taiyuan"].pk, "kind": "wages", "name": "岁末讨薪", "year": 2008, "start_date": "2008-01-01",
         "end_date": "2008-01-31", "participants": [r["xiaodian"].pk]},
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["participants"] == [r["xiaodian"].pk]
    case = post(
        client,
        "/wage-cases/",
        {"org": r["xiaodian"].pk, "campaign": made.json()["id"], "employer_name": "某劳务公司", "workers_count": 8,
         "amount_owed": "40000", "amount_recovered": "40000", "status": "recovered", "opened_on": "2008-01-03",
         "resolved_on": "2008-01-20", "workers": [{"id_number": new_id_number(), "name": "马强", "amount": "5000"}]},
    )  # fmt: skip
    assert case.status_code == 201, case.json()
    assert case.json()["workers"][0]["amount"] == "5000.00"
    patched = client.patch(
        f"{API}/wage-cases/{r['case'].pk}",
        {"amount_recovered": "1000", "status": "partial", "resolved_on": "2008-02-01"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["amount_recovered"] == "1000.00"
    trip = post(
        client,
        "/safe-return-trips/",
        {
            "campaign": r["home"].pk,
            "org": r["xiaodian"].pk,
            "trip_date": "2008-01-28",
            "workers_sent": 40,
        },
    )
    assert trip.status_code == 201
    wrong = post(
        client,
        "/safe-return-trips/",
        {
            "campaign": r["warmth"].pk,
            "org": r["xiaodian"].pk,
            "trip_date": "2008-01-28",
            "workers_sent": 40,
        },
    )
    assert wrong.status_code == 400 and wrong.json()["field"] == "campaign"
    listed = client.get(f"{API}/disbursements/?status=proposed").json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == r["record"].name
    assert Disbursement.objects.count() == 1
