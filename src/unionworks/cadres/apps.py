from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "unionworks.cadres"
    verbose_name = "理论武装工程与人才兴会工程"
