"""Count the figures users ask for daily once, for every web worker to take.

With a shared cache (``REDIS_URL``) the workers take kept figures from it
(``stats.values``); run this after a deploy or a bulk load so that no worker counts
the province while users wait. Without one, each process keeps its own: nothing to do.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from unionworks.core.periods import parse_period
from unionworks.orgs.models import Org
from unionworks.stats.selectors import opening_period_of
from unionworks.stats.warming import warm


class Command(BaseCommand):
    help = "预先计算各工程看板常用期间的指标（需共享缓存 REDIS_URL），供各进程直接取用。"

    def add_arguments(self, parser):
        parser.add_argument("--org", type=int, help="组织编号（默认：省总工会）")
        parser.add_argument(
            "--period",
            action="append",
            default=[],
            help="期间代码，可重复（默认：统计打开时的期间）",
        )

    def handle(self, *args, org=None, period=(), **options):
        if not getattr(settings, "SHARE_KEPT_FIGURES", False):
            self.stdout.write("没有共享缓存（REDIS_URL）：各进程各自保持指标，无需预热。")
            return
        root = (
            Org.objects.filter(pk=org).first() if org else Org.objects.filter(parent=None).first()
        )
        if root is None:
            raise CommandError("没有这个组织")
        try:
            # By default the period statistics open on (stats.selectors.opening_period).
            periods = [parse_period(code) for code in period] or [opening_period_of(root)]
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        started = time.perf_counter()
        warm(root, periods)
        took = time.perf_counter() - started
        self.stdout.write(
            f"已预先计算“{root.name}”{len(periods)}个期间的看板指标，用时{took:.1f}秒。"
        )
