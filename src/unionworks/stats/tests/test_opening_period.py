"""Where statistics open: the latest reporting year (1 October – 30 September) that has
records, not today's date with zeros; the picker keeps its choice across the menu and
offers 本年至今 / 上年 / 上年同期; no year after the current one."""

import datetime as dt

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from unionworks.assistance.tests.factories import campaign, raise_funds
from unionworks.core.periods import as_of, date_range, parse_period
from unionworks.core.tests.factories import login_as
from unionworks.stats.forms import PeriodForm, period_shortcuts
from unionworks.stats.selectors import opening_period, reporting_year

OVERVIEW = "stats:overview"


def test_the_reporting_year_runs_from_october_to_september():
    assert reporting_year(dt.date(2008, 9, 30)) == (dt.date(2007, 10, 1), dt.date(2008, 9, 30))
    assert reporting_year(dt.date(2008, 10, 1)) == (dt.date(2008, 10, 1), dt.date(2009, 9, 30))


def test_without_records_statistics_open_on_this_year_to_date(world):
    today = dt.date(2026, 12, 3)
    assert opening_period(world["taiyuan_admin"], today) == as_of(today)


def test_with_records_of_2008_only_they_open_on_the_2008_reporting_year(world):
    raise_funds(campaign(world), world["taiyuan"], "1000.00", on=dt.date(2008, 5, 1))
    period = opening_period(world["datong_editor"], dt.date(2026, 12, 3))
    assert period == date_range(dt.date(2007, 10, 1), dt.date(2008, 9, 30))
    assert period.label == "2007年10月1日至2008年9月30日"


def test_records_in_the_current_reporting_year_open_it_to_date(world):
    today = timezone.localdate()
    start, _end = reporting_year(today)
    raise_funds(campaign(world, year=start.year), world["taiyuan"], "10.00", on=start)
    assert opening_period(world["taiyuan_admin"], today) == date_range(start, today)


def test_the_pages_open_on_it_and_keep_the_choice_across_the_menu(client, world):
    raise_funds(campaign(world), world["taiyuan"], "1000.00", on=dt.date(2008, 5, 1))
    cache.clear()
    login_as(client, world["taiyuan_admin"])
    opened = client.get(reverse(OVERVIEW)).context["period"]
    assert opened.code == "2007-10-01~2008-09-30"
    # Choosing 2008Q1 on one page keeps it on the next, and on the 工作台.
    assert client.get(reverse(OVERVIEW), {"period": "2008Q1"}).context["period"].code == "2008Q1"
    assert client.get(reverse("stats:indicators")).context["table"].period.code == "2008Q1"
    assert client.get(reverse("workbench:home")).context["period"].code == "2008Q1"
    # The picker's own inputs are remembered the same way.
    client.get(reverse(OVERVIEW), {"kind": "reporting", "year": "2008"})
    assert client.get(reverse(OVERVIEW)).context["period"].code == "2007-10-01~2008-09-30"


def test_the_picker_offers_this_year_to_date_last_year_and_the_same_period_last_year(client, world):
    period = parse_period("2007-10-01~2008-09-30")
    shortcuts = period_shortcuts(period, today=dt.date(2026, 12, 3))
    assert [(label, p.code) for label, p in shortcuts] == [
        ("本年至今", "@2008-09-30"),
        ("上年", "2007"),
        ("上年同期", "2006-10-01~2007-09-30"),
    ]
    today = timezone.localdate()
    assert period_shortcuts(parse_period(str(today.year)))[0][1] == as_of(today)
    login_as(client, world["taiyuan_admin"])
    html = client.get(reverse(OVERVIEW), {"period": "2008"}).content.decode()
    assert "本年至今" in html and "上年同期" in html and "period=2007-01-01~2007-12-31" not in html


def test_the_picker_offers_no_year_after_the_current_one():
    years = [value for value, _label in PeriodForm().fields["year"].choices]
    assert max(years) == timezone.localdate().year
    form = PeriodForm({"kind": "reporting", "year": "2008"})
    assert form.is_valid() and form.period_code() == "2007-10-01~2008-09-30"
    assert (
        PeriodForm.for_period(parse_period("2007-10-01~2008-09-30")).initial["kind"] == "reporting"
    )
