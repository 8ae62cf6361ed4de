"""manage.py import_proposals FILE --user USERNAME --org ORG_ID [--save-good-rows] [--initial-load]"""

from unionworks.achievement.importers import import_proposals
from unionworks.core.management.import_command import ImportCommand


class Command(ImportCommand):
    help = "导入合理化建议清单（.xlsx 或 .csv）到指定工会组织，以指定账号的名义。"
    file_help = "建议清单文件（.xlsx 或 .csv）"
    initial_load_help = (
        "首次批量导入：仅当该组织范围内还没有任何合理化建议时可用（维护时段）；导入期间"
        "锁定建议表和组织、单位、账号表（系统暂停使用），先删去索引和约束、导入后重建并"
        "检查，速度快得多"
    )

    def import_file(self, **kwargs):
        return import_proposals(**kwargs)
