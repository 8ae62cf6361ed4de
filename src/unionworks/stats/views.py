"""Pages of the eight-project lens (八大工程): dashboards, the indicator table (指标汇总表)
and its export, the indicator catalogue, and targets (任务指标) by hand or by upload.

Thin: each view reads the request, calls a selector (stats.selectors) or a service
(stats.services / stats.importers), shapes the figures for the page and renders. Every
organisation asked for goes through ``selectors.org_for``: outside the subtree is a 404.
"""

from __future__ import annotations

from io import BytesIO
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from unionworks.core import roles
from unionworks.core.spreadsheets import append_row, new_workbook, save_workbook
from unionworks.core.templatetags.uw import indicator_label, num, rate
from unionworks.core.views import form_page
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.models import Org
from unionworks.stats import registry, selectors, services
from unionworks.stats.forms import (
    PeriodForm,
    TargetForm,
    chosen_year,
    org_id_from,
    period_shortcuts,
    resolve_period,
    year_choices,
)
from unionworks.stats.lens import PROJECTS
from unionworks.stats.targets import completion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RATE_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
MONEY_FORMAT = "#,##0.00"
MEASURES = {"stock": "存量（期末数）", "flow": "流量（期间数）", "ratio": "比率"}


def _kind_label(kind: str) -> str:
    """An org kind's Chinese name, as the exported files write it."""
    return Org.Kind(kind).label if kind in Org.Kind.values else kind


# ---- organisation and period of a page ----------------------------------------------------


def _org_and_period(request):
    """The org asked for (404 outside the subtree; default the user's own) and the period
    (default this year to today), with the reasons a bad period was not used."""
    org = selectors.org_for(request.user, org_id_from(request.GET))
    period, period_errors = resolve_period(request.GET, actor=request.user, session=request.session)
    return org, period, period_errors


def _picker_context(org, period, period_errors, keep=()) -> dict:
    """What the period picker shows; ``keep`` are (name, value) pairs the form carries along."""
    return {
        "picker": PeriodForm.for_period(period),
        "shortcuts": period_shortcuts(period),
        "period_errors": period_errors,
        "keep": [("org", org.pk), *keep],
    }


# ---- dashboards ----------------------------------------------------------------------------


def _chart_value(value, indicator):
    """A figure as the charts plot it: rates in percent, money in 万元, counts as they are."""
    if value is None:
        return None
    if indicator.is_ratio:
        return round(float(value) * 100, 1)
    if indicator.money:
        return round(float(value) / 10_000, 2)
    return value


def _chart_unit(indicator) -> str:
    if indicator.is_ratio:
        return "%"
    return _("万元") if indicator.money else indicator.unit


def _chart_series(indicator, values) -> dict:
    return {
        "code": indicator.code,
        "name": indicator_label(indicator),
        "unit": _chart_unit(indicator),
        "type": "bar" if indicator.measure == registry.FLOW else "line",
        "data": [_chart_value(v, indicator) for v in values],
    }


def _trend_series(indicator, board, period) -> dict:
    """A trend the page counted carries its data; any other carries the address the chart
    asks when the user picks it (``dashboard_trend``)."""
    if indicator.code in board.trend:
        return _chart_series(indicator, board.trend[indicator.code])
    query = urlencode({"org": board.org.pk, "period": period.code, "i": indicator.code})
    url = reverse("stats:dashboard_trend", args=[board.project.code])
    return {**_chart_series(indicator, []), "data": None, "url": f"{url}?{query}"}


def dashboard_charts(board, period) -> dict:
    """The JSON the two charts draw: the month-by-month trend of the org, and the children
    side by side for one indicator at a time (each bar leads to that child's dashboard)."""
    base = reverse("stats:dashboard", args=[board.project.code])
    key = [f.indicator.code for f in board.key_figures]
    counted = [i.code for i in board.indicators if i.code in board.trend]
    return {
        "trend": {
            "title": _("%(org)s 逐月走势") % {"org": board.org.name},
            "labels": board.trend_labels,
            "selected": counted[0] if counted else (key[0] if key else ""),
            "series": [_trend_series(i, board, period) for i in board.indicators],
        },
        "children": {
            "title": _("各下级组织对比"),
            "labels": [c.name for c in board.children],
            "links": [
                f"{base}?{urlencode({'org': c.org_id, 'period': period.code})}"
                for c in board.children
            ],
            "selected": key[0] if key else "",
            "series": [
                {**_chart_series(i, [c.figures.get(i.code) for c in board.children]), "type": "bar"}
                for i in board.indicators
            ],
        },
    }


