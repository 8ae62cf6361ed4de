"""The demo province's 和谐劳动关系建设工程 records (a step of ``manage.py demo_province``)."""


def build_relations(ctx) -> str:
    return "尚无记录"
