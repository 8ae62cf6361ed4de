"""Project dashboard and indicator table at province scale, cold and warm, against the
same figures computed by one hand-written SQL query in the same run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/uw_province uv run python bench/dashboards.py

"cold" = the application cache emptied first (the database's own buffers stay as the
machine has them); "warm" = the same request again, served from the cache keyed by
the data generation. The page timings go through Django's full request path
(middleware, view, template) with the province admin logged in.
"""

import argparse

from _setup import django_setup, median_of, timed
from coverage import REFERENCE_SQL


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", default="@2008-09-30")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--project", default="foundation", help="lens code, e.g. foundation, assistance"
    )
    args = parser.parse_args()
    django_setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from unionworks.accounts.models import User
    from unionworks.core.periods import parse_period
    from unionworks.stats import registry
    from unionworks.stats.selectors import indicator_table, project_dashboard

    admin = User.objects.select_related("org").get(username="admin")
    province = admin.org
    period = parse_period(args.period)
    codes = [i.code for i in registry.all_indicators()][:20]

    def dashboard():
        return project_dashboard(admin, project_code=args.project, org=province, period=period)

    def table():
        return indicator_table(admin, org=province, period=period, codes=codes)

    cache.clear()
    cold_dashboard, _ = timed(dashboard)
    warm_dashboard = median_of(dashboard, args.runs)
    cache.clear()
    cold_table, result = timed(table)
    warm_table = median_of(table, args.runs)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/stats/dashboards/{args.project}/?period={period.code}"
    cache.clear()
    cold_page, response = timed(client.get, url)
    assert response.status_code == 200, response.status_code
    warm_page = median_of(lambda: client.get(url), args.runs)

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(REFERENCE_SQL, {"as_of": period.as_of})
            return cursor.fetchall()

    sql = median_of(reference, args.runs)
    print(
        f"database: {connection.vendor}; project {args.project}; period {period.label}; {len(result.rows)} cities x {len(codes)} indicators"
    )
    print(f"dashboard (selector) cold {cold_dashboard:.3f} s, warm {warm_dashboard * 1000:.1f} ms")
    print(f"dashboard page       cold {cold_page:.3f} s, warm {warm_page * 1000:.1f} ms")
    print(f"indicator table      cold {cold_table:.3f} s, warm {warm_table * 1000:.1f} ms")
    print(f"hand-written SQL of the same figures (every node): {sql:.3f} s")
    print(
        f"ratios: dashboard cold/SQL {cold_dashboard / sql:.2f}x, page cold/SQL {cold_page / sql:.2f}x, table cold/SQL {cold_table / sql:.2f}x"
    )


if __name__ == "__main__":
    main()
