"""Uploading a roll (会员花名册导入) and exporting one, both as background tasks."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from unionworks.core import roles, tasks
from unionworks.core.selectors import task_for, tasks_for
from unionworks.core.uploads import store_upload
from unionworks.members import exports, importers
from unionworks.members.services import can_view_personal_data
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.forms import OrgChoiceField, setup_org_field

ACCEPTED = (".xlsx", ".csv")
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class RollUploadForm(forms.Form):
    org = OrgChoiceField(
        label=_("导入到"), help_text=_("基层工会，或其上级组织（按工作单位的覆盖工会入会）")
    )
    file = forms.FileField(
        label=_("花名册文件"), help_text=_(".xlsx 或 .csv；列的顺序不限，按表头识别")
    )
    save_good_rows = forms.BooleanField(
        label=_("只保存无误的行"),
        required=False,
        help_text=_("默认：只要有一行有误，整个文件都不保存"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "org", actor, shortlist=org_selectors.orgs_for(actor))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError(_("只接受 .xlsx 或 .csv 文件"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过200MB，请分成几个文件上传"))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def roll_import(request):
    form = RollUploadForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST":
        roles.require_writer(request.user)
        if form.is_valid():
            task = tasks.enqueue(
                importers.TASK_KIND,
                actor=request.user,
                org=form.cleaned_data["org"],
                params={"save_good_rows": form.cleaned_data["save_good_rows"]},
                input_path=store_upload(form.cleaned_data["file"], stem="roll"),
            )
            return redirect("members:import_status", task_id=task.pk)
    recent = tasks_for(request.user, kind=importers.TASK_KIND)[:20]
    return render(
        request,
        "members/import.html",
        {"form": form, "recent": recent, "can_write": roles.can_write(request.user)},
    )


@login_required
def roll_import_status(request, task_id: int):
    task = task_for(request.user, task_id)
    return render(request, "members/import_status.html", {"task": task})


@login_required
def roll_template(request):
    """The 会员花名册 template: Chinese headers, required ones marked, one example row."""
    path = Path(tempfile.mkdtemp()) / "会员花名册模板.xlsx"
    importers.write_roll_template(path)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


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
            "q": request.POST.get("q", ""),
            "status": request.POST.get("status", ""),
            "org": org.pk,
            "full": full,
        }
        task = tasks.enqueue(exports.TASK_KIND, actor=request.user, org=org, params=params)
        return redirect("members:export_status", task_id=task.pk)
    recent = tasks_for(request.user, kind=exports.TASK_KIND)[:20]
    context = {
        "recent": recent,
        "can_full": can_view_personal_data(request.user),
        "q": request.GET.get("q", ""),
        "status": request.GET.get("status", ""),
        "org": request.GET.get("org", ""),
    }
    return render(request, "members/export.html", context)


@login_required
def roll_export_status(request, task_id: int):
    task = task_for(request.user, task_id)
    return render(request, "members/import_status.html", {"task": task, "export": True})
