"""Organising coverage (夯基工程) for any organisation and any date: the 夯基 indicators
of the registry (orgs/indicators.py, members/indicators.py) for an org and its children.

Counts "as of" a date come from membership spells and founding/covering dates, so
the end-2007 and September-2008 figures both stay reproducible. Ratios — 建会率 and
入会率 — are computed after the roll-up from their parts, never averaged.
"""

from __future__ import annotations

import datetime as dt

from unionworks.core.periods import date_range
from unionworks.core.scoping import root_org_of
from unionworks.orgs.models import Org
from unionworks.orgs.rollup import TreeNode
from unionworks.stats import registry
from unionworks.stats.values import Figures, evaluate, ratio

__all__ = ["FIGURES", "CoverageRow", "coverage_table", "coverage_tree", "ratio"]

CODES = [
    "grassroots_unions",
    "units",
    "units_covered",
    "coverage_rate",
    "members",
    "migrant_members",
    "employees_covered",
    "membership_rate",
    "fie_unions",
    "members_joined",
    "unions_founded",
]


def _heading(code: str) -> str:
    if code == "members_joined":
        return "期间新入会"
    if code == "unions_founded":
        return "期间新建工会"
    return registry.get(code).name


# Column order and Chinese headings of the coverage table.
FIGURES = [(code, _heading(code)) for code in CODES]
RATES = {"coverage_rate", "membership_rate"}


# A row of the coverage table is a node of the rolled-up tree (org_id, name, kind,
# kind_display, path, figures).
CoverageRow = TreeNode


def coverage_tree(
    actor, *, org: Org | None = None, as_of: dt.date, period: tuple[dt.date, dt.date] | None = None
) -> Figures:
    """Every node of the subtree of ``org`` (default: the actor's own org) with its figures."""
    root = org or root_org_of(actor)
    start, end = period or (dt.date(as_of.year, 1, 1), as_of)
    if end != as_of:
        start, end = start, as_of
    return evaluate(root, date_range(start, end), CODES)


def coverage_table(
    actor, *, org: Org | None = None, as_of: dt.date, period: tuple[dt.date, dt.date] | None = None
) -> list[CoverageRow]:
    """The org's own row first, then one row per child, in tree order."""
    root = org or root_org_of(actor)
    rows = coverage_tree(actor, org=root, as_of=as_of, period=period)
    return [rows[root.pk], *rows.children(root.pk)]
