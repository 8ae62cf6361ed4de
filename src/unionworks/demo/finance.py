"""The demo province's 实力强会工程 records (a step of ``manage.py demo_province``)."""


def build_finance(ctx) -> str:
    return "尚无记录"
