import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD, id_index_of
from unionworks.core.models import AuditEntry
from unionworks.core.personal_data import unseal
from unionworks.core.tests.factories import OrgFactory, UnitFactory
from unionworks.members import selectors, services
from unionworks.members.models import Member, MembershipSpell
from unionworks.members.tests.factories import join, new_id_number
from unionworks.orgs import services as org_services
from unionworks.orgs.models import Org


@pytest.fixture
def unions(world):
    second = OrgFactory(name="太原钢铁集团工会", kind=Org.Kind.GRASSROOTS, parent=world["township"])
    datong_union = OrgFactory(
        name="大同煤矿工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"]
    )
    return {"a": world["grassroots"], "b": second, "datong": datong_union}


def test_join_derives_birth_date_and_sex_and_seals_personal_data(world, unions):
    number = new_id_number(birth_date=dt.date(1969, 3, 23), sex="F")
    member = join(
        unions["a"],
        actor=world["taiyuan_admin"],
        id_number=number,
        phone="13812345678",
        name="郑丽娟",
    )
    assert member.birth_date == dt.date(1969, 3, 23)
    assert member.sex == "F"
    assert member.name_initials == "zlj"
    assert number not in member.id_number_mask and member.id_number_mask.startswith(number[:4])
    assert bytes(member.id_number_cipher).find(number.encode()) == -1
    assert unseal(member.id_number_cipher, field=ID_FIELD) == number
    assert member.phone_mask == "138****5678"
    assert (
        AuditEntry.objects.filter(
            model="members.member", object_id=str(member.pk), action="create"
        ).count()
        == 1
    )


def test_the_database_never_holds_id_or_phone_in_clear(world, unions):
    from django.db import connection

    number = new_id_number()
    join(unions["a"], id_number=number, phone="13912345678")
    with connection.cursor() as cursor:
        cursor.execute("select * from members_member")
        row_text = repr(cursor.fetchall())
    assert number not in row_text
    assert "13912345678" not in row_text


def test_a_person_in_one_union_cannot_join_another(world, unions):
    number = new_id_number()
    join(unions["a"], id_number=number)
    with pytest.raises(DomainError, match="转会"):
        join(unions["datong"], id_number=number)


def test_bad_id_number_is_refused_with_reason(world, unions):
    with pytest.raises(DomainError, match="校验") as exc:
        join(unions["a"], id_number="140502198704020551")
    assert exc.value.field == "id_number"


def test_ten_digit_phone_is_refused(world, unions):
    with pytest.raises(DomainError, match="手机"):
        join(unions["a"], phone="1381234567")


def test_transfer_is_accepted_by_the_receiving_union_and_never_overlaps(world, unions):
    member = join(unions["a"], on=dt.date(2007, 5, 1))
    transfer = services.request_transfer(
        actor=world["taiyuan_admin"], member=member, to_org=unions["datong"], on=dt.date(2008, 6, 1)
    )
    member.refresh_from_db()
    assert member.org == unions["a"], "still in the sending union until accepted"
    with pytest.raises(PermissionDenied):
        services.accept_transfer(actor=world["taiyuan_viewer"], transfer=transfer)
    with pytest.raises(DomainError, match="转入工会"):
        services.accept_transfer(
            actor=world["taiyuan_admin"], transfer=transfer, on=dt.date(2008, 6, 10)
        )
    services.accept_transfer(
        actor=world["datong_editor"], transfer=transfer, on=dt.date(2008, 6, 10)
    )
    member.refresh_from_db()
    assert member.org == unions["datong"]
    spells = list(member.spells.order_by("start"))
    assert [(s.org_id, s.start, s.end) for s in spells] == [
        (unions["a"].pk, dt.date(2007, 5, 1), dt.date(2008, 6, 10)),
        (unions["datong"].pk, dt.date(2008, 6, 10), None),
    ]


def test_viewer_cannot_write(world, unions):
    with pytest.raises(PermissionDenied):
        join(unions["a"], actor=world["taiyuan_viewer"])


def test_leaving_and_rejoining(world, unions):
    number = new_id_number()
    member = join(unions["a"], id_number=number, on=dt.date(2006, 1, 1))
    services.record_leaving(actor=None, member=member, on=dt.date(2007, 1, 1))
    member.refresh_from_db()
    assert member.status == Member.Status.LEFT
    again = join(unions["b"], id_number=number, on=dt.date(2008, 1, 1))
    assert again.pk == member.pk and again.status == Member.Status.ACTIVE
    assert member.spells.count() == 2


def test_death_is_final(world, unions):
    number = new_id_number()
    member = join(unions["a"], id_number=number)
    services.record_leaving(actor=None, member=member, on=dt.date(2008, 5, 1), death=True)
    with pytest.raises(DomainError, match="去世"):
        join(unions["a"], id_number=number)


