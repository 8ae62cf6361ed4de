"""Small template helpers of the UnionWorks pages: navigation state and audit values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from unionworks.core import roles
from unionworks.core.money import format_wan

register = template.Library()


@lru_cache(maxsize=65_536)
def _reversed(prefix: str, viewname: str, args: tuple) -> str:
    return reverse(viewname, args=args)


@receiver(setting_changed)
def _urls_changed(*, setting, **_kwargs):
    if setting == "ROOT_URLCONF":  # tests only: the addresses kept above no longer hold
        _reversed.cache_clear()


@register.simple_tag
def link(viewname, *args) -> str:
    """``{% url %}`` for the links every page or every row draws (the menu, a roll's rows):
    the same address for the same name and arguments, looked up once per process (the
    URL configuration does not change while it runs; Django's reverse costs ~50 µs)."""
    return _reversed(get_script_prefix(), str(viewname), tuple(str(a) for a in args))


@register.simple_tag(takes_context=True)
def nav_active(context, prefixes: str) -> str:
    """``is-active`` when the current view's name starts with one of the comma-separated
    ``prefixes`` (``"orgs:unit_"`` matches every unit page)."""
    match = getattr(context.get("request"), "resolver_match", None)
    view_name = getattr(match, "view_name", "") or ""
    wanted = [p.strip() for p in prefixes.split(",") if p.strip()]
    return "is-active" if any(view_name.startswith(p) for p in wanted) else ""


@register.filter
def audit_value(value) -> str:
    """An old or new value of the change table: empty is a dash, yes/no in words."""
    if value is None or value == "":
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, (list, tuple)):
        return "、".join(audit_value(v) for v in value)
    return str(value)


@register.filter
def audit_field(key) -> str:
    """A changed field's name in Chinese (entries written before it had one included)."""
    from unionworks.core.audit import field_label

    return field_label(str(key))


@register.filter
def minutes(value) -> int | str:
    """Whole minutes of a timedelta (the lockout's cool-off)."""
    if isinstance(value, dt.timedelta):
        return int(value.total_seconds() // 60)
    return ""


@register.filter
def can_write(user) -> bool:
    return roles.can_write(user)


@register.filter
def can_manage_accounts(user) -> bool:
    return roles.can_manage_accounts(user)


@register.filter
def num(value) -> str:
    """A count with thousands separators whatever the language (148,400), as the
    federation's own reports write them; zh-hans formatting would print 148400."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "" if value is None else str(value)


@register.filter
def decimal_num(value) -> str:
    """A number that may have decimals (a target, an amount), with thousands separators and
    no trailing zeros: 12,000 / 1,234.5."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


# ---- figures of the statistics pages -------------------------------------------------------
# An indicator's value is shown the same way everywhere: counts with separators, rates as
# percentages with one decimal, money in 万元 with two decimals; a missing figure is "—".
MINUS = "\u2212"  # − : a real minus sign, as printed reports write it


@register.filter
def rate(value) -> str:
    """A rate (a fraction) as a percentage with one decimal, or "—" where it has no denominator."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%".replace("-", MINUS)


@register.filter
def figure(value, indicator) -> str:
    """An indicator's value without its unit: 1,234 · 12.3% · 12.35 (万元)."""
    if value is None or value == "":
        return "—"
    if getattr(indicator, "is_ratio", False):
        return rate(value)
    if getattr(indicator, "money", False):
        return format_wan(value).replace("-", MINUS)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".replace("-", MINUS)
    return num(value).replace("-", MINUS)


@register.filter
def figure_unit(indicator) -> str:
    """The unit a figure is shown in: 万元 for money, nothing for a rate (it carries its %)."""
    if getattr(indicator, "is_ratio", False):
        return ""
    if getattr(indicator, "money", False):
        return _("万元")
    return indicator.unit if indicator is not None else ""


@register.filter
def target_figure(value, indicator) -> str:
    """A target as set: rates are set in percent (90 = 90%), others in the indicator's unit."""
    if value is None or value == "":
        return "—"
    if getattr(indicator, "is_ratio", False):
        return rate(float(value) / 100)
    return figure(value, indicator)


def _yoy_parts(change, indicator) -> tuple[str, str]:
    """(text, direction) of a 同比, the direction read from the rounded figure shown."""
    if change is None:
        return "—", ""
    if getattr(indicator, "is_ratio", False):
        if change.difference is None:
            return "—", ""
        shown = round(float(change.difference) * 100, 1)
        template = _("%(sign)s%(points).1f个百分点")
    else:
        if change.rate is None:
            return "—", ""
        shown = round(change.rate * 100, 1)
        template = "%(sign)s%(points).1f%%"
    sign = "+" if shown > 0 else MINUS if shown < 0 else ""
    direction = "up" if shown > 0 else "down" if shown < 0 else "flat"
    return template % {"sign": sign, "points": abs(shown)}, direction


@register.filter
def yoy(change, indicator=None) -> str:
    """同比 as +12.5% / −3.0%, or "—" when last year is zero or missing; for a rate the change
    in percentage points (+1.2个百分点)."""
    return _yoy_parts(change, indicator)[0]


@register.filter
def yoy_direction(change, indicator=None) -> str:
    """up, down or flat for a 同比 that is shown; empty where it is "—"."""
    return _yoy_parts(change, indicator)[1]


@register.filter
def indicator_label(indicator) -> str:
    """An indicator's name in the page's language (the registry holds zh and en)."""
    if indicator is None:
        return ""
    if (get_language() or "").startswith("en"):
        return indicator.name_en
    return indicator.name


@register.filter
def figure_of(figures, indicator) -> str:
    """``figures[indicator.code]`` shown as ``figure`` shows it (a table cell)."""
    return figure((figures or {}).get(indicator.code), indicator)


@register.filter
def org_kind(kind) -> str:
    """An organisation kind's name (市总工会, 基层工会…) from its code."""
    from django.apps import apps

    choices = dict(apps.get_model("orgs", "Org").Kind.choices)
    return _(choices[kind]) if kind in choices else (kind or "")
