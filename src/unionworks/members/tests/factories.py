import datetime as dt
import random

from unionworks.core.idnumber import make_id_number
from unionworks.members import services

_rng = random.Random(6750000)


def new_id_number(**kwargs) -> str:
    return make_id_number(_rng, **kwargs)


def join(org, *, actor=None, on=dt.date(2008, 3, 1), **kwargs):
    """A member joined through the real service (no actor = a system act, as the demo uses)."""
    data = {
        "id_number": new_id_number(birth_date=dt.date(1980, 5, 17)),
        "name": "张三",
        "joined_on": on,
    }
    data.update(kwargs)
    return services.join_member(actor=actor, org=org, **data)
