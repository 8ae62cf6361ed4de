"""实力强会工程's to-dos (待办) for the 工作台: arrears to follow up, disposals to approve,
institutions not yet assessed under this year's score sheet."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from unionworks.core.roles import REVIEWERS, WRITERS
from unionworks.core.todos import Todo, register_todo
from unionworks.finance import selectors
from unionworks.finance.models import Asset


def _arrears_units(user) -> int:
    return selectors.arrears_for(user).order_by().values("unit_id").distinct().count()


def _disposals(user) -> int:
    return selectors.assets_for(user, status=Asset.Status.PROPOSED).count()


def _assessments_due(user) -> int:
    """Institutions without an assessment under a score sheet of last year (a year's
    performance is assessed in the year after it)."""
    year = timezone.localdate().year - 1
    schemes = selectors.assessment_schemes_for(user).filter(year=year)
    if not schemes.exists():
        return 0
    assessed = selectors.assessments_for(user, year=year).values("institution_id")
    return selectors.institutions_for(user).exclude(pk__in=assessed).count()


register_todo(
    Todo(
        code="finance.arrears_to_follow_up",
        label="欠缴工会经费的单位",
        count=_arrears_units,
        url=lambda user: reverse("finance:arrears"),
        roles=frozenset(WRITERS),
        hint="已过缴费期限仍未缴足，需督促补缴",
        weight=20,
    ),
    Todo(
        code="finance.disposals_to_approve",
        label="待审批的资产处置",
        count=_disposals,
        url=lambda user: reverse("finance:assets") + "?status=proposed",
        roles=frozenset(REVIEWERS),
    ),
    Todo(
        code="finance.assessments_due",
        label="未完成年度业绩考核的直属事业单位",
        count=_assessments_due,
        url=lambda user: reverse("finance:assessments"),
        roles=frozenset(WRITERS),
    ),
)
