"""The 理论武装工程 and 人才兴会工程 dashboards at province scale, cold and warm, against the
same figures computed by hand-written SQL in the same run (one statement per project).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/uw_cadres \
        uv run --frozen python bench/cadres_dashboards.py --build

``--build`` first migrates the database and builds the province's tree, units, unions and
the cadres step at ``province`` scale (no member roll: these dashboards do not read it),
plus the demo accounts. "cold" = the application cache and the kept figures emptied
first; "warm" = the same request again. The page timings go through Django's full request
path with the province admin logged in. The script checks that the dashboard's figures
equal the SQL's.
"""

import argparse

from _setup import django_setup, median_of, timed

THEORY_SQL = """
SELECT
  (SELECT count(*) FROM cadres_studyevent e
     WHERE e.status = 'held' AND e.start_date BETWEEN %(start)s AND %(end)s) AS study_events,
  (SELECT count(*) FROM cadres_attendance a WHERE a.event_date BETWEEN %(start)s AND %(end)s)
  + (SELECT coalesce(sum(c.people), 0) FROM cadres_attendancecount c
     WHERE c.event_date BETWEEN %(start)s AND %(end)s) AS study_attendees,
  (SELECT coalesce(sum(e.hours), 0) FROM cadres_studyevent e
     WHERE e.status = 'held' AND e.start_date BETWEEN %(start)s AND %(end)s) AS study_hours
"""
TALENT_SQL = """
SELECT
  (SELECT count(*) FROM (
     SELECT DISTINCT a.org_id, a.person_index FROM cadres_attendance a
     JOIN cadres_studyevent e ON e.id = a.event_id
     WHERE a.cadre_id IS NOT NULL AND e.kind <> 'labour'
       AND a.event_date BETWEEN %(start)s AND %(end)s) t) AS cadres_trained,
  (SELECT count(*) FROM cadres_post p WHERE p.kind = 'chair' AND p.how = 'direct'
     AND p.start <= %(end)s AND (p."end" IS NULL OR p."end" > %(end)s)) AS chairs_elected_directly,
  (SELECT count(*) FROM (SELECT DISTINCT p.org_id, p.cadre_id FROM cadres_post p
     WHERE p.how IN ('social', 'professional')
     AND p.start <= %(end)s AND (p."end" IS NULL OR p."end" > %(end)s)) t) AS cadres_recruited,
  (SELECT count(*) FROM cadres_arrangement r JOIN orgs_org o ON o.id = r.org_id
     WHERE r.kind = 'rank' AND o.kind = 'city'
     AND r.since <= %(end)s AND (r.until IS NULL OR r.until > %(end)s)) AS chairs_deputy_city
"""


def build():
    from django.core.management import call_command

    from unionworks.demo.bulk import flush_project_tables
    from unionworks.demo.province import STEPS, build_province

    call_command("migrate", verbosity=0)
    flush_project_tables()
    wanted = ("tree", "units", "unions", "write", "cadres", "accounts")
    build_province(scale="province", seed=2008, password="demo-2008",
                   steps=[s for s in STEPS if s.name in wanted])  # fmt: skip


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
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    for project, sql in (("theory", THEORY_SQL), ("talent", TALENT_SQL)):

        def dashboard(project=project):
            return project_dashboard(admin, project_code=project, org=province, period=period)

        cache.clear()
        forget_everything()
        cold, board = timed(dashboard)
        warm = median_of(dashboard, args.runs)
        url = f"/stats/dashboards/{project}/?period={period.code}"
        cache.clear()
        forget_everything()
        cold_page, response = timed(client.get, url)
        assert response.status_code == 200, response.status_code
        warm_page = median_of(lambda url=url: client.get(url), args.runs)

        def reference(sql=sql):
            with connection.cursor() as cursor:
                cursor.execute(sql, {"start": period.start, "end": period.end})
                names = [c.name for c in cursor.description]
                return dict(zip(names, cursor.fetchone(), strict=True))

        seconds, expected = timed(reference)
        seconds = min(seconds, median_of(reference, args.runs))
        shown = {f.indicator.code: f.value for f in board.key_figures}
        for code, value in expected.items():
            if code in shown:
                assert shown[code] == value, (code, shown[code], value)
        print(f"{project}: {', '.join(f'{k}={v}' for k, v in expected.items())}")
        print(f"  dashboard (selector) cold {cold:.3f} s, warm {warm * 1000:.1f} ms")
        print(f"  dashboard page       cold {cold_page:.3f} s, warm {warm_page * 1000:.1f} ms")
        print(f"  hand-written SQL of the same figures: {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
