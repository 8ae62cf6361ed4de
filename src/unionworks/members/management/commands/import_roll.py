"""manage.py import_roll FILE --user USERNAME --org ORG_ID [--save-good-rows] [--initial-load]"""

from unionworks.core.management.import_command import ImportCommand
from unionworks.members.roll_import import import_roll


class Command(ImportCommand):
    help = "导入会员花名册（.xlsx 或 .csv）到指定工会组织，以指定账号的名义。"
    file_help = "花名册文件（.xlsx 或 .csv）"
    initial_load_help = (
        "首次批量导入：仅当该组织范围内还没有任何会员时可用（维护时段）；导入期间"
        "锁定会员表和组织、单位表（系统暂停使用），先删去索引和约束、导入后重建并"
        "检查，速度快得多（全省675万会员约2分钟）"
    )

    def import_file(self, **kwargs):
        return import_roll(**kwargs)
