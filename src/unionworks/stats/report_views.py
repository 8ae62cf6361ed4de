"""The annual review pages: choose an org and a period, start, watch the progress, download.

Reviews are background tasks (stats.reports); every page reads them through the org
subtree, so another city's review — its entry, its progress, its files — is a 404.
Any role may start one: a review reads figures and writes a file, never a record.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from unionworks.core.errors import DomainError
from unionworks.core.periods import parse_period
from unionworks.core.views import paginate, render_list, submit_form
from unionworks.orgs.forms import OrgChoiceField, near_levels, setup_org_field
from unionworks.stats import reports
from unionworks.stats.selectors import org_for


def period_choices(today) -> list:
    """The periods a review may cover, by name (2008年, 2008年上半年, 截至2008年9月30日…),
    grouped by year, newest first; nothing after today. The value is the period's code."""
    groups = []
    for y in range(today.year, reports_first_year() - 1, -1):
        options = []
        codes = [str(y), f"{y}H1", f"{y}H2", f"@{y}-09-30", *[f"{y}Q{q}" for q in range(1, 5)]]
        if y == today.year:
            options.append((f"@{today.isoformat()}", f"{y}年截至今天"))
        for code in codes:
            period = parse_period(code)
            # Only periods already over: a review of one still running is "截至今天".
            if period.end < today:
                options.append((code, period.label))
        groups.append((f"{y}年", options))
    return [("", _("请选择")), *groups]


def reports_first_year() -> int:
    from unionworks.stats.forms import FIRST_YEAR

    return FIRST_YEAR


class ReviewForm(forms.Form):
    org = OrgChoiceField(label=_("组织"), kind="any", required=False)
    period = forms.CharField(label=_("期间"), max_length=30, widget=forms.Select)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        setup_org_field(self, "org", actor, shortlist=near_levels(actor))
        self.fields["period"].widget.choices = period_choices(timezone.localdate())
        self.fields["period"].error_messages["required"] = _("请选择期间")

    def clean_org(self):
        return self.cleaned_data.get("org") or org_for(self.actor, None)

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


@login_required
@require_http_methods(["GET", "POST"])
def review_list(request):
    user = request.user
    initial = {"org": user.org_id}
    form = ReviewForm(request.POST or None, actor=user, initial=initial)
    review = submit_form(request, form, reports.start_annual_review, actor=user)
    if review is not None:
        return redirect("reports:detail", review_id=review.pk)
    page = paginate(request, reports.reviews_for(user))
    context = {
        "form": form,
        "page": page,
        "polling": any(not review.finished for review in page),
    }
    return render_list(request, "stats/reports/list.html", "stats/reports/_table.html", context)


@login_required
@require_GET
def review_detail(request, review_id: int):
    """The review's progress; htmx polls the progress box every second until it ends."""
    review = reports.review_for(request.user, review_id)
    template = "stats/reports/_progress.html" if request.htmx else "stats/reports/detail.html"
    response = render(request, template, {"review": review, "formats": list(reports.FORMATS)})
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def review_download(request, review_id: int, fmt: str):
    path, filename = reports.review_file(request.user, review_id, fmt)
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type=reports.FORMATS[fmt]
    )
    add_never_cache_headers(response)
    return response
