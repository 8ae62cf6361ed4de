"""Workers' congresses (sessions, proposals, units without a session), 厂务公开, mediation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from unionworks.core.errors import DomainError
from unionworks.core.tests.factories import UnitFactory
from unionworks.relations import selectors, services
from unionworks.relations.models import CongressProposal, Dispute


def congress(world, **extra):
    data = {
        "org": world["grassroots"],
        "name": "太原重型机械有限公司职工代表大会",
        "units": [world["taiyuan_unit"]],
        "term_number": 5,
        "term_starts_on": dt.date(2007, 3, 1),
    }
    data.update(extra)
    return services.create_congress(actor=None, **data)


def session(the_congress, held_on=dt.date(2008, 3, 10), number=1, **extra):
    data = {"delegates_elected": 200, "delegates_present": 180, "frontline_delegates": 120,
            "women_delegates": 60, "items": "审议集体合同草案"}  # fmt: skip
    data.update(extra)
    return services.record_session(
        actor=None, congress=the_congress, number=number, held_on=held_on, **data
    )


def test_a_term_is_three_years_and_sessions_need_two_thirds_present(world):
    the_congress = congress(world)
    assert the_congress.term_ends_on == dt.date(2010, 3, 1)
    with pytest.raises(DomainError, match="三分之二") as refused:
        session(the_congress, delegates_present=130)
    assert refused.value.field == "delegates_present"
    with pytest.raises(DomainError, match="任期内"):
        session(the_congress, held_on=dt.date(2006, 1, 1))
    session(the_congress)
    with pytest.raises(DomainError, match="第1次会议已登记"):
        session(the_congress)


def test_proposals_carry_their_handling_status(world):
    meeting = session(congress(world))
    proposal = services.add_proposal(
        actor=None, session=meeting, title="改善职工食堂", proposer="王强等12人"
    )
    assert proposal.status == CongressProposal.Status.FILED
    assert proposal.status_on == meeting.held_on
    with pytest.raises(DomainError, match="日期不能为空"):
        services.change_proposal_status(actor=None, proposal=proposal, status="done", on=None)
    proposal = services.change_proposal_status(
        actor=None, proposal=proposal, status="done", on=dt.date(2008, 5, 1)
    )
    assert proposal.get_status_display() == "已办结"
    assert proposal.handled_on == proposal.status_on == dt.date(2008, 5, 1)
    services.elect_representative(
        actor=None, congress=meeting.congress, name="赵敏", role="director",
        elected_on=dt.date(2008, 3, 10),
    )  # fmt: skip
    assert meeting.congress.representatives.get().get_role_display() == "职工董事"


def test_a_proposals_handling_moves_on_by_dated_steps(world):
    meeting = session(congress(world))
    add = lambda title: services.add_proposal(  # noqa: E731
        actor=None, session=meeting, title=title, proposer="李红等8人"
    )
    change = services.change_proposal_status

    def refused(proposal, field, message, **step):
        with pytest.raises(DomainError, match=message) as caught:
            change(actor=None, proposal=proposal, **step)
        assert caught.value.field == field
        proposal.refresh_from_db()
        return proposal

    first = add("增设职工书屋")
    refused(first, "status", "该提案已是“立案”", status="filed", on=dt.date(2008, 3, 11))
    refused(first, "status", "办理状态", status="lost", on=dt.date(2008, 3, 11))
    refused(first, "on", "不能早于会议召开日期", status="handling", on=dt.date(2008, 3, 9))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused(first, "on", "不能晚于今天", status="handling", on=tomorrow)
    first = change(actor=None, proposal=first, status="handling", on=dt.date(2008, 3, 20))
    assert (first.status, first.status_on, first.handled_on) == (
        "handling", dt.date(2008, 3, 20), None
    )  # fmt: skip
    first = refused(first, "status", "只能改为已办结", status="declined", on=dt.date(2008, 4, 1),
                    reply="不属于职代会职权")  # fmt: skip
    assert first.status == "handling"  # nothing half-saved
    refused(first, "on", "上次办理状态变更日期2008-03-20", status="done", on=dt.date(2008, 3, 19))
    second = add("调整夜班补贴")
    refused(second, "reply", "说明理由", status="declined", on=dt.date(2008, 3, 15))
    second = change(actor=None, proposal=second, status="declined", on=dt.date(2008, 3, 15),
                    reply="属于集体协商事项，转入工资集体协商")  # fmt: skip
    assert (second.get_status_display(), second.handled_on) == ("不予立案", None)
    refused(second, "status", "“不予立案”的提案不能再改变办理状态", status="filed",
            on=dt.date(2008, 3, 16))  # fmt: skip
    # the audit keeps each step
    from unionworks.core.models import AuditEntry

    assert AuditEntry.objects.filter(object_id=str(first.pk), action="update").count() == 1


def test_only_a_writer_in_scope_changes_a_proposal(world):
    from django.core.exceptions import PermissionDenied

    proposal = services.add_proposal(
        actor=None, session=session(congress(world)), title="改善通勤", proposer="张三"
    )
    with pytest.raises(DomainError, match="本组织及下级组织范围内"):
        services.change_proposal_status(
            actor=world["datong_editor"], proposal=proposal, status="handling",
            on=dt.date(2008, 3, 20),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.change_proposal_status(
            actor=world["taiyuan_viewer"], proposal=proposal, status="handling",
            on=dt.date(2008, 3, 20),
        )  # fmt: skip


def test_a_unit_with_no_session_in_the_last_year_is_listed(world):
    idle = UnitFactory(name="长期未开职代会公司", org=world["township"], union=world["grassroots"])
    session(congress(world), held_on=dt.date(2008, 3, 10))
    admin = world["taiyuan_admin"]
    listed = set(selectors.units_without_session(admin, today=dt.date(2009, 3, 9)))
    assert listed == {idle}
    listed = set(selectors.units_without_session(admin, today=dt.date(2009, 3, 10)))
    assert listed == {idle, world["taiyuan_unit"]}
    assert not selectors.units_without_session(world["datong_editor"], today=dt.date(2009, 3, 9))


def test_openness_is_once_per_unit_and_year_from_the_dictionary(world):
    data = {"org": world["grassroots"], "unit": world["taiyuan_unit"], "year": 2008,
            "channels": ["board", "congress"], "supervisor": "厂务公开监督小组"}  # fmt: skip
    with pytest.raises(DomainError, match="不在字典中") as refused:
        services.record_openness(actor=None, items=["gossip"], **data)
    assert refused.value.field == "items"
    record = services.record_openness(actor=None, items=["pay", "safety"], **data)
    assert record.items == ["pay", "safety"]
    with pytest.raises(DomainError, match="已登记"):
        services.record_openness(actor=None, items=["pay"], **data)


def accepted(world, on=dt.date(2008, 6, 1), **extra):
    data = {"applicants": 3, "cause": "wages", "amount_claimed": Decimal("12000.00")}
    data.update(extra)
    return services.accept_dispute(
        actor=None, org=world["grassroots"], unit=world["taiyuan_unit"], accepted_on=on, **data
    )


def test_a_case_open_longer_than_15_days_is_flagged(world):
    case = accepted(world, on=dt.date(2008, 6, 1))
    assert case.deadline == dt.date(2008, 6, 16)
    admin = world["taiyuan_admin"]
    assert not case.overdue_on(dt.date(2008, 6, 16))
    assert case.overdue_on(dt.date(2008, 6, 17))
    assert not selectors.disputes_for(admin, overdue=True, today=dt.date(2008, 6, 16)).exists()
    assert selectors.disputes_for(admin, overdue=True, today=dt.date(2008, 6, 17)).get() == case
    services.close_dispute(
        actor=None, dispute=case, outcome="settled", closed_on=dt.date(2008, 6, 20),
        agreement_amount="9000.50",
    )  # fmt: skip
    assert not selectors.disputes_for(admin, overdue=True, today=dt.date(2008, 6, 21)).exists()
    case.refresh_from_db()
    assert case.agreement_amount == Decimal("9000.50")


def test_a_failed_mediation_goes_to_arbitration_without_an_amount(world):
    case = accepted(world)
    with pytest.raises(DomainError, match="没有协议金额"):
        services.close_dispute(
            actor=None, dispute=case, outcome="failed", closed_on=dt.date(2008, 6, 5),
            agreement_amount="10",
        )  # fmt: skip
    case = services.close_dispute(
        actor=None, dispute=case, outcome="failed", closed_on=dt.date(2008, 6, 5)
    )
    assert case.outcome == Dispute.Outcome.FAILED


def test_a_committee_is_chaired_by_the_union_with_both_sides(world):
    with pytest.raises(DomainError, match="一半"):
        services.create_committee(
            actor=None, org=world["grassroots"], unit=world["taiyuan_unit"], chair="李主席",
            worker_members=2, employer_members=3, established_on=dt.date(2007, 1, 1),
        )  # fmt: skip
    committee = services.create_committee(
        actor=None, org=world["grassroots"], unit=world["taiyuan_unit"], chair="李主席",
        worker_members=3, employer_members=2, established_on=dt.date(2007, 1, 1),
    )  # fmt: skip
    case = accepted(world, committee=committee)
    assert case.committee == committee
