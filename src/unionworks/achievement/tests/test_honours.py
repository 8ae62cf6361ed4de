"""Honours, model-worker files, nominations and the composition rules, libraries, training."""

import datetime as dt
from decimal import Decimal

import pytest

from unionworks.achievement import services
from unionworks.achievement.models import Nomination, SavingsResult
from unionworks.achievement.tests.factories import new_id_number
from unionworks.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _round(world, **extra):
    data = {
        "kind": "model_worker", "level": "province", "year": 2008, "name": "2008年省劳动模范评选",
        "quota": 10, "deadline": dt.date(2008, 4, 1), "min_frontline_share": 40,
        "min_migrant_share": 10, "max_head_share": 20,
    }  # fmt: skip
    data.update(extra)
    return services.create_round(actor=None, org=world["province"], **data)


def _list(world, round_, *, frontline: int, migrant: int, heads: int, total: int):
    for i in range(total):
        services.nominate(
            actor=None, round=round_, org=world["taiyuan"], name=f"候选人{i}",
            id_number=new_id_number(), frontline=i < frontline, migrant=i < migrant,
            unit_head=i >= total - heads,
        )  # fmt: skip


def test_list_one_short_of_the_frontline_share_is_refused_with_the_numbers(world):
    round_ = _round(world)
    # 10 on the list: 40 % front-line means at least 4; the list has 3.
    _list(world, round_, frontline=3, migrant=2, heads=1, total=10)
    with pytest.raises(DomainError) as caught:
        services.submit_nominations(
            actor=None, round=round_, org=world["taiyuan"], on=dt.date(2008, 3, 1)
        )
    message = caught.value.message
    assert "一线职工和专业技术人员应不少于40%" in message
    assert "名单共10人，一线职工和专业技术人员3人，至少需要4人（还差1人）" in message
    assert not Nomination.objects.filter(status=Nomination.Status.SUBMITTED).exists()


def test_list_meeting_every_share_is_submitted(world):
    round_ = _round(world)
    _list(world, round_, frontline=4, migrant=1, heads=2, total=10)
    assert (
        services.submit_nominations(
            actor=None, round=round_, org=world["taiyuan"], on=dt.date(2008, 3, 1)
        )
        == 10
    )
    assert Nomination.objects.filter(status=Nomination.Status.SUBMITTED).count() == 10


def test_too_many_heads_and_migrants_short(world):
    round_ = _round(world)
    _list(world, round_, frontline=5, migrant=0, heads=3, total=10)
    with pytest.raises(DomainError) as caught:
        services.submit_nominations(
            actor=None, round=round_, org=world["taiyuan"], on=dt.date(2008, 3, 1)
        )
    assert "农民工应不少于10%：名单共10人，农民工0人，至少需要1人" in caught.value.message
    assert (
        "单位负责人应不超过20%：名单共10人，单位负责人3人，最多2人（多1人）" in caught.value.message
    )


def test_over_quota_is_refused(world):
    round_ = _round(world, quota=3, min_frontline_share=0, min_migrant_share=0, max_head_share=100)
    _list(world, round_, frontline=0, migrant=0, heads=0, total=4)
    with pytest.raises(DomainError, match="推荐人数4人超过名额3人"):
        services.submit_nominations(
            actor=None, round=round_, org=world["taiyuan"], on=dt.date(2008, 3, 1)
        )


def test_shares_round_the_right_way():
    assert services.at_least(Decimal(40), 11) == 5
    assert services.at_most(Decimal(20), 11) == 2


def test_model_worker_file_review_and_honour(world):
    worker = services.open_model_worker_file(
        actor=None, org=world["taiyuan"], name="申纪兰", id_number=new_id_number(),
        job_status="working", monthly_income="1800.00", allowance="300",
    )  # fmt: skip
    services.review_model_worker(
        actor=None, worker=worker, year=2008, reviewed_on=dt.date(2008, 6, 1),
        job_status="retired", monthly_income="1200.50", in_hardship=True,
    )  # fmt: skip
    worker.refresh_from_db()
    assert worker.job_status == "retired" and worker.monthly_income == Decimal("1200.50")
    with pytest.raises(DomainError, match="2008年度已复核"):
        services.review_model_worker(
            actor=None, worker=worker, year=2008, reviewed_on=dt.date(2008, 7, 1),
            job_status="retired", monthly_income="1200",
        )  # fmt: skip
    honour = services.award_honour(
        actor=None, org=world["taiyuan"], kind="may_day_medal", level="national", year=2008,
        awarded_on=dt.date(2008, 4, 28), awarding_body="中华全国总工会", person=worker,
    )  # fmt: skip
    assert honour.holder().startswith("申纪兰")
    with pytest.raises(DomainError, match="个人或单位"):
        services.award_honour(
            actor=None, org=world["taiyuan"], kind="vanguard", level="province", year=2008,
            awarded_on=dt.date(2008, 4, 28), awarding_body="省总工会",
        )  # fmt: skip


def test_savings_and_library_and_training(world):
    unit = world["taiyuan_unit"]
    result = services.record_savings(
        actor=None, unit=unit, kind="ten_ones", period_start=dt.date(2008, 1, 1),
        period_end=dt.date(2008, 6, 30), value="6290.33", confirmed_on=dt.date(2008, 7, 5),
    )  # fmt: skip
    assert result.value == Decimal("6290.33") and result.org == world["grassroots"]
    with pytest.raises(DomainError, match="已登记过"):
        services.record_savings(
            actor=None, unit=unit, kind=SavingsResult.Kind.TEN_ONES,
            period_start=dt.date(2008, 1, 1), period_end=dt.date(2008, 6, 30), value="1",
            confirmed_on=dt.date(2008, 7, 5),
        )  # fmt: skip
    library = services.open_library(
        actor=None, org=world["grassroots"], name="太重职工书屋", level="province", books=3000,
        area="120.5", opened_on=dt.date(2007, 5, 1),
    )  # fmt: skip
    services.deliver_books(actor=None, library=library, books=500, on=dt.date(2008, 4, 23))
    library.refresh_from_db()
    assert library.books == 3500
    with pytest.raises(DomainError, match="晋升技术等级人数31超过培训人数30"):
        services.create_course(
            actor=None, org=world["grassroots"], name="焊工培训班", start_date=dt.date(2008, 3, 1),
            end_date=dt.date(2008, 3, 20), trainees=30, promoted=31,
        )  # fmt: skip
