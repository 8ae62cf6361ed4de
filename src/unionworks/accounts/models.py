import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models

from unionworks.core import roles


class User(AbstractUser):
    """An account: belongs to one organisation and sees its subtree, with one role on top."""

    class Role(models.TextChoices):
        ADMIN = roles.ADMIN, "管理员"
        EDITOR = roles.EDITOR, "录入员"
        REVIEWER = roles.REVIEWER, "审核员"
        VIEWER = roles.VIEWER, "查看员"

    org = models.ForeignKey(
        "orgs.Org",
        verbose_name="所属组织",
        null=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is kept; the token is shown once when issued."""

    user = models.ForeignKey(
        User, verbose_name="账号", on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField("用途", max_length=100, blank=True)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.user} {self.name}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
