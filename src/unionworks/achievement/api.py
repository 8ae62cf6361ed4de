"""建功立业 and 职工素质 records over JSON, scoped like the pages.

Reads go through achievement.selectors, writes through achievement.services. An id
outside the acting user's subtree is a 404 in the path and a 400 in a body (the same
words as "no such id"). Money travels as decimal strings, ID numbers masked.
"""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from unionworks.achievement import selectors, services
from unionworks.achievement.models import Competition, Proposal, ProposalScore
from unionworks.core.api import ErrorOut, Pagination
from unionworks.core.money import Money
from unionworks.orgs.api import org_in_body, unit_in_body

router = Router(tags=["建功立业工程与职工素质工程"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PROPOSALS, COMPETITIONS, SKILLS = ["合理化建议"], ["劳动和技能竞赛"], ["荣誉、书屋与培训"]


# ---- schemas ---------------------------------------------------------------------------------


class AuthorIn(Schema):
    name: str = Field(max_length=50)
    id_number: str = Field(max_length=30)


class AuthorOut(Schema):
    name: str
    id_number: str = Field(alias="id_number_mask", description="脱敏身份证号")


class ProposalIn(Schema):
    unit: int
    category: Proposal.Category
    title: str = Field(max_length=200)
    proposed_on: dt.date
    authors: list[AuthorIn] = Field(min_length=1, max_length=50)
    status_quo: str = Field("", max_length=2000)
    measure: str = Field("", max_length=2000)
    estimated_value: Money = Decimal("0")
    estimated_savings: Money = Decimal("0")
    number: str = Field("", max_length=30)


class ProposalOut(Schema):
    id: int
    number: str
    org: int = Field(alias="org_id")
    unit: int = Field(alias="unit_id")
    unit_name: str = Field(alias="unit.name")
    category: Proposal.Category
    title: str
    status: Proposal.Status
    authors_count: int
    estimated_value: Decimal
    estimated_savings: Decimal
    confirmed_value: Decimal
    confirmed_savings: Decimal
    reward_amount: Decimal
    proposed_on: dt.date
    dept_reviewed_on: dt.date | None
    committee_reviewed_on: dt.date | None
    decided_on: dt.date | None
    implemented_on: dt.date | None
    rewarded_on: dt.date | None


class ProposalDetailOut(ProposalOut):
    status_quo: str
    measure: str
    authors: list[AuthorOut]

    @staticmethod
    def resolve_authors(obj):
        return list(obj.authors.all())


class ProposalFilter(Schema):
    status: Proposal.Status | None = None
    category: Proposal.Category | None = None


class DepartmentIn(Schema):
    passed: bool
    on: dt.date
    opinion: str = Field("", max_length=200)


class ScoreIn(Schema):
    technical: int = Field(ge=0, le=30)
    value_band: ProposalScore.ValueBand
    economic: int = Field(ge=0, le=40)
    scope: int = Field(ge=0, le=15)
    practicality: int = Field(ge=0, le=15)
    on: dt.date
    opinion: str = Field("", max_length=200)


class DecideIn(Schema):
    adopt: bool
    on: dt.date
    note: str = Field("", max_length=200)


class ImplementIn(Schema):
    on: dt.date
    confirmed_value: Money
    confirmed_savings: Money = Decimal("0")


class RewardIn(Schema):
    on: dt.date
    amount: Money


class CompetitionIn(Schema):
    org: int
    kind: Competition.Kind
    name: str = Field(max_length=100)
    level: str = Field(max_length=10)
    start_date: dt.date
    end_date: dt.date
    theme: str = Field("", max_length=200)
    co_organisers: str = Field("", max_length=200)
    rules: str = Field("", max_length=2000)


class CompetitionOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    kind: Competition.Kind
    name: str
    level: str
    theme: str
    co_organisers: str
    start_date: dt.date
    end_date: dt.date


class EntryIn(Schema):
    unit: int
    workers: int = Field(ge=1, le=10_000_000)


class RegisterIn(Schema):
    org: int
    entries: list[EntryIn] = Field(min_length=1, max_length=1000)
    on: dt.date | None = None


class ParticipationOut(Schema):
    id: int
    competition: int = Field(alias="competition_id")
    org: int = Field(alias="org_id")
    unit: int = Field(alias="unit_id")
    unit_name: str = Field(alias="unit.name")
    workers: int
    status: str
    registered_on: dt.date
    decided_on: dt.date | None


class AcceptIn(Schema):
    accept: bool = True
    on: dt.date | None = None


class SavingsOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    unit: int = Field(alias="unit_id")
    kind: str
    period_start: dt.date
    period_end: dt.date
    value: Decimal
    confirmed_on: dt.date


class HonourOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    kind: str
    level: str
    year: int
    awarded_on: dt.date
    awarding_body: str
    holder: str

    @staticmethod
    def resolve_holder(obj):
        return obj.holder()


class ModelWorkerOut(AuthorOut):
    id: int
    org: int = Field(alias="org_id")
    job_status: str
    monthly_income: Decimal
    allowance: Decimal
    last_reviewed_on: dt.date | None


class RoundOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    name: str
    kind: str
    level: str
    year: int
    quota: int
    min_frontline_share: Decimal
    min_migrant_share: Decimal
    max_head_share: Decimal
    deadline: dt.date


class LibraryOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    name: str
    level: str
    books: int
    area: Decimal
    opened_on: dt.date


class TitleOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    unit: int = Field(alias="unit_id")
    kind: str
    level: str
    year: int


class CourseOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    name: str
    trade: str
    start_date: dt.date
    end_date: dt.date
    trainees: int
    promoted: int


# ---- proposals -----------------------------------------------------------------------------


@router.get("/proposals/", response=list[ProposalOut], tags=PROPOSALS, summary="合理化建议")
@paginate(Pagination)
def list_proposals(request, filters: Query[ProposalFilter]):
    found = selectors.proposals_for(request.auth).order_by("-proposed_on", "-id")
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.category:
        found = found.filter(category=filters.category)
    return found


@router.get(
    "/proposals/{proposal_id}", response={200: ProposalDetailOut, **READ_ERRORS}, tags=PROPOSALS
)
def get_proposal(request, proposal_id: int):
    return selectors.proposal_for(request.auth, proposal_id)


@router.post("/proposals/", response={201: ProposalOut, **ERRORS}, tags=PROPOSALS, summary="提出")
def create_proposal(request, payload: ProposalIn):
    actor = request.auth
    data = payload.dict()
    data["unit"] = unit_in_body(actor, data["unit"])
    data["authors"] = [(a["name"], a["id_number"]) for a in data["authors"]]
    return Status(201, services.create_proposal(actor=actor, **data))


def _step(request, proposal_id, service, payload):
    actor = request.auth
    proposal = selectors.proposal_for(actor, proposal_id)
    service(actor=actor, proposal=proposal, **payload.dict())
    return selectors.proposal_for(actor, proposal_id)


@router.post("/proposals/{proposal_id}/department-review", response={200: ProposalOut, **ERRORS},
             tags=PROPOSALS, summary="部门初审")  # fmt: skip
def department_review(request, proposal_id: int, payload: DepartmentIn):
    return _step(request, proposal_id, services.review_in_department, payload)


@router.post("/proposals/{proposal_id}/score", response={200: ProposalOut, **ERRORS},
             tags=PROPOSALS, summary="评审委员会评审（评分表）")  # fmt: skip
def score(request, proposal_id: int, payload: ScoreIn):
    return _step(request, proposal_id, services.score_proposal, payload)


@router.post("/proposals/{proposal_id}/decision", response={200: ProposalOut, **ERRORS},
             tags=PROPOSALS, summary="采纳 / 不采纳")  # fmt: skip
def decide(request, proposal_id: int, payload: DecideIn):
    return _step(request, proposal_id, services.decide_proposal, payload)


@router.post("/proposals/{proposal_id}/implementation", response={200: ProposalOut, **ERRORS},
             tags=PROPOSALS, summary="实施")  # fmt: skip
def implement(request, proposal_id: int, payload: ImplementIn):
    return _step(request, proposal_id, services.implement_proposal, payload)


@router.post("/proposals/{proposal_id}/reward", response={200: ProposalOut, **ERRORS},
             tags=PROPOSALS, summary="奖励")  # fmt: skip
def reward(request, proposal_id: int, payload: RewardIn):
    return _step(request, proposal_id, services.reward_proposal, payload)


# ---- competitions ----------------------------------------------------------------------------


@router.get("/competitions/", response=list[CompetitionOut], tags=COMPETITIONS, summary="竞赛")
@paginate(Pagination)
def list_competitions(request):
    return selectors.competitions_for(request.auth)


@router.get("/competitions/{competition_id}", response={200: CompetitionOut, **READ_ERRORS},
            tags=COMPETITIONS)  # fmt: skip
def get_competition(request, competition_id: int):
    return selectors.competition_for(request.auth, competition_id)


@router.post("/competitions/", response={201: CompetitionOut, **ERRORS}, tags=COMPETITIONS)
def create_competition(request, payload: CompetitionIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    return Status(201, services.create_competition(actor=actor, **data))


@router.get("/competitions/{competition_id}/participations",
            response={200: list[ParticipationOut], **READ_ERRORS}, tags=COMPETITIONS)  # fmt: skip
@paginate(Pagination)
def list_participations(request, competition_id: int):
    actor = request.auth
    return selectors.participations_for(actor, selectors.competition_for(actor, competition_id))


@router.post("/competitions/{competition_id}/participations",
             response={201: list[ParticipationOut], **ERRORS}, tags=COMPETITIONS,
             summary="报名参赛单位")  # fmt: skip
def register(request, competition_id: int, payload: RegisterIn):
    actor = request.auth
    competition = selectors.competition_for(actor, competition_id)
    entries = [(unit_in_body(actor, e.unit, field="entries"), e.workers) for e in payload.entries]
    created = services.register_units(
        actor=actor, competition=competition, org=org_in_body(actor, payload.org),
        entries=entries, on=payload.on,
    )  # fmt: skip
    return Status(201, created)


@router.post("/participations/{participation_id}/decision",
             response={200: ParticipationOut, **ERRORS}, tags=COMPETITIONS,
             summary="主办方确认报名")  # fmt: skip
def accept(request, participation_id: int, payload: AcceptIn):
    actor = request.auth
    participation = selectors.participation_for(actor, participation_id)
    return services.decide_participation(
        actor=actor, participation=participation, accept=payload.accept, on=payload.on
    )


# ---- savings, honours, model workers, rounds, libraries, titles, training --------------------


def _lister(path, schema, selector, tags, summary):
    @router.get(path, response=list[schema], tags=tags, summary=summary)
    @paginate(Pagination)
    def view(request):
        return selector(request.auth)

    view.__name__ = f"list_{selector.__name__}"
    return view


_lister("/savings/", SavingsOut, selectors.savings_for, PROPOSALS, "十个一节约与节能减排成果")
_lister("/honours/", HonourOut, selectors.honours_for, SKILLS, "荣誉")
_lister("/model-workers/", ModelWorkerOut, selectors.model_workers_for, SKILLS, "劳模档案")
_lister("/nomination-rounds/", RoundOut, selectors.rounds_for, SKILLS, "推荐评选")
_lister("/worker-libraries/", LibraryOut, selectors.libraries_for, SKILLS, "职工书屋")
_lister("/learning-titles/", TitleOut, selectors.titles_for, SKILLS, "学习型组织称号")
_lister("/training-courses/", CourseOut, selectors.courses_for, SKILLS, "技能培训班")


@router.get("/model-workers/{worker_id}", response={200: ModelWorkerOut, **READ_ERRORS},
            tags=SKILLS)  # fmt: skip
def get_model_worker(request, worker_id: int):
    return selectors.model_worker_for(request.auth, worker_id)


@router.get("/nomination-rounds/{round_id}", response={200: RoundOut, **READ_ERRORS}, tags=SKILLS)
def get_round(request, round_id: int):
    return selectors.round_for(request.auth, round_id)


@router.get("/worker-libraries/{library_id}", response={200: LibraryOut, **READ_ERRORS},
            tags=SKILLS)  # fmt: skip
def get_library(request, library_id: int):
    return selectors.library_for(request.auth, library_id)
