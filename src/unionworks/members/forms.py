"""Forms of the member-roll pages: input shapes only. Every rule lives in
``members.services``; its DomainError lands next to the field it names."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionworks.core.forms import (
    DomainErrorFormMixin,
    IdNumberField,
    MobileField,
    RecordChoiceField,
    date_field,
    today_initial,
)
from unionworks.members.models import Member, Transfer
from unionworks.members.selectors import transfer_destinations
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.forms import (
    PICKER_LIMIT,
    OrgChoiceField,
    near_levels,
    setup_org_field,
)
from unionworks.orgs.models import Org, Unit

# Quick picks of the coverage page: the article's two reporting dates.
COVERAGE_QUICK_DATES = (dt.date(2007, 12, 31), dt.date(2008, 9, 30))
# Options the receiving-union search returns at most.
UNION_LOOKUP_LIMIT = 30


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("姓名 / 拼音首字母 / 身份证号 / 会员卡号"), required=False, max_length=40
    )
    status = forms.ChoiceField(
        label=_("会籍状态"),
        required=False,
        choices=[("", _("全部状态"))] + list(Member.Status.choices),
    )
    org = OrgChoiceField(label=_("所在组织"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor))
        field = self.fields["org"]
        field.widget.choices[0] = ("", _("本组织及下级（全部）"))
        field.widget.attrs["aria-label"] = _("所在组织")

    def filters(self) -> dict:
        """The valid filters only: a mistyped value is dropped rather than failing the page."""
        self.is_valid()
        data = self.cleaned_data
        org = data.get("org")
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "org_id": org.pk if org else None,
        }

    @property
    def filtered(self) -> bool:
        return any(self.filters().values())


class UnitChoiceField(RecordChoiceField):
    invalid_message = _("请选择有效的单位")
    missing_message = _("所选单位不存在，或不在本组织及下级组织范围内")


class DestinationField(RecordChoiceField):
    """The receiving grassroots union: any of the province."""

    invalid_message = _("请选择有效的基层工会")
    missing_message = _("转入的基层工会不存在")


def units_covered_by(actor, org: Org | None) -> QuerySet[Unit]:
    """The units a grassroots union covers, as far as the actor may see them."""
    if org is None:
        return Unit.objects.none()
    return org_selectors.units_for(actor).filter(union=org)


class JoinForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("加入的基层工会"), kind="grassroots")
    id_number = IdNumberField(
        label=_("身份证号"), help_text=_("18位；出生日期和性别由身份证号得出")
    )
    name = forms.CharField(label=_("姓名"), max_length=50)
    unit = UnitChoiceField(
        label=_("工作单位"), required=False, help_text=_("列出所选基层工会覆盖的单位")
    )
    joined_on = date_field(label=_("入会日期"))
    phone = MobileField(label=_("手机号"), required=False)
    education = forms.ChoiceField(
        label=_("文化程度"),
        required=False,
        choices=[("", _("—— 请选择 ——"))] + list(Member.Education.choices),
    )
    ethnicity = forms.CharField(label=_("民族"), max_length=20, required=False)
    is_migrant = forms.BooleanField(label=_("农民工"), required=False)
    card_number = forms.CharField(label=_("会员卡号"), max_length=30, required=False)

    def __init__(self, *args, actor, **kwargs):
        today_initial(kwargs, "joined_on")
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=org_selectors.grassroots_unions_for(actor))
        # Choosing the union reloads the unit options (htmx); without JS, the page does.
        self.fields["org"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("members:unit_options"),
                "hx-trigger": "change, htmx:afterSwap",
                "hx-target": "#id_unit",
            }
        )
        unit_field: UnitChoiceField = self.fields["unit"]
        unit_field.queryset = org_selectors.units_for(actor)
        try:
            union = self.fields["org"].to_python(self["org"].value())
        except ValidationError:
            union = None
        options = list(units_covered_by(actor, union).order_by("name")[:PICKER_LIMIT])
        unit_field.widget.choices = unit_choices(options, empty=union is None)


class MemberEditForm(DomainErrorFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = MobileField(label=_("新手机号"), required=False, help_text=_("不改请留空"))
    clear_phone = forms.BooleanField(label=_("删除登记的手机号"), required=False)
    education = forms.ChoiceField(
        label=_("文化程度"),
        required=False,
        choices=[("", _("请选择"))] + list(Member.Education.choices),
    )
    is_migrant = forms.BooleanField(label=_("农民工"), required=False)

    @classmethod
    def initial_for(cls, member: Member) -> dict:
        return {
            "name": member.name,
            "education": member.education,
            "is_migrant": member.is_migrant,
        }


def unit_choices(units, *, empty: bool) -> list[tuple]:
    first = _("—— 请先选择基层工会 ——") if empty else _("—— 不填 ——")
    return [("", first)] + [(u.pk, u.name) for u in units]


class TransferForm(DomainErrorFormMixin, forms.Form):
    to_org = DestinationField(
        label=_("转入的基层工会"),
        help_text=_("可转往全省任一基层工会"),
        queryset=transfer_destinations(),
    )
    on = date_field(label=_("转会日期"))
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)
        field = self.fields["to_org"]
        choices = [("", _("—— 请输入名称查找 ——"))]
        try:
            chosen = field.to_python(self["to_org"].value())
        except ValidationError:
            chosen = None
        if chosen is not None:
            choices.append((chosen.pk, chosen.name))
        field.widget.choices = choices


class LeaveForm(DomainErrorFormMixin, forms.Form):
    LEAVE, DEATH = "leave", "death"

    kind = forms.ChoiceField(
        label=_("类别"),
        choices=[(LEAVE, _("退会")), (DEATH, _("去世"))],
        widget=forms.RadioSelect,
        initial=LEAVE,
    )
    on = date_field(label=_("日期"))

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class AcceptTransferForm(DomainErrorFormMixin, forms.Form):
    context_name = "accept_form"
    on = date_field(label=_("接收日期"))

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class RejectTransferForm(DomainErrorFormMixin, forms.Form):
    context_name = "reject_form"
    reason = forms.CharField(label=_("退回理由"), max_length=200, required=False)


class TransferFilterForm(forms.Form):
    SENT, RECEIVED = "sent", "received"

    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态"))] + list(Transfer.Status.choices),
    )
    direction = forms.ChoiceField(
        label=_("方向"),
        required=False,
        choices=[("", _("转出和转入")), (SENT, _("本组织转出")), (RECEIVED, _("转入本组织"))],
    )

    def filters(self) -> dict:
        self.is_valid()
        return {
            "status": self.cleaned_data.get("status") or "",
            "direction": self.cleaned_data.get("direction") or "",
        }


class CoverageForm(forms.Form):
    org = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    as_of = date_field(label=_("截至日期"), required=False)
    period_start = date_field(
        label=_("期间起始"),
        required=False,
        help_text=_("“期间新入会”“期间新建工会”从此日算到截至日期；默认为当年1月1日"),
    )

    def clean(self):
        data = super().clean()
        as_of = data.get("as_of") or timezone.localdate()
        start = data.get("period_start")
        if start and start > as_of:
            self.add_error("period_start", _("期间起始日期不能晚于截至日期"))
        return data

    def choices(self) -> tuple[int | None, dt.date, dt.date]:
        """The org id, the as-of date and the period start; a bad value gives its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        as_of = data.get("as_of") or timezone.localdate()
        start = data.get("period_start") or dt.date(as_of.year, 1, 1)
        return data.get("org"), as_of, start


class DissolveForm(DomainErrorFormMixin, forms.Form):
    on = date_field(label=_("撤销日期"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class MergeForm(DomainErrorFormMixin, forms.Form):
    into = OrgChoiceField(label=_("并入的基层工会"), kind="grassroots")
    on = date_field(label=_("合并日期"), help_text=_("会员与覆盖的单位于当日转入"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, actor, union: Org, **kwargs):
        super().__init__(*args, **kwargs)
        shortlist = union.parent.subtree() if union.parent_id else union.subtree()
        setup_org_field(self, "into", actor, shortlist=shortlist.exclude(pk=union.pk))
