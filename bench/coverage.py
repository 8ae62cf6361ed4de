"""Coverage table for the whole province, as of a date, against one hand-written SQL.

Needs a database holding the province-scale demo (manage.py demo_province --scale
province) on PostgreSQL:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/uw_province uv run python bench/coverage.py

Prints the time of coverage_tree() for every node (cold: first call after
connecting; warm: median of the next runs) and of a single SQL statement computing
the same rolled-up figures (per-org GROUP BYs, then each org's figures added to every
ancestor through its path), checks both agree, and prints the ratio.
"""

import argparse
import datetime as dt

from _setup import django_setup, timed

REFERENCE_SQL = """
WITH leaf AS (
    SELECT s.org_id, count(*) AS members, count(*) FILTER (WHERE s.is_migrant) AS migrant_members
    FROM members_membershipspell s
    WHERE s.start <= %(as_of)s AND (s."end" IS NULL OR s."end" > %(as_of)s)
    GROUP BY s.org_id
), covered AS (
    SELECT union_id AS org_id, count(*) AS units_covered, sum(employees) AS employees_covered
    FROM orgs_unit
    WHERE union_id IS NOT NULL AND (covered_since IS NULL OR covered_since <= %(as_of)s)
      AND (established_on IS NULL OR established_on <= %(as_of)s)
    GROUP BY union_id
), units AS (
    SELECT org_id, count(*) AS units FROM orgs_unit
    WHERE established_on IS NULL OR established_on <= %(as_of)s GROUP BY org_id
), unions AS (
    SELECT id AS org_id, 1 AS grassroots_unions FROM orgs_org
    WHERE kind = 'grassroots' AND (founded_on IS NULL OR founded_on <= %(as_of)s)
      AND (dissolved_on IS NULL OR dissolved_on > %(as_of)s)
), per_org AS (
    SELECT o.id, o.path,
           coalesce(l.members, 0) AS members, coalesce(l.migrant_members, 0) AS migrant_members,
           coalesce(c.units_covered, 0) AS units_covered, coalesce(c.employees_covered, 0) AS employees_covered,
           coalesce(u.units, 0) AS units, coalesce(g.grassroots_unions, 0) AS grassroots_unions
    FROM orgs_org o
    LEFT JOIN leaf l ON l.org_id = o.id LEFT JOIN covered c ON c.org_id = o.id
    LEFT JOIN units u ON u.org_id = o.id LEFT JOIN unions g ON g.org_id = o.id
)
SELECT substr(p.path, 1, 8 * k) AS node_path,
       sum(members), sum(migrant_members), sum(units_covered), sum(employees_covered), sum(units), sum(grassroots_unions)
FROM per_org p CROSS JOIN LATERAL generate_series(1, length(p.path) / 8) AS k
GROUP BY 1
"""

FIGURES = [
    "members",
    "migrant_members",
    "units_covered",
    "employees_covered",
    "units",
    "grassroots_unions",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--as-of", default="2008-09-30")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    django_setup()
    from django.db import connection

    from unionworks.members.coverage import coverage_tree
    from unionworks.orgs.models import Org

    as_of = dt.date.fromisoformat(args.as_of)
    root = Org.objects.get(parent__isnull=True)
    nodes = Org.objects.count()
    cold, tree = timed(coverage_tree, root, as_of=as_of)
    warm_runs = [timed(coverage_tree, root, as_of=as_of)[0] for _ in range(args.runs)]
    ref_runs = []
    for _ in range(args.runs):
        with connection.cursor() as cursor:
            seconds, _ = timed(cursor.execute, REFERENCE_SQL, {"as_of": as_of})
            start_fetch, rows = timed(cursor.fetchall)
            ref_runs.append(seconds + start_fetch)
    by_path = {row.path: row for row in tree.values()}
    mismatches = 0
    for path, *values in rows:
        ours = by_path[path].figures
        if [ours[name] for name in FIGURES] != [int(v or 0) for v in values]:
            mismatches += 1
    warm, ref = sorted(warm_runs)[len(warm_runs) // 2], sorted(ref_runs)[len(ref_runs) // 2]
    top = tree[root.pk].figures
    print(f"database: {connection.vendor}; nodes: {nodes}; as of {as_of}")
    print(
        f"province: {top['grassroots_unions']} grassroots unions, {top['units_covered']} covered units of {top['units']}, {top['members']} members"
    )
    print(f"coverage_tree cold: {cold:.3f} s; warm median of {args.runs}: {warm:.3f} s")
    print(f"hand-written SQL median of {args.runs}: {ref:.3f} s")
    print(
        f"ratio coverage_tree / SQL: {warm / ref:.2f}x; rows compared: {len(rows)}, mismatches: {mismatches}"
    )


if __name__ == "__main__":
    main()
