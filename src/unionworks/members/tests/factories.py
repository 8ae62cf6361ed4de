import datetime as dt
import itertools
import random

from unionworks.core.idnumber import check_char, make_id_number
from unionworks.members import services

_rng = random.Random(6750000)


def new_id_number(**kwargs) -> str:
    return make_id_number(_rng, **kwargs)


_joined = itertools.count()


def distinct_id_number() -> str:
    """A new ID number each call in this process (born from 1980-05-17 on): random ones
    with one birth date collide now and then."""
    n = next(_joined)
    first17 = f"140105{dt.date(1980, 5, 17) + dt.timedelta(days=n // 1000):%Y%m%d}{n % 1000:03d}"
    return first17 + check_char(first17)


def join(org, *, actor=None, on=dt.date(2008, 3, 1), **kwargs):
    """A member joined through the real service (no actor = a system act, as the demo uses)."""
    data = {
        "id_number": distinct_id_number(),
        "name": "张三",
        "joined_on": on,
    }
    data.update(kwargs)
    return services.join_member(actor=actor, org=org, **data)
