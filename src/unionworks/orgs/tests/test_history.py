"""夯基 with a history: every past figure reproducible after any later change, and the
dates every record keeps checked against the history of the tree."""

import datetime as dt
from decimal import Decimal

import pytest

from unionworks.assistance.tests.factories import campaign as make_campaign
from unionworks.core.errors import DomainError
from unionworks.core.periods import date_range, parse_period
from unionworks.core.tests.factories import UnitFactory
from unionworks.members import services as members
from unionworks.members.models import Member, MembershipSpell
from unionworks.members.tests.factories import join
from unionworks.orgs import services
from unionworks.orgs.models import CoverageSpell, Org, OrgEvent
from unionworks.stats import lens
from unionworks.stats.values import evaluate

FOUNDATION = next(p for p in lens.PROJECTS if p.code == "foundation").kept()
PERIODS = [parse_period("2007"), date_range(dt.date(2008, 1, 1), dt.date(2008, 9, 30))]
LATER = dt.date(2009, 3, 1)


def frozen(w) -> dict:
    """Every 夯基 figure of every node of the province, for both periods."""
    result = {}
    for period in PERIODS:
        nodes = evaluate(w["province"], period, FOUNDATION)
        for org_id in nodes:
            result[(period.code, org_id)] = dict(nodes[org_id].figures)
    return result


def _merge(w):
    members.merge_unions(
        actor=w["taiyuan_admin"], absorbed=w["steel"], into=w["grassroots"], on=LATER
    )


def _move_township(w):
    services.move_org(
        actor=w["taiyuan_admin"], org=w["liuxiang"], new_parent=w["xiaodian"], on=LATER
    )


def _move_union(w):
    services.move_org(actor=w["taiyuan_admin"], org=w["steel"], new_parent=w["township"], on=LATER)


def _move_across_cities(w):
    services.move_org(actor=w["province_admin"], org=w["mine"], new_parent=w["liuxiang"], on=LATER)


def _coverage_change(w):
    services.set_unit_coverage(
        actor=w["taiyuan_admin"], unit=w["steelworks"], union=w["grassroots"], on=LATER
    )


def _uncovered(w):
    services.set_unit_coverage(actor=w["taiyuan_admin"], unit=w["late"], union=None, on=LATER)


def _patched_union(w):
    # What the issue found: PATCH a unit with a new union.
    services.update_unit(actor=w["taiyuan_admin"], unit=w["taiyuan_unit"], union=w["steel"])


def _registered_today(w):
    services.create_unit(
        actor=w["taiyuan_admin"], name="今天登记的单位", credit_code=UnitFactory.build().credit_code,
        org=w["township"], ownership="private", industry="C", employees=80, union=w["grassroots"],
    )  # fmt: skip


def _closed(w):
    services.update_unit(actor=w["taiyuan_admin"], unit=w["steelworks"], closed_on=LATER)


def _dissolved(w):
    for member in Member.objects.filter(org=w["mine"]):
        members.record_leaving(actor=None, member=member, on=dt.date(2009, 2, 1))
    members.dissolve_union(actor=w["province_admin"], union=w["mine"], on=LATER)


def _founded_today(w):
    services.found_union(
        actor=w["taiyuan_admin"], name="柳巷小店工会", parent=w["liuxiang"], form=Org.Form.SINGLE,
        founded_on=dt.date.today(), chair="王芳", units=[w["shop"]],
    )  # fmt: skip


