"""The demo province's 建功立业工程与职工素质工程 records (a step of ``manage.py demo_province``)."""


def build_achievement(ctx) -> str:
    return "尚无记录"
