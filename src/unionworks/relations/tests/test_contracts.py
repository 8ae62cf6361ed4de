"""Collective contracts: entry, the filing workflow and its day rules, renewal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from unionworks.core.errors import DomainError
from unionworks.core.models import AuditEntry
from unionworks.relations import selectors, services
from unionworks.relations.models import CollectiveContract, Scope
from unionworks.relations.tests.factories import contract, in_force, small_units


def test_a_contract_is_recorded_with_its_parties_and_congress_approval(world):
    record = contract(world, kind="wage", employer_negotiator="张总", union_negotiator="李主席")
    assert record.number == "2008-0001"
    assert record.status == CollectiveContract.Status.SIGNED
    assert record.filing_deadline == dt.date(2008, 6, 11)
    assert record.wage_rise == Decimal("8.50")
    assert list(record.units.all()) == [world["taiyuan_unit"]]
    assert AuditEntry.objects.filter(model="relations.collectivecontract").count() == 1


def test_a_contract_signed_on_the_1st_and_filed_on_the_12th_is_late(world):
    late = contract(world, signed_on=dt.date(2008, 6, 1))
    late = services.submit_contract(actor=None, contract=late, submitted_on=dt.date(2008, 6, 12))
    assert late.filed_late is True
    on_time = contract(world, signed_on=dt.date(2008, 6, 1), number="B")
    on_time = services.submit_contract(
        actor=None, contract=on_time, submitted_on=dt.date(2008, 6, 11)
    )
    assert on_time.filed_late is False


def test_with_no_objection_by_day_15_the_contract_is_in_force(world):
    record = contract(world, signed_on=dt.date(2008, 6, 1))
    record = services.submit_contract(actor=None, contract=record, submitted_on=dt.date(2008, 6, 5))
    assert record.objection_deadline == dt.date(2008, 6, 20)
    assert not record.in_force_on(dt.date(2008, 6, 20))
    assert record.in_force_on(dt.date(2008, 6, 21))
    assert record.state_on(dt.date(2008, 6, 10)) == "审查中"
    assert record.state_on(dt.date(2008, 6, 21)) == "已生效"
    assert record.expires_on == dt.date(2011, 6, 21)


def test_an_objection_within_15_days_sends_it_back_with_the_reason(world):
    record = contract(world, signed_on=dt.date(2008, 6, 1))
    record = services.submit_contract(actor=None, contract=record, submitted_on=dt.date(2008, 6, 5))
    with pytest.raises(DomainError, match="理由") as refused:
        services.record_objection(
            actor=None, contract=record, objected_on=dt.date(2008, 6, 18), reason=" "
        )
    assert refused.value.field == "reason"
    record = services.record_objection(
        actor=None, contract=record, objected_on=dt.date(2008, 6, 20), reason="工时条款低于法定标准"
    )
    assert record.status == CollectiveContract.Status.OBJECTED
    assert record.objection_reason == "工时条款低于法定标准"
    assert not record.in_force_on(dt.date(2008, 7, 1))
    # Revised and submitted again: the first submission still decides whether it was late.
    record = services.submit_contract(
        actor=None, contract=record, submitted_on=dt.date(2008, 6, 25)
    )
    assert record.in_force_on(dt.date(2008, 7, 11)) and record.filed_late is False


def test_no_objection_after_the_review_period(world):
    record = contract(world, signed_on=dt.date(2008, 6, 1))
    record = services.submit_contract(actor=None, contract=record, submitted_on=dt.date(2008, 6, 5))
    with pytest.raises(DomainError, match="审查期已满"):
        services.record_objection(
            actor=None, contract=record, objected_on=dt.date(2008, 6, 21), reason="迟到的异议"
        )


def test_a_contract_expiring_on_the_30th_counts_on_the_29th_and_not_on_the_31st(world):
    # Submitted 2008-10-14: in force from 2008-10-30 for one year, to 2009-10-30.
    record = contract(world, signed_on=dt.date(2008, 10, 10), term_years=1)
    record = services.submit_contract(
        actor=None, contract=record, submitted_on=dt.date(2008, 10, 14)
    )
    assert record.expires_on == dt.date(2009, 10, 30)
    counted = selectors.contracts_in_force_on
    assert counted(dt.date(2009, 10, 29)).filter(pk=record.pk).exists()
    assert not counted(dt.date(2009, 10, 30)).filter(pk=record.pk).exists()
    assert not counted(dt.date(2009, 10, 31)).filter(pk=record.pk).exists()
    assert record.state_on(dt.date(2009, 10, 31)) == "已到期"


def test_publishing_needs_the_contract_in_force(world):
    record = in_force(world)
    with pytest.raises(DomainError, match="生效后"):
        services.publish_contract(actor=None, contract=record, published_on=dt.date(2008, 6, 5))
    record = services.publish_contract(
        actor=None, contract=record, published_on=dt.date(2008, 6, 20)
    )
    assert record.published_on == dt.date(2008, 6, 20)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"term_years": 4}, "term_years", "1至3年"),
        ({"women_covered": 1300}, "women_covered", "不能多于"),
        ({"congress_votes_for": 90}, "congress_votes_for", "半数以上"),
        ({"congress_approved_on": dt.date(2008, 6, 2)}, "congress_approved_on", "签订前"),
        ({"kind": "wage", "wage_rise": None}, "wage_rise", "约定工资增幅"),
        ({"wage_rise": "5"}, "wage_rise", "只有工资专项"),
        ({"employees_covered": "十"}, "employees_covered", "整数"),
    ],
)
def test_bad_input_names_the_field(world, changes, field, message):
    with pytest.raises(DomainError, match=message) as refused:
        contract(world, **changes)
    assert refused.value.field == field
    assert not CollectiveContract.objects.exists()


def test_an_enterprise_contract_covers_one_unit_a_regional_one_many(world):
    units = small_units(world, 3)
    with pytest.raises(DomainError, match="只覆盖") as refused:
        contract(world, units=units)
    assert refused.value.field == "units"
    regional = contract(world, org=world["township"], units=units, scope=Scope.REGIONAL)
    assert regional.units.count() == 3


def test_a_unit_outside_the_actors_subtree_is_refused(world):
    with pytest.raises(DomainError, match="不在本组织") as refused:
        contract(world, units=[world["datong_unit"]], actor=world["taiyuan_admin"])
    assert refused.value.field == "units"


def test_a_viewer_cannot_record_a_contract(world):
    with pytest.raises(PermissionDenied):
        contract(world, actor=world["taiyuan_viewer"])


def test_the_contract_number_is_unique_per_union_in_the_database(world):
    record = contract(world, number="HT-1")
    with pytest.raises(DomainError, match="相同编号"):
        contract(world, number="HT-1")
    copy = CollectiveContract.objects.get(pk=record.pk)
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_a_contract_expiring_within_3_months_is_a_renewal_to_do(world, monkeypatch):
    record = in_force(world, signed_on=dt.date(2008, 6, 1), term_years=1)  # to 2009-06-18
    today = dt.date(2009, 4, 1)
    assert selectors.due_for_renewal(world["taiyuan_admin"], today=today).get() == record
    assert not selectors.due_for_renewal(world["taiyuan_admin"], today=dt.date(2009, 3, 1))
    assert not selectors.due_for_renewal(world["datong_editor"], today=today).exists()
    renewal = contract(world, signed_on=dt.date(2008, 12, 1), renews=record, number="R")
    assert renewal.renews == record
    assert not selectors.due_for_renewal(world["taiyuan_admin"], today=today).exists()
    with pytest.raises(DomainError, match="已经续签"):
        contract(world, renews=record, number="R2")


def test_an_objected_contract_is_corrected_and_submitted_again(world):
    record = contract(world, signed_on=dt.date(2008, 6, 1))
    record = services.submit_contract(actor=None, contract=record, submitted_on=dt.date(2008, 6, 5))
    with pytest.raises(DomainError, match="不能修改"):
        services.update_contract(actor=None, contract=record, term_years=2)
    record = services.record_objection(
        actor=None, contract=record, objected_on=dt.date(2008, 6, 10), reason="期限条款不明确"
    )
    units = small_units(world, 2)
    with pytest.raises(DomainError, match="只覆盖"):
        services.update_contract(actor=None, contract=record, units=units)
    record = services.update_contract(actor=None, contract=record, term_years=2)
    assert record.term_years == 2
    record = services.submit_contract(
        actor=None, contract=record, submitted_on=dt.date(2008, 6, 15)
    )
    assert record.expires_on == dt.date(2010, 7, 1)
