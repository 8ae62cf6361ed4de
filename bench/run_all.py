"""Run every benchmark against the province-scale demo on PostgreSQL and print the figures.

    make bench            # uses $BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/uw_province

Builds the province (manage.py demo_province --scale province) into that database
first when it is empty. The live-figures benchmark (the app under gunicorn, with writes
and an upload) works in its own database on the same server, uw_live_bench, which it
builds the first time and reuses after. The import benchmark makes and drops its own
database, and runs in both modes (normal, then --initial-load).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/uw_province")


def run(*args, **env):
    print("$", " ".join(args), flush=True)
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, env={**os.environ, **env})


def main():
    import psycopg

    server, name = URL.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')
    env = {
        "DATABASE_URL": URL,
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "Bench-Shanxi-2008"),
    }
    run("manage.py", "migrate", "-v0", **env)
    run("manage.py", "demo_province", "--scale", "province", "--seed", "2008", "--if-empty", **env)
    for script in ("coverage.py", "member_lookup.py", "dashboards.py"):
        run(f"bench/{script}", **env)
    run("bench/annual_review.py", "--period", "2008", **env)
    # The four domain apps' dashboards, on the same province (its demo holds their steps).
    for script in ("relations.py", "cadres_dashboards.py", "finance_dashboard.py"):
        run(f"bench/{script}", **env)
    run("bench/achievement_dashboards.py", "--reuse", **env)
    # The running application (gunicorn, 20 clients, writes, an upload) on its own copy of
    # the province, uw_live_bench, built the first time and reused after.
    run(
        "bench/live_figures.py",
        DATABASE_URL=f"{server}/postgres",
        DEMO_PASSWORD=env["DEMO_PASSWORD"],
    )
    rows = os.environ.get("BENCH_IMPORT_ROWS", "1000000")
    # The day-to-day upload, then the first load (the whole province: BENCH_IMPORT_ROWS=6750000).
    for mode in ([], ["--initial-load"]):
        run("bench/import_roll.py", "--rows", rows, *mode, DATABASE_URL=f"{server}/postgres")
    # The domain imports, each in a database of its own: the proposal list (both modes)
    # and the tax office's collection list.
    for mode in ([], ["--initial-load"]):
        run(
            "bench/import_proposals.py",
            "--rows",
            "450000",
            *mode,
            DATABASE_URL=f"{server}/postgres",
        )
    run("bench/import_tax_list.py", "--rows", "150000", DATABASE_URL=f"{server}/postgres")


if __name__ == "__main__":
    main()
