"""The demo province's 理论武装工程与人才兴会工程 records (a step of ``manage.py demo_province``)."""


def build_cadres(ctx) -> str:
    return "尚无记录"
