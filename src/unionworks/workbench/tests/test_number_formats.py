"""Numbers show thousands separators everywhere, in Chinese as in English (Django's zh-hans
formats would print 1234567); lists' totals included."""

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from unionworks.core.tests.factories import login_as
from unionworks.stats import services as stats_services


def test_the_filters_separate_thousands_in_chinese():
    with translation.override("zh-hans"):
        html = Template("{% load uw %}{{ a|num }} {{ b|decimal_num }} {{ c|decimal_num }}").render(
            Context({"a": 1234567, "b": 12000, "c": "1234.50"})
        )
    assert html == "1,234,567 12,000 1,234.5"


def test_no_page_template_uses_django_intcomma():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    offenders = [str(p) for p in templates.rglob("*.html") if "|intcomma" in p.read_text("utf-8")]
    assert offenders == []


def test_targets_show_separators(client, world):
    stats_services.set_target(
        actor=world["province_admin"],
        org=world["taiyuan"],
        year=2008,
        indicator="members",
        value=1234567,
    )
    login_as(client, world["province_admin"])
    html = client.get(reverse("stats:targets"), {"year": 2008}).content.decode()
    assert "1,234,567" in html
