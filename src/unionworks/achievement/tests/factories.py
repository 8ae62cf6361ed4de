"""A small 建功立业 world on top of the ``world`` fixture, built through the real services."""

import datetime as dt
import random

from unionworks.accounts.models import User
from unionworks.achievement import services
from unionworks.achievement.models import Competition, Level, Proposal
from unionworks.core.idnumber import make_id_number
from unionworks.core.tests.factories import UserFactory

_rng = random.Random(450000)
DAY = dt.date(2008, 3, 3)


def new_id_number() -> str:
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=_rng.randrange(9000))
    return make_id_number(_rng, birth_date=birth)


def accounts(world) -> dict:
    return {
        "editor": UserFactory(
            username="grassroots_editor", org=world["xiaodian"], role=User.Role.EDITOR
        ),
        "reviewer": UserFactory(
            username="taiyuan_reviewer", org=world["taiyuan"], role=User.Role.REVIEWER
        ),
    }


def proposal(world, *, authors=None, actor=None, unit=None, **extra) -> Proposal:
    data = {
        "category": Proposal.Category.PROPOSAL,
        "title": "改进皮带输送机托辊润滑方式",
        "proposed_on": DAY,
        "status_quo": "托辊每月更换",
        "measure": "改为集中润滑",
        "estimated_value": "12000.50",
    }
    data.update(extra)
    return services.create_proposal(
        actor=actor,
        unit=unit or world["taiyuan_unit"],
        authors=authors or [("张建国", new_id_number())],
        **data,
    )


def competition(world, *, org=None, kind=Competition.Kind.SKILLS, **extra) -> Competition:
    data = {
        "name": "全省职工职业技能大赛",
        "level": Level.PROVINCE,
        "start_date": dt.date(2008, 3, 1),
        "end_date": dt.date(2008, 6, 30),
    }
    data.update(extra)
    return services.create_competition(actor=None, org=org or world["province"], kind=kind, **data)


def adopted(world, **extra) -> Proposal:
    """A proposal taken through 初审, 评审 and 采纳 as system acts."""
    record = proposal(world, **extra)
    services.review_in_department(actor=None, proposal=record, passed=True, on=DAY)
    services.score_proposal(
        actor=None, proposal=record, technical=20, value_band="to_100k", economic=15,
        scope=10, practicality=10, on=DAY,
    )  # fmt: skip
    return services.decide_proposal(actor=None, proposal=record, adopt=True, on=DAY)