def test_search_by_name_initials_masked_id_full_id_and_card(world, unions):
    number = new_id_number()
    member = join(unions["a"], id_number=number, name="王建国", card_number="88001234")
    join(unions["datong"], name="王建军")
    user = world["taiyuan_admin"]
    for q in [
        "王建国",
        "王",
        "wjg",
        "WJ",
        number,
        f"{number[:4]}**********{number[-4:]}",
        "88001234",
    ]:
        assert list(selectors.members_for(user, q=q)) == [member], q


def test_outsider_cannot_find_or_open_a_member(world, unions):
    from django.http import Http404

    member = join(unions["a"])
    outsider = world["datong_editor"]
    assert not selectors.members_for(outsider).filter(pk=member.pk).exists()
    with pytest.raises(Http404):
        selectors.member_for(outsider, member.pk)


def test_revealing_personal_data_needs_the_permission_and_is_logged(world, unions):
    from django.contrib.auth.models import Permission

    number = new_id_number()
    member = join(unions["a"], id_number=number, phone="13612345678")
    admin = world["taiyuan_admin"]
    with pytest.raises(DomainError, match="权限"):
        services.reveal_personal_data(actor=admin, member=member)
    admin.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    admin = type(admin).objects.get(pk=admin.pk)
    assert services.reveal_personal_data(actor=admin, member=member) == {
        "id_number": number,
        "phone": "13612345678",
    }
    assert AuditEntry.objects.filter(action="view", object_id=str(member.pk)).count() == 1


# A person is never in two unions at once, whatever the sequence of acts.
ACTS = st.lists(
    st.tuples(
        st.sampled_from(
            ["join", "transfer", "accept", "reject", "leave", "found", "merge", "dissolve"]
        ),
        st.integers(0, 2),
        st.integers(0, 2),
        st.integers(1, 20),
    ),
    max_size=12,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(acts=ACTS)
def test_no_sequence_of_acts_puts_a_person_in_two_unions(world, unions, acts):
    """Joining, transfers and leaving, and unions founded, merged and dissolved: a person
    is never in two unions at once nor in a union on a day it did not exist."""
    with transaction.atomic():
        _play(world, unions, acts)
        transaction.set_rollback(True)  # the next example starts from the same world


def _play(world, unions, acts):
    targets = [unions["a"], unions["b"], unions["datong"]]
    numbers = [new_id_number() for _ in range(3)]
    day = dt.date(2005, 1, 1)
    MembershipSpell.objects.all().delete()
    Member.objects.all().delete()
    for act, who, where, gap in acts:
        day += dt.timedelta(days=gap)
        member = Member.objects.filter(id_number_index=id_index_of(numbers[who])).first()
        targets = [Org.objects.get(pk=t.pk) for t in targets]  # dates as the services left them
        try:
            if act == "join":
                join(targets[where], id_number=numbers[who], on=day)
            elif act == "found":
                targets.append(
                    org_services.found_union(
                        actor=None, name=f"新工会{len(targets)}", parent=world["township"],
                        form=Org.Form.JOINT, founded_on=day,
                        units=[UnitFactory(org=world["township"]), UnitFactory(org=world["township"])],
                    )
                )  # fmt: skip
            elif act == "merge":
                services.merge_unions(
                    actor=None, absorbed=targets[who], into=targets[where], on=day
                )
            elif act == "dissolve":
                services.dissolve_union(actor=None, union=targets[where], on=day)
            elif member is None:
                continue
            elif act == "transfer":
                services.request_transfer(actor=None, member=member, to_org=targets[where], on=day)
            elif act in ("accept", "reject"):
                pending = member.transfers.filter(status="pending").first()
                if pending is None:
                    continue
                if act == "accept":
                    services.accept_transfer(actor=None, transfer=pending, on=day)
                else:
                    services.reject_transfer(actor=None, transfer=pending, reason="不符合")
            elif act == "leave":
                services.record_leaving(actor=None, member=member, on=day)
        except DomainError:
            pass
        dates = {o.pk: (o.founded_on, o.dissolved_on) for o in Org.objects.all()}
        for m in Member.objects.all():
            spells = list(m.spells.order_by("start", "id"))
            assert sum(1 for s in spells if s.end is None) <= 1
            for earlier, later in zip(spells, spells[1:], strict=False):
                assert earlier.end is not None and earlier.end <= later.start
            for spell in spells:
                founded, dissolved = dates[spell.org_id]
                assert founded is None or spell.start >= founded
                assert dissolved is None or (spell.end is not None and spell.end <= dissolved)
            current = [s for s in spells if s.end is None]
            if m.status == Member.Status.ACTIVE:
                assert len(current) == 1 and current[0].org_id == m.org_id
            else:
                assert not current
