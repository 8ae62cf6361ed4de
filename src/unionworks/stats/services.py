"""Writes of targets (任务指标): set by the organisations above, audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from unionworks.core import audit, roles
from unionworks.core.errors import DomainError
from unionworks.core.numbers import check_bounds
from unionworks.core.scoping import is_in_subtree
from unionworks.core.services import model_create, model_update
from unionworks.stats import registry
from unionworks.stats.models import Target


def _audited(target: Target) -> dict:
    """The target as the trail shows it: the indicator by its Chinese name, not its code."""
    snapshot = audit.snapshot(target)
    snapshot[str(Target._meta.get_field("indicator").verbose_name)] = target.indicator_name
    return snapshot


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
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"目标值“{value}”不是数字", field="value") from None
    if not number.is_finite():
        raise DomainError(f"目标值“{value}”不是数字", field="value")
    if number < 0:
        raise DomainError("目标值不能为负数", field="value")
    # Beyond the column (the page, the API and the upload all come here): refused before
    # it is rounded, stored, and then unreadable on every ancestor's target list.
    check_bounds(number, Target, "value", label="目标值")
    amount = number.quantize(Decimal("0.01"))
    target = (
        Target.objects.select_for_update().filter(org=org, year=year, indicator=indicator).first()
    )
    if target is None:
        target = Target(org=org, year=year, indicator=indicator, value=amount, set_by=actor)
        return model_create(instance=target, actor=actor, audited=_audited)
    target, _changed = model_update(
        instance=target, data={"value": amount, "set_by": actor}, actor=actor, audited=_audited
    )
    return target