@login_required
@require_GET
def dashboard_overview(request):
    org, period, period_errors = _org_and_period(request)
    boards = selectors.all_dashboards(request.user, org=org, period=period)
    context = {
        "org": org,
        "period": period,
        "boards": boards,
        "ancestors": selectors.visible_ancestors(request.user, org),
        **_picker_context(org, period, period_errors),
    }
    return render(request, "stats/overview.html", context)


@login_required
@require_GET
def dashboard(request, project_code: str):
    if project_code not in {p.code for p in PROJECTS}:
        raise Http404
    org, period, period_errors = _org_and_period(request)
    kept = next(p for p in PROJECTS if p.code == project_code).kept()
    picked = request.GET.get("trend", "")
    board = selectors.project_dashboard(
        request.user,
        project_code=project_code,
        org=org,
        period=period,
        trend_codes=[picked] if picked in kept else None,
    )
    context = {
        "board": board,
        "org": org,
        "period": period,
        "projects": PROJECTS,
        "charts": dashboard_charts(board, period) if board.has_records else None,
        "table_query": urlencode(
            [("org", org.pk), ("period", period.code)] + [("i", i.code) for i in board.indicators]
        ),
        **_picker_context(org, period, period_errors),
    }
    return render(request, "stats/dashboard.html", context)


@login_required
@require_GET
def dashboard_trend(request, project_code: str):
    """One indicator's month-by-month trend, as the trend chart asks when it is picked."""
    lens = next((p for p in PROJECTS if p.code == project_code), None)
    code = request.GET.get("i", "")
    if lens is None or code not in lens.kept():
        raise Http404
    org, period, _errors = _org_and_period(request)
    indicator = registry.get(code)
    values = selectors.dashboard_trend(org, period, [code])[code]
    return JsonResponse(_chart_series(indicator, values))


# ---- the indicator table (指标汇总表) --------------------------------------------------------


def _chosen_codes(request) -> list[str]:
    codes = [c for c in dict.fromkeys(request.GET.getlist("i")) if registry.exists(c)]
    return codes or next(p for p in PROJECTS if p.code == "foundation").kept()


def _table_choices(request):
    org, period, period_errors = _org_and_period(request)
    codes = _chosen_codes(request)
    sort = request.GET.get("sort", "")
    descending = request.GET.get("desc", "1") != "0"
    table = selectors.indicator_table(
        request.user, org=org, period=period, codes=codes, sort=sort, descending=descending
    )
    return table, period_errors, sort if sort in codes else "", descending


def _indicator_groups(chosen: list[str]) -> list[dict]:
    """The checkboxes: every kept indicator under the projects that show it, then the rest."""
    groups, shown = [], set()
    for project in PROJECTS:
        codes = project.kept()
        shown.update(codes)
        groups.append(
            {
                "project": project,
                "options": [(registry.get(c), c in chosen) for c in codes],
            }
        )
    others = [i for i in registry.all_indicators() if i.code not in shown]
    if others:
        groups.append({"project": None, "options": [(i, i.code in chosen) for i in others]})
    return groups


def _table_pairs(table, *, sort="", descending=True) -> list[tuple[str, object]]:
    """What the table's links carry besides the org: period, indicators, sort order."""
    pairs: list[tuple[str, object]] = [("period", table.period.code)]
    pairs += [("i", i.code) for i in table.indicators]
    if sort:
        pairs += [("sort", sort), ("desc", "1" if descending else "0")]
    return pairs


@login_required
@require_GET
def indicator_table(request):
    table, period_errors, sort, descending = _table_choices(request)
    headings = []
    for indicator in table.indicators:
        # Clicking a column sorts by it, largest first; clicking it again turns the order.
        is_sorted = indicator.code == sort
        order = (not descending) if is_sorted else True
        pairs = _table_pairs(table, sort=indicator.code, descending=order)
        headings.append(
            {
                "indicator": indicator,
                "query": urlencode([("org", table.org.pk), *pairs]),
                "sorted": ("desc" if descending else "asc") if is_sorted else "",
            }
        )
    pairs = _table_pairs(table, sort=sort, descending=descending)
    context = {
        "table": table,
        "org": table.org,
        "period": table.period,
        "headings": headings,
        "sort": sort,
        "descending": descending,
        "groups": _indicator_groups([i.code for i in table.indicators]),
        "ancestors": selectors.visible_ancestors(request.user, table.org),
        "query": urlencode([("org", table.org.pk), *pairs]),
        "drill_suffix": urlencode(pairs),
        **_picker_context(table.org, table.period, period_errors, keep=pairs[1:]),
    }
    return render(request, "stats/indicator_table.html", context)


def _cell_value(value, indicator):
    if value is None:
        return "—"
    if indicator.money or indicator.is_ratio:
        return value
    return int(value) if float(value).is_integer() else float(value)


