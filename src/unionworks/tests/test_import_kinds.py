"""What every import kind promises, proven for each one through the shared pipeline:
a dry run saves nothing and reports what the real run reports; a refused file leaves the
database exactly as it was; a re-upload changes nothing; the rejects workbook reads back;
the pages and the API answer an outsider with 404 and load a file for a script."""

import datetime as dt
import hashlib
import importlib
import io

import pytest
from django.apps import apps
from openpyxl import Workbook, load_workbook

from unionworks.accounts.services import issue_api_token
from unionworks.assistance.tests.factories import accounts, campaign, new_id_number, raise_funds
from unionworks.core.importing.pipeline import importers
from unionworks.core.models import Task
from unionworks.core.tests.factories import UnitFactory, login_as
from unionworks.tests.import_case import Case

TABLES = {
    "roll": ["members.member", "members.membershipspell", "core.auditentry"],
    "disbursements": ["assistance.disbursement", "core.auditentry"],
    "targets": ["stats.target", "core.auditentry"],
}


def workbook(header, rows) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def upload_file(case: Case, rows, name="list.xlsx"):
    data = io.BytesIO(workbook(case.header, rows))
    data.name = name
    return data


def _roll_case(world):
    UnitFactory(name="新兴机械有限公司", org=world["township"], union=world["grassroots"])
    return Case(
        "roll",
        world["taiyuan_admin"],
        world["datong_editor"],
        {"org": world["grassroots"].pk},
        [[f"会员{i}", new_id_number(), "新兴机械有限公司", dt.date(2008, 5, 1)] for i in range(3)],
        ["坏行", "140105198001010012", "新兴机械有限公司", dt.date(2008, 5, 1)],
        ["姓名", "公民身份号码", "工作单位", "入会时间"],
        "new",
    )


def _disbursements_case(world):
    people = accounts(world)
    summer = campaign(world, kind="summer")
    raise_funds(summer, world["taiyuan"], "100000.00")
    return Case(
        "disbursements",
        people["county_editor"],
        world["datong_editor"],
        {"org": world["xiaodian"].pk, "campaign": summer.pk},
        [[f"职工{i}", new_id_number(), 300] for i in range(3)],
        ["坏行", "140105198001010012", 300],
        ["姓名", "身份证号", "现金"],
        "proposed",
    )


def _targets_case(world):
    return Case(
        "targets",
        world["taiyuan_admin"],
        world["datong_editor"],
        {},
        [
            ["小店区总工会", 2008, "新发展会员数", 10],
            ["坞城街道工会", 2008, "新发展会员数", 5],
            ["小店区总工会", 2008, "建会率", 90],
        ],
        ["小店区总工会", 2008, "没有的指标", 1],
        ["组织名称", "年度", "指标", "目标值"],
        "set",
    )


