"""manage.py purge_task_files [--days N]: run daily (cron) in production."""

from django.core.management.base import BaseCommand

from unionworks.core.retention import purge_task_files


class Command(BaseCommand):
    help = (
        "删除超过保留期（默认 TASK_FILES_KEEP_DAYS 天）的上传文件和后台任务文件"
        "（未通过的行、导出、报告）：这些文件含有个人信息。排队中和进行中的任务不受影响。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="保留天数（默认取 TASK_FILES_KEEP_DAYS）")

    def handle(self, *args, days=None, **options):
        counts = purge_task_files(days=days)
        self.stdout.write(
            f"已删除 {counts['tasks']} 个已结束任务及其文件，另删除 {counts['folders']} 个无任务引用的旧文件夹"
        )
