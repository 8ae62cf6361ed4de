"""The 建功立业 and 职工素质 dashboards at province scale, cold and warm, against one
hand-written SQL of the same headline figures.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        uv run --frozen python bench/achievement_dashboards.py

It creates its own database (uw_bench_achievement, dropped at the end unless --keep;
``--reuse`` measures the database DATABASE_URL names instead, as it is),
builds the province's tree, units and unions and the achievement demo step at
``--scale`` (default province: 450,000 proposals, 520,000 authors, 8,120 + 200 units in
competitions …), then times for the province admin and the first half of 2008:

  - each dashboard's selector (``project_dashboard``) cold (caches emptied, kept figures
    forgotten) and warm (the same again);
  - each dashboard page through Django's request path, cold and warm;
  - one hand-written SQL computing the same headline figures for the province.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from _setup import django_setup, median_of, timed
from import_roll import database_url

BENCH_DB = "uw_bench_achievement"

REFERENCE_SQL = """
SELECT
  (SELECT count(*) FROM achievement_competition WHERE start_date BETWEEN %(start)s AND %(end)s),
  (SELECT count(*) FROM achievement_competition
     WHERE start_date BETWEEN %(start)s AND %(end)s AND kind IN ('skills', 'drill', 'contest')),
  (SELECT sum(n) FROM (SELECT count(DISTINCT unit_id) n FROM achievement_participation
     WHERE status = 'accepted' AND start_date BETWEEN %(start)s AND %(end)s GROUP BY org_id) t),
  (SELECT sum(workers) FROM achievement_participation
     WHERE status = 'accepted' AND start_date BETWEEN %(start)s AND %(end)s),
  (SELECT count(*) FROM achievement_proposal WHERE proposed_on BETWEEN %(start)s AND %(end)s),
  (SELECT sum(confirmed_value) FROM achievement_proposal
     WHERE proposed_on BETWEEN %(start)s AND %(end)s),
  (SELECT sum(n) FROM (SELECT count(DISTINCT id_number_index) n FROM achievement_proposalauthor
     WHERE proposed_on BETWEEN %(start)s AND %(end)s GROUP BY org_id) t),
  (SELECT sum(trainees) FROM achievement_trainingcourse WHERE end_date BETWEEN %(start)s AND %(end)s),
  (SELECT count(*) FROM achievement_workerlibrary WHERE opened_on <= %(end)s)
"""


def recreate_database(admin_url: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true",
        help="measure the database DATABASE_URL names as it is (built with the achievement step)",
    )  # fmt: skip
    args = parser.parse_args()
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        print(
            "DATABASE_URL must point at a PostgreSQL server (the bench creates its own database)."
        )
        return 2
    if args.reuse:
        args.keep = True
    else:
        recreate_database(admin_url)
        os.environ["DATABASE_URL"] = database_url(admin_url, BENCH_DB)
    os.environ["DEBUG"] = "0"
    try:
        django_setup()
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from unionworks.accounts.models import User
        from unionworks.core.periods import parse_period
        from unionworks.demo.province import STEPS, build_province
        from unionworks.stats.selectors import project_dashboard
        from unionworks.stats.values import forget_everything

        if not args.reuse:
            call_command("migrate", verbosity=0)
            wanted = ("tree", "units", "unions", "write", "achievement", "accounts")
            started = time.perf_counter()
            build_province(
                scale=args.scale, seed=2008, password="Union-Works-2008",
                steps=[s for s in STEPS if s.name in wanted],
            )  # fmt: skip
            print(f"province built in {time.perf_counter() - started:.0f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        admin = User.objects.select_related("org").get(username="admin")
        period = parse_period("2008H1")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
        for project in ("achievement", "skills"):

            def dashboard(project=project):
                return project_dashboard(admin, project_code=project, org=admin.org, period=period)

            def page(project=project):
                response = client.get(f"/stats/dashboards/{project}/?period={period.code}")
                assert response.status_code == 200, response.status_code
                return response

            cache.clear()
            forget_everything()
            cold, _ = timed(dashboard)
            warm = median_of(dashboard, args.runs)
            cache.clear()
            forget_everything()
            cold_page, _ = timed(page)
            warm_page = median_of(page, args.runs)
            print(f"{project:12} dashboard cold {cold:.3f} s, warm {warm * 1000:.1f} ms; "
                  f"page cold {cold_page:.3f} s, warm {warm_page * 1000:.1f} ms")  # fmt: skip

        def reference():
            with connection.cursor() as cursor:
                cursor.execute(REFERENCE_SQL, {"start": period.start, "end": period.end})
                return cursor.fetchone()

        sql = median_of(reference, args.runs)
        print(f"hand-written SQL of the headline figures: {sql:.3f} s -> {reference()}")
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(admin_url, drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
