"""Benchmark: import a tax office's collection list of N receipts (CSV) against plain COPY.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        uv run --frozen python bench/import_tax_list.py --rows 150000 --database uw_bench_tax

It recreates the database named by --database, migrates it, builds a province → city →
county → township with --units grassroots unions each covering one unit (and the
province's share scheme), writes a list of --rows receipts (each unit's months of 2008,
valid codes and amounts, seeded rng) and measures on the same file:

  (a) COPY of the CSV rows into a bare table with the same columns, all text;
  (b) finance.importers.import_tax_list into the county, every check (credit code, unit
      matched in reach, period, money, date, scheme, duplicates, declared base), the
      levies, receipts and five shares per receipt written, the levies credited,
      all-or-nothing;

and prints rows, seconds, rows/s and the ratio import/COPY.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from _setup import django_setup  # noqa: E402

HEADERS = ["统一社会信用代码", "单位名称", "所属期", "工资总额", "代征金额", "入库日期", "票证号"]


def database_url(base: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def recreate_database(admin_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {name}")


def build_province(units: int, rng: random.Random):
    from unionworks.accounts.models import User
    from unionworks.core.creditcode import make_credit_code
    from unionworks.finance.models import ShareScheme
    from unionworks.orgs.models import Org, Unit
    from unionworks.orgs.services import path_for

    def org(name, kind, parent):
        node = Org.objects.create(name=name, kind=kind, parent=parent, path=f"tmp-{name}")
        node.path = path_for(node.pk, parent)
        node.save(update_fields=["path"])
        return node

    province = org("山西省总工会", Org.Kind.PROVINCE, None)
    city = org("太原市总工会", Org.Kind.CITY, province)
    county = org("小店区总工会", Org.Kind.COUNTY, city)
    township = org("坞城街道工会", Org.Kind.TOWNSHIP, county)
    unions = Org.objects.bulk_create(
        Org(name=f"第{i}基层工会", kind=Org.Kind.GRASSROOTS, parent=township, path=f"tmp{i}")
        for i in range(units)
    )
    for node in unions:
        node.path = path_for(node.pk, township)
    Org.objects.bulk_update(unions, ["path"], batch_size=5000)
    codes: set[str] = set()
    while len(codes) < units:
        codes.add(make_credit_code(rng))
    made = Unit.objects.bulk_create(
        Unit(name=f"太原第{i}机械有限公司", credit_code=code, ownership="private",
             industry="C", org=township, union=union, employees=200)
        for i, (union, code) in enumerate(zip(unions, sorted(codes), strict=True))
    )  # fmt: skip
    ShareScheme.objects.create(org=province, name="分成办法", valid_from=dt.date(2006, 1, 1))
    admin = User.objects.create_user(
        "bench", password="Union-Works-2008", org=province, role="admin"
    )
    return county, admin, made


def write_list(path: Path, rows: int, units, rng: random.Random) -> None:
    months = -(-rows // len(units))
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADERS)
        written = 0
        for month in range(1, months + 1):
            for unit in units:
                if written == rows:
                    return
                base = rng.randint(50_000, 900_000)
                paid = (base * 2 + 50) // 100
                out.writerow([unit.credit_code, unit.name, f"2008-{(month - 1) % 12 + 1:02d}",
                              base, paid, f"2009-01-{rng.randint(1, 28):02d}",
                              f"DS{written:010d}"])  # fmt: skip
                written += 1


def time_copy(path: Path) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        columns = ", ".join(f"c{i} text" for i in range(len(HEADERS)))
        cursor.execute(f"DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy ({columns})")
        start = time.perf_counter()
        with cursor.cursor.copy("COPY bench_copy FROM STDIN (FORMAT csv, HEADER true)") as copy:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        seconds = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_copy")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--database", default="uw_bench_tax")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--profile", help="write a cProfile of the import to this file")
    args = parser.parse_args()
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith("postgres"):
        print("DATABASE_URL must name a PostgreSQL server", file=sys.stderr)
        return 2
    recreate_database(admin_url, args.database)
    os.environ["DATABASE_URL"] = database_url(admin_url, args.database)
    django_setup()
    from django.core.management import call_command

    from unionworks.finance.importers import import_tax_list
    from unionworks.finance.models import FundReceipt, FundShare

    try:
        call_command("migrate", verbosity=0)
        rng = random.Random(2008)
        county, admin, units = build_province(min(args.units, args.rows), rng)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "tax-list.csv"
            write_list(path, args.rows, units, rng)
            copy_seconds = time_copy(path)
            profiler = None
            if args.profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            start, cpu_start = time.perf_counter(), time.process_time()
            result = import_tax_list(actor=admin, org=county, path=path, rejects_dir=folder)
            import_seconds = time.perf_counter() - start
            import_cpu = time.process_time() - cpu_start
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(args.profile)
        assert result.saved and result.received == args.rows, result.message
        assert FundShare.objects.count() == 5 * FundReceipt.objects.count()
        print(f"{'':28}{'rows':>12}{'seconds':>10}{'rows/s':>12}")
        print(f"{'COPY into a bare table':28}{args.rows:>12,}{copy_seconds:>10.2f}"
              f"{args.rows / copy_seconds:>12,.0f}")  # fmt: skip
        print(f"{'import_tax_list':28}{args.rows:>12,}{import_seconds:>10.2f}"
              f"{args.rows / import_seconds:>12,.0f}")  # fmt: skip
        print(f"ratio import/COPY: {import_seconds / copy_seconds:.1f}x")
        print(
            f"the import's own CPU time: {import_cpu:.1f} s ({import_cpu / copy_seconds:.1f}x COPY); "
            f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            recreate_database(admin_url, args.database, drop_only=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
