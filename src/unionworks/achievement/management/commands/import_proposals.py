"""manage.py import_proposals FILE --user USERNAME --org ORG_ID [--save-good-rows] [--initial-load]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from unionworks.accounts.models import User
from unionworks.achievement.importers import import_proposals
from unionworks.core.errors import DomainError
from unionworks.orgs.models import Org


class Command(BaseCommand):
    help = "导入合理化建议清单（.xlsx 或 .csv）到指定工会组织，以指定账号的名义。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="建议清单文件（.xlsx 或 .csv）")
        parser.add_argument("--user", required=True, help="以该账号的名义导入（须有录入权限）")
        parser.add_argument("--org", required=True, type=int, help="导入到的工会组织编号")
        parser.add_argument(
            "--save-good-rows",
            action="store_true",
            help="有未通过检查的行时，仍保存通过检查的行（默认全部不保存）",
        )
        parser.add_argument(
            "--initial-load",
            action="store_true",
            help=(
                "首次批量导入：仅当该组织范围内还没有任何合理化建议时可用（维护时段）；导入期间"
                "锁定建议表和组织、单位、账号表（系统暂停使用），先删去索引和约束、导入后重建并"
                "检查，速度快得多"
            ),
        )
        parser.add_argument("--rejects-dir", help="未通过的行写到此目录（默认 MEDIA_ROOT/tasks/）")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"找不到账号“{options['user']}”")
        org = Org.objects.filter(pk=options["org"]).first()
        if org is None:
            raise CommandError(f"找不到编号为 {options['org']} 的工会组织")
        verbosity = options["verbosity"]

        def progress(done, total, message):
            if verbosity > 1:
                self.stdout.write(f"{message}：{done}/{total}")

        try:
            result = import_proposals(
                actor=user,
                org=org,
                path=Path(options["file"]),
                save_good_rows=options["save_good_rows"],
                progress=progress,
                rejects_dir=options.get("rejects_dir"),
                initial_load=options["initial_load"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if result.rejects_path:
            self.stdout.write(f"未通过的行：{result.rejects_path}")
        for error in result.errors[:20]:
            self.stdout.write(f"  {error}")
        if not result.saved:
            raise CommandError(result.message)
        self.stdout.write(self.style.SUCCESS(result.message))
