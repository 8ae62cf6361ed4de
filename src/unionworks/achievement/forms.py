"""The 建功立业 and 职工素质 forms. They check input shapes only; every rule is in services,
whose DomainError lands next to the field it names, so cleaned data are the services'
arguments."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unionworks.achievement.models import (
    Competition,
    HonourKind,
    LearningTitle,
    Level,
    ModelWorker,
    Proposal,
    ProposalScore,
    Reward,
    SavingsResult,
    WorkerLibrary,
)
from unionworks.core.forms import DomainErrorFormMixin, date_field, today_initial
from unionworks.core.money import MoneyField
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.forms import OrgChoiceField, near_levels, setup_org_field


class UnitCodeField(forms.CharField):
    """A unit typed by its 统一社会信用代码 (or its exact name), looked up in the actor's
    subtree: a province has 148,400 units, too many for a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("单位（统一社会信用代码或全称）"))
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.actor = None

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        units = org_selectors.units_for(self.actor)
        found = units.filter(credit_code=text.upper()).first() or units.filter(name=text).first()
        if found is None:
            raise ValidationError(_("单位不存在，或不在本组织及下级组织范围内"))
        return found


def _money(label, required=True, **kwargs):
    return MoneyField(label=label, required=required, **kwargs)


def _choices(choices, empty=True):
    return [("", _("—— 请选择 ——"))] + list(choices) if empty else list(choices)


class ActorForm(DomainErrorFormMixin, forms.Form):
    """Gives the actor to its unit fields and sets up its org pickers."""

    org_fields: tuple[str, ...] = ()

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        for field in self.fields.values():
            if isinstance(field, UnitCodeField):
                field.actor = actor
        for name in self.org_fields:
            setup_org_field(self, name, actor, shortlist=near_levels(actor))


AUTHOR_LINE = re.compile(r"^\s*(\S+)\s+(\S+)\s*$")


