"""The dashboard pages, the indicator table (指标汇总表) with its export, and the catalogue."""

import datetime as dt
import json
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from unionworks.core.templatetags.uw import figure, figure_unit, rate, target_figure, yoy
from unionworks.core.tests.factories import OrgFactory, login_as
from unionworks.members.tests.factories import join, new_id_number
from unionworks.orgs.models import Org
from unionworks.stats import registry
from unionworks.stats.lens import PROJECTS, project
from unionworks.stats.models import Target
from unionworks.stats.values import Change

pytestmark = pytest.mark.django_db

FOUNDATION = reverse("stats:dashboard", args=["foundation"])
OVERVIEW = reverse("stats:overview")
TABLE = reverse("stats:indicators")
EXPORT = reverse("stats:indicators_export")


def members(world, *, this_year=2, last_year=1):
    """Members of the Taiyuan grassroots union: some joined in 2007, some in 2008."""
    for _ in range(last_year):
        join(world["grassroots"], id_number=new_id_number(), on=dt.date(2007, 5, 1))
    for _ in range(this_year):
        join(world["grassroots"], id_number=new_id_number(), on=dt.date(2008, 3, 1))


def card(html: str, code: str) -> str:
    """The HTML of one key-figure card."""
    start = html.index(f'data-indicator="{code}"')
    end = html.find('class="stat key-figure"', start)
    return html[start : end if end > 0 else start + 2000]


def key_figure(response, code):
    return next(f for f in response.context["board"].key_figures if f.indicator.code == code)


# ---- dashboards ----------------------------------------------------------------------------


def test_in_scope_dashboard_shows_the_key_figures_from_the_records(client, world):
    members(world)
    login_as(client, world["province_admin"])
    response = client.get(FOUNDATION, {"period": "2008"})
    assert response.status_code == 200
    figure_ = key_figure(response, "members")
    assert (figure_.value, figure_.change.previous) == (3, 1)
    html = response.content.decode()
    assert [f.indicator.code for f in response.context["board"].key_figures] == (
        project("foundation").key_indicators()
    )
    members_card = card(html, "members")
    assert ">3 <" in members_card and "+200.0%" in members_card and "↑" in members_card
    assert "2008年" in html
    charts = json.loads(re.search(r'id="dashboard-charts"[^>]*>(.*?)</script>', html, re.S)[1])
    assert charts["trend"]["selected"] == "grassroots_unions"
    opened = next(s for s in charts["trend"]["series"] if s["code"] == "grassroots_unions")
    assert len(opened["data"]) == 12
    trend = next(s for s in charts["trend"]["series"] if s["code"] == "members")
    assert charts["trend"]["labels"][:3] == ["1月", "2月", "3月"]
    trend = client.get(trend["url"]).json()
    assert trend["data"][:3] == [1, 1, 3] and trend["type"] == "line"
    joined = next(s for s in charts["trend"]["series"] if s["code"] == "members_joined")
    # Only the trend the chart opens on is counted with the page; the others on demand.
    assert joined["type"] == "bar" and joined["data"] is None
    asked = client.get(joined["url"])
    assert asked.status_code == 200 and asked.json()["data"][2] == 2
    assert asked.json()["type"] == "bar" and asked.json()["code"] == "members_joined"
    children = next(s for s in charts["children"]["series"] if s["code"] == "members")
    assert charts["children"]["labels"] == ["太原市总工会", "大同市总工会"]
    assert children["data"] == [3, 0]
    assert charts["children"]["links"][0].endswith(f"?org={world['taiyuan'].pk}&period=2008")
    rate_series = next(s for s in charts["trend"]["series"] if s["code"] == "coverage_rate")
    assert rate_series["unit"] == "%"
    picked = client.get(FOUNDATION, {"period": "2008", "trend": "members_joined"})
    assert picked.context["board"].trend == {"members_joined": joined_data(asked)}
    assert "echarts/echarts.min.js" in html and "js/charts.js" in html


def joined_data(response):
    return response.json()["data"]


def test_a_trend_is_asked_for_one_kept_indicator_of_the_project(client, world):
    members(world)
    login_as(client, world["province_admin"])
    url = reverse("stats:dashboard_trend", args=["foundation"])
    answer = client.get(url, {"period": "2008", "i": "members"})
    assert answer.status_code == 200 and answer.json()["data"][:3] == [1, 1, 3]
    assert client.get(url, {"period": "2008", "i": "nonsense"}).status_code == 404
    assert client.get(url, {"period": "2008"}).status_code == 404
    other = reverse("stats:dashboard_trend", args=["nonsense"])
    assert client.get(other, {"i": "members"}).status_code == 404


