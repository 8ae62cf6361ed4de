"""The roster: posts as spells, one chair per union at a time, a post ending when its
successor starts, and the ID number sealed, masked and revealed only as a logged act."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction

from unionworks.cadres import selectors, services
from unionworks.cadres.models import Cadre, Post
from unionworks.cadres.tests.factories import cadre, new_id_number, post
from unionworks.core.errors import DomainError
from unionworks.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_new_chair_ends_the_sitting_chairs_post_on_the_day_it_starts(world):
    union = world["grassroots"]
    first = post(union, start=dt.date(2003, 5, 1))
    second = post(union, start=dt.date(2008, 5, 1))
    first.refresh_from_db()
    assert first.end == dt.date(2008, 5, 1) and first.end_reason == Post.EndReason.SUCCEEDED
    assert second.end is None
    # On the hand-over day only the successor is in office; the day before, the predecessor.
    assert [p.pk for p in selectors.committee_of(None or world["taiyuan_admin"], union,
                                                 dt.date(2008, 5, 1))] == [second.pk]  # fmt: skip
    assert [p.pk for p in selectors.committee_of(world["taiyuan_admin"], union,
                                                 dt.date(2008, 4, 30))] == [first.pk]  # fmt: skip


def test_a_successor_cannot_start_before_the_sitting_chair(world):
    union = world["grassroots"]
    post(union, start=dt.date(2006, 5, 1))
    with pytest.raises(DomainError) as refused:
        post(union, start=dt.date(2006, 5, 1))
    assert refused.value.field == "start" and "继任者" in refused.value.message


def test_the_database_allows_one_chair_per_union_at_a_time(world):
    union = world["grassroots"]
    sitting = post(union)
    other = cadre(union, name="李明")
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(cadre=other, org=union, kind="chair", how="elected",
                            start=sitting.start + dt.timedelta(days=1))  # fmt: skip
    # Vice chairs are many.
    post(union, kind=Post.Kind.VICE_CHAIR)
    post(union, kind=Post.Kind.VICE_CHAIR)


def test_a_post_cannot_end_before_it_started(world):
    p = post(world["grassroots"], start=dt.date(2006, 5, 1))
    with pytest.raises(DomainError) as refused:
        services.end_post(actor=None, post=p, end=dt.date(2006, 4, 1))
    assert refused.value.field == "end"


def test_rank_equivalence_is_for_federation_chairs_only(world):
    with pytest.raises(DomainError) as refused:
        post(world["grassroots"], rank_deputy=True)
    assert refused.value.field == "rank_deputy"
    with pytest.raises(DomainError):
        post(world["xiaodian"], kind=Post.Kind.VICE_CHAIR, rank_deputy=True)
    assert post(world["xiaodian"], rank_deputy=True).rank_deputy


def test_one_roster_record_per_person(world):
    number = new_id_number()
    cadre(world["grassroots"], id_number=number)
    with pytest.raises(DomainError) as refused:
        cadre(world["pingcheng"], id_number=number)
    assert refused.value.field == "id_number"


def test_a_bad_id_number_is_refused_by_field(world):
    with pytest.raises(DomainError) as refused:
        cadre(world["grassroots"], id_number="140105198001010012")
    assert refused.value.field == "id_number" and "校验" in refused.value.message


def test_the_id_number_is_sealed_masked_and_revealed_only_as_a_logged_act(world):
    number = new_id_number()
    person = cadre(world["grassroots"], id_number=number)
    stored = Cadre.objects.get(pk=person.pk)
    assert stored.id_number_mask == number[:4] + "*" * 10 + number[-4:]
    assert number.encode() not in bytes(stored.id_number_cipher)
    admin = world["taiyuan_admin"]
    with pytest.raises(DomainError):  # no permission yet
        services.reveal_id_number(actor=admin, cadre=stored)
    admin.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    admin = type(admin).objects.get(pk=admin.pk)
    assert services.reveal_id_number(actor=admin, cadre=stored) == number
    entry = AuditEntry.objects.get(action="view", model="cadres.cadre")
    assert entry.actor == admin and entry.object_id == str(person.pk)
    with pytest.raises(DomainError):  # outside the subtree, even with the permission
        outsider = world["datong_editor"]
        outsider.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
        services.reveal_id_number(actor=type(outsider).objects.get(pk=outsider.pk), cadre=stored)


def test_a_viewer_cannot_add_to_the_roster(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        cadre(world["grassroots"], actor=world["taiyuan_viewer"])


def test_training_hours_per_year(world):
    person = cadre(world["grassroots"])
    for day, hours in (
        (dt.date(2007, 6, 1), 8),
        (dt.date(2008, 3, 1), 16),
        (dt.date(2008, 6, 1), 4),
    ):
        event = services.create_event(actor=None, org=world["taiyuan"], kind="class",
                                      theme="十七大精神专题培训班", start_date=day, hours=hours)  # fmt: skip
        services.add_attendees(actor=None, event=event, cadres=[person])
    years = {
        row["year"]: (row["hours"], row["courses"]) for row in selectors.training_hours(person)
    }
    assert years == {2008: (20, 2), 2007: (8, 1)}
