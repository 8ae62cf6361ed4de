"""Forms of the 和谐劳动关系 pages: input shapes only. Every rule lives in
``relations.services``; its DomainError lands next to the field it names, so a form's
cleaned data are its service's arguments.

Units are named by their 统一社会信用代码 (several, for a regional contract, separated by
、 or ；) — what a clerk has on the contract's text — and looked up in the actor's subtree.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unionworks.core.forms import DomainErrorFormMixin, date_field, today_initial
from unionworks.core.money import MoneyField
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.forms import OrgChoiceField, near_levels, setup_org_field
from unionworks.relations.models import (
    OPENNESS_CHANNELS,
    OPENNESS_ITEMS,
    CollectiveContract,
    CongressProposal,
    Dispute,
    Level,
    Scope,
    WorkerRepresentative,
)
from unionworks.relations.selectors import CONTRACT_STATES

_SPLIT = re.compile(r"[、,，;；/\s]+")


PLEASE_CHOOSE = _("—— 请选择 ——")


def _choices(choices, empty=PLEASE_CHOOSE) -> list:
    return [("", empty), *choices]


class UnitsField(forms.CharField):
    """Units by credit code, looked up among the actor's units (``units`` set per form)."""

    def __init__(self, *, many: bool = True, **kwargs):
        kwargs.setdefault("max_length", 4000)
        super().__init__(**kwargs)
        self.many = many
        self.units = None

    def clean(self, value):
        text = super().clean(value)
        codes = [c.upper() for c in _SPLIT.split(text or "") if c]
        if not codes:
            return [] if self.many else None
        if not self.many and len(codes) > 1:
            raise ValidationError(_("只能填写一个单位的信用代码"))
        found = {u.credit_code: u for u in self.units.filter(credit_code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(
                _("未找到信用代码为“%(code)s”的单位（须在本组织及下级组织范围内）")
                % {"code": missing[0]}
            )
        units = [found[c] for c in dict.fromkeys(codes)]
        return units if self.many else units[0]


class _Scoped(DomainErrorFormMixin, forms.Form):
    """A form with an org picker (``org``) and unit fields, set up for the actor."""

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if "org" in self.fields:
            setup_org_field(self, "org", actor, shortlist=near_levels(actor))
        for field in self.fields.values():
            if isinstance(field, UnitsField):
                field.units = org_selectors.units_for(actor)


# ---- contracts -------------------------------------------------------------------------------


class ContractFilterForm(forms.Form):
    q = forms.CharField(label=_("编号、企业或区域"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("合同类型"),
        required=False,
        choices=_choices(CollectiveContract.Kind.choices, _("全部类型")),
    )
    scope = forms.ChoiceField(
        label=_("合同范围"),
        required=False,
        choices=_choices([*Scope.choices, ("regional_all", _("区域性和行业性"))], _("全部范围")),
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=_choices(CONTRACT_STATES.items(), _("全部状态"))
    )

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        scope = data.get("scope") or ""
        return {
            "q": data.get("q") or "",
            "kind": data.get("kind") or "",
            "scope": "regional" if scope == "regional_all" else scope,
            "state": data.get("state") or "",
        }


class ContractForm(_Scoped):
    org = OrgChoiceField(label=_("签订工会"))
    number = forms.CharField(
        label=_("合同编号"), max_length=40, required=False, help_text=_("不填则自动编号")
    )
    kind = forms.ChoiceField(label=_("合同类型"), choices=CollectiveContract.Kind.choices)
    scope = forms.ChoiceField(label=_("合同范围"), choices=Scope.choices)
    region_name = forms.CharField(label=_("区域或行业"), max_length=100, required=False)
    units = UnitsField(
        label=_("覆盖单位信用代码"),
        help_text=_("企业合同填一个；区域性、行业性合同填多个，用顿号分隔"),
    )
    employer_party = forms.CharField(label=_("企业方"), max_length=100)
    union_party = forms.CharField(label=_("职工方"), max_length=100)
    employer_negotiator = forms.CharField(
        label=_("企业方首席协商代表"), max_length=50, required=False
    )
    union_negotiator = forms.CharField(label=_("职工方首席协商代表"), max_length=50, required=False)
    congress_approved_on = date_field(label=_("职代会通过日期"))
    congress_present = forms.IntegerField(label=_("到会代表数"), min_value=1, max_value=100000)
    congress_votes_for = forms.IntegerField(label=_("赞成票数"), min_value=0, max_value=100000)
    signed_on = date_field(label=_("签订日期"))
    term_years = forms.TypedChoiceField(
        label=_("期限（年）"), coerce=int, choices=[(1, "1"), (2, "2"), (3, "3")], initial=3
    )
    employees_covered = forms.IntegerField(label=_("覆盖职工人数"), min_value=1, max_value=10**7)
    women_covered = forms.IntegerField(
        label=_("其中女职工"), min_value=0, max_value=10**7, required=False, initial=0
    )
    migrants_covered = forms.IntegerField(
        label=_("其中农民工"), min_value=0, max_value=10**7, required=False, initial=0
    )
    last_year_wage = MoneyField(label=_("上年职工平均工资（元）"), required=False)
    wage_rise = forms.DecimalField(
        label=_("约定工资增幅（%）"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=_("工资专项集体合同填写"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        today_initial(kwargs, "signed_on", "congress_approved_on")
        super().__init__(*args, actor=actor, **kwargs)


class SubmitForm(DomainErrorFormMixin, forms.Form):
    submitted_on = date_field(label=_("报送日期"))

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "submitted_on")
        super().__init__(*args, **kwargs)


class ObjectionForm(DomainErrorFormMixin, forms.Form):
    objected_on = date_field(label=_("提出异议日期"))
    reason = forms.CharField(label=_("异议理由"), max_length=300, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "objected_on")
        super().__init__(*args, **kwargs)


class PublishForm(DomainErrorFormMixin, forms.Form):
    published_on = date_field(label=_("向职工公布日期"))

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "published_on")
        super().__init__(*args, **kwargs)


# ---- congresses ------------------------------------------------------------------------------


class CongressForm(_Scoped):
    org = OrgChoiceField(label=_("所属工会"))
    scope = forms.ChoiceField(label=_("范围"), choices=Scope.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    units = UnitsField(label=_("单位信用代码"), help_text=_("区域职代会填多个，用顿号分隔"))
    term_number = forms.IntegerField(label=_("届次"), min_value=1, max_value=99)
    term_starts_on = date_field(label=_("本届起始日期"))
    term_ends_on = date_field(label=_("本届届满日期"), required=False, help_text=_("不填则为三年"))


class SessionForm(DomainErrorFormMixin, forms.Form):
    number = forms.IntegerField(label=_("会次"), min_value=1, max_value=99)
    held_on = date_field(label=_("召开日期"))
    delegates_elected = forms.IntegerField(label=_("应到代表数"), min_value=1, max_value=100000)
    delegates_present = forms.IntegerField(label=_("实到代表数"), min_value=0, max_value=100000)
    frontline_delegates = forms.IntegerField(
        label=_("其中一线职工代表"), min_value=0, max_value=100000, required=False
    )
    women_delegates = forms.IntegerField(
        label=_("其中女职工代表"), min_value=0, max_value=100000, required=False
    )
    items = forms.CharField(
        label=_("审议事项"), max_length=2000, required=False, widget=forms.Textarea
    )


class ProposalForm(DomainErrorFormMixin, forms.Form):
    session = forms.TypedChoiceField(label=_("会议"), coerce=int)
    title = forms.CharField(label=_("提案标题"), max_length=200)
    proposer = forms.CharField(label=_("提案人"), max_length=100)
    status = forms.ChoiceField(label=_("办理状态"), choices=CongressProposal.Status.choices)
    handled_on = date_field(label=_("办结日期"), required=False)
    reply = forms.CharField(label=_("办理答复"), max_length=300, required=False)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {s.pk: s for s in sessions}
        self.fields["session"].choices = [(s.pk, str(s)) for s in sessions]

    def clean_session(self):
        return self.sessions[self.cleaned_data["session"]]


class ProposalStatusForm(DomainErrorFormMixin, forms.Form):
    """A proposal's next handling status (the ones it may move to), dated."""

    status = forms.ChoiceField(label=_("办理状态"))
    on = date_field(label=_("日期"))
    reply = forms.CharField(
        label=_("办理答复"),
        max_length=300,
        required=False,
        help_text=_("不予立案须说明理由；留空则保留原答复"),
    )

    def __init__(self, *args, choices, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class RepresentativeForm(DomainErrorFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("职务"), choices=WorkerRepresentative.Role.choices)
    elected_on = date_field(label=_("当选日期"))


# ---- openness, assessment, disputes ------------------------------------------------------------


class OpennessForm(_Scoped):
    org = OrgChoiceField(label=_("所属工会"))
    unit = UnitsField(label=_("单位信用代码"), many=False)
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    items = forms.MultipleChoiceField(
        label=_("公开事项"), choices=OPENNESS_ITEMS, widget=forms.CheckboxSelectMultiple
    )
    channels = forms.MultipleChoiceField(
        label=_("公开形式"), choices=OPENNESS_CHANNELS, widget=forms.CheckboxSelectMultiple
    )
    supervisor = forms.CharField(label=_("监督小组（负责人）"), max_length=100, required=False)
    in_assessment = forms.BooleanField(label=_("纳入当地考核"), required=False)


class ApplyForm(_Scoped):
    org = OrgChoiceField(label=_("申报工会"))
    unit = UnitsField(label=_("单位信用代码"), many=False)
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    applied_on = date_field(label=_("申报日期"))

    def __init__(self, *args, actor, **kwargs):
        today_initial(kwargs, "applied_on")
        super().__init__(*args, actor=actor, **kwargs)


class ScoreForm(DomainErrorFormMixin, forms.Form):
    """One field per item of the year's sheet (its maximum shown), then the other scores."""

    def __init__(self, *args, sheet, **kwargs):
        today_initial(kwargs, "scored_on")
        super().__init__(*args, **kwargs)
        self.codes = []
        for item in sheet.items:
            name = f"score_{item['code']}"
            self.codes.append((item["code"], name))
            self.fields[name] = forms.DecimalField(
                label=f"{item['name']}（{item['max']}分）",
                min_value=0,
                max_value=item["max"],
                decimal_places=1,
                max_digits=4,
            )
        self.fields["site_visit_score"] = forms.DecimalField(
            label=_("实地考察得分"), required=False, min_value=0, max_value=100, decimal_places=1
        )
        self.fields["survey_score"] = forms.DecimalField(
            label=_("职工满意度测评得分"),
            required=False,
            min_value=0,
            max_value=100,
            decimal_places=1,
        )
        self.fields["scored_on"] = date_field(label=_("评审日期"))

    def clean(self):
        data = super().clean()
        data["scores"] = {code: data.pop(name, None) for code, name in self.codes}
        return data


class NoticeForm(DomainErrorFormMixin, forms.Form):
    notice_from = date_field(label=_("公示开始日期"))
    days = forms.IntegerField(label=_("公示天数"), min_value=7, max_value=60, initial=7)


class CommendForm(DomainErrorFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("命名级别"), choices=Level.choices)
    commended_on = date_field(label=_("命名日期"))
    decision = forms.CharField(label=_("三方决定文号"), max_length=100, required=False)


class AssessmentFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1990, max_value=2100)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_choices(
            [("applied", "已申报"), ("passed", "评审达标"), ("failed", "未达标"),
             ("notice", "公示中"), ("commended", "已命名表彰")], _("全部状态"))
    )  # fmt: skip
    level = forms.ChoiceField(
        label=_("命名级别"), required=False, choices=_choices(Level.choices, _("全部级别"))
    )

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "year": data.get("year"),
            "status": data.get("status") or "",
            "level": data.get("level") or "",
        }


class CommitteeForm(_Scoped):
    org = OrgChoiceField(label=_("所属工会"))
    unit = UnitsField(label=_("单位信用代码"), many=False)
    chair = forms.CharField(label=_("主任（工会主席）"), max_length=50)
    worker_members = forms.IntegerField(label=_("职工代表人数"), min_value=1, max_value=99)
    employer_members = forms.IntegerField(label=_("企业代表人数"), min_value=1, max_value=99)
    established_on = date_field(label=_("成立日期"))


class DisputeForm(_Scoped):
    org = OrgChoiceField(label=_("受理工会"))
    unit = UnitsField(label=_("单位信用代码"), many=False)
    applicants = forms.IntegerField(label=_("申请人数"), min_value=1, max_value=100000)
    applicant_names = forms.CharField(label=_("申请人"), max_length=300, required=False)
    cause = forms.ChoiceField(label=_("争议原因"), choices=Dispute.Cause.choices)
    amount_claimed = MoneyField(label=_("请求金额（元）"), required=False)
    accepted_on = date_field(label=_("受理日期"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        today_initial(kwargs, "accepted_on")
        super().__init__(*args, actor=actor, **kwargs)


class CloseDisputeForm(DomainErrorFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("结果"), choices=[c for c in Dispute.Outcome.choices if c[0] != "open"]
    )
    closed_on = date_field(label=_("结案日期"))
    agreement_amount = MoneyField(label=_("协议金额（元）"), required=False)


class DisputeFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("结果"), required=False, choices=_choices(Dispute.Outcome.choices, _("全部"))
    )
    cause = forms.ChoiceField(
        label=_("争议原因"), required=False, choices=_choices(Dispute.Cause.choices, _("全部原因"))
    )
    overdue = forms.BooleanField(label=_("超过15日未结"), required=False)

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "outcome": data.get("outcome") or "",
            "cause": data.get("cause") or "",
            "overdue": bool(data.get("overdue")),
        }


PART_NAMES = {"基础指标": "basic", "建制指标": "system", "创建成效": "effect"}


class SheetForm(DomainErrorFormMixin, forms.Form):
    """The year's sheet as lines of 编号|部分|项目|分值 (部分: 基础指标、建制指标、创建成效)."""

    items = forms.CharField(
        label=_("评分项目"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("每行一项：编号|部分|项目|分值，各项分值合计100分"),
    )
    pass_mark = forms.DecimalField(
        label=_("达标分数"), min_value=0, max_value=100, decimal_places=1
    )

    @staticmethod
    def initial_for(sheet) -> dict:
        parts = {v: k for k, v in PART_NAMES.items()}
        lines = [f"{i['code']}|{parts[i['part']]}|{i['name']}|{i['max']}" for i in sheet.items]
        return {"items": "\n".join(lines), "pass_mark": sheet.pass_mark}

    def clean_items(self):
        items = []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 4 or parts[1] not in PART_NAMES:
                raise ValidationError(
                    _("第%(n)d行应写成“编号|部分|项目|分值”，部分为基础指标、建制指标或创建成效")
                    % {"n": number}
                )
            items.append(
                {"code": parts[0], "part": PART_NAMES[parts[1]], "name": parts[2], "max": parts[3]}
            )
        return items
