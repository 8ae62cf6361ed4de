"""Pages of the organisation tree and the unit register. Thin: a selector or a service each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from unionworks.core import roles
from unionworks.core.errors import DomainError
from unionworks.core.selectors import audit_entries_for
from unionworks.core.views import form_page, paginate, render_list
from unionworks.orgs import selectors, services
from unionworks.orgs.forms import (
    LOOKUP_LIMIT,
    PICKER_KINDS,
    CoverageForm,
    FoundUnionForm,
    MoveOrgForm,
    UnitFilterForm,
    UnitForm,
    org_label,
    picker_queryset,
)
from unionworks.orgs.models import Org, Unit
from unionworks.stats.values import tree_counts

# Units listed on an organisation's page before "see all" takes over.
ORG_PAGE_UNITS = 20
# Latest audit entries shown on a unit's page.
UNIT_HISTORY = 10


def _children(org: Org, counts: dict) -> list[dict]:
    """Each child of ``org`` with its counts, in tree order, for one level of the tree."""
    children = Org.objects.filter(parent=org).order_by("path")
    return [{"org": child, **counts[child.pk]} for child in children]


@login_required
@require_GET
def tree(request):
    root = selectors.tree_root_for(request.user)
    counts = tree_counts(root)
    context = {
        "root": root,
        "root_counts": counts[root.pk],
        "children": _children(root, counts),
    }
    return render(request, "orgs/tree.html", context)


@login_required
@require_GET
def children(request, org_id: int):
    """One level of the tree, loaded by htmx when a node opens; without JS, the org's page."""
    org = selectors.org_for(request.user, org_id)
    if not request.htmx:
        return redirect("orgs:detail", org_id=org.pk)
    return render(
        request,
        "orgs/_tree_children.html",
        {"children": _children(org, tree_counts(org))},
    )


@login_required
@require_GET
def detail(request, org_id: int):
    user = request.user
    org = selectors.org_for(user, org_id)
    breadcrumb = selectors.orgs_for(user).filter(pk__in=org.ancestors().values("pk"))
    units = paginate(request, selectors.units_for(user, org_id=org.pk), ORG_PAGE_UNITS)
    covered = None
    if org.kind == Org.Kind.GRASSROOTS:
        covered = selectors.units_for(user).filter(union=org)[:ORG_PAGE_UNITS]
    context = {
        "org": org,
        "breadcrumb": breadcrumb.order_by("path"),
        "counts": (counts := tree_counts(org))[org.pk],
        "children": _children(org, counts),
        "page": units,
        "covered": covered,
    }
    return render(request, "orgs/detail.html", context)


@login_required
@require_GET
def org_lookup(request):
    """Search-as-you-type for an org picker: ``<option>``s of the subtree matching ``q``
    (and, given ``org``, below that org)."""
    kind = request.GET.get("kind", "any")
    if kind not in PICKER_KINDS:
        kind = "any"
    q = request.GET.get("q", "").strip()
    orgs = picker_queryset(request.user, kind)
    under = request.GET.get("org", "")
    if under.isdigit():
        # The unions under the unit's chosen registering org, when that org changes.
        orgs = orgs.filter(pk__in=selectors.org_for(request.user, int(under)).subtree())
    if q:
        orgs = orgs.filter(name__icontains=q)
    found = list(orgs.order_by("path")[: LOOKUP_LIMIT + 1])
    root_depth = selectors.tree_root_for(request.user).depth
    context = {
        "options": [(o.pk, org_label(o, root_depth)) for o in found[:LOOKUP_LIMIT]],
        "more": len(found) > LOOKUP_LIMIT,
        "limit": LOOKUP_LIMIT,
        "q": q,
    }
    return render(request, "orgs/_org_options.html", context)


@login_required
@require_GET
def unit_list(request):
    form = UnitFilterForm(request.GET)
    filters = form.filters()
    units = selectors.units_for(request.user, **filters)
    org = selectors.org_for(request.user, filters["org_id"]) if filters["org_id"] else None
    context = {
        "form": form,
        "page": paginate(request, units),
        "filter_org": org,
    }
    return render_list(request, "orgs/unit_list.html", "orgs/_unit_table.html", context)


