"""The audit trail page, and the page helpers every app's list and form pages share:
``paginate``, ``render_list``, ``submit_form`` and ``form_page``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from unionworks.core import selectors
from unionworks.core.errors import DomainError
from unionworks.core.forms import add_domain_error
from unionworks.core.models import AuditEntry


def paginate(request, queryset, per_page: int | None = None) -> Page:
    """The requested page (a bad or too-large ``page`` gives the nearest real one)."""
    return Paginator(queryset, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))


def render_list(request, template: str, partial: str, context: dict):
    """The whole page, or only the table when htmx asks for it (the filters stay put)."""
    # A history restore (Back after an htmx page change) needs the whole page again.
    wants_partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, partial if wants_partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def submit_form(request, form, service, **arguments):
    """On a POST whose ``form`` is valid, call ``service(**arguments, **form.cleaned_data)``.

    Returns what the service returns, or None when there was nothing to submit or the
    service refused: its DomainError then stands next to the field it names.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(**arguments, **form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


def form_page(
    request,
    form,
    service: Callable,
    *,
    page: str | Callable[[Any], HttpResponse],
    done: str | Callable[[Any], str],
    to: str | Callable[[Any], Any],
    context: dict | None = None,
    **arguments,
) -> HttpResponse:
    """A create or edit page in one call. GET renders ``form``; a valid POST calls
    ``service(**arguments, **form.cleaned_data)``, whose DomainError stands next to the
    field it names; on success, the message ``done`` (or ``done(result)``) and a redirect
    to ``to`` (a URL or URL name, or ``to(result)``: anything ``redirect`` takes).

    ``page`` is the template (rendered with ``form`` and ``context``), or a function of the
    form that renders the page itself."""
    result = submit_form(request, form, service, **arguments)
    if result is None:
        if callable(page):
            return page(form)
        return render(request, page, {"form": form, **(context or {})})
    messages.success(request, done(result) if callable(done) else done)
    target = to(result) if callable(to) else to
    return redirect(*target) if isinstance(target, tuple) else redirect(target)


def audited_apps() -> list:
    """The installed domain apps (every app of the project but core), in INSTALLED_APPS
    order: whichever apps are installed, core needs to know none of them by name."""
    return [
        config
        for config in apps.get_app_configs()
        if config.name.startswith("unionworks.") and config.name != "unionworks.core"
    ]


def audited_model_choices() -> list[tuple[str, str]]:
    """What the audit page's filter offers: every model of the domain apps."""
    return [
        (model._meta.label_lower, str(model._meta.verbose_name))
        for config in audited_apps()
        for model in config.get_models()
    ]


@login_required
def audit_list(request):
    models = audited_model_choices()
    action = request.GET.get("action", "")
    model = request.GET.get("model", "")
    if action not in AuditEntry.Action.values:
        action = ""
    if model not in {value for value, _label in models}:
        model = ""
    entries = selectors.audit_entries_for(request.user, action=action, model=model)
    context = {
        "page": paginate(request, entries),
        "actions": AuditEntry.Action.choices,
        "models": models,
        "action": action,
        "model": model,
    }
    return render_list(request, "core/audit_list.html", "core/_audit_table.html", context)


@login_required
def task_progress(request, task_id: int):
    """A task's progress bar and outcome (htmx polls it every second until it is done)."""
    task = selectors.task_for(request.user, task_id)
    response = render(request, "core/_task_progress.html", {"task": task})
    add_never_cache_headers(response)
    return response


@login_required
def task_download(request, task_id: int):
    """A task's result file, only through the scoped task (never a public media URL)."""
    task = selectors.task_for(request.user, task_id)
    # Result files may hold personal data (an unmasked export, the rows of an upload):
    # only the person who asked for them may download them.
    if task.created_by_id != request.user.pk:
        raise Http404
    return task_file_response(task)


def task_file_response(task) -> FileResponse:
    """A task's result file as a download, never cached; a 404 unless the file is there
    and inside MEDIA_ROOT. The caller has checked that the task is the asker's own."""
    path = Path(task.output_path) if task.output_path else None
    if (
        path is None
        or not path.is_file()
        or not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    ):
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def export_start(request, name: str):
    """Start exporting a list as its page filters it (the list's 导出 button posts here)."""
    from unionworks.core import exports, tasks

    export = exports.export_named(name)
    if export is None:
        raise Http404
    params = {"list": name, "query": exports.query_params(request.POST)}
    # The filters are read now, in the account's scope: another city's org is a 404 here.
    export.records(request.user, export.filters(request.user, exports.Query(params["query"])))
    task = tasks.enqueue(exports.TASK_KIND, actor=request.user, org=request.user.org, params=params)
    return redirect("tasks:export_status", task_id=task.pk)


@login_required
@require_GET
def export_status(request, task_id: int):
    """An export's progress, then its file (only for who asked: ``task_download``)."""
    from unionworks.core import exports

    task = selectors.task_for(request.user, task_id)
    if task.kind != exports.TASK_KIND or task.created_by_id != request.user.pk:
        raise Http404
    export = exports.export_named(task.params.get("list", ""))
    context = {"task": task, "title": export.title if export else ""}
    return render(request, "core/export_status.html", context)
