"""夯基工程 indicators counted from membership spells: members "as of" a date and joins."""

from __future__ import annotations

from django.db.models import Count, Q

from unionworks.core.periods import Period
from unionworks.core.scoping import subtree_q
from unionworks.members.models import MembershipSpell
from unionworks.orgs.models import Org
from unionworks.stats.registry import FLOW, RATIO, STOCK, Indicator, Source, register
from unionworks.stats.sources import per_org

JOIN = MembershipSpell.StartReason.JOIN


def open_on(day) -> Q:
    """Spells cover [start, end): on a transfer day only the new union counts the person."""
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


def _spells(root: Org):
    return MembershipSpell.objects.filter(subtree_q(root, "org__"))


def _compute(root: Org, period: Period) -> dict:
    """One scan of the spells: who is in each union as of the period's end, and who joined in it."""
    as_of = period.as_of
    joined = Q(start_reason=JOIN, start__gte=period.start, start__lte=period.end)
    spells = _spells(root).filter(Q(start__lte=max(as_of, period.end)) & (open_on(as_of) | joined))
    return per_org(
        spells,
        "org_id",
        members=Count("id", filter=open_on(as_of)),
        migrant_members=Count("id", filter=open_on(as_of) & Q(is_migrant=True)),
        members_joined=Count("id", filter=joined),
    )


def _series(root: Org, periods: list[Period]) -> list[dict]:
    """Per union, for many periods, in one scan of the spells that touch them."""
    aggregates = {}
    for i, p in enumerate(periods):
        aggregates[f"m{i}"] = Count("id", filter=open_on(p.as_of))
        aggregates[f"g{i}"] = Count("id", filter=open_on(p.as_of) & Q(is_migrant=True))
        aggregates[f"j{i}"] = Count(
            "id", filter=Q(start_reason=JOIN, start__gte=p.start, start__lte=p.end)
        )
    first = min(p.start for p in periods)
    last = max(p.end for p in periods)
    found = per_org(
        _spells(root).filter(Q(start__lte=last) & (Q(end__isnull=True) | Q(end__gt=first))),
        "org_id",
        **aggregates,
    )
    return [
        {
            "members": found[f"m{i}"],
            "migrant_members": found[f"g{i}"],
            "members_joined": found[f"j{i}"],
        }
        for i in range(len(periods))
    ]


SPELLS = Source("members.spells", _compute, _series, series_by_org=True)

register(
    Indicator(
        "members", "会员数", "Members", "人", STOCK, SPELLS, description="期末在册会员（按会籍计）"
    ),
    Indicator("migrant_members", "农民工会员数", "Migrant-worker members", "人", STOCK, SPELLS),
    Indicator(
        "members_joined",
        "新发展会员数",
        "New members",
        "人",
        FLOW,
        SPELLS,
        description="期间内入会（不含转入）",
    ),
    Indicator(
        "membership_rate",
        "入会率",
        "Membership rate",
        "%",
        RATIO,
        numerator="members",
        denominator="employees_covered",
        description="会员数 ÷ 建会单位职工数",
    ),
)
