"""Benchmark: import an N-row proposal list (CSV) into PostgreSQL against plain COPY.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        uv run --frozen python bench/import_proposals.py --rows 450000

It creates its own database (uw_bench_proposals, dropped at the end unless --keep),
migrates it, builds a province with --units grassroots unions each covering one unit
(the article's 5,435 enterprises by default), writes a proposal list of --rows rows
(seeded rng; about one row in seven has two authors, so 450,000 rows name about 520,000
authors, as in the article's first half of 2008) into a temp dir, then measures on the
same file:

  (a) COPY of the CSV rows into a bare table with the same columns, all text;
  (b) achievement.importers.ProposalImporter of the file by the province admin: every
      check (units by credit code in the subtree, categories, dates, each author's ID
      number, amounts to the fen, the outcome rules, numbers repeated in the file or on
      record), the sealing and blind indexes of every author, all-or-nothing, one
      transaction, one audit entry;

and prints rows, seconds and rows/s of each and the ratio import/COPY (aim: within 25×).

``--initial-load`` imports in the bulk first-load mode (``initial_load=True``: the rows
checked by a pool of processes and COPYed straight into the tables, their indexes and
unique and foreign-key constraints dropped and rebuilt after; the rebuild is included
in the time). ``--database NAME`` names the bench database.
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

from _setup import django_setup  # noqa: E402  (puts src/ on the path, picks the settings)
from import_roll import GIVEN, REGIONS, SURNAMES, build_province, database_url

BENCH_DB = "uw_bench_proposals"
HEADERS = ["建议编号", "统一社会信用代码", "类别", "题目", "现状", "建议措施", "提出日期", "提出人",
           "身份证号", "预计创造价值（元）", "是否采纳", "实施日期", "创造价值（元）", "节约（元）"]  # fmt: skip
CATEGORIES = [("合理化建议", 60), ("小建议", 12), ("小窍门", 8), ("小革新", 7), ("小发明", 3),
              ("小设计", 3), ("技术创新", 2), ("工艺创新", 2), ("产品创新", 1), ("操作法创新", 2)]  # fmt: skip
TOPICS = ["皮带输送机", "托辊润滑", "锅炉给水", "电机节能", "模具更换", "焊接工装", "配料工序",
          "仓储管理", "设备点检", "废料回收", "照明改造", "空压机", "循环水", "包装流程"]  # fmt: skip


def recreate_database(admin_url: str, *, drop_only: bool = False, name: str = BENCH_DB) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {name}")


def write_list(path: Path, rows: int, codes: list[str], rng: random.Random) -> int:
    """The list; returns how many authors it names."""
    from unionworks.core.idnumber import make_id_number

    seen: set[str] = set()
    start = dt.date(1955, 1, 1)
    values, weights = zip(*CATEGORIES, strict=True)
    serial_of: dict[str, int] = {}
    authors = 0

    def person():
        while True:
            birth = start + dt.timedelta(days=rng.randrange(0, 365 * 35))
            number = make_id_number(rng, region_code=rng.choice(REGIONS), birth_date=birth)
            if number not in seen:
                seen.add(number)
                break
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        return name, number

    with open(path, "w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(HEADERS)
        for _ in range(rows):
            code = rng.choice(codes)
            serial_of[code] = serial_of.get(code, 0) + 1
            people = [person() for _ in range(2 if rng.random() < 0.155 else 1)]
            authors += len(people)
            proposed = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(170))
            adopted = rng.random() < 0.6
            implemented = adopted and rng.random() < 0.7
            value = rng.randrange(0, 400_000) if implemented else 0
            out.writerow(
                [
                    f"2008-{serial_of[code]:05d}",
                    code,
                    rng.choices(values, weights)[0],
                    f"关于改进{rng.choice(TOPICS)}的建议",
                    "能耗偏高，故障较多",
                    "调整工艺参数，加装计量装置",
                    proposed.isoformat(),
                    "、".join(n for n, _ in people),
                    "、".join(i for _, i in people),
                    f"{rng.randrange(0, 50_000)}.00",
                    "是" if adopted else rng.choice(("否", "")),
                    (proposed + dt.timedelta(days=10)).isoformat() if implemented else "",
                    f"{value // 100}.{value % 100:02d}" if implemented else "",
                    f"{value // 300}.00" if implemented else "",
                ]
            )
    return authors


def time_copy(path: Path) -> float:
    from django.db import connection

    columns = ", ".join(f"c{i} text" for i in range(len(HEADERS)))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy ({columns})")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.cursor.copy("COPY bench_copy FROM STDIN (FORMAT csv, HEADER true)") as copy:
            with open(path, "rb") as stream:
                while chunk := stream.read(1 << 20):
                    copy.write(chunk)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=450_000)
    parser.add_argument("--units", type=int, default=5_435)
    parser.add_argument("--seed", type=int, default=2008)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--profile", help="write a cProfile of the import to this file")
    parser.add_argument(
        "--initial-load", action="store_true", help="the bulk first load (initial_load=True)"
    )
    parser.add_argument("--database", default=BENCH_DB, help=f"bench database ({BENCH_DB})")
    args = parser.parse_args()

    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        print(
            "DATABASE_URL must point at a PostgreSQL server (the bench creates its own database)."
        )
        return 2
    recreate_database(admin_url, name=args.database)
    os.environ["DATABASE_URL"] = database_url(admin_url, args.database)
    os.environ["DEBUG"] = "0"
    try:
        django_setup()
        from django.core.management import call_command

        from unionworks.achievement.importers import ProposalImporter
        from unionworks.achievement.models import Proposal, ProposalAuthor
        from unionworks.orgs.models import Unit

        call_command("migrate", verbosity=0)
        rng = random.Random(args.seed)
        province, admin, _names = build_province(args.units, rng)
        codes = list(Unit.objects.values_list("credit_code", flat=True))
        with tempfile.TemporaryDirectory(prefix="uw-bench-") as tmp:
            path = Path(tmp) / "proposals.csv"
            started = time.perf_counter()
            authors = write_list(path, args.rows, codes, rng)
            size = path.stat().st_size / 2**20
            print(
                f"list written: {args.rows:,} rows, {authors:,} authors, {size:.0f} MiB, "
                f"{time.perf_counter() - started:.1f} s"
            )
            copy_seconds = time_copy(path)

            shown = {"rows": 0, "message": ""}

            def progress(done, total, message):
                if done // 100_000 > shown["rows"] // 100_000 or message != shown["message"]:
                    print(f"  {message} {done:,}/{total:,} {time.perf_counter() - started:.1f} s")
                shown.update(rows=done, message=message)

            profiler = None
            if args.profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            started, cpu_started = time.perf_counter(), time.process_time()
            result = ProposalImporter(
                actor=admin, org=province, progress=progress, initial_load=args.initial_load
            ).run(path, Path(tmp))
            import_seconds = time.perf_counter() - started
            import_cpu = time.process_time() - cpu_started
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(args.profile)
        saved = Proposal.objects.count()
        if not result.saved or saved != args.rows or ProposalAuthor.objects.count() != authors:
            print(f"import did not save every row: {result.message} {result.errors[:3]}")
            return 1
        ratio = import_seconds / copy_seconds
        print()
        print(f"{'':32}{'rows':>10}{'seconds':>10}{'rows/s':>12}")
        print(
            f"{'COPY into a bare table':32}{args.rows:>10,}{copy_seconds:>10.2f}"
            f"{args.rows / copy_seconds:>12,.0f}"
        )
        label = "first load (all checks)" if args.initial_load else "ProposalImporter (all checks)"
        print(
            f"{label:32}{args.rows:>10,}{import_seconds:>10.2f}{args.rows / import_seconds:>12,.0f}"
        )
        print(f"ratio import/COPY: {ratio:.1f}x (aim: within 25x)")
        print(
            f"the import's own CPU time: {import_cpu:.1f} s ({import_cpu / copy_seconds:.1f}x COPY); "
            f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(admin_url, drop_only=True, name=args.database)


if __name__ == "__main__":
    sys.exit(main())
