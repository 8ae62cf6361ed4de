"""The 实力强会工程 pages: thin — a selector or a service each, scoped to the user's subtree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from unionworks.core import roles
from unionworks.core.errors import DomainError
from unionworks.core.scoping import is_in_subtree
from unionworks.core.views import form_page, paginate, render_list
from unionworks.finance import selectors, services
from unionworks.finance.forms import (
    ApprovalForm,
    AssessForm,
    AssessmentSchemeForm,
    AssetForm,
    AssetRuleForm,
    DisposalForm,
    InstitutionForm,
    ReceiptForm,
    SchemeForm,
    ScoreItemsForm,
    item_lines,
    org_in_query,
    year_in_query,
)
from unionworks.finance.models import Asset, Channel
from unionworks.orgs import selectors as org_selectors

FORM_PAGE = "finance/form.html"


def _page(**context) -> dict:
    return context


def _year(request) -> int:
    return year_in_query(request.GET)


def _org(request, field: str = "org"):
    return org_in_query(request.user, request.GET, field)


# ---- receipts ------------------------------------------------------------------------------


@login_required
@require_GET
def receipt_list(request):
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    year = request.GET.get("year", "")
    receipts = selectors.receipts_for(
        request.user, channel=channel, year=int(year) if year.isdigit() else None
    )
    context = {
        "page": paginate(request, receipts),
        "channels": Channel.choices,
        "channel": channel,
        "year": year,
    }
    return render_list(request, "finance/receipt_list.html", "finance/_receipt_table.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def receipt_create(request):
    user = request.user
    roles.require_writer(user)
    return form_page(
        request,
        ReceiptForm(request.POST or None, actor=user),
        services.record_receipt,
        page=FORM_PAGE,
        context=_page(
            title=_("登记经费收入"),
            back=reverse("finance:receipts"),
            back_label=_("经费收缴"),
            submit=_("保存"),
        ),
        done=_("已登记经费收入并按分成比例分成"),
        to=lambda receipt: ("finance:receipt", receipt.pk),
        actor=user,
    )


@login_required
@require_GET
def receipt_detail(request, receipt_id: int):
    receipt = selectors.receipt_for(request.user, receipt_id)
    return render(
        request,
        "finance/receipt_detail.html",
        {"receipt": receipt, "shares": selectors.shares_of(receipt)},
    )


# ---- the ledger and arrears -----------------------------------------------------------------


@login_required
@require_GET
def ledger(request):
    org, year = _org(request), _year(request)
    ledger = selectors.ledger_for(request.user, org, year)
    children = org_selectors.orgs_for(request.user).filter(parent=org).order_by("path")[:200]
    ancestors = [o for o in org.ancestors() if is_in_subtree(o, request.user)]
    return render(
        request,
        "finance/ledger.html",
        {"ledger": ledger, "org": org, "year": year, "children": children, "ancestors": ancestors},
    )


@login_required
@require_GET
def arrears(request):
    org = _org(request)
    levies = selectors.arrears_for(request.user, org=org)
    page = paginate(request, levies)
    context = {
        "page": page,
        "lines": selectors.arrears_lines(page.object_list),
        "totals": selectors.arrears_totals(levies),
        "org": org,
        "counties": org_selectors.orgs_for(request.user)
        .filter(kind="county")
        .order_by("path")[:300],
    }
    return render_list(request, "finance/arrears.html", "finance/_arrears_table.html", context)


# ---- the share schemes ---------------------------------------------------------------------


@login_required
@require_GET
def scheme_list(request):
    return render(
        request, "finance/scheme_list.html", {"schemes": selectors.schemes_for(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request):
    user = request.user
    roles.require_writer(user)
    return form_page(
        request,
        SchemeForm(request.POST or None, actor=user),
        services.create_share_scheme,
        page=FORM_PAGE,
        context=_page(
            title=_("制定分成办法"),
            back=reverse("finance:schemes"),
            back_label=_("分成办法"),
            submit=_("保存"),
            note=_("各级分成比例合计须为100%"),
        ),
        done=_("已保存分成办法"),
        to="finance:schemes",
        actor=user,
    )


# ---- assets ----------------------------------------------------------------------------------


@login_required
@require_GET
def asset_list(request):
    status = request.GET.get("status", "")
    status = status if status in Asset.Status.values else ""
    assets = selectors.assets_for(request.user, status=status)
    today = timezone.localdate()
    page = paginate(request, assets)
    rows = [(a, selectors.value_on(a, today)) for a in page.object_list]
    context = {"page": page, "rows": rows, "statuses": Asset.Status.choices, "status": status}
    return render_list(request, "finance/asset_list.html", "finance/_asset_table.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def asset_create(request):
    user = request.user
    roles.require_writer(user)
    return form_page(
        request,
        AssetForm(request.POST or None, actor=user),
        services.register_asset,
        page=FORM_PAGE,
        context=_page(
            title=_("登记资产"),
            back=reverse("finance:assets"),
            back_label=_("工会资产"),
            submit=_("保存"),
        ),
        done=_("已登记资产"),
        to=lambda asset: ("finance:asset", asset.pk),
        actor=user,
    )


@login_required
@require_GET
def asset_detail(request, asset_id: int):
    user = request.user
    asset = selectors.asset_for(user, asset_id)
    today = timezone.localdate()
    context = {
        "asset": asset,
        "value": selectors.value_on(asset, today),
        "depreciation": selectors.depreciation_on(asset, today),
        "can_write": roles.can_write(user),
        "can_review": roles.can_review(user),
        "disposal_form": DisposalForm(),
        "approval_form": ApprovalForm(initial={"on": today}),
    }
    return render(request, "finance/asset_detail.html", context)


@login_required
@require_POST
def asset_dispose(request, asset_id: int):
    user = request.user
    asset = selectors.asset_for(user, asset_id)
    roles.require_writer(user)
    form = DisposalForm(request.POST)
    if form.is_valid():
        try:
            services.propose_disposal(actor=user, asset=asset, **form.cleaned_data)
            messages.success(request, _("已提交处置申请，待审核"))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("请填写处置理由"))
    return redirect("finance:asset", asset.pk)


@login_required
@require_POST
def asset_approve(request, asset_id: int):
    user = request.user
    asset = selectors.asset_for(user, asset_id)
    if not roles.can_review(user):
        raise PermissionDenied(_("只有审核员可以审批资产处置"))
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            services.approve_disposal(actor=user, asset=asset, on=form.cleaned_data["on"])
            messages.success(request, _("已批准处置"))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("finance:asset", asset.pk)


@login_required
@require_GET
def asset_rule_list(request):
    rules = selectors.asset_rules_for(request.user)
    return render(request, "finance/asset_rule_list.html", {"page": paginate(request, rules)})


@login_required
@require_http_methods(["GET", "POST"])
def asset_rule_create(request):
    user = request.user
    roles.require_writer(user)
    return form_page(
        request,
        AssetRuleForm(request.POST or None, actor=user),
        services.record_asset_rule,
        page=FORM_PAGE,
        context=_page(
            title=_("登记资产管理制度"),
            back=reverse("finance:asset_rules"),
            back_label=_("资产管理制度"),
            submit=_("保存"),
        ),
        done=_("已登记资产管理制度"),
        to="finance:asset_rules",
        actor=user,
    )


# ---- institutions and assessments ----------------------------------------------------------


@login_required
@require_GET
def institution_list(request):
    context = {"page": paginate(request, selectors.institutions_for(request.user))}
    return render(request, "finance/institution_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def institution_create(request):
    user = request.user
    roles.require_writer(user)
    return form_page(
        request,
        InstitutionForm(request.POST or None, actor=user),
        services.create_institution,
        page=FORM_PAGE,
        context=_page(
            title=_("登记直属事业单位"),
            back=reverse("finance:institutions"),
            back_label=_("直属事业单位"),
            submit=_("保存"),
        ),
        done=_("已登记直属事业单位"),
        to=lambda institution: ("finance:institution", institution.pk),
        actor=user,
    )


@login_required
@require_GET
def institution_detail(request, institution_id: int):
    institution = selectors.institution_for(request.user, institution_id)
    today = timezone.localdate()
    assets = selectors.assets_of(institution)[:200]
    context = {
        "institution": institution,
        "assessments": selectors.assessments_of(institution),
        "assets": [(a, selectors.value_on(a, today)) for a in assets],
    }
    return render(request, "finance/institution_detail.html", context)


# ---- the yearly score sheets (年度业绩考核办法) ---------------------------------------------


@login_required
@require_GET
def assessment_scheme_list(request):
    schemes = selectors.assessment_schemes_for(request.user).prefetch_related("items")
    return render(
        request, "finance/assessment_scheme_list.html", {"page": paginate(request, schemes)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_scheme_create(request):
    """A year's score sheet; it starts from the latest earlier year's items (edited here,
    they are this year's only)."""
    user = request.user
    roles.require_writer(user)
    year = timezone.localdate().year
    root = org_selectors.tree_root_for(user)
    items = selectors.previous_items(user, root, year)
    initial = {"org": root.pk, "year": year, "items": item_lines(items)}
    return form_page(
        request,
        AssessmentSchemeForm(request.POST or None, actor=user, initial=initial),
        services.create_assessment_scheme,
        page=FORM_PAGE,
        context=_page(
            title=_("制定年度业绩考核办法"),
            back=reverse("finance:assessment_schemes"),
            back_label=_("考核办法"),
            submit=_("保存"),
            note=_("每个考核年度一份评分表；修改只影响该年度"),
        ),
        done=_("已保存年度业绩考核办法"),
        to=lambda scheme: ("finance:assessment_scheme", scheme.pk),
        actor=user,
    )


@login_required
@require_GET
def assessment_scheme_detail(request, scheme_id: int):
    user = request.user
    scheme = selectors.assessment_scheme_for(user, scheme_id)
    assessed = selectors.assessed_under(scheme)
    context = {
        "scheme": scheme,
        "items": scheme.items.all(),
        "assessed": assessed,
        "editable": not assessed.exists(),
        "to_assess": selectors.institutions_to_assess(user, scheme).exists(),
    }
    return render(request, "finance/assessment_scheme_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_scheme_items(request, scheme_id: int):
    """Edit a year's score sheet (while nobody has been assessed by it)."""
    user = request.user
    scheme = selectors.assessment_scheme_for(user, scheme_id)
    roles.require_writer(user)
    initial = {"items": item_lines((i.name, i.max_score) for i in scheme.items.all())}
    return form_page(
        request,
        ScoreItemsForm(request.POST or None, initial=initial),
        services.set_score_items,
        page=FORM_PAGE,
        context=_page(
            title=_("修改%(year)d年度评分表") % {"year": scheme.year},
            back=reverse("finance:assessment_scheme", args=[scheme.pk]),
            back_label=scheme.title,
            submit=_("保存"),
            note=_("只修改本年度的考核项目；已有单位按此办法考核后不能再修改"),
        ),
        done=_("已修改%(year)d年度评分表") % {"year": scheme.year},
        to=("finance:assessment_scheme", scheme.pk),
        actor=user,
        scheme=scheme,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request, scheme_id: int):
    """Score an institution by a year's sheet: the total and the grade follow."""
    user = request.user
    scheme = selectors.assessment_scheme_for(user, scheme_id)
    roles.require_writer(user)
    institutions = list(selectors.institutions_to_assess(user, scheme)[:500])
    form = AssessForm(request.POST or None, scheme=scheme, institutions=institutions)
    return form_page(
        request,
        form,
        services.assess_institution,
        page=FORM_PAGE,
        context=_page(
            title=_("%(year)d年度业绩考核评分") % {"year": scheme.year},
            back=reverse("finance:assessment_scheme", args=[scheme.pk]),
            back_label=scheme.title,
            submit=_("保存评分"),
            note=_("优秀 ≥ %(e)s 分，良好 ≥ %(g)s 分，合格 ≥ %(p)s 分")
            % {"e": scheme.excellent_from, "g": scheme.good_from, "p": scheme.pass_from},
        ),
        done=lambda a: (
            _("已评分：总分%(total)s，%(grade)s")
            % {"total": a.total, "grade": a.get_grade_display()}
        ),
        to=lambda a: ("finance:assessment", a.pk),
        actor=user,
        scheme=scheme,
    )


@login_required
@require_GET
def assessment_list(request):
    year = request.GET.get("year", "")
    found = selectors.assessments_for(request.user, year=int(year) if year.isdigit() else None)
    return render(
        request, "finance/assessment_list.html", {"page": paginate(request, found), "year": year}
    )


@login_required
@require_GET
def assessment_detail(request, assessment_id: int):
    assessment = selectors.assessment_for(request.user, assessment_id)
    scores = assessment.scores.select_related("item").order_by("item__order")
    return render(
        request, "finance/assessment_detail.html", {"assessment": assessment, "scores": scores}
    )
