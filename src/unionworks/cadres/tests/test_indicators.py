"""The lens's figures from the records: cadres trained once per person, stocks as of a day."""

import datetime as dt

import pytest

from unionworks.cadres import services
from unionworks.cadres.models import Arrangement, Post
from unionworks.cadres.tests.factories import cadre, election, held, post
from unionworks.core.periods import Period
from unionworks.stats.values import evaluate

pytestmark = pytest.mark.django_db
YEAR_2008 = Period("year", dt.date(2008, 1, 1), dt.date(2008, 12, 31))


def figures(root, codes, period=YEAR_2008):
    found = evaluate(root, period, codes)[root.pk].figures
    return {code: found[code] for code in codes}


def test_a_person_is_counted_once_in_cadres_trained_whatever_their_courses(world):
    union = world["grassroots"]
    people = [cadre(union, name=f"干部{i}") for i in range(3)]
    for organiser, day in ((world["province"], dt.date(2008, 3, 1)),
                           (world["taiyuan"], dt.date(2008, 5, 1)),
                           (world["xiaodian"], dt.date(2008, 9, 1))):  # fmt: skip
        event = services.create_event(actor=None, org=organiser, kind="class", theme="专题培训班",
                                      start_date=day, hours="8")  # fmt: skip
        services.add_attendees(actor=None, event=event, cadres=people)
    labour = services.create_event(actor=None, org=world["province"], kind="labour",
                                   theme="义务劳动", start_date=dt.date(2008, 4, 1), hours=4)  # fmt: skip
    other = cadre(union, name="只参加义务劳动")
    services.add_attendees(actor=None, event=labour, cadres=[other])
    services.record_attendance_count(actor=None, event=labour, org=world["taiyuan"], people=30)
    got = figures(world["province"], ["cadres_trained", "study_attendees", "study_events",
                                      "study_hours", "study_events_class"])  # fmt: skip
    assert got["cadres_trained"] == 3
    assert got["study_attendees"] == 9 + 1 + 30
    assert got["study_events"] == 4 and got["study_events_class"] == 3
    assert got["study_hours"] == 28
    assert figures(world["taiyuan"], ["cadres_trained"])["cadres_trained"] == 3
    assert figures(world["datong"], ["cadres_trained"])["cadres_trained"] == 0


def test_series_sessions_count_once_checked_off(world):
    series = services.create_series(actor=None, org=world["province"], kind="expert",
                                    theme="专家讲座", first_date=dt.date(2008, 1, 15), months=12,
                                    hours=3)  # fmt: skip
    sessions = list(series.sessions.order_by("start_date"))
    assert len(sessions) == 12 and sessions[-1].start_date == dt.date(2008, 12, 15)
    for session in sessions[:9]:
        services.check_off_session(actor=None, event=session)
    got = figures(world["province"], ["study_sessions", "study_events_expert"])
    assert got == {"study_sessions": 9, "study_events_expert": 9}


def test_posts_and_arrangements_as_of_the_day(world):
    post(world["grassroots"], how=Post.How.DIRECT, start=dt.date(2008, 4, 1), full_time=True)
    post(world["xiaodian"], how=Post.How.ELECTED, start=dt.date(2007, 4, 1), rank_deputy=True)
    post(world["xiaodian"], kind=Post.Kind.STAFF, how=Post.How.SOCIAL, start=dt.date(2008, 6, 1))
    services.record_arrangement(actor=None, org=world["xiaodian"], kind=Arrangement.Kind.RANK,
                                since=dt.date(2007, 1, 1))  # fmt: skip
    services.record_arrangement(actor=None, org=world["taiyuan"], kind=Arrangement.Kind.RANK,
                                since=dt.date(2006, 1, 1))  # fmt: skip
    services.record_arrangement(actor=None, org=world["taiyuan"], kind=Arrangement.Kind.RIGHTS,
                                since=dt.date(2008, 10, 1))  # fmt: skip
    codes = ["chairs_elected_directly", "cadres_recruited", "full_time_cadres",
             "chairs_deputy_city", "chairs_deputy_county", "rights_mechanisms"]  # fmt: skip
    as_of = Period("as_of", dt.date(2008, 9, 30), dt.date(2008, 9, 30))
    assert figures(world["province"], codes, as_of) == {
        "chairs_elected_directly": 1, "cadres_recruited": 1, "full_time_cadres": 1,
        "chairs_deputy_city": 1, "chairs_deputy_county": 1, "rights_mechanisms": 0,
    }  # fmt: skip
    before = Period("as_of", dt.date(2008, 3, 31), dt.date(2008, 3, 31))
    assert figures(world["province"], codes, before)["chairs_elected_directly"] == 0


def test_elections_due_overdue_and_full_committees(world):
    old = election(world["grassroots"], requested_on=dt.date(2003, 3, 1), seats=5)
    held(old, on=dt.date(2003, 4, 10))
    recent = election(world["xiaodian"], requested_on=dt.date(2008, 3, 1), seats=5,
                      members_count=500)  # fmt: skip
    held(recent, on=dt.date(2008, 4, 10))
    codes = ["elections_due", "elections_overdue", "full_committees"]
    assert figures(world["province"], codes) == {
        "elections_due": 1, "elections_overdue": 1, "full_committees": 2}  # fmt: skip
    as_of = Period("as_of", dt.date(2008, 1, 1), dt.date(2008, 1, 1))
    assert figures(world["province"], codes, as_of)["elections_overdue"] == 0


def test_a_trend_of_stocks_equals_each_month_counted_alone(world):
    from unionworks.cadres import indicators

    old = election(world["grassroots"], requested_on=dt.date(2003, 3, 1), seats=5)
    held(old, on=dt.date(2003, 4, 10))
    post(world["xiaodian"], how=Post.How.DIRECT, start=dt.date(2008, 5, 1), full_time=True)
    services.record_arrangement(actor=None, org=world["taiyuan"], kind=Arrangement.Kind.RIGHTS,
                                since=dt.date(2008, 6, 1))  # fmt: skip
    months = [Period("month", dt.date(2008, m, 1), dt.date(2008, m, 28)) for m in range(1, 13)]
    for source in (indicators.POSTS, indicators.ARRANGEMENTS, indicators.ELECTIONS):
        trend = source.series(world["province"], months)
        assert trend == [source.compute(world["province"], p) for p in months], source.name
