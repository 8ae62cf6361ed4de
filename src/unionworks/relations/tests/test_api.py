"""/api/v1/relations/: scoped like the pages (an outsider gets 404 on every record and
step, a viewer 403 on every write), the filing workflow, the export."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from unionworks.core.models import Task
from unionworks.core.tests.factories import login_as
from unionworks.relations.models import CollectiveContract
from unionworks.relations.tests.test_views import records  # noqa: F401 (the fixture)

API = "/api/v1/relations"


def record_reads(r):
    return [
        f"{API}/contracts/{r['signed'].pk}",
        f"{API}/congresses/{r['congress'].pk}",
        f"{API}/congresses/{r['congress'].pk}/sessions",
        f"{API}/assessments/{r['assessment'].pk}",
        f"{API}/disputes/{r['dispute'].pk}",
    ]


def record_steps(r):
    return [
        (f"{API}/contracts/{r['signed'].pk}/submit", {"submitted_on": "2008-06-05"}),
        (f"{API}/contracts/{r['live'].pk}/objection", {"objected_on": "2008-06-05", "reason": "x"}),
        (f"{API}/contracts/{r['live'].pk}/publish", {"published_on": "2008-07-01"}),
        (f"{API}/congresses/{r['congress'].pk}/sessions",
         {"number": 1, "held_on": "2008-03-01", "delegates_elected": 100, "delegates_present": 90}),
        (f"{API}/congresses/{r['congress'].pk}/representatives",
         {"name": "赵敏", "role": "director", "elected_on": "2008-03-01"}),
        (f"{API}/proposals/{r['proposal'].pk}/status",
         {"status": "handling", "on": "2008-03-20"}),
        (f"{API}/assessments/{r['assessment'].pk}/score", {"scores": {}, "scored_on": "2008-05-01"}),
        (f"{API}/assessments/{r['assessment'].pk}/notice", {"notice_from": "2008-08-01"}),
        (f"{API}/assessments/{r['assessment'].pk}/commend",
         {"level": "province", "commended_on": "2008-09-18"}),
        (f"{API}/disputes/{r['dispute'].pk}/close",
         {"outcome": "settled", "closed_on": "2008-06-10"}),
    ]  # fmt: skip


LISTS = ["contracts/", "congresses/", "proposals/", "openness/", "assessments/", "disputes/"]


def test_lists_show_only_the_subtree(client, world, records):  # noqa: F811
    login_as(client, world["datong_editor"])
    for name in LISTS:
        response = client.get(f"{API}/{name}")
        assert response.status_code == 200, name
        assert response.json()["count"] == 0, name
    login_as(client, world["taiyuan_admin"])
    assert client.get(f"{API}/contracts/").json()["count"] == 2
    assert client.get(f"{API}/contracts/?state=to_submit").json()["count"] == 1


def test_an_outsider_gets_404_on_every_record_and_step(client, world, records):  # noqa: F811
    login_as(client, world["datong_editor"])
    for url in record_reads(records):
        assert client.get(url).status_code == 404, url
    for url, body in record_steps(records):
        assert client.post(url, body, content_type="application/json").status_code == 404, url


def test_a_viewer_cannot_write(client, world, records):  # noqa: F811
    login_as(client, world["taiyuan_viewer"])
    for url in record_reads(records):
        assert client.get(url).status_code == 200, url
    for url, body in record_steps(records):
        assert client.post(url, body, content_type="application/json").status_code == 403, url


def test_a_contract_through_the_api_from_entry_to_in_force(client, world):
    login_as(client, world["taiyuan_admin"])
    body = {
        "org": world["township"].pk, "kind": "comprehensive", "scope": "regional",
        "region_name": "坞城街道", "units": [world["taiyuan_unit"].pk],
        "signed_on": "2008-06-01", "term_years": 3, "employees_covered": 900,
        "employer_party": "坞城街道企业方代表", "union_party": "坞城街道工会",
        "congress_approved_on": "2008-05-20", "congress_present": 80, "congress_votes_for": 70,
    }  # fmt: skip
    outsider_unit = {**body, "units": [world["datong_unit"].pk]}
    refused = client.post(f"{API}/contracts/", outsider_unit, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "units"
    created = client.post(f"{API}/contracts/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    contract = created.json()
    assert contract["units"] == [world["taiyuan_unit"].pk] and contract["status"] == "signed"
    done = client.post(
        f"{API}/contracts/{contract['id']}/submit",
        {"submitted_on": "2008-06-08"},
        content_type="application/json",
    ).json()
    assert done["effective_on"] == "2008-06-24" and done["filed_late"] is False
    late = client.post(
        f"{API}/contracts/{contract['id']}/objection",
        {"objected_on": "2008-06-24", "reason": "迟到"},
        content_type="application/json",
    )
    assert late.status_code == 400 and "审查期已满" in late.json()["detail"]


def _workbook_rows(response) -> list:
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.values)


def test_the_contract_list_exports_as_xlsx_in_the_background(
    client,
    world,
    records,  # noqa: F811
    settings,
    tmp_path,
):
    settings.TASKS_MODE, settings.MEDIA_ROOT = "eager", tmp_path
    login_as(client, world["taiyuan_admin"])
    page = client.get("/relations/?state=to_submit").content.decode()
    assert reverse("tasks:export", args=["contracts"]) in page
    # the list's 导出 button: the page's filters, a task, then the file
    started = client.post(reverse("tasks:export", args=["contracts"]), {"state": "to_submit"})
    task = Task.objects.filter(kind="core.export_list").latest("id")
    assert started["Location"] == reverse("tasks:export_status", args=[task.pk])
    assert task.status == Task.Status.DONE and task.params["query"] == {"state": "to_submit"}
    rows = _workbook_rows(client.get(reverse("tasks:download", args=[task.pk])))
    assert rows[0][:3] == ("合同编号", "签订工会", "合同类型") and rows[0][-1] == "状态"
    assert [r[0] for r in rows[1:]] == ["S-1"] and rows[1][-1] == "逾期未报送"
    # the same over the API
    made = client.post("/api/v1/exports/contracts?state=to_submit")
    assert made.status_code == 202 and made.json()["status"] == "done"
    status = client.get(f"/api/v1/exports/{made.json()['id']}").json()
    assert status["list"] == "contracts" and status["total"] == 1
    rows = _workbook_rows(client.get(status["file_url"]))
    assert [r[0] for r in rows[1:]] == ["S-1"]
    everything = client.post("/api/v1/exports/contracts").json()
    assert everything["total"] == 2
    # an outsider's export holds none of it, and cannot read another's task or file
    login_as(client, world["datong_editor"])
    theirs = client.post("/api/v1/exports/contracts").json()
    assert theirs["total"] == 0
    assert len(_workbook_rows(client.get(theirs["file_url"]))) == 1
    assert client.get(f"/api/v1/exports/{made.json()['id']}").status_code == 404
    assert client.get(status["file_url"]).status_code == 404
    assert client.post("/api/v1/exports/no-such-list").status_code == 404


def test_the_score_sheet_of_a_year_through_the_api(client, world):
    login_as(client, world["province_admin"])
    items = [{"code": "a", "part": "basic", "name": "基础", "max": "60"},
             {"code": "b", "part": "effect", "name": "成效", "max": "40"}]  # fmt: skip
    response = client.put(
        f"{API}/score-sheets/2009",
        {"items": items, "pass_mark": "85"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert client.get(f"{API}/score-sheets/2009").json()["pass_mark"] == "85.0"
    assert client.get(f"{API}/score-sheets/2008").json()["pass_mark"] == "90"
    login_as(client, world["taiyuan_admin"])
    response = client.put(
        f"{API}/score-sheets/2009", {"items": items}, content_type="application/json"
    )
    assert response.status_code == 403
    assert CollectiveContract.objects.count() == 0


def test_a_proposals_status_changes_through_the_api(client, world, records):  # noqa: F811
    login_as(client, world["taiyuan_admin"])
    url = f"{API}/proposals/{records['proposal'].pk}/status"
    post = lambda body: client.post(url, body, content_type="application/json")  # noqa: E731
    declined = post({"status": "declined", "on": "2008-03-15"})
    assert (
        declined.status_code == 400
        and "不予立案须在办理答复中说明理由" in declined.json()["detail"]
    )
    moved = post({"status": "handling", "on": "2008-03-20"})
    assert moved.status_code == 200 and moved.json()["status_on"] == "2008-03-20"
    wrong = post({"status": "declined", "on": "2008-03-21", "reply": "x"})
    assert wrong.status_code == 400
    assert "“办理中”的提案只能改为已办结" in wrong.json()["detail"]
    backwards = post({"status": "done", "on": "2008-03-19"})
    assert "日期不能早于上次办理状态变更日期2008-03-20" in backwards.json()["detail"]
    done = post({"status": "done", "on": "2008-04-30", "reply": "已落实"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["handled_on"]) == ("done", "2008-04-30")
    listed = client.get(f"{API}/proposals/?status=done").json()["items"]
    assert [p["id"] for p in listed] == [records["proposal"].pk]
