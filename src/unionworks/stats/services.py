"""Writes of targets (任务指标): set by the organisations above, audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from unionworks.core import audit, roles
from unionworks.core.errors import DomainError
from unionworks.core.scoping import is_in_subtree
from unionworks.stats import registry
from unionworks.stats.models import Target


@transaction.atomic
def set_target(*, actor, org, year: int, indicator: str, value) -> Target:
    """Set (or change) one target. An organisation's targets are set from above, never by itself."""
    roles.require_writer(actor)
    if not is_in_subtree(org, actor) or org.pk == actor.org_id:
        raise DomainError("只能为下级组织下达任务指标", field="org")
    if not registry.exists(indicator):
        raise DomainError(f"未知的指标“{indicator}”", field="indicator")
    if not (1990 <= int(year) <= 2100):
        raise DomainError("年度不合理", field="year")
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(f"目标值“{value}”不是数字", field="value") from None
    if amount < 0:
        raise DomainError("目标值不能为负数", field="value")
    target = (
        Target.objects.select_for_update().filter(org=org, year=year, indicator=indicator).first()
    )
    before = audit.snapshot(target) if target else {}
    if target is None:
        target = Target(org=org, year=year, indicator=indicator)
    target.value = amount
    target.set_by = actor
    target.save()
    audit.record(
        actor=actor,
        action="update" if before else "create",
        instance=target,
        org=org,
        before=before,
        after=audit.snapshot(target),
    )
    return target
