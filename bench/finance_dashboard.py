"""The province's 实力强会 dashboard at province scale, cold and warm, each headline
figure against one hand-written SQL query of the same numbers in the same run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/uw_finance \\
        uv run --frozen python bench/finance_dashboard.py --build

``--build`` (on an empty database) first migrates it and writes a province without the
member roll: the tree, the units and unions, the finance step (2006–2008) and the
accounts — what the dashboard reads. Without it the database DATABASE_URL names is
measured as it is. "cold" = the kept figures and the cache emptied first; "warm" = the
same request again. The page timing goes through Django's full request path with the
province admin logged in.
"""

import argparse
import statistics

from _setup import django_setup, timed

REFERENCE_SQL = """
SELECT
  (SELECT coalesce(sum(amount), 0) FROM finance_fundreceipt
    WHERE received_on BETWEEN %(start)s AND %(as_of)s),
  (SELECT coalesce(sum(amount), 0) FROM finance_fundreceipt
    WHERE received_on BETWEEN %(start)s AND %(as_of)s
      AND channel IN ('tax', 'fiscal', 'direct', 'preparatory')),
  (SELECT coalesce(sum(due), 0) FROM finance_levy
    WHERE due_on BETWEEN %(start)s AND %(as_of)s),
  (SELECT coalesce(sum(due), 0) FROM finance_levy
    WHERE due_on < %(as_of)s AND (paid_up_on IS NULL OR paid_up_on > %(as_of)s))
  - (SELECT coalesce(sum(r.amount), 0) FROM finance_fundreceipt r
      JOIN finance_levy l ON l.id = r.levy_id
     WHERE l.due_on < %(as_of)s AND (l.paid_up_on IS NULL OR l.paid_up_on > %(as_of)s)
       AND r.received_on <= %(as_of)s),
  (SELECT coalesce(sum(n), 0) FROM (SELECT count(DISTINCT unit_id) n FROM finance_levy
    WHERE due_on < %(as_of)s AND (paid_up_on IS NULL OR paid_up_on > %(as_of)s)
    GROUP BY org_id) t),
  (SELECT count(*) FROM finance_asset
    WHERE acquired_on <= %(as_of)s AND (disposed_on IS NULL OR disposed_on > %(as_of)s))
"""
HEADLINE = ["fund_receipts", "levy_received", "levy_due", "arrears_amount",
            "units_in_arrears", "assets_count"]  # fmt: skip


def median_of(fn, runs):
    return statistics.median(timed(fn)[0] for _ in range(runs))


def build():
    from django.core.management import call_command

    from unionworks.demo.province import STEPS, build_province

    call_command("migrate", verbosity=0)
    names = ("tree", "units", "unions", "write", "finance", "accounts", "audit")
    steps = [s for s in STEPS if s.name in names]
    build_province(scale="province", seed=2008, password="Union-Works-2008", steps=steps)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", default="2008")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build", action="store_true")
    args = parser.parse_args()
    django_setup()
    if args.build:
        build()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from unionworks.accounts.models import User
    from unionworks.core.periods import parse_period
    from unionworks.stats.selectors import project_dashboard
    from unionworks.stats.values import evaluate, forget_everything

    admin = User.objects.select_related("org").get(username="admin")
    province = admin.org
    period = parse_period(args.period)

    def cold():
        cache.clear()
        forget_everything()

    def dashboard():
        return project_dashboard(admin, project_code="strength", org=province, period=period)

    cold()
    cold_dashboard, _board = timed(dashboard)
    warm_dashboard = median_of(dashboard, args.runs)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/stats/dashboards/strength/?period={period.code}"
    cold()
    cold_page, response = timed(client.get, url)
    assert response.status_code == 200, response.status_code
    warm_page = median_of(lambda: client.get(url), args.runs)

    params = {"as_of": period.as_of, "start": period.start}

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(REFERENCE_SQL, params)
            return cursor.fetchone()

    row = reference()
    sql = median_of(reference, args.runs)
    shown = evaluate(province, period, HEADLINE)[province.pk].figures
    print(f"database: {connection.vendor}; period {period.label}")
    for code, expected in zip(HEADLINE, row, strict=True):
        value = shown[code]
        same = (value or 0) == (expected or 0)
        print(f"  {code:20} dashboard {value!s:>18}  SQL {expected!s:>18}  {'=' if same else '≠'}")
        assert same, code
    print(f"dashboard (selector) cold {cold_dashboard:.3f} s, warm {warm_dashboard * 1000:.1f} ms")
    print(f"dashboard page       cold {cold_page:.3f} s, warm {warm_page * 1000:.1f} ms")
    print(f"hand-written SQL of the headline figures: {sql * 1000:.1f} ms")
    print(
        f"ratios: selector cold/SQL {cold_dashboard / sql:.1f}x, page cold/SQL {cold_page / sql:.1f}x"
    )


if __name__ == "__main__":
    main()
