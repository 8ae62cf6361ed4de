"""换届选举: the term, the 80-member rule, the 差额 rule, the higher union's approvals, the
result and the new committee taking office; overdue elections."""

import datetime as dt

import pytest

from unionworks.cadres import selectors, services
from unionworks.cadres.models import Election, Post
from unionworks.cadres.tests.factories import accounts, election, held, new_id_number, post
from unionworks.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _request(org, **extra):
    data = {"requested_on": dt.date(2008, 3, 1), "planned_on": dt.date(2008, 4, 1), "seats": 7}
    data.update(extra)
    return services.request_election(actor=None, org=org, **data)


@pytest.mark.parametrize(
    ("members", "method", "refused"),
    [
        (79, "assembly", False),
        (79, "congress", "不足80人，应召开会员大会"),
        (80, "assembly", "达到80人以上，应召开会员代表大会"),
        (80, "congress", False),
    ],
)
def test_the_80_member_rule(world, members, method, refused):
    delegates = 40 if method == "congress" else 0
    if refused:
        with pytest.raises(DomainError) as error:
            _request(world["grassroots"], members_count=members, method=method, delegates=delegates)
        assert error.value.field == "method" and refused in error.value.message
    else:
        record = _request(world["grassroots"], members_count=members, method=method,
                          delegates=delegates)  # fmt: skip
        assert record.method == method


def test_the_member_count_comes_from_the_roll_when_not_given(world):
    record = _request(world["grassroots"], method="assembly")
    assert record.members_count == 0


def test_a_three_year_term_only_for_grassroots_unions(world):
    with pytest.raises(DomainError) as error:
        _request(world["xiaodian"], method="assembly", term_years=3, members_count=10)
    assert error.value.field == "term_years"
    assert _request(world["grassroots"], method="assembly", term_years=3,
                    members_count=10).term_years == 3  # fmt: skip


@pytest.mark.parametrize(("seats", "needed"), [(5, 6), (7, 8), (20, 21), (21, 23), (40, 42)])
def test_the_difference_rule(seats, needed):
    assert services.minimum_candidates(seats) == needed
    services.check_difference(seats, needed)
    with pytest.raises(DomainError) as error:
        services.check_difference(seats, needed - 1)
    assert error.value.field == "candidates" and "差额" in error.value.message


def test_an_equal_list_is_not_approved(world):
    record = election(world["grassroots"], seats=5, candidates=5)
    with pytest.raises(DomainError) as error:
        services.approve_candidates(actor=None, election=record, on=dt.date(2008, 3, 5))
    assert "候选人须不少于6名" in error.value.message
    record.refresh_from_db()
    assert record.status == Election.Status.REQUESTED


def test_only_a_higher_union_approves(world):
    people = accounts(world)
    record = election(world["grassroots"])
    with pytest.raises(DomainError) as error:
        services.approve_candidates(actor=people["grassroots_editor"], election=record,
                                    on=dt.date(2008, 3, 5))  # fmt: skip
    assert "上级工会" in error.value.message
    services.approve_candidates(actor=people["county_reviewer"], election=record,
                                on=dt.date(2008, 3, 5))  # fmt: skip


def test_no_result_before_the_list_is_approved(world):
    record = election(world["grassroots"])
    with pytest.raises(DomainError) as error:
        services.record_result(actor=None, election=record, held_on=dt.date(2008, 4, 1),
                               voters=50, votes={})  # fmt: skip
    assert "批复" in error.value.message


def test_the_new_committee_takes_office_on_the_election_day_and_the_old_one_ends(world):
    union = world["grassroots"]
    old_chair = post(union, start=dt.date(2003, 4, 1))
    old_member = post(union, kind=Post.Kind.MEMBER, start=dt.date(2003, 4, 1))
    staff = post(union, kind=Post.Kind.STAFF, how=Post.How.SOCIAL, start=dt.date(2005, 1, 1))
    record = election(union, seats=5, candidates=6, direct_chair=True)
    # The last candidate gets too few votes (not more than half of the 50 voters).
    ids = list(record.candidates.order_by("id").values_list("id", flat=True))
    votes = {pk: 48 - i for i, pk in enumerate(ids)}
    votes[ids[-1]] = 20
    held(record, on=dt.date(2008, 4, 10), votes=votes)
    record.refresh_from_db()
    assert record.status == Election.Status.APPROVED
    assert record.next_due_on == dt.date(2013, 4, 10)
    for old in (old_chair, old_member):
        old.refresh_from_db()
        assert old.end == dt.date(2008, 4, 10) and old.end_reason == Post.EndReason.ELECTION
    staff.refresh_from_db()
    assert staff.end is None  # staff are not elected
    committee = selectors.committee_of(world["taiyuan_admin"], union)
    kinds = [p.kind for p in committee]
    assert kinds.count("chair") == 1 and kinds.count("member") == 4 and "staff" in kinds
    chair = committee[0]
    assert chair.how == Post.How.DIRECT and chair.start == dt.date(2008, 4, 10)
    assert chair.election_id == record.pk
    assert not record.candidates.get(pk=ids[-1]).elected


def test_a_quorum_of_two_thirds(world):
    record = election(world["grassroots"], members_count=60)
    services.approve_candidates(actor=None, election=record, on=dt.date(2008, 3, 2))
    with pytest.raises(DomainError) as error:
        services.record_result(actor=None, election=record, held_on=dt.date(2008, 4, 1),
                               voters=39, votes={})  # fmt: skip
    assert error.value.field == "voters" and "三分之二" in error.value.message


def test_one_election_under_way_per_union(world):
    election(world["grassroots"])
    with pytest.raises(DomainError):
        election(world["grassroots"])


def test_an_election_overdue_after_its_term(world):
    union = world["grassroots"]
    record = election(union, requested_on=dt.date(2002, 3, 1))
    held(record, on=dt.date(2002, 4, 10))
    overdue = Election.objects.filter(selectors.overdue_on(dt.date(2008, 9, 30)))
    assert list(overdue) == [record]
    assert not Election.objects.filter(selectors.overdue_on(dt.date(2007, 4, 10))).exists()
    # The next election held: no longer overdue.
    nxt = election(union, requested_on=dt.date(2008, 3, 1))
    held(nxt, on=dt.date(2008, 4, 10))
    assert list(Election.objects.filter(selectors.overdue_on(dt.date(2008, 9, 30)))) == []
    # As of a day between, the old one was overdue: the figures of the past stay put.
    assert list(Election.objects.filter(selectors.overdue_on(dt.date(2008, 1, 1)))) == [record]


def test_a_candidate_once_per_list(world):
    record = election(world["grassroots"], candidates=0, direct_chair=False)
    number = new_id_number()
    services.add_candidate(actor=None, election=record, id_number=number, name="王一")
    with pytest.raises(DomainError):
        services.add_candidate(actor=None, election=record, id_number=number, name="王一")
