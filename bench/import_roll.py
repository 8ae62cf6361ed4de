"""Benchmark: import an N-row member roll (CSV) into PostgreSQL against plain COPY.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        uv run --frozen python bench/import_roll.py --rows 1000000

It creates its own database (uw_bench_import, dropped at the end unless --keep),
migrates it, builds a province with --unions grassroots unions each covering one unit,
writes a roll CSV of --rows valid, distinct persons (seeded rng) into a temp dir, then
measures on the same file:

  (a) COPY of the CSV rows into a bare table with the same columns, all text;
  (b) members.roll_import.import_roll of the file by the province admin, all checks,
      sealing and blind indexes included, all-or-nothing; with --initial-load in the
      bulk first-load mode (plain indexes dropped and rebuilt at the end, included in
      the time).

and prints rows, seconds and rows/s of each, the ratio import/COPY, and the
extrapolation to the article's 6.75 million members (``--rows 6750000`` measures the
whole province instead: about 4 minutes with the CSV written, 1.2 GB of memory).
Progress lines show each 200,000 rows and the end of the stream (what follows is the
index and constraint rebuild of --initial-load). --profile FILE writes a cProfile of (b).
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

BENCH_DB = "uw_bench_import"
PROVINCE_MEMBERS = 6_750_000
HEADERS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "公民身份号码",
    "出生年月",
    "文化程度",
    "手机号码",
    "是否农民工",
    "入会时间",
    "工作单位",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉玉兰晓东海燕春梅鹏飞斌宇浩凯丹玲雪琳晨阳欣怡佳俊峰波鑫亮林婷颖倩慧琴云龙成"
ETHNICITIES = ["汉族"] * 18 + ["回族", "满族", "蒙古族"]
EDUCATION = ["研究生", "本科", "大专", "中专", "高中", "初中"]
REGIONS = ["140105", "140106", "140107", "140202", "140302", "140402", "140502", "140602"]


def database_url(base: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(admin_url: str, *, drop_only: bool = False) -> None:
    """Create BENCH_DB afresh (``--database`` names another one)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


def build_province(unions: int, rng: random.Random):
    """A province → city → county → township → ``unions`` grassroots unions, one unit each."""
    from unionworks.accounts.models import User
    from unionworks.core.creditcode import make_credit_code
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
    grassroots = Org.objects.bulk_create(
        Org(name=f"第{i}基层工会", kind=Org.Kind.GRASSROOTS, parent=township, path=f"tmp{i}")
        for i in range(unions)
    )
    for node in grassroots:
        node.path = path_for(node.pk, township)
    Org.objects.bulk_update(grassroots, ["path"], batch_size=5000)
    codes: set[str] = set()
    while len(codes) < unions:
        codes.add(make_credit_code(rng))
    units = Unit.objects.bulk_create(
        Unit(
            name=f"太原第{i}机械有限公司",
            credit_code=code,
            ownership=Unit.Ownership.PRIVATE,
            industry=Unit.Industry.C,
            org=township,
            union=union,
            employees=1000,
        )
        for i, (union, code) in enumerate(zip(grassroots, sorted(codes), strict=True))
    )
    admin = User.objects.create_user(
        "bench", password="Union-Works-2008", org=province, role="admin"
    )
    return province, admin, [u.name for u in units]


def write_roll(path: Path, rows: int, units: list[str], rng: random.Random) -> None:
    from unionworks.core.idnumber import make_id_number

    seen: set[str] = set()
    start = dt.date(1950, 1, 1)
    with open(path, "w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(HEADERS)
        for serial in range(1, rows + 1):
            while True:
                birth = start + dt.timedelta(days=rng.randrange(0, 365 * 50))
                number = make_id_number(rng, region_code=rng.choice(REGIONS), birth_date=birth)
                if number not in seen:
                    seen.add(number)
                    break
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
            )
            joined = birth.replace(year=birth.year + 20, day=min(birth.day, 28))
            out.writerow(
                [
                    serial,
                    name,
                    "男" if int(number[16]) % 2 else "女",
                    rng.choice(ETHNICITIES),
                    number,
                    f"{birth:%Y-%m}",
                    rng.choice(EDUCATION),
                    f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                    rng.choice(("是", "否", "否")),
                    joined.isoformat(),
                    rng.choice(units),
                ]
            )


