"""The world of the achievement page and API tests: one record of each kind in Taiyuan."""

import datetime as dt

import pytest

from unionworks.achievement import services
from unionworks.achievement.tests.factories import competition, new_id_number, proposal


@pytest.fixture
def records(world):
    record = proposal(world)
    contest = competition(world, org=world["taiyuan"], name="太原市技能竞赛")
    [entry] = services.register_units(
        actor=None,
        competition=contest,
        org=world["grassroots"],
        entries=[(world["taiyuan_unit"], 5)],
    )
    worker = services.open_model_worker_file(
        actor=None, org=world["taiyuan"], name="申纪兰", id_number=new_id_number(),
        job_status="working", monthly_income="1800",
    )  # fmt: skip
    round_ = services.create_round(
        actor=None, org=world["taiyuan"], kind="model_worker", level="city", year=2008,
        name="太原市劳模评选", quota=5, deadline=dt.date(2099, 1, 1),
    )  # fmt: skip
    library = services.open_library(
        actor=None, org=world["grassroots"], name="书屋", level="grassroots", books=10, area="20",
        opened_on=dt.date(2007, 1, 1),
    )  # fmt: skip
    return {**world, "proposal": record, "contest": contest, "entry": entry, "worker": worker,
            "round": round_, "library": library}  # fmt: skip
