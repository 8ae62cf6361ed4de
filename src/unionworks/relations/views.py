"""Pages of 和谐劳动关系建设工程: collective contracts and their filing, workers' congresses,
厂务公开, the harmonious-enterprise assessment and dispute mediation.

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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from unionworks.core import roles
from unionworks.core.errors import DomainError
from unionworks.core.views import form_page, paginate
from unionworks.relations import selectors, services
from unionworks.relations.forms import (
    ApplyForm,
    AssessmentFilterForm,
    CloseDisputeForm,
    CommendForm,
    CommitteeForm,
    CongressForm,
    ContractFilterForm,
    ContractForm,
    DisputeFilterForm,
    DisputeForm,
    NoticeForm,
    ObjectionForm,
    OpennessForm,
    ProposalForm,
    ProposalStatusForm,
    PublishForm,
    RepresentativeForm,
    ScoreForm,
    SessionForm,
    SheetForm,
    SubmitForm,
)
from unionworks.relations.models import (
    OPENNESS_CHANNELS,
    OPENNESS_ITEMS,
    CollectiveContract,
    CongressProposal,
)

FORM_PAGE = "relations/form.html"  # the one page every create form of this section shares


def _page(*, title: str, back: str, back_label: str, submit: str = "", note="") -> dict:
    return {
        "title": title,
        "back": back,
        "back_label": back_label,
        "submit": submit or _("保存"),
        "note": note,
    }


def _create(request, form_class, service, *, title, back, back_label, done, to, note=""):
    """A create page: writer only; the form's cleaned data are the service's arguments."""
    user = request.user
    roles.require_writer(user)
    return form_page(
        request,
        form_class(request.POST or None, actor=user),
        service,
        page=FORM_PAGE,
        context=_page(title=title, back=reverse(back), back_label=back_label, note=note),
        done=done,
        to=to,
        actor=user,
    )


def _act(request, record, form, service, *, keyword: str, done: str, to: str, render_detail):
    """A step on a record's page (submit, object, score…): the service decides; its refusal
    stands next to the field on the record's page."""
    roles.require_writer(request.user)
    if form.is_valid():
        try:
            service(actor=request.user, **{keyword: record}, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, done)
            return redirect(to)
    return render_detail(form)


# ---- contracts -------------------------------------------------------------------------------


@login_required
@require_GET
def contract_list(request):
    form = ContractFilterForm(request.GET)
    contracts = selectors.contracts_for(request.user, **form.filters())
    today = timezone.localdate()
    page = paginate(request, contracts)
    rows = [(c, c.state_on(today)) for c in page.object_list]
    return render(
        request,
        "relations/contract_list.html",
        {"form": form, "page": page, "rows": rows, "query": request.GET.urlencode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request):
    return _create(
        request,
        ContractForm,
        services.record_contract,
        title=_("登记集体合同"),
        back="relations:contracts",
        back_label=_("集体合同"),
        note=_("签订后10日内报送劳动保障部门审查；15日内未提出异议的即行生效"),
        done=lambda c: _("已登记集体合同%(number)s") % {"number": c.number},
        to=lambda c: ("relations:contract", c.pk),
    )


EDITABLE = ("kind", "scope", "region_name", "employer_party", "union_party",
            "employer_negotiator", "union_negotiator", "congress_approved_on",
            "congress_present", "congress_votes_for", "signed_on", "term_years",
            "employees_covered", "women_covered", "migrants_covered", "last_year_wage",
            "wage_rise", "note")  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request, contract_id: int):
    """Correct a contract not under review (after an objection, or before filing)."""
    user = request.user
    contract = selectors.contract_for(user, contract_id)
    roles.require_writer(user)
    codes = contract.units.values_list("credit_code", flat=True)
    initial = {name: getattr(contract, name) for name in EDITABLE}
    initial.update(org=contract.org_id, number=contract.number, units="、".join(codes))

    def update(*, actor, org, number, **data):
        # The signing union and the number identify the contract: they stay.
        return services.update_contract(actor=actor, contract=contract, **data)

    form = ContractForm(request.POST or None, actor=user, initial=initial)
    form.fields["org"].disabled = form.fields["number"].disabled = True
    return form_page(
        request,
        form,
        update,
        page=FORM_PAGE,
        context=_page(
            title=_("修改集体合同%(number)s") % {"number": contract.number},
            back=reverse("relations:contract", args=[contract.pk]),
            back_label=contract.number,
        ),
        done=_("已修改集体合同"),
        to=("relations:contract", contract.pk),
        actor=user,
    )


