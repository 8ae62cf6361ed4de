"""导入会员花名册: the member roll's import kind on the shared pipeline (``importer``), with
the bulk first load on PostgreSQL (``bulk_load``)."""

from unionworks.members.roll_import.importer import (
    ROLL_COLUMNS,
    TASK_KIND,
    RollImporter,
    import_roll,
    write_roll_template,
)

__all__ = [
    "ROLL_COLUMNS",
    "TASK_KIND",
    "RollImporter",
    "import_roll",
    "write_roll_template",
]
