"""The finance pages' forms: shapes only; every rule is the services'."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionworks.core.creditcode import normalize_credit_code
from unionworks.core.forms import DomainErrorFormMixin, date_field, today_initial
from unionworks.core.money import MoneyField
from unionworks.finance.models import Asset, Channel, Mode
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.forms import OrgChoiceField, near_levels, setup_org_field

RATE = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}


class UnitByCodeField(forms.CharField):
    """A payer unit named by its 统一社会信用代码, looked up in the actor's subtree."""

    def __init__(self, **kwargs):
        super().__init__(max_length=30, **kwargs)
        self.units = None

    def clean(self, value):
        code = normalize_credit_code(super().clean(value))
        if not code:
            return None
        unit = self.units.filter(credit_code=code).first() if self.units is not None else None
        if unit is None:
            raise forms.ValidationError(_("未找到该统一社会信用代码的单位，或不在本组织范围内"))
        return unit


class ReceiptForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("收款工会"))
    channel = forms.ChoiceField(label=_("收缴渠道"), choices=Channel.choices)
    unit = UnitByCodeField(label=_("缴费单位统一社会信用代码"), required=False)
    period = forms.CharField(
        label=_("所属期"), max_length=20, required=False, help_text=_("如 2008-03 或 2008Q1")
    )
    payroll_base = MoneyField(label=_("工资总额（元）"), required=False)
    amount = MoneyField(label=_("金额（元）"))
    received_on = date_field(label=_("到账日期"))
    reference = forms.CharField(label=_("票据/代征流水号"), max_length=40, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        today_initial(kwargs, "received_on")
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor))
        self.fields["unit"].units = org_selectors.units_for(actor)


class SchemeForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("制定单位"))
    name = forms.CharField(label=_("名称"), max_length=100)
    valid_from = date_field(label=_("执行日期"))
    mode = forms.ChoiceField(label=_("征收方式"), choices=Mode.choices)
    grassroots_rate = forms.DecimalField(label=_("基层工会（%）"), initial=60, **RATE)
    county_rate = forms.DecimalField(label=_("县级工会（%）"), initial=10, **RATE)
    city_rate = forms.DecimalField(label=_("市级工会（%）"), initial=15, **RATE)
    province_rate = forms.DecimalField(label=_("省总工会（%）"), initial=10, **RATE)
    national_rate = forms.DecimalField(label=_("全国总工会（%）"), initial=5, **RATE)
    late_fee_rate = forms.DecimalField(
        label=_("滞纳金日费率（‰）"),
        required=False,
        max_digits=6,
        decimal_places=3,
        min_value=0,
        help_text=_("不收滞纳金的留空"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor, 0))


class AssetForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("产权单位"))
    name = forms.CharField(label=_("资产名称"), max_length=100)
    code = forms.CharField(label=_("资产编号"), max_length=40, required=False)
    category = forms.ChoiceField(label=_("资产分类（GB/T 14885）"), choices=Asset.Category.choices)
    acquired_on = date_field(label=_("取得日期"))
    original_value = MoneyField(label=_("原值（元）"))
    useful_life_years = forms.IntegerField(
        label=_("折旧年限（年）"), min_value=0, max_value=100, initial=0
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor))


class DisposalForm(DomainErrorFormMixin, forms.Form):
    reason = forms.CharField(label=_("处置理由"), max_length=200)
    value = MoneyField(label=_("处置收入（元）"), required=False)


class ApprovalForm(DomainErrorFormMixin, forms.Form):
    on = date_field(label=_("处置日期"))


class AssetRuleForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("制定单位"))
    title = forms.CharField(label=_("制度名称"), max_length=100)
    issued_on = date_field(label=_("印发日期"))
    valid_from = date_field(label=_("施行日期"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor))


# ---- affiliated institutions and their yearly assessment -----------------------------------


class InstitutionForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("主管工会"))
    name = forms.CharField(label=_("单位名称"), max_length=100)
    kind = forms.CharField(
        label=_("类别"), max_length=30, required=False, help_text=_("如 文化宫、疗养院、院校")
    )
    founded_on = date_field(label=_("成立日期"), required=False)
    staff = forms.IntegerField(label=_("编制人数"), min_value=0, max_value=1_000_000, initial=0)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor, 0))


def item_lines(items) -> str:
    """A score sheet's items as the form shows them: one ``项目|分值`` a line."""
    return "\n".join(f"{name}|{Decimal(score).normalize():f}" for name, score in items)


class ItemsField(forms.CharField):
    """A score sheet's items, one ``考核项目|分值`` a line: a list of (name, score text);
    the service checks the names and the scores."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("考核项目"))
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 10}))
        kwargs.setdefault("help_text", _("每行一项：考核项目|分值，如“经济效益|60”"))
        super().__init__(max_length=5000, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("｜", "|").split("|")]
            if len(parts) != 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(_("第%(n)d行应写成“考核项目|分值”") % {"n": number})
            items.append((parts[0], parts[1]))
        return items


class AssessmentSchemeForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("考核单位"))
    year = forms.IntegerField(label=_("考核年度"), min_value=1990, max_value=2100)
    title = forms.CharField(label=_("办法名称"), max_length=100)
    items = ItemsField()
    excellent_from = forms.DecimalField(label=_("优秀（分以上）"), initial=90, **RATE)
    good_from = forms.DecimalField(label=_("良好（分以上）"), initial=75, **RATE)
    pass_from = forms.DecimalField(label=_("合格（分以上）"), initial=60, **RATE)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor, 0))


class ScoreItemsForm(DomainErrorFormMixin, forms.Form):
    items = ItemsField()


class AssessForm(DomainErrorFormMixin, forms.Form):
    """An institution's assessment under a score sheet: one score field per item
    (``item_<id>``, the names the service's refusals use), gathered into ``scores``."""

    institution = forms.TypedChoiceField(label=_("事业单位"), coerce=int)
    assessed_on = date_field(label=_("考核日期"))
    income = MoneyField(label=_("年度收入（元）"), required=False)
    assets_value = MoneyField(label=_("年末资产总额（元）"), required=False)

    def __init__(self, *args, scheme, institutions, **kwargs):
        today_initial(kwargs, "assessed_on")
        super().__init__(*args, **kwargs)
        self.institutions = {i.pk: i for i in institutions}
        self.fields["institution"].choices = [
            (i.pk, f"{i.name}（{i.org.name}）") for i in institutions
        ]
        self.items = list(scheme.items.all())
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label=_("%(name)s（满分%(max)s分）")
                % {"name": item.name, "max": f"{item.max_score.normalize():f}"},
                min_value=0,
                max_digits=5,
                decimal_places=2,
            )

    def clean_institution(self):
        return self.institutions[self.cleaned_data["institution"]]

    def clean(self):
        data = super().clean()
        data["scores"] = {item.pk: data.pop(f"item_{item.pk}", None) for item in self.items}
        return data


# ---- the ledger's and the arrears list's query (their pages and their exports) -------------


def year_in_query(query) -> int:
    """``year`` of a list's query (1990–2100), else this year."""
    try:
        year = int(query.get("year") or 0)
    except (TypeError, ValueError):
        year = 0
    return year if 1990 <= year <= 2100 else timezone.localdate().year


def org_in_query(actor, query, field: str = "org"):
    """The org named in a list's query, in the actor's subtree (else 404); by default the
    actor's own."""
    value = str(query.get(field) or "")
    if value.isdigit():
        return org_selectors.org_for(actor, int(value))
    return org_selectors.tree_root_for(actor)
