from django.apps import AppConfig
from django.core.signals import request_started


class CoreConfig(AppConfig):
    name = "unionworks.core"
    verbose_name = "核心"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from unionworks.core import tasks
        from unionworks.core.personal_data import check_key

        check_key()
        # Not here: ready() runs before the database may be used (and for migrate itself).
        # A task left running by a process that died is found on the first request instead.
        request_started.connect(
            tasks.fail_abandoned_now_and_then, dispatch_uid="core.tasks.fail_abandoned"
        )
        # Each app declares what waits for an account (待办) in its todos.py.
        autodiscover_modules("todos")
