"""Exporting a roll as a background task (its upload is the shared import page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from unionworks.core import tasks
from unionworks.core.idsearch import page_id_search, task_search
from unionworks.core.selectors import task_for, tasks_for
from unionworks.members import exports
from unionworks.members.services import can_view_personal_data
from unionworks.orgs import selectors as org_selectors


@login_required
def roll_import(request):
    """The roll's upload is the shared import page (old links and bookmarks land there)."""
    return redirect("imports:upload", kind="roll")


@login_required
@require_http_methods(["GET", "POST"])
def roll_export(request):
    """Start an export of the roll as filtered on the roll page; masked unless asked and allowed."""
    if request.method == "POST":
        full = request.POST.get("full") == "1"
        if full and not can_view_personal_data(request.user):
            messages.error(request, _("您没有导出完整身份证号和手机号的权限"))
            return redirect("members:export")
        org_id = request.POST.get("org", "")
        if org_id and not org_id.isdigit():
            raise Http404
        org = org_selectors.org_for(request.user, int(org_id)) if org_id else request.user.org
        params = {
            # A full ID number is stored as its mask and blind index, never in clear.
            **task_search(request.POST.get("q", ""), request.POST.get("idx", "")),
            "status": request.POST.get("status", ""),
            "org": org.pk,
            "full": full,
        }
        task = tasks.enqueue(exports.TASK_KIND, actor=request.user, org=org, params=params)
        return redirect("members:export_status", task_id=task.pk)
    search = page_id_search(request)
    if search.clean_url:
        return redirect(search.clean_url)
    org_id = request.GET.get("org", "")
    if org_id:
        # The roll's filter must name an org in the subtree (else 404, as the POST does).
        if not org_id.isdigit():
            raise Http404
        org_selectors.org_for(request.user, int(org_id))
    recent = tasks_for(request.user, kind=exports.TASK_KIND)[:20]
    context = {
        "recent": recent,
        "can_full": can_view_personal_data(request.user),
        **task_search(request.GET.get("q", ""), request.GET.get("idx", "")),
        "status": request.GET.get("status", ""),
        "org": request.GET.get("org", ""),
    }
    return render(request, "members/export.html", context)


@login_required
def roll_export_status(request, task_id: int):
    task = task_for(request.user, task_id)
    return render(request, "members/import_status.html", {"task": task, "export": True})