REDUNDANT = r"""
    SELECT indexname FROM pg_indexes WHERE tablename = 'members_member' AND (
        indexname ~ '^members_member_(id_number_index|phone_index|id_number_mask|card_number)_.*_like$'
        OR indexname ~ '^members_member_org_id_[0-9a-f]+$')
"""


def drop_redundant_indexes() -> None:
    """The *_like twins of exact-match columns, and org_id alone (led by (org_id, status))."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(REDUNDANT)
        names = [name for (name,) in cursor.fetchall()]
        for name in names:
            cursor.execute(f"DROP INDEX {name}")
    print(f"dropped {len(names)} redundant indexes: {', '.join(names)}")


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
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--unions", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2008)
    parser.add_argument("--database", default=BENCH_DB, help="name of the bench database")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--profile", help="write a cProfile of the import to this file")
    parser.add_argument(
        "--lean-indexes",
        action="store_true",
        help="first drop the member indexes that duplicate others (what a schema change would do)",
    )
    parser.add_argument(
        "--initial-load",
        action="store_true",
        help="import in the bulk first-load mode (import_roll(initial_load=True))",
    )
    args = parser.parse_args()
    globals()["BENCH_DB"] = args.database

    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        print(
            "DATABASE_URL must point at a PostgreSQL server (the bench creates its own database)."
        )
        return 2
    recreate_database(admin_url)
    os.environ["DATABASE_URL"] = database_url(admin_url, BENCH_DB)
    os.environ["DEBUG"] = "0"
    try:
        django_setup()
        from django.core.management import call_command

        from unionworks.members.models import Member
        from unionworks.members.roll_import import import_roll

        call_command("migrate", verbosity=0)
        if args.lean_indexes:
            drop_redundant_indexes()
        rng = random.Random(args.seed)
        province, admin, units = build_province(args.unions, rng)
        with tempfile.TemporaryDirectory(prefix="uw-bench-") as tmp:
            path = Path(tmp) / "roll.csv"
            started = time.perf_counter()
            write_roll(path, args.rows, units, rng)
            size = path.stat().st_size / 2**20
            print(
                f"roll written: {args.rows:,} rows, {size:.0f} MiB, {time.perf_counter() - started:.1f} s"
            )

            copy_seconds = time_copy(path)

            shown = {"rows": 0, "message": ""}

            def progress(done, total, message):
                # Every 200,000 rows crossed (blocks need not end on a round number), and
                # when the phase changes: the stream's end is the time before the rebuild.
                if done // 200_000 > shown["rows"] // 200_000 or message != shown["message"]:
                    print(f"  {message} {done:,}/{total:,} {time.perf_counter() - started:.1f} s")
                shown.update(rows=done, message=message)

            profiler = None
            if args.profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            started = time.perf_counter()
            result = import_roll(
                actor=admin,
                org=province,
                path=path,
                progress=progress,
                rejects_dir=Path(tmp),
                initial_load=args.initial_load,
            )
            import_seconds = time.perf_counter() - started
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(args.profile)
        if not result.saved or Member.objects.count() != args.rows:
            print(f"import did not save every row: {result.message}")
            return 1
        ratio = import_seconds / copy_seconds
        province_seconds = import_seconds / args.rows * PROVINCE_MEMBERS
        print()
        print(f"{'':28}{'rows':>12}{'seconds':>10}{'rows/s':>12}")
        print(
            f"{'COPY into a bare table':28}{args.rows:>12,}{copy_seconds:>10.2f}{args.rows / copy_seconds:>12,.0f}"
        )
        label = "import_roll --initial-load" if args.initial_load else "import_roll (all checks)"
        print(
            f"{label:28}{args.rows:>12,}{import_seconds:>10.2f}{args.rows / import_seconds:>12,.0f}"
        )
        print(f"ratio import/COPY: {ratio:.1f}x")
        print(
            f"extrapolated to {PROVINCE_MEMBERS:,} members: {province_seconds:.0f} s "
            f"({province_seconds / 60:.1f} min; goal < 3 min)"
        )
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(admin_url, drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
