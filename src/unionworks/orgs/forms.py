"""Forms of the organisation and unit pages, and the organisation pickers every app's forms
use (``OrgChoiceField``, ``setup_org_field``, ``near_levels``). They check input shapes
only: every business rule lives in ``orgs.services``, whose DomainError ``core.views``
puts next to the field it names; so a form's cleaned data are its service's arguments."""

from __future__ import annotations

from django import forms
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from unionworks.core import changes
from unionworks.core.creditcode import validate_credit_code
from unionworks.core.forms import DomainErrorFormMixin, date_field
from unionworks.core.numbers import form_bounds
from unionworks.core.scoping import SEGMENT
from unionworks.core.widgets import QuickSelect
from unionworks.orgs import selectors
from unionworks.orgs.models import Org, Unit
from unionworks.orgs.services import UNIT_FIELDS

# An org picker never lists more than this many options; the search box finds the rest.
PICKER_LIMIT = 200
LOOKUP_LIMIT = 50

# What an org picker offers: every org, the registering levels, or grassroots unions.
PICKER_KINDS = ("any", "registering", "grassroots")


def picker_queryset(actor, kind: str) -> QuerySet[Org]:
    """The actor's subtree narrowed to what a picker of ``kind`` may choose."""
    orgs = selectors.orgs_for(actor)
    if kind == "grassroots":
        return orgs.filter(kind=Org.Kind.GRASSROOTS)
    if kind == "registering":
        return orgs.exclude(kind=Org.Kind.GRASSROOTS)
    return orgs


def near_levels(actor, levels: int = 2) -> QuerySet[Org]:
    """The actor's own org and the registering levels just below it: a picker's short list."""
    root = selectors.tree_root_for(actor)
    return (
        selectors.orgs_for(actor)
        .exclude(kind=Org.Kind.GRASSROOTS)
        .alias(path_length=Length("path"))
        .filter(path_length__lte=len(root.path) + levels * SEGMENT)
    )


def org_label(org: Org, root_depth: int = 1) -> str:
    """A picker option: indented by depth below the actor's own org, with its kind."""
    indent = "\u3000" * max(org.depth - root_depth, 0)
    return f"{indent}{org.name}（{org.get_kind_display()}）"


class OrgChoiceField(forms.Field):
    """An organisation chosen by id and looked up in the actor's subtree.

    The options shown are a short list (``PICKER_LIMIT``) plus the current choice; any org
    of the subtree is accepted, so the htmx search box can offer orgs the list leaves out.
    """

    widget = QuickSelect  # a province admin's short list is some 130 options

    def __init__(self, *, kind: str = "any", **kwargs):
        super().__init__(**kwargs)
        self.kind = kind
        self.queryset: QuerySet[Org] = Org.objects.none()

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Org):
            return value
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("请选择有效的组织"), code="invalid") from None
        org = self.queryset.filter(pk=pk).first()
        if org is None:
            raise ValidationError(
                _("所选组织不存在，或不在本组织及下级组织范围内"), code="invalid_choice"
            )
        return org

    def prepare_value(self, value):
        return value.pk if isinstance(value, Org) else value


def shallow_levels(shortlist: QuerySet[Org], limit: int, *, partial: bool = True) -> list[Org]:
    """The top levels of ``shortlist`` that fit in ``limit`` options, whole levels only
    (a county admin sees all their townships; a province admin sees cities and counties
    and searches for the rest), in tree order. When even the first level does not fit,
    its first ``limit`` orgs, or none at all if ``partial`` is false."""
    found = list(
        shortlist.annotate(path_len=Length("path")).order_by("path_len", "path")[: limit + 1]
    )
    if len(found) > limit:
        cut = found[limit].path_len
        kept = [o for o in found if o.path_len < cut]
        found = kept or (found[:limit] if partial else [])
    return sorted(found, key=lambda o: o.path)


_SHORTLISTS: dict[tuple, list[Org]] = {}


def kept_shallow_levels(shortlist: QuerySet[Org], limit: int, *, partial: bool = True):
    """``shallow_levels``, kept by the process until an org or unit changes anywhere (the
    change notes' ``orgs`` generation): every roll page draws its org picker from it."""
    if connection.in_atomic_block:  # may see uncommitted orgs: keep nothing
        return shallow_levels(shortlist, limit, partial=partial)
    try:
        key = (changes.generation("orgs"), str(shortlist.query), limit, partial)
    except EmptyResultSet:
        return []
    found = _SHORTLISTS.get(key)
    if found is None:
        found = shallow_levels(shortlist, limit, partial=partial)
        if len(_SHORTLISTS) > 256:  # entries of older generations are never asked again
            _SHORTLISTS.clear()
        _SHORTLISTS[key] = found
    return list(found)