class ProposalForm(ActorForm):
    unit = UnitCodeField()
    category = forms.ChoiceField(label=_("类别"), choices=_choices(Proposal.Category.choices))
    title = forms.CharField(label=_("题目"), max_length=200)
    proposed_on = date_field(label=_("提出日期"))
    authors = forms.CharField(
        label=_("提出人"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("每行一人：姓名 身份证号"),
    )
    status_quo = forms.CharField(
        label=_("现状"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    measure = forms.CharField(
        label=_("建议措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    estimated_value = _money(_("预计创造价值（元）"), required=False)
    estimated_savings = _money(_("预计节约（元）"), required=False)

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "proposed_on")
        super().__init__(*args, **kwargs)

    def clean_authors(self):
        people = []
        for i, line in enumerate(self.cleaned_data["authors"].splitlines(), start=1):
            if not line.strip():
                continue
            matched = AUTHOR_LINE.match(line)
            if not matched:
                raise ValidationError(_("第%(n)s行应为“姓名 身份证号”") % {"n": i})
            people.append((matched.group(1), matched.group(2)))
        if not people:
            raise ValidationError(_("请填写至少一名提出人"))
        return people


class DepartmentReviewForm(DomainErrorFormMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=_("初审结论"), choices=[("1", _("通过，提交评审委员会")), ("0", _("不通过"))],
        coerce=lambda v: v == "1",
    )  # fmt: skip
    on = date_field(label=_("初审日期"))
    opinion = forms.CharField(label=_("初审意见"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class ScoreForm(DomainErrorFormMixin, forms.Form):
    technical = forms.IntegerField(label=_("技术水平（满分30）"), min_value=0, max_value=30)
    value_band = forms.ChoiceField(label=_("经济效益档次"), choices=ProposalScore.ValueBand.choices)
    economic = forms.IntegerField(
        label=_("经济效益（满分40，不超过档次上限）"), min_value=0, max_value=40
    )
    scope = forms.IntegerField(label=_("推广范围（满分15）"), min_value=0, max_value=15)
    practicality = forms.IntegerField(label=_("实用性（满分15）"), min_value=0, max_value=15)
    on = date_field(label=_("评审日期"))
    opinion = forms.CharField(label=_("评审意见"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class DecisionForm(DomainErrorFormMixin, forms.Form):
    adopt = forms.TypedChoiceField(
        label=_("决定"), choices=[("1", _("采纳")), ("0", _("不采纳"))], coerce=lambda v: v == "1"
    )
    on = date_field(label=_("决定日期"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class ImplementForm(DomainErrorFormMixin, forms.Form):
    on = date_field(label=_("实施日期"))
    confirmed_value = _money(_("确认创造价值（元）"))
    confirmed_savings = _money(_("确认节约（元）"))

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class RewardForm(DomainErrorFormMixin, forms.Form):
    on = date_field(label=_("奖励日期"))
    amount = _money(_("奖励金额（元）"))

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class CompetitionForm(ActorForm):
    org_fields = ("org",)
    org = OrgChoiceField(label=_("主办工会"))
    kind = forms.ChoiceField(label=_("竞赛类型"), choices=_choices(Competition.Kind.choices))
    name = forms.CharField(label=_("竞赛名称"), max_length=100)
    level = forms.ChoiceField(label=_("级别"), choices=_choices(Level.choices))
    theme = forms.CharField(label=_("主题"), max_length=200, required=False)
    co_organisers = forms.CharField(label=_("联合主办单位"), max_length=200, required=False)
    start_date = date_field(label=_("开始日期"))
    end_date = date_field(label=_("结束日期"))
    rules = forms.CharField(
        label=_("竞赛规则"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RegisterForm(ActorForm):
    org_fields = ("org",)
    org = OrgChoiceField(label=_("报名工会"))
    unit = UnitCodeField(label=_("参赛单位（统一社会信用代码或全称）"))
    workers = forms.IntegerField(label=_("参赛职工人数"), min_value=1, max_value=10_000_000)
    on = date_field(label=_("报名日期"))

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class WinnerForm(ActorForm):
    org_fields = ("org",)
    org = OrgChoiceField(label=_("所属工会"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=30)
    unit = UnitCodeField(required=False)
    rank = forms.IntegerField(label=_("名次"), min_value=1, max_value=10000)
    reward = forms.ChoiceField(label=_("奖励"), choices=_choices(Reward.choices))
    prize = _money(_("奖金（元）"), required=False)
    promoted_grade = forms.CharField(label=_("晋升等级"), max_length=20, required=False)
    awarded_on = date_field(label=_("表彰日期"))


class SavingsForm(ActorForm):
    unit = UnitCodeField()
    kind = forms.ChoiceField(label=_("类型"), choices=_choices(SavingsResult.Kind.choices))
    period_start = date_field(label=_("期间开始"))
    period_end = date_field(label=_("期间结束"))
    measures = forms.CharField(
        label=_("措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    value = _money(_("确认节约价值（元）"))
    energy_saved_tce = forms.DecimalField(
        label=_("节能量（吨标准煤）"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    confirmed_on = date_field(label=_("确认日期"))


class ModelWorkerForm(ActorForm):
    org_fields = ("org",)
    org = OrgChoiceField(label=_("管理工会"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=30)
    unit = UnitCodeField(required=False)
    job_status = forms.ChoiceField(label=_("在职状况"), choices=ModelWorker.JobStatus.choices)
    monthly_income = _money(_("月收入（元）"))
    allowance = _money(_("荣誉津贴（元/月）"), required=False)
    last_health_check_on = date_field(label=_("最近体检日期"), required=False)
    last_rest_leave_on = date_field(label=_("最近疗休养日期"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ModelWorkerReviewForm(DomainErrorFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100)
    reviewed_on = date_field(label=_("复核日期"))
    job_status = forms.ChoiceField(label=_("在职状况"), choices=ModelWorker.JobStatus.choices)
    monthly_income = _money(_("月收入（元）"))
    in_hardship = forms.BooleanField(label=_("生活困难"), required=False)
    note = forms.CharField(label=_("复核意见"), max_length=200, required=False)


class HonourForm(ActorForm):
    org_fields = ("org",)
    org = OrgChoiceField(label=_("推荐工会"))
    kind = forms.ChoiceField(label=_("荣誉"), choices=_choices(HonourKind.choices))
    level = forms.ChoiceField(label=_("级别"), choices=_choices(Level.choices))
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100)
    awarded_on = date_field(label=_("授予日期"))
    awarding_body = forms.CharField(label=_("授予机关"), max_length=100)
    unit = UnitCodeField(required=False, help_text=_("授予单位或班组时填写"))
    team_name = forms.CharField(label=_("班组名称"), max_length=100, required=False)


class PersonHonourForm(ActorForm):
    """An honour of the person whose file the page shows."""

    org_fields = ("org",)
    org = OrgChoiceField(label=_("推荐工会"))
    kind = forms.ChoiceField(label=_("荣誉"), choices=_choices(HonourKind.choices))
    level = forms.ChoiceField(label=_("级别"), choices=_choices(Level.choices))
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100)
    awarded_on = date_field(label=_("授予日期"))
    awarding_body = forms.CharField(label=_("授予机关"), max_length=100)


class TeamForm(ActorForm):
    org_fields = ("org",)
    org = OrgChoiceField(label=_("所属工会"))
    name = forms.CharField(label=_("队名"), max_length=100)
    members = forms.IntegerField(label=_("队员人数"), min_value=1, max_value=10000)
    unit = UnitCodeField(required=False)


class RoundForm(ActorForm):
    org_fields = ("org",)
    org = OrgChoiceField(label=_("组织工会"))
    kind = forms.ChoiceField(label=_("荣誉"), choices=_choices(HonourKind.choices))
    level = forms.ChoiceField(label=_("级别"), choices=_choices(Level.choices))
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=100)
    quota = forms.IntegerField(label=_("名额"), min_value=1, max_value=100000)
    min_frontline_share = forms.DecimalField(
        label=_("一线职工和专业技术人员不少于（%）"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=0,
    )
    min_migrant_share = forms.DecimalField(
        label=_("农民工不少于（%）"), min_value=0, max_value=100, decimal_places=2, initial=0
    )
    max_head_share = forms.DecimalField(
        label=_("单位负责人不超过（%）"), min_value=0, max_value=100, decimal_places=2, initial=100
    )
    deadline = date_field(label=_("截止日期"))  # fmt: skip


class NominationForm(ActorForm):
    org_fields = ("org",)
    org = OrgChoiceField(label=_("推荐工会"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=30)
    unit = UnitCodeField(required=False)
    frontline = forms.BooleanField(label=_("一线职工或专业技术人员"), required=False)
    migrant = forms.BooleanField(label=_("农民工"), required=False)
    unit_head = forms.BooleanField(label=_("单位负责人"), required=False)
    deeds = forms.CharField(
        label=_("主要事迹"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SubmitForm(ActorForm):
    org_fields = ("org",)
    org = OrgChoiceField(label=_("报送工会"))
    on = date_field(label=_("报送日期"))

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class LibraryForm(ActorForm):
    org_fields = ("org",)
    org = OrgChoiceField(label=_("所属工会"))
    name = forms.CharField(label=_("名称"), max_length=100)
    level = forms.ChoiceField(label=_("级别"), choices=_choices(WorkerLibrary.LibraryLevel.choices))
    unit = UnitCodeField(required=False)
    books = forms.IntegerField(label=_("藏书（册）"), min_value=0, max_value=100_000_000)
    area = forms.DecimalField(
        label=_("面积（平方米）"), min_value=0, max_digits=8, decimal_places=1
    )
    opened_on = date_field(label=_("开放日期"))


class DeliveryForm(DomainErrorFormMixin, forms.Form):
    books = forms.IntegerField(label=_("册数"), min_value=1, max_value=10_000_000)
    on = date_field(label=_("送达日期"))
    donor = forms.CharField(label=_("赠送方"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class TitleForm(ActorForm):
    unit = UnitCodeField()
    kind = forms.ChoiceField(label=_("称号"), choices=_choices(LearningTitle.Kind.choices))
    level = forms.ChoiceField(label=_("级别"), choices=_choices(Level.choices))
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100)
    awarded_on = date_field(label=_("命名日期"))


class CourseForm(ActorForm):
    org_fields = ("org",)
    org = OrgChoiceField(label=_("举办工会"))
    name = forms.CharField(label=_("培训班名称"), max_length=100)
    trade = forms.CharField(label=_("工种"), max_length=50, required=False)
    start_date = date_field(label=_("开班日期"))
    end_date = date_field(label=_("结业日期"))
    trainees = forms.IntegerField(label=_("培训人数"), min_value=1, max_value=10_000_000)
    promoted = forms.IntegerField(
        label=_("晋升技术等级人数"), min_value=0, max_value=10_000_000, initial=0
    )
