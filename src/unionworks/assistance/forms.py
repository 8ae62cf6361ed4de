"""Forms of the assistance pages: input shapes only. Every rule lives in
``assistance.services``; its DomainError lands next to the field it names, so a form's
cleaned data are its service's arguments."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionworks.assistance import selectors
from unionworks.assistance.models import (
    AssistanceCentre,
    Campaign,
    Disbursement,
    HardshipFile,
    SafeReturnTrip,
    Source,
    WageArrearsCase,
)
from unionworks.core.forms import (
    DomainErrorFormMixin,
    IdNumberField,
    MobileField,
    RecordChoiceField,
    date_field,
    today_initial,
)
from unionworks.core.money import MoneyField
from unionworks.core.numbers import form_bounds
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.forms import OrgChoiceField, near_levels, setup_org_field


def _money(label, **kwargs) -> MoneyField:
    return MoneyField(label=label, **kwargs)


PLEASE_CHOOSE = _("—— 请选择 ——")


def _choices(choices, empty=PLEASE_CHOOSE) -> list:
    return [("", empty), *choices]


class CampaignChoiceField(RecordChoiceField):
    invalid_message = _("请选择有效的帮扶活动")
    missing_message = _("帮扶活动不存在，或本组织未参加")


class CentreChoiceField(RecordChoiceField):
    invalid_message = _("请选择有效的帮扶中心")
    missing_message = _("帮扶中心不存在，或不在本组织及下级组织范围内")


# ---- filters -------------------------------------------------------------------------------


class CampaignFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1990, max_value=2100)
    kind = forms.ChoiceField(
        label=_("活动类别"), required=False, choices=_choices(Campaign.Kind.choices, _("全部类别"))
    )

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {"year": data.get("year"), "kind": data.get("kind") or ""}


class FileFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证号"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=_choices(HardshipFile.Status.choices, _("全部状态")),
    )
    level = forms.ChoiceField(
        label=_("困难类别"),
        required=False,
        choices=_choices(HardshipFile.Level.choices, _("全部类别")),
    )
    overdue = forms.BooleanField(label=_("只看逾期未复核"), required=False)

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "level": data.get("level") or "",
            "overdue": bool(data.get("overdue")),
        }


class DisbursementFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证号"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=_choices(Disbursement.Status.choices, _("全部状态")),
    )
    category = forms.ChoiceField(
        label=_("对象类别"),
        required=False,
        choices=_choices(Disbursement.Category.choices, _("全部类别")),
    )

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "category": data.get("category") or "",
        }


# ---- campaigns and raising -----------------------------------------------------------------


class CampaignForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("组织单位"))
    kind = forms.ChoiceField(label=_("活动类别"), choices=_choices(Campaign.Kind.choices))
    name = forms.CharField(label=_("活动名称"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    start_date = date_field(label=_("开始日期"))
    end_date = date_field(label=_("结束日期"))
    budget = _money(_("预算（元）"), required=False, initial=0)
    participants = forms.ModelMultipleChoiceField(
        label=_("参加的下级组织"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("不选则组织单位的全部下级组织参加；按住 Ctrl 可多选"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor))
        root = org_selectors.tree_root_for(actor)
        self.fields["participants"].queryset = (
            near_levels(actor).exclude(pk=root.pk).order_by("path")
        )

    def clean_budget(self):
        return self.cleaned_data.get("budget") or 0

    @staticmethod
    def initial_for(campaign: Campaign) -> dict:
        return {
            "org": campaign.org_id,
            "kind": campaign.kind,
            "name": campaign.name,
            "year": campaign.year,
            "start_date": campaign.start_date,
            "end_date": campaign.end_date,
            "budget": campaign.budget,
            "participants": list(campaign.participants.values_list("pk", flat=True)),
            "note": campaign.note,
        }


def setup_taking_part(form: forms.Form, actor, campaign: Campaign, name: str = "org") -> None:
    """An org picker offering the unions of the actor's subtree that take part."""
    setup_org_field(form, name, actor, shortlist=selectors.proposing_orgs_for(actor, campaign))
    field: OrgChoiceField = form.fields[name]
    field.queryset = selectors.proposing_orgs_for(actor, campaign)


class RaisingForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("筹资单位"))
    source = forms.ChoiceField(label=_("来源"), choices=_choices(Source.choices))
    cash = _money(_("资金（元）"), required=False, initial=0)
    goods_value = _money(_("物资折款（元）"), required=False, initial=0)
    received_on = date_field(label=_("到位日期"))
    donor = forms.CharField(label=_("出资方"), max_length=100, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    widen_campaign = forms.BooleanField(
        label=_("同时放宽活动起止日期"),
        required=False,
        help_text=_("到位日期在活动起止日期之外、又确属本活动时勾选"),
    )

    def __init__(self, *args, actor, campaign: Campaign, **kwargs):
        today_initial(kwargs, "received_on")
        super().__init__(*args, **kwargs)
        setup_taking_part(self, actor, campaign)


class ProposeForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("提名单位"))
    id_number = IdNumberField(label=_("身份证号"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    category = forms.ChoiceField(
        label=_("对象类别"), choices=_choices(Disbursement.Category.choices)
    )
    cash = _money(_("现金（元）"), required=False, initial=0)
    goods_value = _money(_("实物折款（元）"), required=False, initial=0)
    school = forms.CharField(label=_("学校"), max_length=100, required=False)
    admission_year = forms.IntegerField(
        label=_("入学年份"), required=False, min_value=1990, max_value=2100
    )
    student_level = forms.ChoiceField(
        label=_("学历层次"),
        required=False,
        choices=_choices(Disbursement.StudentLevel.choices),
    )
    proposed_on = date_field(label=_("提名日期"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    STUDENT_FIELDS = ("school", "admission_year", "student_level")

    def __init__(self, *args, actor, campaign: Campaign, **kwargs):
        today_initial(kwargs, "proposed_on")
        super().__init__(*args, **kwargs)
        setup_taking_part(self, actor, campaign)
        if campaign.kind == Campaign.Kind.SCHOOLING:
            self.fields["id_number"].help_text = _("金秋助学填学生本人的身份证号")
            self.fields["name"].label = _("学生姓名")
            self.initial.setdefault("category", Disbursement.Category.STUDENT)
        else:
            for name in self.STUDENT_FIELDS:
                del self.fields[name]
            if campaign.kind == Campaign.Kind.WARMTH:
                self.fields["category"].help_text = _("慰问困难职工须有在档的困难职工档案")


class ApproveForm(DomainErrorFormMixin, forms.Form):
    on = date_field(label=_("审核日期"), required=False, help_text=_("不填则为今天"))

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class RejectForm(ApproveForm):
    reason = forms.CharField(label=_("未批准理由"), max_length=200, required=False)


class BulkDecisionForm(RejectForm):
    """批量审批 on the review queue: the ticked proposals, approved or not, on one date."""

    APPROVE, REJECT = "approve", "reject"
    ids = forms.TypedMultipleChoiceField(label=_("审批对象"), coerce=int, choices=())
    decision = forms.ChoiceField(
        label=_("审批结果"), choices=[(APPROVE, _("批准")), (REJECT, _("不予批准"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is taken here; the view finds them in the reviewer's subtree (else 404).
        values = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in values if str(v).isdigit()]
        self.fields["ids"].error_messages["required"] = _("请勾选要审批的对象")

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not data.get("reason"):
            self.add_error("reason", _("不予批准须填写理由"))
        return data


class PayForm(DomainErrorFormMixin, forms.Form):
    paid_on = date_field(label=_("发放日期"))
    cash = _money(_("实发现金（元）"), required=False)
    goods_value = _money(_("实发实物折款（元）"), required=False)

    def __init__(self, *args, disbursement: Disbursement, **kwargs):
        today_initial(kwargs, "paid_on")
        kwargs["initial"].setdefault("cash", disbursement.cash)
        kwargs["initial"].setdefault("goods_value", disbursement.goods_value)
        super().__init__(*args, **kwargs)


# ---- hardship files ------------------------------------------------------------------------


class FileForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("建档工会"))
    centre = CentreChoiceField(label=_("帮扶中心"), required=False)
    id_number = IdNumberField(label=_("身份证号"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = MobileField(label=_("手机号"), required=False)
    household_size = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=30)
    household_income = _money(_("家庭年收入（元）"))
    local_line = _money(_("当地困难标准（元/人·月）"))
    level = forms.ChoiceField(label=_("困难类别"), choices=_choices(HardshipFile.Level.choices))
    causes = forms.MultipleChoiceField(
        label=_("致困原因"),
        choices=HardshipFile.Cause.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    opened_on = date_field(label=_("建档日期"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        today_initial(kwargs, "opened_on")
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor))
        centres = selectors.centres_for(actor)
        field: CentreChoiceField = self.fields["centre"]
        field.queryset = centres
        field.widget.choices = _choices([(c.pk, c.name) for c in centres[:200]], _("—— 不填 ——"))


class ReviewForm(DomainErrorFormMixin, forms.Form):
    reviewed_on = date_field(label=_("复核日期"))
    household_size = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=30)
    household_income = _money(_("家庭年收入（元）"))
    level = forms.ChoiceField(label=_("困难类别"), choices=HardshipFile.Level.choices)
    note = forms.CharField(label=_("复核意见"), max_length=200, required=False)

    def __init__(self, *args, file: HardshipFile, **kwargs):
        today_initial(kwargs, "reviewed_on")
        for name in ("household_size", "household_income", "level"):
            kwargs["initial"].setdefault(name, getattr(file, name))
        super().__init__(*args, **kwargs)


class CloseForm(DomainErrorFormMixin, forms.Form):
    closed_on = date_field(label=_("销档日期"))
    closing = forms.ChoiceField(label=_("销档原因"), choices=_choices(HardshipFile.Closing.choices))
    note = forms.CharField(
        label=_("销档说明"),
        max_length=200,
        required=False,
        help_text=_("如：子女就业，家庭人均收入已超过当地标准"),
    )

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "closed_on")
        super().__init__(*args, **kwargs)


class HouseholdForm(DomainErrorFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    relation = forms.CharField(label=_("与本人关系"), max_length=20)
    yearly_income = _money(_("年收入（元）"), required=False, initial=0)
    situation = forms.CharField(label=_("情况"), max_length=100, required=False)


# ---- centres, wage arrears, trips ----------------------------------------------------------


class CentreForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("所属工会"))
    name = forms.CharField(label=_("名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    opened_on = date_field(label=_("成立日期"), required=False)
    staff = forms.IntegerField(
        label=_("工作人员数"), required=False, initial=0, **form_bounds(AssistanceCentre, "staff")
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor))


class FundingForm(DomainErrorFormMixin, forms.Form):
    received_on = date_field(label=_("到账日期"))
    source = forms.ChoiceField(label=_("来源"), choices=_choices(Source.choices))
    amount = _money(_("金额（元）"))
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "received_on")
        super().__init__(*args, **kwargs)


class WageCaseForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("办理工会"))
    campaign = CampaignChoiceField(label=_("所属讨薪活动"), required=False)
    employer_name = forms.CharField(label=_("欠薪单位名称"), max_length=100)
    workers_count = forms.IntegerField(
        label=_("涉及职工人数"), **form_bounds(WageArrearsCase, "workers_count", min_value=1)
    )
    amount_owed = _money(_("欠薪金额（元）"))
    amount_recovered = _money(_("追回金额（元）"), required=False, initial=0)
    status = forms.ChoiceField(label=_("状态"), choices=_choices(WageArrearsCase.Status.choices))
    opened_on = date_field(label=_("受理日期"))
    resolved_on = date_field(label=_("办结日期"), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        today_initial(kwargs, "opened_on")
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=near_levels(actor))
        campaigns = selectors.campaigns_for(actor, kind=Campaign.Kind.WAGES)
        field: CampaignChoiceField = self.fields["campaign"]
        field.queryset = campaigns
        field.widget.choices = _choices(
            [(c.pk, f"{c.year} {c.name}") for c in campaigns[:100]], _("—— 不属于某次活动 ——")
        )


class WageCaseUpdateForm(DomainErrorFormMixin, forms.Form):
    amount_recovered = _money(_("追回金额（元）"))
    status = forms.ChoiceField(label=_("状态"), choices=WageArrearsCase.Status.choices)
    resolved_on = date_field(label=_("办结日期"), required=False)
    workers_count = forms.IntegerField(
        label=_("涉及职工人数"), **form_bounds(WageArrearsCase, "workers_count", min_value=1)
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    @staticmethod
    def initial_for(case: WageArrearsCase) -> dict:
        return {
            "amount_recovered": case.amount_recovered,
            "status": case.status,
            "resolved_on": case.resolved_on or timezone.localdate(),
            "workers_count": case.workers_count,
            "note": case.note,
        }


class WorkerForm(DomainErrorFormMixin, forms.Form):
    id_number = IdNumberField(label=_("身份证号"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    amount = _money(_("追回金额（元）"), required=False)


class TripForm(DomainErrorFormMixin, forms.Form):
    org = OrgChoiceField(label=_("组织单位"))
    trip_date = date_field(label=_("发车日期"))
    workers_sent = forms.IntegerField(
        label=_("送返农民工人数"), **form_bounds(SafeReturnTrip, "workers_sent", min_value=1)
    )
    destination = forms.CharField(label=_("目的地"), max_length=100, required=False)
    vehicles = forms.IntegerField(
        label=_("车辆数"), required=False, initial=0, **form_bounds(SafeReturnTrip, "vehicles")
    )
    cost = _money(_("费用（元）"), required=False, initial=0)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, actor, campaign: Campaign, **kwargs):
        today_initial(kwargs, "trip_date")
        super().__init__(*args, **kwargs)
        setup_taking_part(self, actor, campaign)
