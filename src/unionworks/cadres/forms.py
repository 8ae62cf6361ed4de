"""Forms of the cadres pages: input shapes only. Every rule lives in ``cadres.services``;
its DomainError lands next to the field it names, so a form's cleaned data are its
service's arguments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unionworks.cadres.models import Arrangement, Candidate, Education, Election, Post, StudyEvent
from unionworks.core.forms import DomainErrorFormMixin, date_field, today_initial
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.forms import OrgChoiceField, setup_org_field

PLEASE_CHOOSE = _("—— 请选择 ——")


def _choices(choices, empty=PLEASE_CHOOSE) -> list:
    return [("", empty), *choices]


class _OrgForm(DomainErrorFormMixin, forms.Form):
    """A form whose first field picks a union of the actor's subtree."""

    org_label = _("工会")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"org": OrgChoiceField(label=self.org_label), **self.fields}
        setup_org_field(self, "org", actor, shortlist=org_selectors.orgs_for(actor))


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), required=False,
                             choices=_choices(StudyEvent.Kind.choices, _("全部类型")))  # fmt: skip
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1990, max_value=2100)

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {"kind": data.get("kind") or "", "year": data.get("year")}


class EventForm(_OrgForm):
    org_label = _("主办工会")
    kind = forms.ChoiceField(label=_("类型"), choices=_choices(StudyEvent.Kind.choices))
    theme = forms.CharField(label=_("主题"), max_length=200)
    start_date = date_field(label=_("开始日期"))
    end_date = date_field(label=_("结束日期"), required=False)
    hours = forms.DecimalField(label=_("学时"), max_digits=5, decimal_places=1, min_value=0)
    venue = forms.CharField(label=_("地点"), max_length=100, required=False)
    teachers = forms.CharField(label=_("授课人"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "start_date")
        super().__init__(*args, **kwargs)


class SeriesForm(_OrgForm):
    org_label = _("主办工会")
    kind = forms.ChoiceField(label=_("类型"), choices=_choices(StudyEvent.Kind.choices))
    theme = forms.CharField(label=_("主题"), max_length=200)
    first_date = date_field(label=_("首次日期"))
    months = forms.IntegerField(label=_("共几个月（每月一期）"), min_value=1, max_value=60)
    hours = forms.DecimalField(label=_("每期学时"), max_digits=5, decimal_places=1, min_value=0)
    venue = forms.CharField(label=_("地点"), max_length=100, required=False)


class AttendeesForm(DomainErrorFormMixin, forms.Form):
    id_numbers = forms.CharField(
        label=_("参加人员身份证号"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个；工会干部名册或会员名册中的人员"),
    )

    def clean_id_numbers(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data["id_numbers"].split() if n.strip()]


class CountForm(_OrgForm):
    org_label = _("参加人员所在工会")
    people = forms.IntegerField(label=_("人数"), min_value=1, max_value=1_000_000)


class CheckOffForm(DomainErrorFormMixin, forms.Form):
    held_on = date_field(label=_("举办日期"), required=False)
    teachers = forms.CharField(label=_("授课人"), max_length=200, required=False)


class CadreFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证号后四位"), required=False, max_length=40)
    in_post = forms.BooleanField(label=_("只看在任"), required=False)

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {"q": data.get("q") or "", "in_post": bool(data.get("in_post"))}


class CadreForm(_OrgForm):
    org_label = _("所在工会")
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    education = forms.ChoiceField(label=_("文化程度"), required=False,
                                  choices=_choices(Education.choices))  # fmt: skip
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class PostForm(_OrgForm):
    org_label = _("任职工会")
    kind = forms.ChoiceField(label=_("职务"), choices=_choices(Post.Kind.choices))
    how = forms.ChoiceField(label=_("产生方式"), choices=_choices(Post.How.choices))
    start = date_field(label=_("任职日期"))
    full_time = forms.BooleanField(label=_("专职"), required=False)
    rank_deputy = forms.BooleanField(label=_("按同级党政副职配备"), required=False)


class EndPostForm(DomainErrorFormMixin, forms.Form):
    end = date_field(label=_("离任日期"))
    reason = forms.ChoiceField(label=_("离任原因"), choices=_choices(Post.EndReason.choices))


class ElectionForm(_OrgForm):
    requested_on = date_field(label=_("请示日期"))
    planned_on = date_field(label=_("拟选举日期"))
    method = forms.ChoiceField(label=_("选举方式"), choices=_choices(Election.Method.choices),
                               help_text=_("会员不足80人召开会员大会，80人以上召开会员代表大会"))  # fmt: skip
    members_count = forms.IntegerField(label=_("会员人数"), min_value=0, required=False,
                                       help_text=_("不填则按会员名册计"))  # fmt: skip
    delegates = forms.IntegerField(label=_("代表人数"), min_value=0, required=False)
    seats = forms.IntegerField(label=_("应选委员数"), min_value=3, max_value=99)
    term_years = forms.TypedChoiceField(label=_("任期"), coerce=int, initial=5,
                                        choices=[(5, _("5年")), (3, _("3年（基层工会）"))])  # fmt: skip
    direct_chair = forms.BooleanField(label=_("直接选举主席"), required=False)

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "requested_on")
        super().__init__(*args, **kwargs)


class CandidateForm(DomainErrorFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    seat = forms.ChoiceField(label=_("拟任职务"), choices=Candidate.Seat.choices,
                             initial=Candidate.Seat.MEMBER)  # fmt: skip
    full_time = forms.BooleanField(label=_("专职"), required=False)


class DecideForm(DomainErrorFormMixin, forms.Form):
    on = date_field(label=_("批复日期"))

    def __init__(self, *args, **kwargs):
        today_initial(kwargs, "on")
        super().__init__(*args, **kwargs)


class ResultForm(DomainErrorFormMixin, forms.Form):
    """The vote: one field per candidate."""

    held_on = date_field(label=_("选举日期"))
    voters = forms.IntegerField(label=_("到会有选举权人数"), min_value=1)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        for candidate in candidates:
            self.fields[f"votes_{candidate.pk}"] = forms.IntegerField(
                label=f"{candidate.name}（{candidate.get_seat_display()}）得票", min_value=0
            )

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "voters": data["voters"],
            "votes": {int(k.removeprefix("votes_")): v for k, v in data.items()
                      if k.startswith("votes_")},
        }  # fmt: skip


class RecruitmentForm(_OrgForm):
    org_label = _("招聘工会")
    title = forms.CharField(label=_("招聘名称"), max_length=200)
    how = forms.ChoiceField(label=_("方式"), choices=_choices(
        [(Post.How.SOCIAL, Post.How.SOCIAL.label),
         (Post.How.PROFESSIONAL, Post.How.PROFESSIONAL.label)]))  # fmt: skip
    announced_on = date_field(label=_("发布日期"))
    posts_offered = forms.IntegerField(label=_("岗位数"), min_value=1)
    applicants = forms.IntegerField(label=_("报名人数"), min_value=0, required=False)
    grade = forms.CharField(label=_("岗位等级"), max_length=50, required=False)


class HireForm(DomainErrorFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    start = date_field(label=_("到岗日期"))


class ArrangementForm(_OrgForm):
    kind = forms.ChoiceField(label=_("类型"), choices=_choices(Arrangement.Kind.choices))
    since = date_field(label=_("建立日期"))
    document = forms.CharField(label=_("依据文件"), max_length=200, required=False)