def _contract_page(request, contract: CollectiveContract, **forms):
    today = timezone.localdate()
    context = {
        "contract": contract,
        "state": contract.state_on(today),
        "units": contract.units.select_related("org").order_by("name")[:200],
        "unit_count": contract.covered.count(),
        "submit_form": forms.get("submit_form") or SubmitForm(),
        "objection_form": forms.get("objection_form") or ObjectionForm(),
        "publish_form": forms.get("publish_form") or PublishForm(),
        "in_review": contract.status == CollectiveContract.Status.SUBMITTED
        and contract.effective_on > today,
        "can_publish": contract.in_force_on(today) and not contract.published_on,
    }
    return render(request, "relations/contract_detail.html", context)


@login_required
@require_GET
def contract_detail(request, contract_id: int):
    return _contract_page(request, selectors.contract_for(request.user, contract_id))


def _contract_step(request, contract_id, form, service, name: str, done: str):
    contract = selectors.contract_for(request.user, contract_id)
    return _act(
        request,
        contract,
        form,
        service,
        keyword="contract",
        done=done,
        to=reverse("relations:contract", args=[contract.pk]),
        render_detail=lambda f: _contract_page(request, contract, **{name: f}),
    )


@login_required
@require_POST
def contract_submit(request, contract_id: int):
    return _contract_step(
        request,
        contract_id,
        SubmitForm(request.POST),
        services.submit_contract,
        "submit_form",
        _("已登记报送审查"),
    )


@login_required
@require_POST
def contract_object(request, contract_id: int):
    return _contract_step(
        request,
        contract_id,
        ObjectionForm(request.POST),
        services.record_objection,
        "objection_form",
        _("已登记审查异议，合同退回修改"),
    )


@login_required
@require_POST
def contract_publish(request, contract_id: int):
    return _contract_step(
        request,
        contract_id,
        PublishForm(request.POST),
        services.publish_contract,
        "publish_form",
        _("已登记向职工公布"),
    )


# ---- congresses ------------------------------------------------------------------------------


@login_required
@require_GET
def congress_list(request):
    q = request.GET.get("q", "")[:100]
    congresses = selectors.congresses_for(request.user, q=q)
    return render(
        request,
        "relations/congress_list.html",
        {"page": paginate(request, congresses), "q": q},
    )


@login_required
@require_http_methods(["GET", "POST"])
def congress_create(request):
    return _create(
        request,
        CongressForm,
        services.create_congress,
        title=_("登记职代会（届）"),
        back="relations:congresses",
        back_label=_("职代会"),
        done=lambda c: _("已登记%(name)s") % {"name": c},
        to=lambda c: ("relations:congress", c.pk),
    )


def _congress_page(request, congress, **forms):
    sessions = list(congress.sessions.order_by("-number"))
    context = {
        "congress": congress,
        "units": congress.units.order_by("name")[:200],
        "sessions": sessions,
        "proposals": selectors.proposals_for(request.user)
        .filter(session__congress=congress)
        .order_by("-id")[:200],
        "final_statuses": [s for s, nexts in services.PROPOSAL_NEXT.items() if not nexts],
        "representatives": congress.representatives.all(),
        "session_form": forms.get("session_form") or SessionForm(),
        "proposal_form": forms.get("proposal_form") or ProposalForm(sessions=sessions),
        "representative_form": forms.get("representative_form") or RepresentativeForm(),
    }
    return render(request, "relations/congress_detail.html", context)


@login_required
@require_GET
def congress_detail(request, congress_id: int):
    return _congress_page(request, selectors.congress_for(request.user, congress_id))


def _congress_step(request, congress_id, make_form, service, name: str, done: str, keyword):
    congress = selectors.congress_for(request.user, congress_id)
    form = make_form(congress)
    return _act(
        request,
        congress,
        form,
        service,
        keyword=keyword,
        done=done,
        to=reverse("relations:congress", args=[congress.pk]),
        render_detail=lambda f: _congress_page(request, congress, **{name: f}),
    )


@login_required
@require_POST
def session_create(request, congress_id: int):
    return _congress_step(
        request,
        congress_id,
        lambda c: SessionForm(request.POST),
        services.record_session,
        "session_form",
        _("已登记职代会会议"),
        "congress",
    )


