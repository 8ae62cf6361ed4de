"""The audit trail, written by services inside the same transaction as the change.

Each entry also notes (``core.changes``) which organisations' records the write changed,
so the figures counted from them are counted again — and nothing else is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import translation

from unionworks.core import changes
from unionworks.core.models import AuditEntry

# A snapshot's hidden key: the organisations the record's foreign keys point at (a write
# that moves a record from one org to another changes the figures of both).
ORGS_KEY = "_orgs"


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The audited fields of ``instance`` as plain values (foreign keys by their text).

    Keys are the fields' names in the site's language, whatever the actor's, so the
    trail reads the same for everyone; timestamps kept by Django are not changes.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _snapshot(instance, fields)


# Who did what, for fields declared without a Chinese name (Django then makes "set by" of
# ``set_by``): the trail reads Chinese only, for entries written before a name was given too.
FIELD_LABELS = {
    "set_by": "设定人",
    "requested_by": "申请人",
    "decided_by": "办理人",
    "proposed_by": "提名人",
    "paid_by": "发放人",
    "reviewed_by": "复核人",
    "created_by": "创建人",
    "updated_by": "修改人",
    "closed_by": "办结人",
}
_LABELS_BY_DEFAULT_NAME = {name.replace("_", " "): label for name, label in FIELD_LABELS.items()}


def field_label(key: str) -> str:
    """A change's field name as the trail shows it: Chinese, also for an old English one."""
    return _LABELS_BY_DEFAULT_NAME.get(key, key)


def _label(field) -> str:
    return field_label(str(field.verbose_name))


def _snapshot(instance: models.Model, fields: list[str] | None) -> dict:
    result = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or (fields is not None and field.name not in fields):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            value = getattr(instance, field.name, None)
            result[_label(field)] = str(value) if value is not None else None
        elif field.choices:
            result[_label(field)] = getattr(instance, f"get_{field.name}_display")()
        else:
            result[_label(field)] = _plain(getattr(instance, field.attname))
    result[ORGS_KEY] = org_ids(instance)
    return result


def org_ids(instance: models.Model) -> list[int]:
    """The ids of the organisations ``instance``'s foreign keys point at."""
    return [
        getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.is_relation
        and field.related_model is not None
        and field.related_model._meta.label_lower == "orgs.org"
        and getattr(instance, field.attname) is not None
    ]


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for every field whose value changed."""
    keys = [k for k in dict.fromkeys([*before, *after]) if not k.startswith("_")]
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(
    *,
    actor,
    action: str,
    instance: models.Model,
    org,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    if action != AuditEntry.Action.VIEW:
        if instance._meta.label_lower == "orgs.org":
            changes.note_everything()  # the tree itself: every roll-up changes
        else:
            touched = {getattr(org, "pk", org), *org_ids(instance)}
            touched.update((before or {}).get(ORGS_KEY, ()))
            touched.update((after or {}).get(ORGS_KEY, ()))
            changes.note(touched, app=instance._meta.app_label)
    return _entry(
        actor=actor,
        org=org,
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance),
        changes=diff(before or {}, after or {}),
    )


def record_bulk(
    *,
    actor,
    org,
    model: type[models.Model],
    summary: dict,
    title: str,
    action: str = AuditEntry.Action.CREATE,
) -> AuditEntry:
    """One entry for a whole bulk act (an import, a first load, the demo build): what was
    done (``title``) and its counts (``summary``). The records it wrote may sit anywhere
    below ``org``: its whole subtree is counted again."""
    changes.note([org], scope=changes.Change.Scope.SUBTREE, app=model._meta.app_label)
    return _entry(
        actor=actor,
        org=org,
        action=action,
        model=model._meta.label_lower,
        object_id="import",
        object_repr=title,
        changes=diff({}, summary),
    )


def _entry(*, actor, org, action, model, object_id, object_repr, changes) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        org=org,
        action=action,
        model=model,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes,
    )
