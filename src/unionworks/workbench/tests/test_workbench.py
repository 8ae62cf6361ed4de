"""The 工作台: every account lands on it; its 待办 are counted in one scoped query each and
open the filtered list behind the count; its figures and activity stay in the subtree."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from unionworks.accounts.models import User
from unionworks.assistance.models import Disbursement
from unionworks.assistance.tests.factories import (
    accounts,
    campaign,
    open_file,
    propose,
    raise_funds,
)
from unionworks.core.models import Task
from unionworks.core.tests.factories import OrgFactory, UserFactory, login_as
from unionworks.core.todos import all_todos
from unionworks.members import services as member_services
from unionworks.members.tests.factories import join
from unionworks.orgs.models import Org


@pytest.fixture
def desk(world):
    people = accounts(world)
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"], "5000.00")
    waiting = [propose(warmth, world["xiaodian"]) for _ in range(4)]
    # Opened two years ago and never reviewed: overdue.
    overdue = open_file(world["xiaodian"], opened_on=timezone.localdate().replace(year=2007))
    member = join(world["grassroots"])
    datong_union = OrgFactory(
        name="大同煤矿集团工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"]
    )
    transfer = member_services.request_transfer(
        actor=None, member=member, to_org=datong_union, on=dt.date(2008, 5, 1)
    )
    return {
        **world,
        **people,
        "warmth": warmth,
        "waiting": waiting,
        "overdue": overdue,
        "transfer": transfer,
    }


def _counts(client) -> dict:
    return {
        item.todo.code: item.count
        for item in client.get(reverse("workbench:home")).context["todos"]
    }


def test_login_lands_on_the_workbench(client, world):
    response = client.post(
        reverse("login"), {"username": "taiyuan", "password": world["password"]}, follow=True
    )
    assert response.resolver_match.view_name == "workbench:home"
    html = response.content.decode()
    assert "工作台" in html and "待办" in html and "太原市总工会" in html
    # The org tree keeps a page of its own.
    assert client.get(reverse("orgs:tree")).status_code == 200


def test_anonymous_is_sent_to_login(client, db):
    for url in (reverse("workbench:home"), reverse("workbench:imports")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_reviewer_sees_the_disbursements_waiting_in_the_subtree(client, desk):
    login_as(client, desk["reviewer"])
    counts = _counts(client)
    assert counts["assistance.disbursements_to_review"] == 4
    # Reviewers do not accept transfers or review files: those items are not theirs.
    assert "members.transfers_to_accept" not in counts
    login_as(client, desk["datong_reviewer"])
    assert _counts(client)["assistance.disbursements_to_review"] == 0


def test_the_count_is_the_list_it_links_to(client, desk):
    login_as(client, desk["reviewer"])
    [item] = [
        i
        for i in client.get(reverse("workbench:home")).context["todos"]
        if i.todo.code == "assistance.disbursements_to_review"
    ]
    listed = client.get(item.url).context["page"].paginator.count
    assert listed == item.count == 4


def test_files_overdue_for_review_link_to_the_filtered_list(client, desk):
    login_as(client, desk["taiyuan_admin"])
    [item] = [
        i
        for i in client.get(reverse("workbench:home")).context["todos"]
        if i.todo.code == "assistance.files_review_overdue"
    ]
    assert item.count == 1
    page = client.get(item.url).context["page"]
    assert [f.pk for f in page.object_list] == [desk["overdue"].pk]
    login_as(client, desk["datong_editor"])
    assert _counts(client)["assistance.files_review_overdue"] == 0


def test_transfers_to_accept_wait_for_the_receiving_side_only(client, desk):
    login_as(client, desk["datong_editor"])
    [item] = [
        i
        for i in client.get(reverse("workbench:home")).context["todos"]
        if i.todo.code == "members.transfers_to_accept"
    ]
    assert item.count == 1
    page = client.get(item.url).context["page"]
    assert [t.pk for t in page.object_list] == [desk["transfer"].pk]
    # The sending side waits for nothing.
    login_as(client, desk["taiyuan_admin"])
    assert _counts(client)["members.transfers_to_accept"] == 0


def _task(user, status, **extra):
    return Task.objects.create(
        kind="import.roll",
        status=status,
        org=user.org,
        created_by=user,
        finished_at=timezone.now(),
        message="第3行：身份证号校验位不对",
        **extra,
    )


def test_the_accounts_own_imports_finished_or_failed(client, desk):
    me = desk["taiyuan_admin"]
    failed = _task(me, Task.Status.FAILED)
    _task(me, Task.Status.DONE)
    # Someone else's import in the same org, and an old one, are not this account's to-dos.
    colleague = UserFactory(username="taiyuan_editor", org=desk["taiyuan"], role=User.Role.EDITOR)
    _task(colleague, Task.Status.FAILED)
    old = _task(me, Task.Status.FAILED)
    Task.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=30))
    login_as(client, me)
    counts = _counts(client)
    assert counts["workbench.imports_failed"] == 1
    assert counts["workbench.imports_done"] == 1
    [item] = [
        i
        for i in client.get(reverse("workbench:home")).context["todos"]
        if i.todo.code == "workbench.imports_failed"
    ]
    page = client.get(item.url)
    assert [t.pk for t in page.context["page"].object_list] == [failed.pk]
    assert "身份证号校验位不对" in page.content.decode()
    # The outsider's list holds none of them.
    login_as(client, desk["datong_editor"])
    assert client.get(reverse("workbench:imports")).context["page"].paginator.count == 0


def test_every_count_is_one_query(desk):
    for user in (desk["reviewer"], desk["taiyuan_admin"], desk["datong_editor"]):
        for todo in all_todos():
            if not todo.applies_to(user):
                continue
            with CaptureQueriesContext(connection) as queries:
                todo.count(user)
            assert len(queries) == 1, (todo.code, [q["sql"] for q in queries])


def test_recent_activity_stays_in_the_subtree(client, desk):
    login_as(client, desk["taiyuan_admin"])
    recent = client.get(reverse("workbench:home")).context["recent"]
    assert recent and all(
        e.org is None or e.org.path.startswith(desk["taiyuan"].path) for e in recent
    )
    login_as(client, desk["datong_editor"])
    html = client.get(reverse("workbench:home")).content.decode()
    assert "李秀英" not in html and "王建国" not in html


def test_key_figures_are_the_orgs(client, desk):
    login_as(client, desk["taiyuan_admin"])
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 200
    projects = response.context["projects"]
    assert projects and all(p.figures for p in projects)
    assert 'id="figures"' in response.content.decode()


def test_every_role_opens_the_workbench(client, desk):
    for name in ("province_admin", "taiyuan_admin", "taiyuan_viewer", "datong_editor", "reviewer"):
        login_as(client, desk[name])
        assert client.get(reverse("workbench:home")).status_code == 200, name
        assert client.get(reverse("workbench:imports")).status_code == 200, name
    assert Disbursement.objects.filter(status=Disbursement.Status.PROPOSED).count() == 4
