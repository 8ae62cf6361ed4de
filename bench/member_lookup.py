"""Look-up of one member by ID number at province scale: p99 over many random look-ups.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/uw_province uv run python bench/member_lookup.py

Each look-up is what the search box does with a full ID number: normalise and check
it, compute the blind index, and fetch the member scoped to the province admin's
subtree, with the union and unit. The ID numbers are taken from the roll itself
(unsealed first, outside the timing).
"""

import argparse
import random

from _setup import django_setup, summary, timed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--user", default="admin")
    args = parser.parse_args()
    django_setup()
    from django.db import connection

    from unionworks.accounts.models import User
    from unionworks.core.identity import ID_FIELD
    from unionworks.core.personal_data import unseal
    from unionworks.members.models import Member
    from unionworks.members.selectors import members_for

    user = User.objects.select_related("org").get(username=args.user)
    total = Member.objects.order_by().values("id").last()["id"]
    rng = random.Random(7)
    sample_ids = [rng.randint(1, total) for _ in range(args.lookups)]
    numbers = [
        unseal(c, field=ID_FIELD)
        for c in Member.objects.filter(pk__in=sample_ids).values_list("id_number_cipher", flat=True)
    ]
    samples = []
    for number in numbers:
        seconds, found = timed(lambda n=number: list(members_for(user, q=n)[:2]))
        assert len(found) == 1, number
        samples.append(seconds)
    print(f"database: {connection.vendor}; members: {Member.objects.count()}")
    print(f"look-up by ID number: {summary(samples)}")


if __name__ == "__main__":
    main()
