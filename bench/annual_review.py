"""The province's annual work review for a period, against one hand-written SQL.

Runs on whatever DATABASE_URL names (SQLite or PostgreSQL) holding a demo province
(manage.py demo_province --scale province for the real measure):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/uw_province \\
        uv run --frozen python bench/annual_review.py --period 2008

Times, for the root organisation, what the background task does — stats.reports
.build_review (every figure of the eight projects, cold: caches cleared first),
render_docx and render_pdf — then one SQL statement computing the same key figures
(夯基工程: the root's and each child's counts, this period and the same period a year
before), checks that both agree, and prints the seconds and the ratio. The files go
to a temporary directory (--keep DIR keeps them).
"""

import argparse
import tempfile
import time
from pathlib import Path

from _setup import django_setup, timed

# Each block gives per-child sums; the outer query adds the blocks up. Records at the
# root itself group under the root's own path. Portable: SQLite and PostgreSQL.
REFERENCE_SQL = """
SELECT g,
       sum(members), sum(members_prev), sum(migrant_members), sum(migrant_members_prev),
       sum(members_joined), sum(members_joined_prev),
       sum(grassroots_unions), sum(grassroots_unions_prev), sum(unions_founded), sum(unions_founded_prev),
       sum(units), sum(units_prev), sum(units_covered), sum(units_covered_prev),
       sum(employees_covered), sum(employees_covered_prev)
FROM (
    SELECT substr(o.path, 1, %(n)s) AS g,
           sum(CASE WHEN s.start <= %(end)s AND (s."end" IS NULL OR s."end" > %(end)s) THEN 1 ELSE 0 END) AS members,
           sum(CASE WHEN s.start <= %(end0)s AND (s."end" IS NULL OR s."end" > %(end0)s) THEN 1 ELSE 0 END) AS members_prev,
           sum(CASE WHEN m.is_migrant AND s.start <= %(end)s AND (s."end" IS NULL OR s."end" > %(end)s) THEN 1 ELSE 0 END) AS migrant_members,
           sum(CASE WHEN m.is_migrant AND s.start <= %(end0)s AND (s."end" IS NULL OR s."end" > %(end0)s) THEN 1 ELSE 0 END) AS migrant_members_prev,
           sum(CASE WHEN s.start_reason = 'join' AND s.start BETWEEN %(start)s AND %(end)s THEN 1 ELSE 0 END) AS members_joined,
           sum(CASE WHEN s.start_reason = 'join' AND s.start BETWEEN %(start0)s AND %(end0)s THEN 1 ELSE 0 END) AS members_joined_prev,
           0 AS grassroots_unions, 0 AS grassroots_unions_prev, 0 AS unions_founded, 0 AS unions_founded_prev,
           0 AS units, 0 AS units_prev, 0 AS units_covered, 0 AS units_covered_prev,
           0 AS employees_covered, 0 AS employees_covered_prev
    FROM members_membershipspell s
    JOIN orgs_org o ON o.id = s.org_id
    JOIN members_member m ON m.id = s.member_id
    WHERE o.path >= %(lo)s AND o.path < %(hi)s
    GROUP BY substr(o.path, 1, %(n)s)
  UNION ALL
    SELECT substr(path, 1, %(n)s), 0, 0, 0, 0, 0, 0,
           sum(CASE WHEN (founded_on IS NULL OR founded_on <= %(end)s) AND (dissolved_on IS NULL OR dissolved_on > %(end)s) THEN 1 ELSE 0 END),
           sum(CASE WHEN (founded_on IS NULL OR founded_on <= %(end0)s) AND (dissolved_on IS NULL OR dissolved_on > %(end0)s) THEN 1 ELSE 0 END),
           sum(CASE WHEN founded_on BETWEEN %(start)s AND %(end)s THEN 1 ELSE 0 END),
           sum(CASE WHEN founded_on BETWEEN %(start0)s AND %(end0)s THEN 1 ELSE 0 END),
           0, 0, 0, 0, 0, 0
    FROM orgs_org
    WHERE kind = 'grassroots' AND path >= %(lo)s AND path < %(hi)s
    GROUP BY substr(path, 1, %(n)s)
  UNION ALL
    SELECT substr(o.path, 1, %(n)s), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           sum(CASE WHEN u.established_on IS NULL OR u.established_on <= %(end)s THEN 1 ELSE 0 END),
           sum(CASE WHEN u.established_on IS NULL OR u.established_on <= %(end0)s THEN 1 ELSE 0 END),
           0, 0, 0, 0
    FROM orgs_unit u JOIN orgs_org o ON o.id = u.org_id
    WHERE o.path >= %(lo)s AND o.path < %(hi)s
    GROUP BY substr(o.path, 1, %(n)s)
  UNION ALL
    SELECT substr(o.path, 1, %(n)s), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           sum(CASE WHEN (u.covered_since IS NULL OR u.covered_since <= %(end)s) AND (u.established_on IS NULL OR u.established_on <= %(end)s) THEN 1 ELSE 0 END),
           sum(CASE WHEN (u.covered_since IS NULL OR u.covered_since <= %(end0)s) AND (u.established_on IS NULL OR u.established_on <= %(end0)s) THEN 1 ELSE 0 END),
           sum(CASE WHEN (u.covered_since IS NULL OR u.covered_since <= %(end)s) AND (u.established_on IS NULL OR u.established_on <= %(end)s) THEN u.employees ELSE 0 END),
           sum(CASE WHEN (u.covered_since IS NULL OR u.covered_since <= %(end0)s) AND (u.established_on IS NULL OR u.established_on <= %(end0)s) THEN u.employees ELSE 0 END)
    FROM orgs_unit u JOIN orgs_org o ON o.id = u.union_id
    WHERE o.path >= %(lo)s AND o.path < %(hi)s
    GROUP BY substr(o.path, 1, %(n)s)
) t
GROUP BY g
"""

