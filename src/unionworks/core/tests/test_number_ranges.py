"""Numbers too large for their column are refused at the edge with a Chinese message — on
SQLite and PostgreSQL alike — never a 500, never stored (then unreadable)."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from unionworks.assistance.models import (
    AssistanceCentre,
    Campaign,
    Disbursement,
    FundRaising,
    SafeReturnTrip,
)
from unionworks.assistance.tests.factories import (
    accounts,
    campaign,
    new_id_number,
    propose,
    raise_funds,
)
from unionworks.core.errors import DomainError
from unionworks.core.numbers import (
    MAX_BIGINT,
    Bounds,
    check_bounds,
    field_bounds,
    form_bounds,
    largest_decimal,
    schema_bounds,
)
from unionworks.core.tests.factories import login_as
from unionworks.orgs.models import Unit
from unionworks.orgs.tests.test_api import unit_payload
from unionworks.stats import services as stats_services
from unionworks.stats.models import Target

API = "/api/v1"
HUGE = ["1e308", 1e308, 10**30, "99999999999999999999.99", 2**63]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
MONEY_FIELDS = {"cash", "goods_value", "budget", "household_income", "local_line", "cost",
                "yearly_income", "amount_owed", "amount_recovered", "amount"}  # fmt: skip


def test_bounds_of_the_fields():
    assert field_bounds(Unit, "employees") == Bounds(0, 2147483647)
    assert field_bounds(SafeReturnTrip, "vehicles") == Bounds(0, 32767)
    # DECIMAL(16, 2), but SQLite reads a 16th digit back wrong: 15 digits on both databases.
    assert field_bounds(Target, "value") == Bounds(
        Decimal("-99999999999999.9"), Decimal("99999999999999.9"), 16, 2
    )
    assert field_bounds(FundRaising, "cash").hi == largest_decimal(14, 2)
    assert MAX_BIGINT == 2**63 - 1
    assert form_bounds(Unit, "employees", min_value=1) == {"min_value": 1, "max_value": 2147483647}
    assert schema_bounds(Campaign, "year", le=2100) == {"ge": 0, "le": 2100}
    with pytest.raises(DomainError, match="职工人数过大（不能超过2,147,483,647）") as refused:
        check_bounds(2**31, Unit, "employees", label="职工人数")
    assert refused.value.field == "employees"
    check_bounds(2**31 - 1, Unit, "employees", label="职工人数")


def send(client, method, url, data=None):
    client.raise_request_exception = False
    if method == "get":
        return client.get(f"{API}{url}")
    return getattr(client, method)(f"{API}{url}", json.dumps(data), content_type="application/json")


def assert_refused(response, field=None):
    assert response.status_code in (400, 422), (response.status_code, response.content[:300])
    body = response.json()
    assert CHINESE.search(body["detail"]), body
    if field:
        assert body["field"] == field, body


@pytest.fixture
def setup(world):
    people = accounts(world)
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"], "100000.00")
    home = campaign(world, kind=Campaign.Kind.SAFE_RETURN, name="平安返乡")
    record = propose(warmth, world["township"], cash=Decimal("300.00"))
    centre = AssistanceCentre.objects.create(org=world["xiaodian"], name="小店区帮扶中心")
    return {**world, **people, "warmth": warmth, "home": home, "record": record, "centre": centre}


@pytest.mark.parametrize(
    "url",
    [
        "/targets/?offset=99999999999999999999",
        f"/targets/?offset={2**63}",
        "/members/?offset=1e308",
        f"/units/?offset={2**63 - 1}",
        f"/orgs/?limit={10**30}",
        "/raisings/?offset=99999999999999999999",
    ],
)
def test_pagination_beyond_its_range_is_a_422(client, world, url):
    login_as(client, world["province_admin"])
    assert_refused(send(client, "get", url))


@pytest.mark.parametrize(
    "url",
    [
        f"/targets/?year={10**30}",
        f"/members/?org={2**63}",
        f"/orgs/{10**30}",
        f"/units/?org={2**64}",
        f"/disbursements/?campaign={10**30}",
        f"/targets/completion/?year={2**63}",
    ],
)
def test_huge_ids_and_filters_find_nothing_without_a_500(client, world, url):
    login_as(client, world["province_admin"])
    response = send(client, "get", url)
    assert response.status_code < 500, response.content[:300]


def target_body(world, **overrides):
    return {"org": world["taiyuan"].pk, "year": 2008, "indicator": "members", "value": "1"} | (
        overrides
    )


@pytest.mark.parametrize(
    "overrides",
    [
        *({"value": v} for v in HUGE),
        {"value": "100000000000000"},
        {"value": "99999999999999.995"},
        {"value": "NaN"},
        {"year": 10**30},
        {"year": 2**63},
    ],
)
def test_a_target_beyond_the_column_is_refused_by_the_api(client, world, overrides):
    login_as(client, world["province_admin"])
    response = send(client, "post", "/targets/", target_body(world, **overrides))
    assert_refused(response, field=next(iter(overrides)))
    assert not Target.objects.exists()
    assert send(client, "get", "/targets/").status_code == 200


def test_the_largest_target_is_kept_and_listed(client, world):
    login_as(client, world["province_admin"])
    created = send(client, "post", "/targets/", target_body(world, value="99999999999999.90"))
    assert created.status_code == 201, created.json()
    assert_refused(send(client, "post", "/targets/", target_body(world, value="99999999999999.99")))
    login_as(client, world["taiyuan_admin"])  # an ancestor's lists read it back
    assert send(client, "get", "/targets/").json()["items"][0]["value"] == "99999999999999.90"
    assert client.get("/stats/targets/?year=2008").status_code == 200


@pytest.mark.parametrize("value", ["99999999999999999999.99", Decimal("1e20"), "1e308", 10**30])
def test_set_target_refuses_a_value_beyond_the_column(world, value):
    """The one service behind the target page, the API and the upload."""
    with pytest.raises(DomainError) as refused:
        stats_services.set_target(
            actor=world["province_admin"],
            org=world["taiyuan"],
            year=2008,
            indicator="members",
            value=value,
        )
    assert refused.value.field == "value" and "目标值" in refused.value.message
    assert not Target.objects.exists()


def test_the_target_page_refuses_an_oversized_value(client, world):
    login_as(client, world["province_admin"])
    response = client.post(
        "/stats/targets/?year=2008",
        {"org": world["taiyuan"].pk, "indicator": "members", "value": "99999999999999999999.99",
         "year": 2008},
    )  # fmt: skip
    assert response.status_code == 200 and response.context["form"].errors["value"]
    assert not Target.objects.exists()


def unit_calls(world):
    unit = world["taiyuan_unit"]
    for name in ("employees", "migrant_workers", "women_workers"):
        for value in (2**31, 10**30, 1e308):
            yield "post", "/units/", unit_payload(world, **{name: value}), name
            yield "put", f"/units/{unit.pk}", unit_payload(world, **{name: value}), name
            yield "patch", f"/units/{unit.pk}", {name: value}, name


def test_unit_head_counts_beyond_the_column(client, world):
    login_as(client, world["province_admin"])
    for method, url, data, field in unit_calls(world):
        assert_refused(send(client, method, url, data), field=field)
    assert Unit.objects.count() == 2
    top = send(client, "post", "/units/", unit_payload(world, employees=2147483647))
    assert top.status_code == 201, top.json()


def assistance_calls(s):
    person = {"id_number": new_id_number(), "name": "刘海"}
    propose_body = {"campaign": s["warmth"].pk, "org": s["township"].pk, "category": "migrant",
                    "cash": "1", **person}  # fmt: skip
    raising = {"campaign": s["warmth"].pk, "org": s["taiyuan"].pk, "source": "own",
               "received_on": "2008-01-10", "cash": "1"}  # fmt: skip
    campaign_body = {"org": s["taiyuan"].pk, "kind": "other", "name": "x", "year": 2008,
                     "start_date": "2008-01-01", "end_date": "2008-01-02"}  # fmt: skip
    file_body = {"org": s["xiaodian"].pk, "name": "郭秀梅", "household_size": 2,
                 "household_income": "4800", "local_line": "260", "level": "accident",
                 "causes": ["accident"], "opened_on": "2008-02-01", **person}  # fmt: skip
    case_body = {"org": s["xiaodian"].pk, "workers_count": 3, "amount_owed": "3000",
                 "opened_on": "2008-01-05"}  # fmt: skip
    trip_body = {"campaign": s["home"].pk, "org": s["xiaodian"].pk, "trip_date": "2008-01-28",
                 "workers_sent": 40}  # fmt: skip
    centre = f"/assistance-centres/{s['centre'].pk}/funding"
    funding = {"received_on": "2008-01-10", "source": "own", "amount": "1"}
    for huge in HUGE:
        yield "/raisings/", raising | {"cash": huge}, "cash"
        yield "/raisings/", raising | {"goods_value": huge}, "goods_value"
        yield "/disbursements/", propose_body | {"cash": huge}, "cash"
        yield "/disbursements/", propose_body | {"goods_value": huge}, "goods_value"
        yield "/campaigns/", campaign_body | {"budget": huge}, "budget"
        yield "/campaigns/", campaign_body | {"year": huge}, "year"
        yield "/hardship-files/", file_body | {"household_income": huge}, "household_income"
        yield "/hardship-files/", file_body | {"local_line": huge}, "local_line"
        yield "/hardship-files/", file_body | {"household_size": huge}, "household_size"
        household = [{"name": "郭小军", "relation": "儿子", "yearly_income": huge}]
        yield "/hardship-files/", file_body | {"household": household}, "yearly_income"
        yield "/wage-cases/", case_body | {"amount_owed": huge}, "amount_owed"
        yield "/wage-cases/", case_body | {"amount_recovered": huge}, "amount_recovered"
        yield "/wage-cases/", case_body | {"workers_count": huge}, "workers_count"
        workers = [{"id_number": new_id_number(), "name": "马强", "amount": huge}]
        yield "/wage-cases/", case_body | {"workers": workers}, "amount"
        yield "/safe-return-trips/", trip_body | {"workers_sent": huge}, "workers_sent"
        yield "/safe-return-trips/", trip_body | {"vehicles": huge}, "vehicles"
        yield "/safe-return-trips/", trip_body | {"cost": huge}, "cost"
        yield "/assistance-centres/", {"org": s["xiaodian"].pk, "name": "y", "staff": huge}, "staff"
        yield centre, funding | {"amount": huge}, "amount"


def test_assistance_numbers_beyond_the_column(client, setup):
    login_as(client, setup["taiyuan_admin"])
    before = (Campaign.objects.count(), FundRaising.objects.count(), Disbursement.objects.count())
    for url, data, field in assistance_calls(setup):
        response = send(client, "post", url, data)
        assert_refused(response, field=field)
        if field in MONEY_FIELDS:
            assert "过大" in response.json()["detail"] or "不能大于" in response.json()["detail"]
    after = (Campaign.objects.count(), FundRaising.objects.count(), Disbursement.objects.count())
    assert after == before


def test_paying_and_updating_a_case_beyond_the_column(client, setup):
    login_as(client, setup["taiyuan_admin"])
    record = setup["record"]
    from unionworks.assistance import services

    services.approve_disbursement(actor=None, disbursement=record, on=dt.date(2008, 1, 12))
    case = services.record_wage_case(
        actor=None, org=setup["xiaodian"], employer_name="某公司", workers_count=3,
        amount_owed="3000", opened_on=dt.date(2008, 1, 5),
    )  # fmt: skip
    for huge in HUGE:
        pay = {"paid_on": "2008-01-20", "cash": huge}
        assert_refused(send(client, "post", f"/disbursements/{record.pk}/pay", pay), "cash")
        patch = {"amount_recovered": huge, "status": "partial"}
        assert_refused(send(client, "patch", f"/wage-cases/{case.pk}", patch), "amount_recovered")
        count = {"amount_recovered": "1", "status": "partial", "workers_count": huge}
        assert_refused(send(client, "patch", f"/wage-cases/{case.pk}", count), "workers_count")
        worker = {"id_number": new_id_number(), "name": "马强", "amount": huge}
        assert_refused(send(client, "post", f"/wage-cases/{case.pk}/workers", worker), "amount")
    record.refresh_from_db()
    assert record.status == Disbursement.Status.APPROVED


def test_money_in_the_api_reads_like_a_clerk_types_it(client, setup):
    login_as(client, setup["taiyuan_admin"])
    body = {"campaign": setup["warmth"].pk, "org": setup["taiyuan"].pk, "source": "own",
            "received_on": "2008-01-10", "cash": "1,200.50", "goods_value": 999999999999.99}  # fmt: skip
    created = send(client, "post", "/raisings/", body)
    assert created.status_code == 201, created.json()
    assert (created.json()["cash"], created.json()["goods_value"]) == (
        "1200.50",
        "999999999999.99",
    )
    for value, reason in [("12.345", "最多精确到分"), ("-1", "不能为负数"), ("abc", "不是有效的金额"),
                          (None, "不能为空"), (True, "应为金额")]:  # fmt: skip
        response = send(client, "post", "/raisings/", body | {"cash": value})
        assert response.status_code == 422 and reason in response.json()["detail"], value
        assert response.json()["detail"].startswith("输入有误：cash：")


# ---- the pages -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [str(2**31), str(10**30), "1e308"])
@pytest.mark.parametrize("name", ["employees", "migrant_workers", "women_workers"])
def test_the_unit_page_refuses_head_counts_beyond_the_column(client, world, name, value):
    from django.urls import reverse

    from unionworks.orgs.tests.test_views import unit_form

    login_as(client, world["province_admin"])
    response = client.post(reverse("orgs:unit_create"), unit_form(world, **{name: value}))
    assert response.status_code == 200 and CHINESE.search(response.context["form"].errors[name][0])
    assert Unit.objects.count() == 2


def test_the_assistance_pages_refuse_numbers_beyond_the_column(client, setup):
    from django.urls import reverse

    login_as(client, setup["taiyuan_admin"])
    trip = {"org": setup["xiaodian"].pk, "trip_date": "2008-01-28", "workers_sent": "40"}
    raising = {"org": setup["taiyuan"].pk, "source": "own", "received_on": "2008-01-10"}
    for url, data, field in [
        (reverse("assistance:trip_create", args=[setup["home"].pk]), trip | {"vehicles": "99999"}, "vehicles"),
        (reverse("assistance:trip_create", args=[setup["home"].pk]), trip | {"workers_sent": str(10**30)}, "workers_sent"),
        (reverse("assistance:trip_create", args=[setup["home"].pk]), trip | {"cost": "1e308"}, "cost"),
        (reverse("assistance:centre_create"), {"org": setup["xiaodian"].pk, "name": "x", "staff": "40000"}, "staff"),
        (reverse("assistance:raising_create", args=[setup["warmth"].pk]), raising | {"cash": "1e308"}, "cash"),
        (reverse("assistance:raising_create", args=[setup["warmth"].pk]), raising | {"cash": "1,000,000,000,000"}, "cash"),
    ]:  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 200, (url, response.status_code)
        errors = response.context["form"].errors
        assert field in errors and CHINESE.search(errors[field][0]), (field, errors)
    assert not SafeReturnTrip.objects.exists() and FundRaising.objects.count() == 1


def test_the_raising_page_reads_money_as_clerks_type_it(client, setup):
    from django.urls import reverse

    login_as(client, setup["taiyuan_admin"])
    data = {"org": setup["taiyuan"].pk, "source": "own", "received_on": "2008-01-10",
            "cash": "1,200.50", "goods_value": "３００元"}  # fmt: skip
    response = client.post(reverse("assistance:raising_create", args=[setup["warmth"].pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    made = FundRaising.objects.latest("id")
    assert (made.cash, made.goods_value) == (Decimal("1200.50"), Decimal("300.00"))
