from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "unionworks.accounts"
    verbose_name = "账号"
