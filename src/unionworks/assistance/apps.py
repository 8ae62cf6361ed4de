from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "unionworks.assistance"
    verbose_name = "帮扶工程"
