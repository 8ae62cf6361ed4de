"""The 建功立业 and 职工素质 pages: thin views over achievement.selectors and services.

Lists share one template (``achievement/list.html``): each view says its columns and
the cells of a row; every list is paginated and scoped by the selectors.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from unionworks.achievement import forms, selectors, services
from unionworks.achievement.lists import LISTING
from unionworks.core import roles
from unionworks.core.errors import DomainError
from unionworks.core.views import form_page, paginate, render_list

FORM_PAGE = "achievement/form.html"
TABS = [
    ("proposals", _("合理化建议"), "achievement:proposals"),
    ("competitions", _("劳动和技能竞赛"), "achievement:competitions"),
    ("savings", _("节约成果"), "achievement:savings"),
    ("honours", _("荣誉"), "achievement:honours"),
    ("model_workers", _("劳模档案"), "achievement:model_workers"),
    ("rounds", _("推荐评选"), "achievement:rounds"),
    ("libraries", _("职工书屋"), "achievement:libraries"),
    ("titles", _("学习型组织"), "achievement:titles"),
    ("courses", _("技能培训"), "achievement:courses"),
]


def _list(request, code: str, *, actions=()):
    """A list of ``achievement.lists``: its filters from the query, a page of its scoped
    records, its 导出 button (the whole filtered list, by the background export task)."""
    listing = LISTING[code]
    filters = listing.filters(request.GET)
    page = paginate(request, listing.records(request.user, filters))
    link = listing.link or (lambda item: None)
    context = {
        "title": listing.title,
        "tabs": [(code, label, reverse(name)) for code, label, name in TABS],
        "current": listing.code,
        "page": page,
        "headers": [c.header for c in listing.columns],
        "rows": [
            (link(item), [c.shown(item) for c in listing.columns]) for item in page.object_list
        ],
        "actions": actions if roles.can_write(request.user) else (),
        "filters": [
            (param, label, choices, filters[param]) for param, label, choices in listing.choices
        ],
        "search": listing.search,
        "q": filters.get("q", ""),
        "export_name": listing.export_name,
    }
    return render_list(request, "achievement/list.html", "achievement/_table.html", context)


def _form(request, form, service, *, title, back, done, to, **arguments):
    return form_page(
        request,
        form,
        service,
        page=FORM_PAGE,
        context={"title": title, "back": back, "submit": _("保存")},
        done=done,
        to=to,
        **arguments,
    )


# -- proposals --------------------------------------------------------------------------------


@login_required
@require_GET
def proposal_list(request):
    return _list(
        request,
        "proposals",
        actions=[
            (_("登记建议"), reverse("achievement:proposal_create")),
            (_("导入建议清单"), "/imports/proposals/"),
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    user = request.user
    roles.require_writer(user)
    return _form(
        request,
        forms.ProposalForm(request.POST or None, actor=user),
        services.create_proposal,
        title=_("登记合理化建议"),
        back=reverse("achievement:proposals"),
        done=lambda p: _("已登记建议 %(n)s") % {"n": p.number},
        to=lambda p: ("achievement:proposal", p.pk),
        actor=user,
    )


STEPS = {
    # step: (form, service, title, the statuses it follows, who may take it)
    "department": (forms.DepartmentReviewForm, services.review_in_department, _("部门初审"),
                   ("proposed",), roles.can_review),
    "score": (forms.ScoreForm, services.score_proposal, _("评审委员会评审"),
              ("dept_reviewed",), roles.can_review),
    "decide": (forms.DecisionForm, services.decide_proposal, _("采纳决定"),
               ("committee_reviewed",), roles.can_review),
    "implement": (forms.ImplementForm, services.implement_proposal, _("登记实施"),
                  ("adopted",), roles.can_write),
    "reward": (forms.RewardForm, services.reward_proposal, _("登记奖励"),
               ("implemented",), roles.can_write),
}  # fmt: skip


@login_required
@require_GET
def proposal_detail(request, proposal_id: int):
    user = request.user
    proposal = selectors.proposal_for(user, proposal_id)
    next_steps = [
        (step, title, reverse("achievement:proposal_step", args=[proposal.pk, step]))
        for step, (_f, _s, title, after, may) in STEPS.items()
        if proposal.status in after and may(user)
    ]
    score = getattr(proposal, "score", None)  # the reverse one-to-one, when scored
    context = {
        "proposal": proposal,
        "authors": proposal.authors.all(),
        "score": score,
        "next_steps": next_steps,
        "tabs": [(code, label, reverse(name)) for code, label, name in TABS],
        "current": "proposals",
    }
    return render(request, "achievement/proposal_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_step(request, proposal_id: int, step: str):
    user = request.user
    proposal = selectors.proposal_for(user, proposal_id)
    if step not in STEPS:
        raise Http404
    form_class, service, title, _after, may = STEPS[step]
    if not may(user):
        raise PermissionDenied(_("您的角色不能办理这一步"))
    return _form(
        request,
        form_class(request.POST or None),
        service,
        title=f"{title}：{proposal.title}",
        back=reverse("achievement:proposal", args=[proposal.pk]),
        done=_("已办理：%(t)s") % {"t": title},
        to=("achievement:proposal", proposal.pk),
        actor=user,
        proposal=proposal,
    )


# -- competitions -------------------------------------------------------------------------------


@login_required
@require_GET
def competition_list(request):
    return _list(
        request,
        "competitions",
        actions=[(_("新建竞赛"), reverse("achievement:competition_create"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def competition_create(request):
    user = request.user
    roles.require_writer(user)
    return _form(
        request,
        forms.CompetitionForm(request.POST or None, actor=user),
        services.create_competition,
        title=_("新建竞赛"),
        back=reverse("achievement:competitions"),
        done=_("已新建竞赛"),
        to=lambda c: ("achievement:competition", c.pk),
        actor=user,
    )


@login_required
@require_GET
def competition_detail(request, competition_id: int):
    user = request.user
    competition = selectors.competition_for(user, competition_id)
    participations = selectors.participations_for(user, competition)
    context = {
        "competition": competition,
        "page": paginate(request, participations.order_by("status", "id")),
        "winners": competition.winners.select_related("org")[:100],
        "teams": competition.teams.select_related("org")[:100],
        "organiser": competition.org.path.startswith(user.org.path),
        "can_write": roles.can_write(user),
        "can_review": roles.can_review(user),
        "tabs": [(code, label, reverse(name)) for code, label, name in TABS],
        "current": "competitions",
    }
    return render(request, "achievement/competition_detail.html", context)


def _register(*, actor, competition, org, unit, workers, on):
    return services.register_units(
        actor=actor, competition=competition, org=org, entries=[(unit, workers)], on=on
    )


@login_required
@require_http_methods(["GET", "POST"])
def competition_register(request, competition_id: int):
    user = request.user
    competition = selectors.competition_for(user, competition_id)
    roles.require_writer(user)
    return _form(
        request,
        forms.RegisterForm(request.POST or None, actor=user),
        _register,
        title=_("报名参赛：%(n)s") % {"n": competition.name},
        back=reverse("achievement:competition", args=[competition.pk]),
        done=_("已报名，待主办方确认"),
        to=("achievement:competition", competition.pk),
        actor=user,
        competition=competition,
    )


@login_required
@require_POST
def participation_decide(request, participation_id: int):
    user = request.user
    participation = selectors.participation_for(user, participation_id)
    try:
        services.decide_participation(
            actor=user, participation=participation, accept=request.POST.get("accept") == "1"
        )
        messages.success(request, _("已确认"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("achievement:competition", participation.competition_id)


@login_required
@require_http_methods(["GET", "POST"])
def winner_create(request, competition_id: int):
    user = request.user
    competition = selectors.competition_for(user, competition_id)
    roles.require_writer(user)
    return _form(
        request,
        forms.WinnerForm(request.POST or None, actor=user),
        services.record_winner,
        title=_("登记获奖职工：%(n)s") % {"n": competition.name},
        back=reverse("achievement:competition", args=[competition.pk]),
        done=_("已登记获奖职工"),
        to=("achievement:competition", competition.pk),
        actor=user,
        competition=competition,
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request, competition_id: int):
    user = request.user
    competition = selectors.competition_for(user, competition_id)
    roles.require_writer(user)
    return _form(
        request,
        forms.TeamForm(request.POST or None, actor=user),
        services.add_team,
        title=_("登记参赛队：%(n)s") % {"n": competition.name},
        back=reverse("achievement:competition", args=[competition.pk]),
        done=_("已登记参赛队"),
        to=("achievement:competition", competition.pk),
        actor=user,
        competition=competition,
    )


# -- savings, honours, model workers, nominations ----------------------------------------------


@login_required
@require_GET
def savings_list(request):
    return _list(
        request, "savings", actions=[(_("登记节约成果"), reverse("achievement:savings_create"))]
    )


@login_required
@require_http_methods(["GET", "POST"])
def savings_create(request):
    user = request.user
    roles.require_writer(user)
    return _form(
        request,
        forms.SavingsForm(request.POST or None, actor=user),
        services.record_savings,
        title=_("登记节约成果"),
        back=reverse("achievement:savings"),
        done=_("已登记节约成果"),
        to="achievement:savings",
        actor=user,
    )


@login_required
@require_GET
def honour_list(request):
    return _list(
        request,
        "honours",
        actions=[(_("登记单位或班组荣誉"), reverse("achievement:honour_create"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def honour_create(request):
    user = request.user
    roles.require_writer(user)
    return _form(
        request,
        forms.HonourForm(request.POST or None, actor=user),
        services.award_honour,
        title=_("登记单位或班组荣誉"),
        back=reverse("achievement:honours"),
        done=_("已登记荣誉"),
        to="achievement:honours",
        actor=user,
    )


@login_required
@require_GET
def model_worker_list(request):
    return _list(
        request,
        "model_workers",
        actions=[(_("建立劳模档案"), reverse("achievement:model_worker_create"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def model_worker_create(request):
    user = request.user
    roles.require_writer(user)
    return _form(
        request,
        forms.ModelWorkerForm(request.POST or None, actor=user),
        services.open_model_worker_file,
        title=_("建立劳模档案"),
        back=reverse("achievement:model_workers"),
        done=_("已建立劳模档案"),
        to=lambda w: ("achievement:model_worker", w.pk),
        actor=user,
    )


@login_required
@require_GET
def model_worker_detail(request, worker_id: int):
    user = request.user
    worker = selectors.model_worker_for(user, worker_id)
    context = {
        "worker": worker,
        "honours": worker.honours.all(),
        "reviews": worker.reviews.all(),
        "hardship_file": selectors.hardship_file_of(user, worker),
        "can_write": roles.can_write(user),
        "tabs": [(code, label, reverse(name)) for code, label, name in TABS],
        "current": "model_workers",
    }
    return render(request, "achievement/model_worker_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def model_worker_review(request, worker_id: int):
    user = request.user
    worker = selectors.model_worker_for(user, worker_id)
    roles.require_writer(user)
    return _form(
        request,
        forms.ModelWorkerReviewForm(request.POST or None),
        services.review_model_worker,
        title=_("年度复核：%(n)s") % {"n": worker.name},
        back=reverse("achievement:model_worker", args=[worker.pk]),
        done=_("已记录年度复核"),
        to=("achievement:model_worker", worker.pk),
        actor=user,
        worker=worker,
    )


@login_required
@require_http_methods(["GET", "POST"])
def model_worker_honour(request, worker_id: int):
    user = request.user
    worker = selectors.model_worker_for(user, worker_id)
    roles.require_writer(user)
    return _form(
        request,
        forms.PersonHonourForm(request.POST or None, actor=user),
        services.award_honour,
        title=_("登记荣誉：%(n)s") % {"n": worker.name},
        back=reverse("achievement:model_worker", args=[worker.pk]),
        done=_("已登记荣誉"),
        to=("achievement:model_worker", worker.pk),
        actor=user,
        person=worker,
    )


@login_required
@require_GET
def round_list(request):
    return _list(
        request, "rounds", actions=[(_("新建推荐评选"), reverse("achievement:round_create"))]
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    user = request.user
    roles.require_writer(user)
    return _form(
        request,
        forms.RoundForm(request.POST or None, actor=user),
        services.create_round,
        title=_("新建推荐评选"),
        back=reverse("achievement:rounds"),
        done=_("已新建推荐评选"),
        to=lambda r: ("achievement:round", r.pk),
        actor=user,
    )


@login_required
@require_GET
def round_detail(request, round_id: int):
    user = request.user
    round_ = selectors.round_for(user, round_id)
    context = {
        "round": round_,
        "page": paginate(request, selectors.nominations_for(user, round_)),
        "can_write": roles.can_write(user),
        "tabs": [(code, label, reverse(name)) for code, label, name in TABS],
        "current": "rounds",
    }
    return render(request, "achievement/round_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, round_id: int):
    user = request.user
    round_ = selectors.round_for(user, round_id)
    roles.require_writer(user)
    return _form(
        request,
        forms.NominationForm(request.POST or None, actor=user),
        services.nominate,
        title=_("推荐：%(n)s") % {"n": round_.name},
        back=reverse("achievement:round", args=[round_.pk]),
        done=_("已加入推荐名单"),
        to=("achievement:round", round_.pk),
        actor=user,
        round=round_,
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit_nominations(request, round_id: int):
    user = request.user
    round_ = selectors.round_for(user, round_id)
    roles.require_writer(user)
    return _form(
        request,
        forms.SubmitForm(request.POST or None, actor=user),
        services.submit_nominations,
        title=_("报送推荐名单：%(n)s") % {"n": round_.name},
        back=reverse("achievement:round", args=[round_.pk]),
        done=lambda n: _("已报送推荐名单（%(n)s人）") % {"n": n},
        to=("achievement:round", round_.pk),
        actor=user,
        round=round_,
    )


# -- libraries, titles, training ------------------------------------------------------------


@login_required
@require_GET
def library_list(request):
    return _list(
        request,
        "libraries",
        actions=[(_("登记职工书屋"), reverse("achievement:library_create"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def library_create(request):
    user = request.user
    roles.require_writer(user)
    return _form(
        request,
        forms.LibraryForm(request.POST or None, actor=user),
        services.open_library,
        title=_("登记职工书屋"),
        back=reverse("achievement:libraries"),
        done=_("已登记职工书屋"),
        to="achievement:libraries",
        actor=user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def library_detail(request, library_id: int):
    """A library, its deliveries, and (for writers) the form recording one."""
    user = request.user
    library = selectors.library_for(user, library_id)
    if request.method == "POST":
        roles.require_writer(user)
    return form_page(
        request,
        forms.DeliveryForm(request.POST or None),
        services.deliver_books,
        page="achievement/library_detail.html",
        context={
            "library": library,
            "deliveries": library.deliveries.all()[:100],
            "can_write": roles.can_write(user),
            "tabs": [(code, label, reverse(name)) for code, label, name in TABS],
            "current": "libraries",
        },
        done=_("已登记送书"),
        to=("achievement:library", library.pk),
        actor=user,
        library=library,
    )


@login_required
@require_GET
def title_list(request):
    return _list(request, "titles", actions=[(_("登记称号"), reverse("achievement:title_create"))])


@login_required
@require_http_methods(["GET", "POST"])
def title_create(request):
    user = request.user
    roles.require_writer(user)
    return _form(
        request,
        forms.TitleForm(request.POST or None, actor=user),
        services.award_learning_title,
        title=_("登记学习型组织称号"),
        back=reverse("achievement:titles"),
        done=_("已登记称号"),
        to="achievement:titles",
        actor=user,
    )


@login_required
@require_GET
def course_list(request):
    return _list(
        request, "courses", actions=[(_("登记培训班"), reverse("achievement:course_create"))]
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    user = request.user
    roles.require_writer(user)
    return _form(
        request,
        forms.CourseForm(request.POST or None, actor=user),
        services.create_course,
        title=_("登记技能培训班"),
        back=reverse("achievement:courses"),
        done=_("已登记培训班"),
        to="achievement:courses",
        actor=user,
    )
