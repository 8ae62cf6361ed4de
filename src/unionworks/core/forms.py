"""Form pieces every domain app shares. Forms check input shapes only: every business rule
lives in the app's services, whose DomainError lands next to the field it names, so a
form's cleaned data are its service's arguments.

Pickers of organisations (``OrgChoiceField``, ``setup_org_field``, ``near_levels``) know
the org tree and live in ``orgs.forms``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionworks.core.errors import DomainError
from unionworks.core.numbers import EARLIEST_DATE, LATEST_DATE, check_date_range


class IdNumberField(forms.CharField):
    """A 居民身份证号 checked with the form's other fields (the service checks it again), so
    a wrong check digit is reported in the same round, not after the rest is put right.
    The cleaned value is the text as typed: the service reads and seals it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value:
            from unionworks.core.idnumber import parse_id_number

            parse_id_number(value)  # its ValidationError names the reason in Chinese


class MobileField(forms.CharField):
    """A mobile number checked with the other fields (empty allowed unless required)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value:
            from unionworks.core.identity import check_mobile

            check_mobile(value)


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """A service's refusal next to the field it names (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class DomainErrorFormMixin:
    """``form.add_domain_error(exc)``: a service's refusal next to the field it names."""

    def add_domain_error(self, exc: DomainError) -> None:
        add_domain_error(self, exc)


def date_widget() -> forms.DateInput:
    """The browser's date picker, with the value written as it expects it (and offering only
    the dates a record can name)."""
    return forms.DateInput(
        attrs={"type": "date", "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()},
        format="%Y-%m-%d",
    )


def date_in_range(value) -> None:
    """Year 0001 or 9999 is a slip of the keyboard, never a date of ours."""
    try:
        check_date_range(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="date_range") from None


def date_field(**kwargs) -> forms.DateField:
    validators = [date_in_range, *kwargs.pop("validators", [])]
    return forms.DateField(widget=date_widget(), validators=validators, **kwargs)


def today_initial(kwargs: dict, *names: str) -> None:
    """Give the date fields ``names`` today as their initial value (a form's ``__init__``
    kwargs), unless the caller gave one."""
    initial = kwargs.setdefault("initial", {})
    for name in names:
        initial.setdefault(name, timezone.localdate())


class RecordChoiceField(forms.Field):
    """A record chosen by id and looked up in ``queryset`` (set per form, for the actor)."""

    widget = forms.Select
    invalid_message = _("请选择有效的记录")
    missing_message = _("所选记录不存在，或不在本组织及下级组织范围内")

    def __init__(self, *, queryset: QuerySet | None = None, **kwargs):
        super().__init__(**kwargs)
        self.queryset = queryset

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise ValidationError(self.invalid_message, code="invalid") from None
        found = self.queryset.filter(pk=pk).first() if self.queryset is not None else None
        if found is None:
            raise ValidationError(self.missing_message, code="invalid_choice")
        return found