def test_an_outsider_gets_404_for_another_citys_dashboard_and_table(client, world):
    login_as(client, world["datong_editor"])
    taiyuan = {"org": world["taiyuan"].pk}
    trend = reverse("stats:dashboard_trend", args=["foundation"])
    assert client.get(trend, {**taiyuan, "i": "members"}).status_code == 404
    assert client.get(FOUNDATION, taiyuan).status_code == 404
    assert client.get(OVERVIEW, taiyuan).status_code == 404
    assert client.get(TABLE, taiyuan).status_code == 404
    assert client.get(EXPORT, taiyuan).status_code == 404
    assert client.get(FOUNDATION).status_code == 200
    assert client.get(reverse("stats:dashboard", args=["nonsense"])).status_code == 404


def test_a_project_whose_records_are_not_kept_says_so_without_figures_or_charts(
    client, world, monkeypatch
):
    # A programme of its own: every real one may have its records kept by now.
    from unionworks.stats import lens

    empty = lens.Project("empty", "未录入工程", "Not kept", ("no_such_indicator",))
    monkeypatch.setitem(lens._BY_CODE, "empty", empty)
    monkeypatch.setattr("unionworks.stats.views.PROJECTS", [*lens.PROJECTS, empty])
    login_as(client, world["taiyuan_admin"])
    response = client.get(reverse("stats:dashboard", args=["empty"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "本工程的业务记录尚未在平台录入，暂无数据。" in html
    assert "dashboard-charts" not in html and "echarts" not in html
    assert 'class="stat key-figure' not in html and response.context["charts"] is None


def test_year_on_year_is_a_dash_when_last_year_is_zero(client, world):
    members(world, this_year=2, last_year=0)
    login_as(client, world["taiyuan_admin"])
    response = client.get(FOUNDATION, {"period": "2008"})
    figure_ = key_figure(response, "members")
    assert (figure_.value, figure_.change.previous, figure_.change.rate) == (2, 0, None)
    members_card = card(response.content.decode(), "members")
    assert re.search(r'class="yoy tag"[^>]*>\s*—\s*</span>', members_card)
    assert "↑" not in members_card and "↓" not in members_card


def test_children_link_down_one_level_and_the_breadcrumb_leads_back_up(client, world):
    members(world)
    login_as(client, world["taiyuan_admin"])
    html = client.get(FOUNDATION, {"period": "2008Q1"}).content.decode()
    assert f'href="?org={world["xiaodian"].pk}&amp;period=2008Q1"' in html
    assert "小店区总工会 ›" in html
    response = client.get(FOUNDATION, {"period": "2008Q1", "org": world["township"].pk})
    assert [o.name for o in response.context["board"].ancestors] == ["太原市总工会", "小店区总工会"]
    html = response.content.decode()
    assert f'href="?org={world["xiaodian"].pk}&amp;period=2008Q1">小店区总工会</a>' in html
    assert "山西省总工会" not in html.split('class="breadcrumb"')[1].split("</nav>")[0]


def test_the_period_comes_from_simple_inputs_and_defaults_to_this_year_to_today(client, world):
    login_as(client, world["taiyuan_admin"])
    assert client.get(FOUNDATION).context["period"].code == f"@{timezone.localdate()}"
    for query, code in [
        ({"kind": "quarter", "year": "2008", "quarter": "3"}, "2008Q3"),
        ({"kind": "half", "year": "2008", "half": "2"}, "2008H2"),
        ({"kind": "month", "year": "2008", "month": "9"}, "2008-09"),
        ({"kind": "year", "year": "2008"}, "2008"),
        ({"kind": "as_of", "year": "2008", "as_of": "2008-09-30"}, "@2008-09-30"),
    ]:
        response = client.get(FOUNDATION, query)
        assert response.context["period"].code == code, query
    response = client.get(FOUNDATION, {"kind": "quarter", "year": "2008", "quarter": "3"})
    assert "2008年第3季度" in response.content.decode()
    bad = client.get(FOUNDATION, {"period": "2008Q9"})
    assert bad.status_code == 200 and "无法识别" in bad.content.decode()
    assert bad.context["period"].kind == "as_of"


def test_a_key_figure_shows_its_target_and_completion(client, world):
    members(world)
    Target.objects.create(org=world["taiyuan"], year=2008, indicator="members", value=4)
    Target.objects.create(org=world["taiyuan"], year=2008, indicator="coverage_rate", value=90)
    login_as(client, world["province_admin"])
    response = client.get(FOUNDATION, {"period": "2008", "org": world["taiyuan"].pk})
    figure_ = key_figure(response, "members")
    assert figure_.target == 4 and figure_.completion == 0.75
    html = response.content.decode()
    assert "75.0%" in card(html, "members") and "完成率" in card(html, "members")
    assert "90.0%" in card(html, "coverage_rate")


def test_the_overview_lists_the_eight_projects_with_their_cards(client, world):
    members(world)
    login_as(client, world["taiyuan_admin"])
    response = client.get(OVERVIEW, {"period": "2008"})
    html = response.content.decode()
    assert len(response.context["boards"]) == 8
    unkept = sum(1 for p in PROJECTS if not p.has_records)
    assert html.count("本工程的业务记录尚未在平台录入，暂无数据。") == unkept
    assert "+200.0%" in card(html, "members")
    assert f"{FOUNDATION}?org={world['taiyuan'].pk}&amp;period=2008" in html


def test_the_menu_links_every_project_to_its_dashboard(client, world):
    login_as(client, world["taiyuan_admin"])
    html = client.get(FOUNDATION).content.decode()
    nav = html.split('class="sidenav"')[1].split("</nav>")[0]
    for code in ("theory", "foundation", "strength"):
        assert f'href="{reverse("stats:dashboard", args=[code])}"' in nav
    assert "建设中" not in nav
    assert re.search(r'href="/stats/dashboards/foundation/" class="is-active"', nav)


def test_figures_are_written_the_way_reports_write_them():
    money = registry.Indicator("x_money", "金额", "Amount", "元", "flow", object(), money=True)
    count = registry.get("members")
    ratio = registry.get("coverage_rate")
    assert (figure(Decimal("123456.78"), money), figure_unit(money)) == ("12.35", "万元")
    assert (figure(148400, count), figure_unit(count)) == ("148,400", "人")
    assert (figure(0.12345, ratio), figure_unit(ratio), figure(None, ratio)) == ("12.3%", "", "—")
    assert target_figure(Decimal("90"), ratio) == "90.0%"
    assert rate(None) == "—"
    assert yoy(Change(90, 100, -10, -0.1), count) == "\u221210.0%"
    assert yoy(Change(5, 0, 5, None), count) == "—"
    assert yoy(Change(0.9, 0.88, 0.02, None), ratio) == "+2.0个百分点"
    assert yoy(Change(0.9, None, None, None), ratio) == "—"


# ---- the indicator table -------------------------------------------------------------------


@pytest.fixture
def two_cities(world):
    members(world, this_year=2, last_year=0)
    datong_union = OrgFactory(
        name="大同煤矿集团工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"]
    )
    join(datong_union, id_number=new_id_number(), on=dt.date(2008, 4, 1))
    return world


def test_the_table_sorts_by_a_column_and_its_total_row_is_the_orgs_figure(client, two_cities):
    login_as(client, two_cities["province_admin"])
    query = {"period": "2008", "i": ["members", "coverage_rate"], "sort": "members"}
    table = client.get(TABLE, {**query, "desc": "1"}).context["table"]
    assert [r.name for r in table.rows] == ["太原市总工会", "大同市总工会"]
    assert table.own.figures["members"] == 3 == sum(r.figures["members"] for r in table.rows)
    ascending = client.get(TABLE, {**query, "desc": "0"})
    assert [r.name for r in ascending.context["table"].rows] == ["大同市总工会", "太原市总工会"]
    html = ascending.content.decode()
    # The sorted column's header turns the order; the rows link one level down.
    assert "sort=members&amp;desc=1" in html and "▲" in html
    assert f'href="?org={two_cities["taiyuan"].pk}&amp;period=2008&amp;i=members' in html


def test_the_table_defaults_to_the_foundation_indicators_and_ignores_unknown_ones(client, world):
    login_as(client, world["taiyuan_admin"])
    table = client.get(TABLE).context["table"]
    assert [i.code for i in table.indicators] == project("foundation").kept()
    table = client.get(TABLE, {"i": ["members", "nonsense"]}).context["table"]
    assert [i.code for i in table.indicators] == ["members"]


def test_the_export_has_numbers_as_numbers_and_chinese_headers(client, two_cities):
    login_as(client, two_cities["province_admin"])
    response = client.get(
        EXPORT, {"period": "2008", "i": ["members", "coverage_rate"], "sort": "members"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value == "山西省总工会 指标汇总表（2008年）"
    assert [c.value for c in sheet[2]] == [
        "行政区划代码",
        "层级",
        "组织",
        "类型",
        "会员数（人）",
        "建会率（%）",
    ]
    own, taiyuan, datong = (list(sheet.iter_rows(min_row=r, max_row=r))[0] for r in (3, 4, 5))
    assert [c.value for c in own[:5]] == ["140000", 1, "山西省总工会（合计）", "省总工会", 3]
    assert [c.value for c in taiyuan[:5]] == ["140100", 2, "太原市总工会", "市总工会", 2]
    assert datong[2].value == "大同市总工会" and datong[4].value == 1
    assert isinstance(own[4].value, int) and own[4].number_format == "#,##0"
    assert taiyuan[2].alignment.indent == 2 and not own[2].alignment.indent
    assert own[5].number_format == "0.0%" and isinstance(own[5].value, float)
    assert 0 <= own[5].value <= 1


def test_the_catalogue_lists_every_registered_indicator(client, world):
    login_as(client, world["taiyuan_viewer"])
    response = client.get(reverse("stats:catalogue"))
    html = response.content.decode()
    for indicator in registry.all_indicators():
        assert f'id="indicator-{indicator.code}"' in html and indicator.name in html
    assert "会员数 ÷ 建会单位职工数" in html and "存量（期末数）" in html
    assert f'href="{FOUNDATION}">夯基工程</a>' in html
