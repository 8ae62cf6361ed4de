"""Campaigns and who sees them, fund raising, centres, wage-arrears cases and trips."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from unionworks.accounts.models import User
from unionworks.assistance import selectors, services
from unionworks.assistance.models import Campaign, WageArrearsCase
from unionworks.assistance.tests.factories import campaign, new_id_number, raise_funds
from unionworks.core.errors import DomainError
from unionworks.core.tests.factories import UserFactory


def test_a_campaign_is_seen_by_its_organiser_and_the_unions_taking_part(world):
    warmth = campaign(world, org=world["taiyuan"], participants=[world["xiaodian"]])
    grassroots_user = UserFactory(org=world["grassroots"], role=User.Role.EDITOR)
    for user in (world["province_admin"], world["taiyuan_admin"], grassroots_user):
        assert selectors.campaign_for(user, warmth.pk) == warmth
    with pytest.raises(Http404):
        selectors.campaign_for(world["datong_editor"], warmth.pk)
    # A province campaign listing Taiyuan: Datong does not see it, Xiaodian (below) does.
    provincial = campaign(world, org=world["province"], participants=[world["taiyuan"]], name="省")
    assert provincial in selectors.campaigns_for(grassroots_user)
    assert provincial not in selectors.campaigns_for(world["datong_editor"])
    # With no participants listed the whole province takes part.
    everyone = campaign(world, org=world["province"], participants=[], name="全省")
    assert everyone in selectors.campaigns_for(world["datong_editor"])
    assert selectors.takes_part(everyone, world["pingcheng"])


def test_participants_must_be_below_the_organiser(world):
    with pytest.raises(DomainError) as refused:
        campaign(world, org=world["taiyuan"], participants=[world["pingcheng"]])
    assert refused.value.field == "participants"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"end_date": dt.date(2008, 1, 1)}, "end_date"),
        (
            {"year": 2010, "start_date": dt.date(2008, 1, 1), "end_date": dt.date(2008, 2, 1)},
            "year",
        ),
        ({"kind": "party"}, "kind"),
        ({"budget": "-1"}, "budget"),
        ({"name": ""}, "name"),
    ],
)
def test_campaign_input_is_checked(world, extra, field):
    with pytest.raises(DomainError) as refused:
        campaign(world, **extra)
    assert refused.value.field == field


def test_kind_and_year_are_fixed_once_money_is_recorded(world):
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"])
    with pytest.raises(DomainError) as refused:
        services.update_campaign(
            actor=world["taiyuan_admin"],
            campaign=warmth,
            org=warmth.org,
            kind=Campaign.Kind.SUMMER,
            name=warmth.name,
            year=2008,
            start_date=warmth.start_date,
            end_date=warmth.end_date,
        )
    assert refused.value.field == "kind"
    services.update_campaign(
        actor=world["taiyuan_admin"],
        campaign=warmth,
        org=warmth.org,
        kind=warmth.kind,
        name="两节送温暖",
        year=2008,
        start_date=warmth.start_date,
        end_date=warmth.end_date,
        budget="200000",
        participants=[],
    )
    warmth.refresh_from_db()
    assert (warmth.name, warmth.budget, warmth.participants.count()) == (
        "两节送温暖",
        Decimal("200000.00"),
        0,
    )


def test_raising_by_source_and_only_by_unions_taking_part(world):
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"], "5000.00", source="fiscal")
    raise_funds(warmth, world["xiaodian"], "1200.50", source="donation", goods="300")
    totals = selectors.campaign_totals(warmth)
    assert (totals.raised_cash, totals.raised_goods, totals.raised) == (
        Decimal("6200.50"),
        Decimal("300.00"),
        Decimal("6500.50"),
    )
    with pytest.raises(DomainError, match="没有参加"):
        raise_funds(warmth, world["pingcheng"])
    with pytest.raises(DomainError) as source:
        raise_funds(warmth, world["taiyuan"], source="lottery")
    assert source.value.field == "source"


def test_centre_with_its_funding(world):
    centre = services.create_centre(
        actor=world["taiyuan_admin"], org=world["xiaodian"], name="小店区帮扶中心"
    )
    services.record_centre_funding(
        actor=world["taiyuan_admin"],
        centre=centre,
        received_on=dt.date(2008, 4, 1),
        source="upper",
        amount="100000",
        purpose="帮扶中心建设资金",
    )
    listed = selectors.centres_for(world["taiyuan_admin"]).get()
    assert listed.funding_total == Decimal("100000.00")
    assert not selectors.centres_for(world["datong_editor"]).exists()
    with pytest.raises(DomainError, match="已有名为"):
        services.create_centre(actor=None, org=world["xiaodian"], name="小店区帮扶中心")


def test_wage_case_outcome_rules(world):
    def case(**extra):
        data = {
            "org": world["xiaodian"],
            "employer_name": "太原某建筑工程有限公司",
            "workers_count": 12,
            "amount_owed": "60000",
            "opened_on": dt.date(2008, 1, 3),
        }
        data.update(extra)
        return services.record_wage_case(actor=world["taiyuan_admin"], **data)

    for extra, field in [
        (
            {"amount_recovered": "70000", "status": "partial", "resolved_on": dt.date(2008, 1, 20)},
            "amount_recovered",
        ),
        (
            {"status": "recovered", "amount_recovered": "100", "resolved_on": dt.date(2008, 1, 20)},
            "amount_recovered",
        ),
        ({"status": "recovered", "amount_recovered": "60000"}, "resolved_on"),
        ({"workers_count": 0}, "workers_count"),
        ({"amount_owed": "0"}, "amount_owed"),
        ({"employer_name": ""}, "employer_name"),
    ]:
        with pytest.raises(DomainError) as refused:
            case(**extra)
        assert refused.value.field == field, extra
    known = [{"id_number": new_id_number(), "name": f"工人{i}"} for i in range(2)]
    record = case(workers=known)
    assert record.workers.count() == 2 and record.status == WageArrearsCase.Status.OPEN
    services.update_wage_case(
        actor=world["taiyuan_admin"],
        case=record,
        amount_recovered="45000.50",
        status="partial",
        resolved_on=dt.date(2008, 1, 25),
    )
    record.refresh_from_db()
    assert record.amount_recovered == Decimal("45000.50")
    with pytest.raises(DomainError, match="已登记"):
        services.add_wage_worker(actor=None, case=record, **known[0])


def test_trips_belong_to_a_safe_return_campaign(world):
    home = campaign(world, kind=Campaign.Kind.SAFE_RETURN, name="平安返乡")
    trip = services.record_trip(
        actor=world["taiyuan_admin"],
        campaign=home,
        org=world["xiaodian"],
        trip_date=dt.date(2008, 1, 28),
        workers_sent=45,
        destination="河南周口",
        vehicles=1,
    )
    assert trip.workers_sent == 45
    warmth = campaign(world, name="送温暖")
    with pytest.raises(DomainError) as refused:
        services.record_trip(
            actor=None,
            campaign=warmth,
            org=world["xiaodian"],
            trip_date=dt.date(2008, 1, 28),
            workers_sent=3,
        )
    assert refused.value.field == "campaign"
