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

from _setup import dashboard_against_sql, django_setup

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
    dashboard_against_sql("strength", args.period, REFERENCE_SQL, HEADLINE, args.runs)


if __name__ == "__main__":
    main()
