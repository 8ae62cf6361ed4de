from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "unionworks.relations"
    verbose_name = "和谐劳动关系建设工程"
