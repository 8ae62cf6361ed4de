from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One create, update or delete: who, when, which record, and the field-by-field change."""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        VIEW = "view", "查看"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The organisation whose subtree may read this entry: the record's own org.
    org = models.ForeignKey(
        "orgs.Org", verbose_name="所属组织", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    model = models.CharField("记录类型", max_length=60)
    object_id = models.CharField("记录编号", max_length=64)
    object_repr = models.CharField("记录", max_length=200)
    changes = models.JSONField("变更", default=dict, blank=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def model_display(self) -> str:
        from django.apps import apps

        try:
            return str(apps.get_model(self.model)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.model


class Task(models.Model):
    """A background task (an import, a report): who asked, for which org, how far it got.

    Run by ``core.tasks``: in a thread of the web process (the demo), by
    ``manage.py run_tasks`` workers, or inline in tests. Read through the org's subtree
    like every other record.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("任务类型", max_length=60)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    done = models.PositiveBigIntegerField("已处理", default=0)
    total = models.PositiveBigIntegerField("总数", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    input_path = models.CharField("输入文件", max_length=500, blank=True)
    output_path = models.CharField("结果文件", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    org = models.ForeignKey(
        "orgs.Org", verbose_name="所属组织", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    # Which process runs it (set when claimed) and when it last said it was alive: a task
    # left running by a process that died is told apart and marked failed (core.tasks).
    runner_host = models.CharField("执行主机", max_length=200, blank=True)
    runner_pid = models.PositiveIntegerField("执行进程号", null=True, blank=True)
    runner_start = models.CharField("执行进程启动标识", max_length=80, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, int(self.done * 100 / self.total)) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


from unionworks.core.changes import Change  # noqa: E402,F401  (its own module: the notes and how they are read)