def indicator_workbook(table, region_codes: dict[int, str]) -> bytes:
    """The indicator table as .xlsx: a title row (org, period), Chinese headers, the org and
    its children as indented rows with their region code and level; numbers as numbers
    (rates as fractions shown as percentages, money in yuan with two decimals)."""
    indicators = table.indicators
    headers = ["行政区划代码", "层级", "组织", "类型"]
    for i in indicators:
        unit = "元" if i.money else ("%" if i.is_ratio else i.unit)
        headers.append(f"{i.name}（{unit}）" if unit else i.name)
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "指标汇总表"
    append_row(sheet, [f"{table.org.name} 指标汇总表（{table.period.label}）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append_row(sheet, headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    depth = table.org.depth
    for level, row in [(0, table.own)] + [(1, r) for r in table.rows]:
        name = f"{row.name}（合计）" if level == 0 else row.name
        values = [region_codes.get(row.org_id, ""), depth + level, name, _kind_label(row.kind)]
        values += [_cell_value(row.figures.get(i.code), i) for i in indicators]
        append_row(sheet, values)
        line = sheet.max_row
        sheet.cell(row=line, column=3).alignment = Alignment(indent=level * 2)
        for column, indicator in enumerate(indicators, start=5):
            cell = sheet.cell(row=line, column=column)
            if indicator.is_ratio:
                cell.number_format = RATE_FORMAT
            elif indicator.money:
                cell.number_format = MONEY_FORMAT
            else:
                cell.number_format = COUNT_FORMAT
            if cell.value == "—":
                cell.alignment = Alignment(horizontal="right")
        if level == 0:
            for cell in sheet[line]:
                cell.font = Font(bold=True)
    widths = [14, 6, 34, 16] + [14] * len(indicators)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "D3"
    return save_workbook(workbook)


@login_required
@require_GET
def indicator_export(request):
    table, _errors, _sort, _descending = _table_choices(request)
    ids = [table.own.org_id, *[r.org_id for r in table.rows]]
    region_codes = dict(
        org_selectors.orgs_for(request.user).filter(pk__in=ids).values_list("pk", "region_code")
    )
    return FileResponse(
        BytesIO(indicator_workbook(table, region_codes)),
        as_attachment=True,
        filename=f"指标汇总表_{table.org.name}_{table.period.code.lstrip('@')}.xlsx",
        content_type=XLSX,
    )


@login_required
@require_GET
def indicator_catalogue(request):
    """Every registered indicator: code, name, unit, measure, meaning, the projects showing it."""
    rows = []
    for indicator in registry.all_indicators():
        description = indicator.description
        if indicator.is_ratio and not description:
            numerator = registry.get(indicator.numerator).name
            description = f"{numerator} ÷ {registry.get(indicator.denominator).name}"
        rows.append(
            {
                "indicator": indicator,
                "unit": _("万元（导出为元）") if indicator.money else indicator.unit,
                "measure": _(MEASURES.get(indicator.measure, indicator.measure)),
                "description": description,
                "projects": [p for p in PROJECTS if indicator.code in p.indicators],
            }
        )
    return render(request, "stats/catalogue.html", {"rows": rows})


# ---- targets (任务指标) -----------------------------------------------------------------------


def _completion_row(item) -> dict:
    """What the table shows of one target: rates in percent, counts with separators."""
    indicator = registry.get(item.indicator) if registry.exists(item.indicator) else None
    percent = bool(indicator and indicator.is_ratio)
    if item.actual is None:
        actual = "—"
    elif percent:
        actual = rate(item.actual)
    else:
        actual = num(item.actual)
    return {
        "item": item,
        "name": indicator_label(indicator) if indicator else item.indicator_name,
        "percent": percent,
        "actual": actual,
        "rate": rate(item.rate),
        "behind": item.rate is None or item.rate < 1,
    }


def _targets_page(request, *, year, form=None):
    user = request.user
    context = {
        "form": form or TargetForm(actor=user, initial={"year": year}),
        "year": year,
        "years": year_choices(),
        "rows": [_completion_row(item) for item in completion(user, year=year)],
    }
    return render(request, "stats/targets.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    user = request.user
    if request.method == "POST":
        roles.require_writer(user)
    year = chosen_year(request.POST.get("year") or request.GET.get("year"))
    return form_page(
        request,
        TargetForm(request.POST or None, actor=user, initial={"year": year}),
        services.set_target,
        page=lambda form: _targets_page(request, year=year, form=form),
        done=lambda target: (
            _("已为“%(org)s”下达%(year)s年任务指标") % {"org": target.org.name, "year": target.year}
        ),
        to=lambda target: f"{reverse('stats:targets')}?year={target.year}",
        actor=user,
    )