@login_required
@require_GET
def unit_detail(request, unit_id: int):
    unit = selectors.unit_for(request.user, unit_id)
    history = audit_entries_for(request.user, model=Unit._meta.label_lower, object_id=unit.pk)
    spells = unit.coverage_spells.select_related("union").order_by("start")
    return render(
        request,
        "orgs/unit_detail.html",
        {"unit": unit, "history": history[:UNIT_HISTORY], "spells": spells},
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request):
    user = request.user
    roles.require_writer(user)
    initial = {}
    if request.GET.get("org", "").isdigit():
        initial["org"] = request.GET["org"]
    if request.GET.get("name"):
        # From an import that named a unit not yet registered: register it under that name.
        initial["name"] = request.GET["name"][:100]
    return form_page(
        request,
        UnitForm(request.POST or None, actor=user, initial=initial),
        services.create_unit,
        page="orgs/unit_form.html",
        context={"unit": None},
        done=lambda unit: _("已新增单位“%(name)s”") % {"name": unit.name},
        to=lambda unit: ("orgs:unit_detail", unit.pk),
        actor=user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, unit_id: int):
    user = request.user
    unit = selectors.unit_for(user, unit_id)
    roles.require_writer(user)
    return form_page(
        request,
        UnitForm(request.POST or None, actor=user, initial=UnitForm.initial_for(unit)),
        services.update_unit,
        page="orgs/unit_form.html",
        context={"unit": unit},
        done=lambda saved: _("已保存单位“%(name)s”") % {"name": saved.name},
        to=("orgs:unit_detail", unit.pk),
        actor=user,
        unit=unit,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_delete(request, unit_id: int):
    user = request.user
    unit = selectors.unit_for(user, unit_id)
    roles.require_writer(user)
    if request.method == "POST":
        try:
            services.delete_unit(actor=user, unit=unit)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("orgs:unit_detail", unit_id=unit.pk)
        messages.success(request, _("已删除单位“%(name)s”") % {"name": unit.name})
        return redirect("orgs:unit_list")
    return render(request, "orgs/unit_confirm_delete.html", {"unit": unit})


# -- the history: founding, moving, a unit's coverage, the org's events ---------------------


@login_required
@require_http_methods(["GET", "POST"])
def found_union(request):
    user = request.user
    roles.require_writer(user)
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = selectors.org_for(user, int(request.GET["parent"])).pk
    return form_page(
        request,
        FoundUnionForm(request.POST or None, actor=user, initial=initial),
        services.found_union,
        page="orgs/found_form.html",
        done=lambda union: _("已组建“%(name)s”") % {"name": union.name},
        to=lambda union: ("orgs:detail", union.pk),
        actor=user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def move_org(request, org_id: int):
    user = request.user
    org = selectors.org_for(user, org_id)
    roles.require_writer(user)
    return form_page(
        request,
        MoveOrgForm(request.POST or None, actor=user),
        services.move_org,
        page="orgs/event_form.html",
        context={"org": org, "title": _("调整隶属关系")},
        done=_("已调整隶属关系"),
        to=("orgs:history", org.pk),
        actor=user,
        org=org,
    )


@login_required
@require_GET
def history(request, org_id: int):
    """组织沿革: its dated events and, for a grassroots union, the coverage of its units."""
    user = request.user
    org = selectors.org_for(user, org_id)
    events = org.events.select_related("other", "from_parent", "to_parent").order_by("on", "id")
    spells = None
    if org.kind == Org.Kind.GRASSROOTS:
        spells = paginate(
            request, org.coverage_spells.select_related("unit").order_by("start", "id"), 50
        )
    return render(request, "orgs/history.html", {"org": org, "events": events, "page": spells})


@login_required
@require_http_methods(["GET", "POST"])
def unit_coverage(request, unit_id: int):
    user = request.user
    unit = selectors.unit_for(user, unit_id)
    roles.require_writer(user)
    return form_page(
        request,
        CoverageForm(request.POST or None, actor=user, unit=unit),
        services.set_unit_coverage,
        page="orgs/coverage_form.html",
        context={"unit": unit},
        done=_("已变更覆盖，此前的覆盖记录保留"),
        to=("orgs:unit_detail", unit.pk),
        actor=user,
        unit=unit,
    )
