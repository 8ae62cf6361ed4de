"""The province's 和谐劳动关系 dashboard at province scale, cold and warm, each headline
figure against one hand-written SQL query of the same numbers in the same run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/uw_relations \
        uv run --frozen python bench/relations.py --build

``--build`` (on an empty, migrated database) first writes a province without the member
roll: the tree, the units and unions, the relations step and the accounts (what the
dashboard reads; the roll is not). "cold" = the kept figures and the cache emptied first;
"warm" = the same request again. The page timing goes through Django's full request path
with the province admin logged in.
"""

import argparse
import statistics

from _setup import django_setup, timed

REFERENCE_SQL = """
SELECT
  (SELECT count(*) FROM relations_collectivecontract
    WHERE effective_on <= %(as_of)s AND expires_on > %(as_of)s),
  (SELECT count(*) FROM relations_collectivecontract
    WHERE effective_on <= %(as_of)s AND expires_on > %(as_of)s
      AND scope IN ('regional', 'industry')),
  (SELECT coalesce(sum(employees_covered), 0) FROM relations_collectivecontract
    WHERE effective_on <= %(as_of)s AND expires_on > %(as_of)s),
  (SELECT count(*) FROM relations_harmonyassessment
    WHERE status = 'commended' AND commended_on BETWEEN %(start)s AND %(as_of)s),
  (SELECT count(*) FROM relations_collectivecontract
    WHERE signed_on BETWEEN %(start)s AND %(as_of)s),
  (SELECT avg(wage_rise) / 100 FROM relations_collectivecontract
    WHERE effective_on <= %(as_of)s AND expires_on > %(as_of)s AND kind = 'wage'
      AND wage_rise IS NOT NULL)
"""
HEADLINE = ["collective_contracts", "regional_contracts", "contract_employees",
            "harmony_commended", "contracts_signed", "wage_rise_average"]  # fmt: skip


def median_of(fn, runs):
    return statistics.median(timed(fn)[0] for _ in range(runs))


def build():
    from unionworks.demo.province import STEPS, build_province

    names = ("tree", "units", "unions", "write", "relations", "accounts", "audit")
    steps = [s for s in STEPS if s.name in names]
    build_province(scale="province", seed=2008, password="Union-Works-2008", steps=steps)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", default="@2008-09-30")
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
    from unionworks.stats.values import forget_everything

    admin = User.objects.select_related("org").get(username="admin")
    province = admin.org
    period = parse_period(args.period)

    def cold():
        cache.clear()
        forget_everything()

    def dashboard():
        return project_dashboard(admin, project_code="relations", org=province, period=period)

    cold()
    cold_dashboard, board = timed(dashboard)
    warm_dashboard = median_of(dashboard, args.runs)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/stats/dashboards/relations/?period={period.code}"
    cold()
    cold_page, response = timed(client.get, url)
    assert response.status_code == 200, response.status_code
    warm_page = median_of(lambda: client.get(url), args.runs)

    params = {"as_of": period.as_of, "start": period.start}

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(REFERENCE_SQL, params)
            return cursor.fetchone()

    sql, row = timed(reference)
    sql = median_of(reference, args.runs)
    shown = {kf.indicator.code: kf.value for kf in board.key_figures}
    print(f"database: {connection.vendor}; period {period.label}")
    for code, expected in zip(HEADLINE, row, strict=True):
        value = shown[code]
        same = abs(float(value or 0) - float(expected or 0)) < 1e-9
        print(f"  {code:24} dashboard {value!s:>14}  SQL {expected!s:>14}  {'=' if same else '≠'}")
        assert same, code
    print(f"dashboard (selector) cold {cold_dashboard:.3f} s, warm {warm_dashboard * 1000:.1f} ms")
    print(f"dashboard page       cold {cold_page:.3f} s, warm {warm_page * 1000:.1f} ms")
    print(f"hand-written SQL of the headline figures: {sql * 1000:.1f} ms")
    print(
        f"ratios: selector cold/SQL {cold_dashboard / sql:.1f}x, page cold/SQL {cold_page / sql:.1f}x"
    )


if __name__ == "__main__":
    main()
