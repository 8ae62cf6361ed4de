"""The write steps every app's services share: save a record and write its audit entry.

A service checks its rules first (a DomainError naming the field), then hands the
record to one of these, inside its own transaction:

- ``model_create``: save a new record and audit it (``create``);
- ``model_update``: snapshot, set the fields that change, save those (``update_fields``),
  audit before and after (``update``); returns the record and whether anything changed —
  after HackSoftware's Django-Styleguide ``model_update``;
- ``model_delete``: audit the record as it was (``delete``), then delete it.

``audited`` is what the entry shows of the record: the fields to snapshot (by default
every field), or a function of the record returning the snapshot. ``note`` adds lines to
the entry that are not fields (``{"复核意见": "…"}``). ``conflict``, when given, is the
DomainError a unique constraint's refusal becomes (the check the database makes when two
requests race), or a function making it; it is raised with the transaction still usable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from unionworks.core import audit
from unionworks.core.errors import DomainError

M = TypeVar("M", bound=models.Model)
Audited = list[str] | tuple[str, ...] | Callable[[models.Model], dict] | None
# What a unique constraint's refusal becomes: a DomainError, or a function making one once
# the refusal happened (to say who got there first).
Conflict = DomainError | Callable[[], DomainError] | None


def _snapshot(instance: models.Model, audited: Audited) -> dict:
    if callable(audited):
        return audited(instance)
    return audit.snapshot(instance, list(audited) if audited is not None else None)


def _org_of(instance: models.Model, org):
    return org if org is not None else getattr(instance, "org", None)


def _save(instance: models.Model, conflict: Conflict, **kwargs) -> None:
    if conflict is None:
        instance.save(**kwargs)
        return
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError:
        raise (conflict() if callable(conflict) else conflict) from None


def _full_clean(instance: models.Model, fields: list[str] | None = None) -> None:
    """Django's own field checks as a DomainError naming the first field refused."""
    exclude = None
    if fields is not None:
        exclude = {f.name for f in instance._meta.concrete_fields if f.name not in fields}
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from None


def model_create(
    *,
    instance: M,
    actor,
    org=None,
    audited: Audited = None,
    note: dict | None = None,
    clean: bool = False,
    conflict: Conflict = None,
) -> M:
    """Save the new ``instance`` and write its ``create`` entry under ``org`` (by default
    the record's own ``org``)."""
    if clean:
        _full_clean(instance)
    _save(instance, conflict)
    audit.record(
        actor=actor,
        action="create",
        instance=instance,
        org=_org_of(instance, org),
        after={**_snapshot(instance, audited), **(note or {})},
    )
    return instance


def _changes(instance: models.Model, data: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The concrete fields and the many-to-many fields whose value ``data`` changes."""
    changed, many = [], []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            wanted = {getattr(v, "pk", v) for v in value or ()}
            if instance.pk is None or wanted != set(
                getattr(instance, name).values_list("pk", flat=True)
            ):
                many.append(name)
        elif getattr(instance, field.attname) != (
            getattr(value, "pk", value) if field.is_relation else value
        ):
            changed.append(name)
    return changed, many


def model_update(
    *,
    instance: M,
    data: dict[str, Any],
    actor,
    org=None,
    audited: Audited = None,
    note: dict | None = None,
    clean: bool = False,
    conflict: Conflict = None,
) -> tuple[M, bool]:
    """Set ``data`` on ``instance``, save the fields that changed and write the ``update``
    entry (before and after) under ``org`` (by default the record's ``org`` after the
    change). Nothing changed and no ``note``: nothing is saved or written.

    Returns the record and whether any field changed."""
    changed, many = _changes(instance, data)
    if not changed and not many and not note:
        return instance, False
    before = _snapshot(instance, audited)
    for name in changed:
        setattr(instance, name, data[name])
    if changed:
        if clean:
            _full_clean(instance, changed)
        automatic = [
            f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)
        ]
        _save(instance, conflict, update_fields=[*changed, *automatic])
    for name in many:
        getattr(instance, name).set(data[name])
    audit.record(
        actor=actor,
        action="update",
        instance=instance,
        org=_org_of(instance, org),
        before=before,
        after={**_snapshot(instance, audited), **(note or {})},
    )
    return instance, bool(changed or many)


def model_delete(*, instance: models.Model, actor, org=None, audited: Audited = None) -> None:
    """Write the ``delete`` entry (the record as it was), then delete the record."""
    audit.record(
        actor=actor,
        action="delete",
        instance=instance,
        org=_org_of(instance, org),
        before=_snapshot(instance, audited),
    )
    instance.delete()
