from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class StatsConfig(AppConfig):
    name = "unionworks.stats"
    verbose_name = "统计与任务指标"

    def ready(self):
        # Each domain app declares its indicators in indicators.py.
        autodiscover_modules("indicators")
