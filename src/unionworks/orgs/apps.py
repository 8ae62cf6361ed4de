from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "unionworks.orgs"
    verbose_name = "组织与单位"
