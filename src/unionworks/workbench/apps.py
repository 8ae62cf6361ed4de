from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "unionworks.workbench"
    verbose_name = "工作台"
