"""The 工作台: where every account lands after logging in. Thin: the selectors read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from unionworks.core.importing.pipeline import TASK_PREFIX, importer_for
from unionworks.core.scoping import root_org_of
from unionworks.core.views import paginate
from unionworks.stats.forms import resolve_period
from unionworks.workbench import selectors


@login_required
@require_GET
def home(request):
    user = request.user
    # The period chosen last on a statistics page, else where statistics open.
    period, _errors = resolve_period({}, actor=user, session=request.session)
    context = {
        "org": root_org_of(user),
        "period": period,
        "todos": selectors.todos_for(user),
        "projects": selectors.key_figures_for(user, period=period),
        "recent": selectors.recent_activity_for(user),
    }
    return render(request, "workbench/home.html", context)


@login_required
@require_GET
def my_imports(request):
    """The account's imports, as the 待办 links open them (failed / finished lately)."""
    outcome = request.GET.get("outcome", "")
    if outcome not in selectors.IMPORT_OUTCOMES:
        outcome = ""
    recent = request.GET.get("recent") == "1"
    tasks = selectors.imports_of(
        request.user, outcome=outcome, since=selectors.recent_since() if recent else None
    )
    page = paginate(request, tasks)
    for task in page.object_list:
        importer = importer_for(task.kind.removeprefix(TASK_PREFIX))
        task.title = importer.title if importer else task.kind
    context = {
        "page": page,
        "outcome": outcome,
        "recent": recent,
        "days": selectors.IMPORTS_RECENT_DAYS,
    }
    return render(request, "workbench/imports.html", context)
