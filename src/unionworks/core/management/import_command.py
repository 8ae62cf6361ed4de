"""The command-line import of one import kind: ``manage.py import_<kind> FILE --user
USERNAME --org ORG_ID [--save-good-rows] [--initial-load]``, the same checks, rejects and
outcome as an upload. A kind's command declares what differs (``import_file`` and its
words); the arguments, the look-ups and the reporting are this class's."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from unionworks.core.errors import DomainError


class ImportCommand(BaseCommand):
    file_help = ""  # e.g. "花名册文件（.xlsx 或 .csv）"
    initial_load_help = ""  # what the bulk first load locks and requires

    def import_file(self, **kwargs):
        """The kind's import (``actor, org, path, save_good_rows, progress, rejects_dir,
        initial_load``) returning an ``ImportResult``."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument("--user", required=True, help="以该账号的名义导入（须有录入权限）")
        parser.add_argument("--org", required=True, type=int, help="导入到的工会组织编号")
        parser.add_argument(
            "--save-good-rows",
            action="store_true",
            help="有未通过检查的行时，仍保存通过检查的行（默认全部不保存）",
        )
        parser.add_argument("--initial-load", action="store_true", help=self.initial_load_help)
        parser.add_argument("--rejects-dir", help="未通过的行写到此目录（默认 MEDIA_ROOT/tasks/）")

    def handle(self, *args, **options):
        User, Org = get_user_model(), apps.get_model("orgs", "Org")
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
            result = self.import_file(
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
