"""One set of pages for every import kind: upload (with 预检), progress and result, and
the blank template. An app adds nothing here: its ``Importer`` declares the rest."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from unionworks.core import roles
from unionworks.core.importing.pipeline import (
    TASK_PREFIX,
    Importer,
    importer_for,
    start_import,
    task_kind_of,
)
from unionworks.core.scoping import root_org_of
from unionworks.core.selectors import task_for, tasks_for
from unionworks.core.uploads import store_upload

ACCEPTED = (".xlsx", ".csv")
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class UploadForm(forms.Form):
    """The file and the two choices every import offers; the kind adds its own fields."""

    file = forms.FileField(label=_("文件"), help_text=_(".xlsx 或 .csv；列的顺序不限，按表头识别"))
    save_good_rows = forms.BooleanField(
        label=_("只保存无误的行"),
        required=False,
        help_text=_("默认：只要有一行有误，整个文件都不保存"),
    )
    dry_run = forms.BooleanField(
        label=_("只预检，不保存"),
        required=False,
        help_text=_("做全部检查并给出同样的结果和出错行，但不保存任何数据"),
    )

    def __init__(self, *args, importer: type[Importer], actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.importer = importer
        self.param_names = []
        for name, field in importer.param_fields(actor).items():
            self.fields[name] = field
            self.param_names.append(name)
        # The kind's own fields first, as a clerk fills the form top to bottom.
        self.order_fields([*self.param_names, "file", "save_good_rows", "dry_run"])
        importer.prepare_form(self, actor)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError(_("只接受 .xlsx 或 .csv 文件"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过200MB，请分成几个文件上传"))
        return upload

    def params(self) -> dict:
        """The kind's choices as stored with the task (records by their ids)."""
        return {
            name: (value.pk if isinstance(value, models.Model) else value)
            for name in self.param_names
            if name != "org"
            for value in [self.cleaned_data.get(name)]
        }

    def start(self, actor):
        """Store the file and queue its import; the task is returned."""
        data = self.cleaned_data
        return start_import(
            self.importer.kind,
            actor=actor,
            org=data.get("org") or root_org_of(actor),
            path=store_upload(data["file"], stem=self.importer.kind),
            params=self.params(),
            save_good_rows=data["save_good_rows"],
            dry_run=data["dry_run"],
        )


def importer_or_404(kind: str) -> type[Importer]:
    importer = importer_for(kind)
    if importer is None:
        raise Http404
    return importer


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, kind: str):
    importer = importer_or_404(kind)
    user = request.user
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        importer=importer,
        actor=user,
        initial={k: v for k, v in request.GET.items() if k != "file"},
    )
    if request.method == "POST":
        roles.require_writer(user)
        if form.is_valid():
            task = form.start(user)
            return redirect("imports:status", task_id=task.pk)
    context = {
        "importer": importer,
        "form": form,
        "recent": tasks_for(user, kind=task_kind_of(kind))[:20],
        "can_write": roles.can_write(user),
        "template_query": request.GET.urlencode(),
    }
    return render(request, "imports/upload.html", context)


@login_required
@require_GET
def status(request, task_id: int):
    task = task_for(request.user, task_id)
    if not task.kind.startswith(TASK_PREFIX):
        raise Http404
    importer = importer_or_404(task.kind.removeprefix(TASK_PREFIX))
    return render(request, "imports/status.html", {"task": task, "importer": importer})


@login_required
@require_GET
def template(request, kind: str):
    """The blank form of ``kind``: Chinese headers, required ones marked, one example row."""
    importer = importer_or_404(kind)
    params = {}
    form = UploadForm(request.GET, importer=importer, actor=request.user)
    for name in form.param_names:
        field = form.fields[name]
        try:
            params[name] = field.clean(field.to_python(request.GET.get(name)))
        except forms.ValidationError:
            params[name] = None
    path = Path(tempfile.mkdtemp()) / f"{importer.title}模板.xlsx"
    importer.template(path, actor=request.user, **params)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
