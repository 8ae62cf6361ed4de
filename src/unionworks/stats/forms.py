"""Forms of the statistics pages: input shapes only; the rules are in ``stats.services``.

- ``PeriodForm``: the period picker (a year, a half, a quarter, a month, or "as of" a
  date) built from simple inputs into a period code (core.periods).
- ``TargetForm``: a target by hand (a whole file of them goes through the shared import).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionworks.core.errors import DomainError
from unionworks.core.forms import DomainErrorFormMixin, date_field
from unionworks.core.periods import Period, as_of, parse_period, year
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.forms import OrgChoiceField, near_levels, setup_org_field
from unionworks.stats import registry
from unionworks.stats.lens import PROJECTS

FIRST_YEAR = 2007


def year_choices() -> list[int]:
    """From the article's first year to next year, newest first."""
    return list(range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1))


def chosen_year(raw) -> int:
    """The year asked for, or this year when it is missing or not offered."""
    text = str(raw or "")
    year = int(text) if text.isdigit() else 0
    return year if year in year_choices() else timezone.localdate().year


# ---- the period picker ---------------------------------------------------------------------

PERIOD_KINDS = [
    ("reporting", _("统计年度（上年10月1日至本年9月30日）")),
    ("year", _("全年")),
    ("half", _("半年")),
    ("quarter", _("季度")),
    ("month", _("月份")),
    ("as_of", _("截至某日")),
]


class PeriodForm(forms.Form):
    """A period from simple inputs; only the inputs of the chosen kind are read."""

    kind = forms.ChoiceField(label=_("统计期间"), choices=PERIOD_KINDS)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())
    half = forms.TypedChoiceField(
        label=_("半年"), coerce=int, required=False, choices=[(1, _("上半年")), (2, _("下半年"))]
    )
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        coerce=int,
        required=False,
        choices=[(q, _("第%(q)s季度") % {"q": q}) for q in range(1, 5)],
    )
    month = forms.TypedChoiceField(
        label=_("月份"),
        coerce=int,
        required=False,
        choices=[(m, _("%(m)s月") % {"m": m}) for m in range(1, 13)],
    )
    as_of = date_field(label=_("截至日期"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Figures are of the past: no year after the current one.
        this_year = timezone.localdate().year
        self.fields["year"].choices = [
            (y, _("%(y)s年") % {"y": y}) for y in year_choices() if y <= this_year
        ]
        for name, form_field in self.fields.items():
            form_field.widget.attrs.update({"aria-label": form_field.label, "data-period": name})

    @classmethod
    def for_period(cls, period: Period) -> PeriodForm:
        """An unbound picker showing ``period`` (a reporting year as such, another range as
        "as of" its last day)."""
        start = period.start
        kind = period.kind
        if kind == "range":
            kind = "reporting" if is_reporting_year(period) else "as_of"
        return cls(
            initial={
                "kind": kind,
                "year": period.end.year,
                "half": 1 if start.month <= 6 else 2,
                "quarter": (start.month - 1) // 3 + 1,
                "month": start.month,
                "as_of": period.end,
            }
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in ("half", "quarter", "month") and not data.get(kind):
            self.add_error(kind, _("请选择%(label)s") % {"label": self.fields[kind].label})
        if kind == "as_of" and not data.get("as_of"):
            self.add_error("as_of", _("请填写截至日期"))
        return data

    def period_code(self) -> str:
        data = self.cleaned_data
        kind, year = data["kind"], data.get("year")
        if kind == "as_of":
            return f"@{data['as_of'].isoformat()}"
        if kind == "reporting":
            return f"{year - 1}-10-01~{year}-09-30"
        if kind == "half":
            return f"{year}H{data['half']}"
        if kind == "quarter":
            return f"{year}Q{data['quarter']}"
        if kind == "month":
            return f"{year}-{data['month']:02d}"
        return str(year)


def is_reporting_year(period: Period) -> bool:
    """1 October to the next 30 September: the federation's reporting year (统计年度)."""
    start, end = period.start, period.end
    return (start.month, start.day, end.month, end.day) == (10, 1, 9, 30) and (
        end.year == start.year + 1
    )


def default_period(today: dt.date | None = None, *, actor=None) -> Period:
    """Where statistics open: the reporting year to date when it has records, else the
    latest reporting year that has (``stats.selectors.opening_period``); without an
    account, this year up to today."""
    from unionworks.stats.selectors import opening_period

    if actor is None:
        return as_of(today or timezone.localdate())
    return opening_period(actor, today)


# The period chosen last on a statistics page, kept for the next one (across the menu).
SESSION_KEY = "stats.period"


def resolve_period(query, *, actor=None, session=None) -> tuple[Period, list[str]]:
    """The period a page asks for: ``period=<code>``, or the picker's inputs, or the one
    chosen last in this session, or where statistics open (``default_period``). A bad
    choice falls back with its reason (shown on the page)."""
    code = (query.get("period") or "").strip()
    if not code and query.get("kind"):
        form = PeriodForm(query)
        if not form.is_valid():
            reasons = [str(e) for errors in form.errors.values() for e in errors]
            return default_period(actor=actor), reasons
        code = form.period_code()
    remembered = False
    if not code and session is not None:
        code, remembered = session.get(SESSION_KEY) or "", True
    if not code:
        return default_period(actor=actor), []
    try:
        period = parse_period(code)
    except DomainError as exc:
        if remembered:
            session.pop(SESSION_KEY, None)
            return default_period(actor=actor), []
        return default_period(actor=actor), [exc.message]
    if session is not None and not remembered:
        session[SESSION_KEY] = period.code
    return period, []


def period_shortcuts(period: Period, today: dt.date | None = None) -> list[tuple[str, Period]]:
    """本年至今 / 上年 / 上年同期, read from the period shown: the year it ends in up to
    today (or to the period's end, for a past year), the whole year before, and the same
    period one year earlier."""
    today = today or timezone.localdate()
    end_year = period.end.year
    to_date = as_of(today) if end_year >= today.year else as_of(period.end)
    return [
        (_("本年至今"), to_date),
        (_("上年"), year(end_year - 1)),
        (_("上年同期"), period.year_before()),
    ]


def org_id_from(query) -> int | None:
    text = str(query.get("org") or "").strip()
    return int(text) if text.isdigit() else None


# ---- targets -------------------------------------------------------------------------------


def indicator_choices() -> list:
    """Every registered indicator, grouped by the first project that shows it (lens order)."""
    seen: set[str] = set()
    groups = []
    for project in PROJECTS:
        codes = [c for c in project.kept() if c not in seen]
        seen.update(codes)
        if codes:
            groups.append((_(project.name), [(c, registry.get(c).name) for c in codes]))
    others = [(i.code, i.name) for i in registry.all_indicators() if i.code not in seen]
    if others:
        groups.append((_("其他指标"), others))
    return groups


class TargetForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("下达给"), kind="any", help_text=_("只能为下级组织下达"))
    indicator = forms.ChoiceField(
        label=_("指标"), choices=(), help_text=_("比率类指标（如建会率）按百分数填写，90 即 90%")
    )
    value = forms.DecimalField(label=_("目标值"), max_digits=16, decimal_places=2)
    year = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("—— 请选择 ——")), *indicator_choices()]
        root = org_selectors.tree_root_for(actor)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor).exclude(pk=root.pk))
