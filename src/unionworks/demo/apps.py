from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "unionworks.demo"
    verbose_name = "演示数据"
