"""Every page and endpoint: in scope it answers, an outsider (another city's account) gets
404, a viewer cannot write (403)."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Permission

from unionworks.cadres import services
from unionworks.cadres.tests.factories import cadre, election, post
from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    union = world["grassroots"]
    person = cadre(union)
    chair = post(union, person=person)
    event = services.create_event(actor=None, org=world["taiyuan"], kind="class",
                                  theme="专题培训班", start_date=dt.date(2008, 3, 1), hours=8)  # fmt: skip
    series = services.create_series(actor=None, org=world["taiyuan"], kind="expert",
                                    theme="专家讲座", first_date=dt.date(2008, 1, 20), months=3,
                                    hours=3)  # fmt: skip
    vote = election(union)
    recruitment = services.create_recruitment(actor=None, org=world["xiaodian"], title="招聘",
                                              how="social", announced_on=dt.date(2008, 3, 1),
                                              posts_offered=2)  # fmt: skip
    return {"cadre": person, "post": chair, "event": event, "series": series,
            "election": vote, "recruitment": recruitment, "union": union}  # fmt: skip


def _pages(r):
    return [
        "/cadres/", f"/cadres/events/{r['event'].pk}/", f"/cadres/series/{r['series'].pk}/",
        "/cadres/roster/", f"/cadres/roster/{r['cadre'].pk}/",
        f"/cadres/committees/{r['union'].pk}/", "/cadres/vacancies/", "/cadres/elections/",
        f"/cadres/elections/{r['election'].pk}/", "/cadres/recruitments/",
        f"/cadres/recruitments/{r['recruitment'].pk}/", "/cadres/arrangements/",
        "/cadres/events/new/", "/cadres/series/new/", "/cadres/roster/new/",
        "/cadres/elections/new/", "/cadres/recruitments/new/",
        f"/cadres/posts/{r['post'].pk}/end/",
    ]  # fmt: skip


SCOPED = 5  # the first pages that name a record (the rest are lists and forms)


def _record_urls(r):
    return [u for u in _pages(r) if any(ch.isdigit() for ch in u)]


def _writes(r):
    e, c, el = r["event"].pk, r["cadre"].pk, r["election"].pk
    return [
        f"/cadres/events/{e}/attendees/", f"/cadres/events/{e}/count/",
        f"/cadres/events/{e}/held/", f"/cadres/roster/{c}/posts/",
        f"/cadres/roster/{c}/reveal/", f"/cadres/posts/{r['post'].pk}/end/",
        f"/cadres/elections/{el}/candidates/", f"/cadres/elections/{el}/approve-candidates/",
        f"/cadres/elections/{el}/result/", f"/cadres/elections/{el}/approve-result/",
        f"/cadres/recruitments/{r['recruitment'].pk}/",
    ]  # fmt: skip


API_READS = ["/api/v1/study-events/{event}", "/api/v1/cadres/{cadre}",
             "/api/v1/elections/{election}"]  # fmt: skip


def test_every_page_answers_in_scope(client, world, records):
    login_as(client, world["taiyuan_admin"])
    for url in _pages(records):
        assert client.get(url).status_code == 200, url


def test_an_outsider_gets_404_on_every_record_page_and_write(client, world, records):
    login_as(client, world["datong_editor"])
    for url in _record_urls(records):
        assert client.get(url).status_code == 404, url
    for url in _writes(records):
        assert client.post(url, {}).status_code == 404, url
    # The lists show nothing of another city.
    html = client.get("/cadres/roster/").content.decode()
    assert records["cadre"].name not in html and "共 0 人" in html


def test_a_viewer_cannot_write(client, world, records):
    login_as(client, world["taiyuan_viewer"])
    for url in ["/cadres/events/new/", "/cadres/series/new/", "/cadres/roster/new/",
                "/cadres/elections/new/", "/cadres/recruitments/new/"]:  # fmt: skip
        assert client.get(url).status_code == 403, url
    for url in _writes(records):
        if url.endswith("/reveal/"):
            continue  # revealing is a permission, not a role: checked below
        assert client.post(url, {}).status_code == 403, url
    assert client.post(f"/cadres/roster/{records['cadre'].pk}/reveal/").status_code == 403


def test_the_api_is_scoped_like_the_pages(client, world, records):
    ids = {k: v.pk for k, v in records.items()}
    login_as(client, world["taiyuan_admin"])
    for url in API_READS:
        assert client.get(url.format(**ids)).status_code == 200
    for url in ["/api/v1/study-events/", "/api/v1/cadres/", "/api/v1/elections/",
                "/api/v1/cadre-posts/"]:  # fmt: skip
        assert client.get(url).json()["count"] >= 1, url
    login_as(client, world["datong_editor"])
    for url in API_READS:
        assert client.get(url.format(**ids)).status_code == 404
    assert client.get("/api/v1/cadres/").json()["count"] == 0
    e = ids["election"]
    for url, body in [
        (f"/api/v1/study-events/{ids['event']}/attendees", {"id_numbers": []}),
        (f"/api/v1/elections/{e}/candidates", {"name": "甲", "id_number": "1"}),
        (f"/api/v1/elections/{e}/approve-candidates", {"on": "2008-03-05"}),
        (f"/api/v1/elections/{e}/result", {"held_on": "2008-04-01", "voters": 1, "votes": {}}),
        (f"/api/v1/elections/{e}/approve-result", {"on": "2008-04-05"}),
    ]:
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 404, url
    # A record of another city named in a body: 400 with the words of "no such id".
    response = client.post("/api/v1/cadres/", json.dumps({
        "org": world["grassroots"].pk, "name": "甲", "id_number": "x"}),
        content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and response.json()["field"] == "org"
    login_as(client, world["taiyuan_viewer"])
    response = client.post("/api/v1/study-events/", json.dumps({
        "org": world["taiyuan"].pk, "kind": "class", "theme": "x", "start_date": "2008-03-01",
        "hours": "8"}), content_type="application/json")  # fmt: skip
    assert response.status_code == 403


def test_an_election_through_the_api(client, world, records):
    login_as(client, world["taiyuan_admin"])
    body = {"org": world["township"].pk, "requested_on": "2008-03-01",
            "planned_on": "2008-04-01", "method": "assembly", "seats": 3,
            "members_count": 30, "direct_chair": True}  # fmt: skip
    created = client.post("/api/v1/elections/", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    refused = client.post("/api/v1/elections/", json.dumps({**body, "org": world["xiaodian"].pk,
                          "method": "congress"}), content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "会员大会" in refused.json()["detail"]


def test_reveal_logs_the_viewing(client, world, records):
    admin = world["taiyuan_admin"]
    admin.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    login_as(client, admin)
    page = client.get(f"/cadres/roster/{records['cadre'].pk}/").content.decode()
    assert records["cadre"].id_number_mask in page
    revealed = client.post(f"/cadres/roster/{records['cadre'].pk}/reveal/")
    assert revealed.status_code == 200
    assert records["cadre"].revealed_id_number() in revealed.content.decode()
    assert AuditEntry.objects.filter(action="view", model="cadres.cadre").count() == 1


def test_the_overdue_election_is_on_the_to_do_list(client, world):
    from unionworks.cadres.tests.factories import held
    from unionworks.core.todos import waiting_for

    old = election(world["grassroots"], requested_on=dt.date(2002, 3, 1))
    held(old, on=dt.date(2002, 4, 10))
    waiting = {w.todo.code: w.count for w in waiting_for(world["taiyuan_admin"])}
    assert waiting["cadres.elections_overdue"] == 1
    assert "cadres.elections_overdue" not in {
        w.todo.code for w in waiting_for(world["datong_editor"])
    }
    login_as(client, world["taiyuan_admin"])
    html = client.get("/cadres/elections/?overdue=1").content.decode()
    assert "共 1 次选举" in html


def test_the_whole_election_through_the_api(client, world):
    from unionworks.cadres.tests.factories import accounts, new_id_number

    people = accounts(world)

    def post_json(url, body):
        return client.post(url, json.dumps(body), content_type="application/json")

    login_as(client, people["grassroots_editor"])
    created = post_json("/api/v1/elections/", {
        "org": world["grassroots"].pk, "requested_on": "2008-03-01", "planned_on": "2008-04-10",
        "method": "assembly", "seats": 3, "members_count": 40, "direct_chair": True})  # fmt: skip
    assert created.status_code == 201, created.content
    e = created.json()["id"]
    ids = []
    for i in range(3):
        got = post_json(f"/api/v1/elections/{e}/candidates", {
            "name": f"候选{i}", "id_number": new_id_number(),
            "seat": "chair" if i == 0 else "member"})  # fmt: skip
        ids.append(got.json()["id"])
    # The union cannot approve its own list.
    refused = post_json(f"/api/v1/elections/{e}/approve-candidates", {"on": "2008-03-20"})
    assert refused.status_code == 400 and "上级工会" in refused.json()["detail"]
    login_as(client, people["county_reviewer"])
    short = post_json(f"/api/v1/elections/{e}/approve-candidates", {"on": "2008-03-20"})
    assert short.status_code == 400 and "差额" in short.json()["detail"]
    login_as(client, people["grassroots_editor"])
    ids.append(post_json(f"/api/v1/elections/{e}/candidates",
                         {"name": "候选3", "id_number": new_id_number()}).json()["id"])  # fmt: skip
    login_as(client, people["county_reviewer"])
    assert post_json(f"/api/v1/elections/{e}/approve-candidates",
                     {"on": "2008-03-20"}).status_code == 200  # fmt: skip
    login_as(client, people["grassroots_editor"])
    votes = dict(zip(ids, [35, 30, 28, 5], strict=True))
    done = post_json(f"/api/v1/elections/{e}/result",
                     {"held_on": "2008-04-10", "voters": 36, "votes": votes})  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "held"
    login_as(client, people["county_reviewer"])
    approved = post_json(f"/api/v1/elections/{e}/approve-result", {"on": "2008-04-12"})
    assert (
        approved.json()["status"] == "approved" and approved.json()["next_due_on"] == "2013-04-10"
    )
    posts = client.get(f"/api/v1/cadre-posts/?org={world['grassroots'].pk}&current=true").json()
    assert sorted(p["kind"] for p in posts["items"]) == ["chair", "member", "member"]
    assert [p["how"] for p in posts["items"] if p["kind"] == "chair"] == ["direct"]
    detail = client.get(f"/api/v1/elections/{e}").json()
    assert [c["elected"] for c in detail["candidates"]] == [True, True, True, False]
    assert "*" in detail["candidates"][0]["id_number"]