CHANGES = {
    "merge": _merge,
    "move a township": _move_township,
    "move a union": _move_union,
    "move a union to another city": _move_across_cities,
    "coverage moves to another union": _coverage_change,
    "a unit is uncovered": _uncovered,
    "PATCH a unit's union": _patched_union,
    "a unit registered today": _registered_today,
    "a unit closed": _closed,
    "a union dissolved": _dissolved,
    "a union founded today": _founded_today,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_past_figures_come_back_identical_after_a_later_change_at_every_level(history, change):
    before = frozen(history)
    assert before[("2007", history["province"].pk)]["members"] == 5
    assert before[("2007", history["province"].pk)]["units_covered"] == 3
    CHANGES[change](history)
    after = frozen(history)
    assert set(before) <= set(after)
    for key, figures in before.items():
        assert after[key] == figures, (change, key)


def test_a_move_counts_the_union_under_its_new_parent_from_the_move_date_only(history):
    _move_township(history)
    w = history
    at = {
        "2008-09-30": date_range(dt.date(2008, 1, 1), dt.date(2008, 9, 30)),
        "2009-06-30": date_range(dt.date(2009, 1, 1), dt.date(2009, 6, 30)),
    }
    old = evaluate(w["taiyuan"], at["2008-09-30"], ["members", "units"])
    new = evaluate(w["taiyuan"], at["2009-06-30"], ["members", "units"])
    assert old[w["xiaodian"].pk].figures["members"] == 3
    assert old[w["yingze"].pk].figures["members"] == 2
    assert new[w["xiaodian"].pk].figures["members"] == 5
    assert new[w["yingze"].pk].figures["members"] == 0
    assert [c.name for c in old.children(w["yingze"].pk)] == ["柳巷街道工会"]
    assert new.children(w["yingze"].pk) == []
    # A county asking its own past: the township it had then, though it has gone since.
    assert (
        evaluate(w["yingze"], at["2008-09-30"], ["members"])[w["yingze"].pk].figures["members"] == 2
    )


# -- founding, dissolving, merging -----------------------------------------------------------


def test_founding_a_joint_union_covers_its_units_from_the_founding_date(history):
    w = history
    other = UnitFactory(name="柳巷餐馆", org=w["liuxiang"], established_on=dt.date(2003, 1, 1))
    union = services.found_union(
        actor=w["taiyuan_admin"], name="柳巷联合基层工会", parent=w["liuxiang"],
        form=Org.Form.JOINT, founded_on=dt.date(2008, 7, 1), chair="李明",
        units=[w["shop"], other],
    )  # fmt: skip
    assert union.kind == Org.Kind.GRASSROOTS and union.form == Org.Form.JOINT
    assert union.path.startswith(w["liuxiang"].path) and union.chair == "李明"
    assert set(CoverageSpell.objects.filter(union=union).values_list("start", flat=True)) == {
        dt.date(2008, 7, 1)
    }
    assert OrgEvent.objects.get(org=union).kind == OrgEvent.Kind.FOUNDED
    june = evaluate(
        w["yingze"],
        date_range(dt.date(2008, 1, 1), dt.date(2008, 6, 30)),
        ["units_covered", "unions_founded"],
    )  # noqa: E501
    july = evaluate(
        w["yingze"],
        date_range(dt.date(2008, 1, 1), dt.date(2008, 7, 1)),
        ["units_covered", "unions_founded"],
    )  # noqa: E501
    assert june[w["yingze"].pk].figures["units_covered"] == 1
    assert july[w["yingze"].pk].figures["units_covered"] == 3
    assert july[w["yingze"].pk].figures["unions_founded"] == 1


@pytest.mark.parametrize(
    "form, units, message",
    [
        (Org.Form.SINGLE, 2, "独立基层工会覆盖一个单位"),
        (Org.Form.JOINT, 1, "联合基层工会须覆盖两个及以上单位"),
        (Org.Form.REGIONAL, 1, "工会联合会不直接覆盖单位"),
    ],
)
def test_a_union_form_takes_its_units(history, form, units, message):
    extra = UnitFactory(
        name="另一单位", org=history["liuxiang"], established_on=dt.date(2003, 1, 1)
    )
    with pytest.raises(DomainError, match=message):
        services.found_union(
            actor=history["taiyuan_admin"], name="新工会", parent=history["liuxiang"], form=form,
            founded_on=dt.date(2008, 7, 1), units=[history["shop"], extra][:units],
        )  # fmt: skip


def test_a_covered_unit_or_one_founded_later_cannot_found_a_union(history):
    w = history
    with pytest.raises(DomainError, match="已由太原钢铁工会覆盖"):
        services.found_union(
            actor=w["taiyuan_admin"], name="新工会", parent=w["liuxiang"], form=Org.Form.SINGLE,
            founded_on=dt.date(2008, 7, 1), units=[w["steelworks"]],
        )  # fmt: skip
    with pytest.raises(
        DomainError, match="柳巷小店成立于2004年1月1日，成立日期（2003年1月1日）不能早于成立日期"
    ):
        services.found_union(
            actor=w["taiyuan_admin"], name="新工会", parent=w["liuxiang"], form=Org.Form.SINGLE,
            founded_on=dt.date(2003, 1, 1), units=[w["shop"]],
        )  # fmt: skip
    with pytest.raises(DomainError, match="只能在本组织及下级组织中组建工会"):
        services.found_union(
            actor=w["datong_editor"], name="新工会", parent=w["liuxiang"], form=Org.Form.SINGLE,
            founded_on=dt.date(2008, 7, 1), units=[w["shop"]],
        )  # fmt: skip


def test_a_union_with_members_is_not_dissolved_until_they_are_transferred(history):
    w = history
    with pytest.raises(DomainError, match="尚有2名会员"):
        members.dissolve_union(actor=w["taiyuan_admin"], union=w["steel"], on=LATER)
    for member in Member.objects.filter(org=w["steel"]):
        transfer = members.request_transfer(
            actor=None, member=member, to_org=w["grassroots"], on=dt.date(2009, 2, 1)
        )
        members.accept_transfer(actor=None, transfer=transfer, on=dt.date(2009, 2, 1))
    members.dissolve_union(actor=w["taiyuan_admin"], union=w["steel"], on=LATER)
    w["steel"].refresh_from_db()
    assert w["steel"].dissolved_on == LATER
    spell = CoverageSpell.objects.get(unit=w["steelworks"])
    assert (spell.end, spell.end_reason) == (LATER, CoverageSpell.EndReason.DISSOLVED)
    w["steelworks"].refresh_from_db()
    assert w["steelworks"].union is None
    assert list(w["steel"].events.values_list("kind", flat=True)) == ["dissolved"]


def test_a_merge_moves_members_and_units_on_the_merge_date(history):
    w = history
    _merge(w)
    for member in Member.objects.filter(spells__org=w["steel"]).distinct():
        spells = list(member.spells.order_by("start", "id"))
        assert [(s.org_id, s.end, s.end_reason) for s in spells] == [
            (w["steel"].pk, LATER, "merged"),
            (w["grassroots"].pk, None, ""),
        ]
        assert spells[1].start == LATER and spells[1].start_reason == "merged_in"
        assert member.org_id == w["grassroots"].pk
    w["steelworks"].refresh_from_db()
    assert w["steelworks"].union == w["grassroots"]
    assert list(w["steelworks"].coverage_spells.values_list("union_id", "start", "end")) == [
        (w["steel"].pk, dt.date(2005, 1, 1), LATER),
        (w["grassroots"].pk, LATER, None),
    ]
    w["steel"].refresh_from_db()
    assert w["steel"].dissolved_on == LATER
    assert w["steel"].events.get().kind == "merged_into"
    assert w["grassroots"].events.get().other == w["steel"]


def test_a_moved_subtree_keeps_its_paths_consistent(history):
    w = history
    _move_township(history)
    for org in Org.objects.all():
        if org.parent_id:
            assert org.path == org.parent.path + str(org.pk).zfill(8)
    with pytest.raises(DomainError, match="不能把组织调整到其自身或下级组织之下"):
        services.move_org(
            actor=w["taiyuan_admin"], org=w["xiaodian"], new_parent=w["liuxiang"], on=LATER
        )
    with pytest.raises(DomainError, match="调整日期不能早于上次调整"):
        services.move_org(
            actor=w["taiyuan_admin"], org=w["liuxiang"], new_parent=w["yingze"],
            on=dt.date(2009, 1, 1),
        )  # fmt: skip


# -- dates checked against the history ---------------------------------------------------------


def test_nobody_joins_a_union_before_its_founding_or_after_its_dissolution(history):
    w = history
    with pytest.raises(
        DomainError, match=r"入会日期（2005年12月1日）早于大同煤矿工会的成立日期（2006年1月1日）"
    ):
        join(w["mine"], on=dt.date(2005, 12, 1))
    for member in Member.objects.filter(org=w["mine"]):
        members.record_leaving(actor=None, member=member, on=dt.date(2009, 2, 1))
    members.dissolve_union(actor=w["province_admin"], union=w["mine"], on=LATER)
    w["mine"].refresh_from_db()
    with pytest.raises(
        DomainError,
        match="大同煤矿工会已于2009年3月1日撤销，入会日期（2009年4月1日）不能在撤销之后",
    ):
        join(w["mine"], on=dt.date(2009, 4, 1))
    member = Member.objects.filter(org=w["grassroots"]).first()
    with pytest.raises(DomainError, match="已于2009年3月1日撤销"):
        members.request_transfer(
            actor=None, member=member, to_org=w["mine"], on=dt.date(2009, 4, 1)
        )
    assert not MembershipSpell.objects.filter(org=w["mine"], end__isnull=True).exists()


def test_a_unit_is_not_covered_before_it_exists_nor_by_a_union_before_its_founding(history):
    w = history
    with pytest.raises(
        DomainError, match="柳巷小店成立于2004年1月1日，覆盖日期（2003年6月1日）不能早于成立日期"
    ):
        services.set_unit_coverage(
            actor=w["taiyuan_admin"], unit=w["shop"], union=w["steel"], on=dt.date(2003, 6, 1)
        )
    with pytest.raises(DomainError, match="覆盖日期（2005年6月1日）早于大同煤矿工会的成立日期"):
        services.set_unit_coverage(
            actor=w["province_admin"], unit=w["shop"], union=w["mine"], on=dt.date(2005, 6, 1)
        )
    with pytest.raises(DomainError, match="注销日期须晚于单位成立日期"):
        services.update_unit(
            actor=w["taiyuan_admin"], unit=w["shop"], closed_on=dt.date(2003, 1, 1)
        )
    assert not w["shop"].coverage_spells.exists()


def test_a_raising_falls_inside_its_campaigns_dates_unless_widened_on_purpose(world):
    from unionworks.assistance import services as assistance

    summer = make_campaign(world, kind="summer")
    summer.refresh_from_db()
    outside = summer.end_date + dt.timedelta(days=10)
    with pytest.raises(DomainError, match="不在活动.*的起止日期") as refused:
        assistance.record_raising(
            actor=world["taiyuan_admin"], campaign=summer, org=world["taiyuan"], source="own",
            received_on=outside, cash=Decimal("100.00"),
        )  # fmt: skip
    assert refused.value.field == "received_on"
    assistance.record_raising(
        actor=world["taiyuan_admin"], campaign=summer, org=world["taiyuan"], source="own",
        received_on=outside, cash=Decimal("100.00"), widen_campaign=True,
    )  # fmt: skip
    summer.refresh_from_db()
    assert summer.end_date == outside