def setup_org_field(
    form: forms.Form, name: str, actor, *, shortlist: QuerySet[Org], partial: bool = True
) -> None:
    """Give picker ``name`` its scoped queryset, and as options a short list plus the current
    choice (``PICKER_LIMIT`` at most: a province has 54,000 orgs)."""
    field: OrgChoiceField = form.fields[name]
    field.queryset = picker_queryset(actor, field.kind)
    options = kept_shallow_levels(
        shortlist.filter(pk__in=field.queryset.values("pk")), PICKER_LIMIT, partial=partial
    )
    current = form[name].value()
    if current not in (None, "") and all(str(o.pk) != str(current) for o in options):
        try:
            extra = field.queryset.filter(pk=int(current)).first()
        except (TypeError, ValueError):
            extra = None
        if extra is not None:
            options.insert(0, extra)
    root_depth = selectors.tree_root_for(actor).depth
    field.widget.choices = [("", _("—— 请选择 ——"))] + [
        (o.pk, org_label(o, root_depth)) for o in options
    ]


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或信用代码"), required=False, max_length=100)
    ownership = forms.ChoiceField(
        label=_("经济类型"),
        required=False,
        choices=[("", _("全部经济类型"))] + list(Unit.Ownership.choices),
    )
    industry = forms.ChoiceField(
        label=_("所属行业"),
        required=False,
        choices=[("", _("全部行业"))] + list(Unit.Industry.choices),
    )
    region = forms.RegexField(
        label=_("行政区划代码"), required=False, regex=r"^\d{1,6}$", max_length=6
    )
    org = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def filters(self) -> dict:
        """The valid filters only: a mistyped value is dropped rather than failing the page."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "ownership": data.get("ownership") or "",
            "industry": data.get("industry") or "",
            "region_code": data.get("region") or "",
            "org_id": data.get("org"),
        }


class UnitForm(DomainErrorFormMixin, forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        help_text=_("18位，末位为校验位"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # Start at 请选择: a preselected first value is saved unnoticed.
    ownership = forms.ChoiceField(
        label=_("经济类型"), choices=[("", _("—— 请选择 ——")), *Unit.Ownership.choices]
    )
    industry = forms.ChoiceField(
        label=_("所属行业"), choices=[("", _("—— 请选择 ——")), *Unit.Industry.choices]
    )
    region_code = forms.RegexField(
        label=_("行政区划代码"),
        required=False,
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("行政区划代码应为6位数字")},
    )
    org = OrgChoiceField(label=_("所属组织"), kind="registering")
    union = OrgChoiceField(
        label=_("覆盖的基层工会"),
        kind="grassroots",
        required=False,
        help_text=_("未建会的单位留空"),
    )
    covered_since = date_field(
        label=_("建会(覆盖)日期"),
        required=False,
        help_text=_("改换覆盖工会时填写新覆盖的起始日期（不改则为今天），此前的覆盖记录保留"),
    )
    established_on = date_field(
        label=_("单位成立日期"),
        required=False,
        help_text=_("不填则取建会日期或登记当天：此前各期的统计不受影响"),
    )
    closed_on = date_field(
        label=_("注销日期"),
        required=False,
        help_text=_("单位注销后覆盖同时终止"),
    )
    employees = forms.IntegerField(label=_("职工人数"), initial=0, **form_bounds(Unit, "employees"))
    migrant_workers = forms.IntegerField(
        label=_("其中农民工"), initial=0, **form_bounds(Unit, "migrant_workers")
    )
    women_workers = forms.IntegerField(
        label=_("其中女职工"), initial=0, **form_bounds(Unit, "women_workers")
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        root = selectors.tree_root_for(actor)
        setup_org_field(
            self,
            "org",
            actor,
            shortlist=selectors.orgs_for(actor).exclude(kind=Org.Kind.GRASSROOTS),
        )
        # Covering unions: those under the unit's registering org (or the actor's own org).
        # With no org chosen yet, a large subtree offers none: choosing the org or
        # searching fills the list.
        chosen = self._chosen_org()
        under = chosen or root
        setup_org_field(self, "union", actor, shortlist=under.subtree(), partial=bool(chosen))

    def clean_credit_code(self):
        """Checked here too (the service checks it again), so a wrong check character is
        reported in the same round as every other field, not after they are put right."""
        try:
            return validate_credit_code(self.cleaned_data.get("credit_code"))
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from None

    def _chosen_org(self) -> Org | None:
        try:
            return self.fields["org"].to_python(self["org"].value())
        except ValidationError:
            return None

    @classmethod
    def initial_for(cls, unit: Unit) -> dict:
        return {name: getattr(unit, name) for name in UNIT_FIELDS}


def _blank_first(choices) -> list:
    return [("", _("请选择")), *choices]


class FoundUnionForm(DomainErrorFormMixin, forms.Form):
    """组建工会: the units offered are those registered under the chosen parent, uncovered."""

    name = forms.CharField(label=_("工会名称"), max_length=100)
    parent = OrgChoiceField(label=_("上级组织"), kind="registering")
    form = forms.ChoiceField(label=_("组织形式"), choices=_blank_first(Org.Form.choices))
    founded_on = date_field(label=_("成立日期"))
    chair = forms.CharField(label=_("首任工会主席"), max_length=50, required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("覆盖的单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("独立基层工会选一个单位，联合基层工会选两个及以上；工会联合会不选"),
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "parent", actor, shortlist=near_levels(actor))
        try:
            parent = self.fields["parent"].to_python(self["parent"].value())
        except ValidationError:
            parent = None
        units = selectors.units_for(actor).filter(union__isnull=True, closed_on__isnull=True)
        if parent is not None:
            units = units.filter(org__in=parent.subtree())
        else:
            units = units.none()
        self.fields["units"].queryset = Unit.objects.filter(
            pk__in=list(units.order_by("name").values_list("pk", flat=True)[:PICKER_LIMIT])
        ).order_by("name")


class MoveOrgForm(DomainErrorFormMixin, forms.Form):
    new_parent = OrgChoiceField(label=_("新的上级组织"), kind="registering")
    on = date_field(label=_("调整日期"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "new_parent", actor, shortlist=near_levels(actor))


class CoverageForm(DomainErrorFormMixin, forms.Form):
    union = OrgChoiceField(
        label=_("自该日起覆盖的基层工会"),
        kind="grassroots",
        required=False,
        help_text=_("留空表示自该日起不再有工会覆盖"),
    )
    on = date_field(label=_("变更日期"))

    def __init__(self, *args, actor, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        setup_org_field(self, "union", actor, shortlist=unit.org.subtree())
