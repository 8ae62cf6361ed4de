"""A full ID number searched for never lands in a URL the app produces (redirects, pushed
URLs, links on the page), in a stored task, or in an API query string."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from unionworks.assistance.tests.factories import accounts, campaign, open_file, propose
from unionworks.core.idsearch import ID_HEADER, full_id_index, task_search
from unionworks.core.models import Task
from unionworks.core.tests.factories import login_as
from unionworks.members.tests.factories import join, new_id_number

HEADER = "HTTP_X_ID_NUMBER"


@pytest.fixture
def people(world):
    number = new_id_number(birth_date=dt.date(1971, 4, 2))
    member = join(world["grassroots"], id_number=number, name="王建国")
    file = open_file(world["township"], id_number=number)
    people = accounts(world)
    record = propose(campaign(world), world["township"], id_number=number, name="王建国")
    return {**world, **people, "number": number, "records": (member, file, record)}


def pages(people):
    member, file, record = people["records"]
    return [
        ("/members/", f"/members/{member.pk}/"),
        ("/assistance/files/", f"/assistance/files/{file.pk}/"),
        ("/assistance/disbursements/", f"/assistance/disbursements/{record.pk}/"),
    ]


def test_a_number_in_the_query_is_redirected_to_its_mask_and_blind_index(client, people):
    number = people["number"]
    login_as(client, people["taiyuan_admin"])
    for path, found in pages(people):
        response = client.get(path, {"q": number})
        assert response.status_code == 302, path
        location = response["Location"]
        assert number not in location and "idx=" in location, path
        assert parse_qs(urlsplit(location).query)["q"] == [number[:4] + "*" * 10 + number[-4:]]
        page = client.get(location).content.decode()
        assert found in page and number not in page, path


def test_the_search_box_sends_the_number_in_a_header_and_gets_a_clean_url(client, people):
    number = people["number"]
    login_as(client, people["taiyuan_admin"])
    for path, found in pages(people):
        response = client.get(path, HTTP_HX_REQUEST="true", **{HEADER: number})
        body = response.content.decode()
        assert response.status_code == 200 and found in body, path
        assert number not in body and number not in response["HX-Push-Url"], path
        assert f"idx={full_id_index(number)}" in response["HX-Push-Url"], path


def test_the_script_moves_full_numbers_to_the_header():
    """The browser side of the header (the browser test types one): app.js names it."""
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "static" / "js" / "app.js").read_text()
    assert ID_HEADER in script and "htmx:configRequest" in script


def test_an_export_from_a_full_number_search_stores_only_mask_and_index(
    client, people, settings, tmp_path
):
    settings.TASKS_MODE = "eager"
    settings.MEDIA_ROOT = tmp_path
    number = people["number"]
    login_as(client, people["taiyuan_admin"])
    clean = client.get("/members/", {"q": number})["Location"]
    listing = client.get(clean).content.decode()
    assert "idx=" + full_id_index(number) in listing, "the export link carries the index"
    assert client.get("/members/export/", {"q": number}).status_code == 302
    for data in ({"q": number}, parse_qs(urlsplit(clean).query)):
        client.post(
            "/members/export/", {k: v[0] if isinstance(v, list) else v for k, v in data.items()}
        )
        task = Task.objects.latest("id")
        assert number not in str(task.params)
        assert task.params["id_index"] == full_id_index(number)
        assert task.result["rows"] == 1, "found by its index"


def test_task_search_keeps_names_and_masks_as_typed():
    assert task_search("王建国") == {"q": "王建国", "id_index": ""}
    assert task_search("1401**********064X", "nonsense") == {
        "q": "1401**********064X",
        "id_index": "",
    }


@pytest.mark.parametrize("path", ["/members/", "/hardship-files/", "/disbursements/"])
def test_the_api_refuses_a_number_in_the_query_and_takes_it_in_a_header(client, people, path):
    number = people["number"]
    login_as(client, people["taiyuan_admin"])
    refused = client.get(f"/api/v1{path}", {"q": number})
    assert refused.status_code == 400 and refused.json()["field"] == "q"
    assert ID_HEADER in refused.json()["detail"] and number not in refused.json()["detail"]
    found = client.get(f"/api/v1{path}", **{HEADER: number}).json()
    assert found["count"] == 1
    other = client.get(f"/api/v1{path}", **{HEADER: new_id_number()}).json()
    assert other["count"] == 0
    bad = client.get(f"/api/v1{path}", **{HEADER: "王建国"})
    assert bad.status_code == 400 and bad.json()["field"] == ID_HEADER


def test_an_outsider_finds_nobody_by_header(client, people):
    login_as(client, people["datong_editor"])
    for path in ("/members/", "/hardship-files/", "/disbursements/"):
        assert client.get(f"/api/v1{path}", **{HEADER: people["number"]}).json()["count"] == 0
