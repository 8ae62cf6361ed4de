"""Proposal → approval → payment, and every rule a disbursement must keep."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from unionworks.assistance import selectors, services
from unionworks.assistance.models import Campaign, Disbursement
from unionworks.assistance.tests.factories import (
    accounts,
    campaign,
    new_id_number,
    open_file,
    paid,
    propose,
    raise_funds,
)
from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD
from unionworks.core.models import AuditEntry
from unionworks.core.personal_data import unseal
from unionworks.members.tests.factories import join


@pytest.fixture
def setup(world):
    people = accounts(world)
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"], "1000.00")
    return {**world, **people, "warmth": warmth}


def test_a_proposal_is_approved_then_paid_with_every_step_audited(setup):
    editor, reviewer = setup["county_editor"], setup["reviewer"]
    number = new_id_number(birth_date=dt.date(1968, 2, 3))
    member = join(setup["grassroots"], id_number=number, name="赵春生")
    record = propose(
        setup["warmth"],
        setup["township"],
        actor=editor,
        id_number=number,
        name="赵春生",
        cash=Decimal("300.00"),
        goods_value=Decimal("150.50"),
    )
    assert record.status == Disbursement.Status.PROPOSED
    assert record.member == member and record.id_number_mask == number[:4] + "*" * 10 + number[-4:]
    assert unseal(record.id_number_cipher, field=ID_FIELD) == number
    assert (record.year, record.campaign_kind) == (2008, Campaign.Kind.WARMTH)
    services.approve_disbursement(actor=reviewer, disbursement=record, on=dt.date(2008, 1, 12))
    services.pay_disbursement(actor=editor, disbursement=record, paid_on=dt.date(2008, 1, 15))
    record.refresh_from_db()
    assert record.status == Disbursement.Status.PAID
    assert (record.decided_by, record.paid_on) == (reviewer, dt.date(2008, 1, 15))
    assert record.total == Decimal("450.50")
    totals = selectors.campaign_totals(setup["warmth"])
    assert (totals.raised, totals.paid, totals.balance) == (
        Decimal("1000.00"),
        Decimal("450.50"),
        Decimal("549.50"),
    )
    actions = AuditEntry.objects.filter(model="assistance.disbursement").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["create", "update", "update"]


def test_a_person_is_proposed_at_most_once_per_campaign(setup):
    number = new_id_number()
    propose(setup["warmth"], setup["township"], id_number=number)
    with pytest.raises(DomainError, match="同一活动每人只能领取一次"):
        propose(setup["warmth"], setup["grassroots"], id_number=number)
    # Another campaign may aid the same person.
    other = campaign(setup, kind=Campaign.Kind.SUMMER, name="防暑降温")
    propose(other, setup["township"], id_number=number)


def test_the_once_per_campaign_rule_is_a_database_constraint(setup):
    first = propose(setup["warmth"], setup["township"])
    copy = Disbursement.objects.get(pk=first.pk)
    copy.pk = None
    copy.status = Disbursement.Status.PAID
    copy.paid_on = dt.date(2008, 2, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_a_rejected_person_may_be_proposed_again(setup):
    number = new_id_number()
    first = propose(setup["warmth"], setup["township"], id_number=number)
    services.reject_disbursement(actor=setup["reviewer"], disbursement=first, reason="材料不全")
    again = propose(setup["warmth"], setup["township"], id_number=number)
    assert again.status == Disbursement.Status.PROPOSED


def test_warmth_to_a_hardship_worker_needs_an_open_file_within_the_campaign(setup):
    number = new_id_number(birth_date=dt.date(1962, 4, 4))
    with pytest.raises(DomainError, match="在档的困难职工档案") as refused:
        propose(setup["warmth"], setup["township"], id_number=number, category="hardship")
    assert refused.value.field == "id_number"
    # A file held outside the campaign's reach (another city) does not count.
    elsewhere = open_file(setup["pingcheng"], id_number=number)
    with pytest.raises(DomainError, match="在档的困难职工档案"):
        propose(setup["warmth"], setup["township"], id_number=number, category="hardship")
    services.close_file(
        actor=None, file=elsewhere, closed_on=dt.date(2007, 12, 1), note="随子女迁居太原"
    )
    file = open_file(setup["xiaodian"], id_number=number)
    record = propose(setup["warmth"], setup["township"], id_number=number, category="hardship")
    assert record.hardship_file == file
    # A migrant worker needs no file.
    propose(setup["warmth"], setup["township"], category="migrant")


def test_a_closed_file_does_not_qualify(setup):
    file = open_file(setup["xiaodian"])
    services.close_file(actor=None, file=file, closed_on=dt.date(2007, 12, 30), note="子女就业")
    number = unseal(file.id_number_cipher, field=ID_FIELD)
    with pytest.raises(DomainError, match="在档的困难职工档案"):
        propose(setup["warmth"], setup["township"], id_number=number, category="hardship")


def _student(**extra):
    data = {
        "category": "student",
        "school": "太原理工大学",
        "admission_year": 2008,
        "student_level": Disbursement.StudentLevel.UNDERGRADUATE,
        "cash": Decimal("2000.00"),
    }
    data.update(extra)
    return data


def test_schooling_records_the_student_and_aids_them_once_a_year(setup):
    autumn = campaign(setup, kind=Campaign.Kind.SCHOOLING, name="2008年金秋助学")
    number = new_id_number(birth_date=dt.date(1990, 9, 1))
    with pytest.raises(DomainError) as missing:
        propose(autumn, setup["township"], id_number=number, **_student(school=""))
    assert missing.value.field == "school"
    with pytest.raises(DomainError) as level:
        propose(autumn, setup["township"], id_number=number, **_student(student_level=""))
    assert level.value.field == "student_level"
    with pytest.raises(DomainError) as category:
        propose(autumn, setup["township"], id_number=number, **_student(category="hardship"))
    assert category.value.field == "category"
    record = propose(autumn, setup["township"], id_number=number, **_student())
    assert (record.school, record.admission_year, record.get_student_level_display()) == (
        "太原理工大学",
        2008,
        "本科",
    )
    # Another 金秋助学 campaign of the same year (the province's) may not aid them again.
    provincial = campaign(
        setup,
        kind=Campaign.Kind.SCHOOLING,
        org=setup["province"],
        participants=[],
        name="省金秋助学",
    )
    with pytest.raises(DomainError, match="2008年已获得过金秋助学"):
        propose(provincial, setup["township"], id_number=number, **_student())
    next_year = campaign(setup, kind=Campaign.Kind.SCHOOLING, year=2009, name="2009年金秋助学")
    propose(next_year, setup["township"], id_number=number, **_student(admission_year=2008))


def test_once_a_year_per_student_is_a_database_constraint(setup):
    autumn = campaign(setup, kind=Campaign.Kind.SCHOOLING, name="A")
    other = campaign(setup, kind=Campaign.Kind.SCHOOLING, name="B")
    first = propose(autumn, setup["township"], **_student())
    copy = Disbursement.objects.get(pk=first.pk)
    copy.pk, copy.campaign = None, other
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_a_campaign_cannot_pay_out_more_than_it_raised(setup):
    warmth = setup["warmth"]  # raised 1000.00
    first = propose(warmth, setup["township"], cash=Decimal("600.00"))
    second = propose(warmth, setup["township"], cash=Decimal("400.01"))
    for record in (first, second):
        services.approve_disbursement(
            actor=setup["reviewer"], disbursement=record, on=dt.date(2008, 1, 15)
        )
    services.pay_disbursement(actor=None, disbursement=first, paid_on=dt.date(2008, 1, 20))
    with pytest.raises(DomainError, match="余额不足") as refused:
        services.pay_disbursement(actor=None, disbursement=second, paid_on=dt.date(2008, 1, 20))
    assert "余额400.00元" in refused.value.message
    second.refresh_from_db()
    assert second.status == Disbursement.Status.APPROVED
    # Paying what is actually left (a smaller cash amount) goes through.
    services.pay_disbursement(
        actor=None, disbursement=second, paid_on=dt.date(2008, 1, 21), cash=Decimal("400.00")
    )
    assert selectors.campaign_totals(warmth).balance == Decimal("0.00")


def test_raising_more_lets_payment_go_on_and_a_paid_raising_cannot_be_withdrawn(setup):
    warmth = setup["warmth"]
    record = propose(warmth, setup["township"], cash=Decimal("1500.00"))
    services.approve_disbursement(actor=None, disbursement=record, on=dt.date(2008, 1, 15))
    extra = raise_funds(warmth, setup["xiaodian"], "600.00", source="donation")
    services.pay_disbursement(actor=None, disbursement=record, paid_on=dt.date(2008, 2, 1))
    with pytest.raises(DomainError, match="不能删除"):
        services.delete_raising(actor=None, raising=extra)


def test_only_approved_proposals_are_paid_and_rejection_needs_a_reason(setup):
    record = propose(setup["warmth"], setup["township"])
    with pytest.raises(DomainError, match="只有已批准"):  # not yet approved
        services.pay_disbursement(actor=None, disbursement=record, paid_on=dt.date(2008, 2, 1))
    with pytest.raises(DomainError) as no_reason:
        services.reject_disbursement(actor=setup["reviewer"], disbursement=record, reason=" ")
    assert no_reason.value.field == "reason"
    services.reject_disbursement(actor=setup["reviewer"], disbursement=record, reason="不符合条件")
    with pytest.raises(DomainError, match="只有待审核"):
        services.approve_disbursement(actor=setup["reviewer"], disbursement=record)


def test_roles_editor_proposes_reviewer_decides_viewer_does_nothing(setup):
    record = propose(setup["warmth"], setup["township"], actor=setup["county_editor"])
    with pytest.raises(PermissionDenied):
        services.approve_disbursement(actor=setup["county_editor"], disbursement=record)
    with pytest.raises(PermissionDenied):
        propose(setup["warmth"], setup["township"], actor=setup["taiyuan_viewer"])
    with pytest.raises(PermissionDenied):
        propose(setup["warmth"], setup["township"], actor=setup["reviewer"])
    # A reviewer of another city may not decide it.
    with pytest.raises(DomainError):
        services.approve_disbursement(actor=setup["datong_reviewer"], disbursement=record)
    # An admin (writer and reviewer) may not approve what they proposed themselves.
    own = propose(setup["warmth"], setup["township"], actor=setup["taiyuan_admin"])
    with pytest.raises(DomainError, match="自己提名"):
        services.approve_disbursement(actor=setup["taiyuan_admin"], disbursement=own)
    services.approve_disbursement(actor=setup["reviewer"], disbursement=record)


def test_only_unions_taking_part_propose(setup):
    with pytest.raises(DomainError, match="没有参加"):
        propose(setup["warmth"], setup["pingcheng"])
    with pytest.raises(DomainError):
        propose(setup["warmth"], setup["pingcheng"], actor=setup["county_editor"])
    # Below a participant is taking part; so is the organiser itself.
    propose(setup["warmth"], setup["grassroots"])
    propose(setup["warmth"], setup["taiyuan"])


@pytest.mark.parametrize(
    ("cash", "goods", "field", "words"),
    [
        ("-1", "0", "cash", "不能为负数"),
        ("10.005", "0", "cash", "精确到分"),
        ("0", "0", "cash", "不能都为零"),
        ("abc", "0", "cash", "不是有效的金额"),
        ("0", "-0.01", "goods_value", "不能为负数"),
    ],
)
def test_amounts_are_yuan_to_the_fen(setup, cash, goods, field, words):
    with pytest.raises(DomainError, match=words) as refused:
        propose(setup["warmth"], setup["township"], cash=cash, goods_value=goods)
    assert refused.value.field == field
    assert not Disbursement.objects.exists()


def test_a_bad_id_number_names_the_field(setup):
    with pytest.raises(DomainError, match="校验") as refused:
        propose(setup["warmth"], setup["township"], id_number="140105196503080012")
    assert refused.value.field == "id_number"


def test_paid_money_is_decimal_to_the_fen(setup):
    record = paid(setup["warmth"], setup["township"], cash=Decimal("123.4"), goods_value="0.6")
    record.refresh_from_db()
    assert record.cash == Decimal("123.40") and record.cash.as_tuple().exponent == -2
    assert selectors.campaign_totals(setup["warmth"]).paid == Decimal("124.00")
