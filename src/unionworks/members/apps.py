from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "unionworks.members"
    verbose_name = "会员"
