from django.apps import AppConfig


class AchievementConfig(AppConfig):
    name = "unionworks.achievement"
    verbose_name = "建功立业工程与职工素质工程"
