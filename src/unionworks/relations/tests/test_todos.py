"""The 工作台 items of 和谐劳动关系: counts scoped to the account, links to the lists."""

import datetime as dt

from django.utils import timezone

from unionworks.core.todos import waiting_for
from unionworks.relations import services
from unionworks.relations.tests.factories import contract


def items(user) -> dict:
    return {w.todo.code: (w.count, w.url) for w in waiting_for(user)}


def test_contracts_to_file_to_renew_and_overdue_disputes_wait_for_the_union(world, client):
    today = timezone.localdate()
    contract(world, number="A")  # signed, not filed
    renewing = contract(world, number="B", signed_on=today - dt.timedelta(days=380), term_years=1)
    services.submit_contract(
        actor=None, contract=renewing, submitted_on=today - dt.timedelta(days=375)
    )  # in force for a year from 359 days ago: expires within 3 months
    services.accept_dispute(
        actor=None, org=world["grassroots"], unit=world["taiyuan_unit"], applicants=1,
        cause="wages", accepted_on=today - dt.timedelta(days=20),
    )  # fmt: skip
    found = items(world["taiyuan_admin"])
    assert found["relations.contracts_to_submit"][0] == 1
    assert found["relations.contracts_to_renew"] == (1, "/relations/?state=renewal")
    assert found["relations.disputes_overdue"][0] == 1
    assert not any(code.startswith("relations.") for code in items(world["datong_editor"]))
    assert not any(code.startswith("relations.") for code in items(world["taiyuan_viewer"]))
    client.force_login(world["taiyuan_admin"], backend="django.contrib.auth.backends.ModelBackend")
    listed = client.get("/relations/?state=renewal").content.decode()
    assert ">B</a>" in listed and ">A</a>" not in listed
