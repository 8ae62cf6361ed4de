"""The target page (任务指标): set targets for the levels below, see their completion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unionworks.core import roles
from unionworks.core.errors import DomainError
from unionworks.members.views import indicator_name, rate_text
from unionworks.stats import registry, services
from unionworks.stats.forms import TargetForm, chosen_year, year_choices
from unionworks.stats.targets import completion


def _completion_row(item) -> dict:
    """What the table shows of one target: rates in percent, counts with separators."""
    percent = registry.exists(item.indicator) and registry.get(item.indicator).is_ratio
    if item.actual is None:
        actual = "—"
    elif percent:
        actual = rate_text(item.actual)
    else:
        actual = intcomma(item.actual)
    return {
        "item": item,
        "name": indicator_name(item.indicator, item.indicator_name),
        "percent": percent,
        "actual": actual,
        "rate": rate_text(item.rate),
        "behind": item.rate is None or item.rate < 1,
    }


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    user = request.user
    if request.method == "POST":
        roles.require_writer(user)
    year = chosen_year(request.POST.get("year") or request.GET.get("year"))
    form = TargetForm(request.POST or None, actor=user, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            target = services.set_target(actor=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _("已为“%(org)s”下达%(year)s年任务指标")
                % {"org": target.org.name, "year": target.year},
            )
            return redirect(f"{reverse('stats:targets')}?year={target.year}")
    rows = [_completion_row(item) for item in completion(user, year=year)]
    context = {"form": form, "year": year, "years": year_choices(), "rows": rows}
    return render(request, "stats/targets.html", context)
