from django.core.management.base import BaseCommand

from unionworks.core import changes


class Command(BaseCommand):
    help = "删除较早的数据变动记录（core_change），只保留最新的若干条；各进程随后重算一次统计数。每日夜间运行，之后运行 warm_figures。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep", type=int, default=100_000, help="保留最新的多少条（默认 100000）"
        )

    def handle(self, *args, keep: int, **options):
        deleted = changes.prune(keep=keep)
        self.stdout.write(f"已删除 {deleted:,} 条数据变动记录，保留最新 {keep:,} 条。")
