"""Study events, cadres, posts and elections over JSON, scoped like the pages.

Reads go through cadres.selectors, writes through cadres.services. An id outside the
acting user's subtree is a 404 in the path, and a 400 in a body (the same words as "no
such id", so nothing leaks). ID numbers travel masked.
"""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from unionworks.cadres import selectors, services
from unionworks.cadres.models import Cadre, Candidate, Election, Post, StudyEvent
from unionworks.core.api import ErrorOut, Pagination, bounded_by, resolve_or_domain_error
from unionworks.orgs.api import org_in_body

router = Router(tags=["理论武装工程与人才兴会工程"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
EVENTS, CADRES, ELECTIONS = ["学习培训活动"], ["工会干部与任职"], ["换届选举"]


# ---- schemas -----------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    series: int | None = Field(alias="series_id")
    kind: StudyEvent.Kind
    theme: str
    start_date: dt.date
    end_date: dt.date
    hours: Decimal
    venue: str
    teachers: str
    status: StudyEvent.Status


@bounded_by(StudyEvent)
class EventIn(Schema):
    org: int
    kind: StudyEvent.Kind
    theme: str = Field(max_length=200)
    start_date: dt.date
    end_date: dt.date | None = None
    hours: Decimal = Field(gt=0, le=2000, decimal_places=1)
    venue: str = Field("", max_length=100)
    teachers: str = Field("", max_length=200)


@bounded_by()
class EventFilter(Schema):
    kind: StudyEvent.Kind | None = None
    year: int | None = Field(None, ge=1990, le=2100)


@bounded_by()
class AttendeesIn(Schema):
    id_numbers: list[str] = Field(max_length=2000, description="参加人员身份证号")


class AttendeesOut(Schema):
    added: int


class CadreOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: dt.date
    id_number: str = Field(alias="id_number_mask", description="脱敏身份证号")
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    education: str


@bounded_by(Cadre)
class CadreIn(Schema):
    org: int
    name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    education: str = ""
    note: str = Field("", max_length=200)


@bounded_by()
class CadreFilter(Schema):
    q: str = Field("", max_length=40)
    in_post: bool = False


class PostOut(Schema):
    id: int
    cadre: int = Field(alias="cadre_id")
    cadre_name: str = Field(alias="cadre.name")
    org: int = Field(alias="org_id")
    kind: Post.Kind
    how: Post.How
    full_time: bool
    rank_deputy: bool
    start: dt.date
    end: dt.date | None
    end_reason: str
    election: int | None = Field(alias="election_id")


@bounded_by(Post)
class PostIn(Schema):
    cadre: int
    org: int
    kind: Post.Kind
    how: Post.How
    start: dt.date
    full_time: bool = False
    rank_deputy: bool = False


@bounded_by()
class PostFilter(Schema):
    org: int | None = None
    current: bool = False
    kind: Post.Kind | None = None


class ElectionOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    status: Election.Status
    method: Election.Method
    term_years: int
    members_count: int
    delegates: int
    seats: int
    direct_chair: bool
    requested_on: dt.date
    planned_on: dt.date
    candidates_approved_on: dt.date | None
    held_on: dt.date | None
    voters: int
    result_approved_on: dt.date | None
    next_due_on: dt.date | None


class CandidateOut(Schema):
    id: int
    name: str
    id_number: str = Field(alias="id_number_mask")
    seat: Candidate.Seat
    full_time: bool
    votes: int | None
    elected: bool


class ElectionDetailOut(ElectionOut):
    candidates: list[CandidateOut]

    @staticmethod
    def resolve_candidates(obj):
        return list(obj.candidates.order_by("id"))


@bounded_by(Election)
class ElectionIn(Schema):
    org: int
    requested_on: dt.date
    planned_on: dt.date
    method: Election.Method
    seats: int = Field(ge=3, le=99)
    delegates: int = Field(0, ge=0, le=100_000)
    term_years: int = Field(5, ge=3, le=5)
    direct_chair: bool = False
    members_count: int | None = Field(None, ge=0, le=10_000_000)


@bounded_by()
class ElectionFilter(Schema):
    status: Election.Status | None = None
    overdue: bool = False


@bounded_by(Candidate)
class CandidateIn(Schema):
    name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    seat: Candidate.Seat = Candidate.Seat.MEMBER
    full_time: bool = False


@bounded_by()
class DecideIn(Schema):
    on: dt.date


@bounded_by()
class ResultIn(Schema):
    held_on: dt.date
    voters: int = Field(ge=1, le=10_000_000)
    votes: dict[int, int] = Field(description="候选人编号 → 得票数")


# ---- study events ------------------------------------------------------------------------------


@router.get("/study-events/", response=list[EventOut], tags=EVENTS, summary="学习培训活动")
@paginate(Pagination)
def list_events(request, filters: Query[EventFilter]):
    return selectors.events_for(request.auth, kind=filters.kind or "", year=filters.year)


@router.get("/study-events/{event_id}", response={200: EventOut, **READ_ERRORS}, tags=EVENTS,
            summary="活动详情")  # fmt: skip
def get_event(request, event_id: int):
    return selectors.event_for(request.auth, event_id)


@router.post("/study-events/", response={201: EventOut, **ERRORS}, tags=EVENTS, summary="登记活动")
def create_event(request, payload: EventIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    return Status(201, services.create_event(actor=actor, **data))


@router.post("/study-events/{event_id}/attendees", response={200: AttendeesOut, **ERRORS},
             tags=EVENTS, summary="添加参加人员（按身份证号）")  # fmt: skip
def add_attendees(request, event_id: int, payload: AttendeesIn):
    event = selectors.event_for(request.auth, event_id)
    added = services.add_attendees(actor=request.auth, event=event, id_numbers=payload.id_numbers)
    return {"added": added}


# ---- cadres and posts --------------------------------------------------------------------------


@router.get("/cadres/", response=list[CadreOut], tags=CADRES, summary="工会干部名册")
@paginate(Pagination)
def list_cadres(request, filters: Query[CadreFilter]):
    return selectors.cadres_for(request.auth, q=filters.q, in_post=filters.in_post)


@router.get("/cadres/{cadre_id}", response={200: CadreOut, **READ_ERRORS}, tags=CADRES,
            summary="干部详情")  # fmt: skip
def get_cadre(request, cadre_id: int):
    return selectors.cadre_for(request.auth, cadre_id)


@router.post("/cadres/", response={201: CadreOut, **ERRORS}, tags=CADRES, summary="加入名册")
def create_cadre(request, payload: CadreIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    return Status(201, services.add_cadre(actor=actor, **data))


@router.get("/cadre-posts/", response=list[PostOut], tags=CADRES, summary="任职（任期）")
@paginate(Pagination)
def list_posts(request, filters: Query[PostFilter]):
    org = org_in_body(request.auth, filters.org) if filters.org else None
    return selectors.posts_for(request.auth, org=org, current=filters.current,
                               kind=filters.kind or "")  # fmt: skip


@router.post("/cadre-posts/", response={201: PostOut, **ERRORS}, tags=CADRES, summary="登记任职")
def create_post(request, payload: PostIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    data["cadre"] = resolve_or_domain_error(
        lambda: selectors.cadre_for(actor, data["cadre"]), field="cadre",
        message="干部不存在，或不在本组织及下级组织范围内",
    )  # fmt: skip
    return Status(201, services.start_post(actor=actor, **data))


# ---- elections ---------------------------------------------------------------------------------


@router.get("/elections/", response=list[ElectionOut], tags=ELECTIONS, summary="换届选举")
@paginate(Pagination)
def list_elections(request, filters: Query[ElectionFilter]):
    return selectors.elections_for(request.auth, status=filters.status or "",
                                   overdue=filters.overdue)  # fmt: skip


@router.get("/elections/{election_id}", response={200: ElectionDetailOut, **READ_ERRORS},
            tags=ELECTIONS, summary="选举详情（候选人与得票）")  # fmt: skip
def get_election(request, election_id: int):
    return selectors.election_for(request.auth, election_id)


@router.post("/elections/", response={201: ElectionOut, **ERRORS}, tags=ELECTIONS,
             summary="换届选举请示")  # fmt: skip
def request_election(request, payload: ElectionIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    return Status(201, services.request_election(actor=actor, **data))


@router.post("/elections/{election_id}/candidates", response={201: CandidateOut, **ERRORS},
             tags=ELECTIONS, summary="登记候选人")  # fmt: skip
def add_candidate(request, election_id: int, payload: CandidateIn):
    election = selectors.election_for(request.auth, election_id)
    return Status(201, services.add_candidate(actor=request.auth, election=election,
                                              **payload.dict()))  # fmt: skip


@router.post("/elections/{election_id}/approve-candidates",
             response={200: ElectionOut, **ERRORS}, tags=ELECTIONS,
             summary="上级工会批复候选人名单")  # fmt: skip
def approve_candidates(request, election_id: int, payload: DecideIn):
    election = selectors.election_for(request.auth, election_id)
    return services.approve_candidates(actor=request.auth, election=election, on=payload.on)


@router.post("/elections/{election_id}/result", response={200: ElectionOut, **ERRORS},
             tags=ELECTIONS, summary="登记选举结果")  # fmt: skip
def record_result(request, election_id: int, payload: ResultIn):
    election = selectors.election_for(request.auth, election_id)
    return services.record_result(actor=request.auth, election=election, **payload.dict())


@router.post("/elections/{election_id}/approve-result", response={200: ElectionOut, **ERRORS},
             tags=ELECTIONS, summary="上级工会批复选举结果（新一届委员会就任）")  # fmt: skip
def approve_result(request, election_id: int, payload: DecideIn):
    election = selectors.election_for(request.auth, election_id)
    return services.approve_result(actor=request.auth, election=election, on=payload.on)
