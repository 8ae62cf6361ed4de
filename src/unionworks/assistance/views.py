"""Pages of 帮扶工程: campaigns with their money, proposals, the review queue, payment,
hardship files, assistance centres, wage-arrears cases and 平安返乡 trips.

Thin: each view reads the request, calls one selector or one service, renders. Records
are found through the scoped selectors first (outside the subtree: 404), then the role
is checked for writes (a viewer gets 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from unionworks.assistance import selectors, services
from unionworks.assistance.forms import (
    ApproveForm,
    BulkDecisionForm,
    CampaignFilterForm,
    CampaignForm,
    CentreForm,
    CloseForm,
    DisbursementFilterForm,
    FileFilterForm,
    FileForm,
    FundingForm,
    HouseholdForm,
    PayForm,
    ProposeForm,
    RaisingForm,
    RejectForm,
    ReviewForm,
    TripForm,
    WageCaseForm,
    WageCaseUpdateForm,
    WorkerForm,
)
from unionworks.assistance.models import Campaign, Disbursement, HardshipFile
from unionworks.core import roles
from unionworks.core.errors import DomainError
from unionworks.core.idsearch import clean_search_url, page_id_search
from unionworks.core.scoping import is_in_subtree
from unionworks.core.selectors import audit_entries_for
from unionworks.core.views import form_page, paginate, render_list, submit_form

HISTORY = 10


FORM_PAGE = "assistance/form.html"  # the one page every create/edit form of this section shares


def _page(*, title: str, back: str, back_label: str, submit: str, note="") -> dict:
    """What the shared form page shows around the form."""
    return {"title": title, "back": back, "back_label": back_label, "submit": submit, "note": note}


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


# ---- campaigns -----------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request):
    form = CampaignFilterForm(request.GET)
    campaigns = selectors.campaigns_for(request.user, **form.filters())
    context = {"form": form, "page": paginate(request, campaigns)}
    return render_list(
        request, "assistance/campaign_list.html", "assistance/_campaign_table.html", context
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    user = request.user
    roles.require_writer(user)
    return form_page(
        request,
        CampaignForm(request.POST or None, actor=user),
        services.create_campaign,
        page=FORM_PAGE,
        context=_page(
            title=_("新建帮扶活动"),
            back=reverse("assistance:campaigns"),
            back_label=_("帮扶活动"),
            submit=_("保存"),
        ),
        done=lambda campaign: _("已新建帮扶活动“%(name)s”") % {"name": campaign.name},
        to=lambda campaign: ("assistance:campaign", campaign.pk),
        actor=user,
    )


@login_required
@require_GET
def campaign_detail(request, campaign_id: int):
    user = request.user
    campaign = selectors.campaign_for(user, campaign_id)
    proposals = selectors.disbursements_for(user, campaign=campaign)
    manages = selectors.can_manage_campaign(user, campaign)
    context = {
        "campaign": campaign,
        "totals": selectors.campaign_totals(campaign),
        "participants": campaign.participants.order_by("path"),
        "raisings": selectors.raisings_for(user, campaign=campaign)[:50],
        "page": paginate(request, proposals),
        "trips": selectors.trips_for(user, campaign=campaign)[:50]
        if campaign.kind == Campaign.Kind.SAFE_RETURN
        else None,
        "manages": manages,
        "takes_part": selectors.proposing_orgs_for(user, campaign).exists(),
        "can_write": roles.can_write(user),
    }
    return render(request, "assistance/campaign_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, campaign_id: int):
    user = request.user
    campaign = selectors.campaign_for(user, campaign_id)
    if not selectors.can_manage_campaign(user, campaign):
        raise PermissionDenied(_("只有组织单位可以修改活动"))
    roles.require_writer(user)
    return form_page(
        request,
        CampaignForm(request.POST or None, actor=user, initial=CampaignForm.initial_for(campaign)),
        services.update_campaign,
        page=FORM_PAGE,
        context=_page(
            title=_("修改帮扶活动"),
            back=reverse("assistance:campaign", args=[campaign.pk]),
            back_label=campaign.name,
            submit=_("保存"),
        ),
        done=lambda saved: _("已保存帮扶活动“%(name)s”") % {"name": saved.name},
        to=("assistance:campaign", campaign.pk),
        actor=user,
        campaign=campaign,
    )


def _campaign_form(
    request, campaign_id: int, form_class, service, *, title, submit, done, to=None, note=""
):
    """A form that adds a record to a campaign (a raising, a proposal, a trip); back to the
    campaign afterwards unless ``to(record)`` says otherwise."""
    user = request.user
    campaign = selectors.campaign_for(user, campaign_id)
    roles.require_writer(user)
    return form_page(
        request,
        form_class(request.POST or None, actor=user, campaign=campaign),
        service,
        page=FORM_PAGE,
        context=_page(
            title=f"{campaign.name} · {title}",
            back=reverse("assistance:campaign", args=[campaign.pk]),
            back_label=campaign.name,
            submit=submit,
            note=note,
        ),
        done=done,
        to=to or ("assistance:campaign", campaign.pk),
        actor=user,
        campaign=campaign,
    )


@login_required
@require_http_methods(["GET", "POST"])
def raising_create(request, campaign_id: int):
    return _campaign_form(
        request,
        campaign_id,
        RaisingForm,
        services.record_raising,
        title=_("登记筹资"),
        submit=_("保存"),
        done=_("已登记筹资"),
    )


@login_required
@require_POST
def raising_delete(request, raising_id: int):
    user = request.user
    raising = selectors.raising_for(user, raising_id)
    roles.require_writer(user)
    try:
        services.delete_raising(actor=user, raising=raising)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除筹资记录"))
    return redirect("assistance:campaign", campaign_id=raising.campaign_id)


@login_required
@require_http_methods(["GET", "POST"])
def disbursement_create(request, campaign_id: int):
    return _campaign_form(
        request,
        campaign_id,
        ProposeForm,
        services.propose_disbursement,
        title=_("提名发放对象"),
        submit=_("提交审核"),
        done=_("已提名，等待审核"),
        to=lambda record: ("assistance:disbursement", record.pk),
        note=_("同一活动每人只能领取一次；提名后由审核员批准，再登记发放。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def trip_create(request, campaign_id: int):
    return _campaign_form(
        request,
        campaign_id,
        TripForm,
        services.record_trip,
        title=_("登记返乡车次"),
        submit=_("保存"),
        done=_("已登记返乡车次"),
    )


# ---- disbursement list upload: the shared import pages, opened for this campaign ----------


@login_required
def disbursement_import(request, campaign_id: int):
    campaign = selectors.campaign_for(request.user, campaign_id)
    return redirect(f"{reverse('imports:upload', args=['disbursements'])}?campaign={campaign.pk}")


# ---- disbursements -------------------------------------------------------------------------


@login_required
@require_GET
def disbursement_list(request):
    search = page_id_search(request)
    if search.clean_url and not request.htmx:
        return redirect(search.clean_url)
    form = DisbursementFilterForm(request.GET)
    records = selectors.disbursements_for(request.user, **form.filters(), id_index=search.index)
    context = {"form": form, "page": paginate(request, records)}
    response = render_list(
        request, "assistance/disbursement_list.html", "assistance/_disbursement_table.html", context
    )
    return clean_search_url(response, search)


def _render_disbursement(request, record: Disbursement, **forms):
    user = request.user
    waiting = record.status == Disbursement.Status.PROPOSED
    context = {
        "record": record,
        "can_decide": waiting and roles.can_review(user),
        "can_pay": record.status == Disbursement.Status.APPROVED and roles.can_write(user),
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "pay_form": forms.get("pay_form") or PayForm(disbursement=record),
        "file_visible": record.hardship_file_id is not None
        and is_in_subtree(record.hardship_file.org, user),
        "member_visible": record.member_id is not None and is_in_subtree(record.member.org, user),
        "history": audit_entries_for(
            user, model=Disbursement._meta.label_lower, object_id=record.pk
        )[:HISTORY],
    }
    return render(request, "assistance/disbursement_detail.html", context)


@login_required
@require_GET
def disbursement_detail(request, disbursement_id: int):
    return _render_disbursement(request, selectors.disbursement_for(request.user, disbursement_id))


def _act(request, disbursement_id: int, form_name: str, form, service, done: str, check):
    """Approve, reject or pay: one shape, the service decides."""
    user = request.user
    record = selectors.disbursement_for(user, disbursement_id)
    check(user)
    if form.is_valid():
        try:
            service(actor=user, disbursement=record, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, done % {"name": record.name})
            fallback = reverse("assistance:disbursement", args=[record.pk])
            return redirect(_next_or(request, fallback))
    if request.POST.get("next"):
        for error in form.errors.values():
            messages.error(request, f"{record.name}：{error[0]}")
        return redirect(_next_or(request, reverse("assistance:review")))
    return _render_disbursement(request, record, **{form_name: form})


def _require_reviewer(user) -> None:
    if not roles.can_review(user):
        raise PermissionDenied(_("只有审核员可以审批帮扶发放"))


@login_required
@require_POST
def disbursement_approve(request, disbursement_id: int):
    return _act(
        request,
        disbursement_id,
        "approve_form",
        ApproveForm(request.POST),
        services.approve_disbursement,
        _("已批准“%(name)s”"),
        _require_reviewer,
    )


@login_required
@require_POST
def disbursement_reject(request, disbursement_id: int):
    return _act(
        request,
        disbursement_id,
        "reject_form",
        RejectForm(request.POST),
        services.reject_disbursement,
        _("“%(name)s”未予批准"),
        _require_reviewer,
    )


@login_required
@require_POST
def disbursement_pay(request, disbursement_id: int):
    record = selectors.disbursement_for(request.user, disbursement_id)
    return _act(
        request,
        disbursement_id,
        "pay_form",
        PayForm(request.POST, disbursement=record),
        services.pay_disbursement,
        _("已登记向“%(name)s”发放"),
        roles.require_writer,
    )


@login_required
@require_GET
def review_queue(request):
    user = request.user
    context = {
        "page": paginate(request, selectors.review_queue_for(user)),
        "can_decide": roles.can_review(user),
        "approve_form": ApproveForm(),
        "bulk_form": BulkDecisionForm(),
    }
    return render(request, "assistance/review_queue.html", context)


@login_required
@require_POST
def review_bulk(request):
    """批量审批: the ticked proposals of the queue, each decided and audited on its own."""
    user = request.user
    form = BulkDecisionForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    records = list(selectors.disbursements_for(user).filter(pk__in=ids).order_by("id"))
    if len(records) != len(set(ids)):
        raise Http404  # an id outside the subtree (or none at all): never say which
    _require_reviewer(user)
    back = _next_or(request, reverse("assistance:review"))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(back)
    data = form.cleaned_data
    try:
        decided = services.decide_disbursements(
            actor=user,
            disbursements=records,
            approve=data["decision"] == BulkDecisionForm.APPROVE,
            reason=data.get("reason") or "",
            on=data.get("on"),
        )
    except DomainError as exc:
        messages.error(request, _("未审批任何对象：%(reason)s") % {"reason": exc.message})
    else:
        done = (
            _("已批准%(n)s人")
            if data["decision"] == BulkDecisionForm.APPROVE
            else _("%(n)s人未予批准")
        )
        messages.success(request, done % {"n": len(decided)})
    return redirect(back)


# ---- hardship files ------------------------------------------------------------------------


@login_required
@require_GET
def file_list(request):
    search = page_id_search(request)
    if search.clean_url and not request.htmx:
        return redirect(search.clean_url)
    form = FileFilterForm(request.GET)
    files = selectors.files_for(request.user, **form.filters(), id_index=search.index)
    context = {"form": form, "page": paginate(request, files)}
    response = render_list(
        request, "assistance/file_list.html", "assistance/_file_table.html", context
    )
    return clean_search_url(response, search)


@login_required
@require_http_methods(["GET", "POST"])
def file_create(request):
    user = request.user
    roles.require_writer(user)
    return form_page(
        request,
        FileForm(request.POST or None, actor=user),
        services.open_file,
        page=FORM_PAGE,
        context=_page(
            title=_("困难职工建档"),
            back=reverse("assistance:files"),
            back_label=_("困难职工档案"),
            submit=_("建档"),
            note=_("每人只能有一份在档档案；家庭人均月收入 = 家庭年收入 ÷ 家庭人口 ÷ 12。"),
        ),
        done=lambda file: _("已为“%(name)s”建档") % {"name": file.name},
        to=lambda file: ("assistance:file", file.pk),
        actor=user,
    )


@login_required
@require_GET
def file_detail(request, file_id: int):
    user = request.user
    file = selectors.file_for(user, file_id)
    context = {
        "file": file,
        "household": file.household.all(),
        "reviews": file.reviews.select_related("reviewed_by").order_by("-reviewed_on", "-id"),
        "disbursements": selectors.disbursements_for(user).filter(hardship_file=file)[:20],
        "member_visible": file.member_id is not None and is_in_subtree(file.member.org, user),
        "today": timezone.localdate(),
        "can_write": roles.can_write(user) and file.status == HardshipFile.Status.OPEN,
        "history": audit_entries_for(user, model=HardshipFile._meta.label_lower, object_id=file.pk)[
            :HISTORY
        ],
    }
    return render(request, "assistance/file_detail.html", context)


def _file_form(request, file_id: int, form_class, service, *, title, submit, done):
    user = request.user
    file = selectors.file_for(user, file_id)
    roles.require_writer(user)
    kwargs = {"file": file} if form_class is ReviewForm else {}
    return form_page(
        request,
        form_class(request.POST or None, **kwargs),
        service,
        page=FORM_PAGE,
        context=_page(
            title=f"{file.name} · {title}",
            back=reverse("assistance:file", args=[file.pk]),
            back_label=file.name,
            submit=submit,
        ),
        done=done % {"name": file.name},
        to=("assistance:file", file.pk),
        actor=user,
        file=file,
    )


@login_required
@require_http_methods(["GET", "POST"])
def file_review(request, file_id: int):
    return _file_form(
        request,
        file_id,
        ReviewForm,
        services.review_file,
        title=_("年度复核"),
        submit=_("保存复核"),
        done=_("已复核“%(name)s”的档案"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def file_close(request, file_id: int):
    return _file_form(
        request,
        file_id,
        CloseForm,
        services.close_file,
        title=_("销档"),
        submit=_("销档"),
        done=_("已为“%(name)s”销档"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def file_household(request, file_id: int):
    return _file_form(
        request,
        file_id,
        HouseholdForm,
        services.add_household_member,
        title=_("添加家庭成员"),
        submit=_("添加"),
        done=_("已为“%(name)s”添加家庭成员"),
    )


# ---- centres -------------------------------------------------------------------------------


@login_required
@require_GET
def centre_list(request):
    context = {"page": paginate(request, selectors.centres_for(request.user))}
    return render(request, "assistance/centre_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def centre_create(request):
    user = request.user
    roles.require_writer(user)
    return form_page(
        request,
        CentreForm(request.POST or None, actor=user),
        services.create_centre,
        page=FORM_PAGE,
        context=_page(
            title=_("新增帮扶中心"),
            back=reverse("assistance:centres"),
            back_label=_("帮扶中心"),
            submit=_("保存"),
        ),
        done=lambda centre: _("已新增帮扶中心“%(name)s”") % {"name": centre.name},
        to=lambda centre: ("assistance:centre", centre.pk),
        actor=user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def centre_detail(request, centre_id: int):
    user = request.user
    centre = selectors.centre_for(user, centre_id)
    form = FundingForm(request.POST or None)
    if request.method == "POST":
        roles.require_writer(user)
        if submit_form(request, form, services.record_centre_funding, actor=user, centre=centre):
            messages.success(request, _("已登记经费"))
            return redirect("assistance:centre", centre_id=centre.pk)
    context = {
        "centre": centre,
        "funding": centre.funding.all(),
        "files": selectors.files_for(user).filter(centre=centre, status="open")[:20],
        "form": form,
        "can_write": roles.can_write(user),
    }
    return render(request, "assistance/centre_detail.html", context)


# ---- wage arrears --------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request):
    status = request.GET.get("status", "")
    q = request.GET.get("q", "")
    cases = selectors.wage_cases_for(request.user, status=status if status else "", q=q)
    context = {"page": paginate(request, cases), "status": status, "q": q}
    return render(request, "assistance/case_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    user = request.user
    roles.require_writer(user)
    return form_page(
        request,
        WageCaseForm(request.POST or None, actor=user),
        services.record_wage_case,
        page=FORM_PAGE,
        context=_page(
            title=_("登记讨薪案件"),
            back=reverse("assistance:cases"),
            back_label=_("讨薪案件"),
            submit=_("保存"),
        ),
        done=_("已登记讨薪案件"),
        to=lambda case: ("assistance:case", case.pk),
        actor=user,
    )


@login_required
@require_GET
def case_detail(request, case_id: int):
    user = request.user
    case = selectors.wage_case_for(user, case_id)
    context = {
        "case": case,
        "workers": case.workers.all(),
        "worker_form": WorkerForm(),
        "can_write": roles.can_write(user),
    }
    return render(request, "assistance/case_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_update(request, case_id: int):
    user = request.user
    case = selectors.wage_case_for(user, case_id)
    roles.require_writer(user)
    return _case_form(
        request,
        case,
        WageCaseUpdateForm(request.POST or None, initial=WageCaseUpdateForm.initial_for(case)),
        services.update_wage_case,
        title=_("办理结果"),
        done=_("已更新办理结果"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_worker(request, case_id: int):
    user = request.user
    case = selectors.wage_case_for(user, case_id)
    roles.require_writer(user)
    return _case_form(
        request,
        case,
        WorkerForm(request.POST or None),
        services.add_wage_worker,
        title=_("登记讨薪职工"),
        done=_("已登记讨薪职工"),
    )


def _case_form(request, case, form, service, *, title: str, done: str):
    """A form on a wage-arrears case (its outcome, a worker); back to the case afterwards."""
    return form_page(
        request,
        form,
        service,
        page=FORM_PAGE,
        context=_page(
            title=f"{case.employer_name} · {title}",
            back=reverse("assistance:case", args=[case.pk]),
            back_label=case.employer_name,
            submit=_("保存"),
        ),
        done=done,
        to=("assistance:case", case.pk),
        actor=request.user,
        case=case,
    )


@login_required
@require_GET
def trip_list(request):
    context = {"page": paginate(request, selectors.trips_for(request.user))}
    return render(request, "assistance/trip_list.html", context)
