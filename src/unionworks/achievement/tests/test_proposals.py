"""The proposal workflow: 提出 → 部门初审 → 评审委员会评审 → 采纳/不采纳 → 实施 → 奖励."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from unionworks.achievement import services
from unionworks.achievement.models import Proposal, ProposalAuthor, ProposalScore
from unionworks.achievement.tests.factories import DAY, accounts, adopted, new_id_number, proposal
from unionworks.core.errors import DomainError
from unionworks.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_proposal_is_entered_with_its_authors_sealed_and_numbered(world):
    number = new_id_number()
    record = proposal(world, authors=[("张建国", number), ("李红", new_id_number())])
    assert record.status == Proposal.Status.PROPOSED
    assert record.org == world["grassroots"]  # counted at the union covering the unit
    assert record.number == "2008-0001"
    assert proposal(world).number == "2008-0002"
    assert record.authors_count == 2
    author = record.authors.get(name="张建国")
    assert number not in author.id_number_mask and author.revealed_id_number() == number
    assert record.estimated_value == Decimal("12000.50")


def test_same_author_twice_on_one_proposal_is_refused(world):
    number = new_id_number()
    with pytest.raises(DomainError, match="第2名提出人") as caught:
        proposal(world, authors=[("张建国", number), ("张建国", number)])
    assert caught.value.field == "authors"
    assert not Proposal.objects.exists()


def test_bad_id_number_names_the_field_and_saves_nothing(world):
    with pytest.raises(DomainError) as caught:
        proposal(world, authors=[("张建国", "140105198001010012")])
    assert caught.value.field == "authors"
    assert not Proposal.objects.exists() and not ProposalAuthor.objects.exists()


def test_each_step_is_dated_and_by_whom(world):
    people = accounts(world)
    editor, reviewer = people["editor"], people["reviewer"]
    record = proposal(world, actor=editor)
    assert record.proposed_by == editor
    services.review_in_department(
        actor=reviewer, proposal=record, passed=True, on=dt.date(2008, 3, 10), opinion="可行"
    )
    services.score_proposal(
        actor=reviewer, proposal=record, technical=25, value_band="to_1m", economic=28,
        scope=12, practicality=13, on=dt.date(2008, 3, 20),
    )  # fmt: skip
    services.decide_proposal(actor=reviewer, proposal=record, adopt=True, on=dt.date(2008, 3, 25))
    services.implement_proposal(
        actor=editor, proposal=record, on=dt.date(2008, 4, 15),
        confirmed_value="123456.78", confirmed_savings="0.01",
    )  # fmt: skip
    services.reward_proposal(actor=editor, proposal=record, on=dt.date(2008, 5, 1), amount="800")
    record.refresh_from_db()
    assert record.status == Proposal.Status.REWARDED
    assert (record.dept_reviewed_on, record.dept_reviewed_by) == (dt.date(2008, 3, 10), reviewer)
    assert (record.committee_reviewed_on, record.committee_reviewed_by) == (
        dt.date(2008, 3, 20),
        reviewer,
    )
    assert (record.decided_on, record.decided_by) == (dt.date(2008, 3, 25), reviewer)
    assert (record.implemented_on, record.implemented_by) == (dt.date(2008, 4, 15), editor)
    assert (record.rewarded_on, record.rewarded_by) == (dt.date(2008, 5, 1), editor)
    assert record.confirmed_value == Decimal("123456.78")
    assert record.confirmed_savings == Decimal("0.01")
    assert record.reward_amount == Decimal("800.00")
    assert AuditEntry.objects.filter(object_id=str(record.pk)).count() == 6


def test_steps_cannot_be_skipped(world):
    record = proposal(world)
    with pytest.raises(DomainError, match="部门初审通过"):
        services.score_proposal(
            actor=None, proposal=record, technical=1, value_band="under_10k", economic=1,
            scope=1, practicality=1, on=DAY,
        )  # fmt: skip
    with pytest.raises(DomainError, match="评审委员会评审过"):
        services.decide_proposal(actor=None, proposal=record, adopt=True, on=DAY)
    with pytest.raises(DomainError, match="已采纳"):
        services.implement_proposal(
            actor=None, proposal=record, on=DAY, confirmed_value=1, confirmed_savings=0
        )
    with pytest.raises(DomainError, match="已实施"):
        services.reward_proposal(actor=None, proposal=record, on=DAY, amount=1)


def test_a_step_cannot_be_dated_before_the_one_before(world):
    record = adopted(world)
    with pytest.raises(DomainError, match="实施日期不能早于采纳决定日期") as caught:
        services.implement_proposal(
            actor=None, proposal=record, on=DAY - dt.timedelta(days=1),
            confirmed_value=1, confirmed_savings=0,
        )  # fmt: skip
    assert caught.value.field == "on"


def test_the_database_keeps_the_steps_in_order(world):
    record = proposal(world)
    with pytest.raises(IntegrityError):
        Proposal.objects.filter(pk=record.pk).update(decided_on=DAY - dt.timedelta(days=5))


def test_department_refusal_is_not_adopted_and_needs_an_opinion(world):
    record = proposal(world)
    with pytest.raises(DomainError, match="须写明意见"):
        services.review_in_department(actor=None, proposal=record, passed=False, on=DAY)
    services.review_in_department(
        actor=None, proposal=record, passed=False, on=DAY, opinion="已有同类措施"
    )
    record.refresh_from_db()
    assert record.status == Proposal.Status.NOT_ADOPTED and record.decided_on == DAY


def test_committee_can_decline(world):
    record = proposal(world)
    services.review_in_department(actor=None, proposal=record, passed=True, on=DAY)
    services.score_proposal(
        actor=None, proposal=record, technical=5, value_band="under_10k", economic=2,
        scope=3, practicality=4, on=DAY,
    )  # fmt: skip
    with pytest.raises(DomainError, match="理由"):
        services.decide_proposal(actor=None, proposal=record, adopt=False, on=DAY)
    services.decide_proposal(actor=None, proposal=record, adopt=False, on=DAY, note="效益不足")
    record.refresh_from_db()
    assert record.status == Proposal.Status.NOT_ADOPTED


def test_score_sheet_totals_and_caps(world):
    record = proposal(world)
    services.review_in_department(actor=None, proposal=record, passed=True, on=DAY)
    with pytest.raises(DomainError, match="技术水平得分31超过满分30") as caught:
        services.score_proposal(
            actor=None, proposal=record, technical=31, value_band="over_1m", economic=40,
            scope=15, practicality=15, on=DAY,
        )  # fmt: skip
    assert caught.value.field == "technical"
    with pytest.raises(DomainError, match="经济效益得分21超过“1万—10万元”档的上限20分"):
        services.score_proposal(
            actor=None, proposal=record, technical=20, value_band="to_100k", economic=21,
            scope=10, practicality=10, on=DAY,
        )  # fmt: skip
    sheet = services.score_proposal(
        actor=None, proposal=record, technical=22, value_band="to_100k", economic=18,
        scope=9, practicality=11, on=DAY, opinion="效益明显",
    )  # fmt: skip
    assert sheet.total == 60
    assert ProposalScore.objects.get(proposal=record).total == 60
    with pytest.raises(IntegrityError):
        ProposalScore.objects.filter(pk=sheet.pk).update(total=99)


def test_value_bands():
    assert services.band_of(Decimal("9999.99")) == "under_10k"
    assert services.band_of(Decimal("10000")) == "to_100k"
    assert services.band_of(Decimal("999999.99")) == "to_1m"
    assert services.band_of(Decimal("1000000")) == "over_1m"


def test_money_is_to_the_fen(world):
    with pytest.raises(DomainError) as caught:
        proposal(world, estimated_value="10.005")
    assert caught.value.field == "estimated_value"
    record = adopted(world)
    with pytest.raises(DomainError) as caught:
        services.implement_proposal(
            actor=None, proposal=record, on=DAY, confirmed_value="-1", confirmed_savings=0
        )
    assert caught.value.field == "confirmed_value"


def test_roles_and_scope(world):
    people = accounts(world)
    record = proposal(world)
    with pytest.raises(PermissionDenied):
        services.review_in_department(
            actor=world["taiyuan_viewer"], proposal=record, passed=True, on=DAY
        )
    with pytest.raises(PermissionDenied):
        services.review_in_department(actor=people["editor"], proposal=record, passed=True, on=DAY)
    with pytest.raises(PermissionDenied):
        proposal(world, actor=world["taiyuan_viewer"])
    with pytest.raises(DomainError, match="单位须在本组织"):
        proposal(world, actor=world["datong_editor"])
