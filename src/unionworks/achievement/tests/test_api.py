"""The API: scoped like the pages; a proposal through every step; outsiders get 404."""

import pytest

from unionworks.achievement.models import Proposal
from unionworks.achievement.tests.factories import new_id_number
from unionworks.core.tests.factories import login_as

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_proposal_through_every_step(client, records):
    login_as(client, records["taiyuan_admin"])
    created = _post(client, "/api/v1/proposals/", {
        "unit": records["taiyuan_unit"].pk, "category": "technical", "title": "新型夹具",
        "proposed_on": "2008-03-01", "authors": [{"name": "赵六", "id_number": new_id_number()}],
        "estimated_value": "5000.50",
    })  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    base = f"/api/v1/proposals/{pk}"
    assert (
        _post(client, f"{base}/department-review", {"passed": True, "on": "2008-03-05"}).status_code
        == 200
    )
    bad = _post(client, f"{base}/score", {"technical": 20, "value_band": "under_10k", "economic": 11,
                                         "scope": 5, "practicality": 5, "on": "2008-03-10"})  # fmt: skip
    assert bad.status_code == 400 and bad.json()["field"] == "economic"
    assert _post(client, f"{base}/score", {"technical": 20, "value_band": "to_100k", "economic": 11,
                                          "scope": 5, "practicality": 5, "on": "2008-03-10"}).status_code == 200  # fmt: skip
    assert _post(client, f"{base}/decision", {"adopt": True, "on": "2008-03-12"}).status_code == 200
    assert (
        _post(
            client, f"{base}/implementation", {"on": "2008-04-01", "confirmed_value": "8000.08"}
        ).status_code
        == 200
    )
    done = _post(client, f"{base}/reward", {"on": "2008-05-01", "amount": "500"})
    assert done.status_code == 200 and done.json()["status"] == "rewarded"
    assert done.json()["confirmed_value"] == "8000.08"
    detail = client.get(base).json()
    assert detail["authors"][0]["id_number"].count("*") >= 8


def test_outsider_gets_404_on_every_endpoint(client, records):
    login_as(client, records["datong_editor"])
    p, c = records["proposal"].pk, records["contest"].pk
    for url in (f"/api/v1/proposals/{p}", f"/api/v1/competitions/{c}",
                f"/api/v1/competitions/{c}/participations",
                f"/api/v1/model-workers/{records['worker'].pk}",
                f"/api/v1/nomination-rounds/{records['round'].pk}",
                f"/api/v1/worker-libraries/{records['library'].pk}"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    for url, body in ((f"/api/v1/proposals/{p}/department-review", {"passed": True, "on": "2008-03-05"}),
                      (f"/api/v1/participations/{records['entry'].pk}/decision", {"accept": True}),
                      (f"/api/v1/competitions/{c}/participations",
                       {"org": records["pingcheng"].pk, "entries": [{"unit": records["datong_unit"].pk, "workers": 3}]})):  # fmt: skip
        assert _post(client, url, body).status_code == 404, url
    for url in ("/api/v1/proposals/", "/api/v1/model-workers/", "/api/v1/worker-libraries/"):
        assert client.get(url).json()["count"] == 0, url


def test_viewer_cannot_write(client, records):
    login_as(client, records["taiyuan_viewer"])
    p = records["proposal"].pk
    assert client.get("/api/v1/proposals/").json()["count"] == 1
    response = _post(
        client,
        f"/api/v1/proposals/{p}/implementation",
        {"on": "2008-04-01", "confirmed_value": "1"},
    )
    assert response.status_code == 403
    assert _post(client, "/api/v1/proposals/", {
        "unit": records["taiyuan_unit"].pk, "category": "knack", "title": "x", "proposed_on": "2008-03-01",
        "authors": [{"name": "赵六", "id_number": new_id_number()}]}).status_code == 403  # fmt: skip
    assert Proposal.objects.count() == 1
