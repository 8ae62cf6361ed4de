"""The 工作台's 待办 for scripts and other front ends: what waits for the account."""

from ninja import Router, Schema

from unionworks.workbench.selectors import todos_for

router = Router(tags=["工作台"])


class TodoOut(Schema):
    code: str
    label: str
    count: int
    url: str
    hint: str


@router.get("/todos", response=list[TodoOut], summary="待办（本账号可见的每一项及其数量）")
def todos(request):
    return [
        TodoOut(code=w.todo.code, label=w.todo.label, count=w.count, url=w.url, hint=w.todo.hint)
        for w in todos_for(request.auth)
    ]
