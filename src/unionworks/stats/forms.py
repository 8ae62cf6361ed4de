"""Forms of the target page: input shapes only; the rules are in ``stats.services``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionworks.members.forms import near_levels
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.forms import DomainErrorFormMixin, OrgChoiceField, setup_org_field
from unionworks.stats.targets import TARGET_INDICATORS

FIRST_YEAR = 2007


def year_choices() -> list[int]:
    """From the article's first year to next year, newest first."""
    return list(range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1))


def chosen_year(raw) -> int:
    """The year asked for, or this year when it is missing or not offered."""
    text = str(raw or "")
    year = int(text) if text.isdigit() else 0
    return year if year in year_choices() else timezone.localdate().year


class TargetForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("下达给"), kind="any", help_text=_("只能为下级组织下达"))
    indicator = forms.ChoiceField(
        label=_("指标"), choices=[(code, _(name)) for code, name in TARGET_INDICATORS]
    )
    value = forms.DecimalField(label=_("目标值"), max_digits=16, decimal_places=2)
    year = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        root = org_selectors.tree_root_for(actor)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor).exclude(pk=root.pk))
