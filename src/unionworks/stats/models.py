from django.conf import settings
from django.db import models

from unionworks.orgs.models import Org


class Target(models.Model):
    """任务指标: what an organisation (with its subtree) is to reach in a year, per indicator."""

    org = models.ForeignKey(
        Org, verbose_name="组织", on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField("年度")
    indicator = models.CharField("指标", max_length=60)
    value = models.DecimalField("目标值", max_digits=16, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "任务指标"
        verbose_name_plural = "任务指标"
        ordering = ["year", "indicator", "org__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "indicator"], name="one_target_per_org_year_indicator"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年 {self.indicator_name} {self.value}"

    @property
    def indicator_name(self) -> str:
        """The indicator's Chinese name (its code only if it is no longer registered)."""
        from unionworks.stats import registry

        return (
            registry.get(self.indicator).name if registry.exists(self.indicator) else self.indicator
        )
