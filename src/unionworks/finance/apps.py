from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "unionworks.finance"
    verbose_name = "实力强会工程"
