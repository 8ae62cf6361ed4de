"""Small template helpers of the UnionWorks pages: navigation state and audit values."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from unionworks.core import roles

register = template.Library()


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
