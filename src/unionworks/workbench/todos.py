"""The account's own imports as 待办: those that failed, and those finished, in the last
days. Declared here rather than in core, since core imports no app that lists them."""

from django.urls import reverse

from unionworks.core.todos import Todo, register_todo
from unionworks.workbench.selectors import IMPORTS_RECENT_DAYS, imports_of, recent_since


def _imports(outcome: str):
    def count(user) -> int:
        return imports_of(user, outcome=outcome, since=recent_since()).count()

    def url(user) -> str:
        return f"{reverse('workbench:imports')}?outcome={outcome}&recent=1"

    return count, url


_failed_count, _failed_url = _imports("failed")
_done_count, _done_url = _imports("done")

register_todo(
    Todo(
        code="workbench.imports_failed",
        label="导入失败",
        count=_failed_count,
        url=_failed_url,
        hint=f"近{IMPORTS_RECENT_DAYS}日本人提交、未能完成的导入，查看原因后重新上传",
        weight=20,
        kept=False,  # the account's own import tasks write no change notes
    ),
    Todo(
        code="workbench.imports_done",
        label="导入已完成",
        count=_done_count,
        url=_done_url,
        hint=f"近{IMPORTS_RECENT_DAYS}日本人提交、已完成的导入，可查看结果和出错行",
        weight=-10,
        kept=False,
    ),
)
