"""Pages of 理论武装工程 and 人才兴会工程: study and training events and series, the cadre
roster with posts and training records, an org's current committee, vacancies, elections
from request to the new committee in office, recruitment and the federations'
arrangements.

Thin: each view reads the request, calls one selector or one service, renders. Records
are found through the scoped selectors first (outside the subtree: 404), then the role
is checked for writes (a viewer gets 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from unionworks.cadres import selectors, services
from unionworks.cadres.forms import (
    ArrangementForm,
    AttendeesForm,
    CadreFilterForm,
    CadreForm,
    CandidateForm,
    CheckOffForm,
    CountForm,
    DecideForm,
    ElectionForm,
    EndPostForm,
    EventFilterForm,
    EventForm,
    HireForm,
    PostForm,
    RecruitmentForm,
    ResultForm,
    SeriesForm,
)
from unionworks.cadres.models import Election
from unionworks.core import roles
from unionworks.core.errors import DomainError
from unionworks.core.forms import add_domain_error
from unionworks.core.views import form_page, paginate, render_list, submit_form
from unionworks.members.services import can_view_personal_data
from unionworks.orgs import selectors as org_selectors

FORM_PAGE = "cadres/form.html"


def _page(*, title: str, back: str, back_label: str, submit: str = "", note="") -> dict:
    return {"title": title, "back": back, "back_label": back_label,
            "submit": submit or _("保存"), "note": note}  # fmt: skip


def _writer(request):
    roles.require_writer(request.user)
    return request.user


def _post_form(request, form, service, *, done: str, to, **arguments):
    """A form posted from a detail page: the service's refusal comes back as a message."""
    result = submit_form(request, form, service, **arguments)
    if result is None:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, "；".join(errors) or _("请检查填写的内容"))
    else:
        messages.success(request, done)
    return redirect(to)


# ---- study and training events ---------------------------------------------------------------


