"""manage.py demo_province --scale tiny|small|province --seed N [--reset]"""

from __future__ import annotations

import os
import secrets
import time
import unicodedata

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from unionworks.accounts.models import User
from unionworks.demo.bulk import flush_project_tables, row_counts
from unionworks.demo.province import SCALES, build_province

URL = "http://127.0.0.1:8000"
# No 0/O, 1/l/I: a password read off a terminal.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generated_password() -> str:
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


class Command(BaseCommand):
    help = "生成一个确定性的演示省份（山西）：省、11个市、119个县(市、区)、乡镇、基层工会、单位和演示账号。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="small",
            help="规模：tiny（测试用）、small（默认，几千个单位）、province（全省：52,558个基层工会）",
        )
        parser.add_argument("--seed", type=int, default=2008, help="随机种子；相同种子生成相同数据")
        parser.add_argument(
            "--reset", action="store_true", help="先清空现有数据（工会组织、单位、账号等）再生成"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库已有数据时什么也不做（正常退出），供 make demo 重复运行",
        )

    def handle(self, *args, scale: str, seed: int, reset: bool, if_empty: bool, **options):
        counts = row_counts()
        held = "、".join(f"{label} {n:,} 个" for label, n in counts.items() if n)
        if held and if_empty and not reset:
            self.stdout.write(
                f"数据库已有数据（{held}），不再生成演示数据。"
                f"如要重建，请加 --reset（可用环境变量 DEMO_PASSWORD 指定密码）。"
            )
            return
        if held and not reset:
            raise CommandError(
                f"数据库不是空的（已有{held}），演示数据不会覆盖它。"
                "确要清空后重新生成，请加 --reset。"
            )
        password = os.environ.get("DEMO_PASSWORD") or ""
        from_env = bool(password)
        if not from_env:
            password = generated_password()
        else:
            try:
                validate_password(password)
            except ValidationError as exc:
                self.stderr.write(
                    "提醒：DEMO_PASSWORD 不符合密码规则（"
                    + "；".join(exc.messages)
                    + "），仍照用。"
                )
        started = time.perf_counter()
        with transaction.atomic():
            if held:
                self.stdout.write("清空现有数据……")
                flush_project_tables()
                self.stdout.write(f"      用时 {time.perf_counter() - started:.2f} 秒")
            out = self.stdout.write if options["verbosity"] > 0 else (lambda _text: None)
            ctx = build_province(scale=scale, seed=seed, password=password, out=out)
        elapsed = time.perf_counter() - started
        self.report(ctx, elapsed, password, from_env)

    def report(self, ctx, elapsed: float, password: str, from_env: bool) -> None:
        fig = ctx.figures
        covered = ctx.summary["covered"]
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"演示省份已生成：规模 {ctx.scale.name}，随机种子 {ctx.seed}，"
                f"共用时 {elapsed:.1f} 秒。"
            )
        )
        write(
            f"  工会组织 {len(ctx.orgs):,} 个，其中基层工会 {ctx.summary['grassroots']:,} 个"
            f"（2007年底 {fig.grassroots_2007:,} 个）、工会联合会 {ctx.summary['federations']:,} 个；"
        )
        write(
            f"  单位 {len(ctx.units):,} 个，基层工会覆盖 {covered:,} 个"
            f"（覆盖率 {covered / len(ctx.units):.2%}）；"
            f"2007年底单位 {fig.units_2007:,} 个，覆盖 {fig.covered_2007:,} 个"
            f"（{fig.covered_2007 / fig.units_2007:.2%}）；外资企业工会 {fig.foreign_unions:,} 个。"
        )
        write(f"\n打开 {URL} ，用下列账号登录：")
        rows = [("用户名", "所属组织", "角色")] + [
            (a["username"], a["org"].name, User.Role(a["role"]).label) for a in ctx.accounts
        ]
        widths = [max(display_width(r[i]) for r in rows) for i in range(2)]
        for row in rows:
            write(
                "  "
                + "  ".join(pad(text, w) for text, w in zip(row[:2], widths, strict=True))
                + "  "
                + row[2]
            )
        source = "取自环境变量 DEMO_PASSWORD" if from_env else "随机生成，请记下"
        write(f"  密码（各账号相同，{source}）：{password}")


def display_width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))
