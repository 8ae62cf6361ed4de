"""The pages: in-scope users work, outsiders get 404 everywhere, viewers cannot write."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from unionworks.achievement.models import Proposal
from unionworks.achievement.tests.factories import new_id_number, proposal
from unionworks.core.models import Task
from unionworks.core.tests.factories import login_as
from unionworks.core.todos import waiting_for

pytestmark = pytest.mark.django_db


def _detail_pages(r) -> list[str]:
    p, c = r["proposal"].pk, r["contest"].pk
    return [
        reverse("achievement:proposal", args=[p]),
        *[reverse("achievement:proposal_step", args=[p, s]) for s in ("department", "score",
          "decide", "implement", "reward")],
        reverse("achievement:competition", args=[c]),
        reverse("achievement:competition_register", args=[c]),
        reverse("achievement:winner_create", args=[c]),
        reverse("achievement:model_worker", args=[r["worker"].pk]),
        reverse("achievement:model_worker_review", args=[r["worker"].pk]),
        reverse("achievement:model_worker_honour", args=[r["worker"].pk]),
        reverse("achievement:team_create", args=[c]),
        reverse("achievement:round", args=[r["round"].pk]),
        reverse("achievement:nominate", args=[r["round"].pk]),
        reverse("achievement:submit_nominations", args=[r["round"].pk]),
        reverse("achievement:library", args=[r["library"].pk]),
    ]  # fmt: skip


LISTS = ["proposals", "competitions", "savings", "honours", "model_workers", "rounds",
         "libraries", "titles", "courses"]  # fmt: skip
CREATES = ["proposal_create", "competition_create", "savings_create", "honour_create",
           "model_worker_create", "round_create", "library_create", "title_create",
           "course_create"]  # fmt: skip


def test_in_scope_admin_sees_every_page(client, records):
    login_as(client, records["taiyuan_admin"])
    for url in [*(reverse(f"achievement:{n}") for n in LISTS + CREATES), *_detail_pages(records)]:
        assert client.get(url).status_code == 200, url


def test_lists_show_the_records(client, records):
    login_as(client, records["taiyuan_admin"])
    assert "改进皮带输送机" in client.get(reverse("achievement:proposals")).content.decode()
    assert "太原市技能竞赛" in client.get(reverse("achievement:competitions")).content.decode()


def test_outsider_gets_404_on_every_detail_page(client, records):
    login_as(client, records["datong_editor"])
    for url in _detail_pages(records):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("achievement:participation_decide", args=[records["entry"].pk]), {"accept": "1"}
    )
    assert response.status_code == 404
    # and the lists show none of Taiyuan's records
    assert "改进皮带输送机" not in client.get(reverse("achievement:proposals")).content.decode()


def test_viewer_cannot_write(client, records):
    login_as(client, records["taiyuan_viewer"])
    for name in CREATES:
        assert client.get(reverse(f"achievement:{name}")).status_code == 403, name
    for step in ("department", "implement"):
        url = reverse("achievement:proposal_step", args=[records["proposal"].pk, step])
        assert client.post(url, {"on": "2008-03-05", "passed": "1"}).status_code == 403
    assert (
        client.post(
            reverse("achievement:library", args=[records["library"].pk]),
            {"books": 5, "on": "2008-03-01"},
        ).status_code
        == 403
    )
    records["proposal"].refresh_from_db()
    assert records["proposal"].status == Proposal.Status.PROPOSED


def test_proposal_created_on_the_page_with_a_clear_refusal(client, records):
    login_as(client, records["taiyuan_admin"])
    url = reverse("achievement:proposal_create")
    data = {"unit": records["taiyuan_unit"].credit_code, "category": "knack", "title": "快速接线法",
            "proposed_on": "2008-03-01", "authors": "王五 140105198001010012"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200 and "校验" in response.content.decode()
    data["authors"] = f"王五 {new_id_number()}"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Proposal.objects.filter(title="快速接线法").exists()


def test_todos_count_waiting_proposals_in_scope(records):
    taiyuan = {w.todo.code: w.count for w in waiting_for(records["taiyuan_admin"])}
    assert taiyuan["achievement.proposals_to_review"] == 1
    assert taiyuan["achievement.registrations_to_accept"] == 1
    datong = {
        w.todo.code: w.count for w in waiting_for(records["datong_editor"], include_empty=True)
    }
    assert datong.get("achievement.proposals_to_review", 0) == 0


def _export(client, name, data) -> list[tuple]:
    response = client.post(reverse("tasks:export", args=[name]), data)
    assert response.status_code == 302, response.status_code
    task = Task.objects.filter(kind="core.export_list").latest("id")
    assert task.status == Task.Status.DONE, task.message
    download = client.get(reverse("tasks:download", args=[task.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert not any(c.data_type == "f" for row in book.active.iter_rows() for c in row)
    return list(book.active.iter_rows(values_only=True))


def test_list_export_is_filtered_scoped_typed_and_formula_safe(client, records, settings, tmp_path):
    settings.TASKS_MODE, settings.MEDIA_ROOT = "eager", tmp_path
    proposal(records, title="=1+1 改进")
    login_as(client, records["taiyuan_admin"])
    page = client.get(reverse("achievement:proposals") + "?q=改进").content.decode()
    assert reverse("tasks:export", args=["achievement-proposals"]) in page
    rows = _export(client, "achievement-proposals", {"q": "改进"})
    assert rows[0] == ("编号", "题目", "类别", "单位", "提出日期", "状态", "创造价值（元）")
    titles = {r[1] for r in rows[1:]}
    assert titles == {"改进皮带输送机托辊润滑方式", "=1+1 改进"}  # as text, never a formula
    assert all(isinstance(r[4], dt.datetime) for r in rows[1:])  # dates stay dates
    assert [r[1] for r in _export(client, "achievement-proposals", {"q": "皮带"})[1:]] == [
        "改进皮带输送机托辊润滑方式"
    ]
    workers = _export(client, "achievement-model-workers", {})
    assert workers[0][:2] == ("姓名", "身份证号") and len(workers) > 1
    assert all("*" in (r[1] or "*") for r in workers[1:])  # masked, as the list shows
    login_as(client, records["datong_editor"])
    rows = _export(client, "achievement-proposals", {})
    assert len(rows) == 1
    assert len(_export(client, "achievement-model-workers", {})) == 1


def test_an_honour_is_recorded_on_the_model_workers_file(client, records):
    login_as(client, records["taiyuan_admin"])
    worker = records["worker"]
    response = client.post(
        reverse("achievement:model_worker_honour", args=[worker.pk]),
        {"org": records["taiyuan"].pk, "kind": "may_day_medal", "level": "province",
         "year": 2008, "awarded_on": "2008-04-28", "awarding_body": "山西省总工会"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("achievement:model_worker", args=[worker.pk])).content.decode()
    assert "五一劳动奖章" in page
