from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "unionworks.core"
    verbose_name = "核心"

    def ready(self):
        from unionworks.core.personal_data import check_key

        check_key()
