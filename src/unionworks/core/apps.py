from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "unionworks.core"
    verbose_name = "核心"
