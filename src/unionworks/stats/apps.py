from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "unionworks.stats"
    verbose_name = "统计与任务指标"
