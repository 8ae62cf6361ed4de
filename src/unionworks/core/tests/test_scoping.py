import pytest
from django.http import Http404

from unionworks.core.scoping import get_in_subtree_or_404, path_upper_bound, scope_to_subtree
from unionworks.orgs.models import Org, Unit


def test_path_upper_bound_is_the_next_prefix():
    assert path_upper_bound("0000000100000002") == "0000000100000003"
    assert path_upper_bound("00000009") == "00000010"


def test_subtree_is_the_org_and_its_descendants(world):
    taiyuan = world["taiyuan"]
    names = set(
        scope_to_subtree(Org.objects.all(), taiyuan, via=None).values_list("name", flat=True)
    )
    assert names == {"太原市总工会", "小店区总工会", "坞城街道工会", "太原重型机械有限公司工会"}


def test_record_outside_the_subtree_is_not_found(world):
    units = Unit.objects.all()
    assert get_in_subtree_or_404(units, world["taiyuan_admin"], pk=world["taiyuan_unit"].pk)
    with pytest.raises(Http404):
        get_in_subtree_or_404(units, world["datong_editor"], pk=world["taiyuan_unit"].pk)


def test_inactive_user_sees_nothing(world):
    user = world["taiyuan_admin"]
    user.is_active = False
    with pytest.raises(Http404):
        scope_to_subtree(Unit.objects.all(), user)


def test_at_the_root_of_the_only_tree_every_record_naming_an_org_is_in_scope(world):
    units = Unit.objects.all()
    province_admin = world["province_admin"]
    scoped = scope_to_subtree(units, province_admin, via=("org", "union"))
    assert set(scoped) == set(units)
    assert "orgs_org" not in str(scoped.query)  # no join to find out
    # A second tree: the province is no longer everything, and the paths decide again.
    other = Org.objects.create(name="另一个省", kind=Org.Kind.PROVINCE, path="x")
    other.path = f"{other.pk:08d}"
    other.save()
    outside = Unit.objects.create(
        name="外省单位", credit_code="91110000MA0000000X"[:18], org=other, employees=1
    )
    assert outside not in set(scope_to_subtree(units, province_admin))