def _discovered_cases() -> dict:
    """Each app may add its kinds in ``<app>/tests/import_cases.py`` as
    ``IMPORT_CASES = {kind: (tables, build(world) -> Case)}`` without touching this file."""
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("unionworks."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.import_cases")
        except ModuleNotFoundError as exc:
            if exc.name and config.name in exc.name:
                continue
            raise
        found.update(module.IMPORT_CASES)
    return found


CASES = {
    "roll": (TABLES["roll"], _roll_case),
    "disbursements": (TABLES["disbursements"], _disbursements_case),
    "targets": (TABLES["targets"], _targets_case),
    **_discovered_cases(),
}
TABLES = {kind: tables for kind, (tables, _build) in CASES.items()}


@pytest.fixture(params=sorted(CASES))
def case(request, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS_MODE = "eager"
    return CASES[request.param][1](world)


def fingerprint(kind: str) -> str:
    digest = hashlib.sha256()
    for label in TABLES[kind]:
        model = apps.get_model(label)
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def post(client, case: Case, rows, **options):
    data = {**case.data, "file": upload_file(case, rows), **options}
    response = client.post(f"/imports/{case.kind}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Task.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def same_report(a: dict, b: dict) -> dict:
    keep = ("rows", "counts", "rejected", "ready", "errors")
    return {k: a[k] for k in keep} == {k: b[k] for k in keep}


def test_every_kind_is_registered_and_has_a_case_here():
    assert {"roll", "disbursements", "targets"} <= set(importers())
    assert set(importers()) <= set(CASES), "add the kind's case to <app>/tests/import_cases.py"


def test_a_dry_run_saves_nothing_and_reports_what_the_real_run_does(client, case):
    login_as(client, case.actor)
    before = fingerprint(case.kind)
    rows = [*case.good, case.bad_row]
    dry = post(client, case, rows, dry_run="on", save_good_rows="on")
    assert fingerprint(case.kind) == before
    assert dry.status == "done" and dry.result["dry_run"] and "预检" in dry.message
    real = post(client, case, rows, save_good_rows="on")
    assert real.result["saved"] and real.result[case.count] == len(case.good)
    assert same_report(dry.result, real.result)
    assert fingerprint(case.kind) != before


def test_a_refused_file_leaves_the_database_exactly_as_it_was(client, case):
    login_as(client, case.actor)
    before = fingerprint(case.kind)
    task = post(client, case, [*case.good, case.bad_row])
    assert task.status == "failed" and task.result["rejected"] == 1
    assert "全部未保存" in task.message
    assert fingerprint(case.kind) == before
    # The rejects workbook reads back: the original columns, then row, column and reason.
    download = client.get(f"/tasks/{task.pk}/download/")
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    assert rows[0] == (*case.header, "行号", "出错列", "原因")
    assert rows[1][: len(case.header) - 1] == tuple(case.bad_row[: len(case.header) - 1])
    assert rows[1][-3] == len(case.good) + 2 and rows[1][-1]


def test_uploading_the_same_file_again_changes_nothing(client, case):
    login_as(client, case.actor)
    first = post(client, case, case.good)
    assert first.status == "done" and first.result[case.count] == len(case.good)
    after_first = fingerprint(case.kind)
    again = post(client, case, case.good)
    assert again.status == "done"
    assert again.result[case.count] == 0 and again.result["unchanged"] == len(case.good)
    assert fingerprint(case.kind) == after_first


def test_an_outsider_gets_404_on_the_pages_and_the_api(client, case):
    login_as(client, case.actor)
    task = post(client, case, case.good)
    login_as(client, case.outsider)
    for url in (
        f"/imports/task/{task.pk}/",
        f"/tasks/{task.pk}/progress/",
        f"/tasks/{task.pk}/download/",
        f"/api/v1/imports/{task.pk}",
        f"/api/v1/imports/{task.pk}/rejects",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/imports/no-such-kind/").status_code == 404
    # An org or campaign outside the outsider's subtree is refused, not used.
    if case.data:
        data = {**case.data, "file": upload_file(case, case.good)}
        response = client.post(f"/imports/{case.kind}/", data)
        assert response.status_code in (200, 403) and Task.objects.count() == 1


def test_a_script_loads_a_file_through_the_api(client, case):
    key = issue_api_token(user=case.actor, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    data = {**case.data, "file": upload_file(case, [*case.good, case.bad_row])}
    response = client.post(f"/api/v1/imports/{case.kind}", data, **auth)
    assert response.status_code == 202, response.content.decode()
    body = response.json()
    assert body["kind"] == case.kind and body["status"] == "failed"
    status = client.get(f"/api/v1/imports/{body['id']}", **auth).json()
    assert status["result"]["rejected"] == 1 and status["rejects_url"]
    rejects = client.get(status["rejects_url"], **auth)
    assert rejects.status_code == 200
    # A bad choice is answered in Chinese, naming the field.
    wrong = client.post(
        f"/api/v1/imports/{case.kind}", {"file": upload_file(case, case.good, "x.pdf")}, **auth
    )
    assert wrong.status_code == 400 and wrong.json()["field"] in ("file", "org", "campaign")
