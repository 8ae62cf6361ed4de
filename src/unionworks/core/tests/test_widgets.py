from django import forms
from django.test.html import parse_html

from unionworks.core.widgets import QuickSelect

CHOICES = [("", "—— 请选择 ——"), (1, "太原市总工会（市总工会）"), (2, "<大同> & 平城")]


def test_a_quick_select_draws_what_djangos_select_draws():
    for value in (None, "", 1, "2"):
        for attrs in (None, {"id": "id_org", "required": True, "aria-label": "所在组织"}):
            quick = QuickSelect(choices=CHOICES).render("org", value, attrs)
            django = forms.Select(choices=CHOICES).render("org", value, attrs)
            assert parse_html(quick) == parse_html(django), (value, attrs)


def test_grouped_choices_are_drawn_by_django():
    grouped = [("太原", [(1, "小店区")]), ("大同", [(2, "平城区")])]
    quick = QuickSelect(choices=grouped).render("org", 2)
    assert parse_html(quick) == parse_html(forms.Select(choices=grouped).render("org", 2))


def test_a_kept_link_is_the_address_reverse_gives(settings):
    from django.template import Context, Template
    from django.urls import reverse

    html = Template("{% load uw %}{% link 'members:detail' 42 %}|{% link 'workbench:home' %}")
    assert (
        html.render(Context())
        == f"{reverse('members:detail', args=[42])}|{reverse('workbench:home')}"
    )
