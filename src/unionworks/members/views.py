"""Pages of the member roll (会员名册), transfers (转会) and organising coverage (组织覆盖).

Thin: each view reads the request, calls one selector or one service, renders. The roll
is paged by key ("next page after member N"), never by OFFSET with a COUNT(*) of the
whole subtree: at 6.75 million members both grow with the roll, a key page does not.
A filtered list shows how many it found, counted up to ``ROLL_COUNT_CAP`` only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from unionworks.core import roles
from unionworks.core.errors import DomainError
from unionworks.core.identity import id_index_of
from unionworks.core.idsearch import clean_search_url, page_id_search
from unionworks.core.scoping import is_in_subtree, subtree_filter
from unionworks.core.selectors import audit_entries_for
from unionworks.core.spreadsheets import append_row, new_workbook, save_workbook
from unionworks.core.templatetags.uw import num
from unionworks.core.templatetags.uw import rate as rate_text
from unionworks.core.views import form_page, paginate, render_list
from unionworks.members import coverage as coverage_figures
from unionworks.members import selectors, services
from unionworks.members.forms import (
    COVERAGE_QUICK_DATES,
    UNION_LOOKUP_LIMIT,
    AcceptTransferForm,
    CoverageForm,
    DissolveForm,
    JoinForm,
    LeaveForm,
    MemberEditForm,
    MemberFilterForm,
    MergeForm,
    RejectTransferForm,
    TransferFilterForm,
    TransferForm,
    transfer_destinations,
    unit_choices,
    units_covered_by,
)
from unionworks.members.models import Member, Transfer
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.forms import PICKER_LIMIT
from unionworks.orgs.models import Org
from unionworks.stats import registry

# A filtered roll says how many it found up to this many ("1,000 人以上" beyond).
ROLL_COUNT_CAP = 1000
# Latest audit entries shown on a member's page.
MEMBER_HISTORY = 10
RATE_FORMAT = "0.0%"


# ---- the roll ------------------------------------------------------------------------------


@dataclass
class KeyPage:
    """One page of a queryset ordered by primary key, found by the key around it."""

    object_list: list
    has_previous: bool
    has_next: bool

    @property
    def first_key(self):
        return self.object_list[0].pk if self.object_list else None

    @property
    def last_key(self):
        return self.object_list[-1].pk if self.object_list else None


def _key(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def key_page(request, queryset: QuerySet, per_page: int | None = None) -> KeyPage:
    """``?after=N`` (the next page) or ``?before=N`` (the previous one): no OFFSET, no COUNT.

    Pages follow the queryset's own ascending order, made unique by the primary key (an
    initials search is ordered by initials, so its index stops at the page)."""
    size = per_page or settings.PAGE_SIZE
    order = [f for f in queryset.query.order_by if f not in ("pk", "id")] + ["pk"]
    after, before = _key(request.GET.get("after")), _key(request.GET.get("before"))
    if request.GET.get("last") == "1":
        # The last page: the first rows of the reversed order, shown the right way round.
        rows = list(queryset.order_by(*[f"-{f}" for f in order])[: size + 1])
        return KeyPage(rows[:size][::-1], has_previous=len(rows) > size, has_next=False)
    if before is not None:
        rows = list(
            queryset.filter(_beyond(queryset, order, before, "lt")).order_by(
                *[f"-{f}" for f in order]
            )[: size + 1]
        )
        return KeyPage(rows[:size][::-1], has_previous=len(rows) > size, has_next=True)
    if after is not None:
        queryset = queryset.filter(_beyond(queryset, order, after, "gt"))
    rows = list(queryset.order_by(*order)[: size + 1])
    return KeyPage(rows[:size], has_previous=after is not None, has_next=len(rows) > size)


def _beyond(queryset: QuerySet, order: list[str], key: int, op: str) -> Q:
    """The rows after (``gt``) or before (``lt``) row ``key`` in ``order``."""
    values = None
    if order != ["pk"]:
        values = queryset.model._default_manager.filter(pk=key).values_list(*order).first()
    if values is None:
        return Q(**{f"pk__{op}": key})
    condition, equal = Q(), {}
    for field, value in zip(order, values, strict=True):
        condition |= Q(**equal, **{f"{field}__{op}": value})
        equal[field] = value
    return condition


def capped_count(queryset: QuerySet, cap: int = ROLL_COUNT_CAP) -> int:
    """How many rows, counted no further than ``cap + 1``."""
    return queryset.order_by()[: cap + 1].count()


@login_required
@require_GET
def member_list(request):
    search = page_id_search(request)
    if search.clean_url and not request.htmx:
        return redirect(search.clean_url)
    form = MemberFilterForm(request.GET, actor=request.user)
    filters = form.filters()
    if request.GET.get("org") and not filters["org_id"]:
        # An org outside the subtree (or no org at all): not the caller's own list instead.
        raise Http404
    if search.index:
        filters["id_index"] = search.index
    members = selectors.members_for(request.user, **filters)
    context = {
        "form": form,
        # The sealed numbers are never shown on the list: leave them in the database.
        "page": key_page(request, members.defer("id_number_cipher", "phone_cipher")),
        # Counted no further than the cap, filtered or not: the whole roll is millions.
        "found": capped_count(members),
        "filtered": any(filters.values()),
        "cap": ROLL_COUNT_CAP,
    }
    response = render_list(request, "members/list.html", "members/_member_table.html", context)
    return clean_search_url(response, search)


def _detail_context(request, member: Member) -> dict:
    user = request.user
    return {
        "member": member,
        "spells": member.spells.select_related("org", "unit").order_by("start", "id"),
        "transfers": member.transfers.select_related("from_org", "to_org").order_by(
            "-requested_on", "-id"
        ),
        "pending": member.transfers.filter(status=Transfer.Status.PENDING).exists(),
        "can_reveal": services.can_view_personal_data(user),
        "history": audit_entries_for(user, model=Member._meta.label_lower, object_id=member.pk)[
            :MEMBER_HISTORY
        ],
    }


@login_required
@require_GET
def member_detail(request, member_id: int):
    member = selectors.member_for(request.user, member_id)
    return render(request, "members/detail.html", _detail_context(request, member))


@login_required
@require_POST
def member_reveal(request, member_id: int):
    """The full ID number and phone, shown once on this response (the viewing is logged)."""
    member = selectors.member_for(request.user, member_id)
    try:
        revealed = services.reveal_personal_data(actor=request.user, member=member)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    context = {**_detail_context(request, member), "revealed": revealed}
    response = render(request, "members/detail.html", context)
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def member_join(request):
    user = request.user
    roles.require_writer(user)
    initial = {}
    if request.GET.get("org", "").isdigit():
        initial["org"] = request.GET["org"]

    def page(form):
        # Refused because the person is already on the roll: link to that member when the
        # account may see them (another city's member stays unnamed).
        existing = None
        if form.errors.get("id_number") and form.data.get("id_number"):
            index = id_index_of(form.data["id_number"])
            if index:
                existing = selectors.members_for(user, id_index=index).first()
        return render(request, "members/join.html", {"form": form, "existing": existing})

    return form_page(
        request,
        JoinForm(request.POST or None, actor=user, initial=initial),
        services.join_member,
        page=page,
        done=lambda member: _("“%(name)s”已入会") % {"name": member.name},
        to=lambda member: ("members:detail", member.pk),
        actor=user,
    )


@login_required
@require_GET
def unit_options(request):
    """The ``<option>``s of the units a chosen grassroots union covers (htmx)."""
    org_id = request.GET.get("org", "")
    union = (
        org_selectors.grassroots_unions_for(request.user).filter(pk=int(org_id)).first()
        if org_id.isdigit()
        else None
    )
    units = units_covered_by(request.user, union).order_by("name")[:PICKER_LIMIT]
    return render(
        request,
        "members/_unit_options.html",
        {"choices": unit_choices(units, empty=union is None)},
    )


@login_required
@require_GET
def union_lookup(request):
    """Search-as-you-type over the province's grassroots unions, by name only (转会)."""
    q = request.GET.get("q", "").strip()
    found = []
    if q:
        found = list(
            transfer_destinations(q)
            .order_by("name", "pk")
            .values_list("pk", "name")[: UNION_LOOKUP_LIMIT + 1]
        )
    context = {
        "options": found[:UNION_LOOKUP_LIMIT],
        "more": len(found) > UNION_LOOKUP_LIMIT,
        "limit": UNION_LOOKUP_LIMIT,
        "q": q,
    }
    return render(request, "orgs/_org_options.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, member_id: int):
    """修改会员信息 (name, phone, education, 农民工): each change in the audit trail."""
    user = request.user
    member = selectors.member_for(user, member_id)
    roles.require_writer(user)
    return form_page(
        request,
        MemberEditForm(request.POST or None, initial=MemberEditForm.initial_for(member)),
        services.update_member,
        page="members/edit.html",
        context={"member": member},
        done=lambda saved: _("已保存“%(name)s”的信息") % {"name": saved.name},
        to=("members:detail", member.pk),
        actor=user,
        member=member,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_leave(request, member_id: int):
    user = request.user
    member = selectors.member_for(user, member_id)
    roles.require_writer(user)

    def leave(*, kind: str, **data) -> Member:
        return services.record_leaving(death=kind == LeaveForm.DEATH, **data)

    def done(left: Member) -> str:
        if left.status == Member.Status.DECEASED:
            return _("已登记“%(name)s”去世") % {"name": left.name}
        return _("已办理“%(name)s”退会") % {"name": left.name}

    return form_page(
        request,
        LeaveForm(request.POST or None),
        leave,
        page="members/leave.html",
        context={"member": member},
        done=done,
        to=("members:detail", member.pk),
        actor=user,
        member=member,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_transfer(request, member_id: int):
    user = request.user
    member = selectors.member_for(user, member_id)
    roles.require_writer(user)
    return form_page(
        request,
        TransferForm(request.POST or None),
        services.request_transfer,
        page="members/transfer.html",
        context={"member": member},
        done=lambda transfer: (
            _("已提交“%(name)s”转往“%(union)s”的申请，待转入工会接收")
            % {"name": member.name, "union": transfer.to_org.name}
        ),
        to=("members:detail", member.pk),
        actor=user,
        member=member,
    )


# ---- transfers -----------------------------------------------------------------------------


def _mark_transfer(transfer: Transfer, user) -> Transfer:
    """What the page may offer on a transfer: deciding it, opening the member's record."""
    transfer.can_decide = (
        transfer.status == Transfer.Status.PENDING
        and roles.can_write(user)
        and is_in_subtree(transfer.to_org, user)
    )
    transfer.member_visible = is_in_subtree(transfer.member.org, user)
    return transfer


@login_required
@require_GET
def transfer_list(request):
    user = request.user
    form = TransferFilterForm(request.GET)
    filters = form.filters()
    transfers = selectors.transfers_for(user).select_related("member__org")
    if filters["status"]:
        transfers = transfers.filter(status=filters["status"])
    root = org_selectors.tree_root_for(user)
    if filters["direction"] == TransferFilterForm.SENT:
        transfers = transfers.filter(**subtree_filter(root.path, "from_org__path"))
    elif filters["direction"] == TransferFilterForm.RECEIVED:
        transfers = transfers.filter(**subtree_filter(root.path, "to_org__path"))
    page = paginate(request, transfers)
    for transfer in page.object_list:
        _mark_transfer(transfer, user)
    context = {"form": form, "page": page}
    return render_list(request, "members/transfers.html", "members/_transfer_table.html", context)


def _render_transfer(request, transfer, *, accept_form=None, reject_form=None):
    context = {
        "transfer": _mark_transfer(transfer, request.user),
        "accept_form": accept_form or AcceptTransferForm(),
        "reject_form": reject_form or RejectTransferForm(),
    }
    return render(request, "members/transfer_detail.html", context)


@login_required
@require_GET
def transfer_detail(request, transfer_id: int):
    return _render_transfer(request, selectors.transfer_for(request.user, transfer_id))


def _decide(request, transfer_id: int, form_class, decide, done: str):
    """Accept or reject a transfer: the receiving side's two answers share one shape."""
    user = request.user
    transfer = selectors.transfer_for(user, transfer_id)
    roles.require_writer(user)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            decide(actor=user, transfer=transfer, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, done % {"name": transfer.member.name})
            return redirect("members:transfer_detail", transfer_id=transfer.pk)
    forms = {form_class.context_name: form}
    return _render_transfer(request, transfer, **forms)


@login_required
@require_POST
def transfer_accept(request, transfer_id: int):
    return _decide(
        request,
        transfer_id,
        AcceptTransferForm,
        services.accept_transfer,
        _("已接收“%(name)s”转入"),
    )


@login_required
@require_POST
def transfer_reject(request, transfer_id: int):
    return _decide(
        request,
        transfer_id,
        RejectTransferForm,
        services.reject_transfer,
        _("已退回“%(name)s”的转会申请"),
    )


# ---- organising coverage -------------------------------------------------------------------


def _coverage_choices(request) -> tuple[CoverageForm, Org, dt.date, dt.date]:
    form = CoverageForm(request.GET)
    org_id, as_of, start = form.choices()
    user = request.user
    org = org_selectors.org_for(user, org_id) if org_id else org_selectors.tree_root_for(user)
    return form, org, as_of, start


def indicator_name(code: str, chinese: str) -> str:
    """An indicator's heading in the page's language (the registry holds the English)."""
    if get_language().startswith("en") and registry.exists(code):
        return registry.get(code).name_en
    return str(chinese)


def _cells(row) -> list[str]:
    return [
        rate_text(row.figures[code]) if code in coverage_figures.RATES else num(row.figures[code])
        for code, _heading in coverage_figures.FIGURES
    ]


@login_required
@require_GET
def coverage(request):
    user = request.user
    form, org, as_of, start = _coverage_choices(request)
    rows = coverage_figures.coverage_table(user, org=org, as_of=as_of, period=(start, as_of))
    if not form.errors:
        form = CoverageForm(initial={"org": org.pk, "as_of": as_of, "period_start": start})
    ancestors = org_selectors.orgs_for(user).filter(pk__in=org.ancestors().values("pk"))
    context = {
        "form": form,
        "org": org,
        "as_of": as_of,
        "period_start": start,
        "quick_dates": COVERAGE_QUICK_DATES,
        "ancestors": ancestors.order_by("path"),
        "headings": [indicator_name(code, heading) for code, heading in coverage_figures.FIGURES],
        "rows": [{"row": row, "cells": _cells(row)} for row in rows],
    }
    return render(request, "members/coverage.html", context)


def coverage_workbook(org: Org, as_of: dt.date, start: dt.date, rows) -> bytes:
    """The coverage table as .xlsx: numbers as numbers, rates as numbers shown as percentages."""
    headers = ["组织", "类型", *[str(heading) for _code, heading in coverage_figures.FIGURES]]
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "组织覆盖"
    append_row(
        sheet,
        [
            f"{org.name} 组织覆盖情况（截至 {as_of.isoformat()}；"
            f"期间 {start.isoformat()} 至 {as_of.isoformat()}）"
        ],
    )
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append_row(sheet, headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for index, row in enumerate(rows):
        values = [row.name, row.kind_display]
        for code, _heading in coverage_figures.FIGURES:
            value = row.figures[code]
            values.append("—" if value is None else value)
        append_row(sheet, values)
        for column, (code, _heading) in enumerate(coverage_figures.FIGURES, start=3):
            cell = sheet.cell(row=sheet.max_row, column=column)
            if code in coverage_figures.RATES and row.figures[code] is not None:
                cell.number_format = RATE_FORMAT
            elif code not in coverage_figures.RATES:
                cell.number_format = "#,##0"
            if index == 0:
                cell.font = Font(bold=True)
        if index == 0:
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 16
    for column in range(3, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 13
    sheet.freeze_panes = "C3"
    return save_workbook(workbook)


@login_required
@require_GET
def coverage_export(request):
    user = request.user
    _form, org, as_of, start = _coverage_choices(request)
    rows = coverage_figures.coverage_table(user, org=org, as_of=as_of, period=(start, as_of))
    data = coverage_workbook(org, as_of, start, rows)
    return FileResponse(
        BytesIO(data),
        as_attachment=True,
        filename=f"组织覆盖_{org.name}_{as_of.isoformat()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# -- a union dissolved or merged: its members and units move (the roll's business) --------


@login_required
@require_http_methods(["GET", "POST"])
def union_dissolve(request, org_id: int):
    user = request.user
    union = org_selectors.org_for(user, org_id)
    roles.require_writer(user)
    return form_page(
        request,
        DissolveForm(request.POST or None),
        services.dissolve_union,
        page="orgs/event_form.html",
        context={
            "org": union,
            "title": _("撤销工会"),
            "warning": _(
                "撤销前须为全部会员办理转会或退会；所覆盖的单位自撤销日起不再有工会覆盖。"
            ),
        },
        done=_("已撤销“%(name)s”") % {"name": union.name},
        to=("orgs:history", union.pk),
        actor=user,
        union=union,
    )


@login_required
@require_http_methods(["GET", "POST"])
def union_merge(request, org_id: int):
    user = request.user
    union = org_selectors.org_for(user, org_id)
    roles.require_writer(user)
    return form_page(
        request,
        MergeForm(request.POST or None, actor=user, union=union),
        services.merge_unions,
        page="orgs/event_form.html",
        context={
            "org": union,
            "title": _("合并到其他工会"),
            "warning": _("合并日起，本工会的会员与覆盖的单位全部转入所选工会，本工会随之撤销。"),
        },
        done=_("已合并“%(name)s”") % {"name": union.name},
        to=("orgs:history", union.pk),
        actor=user,
        absorbed=union,
    )