@login_required
@require_POST
def proposal_create(request, congress_id: int):
    def add(*, actor, congress, **data):
        return services.add_proposal(actor=actor, **data)

    return _congress_step(
        request,
        congress_id,
        lambda c: ProposalForm(request.POST, sessions=list(c.sessions.all())),
        add,
        "proposal_form",
        _("已登记提案"),
        "congress",
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_status(request, proposal_id: int):
    """Move a proposal on in its handling (立案 → 办理中 → 已办结, or 不予立案), dated; reached
    from its congress's page."""
    user = request.user
    proposal = selectors.proposal_for(user, proposal_id)
    roles.require_writer(user)
    congress = proposal.session.congress
    allowed = services.proposal_next(proposal) or CongressProposal.Status.values
    choices = [(s, CongressProposal.Status(s).label) for s in allowed]
    back = reverse("relations:congress", args=[congress.pk])
    return form_page(
        request,
        ProposalStatusForm(request.POST or None, choices=choices),
        services.change_proposal_status,
        page=FORM_PAGE,
        context=_page(
            title=_("办理提案：%(title)s") % {"title": proposal.title},
            back=back,
            back_label=str(congress),
            note=_("%(session)s，提案人%(proposer)s；现为“%(status)s”（%(on)s）")
            % {
                "session": proposal.session,
                "proposer": proposal.proposer,
                "status": proposal.get_status_display(),
                "on": proposal.status_on or proposal.session.held_on,
            },
        ),
        done=lambda p: _("提案已改为“%(status)s”") % {"status": p.get_status_display()},
        to=back,
        actor=user,
        proposal=proposal,
    )


@login_required
@require_POST
def representative_create(request, congress_id: int):
    return _congress_step(
        request,
        congress_id,
        lambda c: RepresentativeForm(request.POST),
        services.elect_representative,
        "representative_form",
        _("已登记职工董事、职工监事"),
        "congress",
    )


@login_required
@require_GET
def units_without_session(request):
    units = selectors.units_without_session(request.user)
    return render(
        request, "relations/units_without_session.html", {"page": paginate(request, units)}
    )


# ---- 厂务公开 ----------------------------------------------------------------------------------


@login_required
@require_GET
def openness_list(request):
    year = request.GET.get("year", "")
    records = selectors.openness_for(request.user, year=int(year) if year.isdigit() else None)
    items, channels = dict(OPENNESS_ITEMS), dict(OPENNESS_CHANNELS)
    page = paginate(request, records)
    rows = [
        (
            r,
            "、".join(items.get(i, i) for i in r.items),
            "、".join(channels.get(c, c) for c in r.channels),
        )
        for r in page.object_list
    ]
    return render(
        request, "relations/openness_list.html", {"page": page, "rows": rows, "year": year}
    )


@login_required
@require_http_methods(["GET", "POST"])
def openness_create(request):
    return _create(
        request,
        OpennessForm,
        services.record_openness,
        title=_("登记厂务公开"),
        back="relations:openness",
        back_label=_("厂务公开"),
        done=lambda r: _("已登记%(record)s") % {"record": r},
        to=lambda r: "relations:openness",
    )


# ---- harmonious-enterprise assessment ----------------------------------------------------------


@login_required
@require_GET
def assessment_list(request):
    form = AssessmentFilterForm(request.GET)
    filters = form.filters()
    records = selectors.assessments_for(request.user, **filters)
    context = {
        "form": form,
        "page": paginate(request, records),
        "sheet_year": filters["year"] or timezone.localdate().year,
    }
    return render(request, "relations/assessment_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request):
    return _create(
        request,
        ApplyForm,
        services.apply_assessment,
        title=_("申报劳动关系和谐企业"),
        back="relations:assessments",
        back_label=_("和谐企业评审"),
        done=lambda a: _("已申报：%(record)s") % {"record": a},
        to=lambda a: ("relations:assessment", a.pk),
    )


def _assessment_page(request, assessment, **forms):
    sheet = services.sheet_for(assessment.year)
    items = [
        {
            **item,
            "score": assessment.scores.get(item["code"]),
            "part_name": services.PARTS[item["part"]],
        }
        for item in sheet.items
    ]
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "items": items,
        "score_form": forms.get("score_form") or ScoreForm(sheet=sheet),
        "notice_form": forms.get("notice_form") or NoticeForm(),
        "commend_form": forms.get("commend_form") or CommendForm(),
    }
    return render(request, "relations/assessment_detail.html", context)


@login_required
@require_GET
def assessment_detail(request, assessment_id: int):
    return _assessment_page(request, selectors.assessment_for(request.user, assessment_id))


def _assessment_step(request, assessment_id, make_form, service, name: str, done: str):
    assessment = selectors.assessment_for(request.user, assessment_id)
    return _act(
        request,
        assessment,
        make_form(assessment),
        service,
        keyword="assessment",
        done=done,
        to=reverse("relations:assessment", args=[assessment.pk]),
        render_detail=lambda f: _assessment_page(request, assessment, **{name: f}),
    )


@login_required
@require_POST
def assessment_score(request, assessment_id: int):
    return _assessment_step(
        request,
        assessment_id,
        lambda a: ScoreForm(request.POST, sheet=services.sheet_for(a.year)),
        services.score_assessment,
        "score_form",
        _("已评分"),
    )


@login_required
@require_POST
def assessment_notice(request, assessment_id: int):
    return _assessment_step(
        request,
        assessment_id,
        lambda a: NoticeForm(request.POST),
        services.start_notice,
        "notice_form",
        _("已开始公示"),
    )


@login_required
@require_POST
def assessment_commend(request, assessment_id: int):
    return _assessment_step(
        request,
        assessment_id,
        lambda a: CommendForm(request.POST),
        services.commend,
        "commend_form",
        _("已命名表彰"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def score_sheet(request, year: int):
    """The year's score sheet; the province's admin edits it (that year only)."""
    user = request.user
    sheet = services.sheet_for(year)
    editable = roles.can_manage_accounts(user) and not user.org.parent_id
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("只有省总工会管理员可以修改评分表"))
    form = SheetForm(request.POST or None, initial=SheetForm.initial_for(sheet))

    def page(form):
        items = [{**i, "part_name": services.PARTS[i["part"]]} for i in sheet.items]
        context = {"sheet": sheet, "items": items, "form": form, "editable": editable,
                   "year": year}  # fmt: skip
        return render(request, "relations/score_sheet.html", context)

    return form_page(
        request,
        form,
        services.save_score_sheet,
        page=page,
        done=_("已保存%(year)d年评分表") % {"year": year},
        to=("relations:score_sheet", year),
        actor=user,
        year=year,
    )


# ---- dispute mediation -----------------------------------------------------------------------


@login_required
@require_GET
def dispute_list(request):
    form = DisputeFilterForm(request.GET)
    today = timezone.localdate()
    records = selectors.disputes_for(request.user, **form.filters())
    page = paginate(request, records)
    rows = [(d, d.overdue_on(today)) for d in page.object_list]
    return render(
        request, "relations/dispute_list.html", {"form": form, "page": page, "rows": rows}
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispute_create(request):
    return _create(
        request,
        DisputeForm,
        services.accept_dispute,
        title=_("受理劳动争议"),
        back="relations:disputes",
        back_label=_("劳动争议调解"),
        note=_("调解应自受理之日起15日内结束，逾期未结的列为超期"),
        done=lambda d: _("已受理：%(record)s") % {"record": d},
        to=lambda d: ("relations:dispute", d.pk),
    )


def _dispute_page(request, dispute, **forms):
    context = {
        "dispute": dispute,
        "overdue": dispute.overdue_on(timezone.localdate()),
        "close_form": forms.get("close_form") or CloseDisputeForm(),
    }
    return render(request, "relations/dispute_detail.html", context)


@login_required
@require_GET
def dispute_detail(request, dispute_id: int):
    return _dispute_page(request, selectors.dispute_for(request.user, dispute_id))


@login_required
@require_POST
def dispute_close(request, dispute_id: int):
    dispute = selectors.dispute_for(request.user, dispute_id)
    return _act(
        request,
        dispute,
        CloseDisputeForm(request.POST),
        services.close_dispute,
        keyword="dispute",
        done=_("已结案"),
        to=reverse("relations:dispute", args=[dispute.pk]),
        render_detail=lambda f: _dispute_page(request, dispute, close_form=f),
    )


@login_required
@require_GET
def committee_list(request):
    committees = selectors.committees_for(request.user).order_by("-established_on", "-id")
    return render(request, "relations/committee_list.html", {"page": paginate(request, committees)})


@login_required
@require_http_methods(["GET", "POST"])
def committee_create(request):
    return _create(
        request,
        CommitteeForm,
        services.create_committee,
        title=_("登记劳动争议调解委员会"),
        back="relations:committees",
        back_label=_("调解委员会"),
        done=lambda c: _("已登记%(record)s") % {"record": c},
        to=lambda c: "relations:committees",
    )