@login_required
@require_GET
def event_list(request):
    form = EventFilterForm(request.GET)
    context = {
        "form": form,
        "page": paginate(request, selectors.events_for(request.user, **form.filters())),
        "series": selectors.series_for(request.user).order_by("-first_date")[:20],
    }
    return render_list(request, "cadres/event_list.html", "cadres/_event_table.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    user = _writer(request)
    return form_page(
        request, EventForm(request.POST or None, actor=user), services.create_event,
        page=FORM_PAGE,
        context=_page(title=_("登记学习培训活动"), back=reverse("cadres:events"),
                      back_label=_("学习培训")),
        done=lambda e: _("已登记“%(theme)s”") % {"theme": e.theme},
        to=lambda e: ("cadres:event", e.pk), actor=user,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request):
    user = _writer(request)
    return form_page(
        request, SeriesForm(request.POST or None, actor=user), services.create_series,
        page=FORM_PAGE,
        context=_page(title=_("新建系列活动（每月一期）"), back=reverse("cadres:events"),
                      back_label=_("学习培训")),
        done=lambda s: _("已新建系列活动“%(theme)s”") % {"theme": s.theme},
        to=lambda s: ("cadres:series", s.pk), actor=user,
    )  # fmt: skip


@login_required
@require_GET
def series_detail(request, series_id: int):
    series = selectors.one_series_for(request.user, series_id)
    context = {"series": series, "sessions": series.sessions.order_by("start_date"),
               "can_write": roles.can_write(request.user)}  # fmt: skip
    return render(request, "cadres/series_detail.html", context)


@login_required
@require_GET
def event_detail(request, event_id: int):
    user = request.user
    event = selectors.event_for(user, event_id)
    context = {
        "event": event,
        "page": paginate(request, event.attendances.select_related("org").order_by("id")),
        "counts": event.counts.select_related("org").order_by("org__path"),
        "can_write": roles.can_write(user),
        "attendees_form": AttendeesForm(),
        "count_form": CountForm(actor=user),
        "check_form": CheckOffForm(),
    }
    return render(request, "cadres/event_detail.html", context)


@login_required
@require_POST
def event_attendees(request, event_id: int):
    event = selectors.event_for(request.user, event_id)
    user = _writer(request)
    form = AttendeesForm(request.POST)
    result = submit_form(request, form, lambda **d: services.add_attendees(
        actor=user, event=event, id_numbers=d["id_numbers"]))  # fmt: skip
    if result is None:
        messages.error(request, "；".join(e for es in form.errors.values() for e in es))
    else:
        messages.success(request, _("已新增%(n)s名参加人员") % {"n": result})
    return redirect("cadres:event", event.pk)


@login_required
@require_POST
def event_count(request, event_id: int):
    event = selectors.event_for(request.user, event_id)
    user = _writer(request)
    return _post_form(request, CountForm(request.POST, actor=user),
                      services.record_attendance_count, done=_("已登记参加人数"),
                      to=reverse("cadres:event", args=[event.pk]), actor=user, event=event)  # fmt: skip


@login_required
@require_POST
def event_check_off(request, event_id: int):
    event = selectors.event_for(request.user, event_id)
    user = _writer(request)
    return _post_form(request, CheckOffForm(request.POST), services.check_off_session,
                      done=_("已登记本期已举办"), to=reverse("cadres:event", args=[event.pk]),
                      actor=user, event=event)  # fmt: skip


# ---- the roster --------------------------------------------------------------------------------


@login_required
@require_GET
def cadre_list(request):
    form = CadreFilterForm(request.GET)
    context = {"form": form,
               "page": paginate(request, selectors.cadres_for(request.user, **form.filters()))}  # fmt: skip
    return render_list(request, "cadres/cadre_list.html", "cadres/_cadre_table.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cadre_create(request):
    user = _writer(request)
    return form_page(
        request, CadreForm(request.POST or None, actor=user), services.add_cadre,
        page=FORM_PAGE,
        context=_page(title=_("加入工会干部名册"), back=reverse("cadres:cadres"),
                      back_label=_("工会干部")),
        done=lambda c: _("已将%(name)s加入工会干部名册") % {"name": c.name},
        to=lambda c: ("cadres:cadre", c.pk), actor=user,
    )  # fmt: skip


def _cadre_context(request, cadre) -> dict:
    user = request.user
    return {
        "cadre": cadre,
        "posts": cadre.posts.select_related("org").order_by("-start", "id"),
        "hours": selectors.training_hours(cadre),
        "courses": selectors.attendances_of(cadre)[:50],
        "can_write": roles.can_write(user),
        "can_reveal": can_view_personal_data(user),
        "post_form": PostForm(actor=user, initial={"org": cadre.org_id}),
    }


@login_required
@require_GET
def cadre_detail(request, cadre_id: int):
    cadre = selectors.cadre_for(request.user, cadre_id)
    return render(request, "cadres/cadre_detail.html", _cadre_context(request, cadre))


@login_required
@require_POST
def cadre_reveal(request, cadre_id: int):
    """The full ID number, shown once on this response (the viewing is logged)."""
    cadre = selectors.cadre_for(request.user, cadre_id)
    try:
        revealed = services.reveal_id_number(actor=request.user, cadre=cadre)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    response = render(request, "cadres/cadre_detail.html",
                      {**_cadre_context(request, cadre), "revealed": revealed})  # fmt: skip
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def cadre_post(request, cadre_id: int):
    cadre = selectors.cadre_for(request.user, cadre_id)
    user = _writer(request)
    return _post_form(request, PostForm(request.POST, actor=user), services.start_post,
                      done=_("已登记任职"), to=reverse("cadres:cadre", args=[cadre.pk]),
                      actor=user, cadre=cadre)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def post_end(request, post_id: int):
    post = selectors.post_for(request.user, post_id)
    user = _writer(request)
    return form_page(
        request, EndPostForm(request.POST or None), services.end_post, page=FORM_PAGE,
        context=_page(title=_("%(name)s离任") % {"name": post.cadre.name},
                      back=reverse("cadres:cadre", args=[post.cadre_id]),
                      back_label=post.cadre.name),
        done=_("已登记离任"), to=("cadres:cadre", post.cadre_id), actor=user, post=post,
    )  # fmt: skip


@login_required
@require_GET
def committee(request, org_id: int):
    """An org's committee in office (chair first) and its elections."""
    user = request.user
    org = org_selectors.org_for(user, org_id)
    context = {
        "org": org,
        "posts": selectors.committee_of(user, org),
        "elections": selectors.elections_for(user).filter(org=org)[:10],
    }
    return render(request, "cadres/committee.html", context)


@login_required
@require_GET
def vacancies(request):
    context = {"page": paginate(request, selectors.vacancies_for(request.user))}
    return render(request, "cadres/vacancies.html", context)


# ---- elections ---------------------------------------------------------------------------------


@login_required
@require_GET
def election_list(request):
    status = request.GET.get("status", "")
    if status not in Election.Status.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    context = {
        "page": paginate(request, selectors.elections_for(request.user, status=status,
                                                          overdue=overdue)),
        "statuses": Election.Status.choices, "status": status, "overdue": overdue,
    }  # fmt: skip
    return render_list(request, "cadres/election_list.html", "cadres/_election_table.html",
                       context)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def election_create(request):
    user = _writer(request)
    return form_page(
        request, ElectionForm(request.POST or None, actor=user), services.request_election,
        page=FORM_PAGE,
        context=_page(title=_("换届选举请示"), back=reverse("cadres:elections"),
                      back_label=_("换届选举"), submit=_("提交请示")),
        done=_("已提交换届选举请示，请登记候选人"),
        to=lambda e: ("cadres:election", e.pk), actor=user,
    )  # fmt: skip


@login_required
@require_GET
def election_detail(request, election_id: int):
    user = request.user
    election = selectors.election_for(user, election_id)
    candidates = list(election.candidates.order_by("id"))
    higher = election.org_id != user.org_id
    context = {
        "election": election,
        "candidates": candidates,
        "needed": services.minimum_candidates(election.seats),
        "can_write": roles.can_write(user),
        "can_decide": higher and (roles.can_write(user) or roles.can_review(user)),
        "candidate_form": CandidateForm(),
        "decide_form": DecideForm(),
        "result_form": ResultForm(candidates=candidates),
        "posts": election.posts.select_related("cadre").order_by("kind", "id"),
    }
    return render(request, "cadres/election_detail.html", context)


def _election_action(request, election_id: int, form_class, service, done: str, *,
                     writer: bool = True, **form_kwargs):  # fmt: skip
    user = request.user
    election = selectors.election_for(user, election_id)
    if writer:
        roles.require_writer(user)
    elif not (roles.can_write(user) or roles.can_review(user)):
        raise PermissionDenied(_("您的角色只能查看，不能批复"))
    return _post_form(request, form_class(request.POST, **form_kwargs), service, done=done,
                      to=reverse("cadres:election", args=[election.pk]), actor=user,
                      election=election)  # fmt: skip


@login_required
@require_POST
def election_candidate(request, election_id: int):
    return _election_action(request, election_id, CandidateForm, services.add_candidate,
                            _("已登记候选人"))  # fmt: skip


@login_required
@require_POST
def election_approve_candidates(request, election_id: int):
    return _election_action(request, election_id, DecideForm, services.approve_candidates,
                            _("已批复候选人名单"), writer=False)  # fmt: skip


@login_required
@require_POST
def election_result(request, election_id: int):
    user = request.user
    election = selectors.election_for(user, election_id)
    roles.require_writer(user)
    form = ResultForm(request.POST, candidates=election.candidates.order_by("id"))
    if form.is_valid():
        try:
            services.record_result(actor=user, election=election, **form.service_data())
        except DomainError as exc:
            add_domain_error(form, exc)
    if form.errors:
        messages.error(request, "；".join(e for es in form.errors.values() for e in es))
    else:
        messages.success(request, _("已登记选举结果，待上级工会批复"))
    return redirect("cadres:election", election.pk)


@login_required
@require_POST
def election_approve_result(request, election_id: int):
    return _election_action(request, election_id, DecideForm, services.approve_result,
                            _("已批复选举结果，新一届委员会就任"), writer=False)  # fmt: skip


# ---- recruitment and arrangements ----------------------------------------------------------------


@login_required
@require_GET
def recruitment_list(request):
    context = {"page": paginate(request, selectors.recruitments_for(request.user))}
    return render(request, "cadres/recruitment_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recruitment_create(request):
    user = _writer(request)
    return form_page(
        request, RecruitmentForm(request.POST or None, actor=user), services.create_recruitment,
        page=FORM_PAGE,
        context=_page(title=_("登记工会干部招聘"), back=reverse("cadres:recruitments"),
                      back_label=_("干部招聘")),
        done=_("已登记招聘"), to=lambda r: ("cadres:recruitment", r.pk), actor=user,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def recruitment_detail(request, recruitment_id: int):
    user = request.user
    recruitment = selectors.recruitment_for(user, recruitment_id)
    form = HireForm(request.POST or None)
    if request.method == "POST":
        roles.require_writer(user)
        if submit_form(request, form, services.hire, actor=user, recruitment=recruitment):
            messages.success(request, _("已登记录用人员到岗"))
            return redirect("cadres:recruitment", recruitment.pk)
    context = {"recruitment": recruitment, "form": form, "can_write": roles.can_write(user),
               "hires": recruitment.posts.select_related("cadre", "org").order_by("start")}  # fmt: skip
    return render(request, "cadres/recruitment_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def arrangement_list(request):
    user = request.user
    form = ArrangementForm(request.POST or None, actor=user)
    if request.method == "POST":
        roles.require_writer(user)
        if submit_form(request, form, services.record_arrangement, actor=user):
            messages.success(request, _("已登记"))
            return redirect("cadres:arrangements")
    context = {"form": form, "can_write": roles.can_write(user),
               "page": paginate(request, selectors.arrangements_for(user))}  # fmt: skip
    return render(request, "cadres/arrangement_list.html", context)
