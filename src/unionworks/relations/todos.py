"""What 和谐劳动关系 puts on the 工作台: contracts to file, contracts to renew, objections
to answer, mediation cases past the 15-day limit, assessments to score."""

from django.urls import reverse

from unionworks.core.roles import WRITERS
from unionworks.core.todos import Todo, register_todo
from unionworks.relations import selectors
from unionworks.relations.models import HarmonyAssessment


def _contracts(state: str) -> str:
    return reverse("relations:contracts") + f"?state={state}"


register_todo(
    Todo(
        code="relations.contracts_to_submit",
        label="待报送审查的集体合同",
        count=lambda user: selectors.contracts_for(user, state="to_submit").count(),
        url=lambda user: _contracts("to_submit"),
        roles=frozenset(WRITERS),
        hint="签订后10日内报送劳动保障部门审查",
    ),
    Todo(
        code="relations.contracts_objected",
        label="有异议退回的集体合同",
        count=lambda user: selectors.contracts_for(user, state="objected").count(),
        url=lambda user: _contracts("objected"),
        roles=frozenset(WRITERS),
        hint="按审查意见修改后重新报送",
    ),
    Todo(
        code="relations.contracts_to_renew",
        label="3个月内到期待续签的集体合同",
        count=lambda user: selectors.due_for_renewal(user).count(),
        url=lambda user: _contracts("renewal"),
        roles=frozenset(WRITERS),
        hint="期满前3个月内提出协商续签",
    ),
    Todo(
        code="relations.disputes_overdue",
        label="超过15日未结的劳动争议",
        count=lambda user: selectors.disputes_for(user, overdue=True).count(),
        url=lambda user: reverse("relations:disputes") + "?overdue=1",
        roles=frozenset(WRITERS),
        hint="调解期限为受理之日起15日，逾期未结视为调解不成",
    ),
    Todo(
        code="relations.assessments_to_score",
        label="待评分的和谐企业申报",
        count=lambda user: selectors.assessments_for(
            user, status=HarmonyAssessment.Status.APPLIED
        ).count(),
        url=lambda user: reverse("relations:assessments") + "?status=applied",
        roles=frozenset(WRITERS),
    ),
)
