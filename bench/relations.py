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

from _setup import dashboard_against_sql, django_setup

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
    dashboard_against_sql("relations", args.period, REFERENCE_SQL, HEADLINE, args.runs)


if __name__ == "__main__":
    main()