CODES = [
    "members",
    "migrant_members",
    "members_joined",
    "grassroots_unions",
    "unions_founded",
    "units",
    "units_covered",
    "employees_covered",
]


def reference(root, period) -> tuple[dict, dict]:
    """{code: value} for the root and {child path: {code: value}}, this period and last year's."""
    from django.db import connection

    from unionworks.core.scoping import path_upper_bound

    before = period.year_before()
    params = {
        "n": len(root.path) + 8,
        "lo": root.path,
        "hi": path_upper_bound(root.path),
        "start": period.start,
        "end": period.end,
        "start0": before.start,
        "end0": before.end,
    }
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL, params)
        rows = cursor.fetchall()
    names = [f"{c}{suffix}" for c in CODES for suffix in ("", "_prev")]
    total = dict.fromkeys(names, 0)
    children = {}
    for group, *values in rows:
        figures = {name: int(v or 0) for name, v in zip(names, values, strict=True)}
        for name in names:
            total[name] += figures[name]
        if len(group) == params["n"]:
            children[group] = figures
    return total, children


def compare(review, total: dict, children: dict) -> list[str]:
    """Where the review's figures and the SQL's differ (empty when they agree)."""
    from unionworks.orgs.models import Org

    section = review.section("foundation")
    ours = {f.indicator.code: f for f in section.figures}
    problems = []
    for code in CODES:
        if code not in ours:
            continue
        got = (ours[code].value, ours[code].change.previous)
        want = (total[code], total[f"{code}_prev"])
        if tuple(int(v) for v in got) != want:
            problems.append(f"root {code}: review {got}, SQL {want}")
    paths = dict(
        Org.objects.filter(pk__in=[c.org_id for c in section.children]).values_list("pk", "path")
    )
    for child in section.children:
        sql = children.get(paths[child.org_id], dict.fromkeys(total, 0))
        for code, value in child.figures.items():
            if code in CODES and int(value or 0) != sql[code]:
                problems.append(f"{child.name} {code}: review {value}, SQL {sql[code]}")
    return problems


def _import_renderers():
    import docx  # noqa: F401
    import weasyprint  # noqa: F401


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--period", default="2008", help="a period code: 2008, 2008H1, @2008-09-30…"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of the SQL (median)")
    parser.add_argument("--keep", help="keep the .docx and .pdf in this directory")
    args = parser.parse_args()
    django_setup()
    from django.core.cache import cache
    from django.db import connection

    from unionworks.core.periods import parse_period
    from unionworks.orgs.models import Org
    from unionworks.stats import reports

    period = parse_period(args.period)
    root = Org.objects.get(parent__isnull=True)
    nodes = Org.objects.count()
    imports, _ = timed(_import_renderers)  # once per worker process, not per review
    cache.clear()
    with tempfile.TemporaryDirectory(prefix="uw-review-") as scratch:
        out = Path(args.keep or scratch)
        out.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        build, review = timed(reports.build_review, root, org=root, period=period)
        docx, _ = timed(reports.render_docx, review, out / "review.docx")
        pdf, _ = timed(reports.render_pdf, review, out / "review.pdf")
        whole = time.perf_counter() - started
    sql_runs = [timed(reference, root, period) for _ in range(max(1, args.runs))]
    sql = sorted(s for s, _ in sql_runs)[len(sql_runs) // 2]
    total, children = sql_runs[0][1]
    problems = compare(review, total, children)
    print(f"database: {connection.vendor}; nodes: {nodes:,}; period {period.code} ({period.label})")
    print(f"review: 《{review.title}》" + (f", files in {out}" if args.keep else ""))
    print(
        f"province: {total['grassroots_unions']:,} grassroots unions, {total['members']:,} members "
        f"({total['members_prev']:,} a year before), {len(children)} children"
    )
    print(
        f"review cold: figures {build:.3f} s + docx {docx:.3f} s + pdf {pdf:.3f} s = {whole:.3f} s"
    )
    print(f"(importing python-docx and WeasyPrint, once per process: {imports:.3f} s)")
    print(f"hand-written SQL (same key figures, both years, root and children): {sql:.3f} s")
    print(
        f"ratio figures / SQL: {build / sql:.1f}x; whole review / SQL: {whole / sql:.1f}x; "
        f"mismatches: {len(problems)}"
    )
    for line in problems[:20]:
        print("  ", line)


if __name__ == "__main__":
    main()
