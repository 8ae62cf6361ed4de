"""A small cadres world on top of the ``world`` fixture, built through the real services."""

import datetime as dt
import random

from unionworks.accounts.models import User
from unionworks.cadres import services
from unionworks.cadres.models import Candidate, Election, Post
from unionworks.core.idnumber import make_id_number
from unionworks.core.tests.factories import UserFactory

_rng = random.Random(2852)


def new_id_number() -> str:
    return make_id_number(
        _rng, birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=_rng.randrange(9000))
    )


def accounts(world) -> dict:
    return {
        "grassroots_editor": UserFactory(
            username="grassroots_editor", org=world["grassroots"], role=User.Role.EDITOR
        ),
        "county_reviewer": UserFactory(
            username="xiaodian_reviewer", org=world["xiaodian"], role=User.Role.REVIEWER
        ),
    }


def cadre(org, *, name="张建华", id_number=None, actor=None, **extra):
    return services.add_cadre(
        actor=actor, org=org, id_number=id_number or new_id_number(), name=name, **extra
    )


def post(org, *, kind=Post.Kind.CHAIR, how=Post.How.ELECTED, start=dt.date(2006, 5, 1),
         person=None, **extra):  # fmt: skip
    return services.start_post(
        actor=None, cadre=person or cadre(org), org=org, kind=kind, how=how, start=start, **extra
    )


def election(org, *, seats=5, candidates=6, direct_chair=True, members_count=50,
             requested_on=dt.date(2008, 3, 1), **extra):  # fmt: skip
    method = services.method_for(members_count)
    record = services.request_election(
        actor=None, org=org, requested_on=requested_on, planned_on=requested_on + dt.timedelta(30),
        method=method, seats=seats, delegates=seats * 5 if method == "congress" else 0,
        members_count=members_count, direct_chair=direct_chair, **extra,
    )  # fmt: skip
    for i in range(candidates):
        services.add_candidate(
            actor=None, election=record, id_number=new_id_number(), name=f"候选人{i + 1}",
            seat=Candidate.Seat.CHAIR if i == 0 and direct_chair else Candidate.Seat.MEMBER,
        )  # fmt: skip
    return record


def held(record: Election, *, on=dt.date(2008, 4, 10), votes=None):
    services.approve_candidates(actor=None, election=record, on=record.requested_on)
    voters = record.members_count if record.method == "assembly" else record.delegates
    ids = list(record.candidates.order_by("id").values_list("id", flat=True))
    votes = votes or {pk: voters - i for i, pk in enumerate(ids)}
    services.record_result(actor=None, election=record, held_on=on, voters=voters, votes=votes)
    return services.approve_result(actor=None, election=record, on=on)
