"""Every write of the cadres app. Keyword-only functions, one transaction each, the audit
entry inside it; a refusal is a DomainError naming the field in Chinese.

Rules that two requests could race on are database constraints (cadres.models): one chair
per union at a time, one roster record per person, one attendance per person and event,
one election under way per union. The checks here give the clear message first.

``actor=None`` is a system act (the demo, the tests' factories): no role or scope check.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from unionworks.cadres.models import (
    Arrangement,
    Attendance,
    AttendanceCount,
    Cadre,
    Candidate,
    Education,
    Election,
    Post,
    Recruitment,
    StudyEvent,
    StudySeries,
)
from unionworks.core import audit, roles
from unionworks.core.checks import checked_choice as _choice
from unionworks.core.checks import checked_text as _text
from unionworks.core.errors import DomainError
from unionworks.core.identity import id_index_of, parse_identity
from unionworks.core.scoping import is_in_subtree, subtree_filter
from unionworks.core.services import model_create, model_update
from unionworks.members.models import Member, MembershipSpell
from unionworks.members.services import can_view_personal_data
from unionworks.orgs.models import Org

CADRE_AUDIT = ["name", "sex", "birth_date", "id_number_mask", "org", "member", "education", "note"]
POST_AUDIT = ["cadre", "org", "kind", "full_time", "how", "rank_deputy", "start", "end",
              "end_reason", "election", "recruitment"]  # fmt: skip
CANDIDATE_AUDIT = ["name", "sex", "birth_date", "id_number_mask", "election", "seat", "full_time",
                   "votes", "elected"]  # fmt: skip

# 《工会基层组织选举工作条例》: a union of fewer than 80 members elects at a 会员大会; from
# 80 members up, at a 会员代表大会.
ASSEMBLY_LIMIT = 80
# 差额: candidates for the committee exceed the seats by at least this share (5%).
DIFFERENCE_SHARE = Decimal("0.05")
TERMS = (5, 3)  # years; 3 only for grassroots unions where the rules say so
COMMITTEE_SEATS = {Candidate.Seat.CHAIR: Post.Kind.CHAIR,
                   Candidate.Seat.VICE_CHAIR: Post.Kind.VICE_CHAIR,
                   Candidate.Seat.MEMBER: Post.Kind.MEMBER}  # fmt: skip


# ---- shared checks ---------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _require_writer(actor) -> None:
    if actor is not None:
        roles.require_writer(actor)


def _check_scope(org: Org | None, actor, *, field: str = "org", label: str = "工会") -> Org:
    if org is None:
        raise DomainError(f"{label}不能为空", field=field)
    if actor is not None and not is_in_subtree(org, actor):
        raise DomainError(f"{label}须在本组织及下级组织范围内", field=field)
    return org


def _date(on, *, field: str, label: str, future: bool = False) -> dt.date:
    if on is None:
        raise DomainError(f"{label}不能为空", field=field)
    if not isinstance(on, dt.date):
        raise DomainError(f"{label}应为日期", field=field)
    if not future and on > _today():
        raise DomainError(f"{label}不能晚于今天", field=field)
    return on


def _count(value, *, field: str, label: str, minimum: int = 0, maximum: int = 10_000_000) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"{label}应为整数", field=field) from None
    if not minimum <= number <= maximum:
        raise DomainError(f"{label}应在{minimum}到{maximum}之间", field=field)
    return number


def _hours(value, *, field: str = "hours") -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise DomainError("学时应为数字", field=field) from None
    if not Decimal("0") < hours <= Decimal("2000"):
        raise DomainError("学时应大于0且不超过2000", field=field)
    return hours


def _name(value, field: str = "name") -> str:
    return _text(value, field=field, label="姓名", required=True, max_length=50)


# ---- the roster --------------------------------------------------------------------------------


def cadre_of(id_number: str) -> Cadre | None:
    index = id_index_of(id_number)
    return Cadre.objects.filter(id_number_index=index).first() if index else None


@transaction.atomic
def add_cadre(
    *, actor, org: Org, id_number: str, name: str, education: str = "", note: str = ""
) -> Cadre:
    """A person onto the roster. One record per person: a second is refused, wherever the
    first is (the message names the union only if the actor may see it)."""
    _require_writer(actor)
    _check_scope(org, actor)
    try:
        facts, _phone = parse_identity(id_number)
    except DomainError as exc:
        raise DomainError(exc.message, field="id_number") from None
    index = id_index_of(facts.number)
    if Cadre.objects.filter(id_number_index=index).exists():
        raise DomainError("此人已在工会干部名册中，请在原记录上增加任职", field="id_number")
    if education:
        _choice(education, Education, field="education", label="文化程度")
    cadre = Cadre(
        org=org,
        name=_name(name),
        education=education or "",
        note=_text(note, field="note", label="备注"),
        member=Member.objects.filter(id_number_index=index).first(),
    )
    cadre.set_identity(facts)
    return model_create(
        instance=cadre,
        actor=actor,
        audited=CADRE_AUDIT,
        conflict=DomainError("此人刚被他人加入工会干部名册", field="id_number"),
    )


def reveal_id_number(*, actor, cadre: Cadre) -> str:
    """The full ID number, for a role that may see personal data (the roll's permission);
    every viewing is logged, exactly as on the roll."""
    if not can_view_personal_data(actor):
        raise DomainError("您没有查看完整身份证号和手机号的权限")
    if not is_in_subtree(cadre.org, actor):
        raise DomainError("无权查看该干部")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="view",
            instance=cadre,
            org=cadre.org,
            after={"查看": "完整身份证号"},
        )
    return cadre.revealed_id_number()


def _current_chair(org: Org, *, lock: bool = False) -> Post | None:
    posts = Post.objects.filter(org=org, kind=Post.Kind.CHAIR, end__isnull=True)
    if lock:
        posts = posts.select_for_update()
    return posts.select_related("cadre").first()


@transaction.atomic
def start_post(
    *,
    actor,
    cadre: Cadre,
    org: Org,
    kind: str,
    how: str,
    start: dt.date,
    full_time: bool = False,
    rank_deputy: bool = False,
    election: Election | None = None,
    recruitment: Recruitment | None = None,
) -> Post:
    """A post begins. A union has one chair at a time: a new chair's post ends the sitting
    chair's on the day it starts (继任者到任); a successor cannot start before or on the
    day the sitting chair started."""
    _require_writer(actor)
    _check_scope(org, actor)
    _check_scope(cadre.org, actor, field="cadre", label="干部")
    return _start_post(actor, cadre=cadre, org=org, kind=kind, how=how, start=start,
                       full_time=full_time, rank_deputy=rank_deputy, election=election,
                       recruitment=recruitment)  # fmt: skip


def _start_post(actor, *, cadre, org, kind, how, start, full_time=False, rank_deputy=False,
                election=None, recruitment=None) -> Post:  # fmt: skip
    """``start_post`` once the actor's right to act is settled (an approval by the higher
    union seats the new committee)."""
    kind = _choice(kind, Post.Kind, field="kind", label="职务")
    how = _choice(how, Post.How, field="how", label="产生方式")
    _date(start, field="start", label="任职日期")
    if cadre.birth_date and start < cadre.birth_date:
        raise DomainError("任职日期不能早于出生日期", field="start")
    if rank_deputy and kind != Post.Kind.CHAIR:
        raise DomainError("只有工会主席可按同级党政副职配备", field="rank_deputy")
    if rank_deputy and org.kind not in (Org.Kind.CITY, Org.Kind.COUNTY, Org.Kind.PROVINCE):
        raise DomainError("按同级党政副职配备只适用于省、市、县总工会主席", field="rank_deputy")
    if Post.objects.filter(cadre=cadre, org=org, kind=kind, end__isnull=True).exists():
        raise DomainError(f"此人已在该工会任{Post.Kind(kind).label}", field="kind")
    if kind == Post.Kind.CHAIR:
        sitting = _current_chair(org, lock=True)
        if sitting is not None:
            if sitting.start >= start:
                raise DomainError(
                    f"现任主席{sitting.cadre.name}自{sitting.start.isoformat()}任职，"
                    "继任者的任职日期须晚于该日",
                    field="start",
                )
            _end_post(actor, post=sitting, end=start, reason=Post.EndReason.SUCCEEDED)
    post = Post(
        cadre=cadre,
        org=org,
        kind=kind,
        how=how,
        start=start,
        full_time=bool(full_time),
        rank_deputy=bool(rank_deputy),
        election=election,
        recruitment=recruitment,
    )
    model_create(
        instance=post,
        actor=actor,
        audited=POST_AUDIT,
        conflict=DomainError(
            "该工会刚由他人任命了主席：同一工会同一时间只能有一名主席", field="kind"
        ),  # fmt: skip
    )
    if cadre.org_id != org.pk:  # the roster keeps a cadre where their latest post is
        model_update(instance=cadre, data={"org": org}, actor=actor, audited=CADRE_AUDIT)
    return post


@transaction.atomic
def end_post(*, actor, post: Post, end: dt.date, reason: str = Post.EndReason.OTHER) -> Post:
    """A post ends on ``end`` (the spell is ``[start, end)``)."""
    _require_writer(actor)
    _check_scope(post.org, actor)
    return _end_post(actor, post=post, end=end, reason=reason)


def _end_post(actor, *, post: Post, end: dt.date, reason: str) -> Post:
    if post.end is not None:
        raise DomainError("该任职已结束", field="end")
    _date(end, field="end", label="离任日期")
    if end < post.start:
        raise DomainError(f"离任日期不能早于任职日期（{post.start.isoformat()}）", field="end")
    model_update(
        instance=post,
        data={"end": end, "end_reason": _choice(reason, Post.EndReason, field="reason",
                                                 label="离任原因")},
        actor=actor,
        audited=POST_AUDIT,
    )  # fmt: skip
    return post


# ---- study and training events -----------------------------------------------------------------


def _event_fields(*, org, kind, theme, start_date, end_date, hours, venue, teachers, actor):
    _check_scope(org, actor, label="主办工会")
    kind = _choice(kind, StudyEvent.Kind, field="kind", label="类型")
    start_date = _date(start_date, field="start_date", label="开始日期", future=True)
    end_date = _date(end_date or start_date, field="end_date", label="结束日期", future=True)
    if end_date < start_date:
        raise DomainError("结束日期不能早于开始日期", field="end_date")
    return {
        "org": org,
        "kind": kind,
        "theme": _text(theme, field="theme", label="主题", required=True),
        "start_date": start_date,
        "end_date": end_date,
        "hours": _hours(hours),
        "venue": _text(venue, field="venue", label="地点", max_length=100),
        "teachers": _text(teachers, field="teachers", label="授课人"),
    }


@transaction.atomic
def create_event(
    *,
    actor,
    org: Org,
    kind: str,
    theme: str,
    start_date: dt.date,
    hours,
    end_date: dt.date | None = None,
    venue: str = "",
    teachers: str = "",
) -> StudyEvent:
    _require_writer(actor)
    fields = _event_fields(org=org, kind=kind, theme=theme, start_date=start_date,
                           end_date=end_date, hours=hours, venue=venue, teachers=teachers,
                           actor=actor)  # fmt: skip
    if fields["start_date"] > _today():
        fields["status"] = StudyEvent.Status.PLANNED
    return model_create(instance=StudyEvent(**fields), actor=actor)


def _months_after(first: dt.date, n: int) -> dt.date:
    month = first.month - 1 + n
    year, month = first.year + month // 12, month % 12 + 1
    day = min(first.day, 28)
    return dt.date(year, month, day)


@transaction.atomic
def create_series(
    *,
    actor,
    org: Org,
    kind: str,
    theme: str,
    first_date: dt.date,
    months: int,
    hours,
    venue: str = "",
) -> StudySeries:
    """A monthly series (每月一次专家讲座): one planned session a month, checked off as held."""
    _require_writer(actor)
    months = _count(months, field="months", label="月数", minimum=1, maximum=60)
    fields = _event_fields(org=org, kind=kind, theme=theme, start_date=first_date,
                           end_date=first_date, hours=hours, venue=venue, teachers="",
                           actor=actor)  # fmt: skip
    series = StudySeries(
        org=org,
        kind=fields["kind"],
        theme=fields["theme"],
        first_date=first_date,
        last_date=_months_after(first_date, months - 1),
        hours=fields["hours"],
        venue=fields["venue"],
    )
    model_create(instance=series, actor=actor)
    StudyEvent.objects.bulk_create(
        StudyEvent(
            org=org,
            series=series,
            kind=series.kind,
            theme=f"{series.theme}（第{i + 1}期）",
            start_date=(day := first_date if i == 0 else _months_after(first_date, i)),
            end_date=day,
            hours=series.hours,
            venue=series.venue,
            status=StudyEvent.Status.PLANNED,
        )
        for i in range(months)
    )
    return series


@transaction.atomic
def check_off_session(
    *, actor, event: StudyEvent, held_on: dt.date | None = None, teachers: str = ""
) -> StudyEvent:
    """A planned session is held (on its planned day unless another is given)."""
    _require_writer(actor)
    _check_scope(event.org, actor, field="event", label="活动")
    if event.status == StudyEvent.Status.HELD:
        raise DomainError("该期活动已登记为已举办", field="event")
    held_on = _date(held_on or event.start_date, field="held_on", label="举办日期")
    data = {"status": StudyEvent.Status.HELD, "start_date": held_on, "end_date": held_on}
    if teachers:
        data["teachers"] = _text(teachers, field="teachers", label="授课人")
    model_update(instance=event, data=data, actor=actor)
    event.attendances.update(event_date=held_on)
    event.counts.update(event_date=held_on)
    return event


def _attendee_for(event: StudyEvent, id_number: str, actor) -> tuple[Cadre | None, Member | None]:
    index = id_index_of(id_number)
    if index is None:
        raise DomainError(f"身份证号“{id_number}”无效", field="id_numbers")
    cadre = Cadre.objects.filter(id_number_index=index).select_related("org").first()
    member = None if cadre else Member.objects.filter(id_number_index=index).first()
    if cadre is None and member is None:
        raise DomainError(
            f"身份证号“{id_number}”既不在工会干部名册中，也不在会员名册中", field="id_numbers"
        )
    org = cadre.org if cadre else member.org
    if actor is not None and not is_in_subtree(org, actor):
        raise DomainError(f"身份证号“{id_number}”的人员不在本组织及下级组织范围内",
                          field="id_numbers")  # fmt: skip
    return cadre, member


@transaction.atomic
def add_attendees(
    *, actor, event: StudyEvent, cadres: Iterable[Cadre] = (), id_numbers: Iterable[str] = ()
) -> int:
    """Named attendees: cadres of the roster, or people by ID number (a cadre, else a
    member). A person already on the event's list is left as is. Returns how many were
    added."""
    _require_writer(actor)
    _check_scope(event.org, actor, field="event", label="活动")
    people: dict[str, tuple[Cadre | None, Member | None]] = {}
    for cadre in cadres:
        if actor is not None and not is_in_subtree(cadre.org, actor):
            raise DomainError(f"干部{cadre.name}不在本组织及下级组织范围内", field="cadres")
        people[cadre.id_number_index] = (cadre, None)
    for number in id_numbers:
        number = str(number).strip()
        if number:
            cadre, member = _attendee_for(event, number, actor)
            person = cadre or member
            people.setdefault(person.id_number_index, (cadre, member))
    if not people:
        raise DomainError("请至少选择或填写一名参加人员", field="id_numbers")
    present = set(
        event.attendances.filter(person_index__in=people).values_list("person_index", flat=True)
    )
    rows = []
    for index, (cadre, member) in people.items():
        if index in present:
            continue
        person = cadre or member
        rows.append(
            Attendance(
                event=event,
                org_id=person.org_id,
                cadre=cadre,
                member=member,
                person_index=index,
                name=person.name,
                id_number_mask=person.id_number_mask,
                event_date=event.start_date,
                hours=event.hours,
            )
        )
    Attendance.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="update",
        instance=event,
        org=event.org,
        after={"参加人员": f"新增{len(rows)}人", audit.ORGS_KEY: sorted({r.org_id for r in rows})},
    )
    return len(rows)


@transaction.atomic
def record_attendance_count(*, actor, event: StudyEvent, org: Org, people) -> AttendanceCount:
    """Attendees given as a count from one union (replaces that union's earlier count)."""
    _require_writer(actor)
    _check_scope(event.org, actor, field="event", label="活动")
    _check_scope(org, actor, label="参加人员所在工会")
    people = _count(people, field="people", label="人数", minimum=1, maximum=1_000_000)
    found = AttendanceCount.objects.filter(event=event, org=org).first()
    if found:
        model_update(instance=found, data={"people": people}, actor=actor, org=org)
        return found
    count = AttendanceCount(event=event, org=org, people=people, event_date=event.start_date)
    return model_create(instance=count, actor=actor, org=org)


# ---- recruitment -------------------------------------------------------------------------------


@transaction.atomic
def create_recruitment(
    *,
    actor,
    org: Org,
    title: str,
    how: str,
    announced_on: dt.date,
    posts_offered,
    applicants=0,
    grade: str = "",
) -> Recruitment:
    _require_writer(actor)
    _check_scope(org, actor, label="招聘工会")
    if how not in (Post.How.SOCIAL, Post.How.PROFESSIONAL):
        raise DomainError("招聘方式须为社会化招聘或职业化招聘", field="how")
    record = Recruitment(
        org=org,
        title=_text(title, field="title", label="招聘名称", required=True),
        how=how,
        announced_on=_date(announced_on, field="announced_on", label="发布日期"),
        posts_offered=_count(
            posts_offered, field="posts_offered", label="岗位数", minimum=1, maximum=10_000
        ),  # fmt: skip
        applicants=_count(applicants, field="applicants", label="报名人数"),
        grade=_text(grade, field="grade", label="岗位等级", max_length=50),
    )
    return model_create(instance=record, actor=actor)


@transaction.atomic
def hire(
    *,
    actor,
    recruitment: Recruitment,
    id_number: str,
    name: str,
    org: Org | None = None,
    start: dt.date,
    kind: str = Post.Kind.STAFF,
) -> Post:
    """A recruit takes up the post: onto the roster (if not already) and a full-time post
    started by recruitment. No more hires than posts offered."""
    _require_writer(actor)
    _check_scope(recruitment.org, actor, field="recruitment", label="招聘")
    org = org or recruitment.org
    if recruitment.posts.count() >= recruitment.posts_offered:
        raise DomainError(f"本次招聘{recruitment.posts_offered}个岗位已满", field="id_number")
    if start < recruitment.announced_on:
        raise DomainError("到岗日期不能早于招聘发布日期", field="start")
    cadre = cadre_of(id_number) or add_cadre(actor=actor, org=org, id_number=id_number,
                                             name=name)  # fmt: skip
    return start_post(actor=actor, cadre=cadre, org=org, kind=kind, how=recruitment.how,
                      start=start, full_time=True, recruitment=recruitment)  # fmt: skip


# ---- arrangements --------------------------------------------------------------------------------


@transaction.atomic
def record_arrangement(
    *, actor, org: Org, kind: str, since: dt.date, document: str = ""
) -> Arrangement:
    """A city or county federation's 工会干部维权机制, or its chair ranking as a deputy head
    of the Party committee or government, from ``since``."""
    _require_writer(actor)
    _check_scope(org, actor)
    kind = _choice(kind, Arrangement.Kind, field="kind", label="类型")
    if org.kind not in (Org.Kind.CITY, Org.Kind.COUNTY):
        raise DomainError("只有市总工会和县(市、区)总工会登记此项", field="org")
    if Arrangement.objects.filter(org=org, kind=kind, until__isnull=True).exists():
        raise DomainError(f"“{org.name}”已登记{Arrangement.Kind(kind).label}", field="kind")
    record = Arrangement(
        org=org,
        kind=kind,
        since=_date(since, field="since", label="建立日期"),
        document=_text(document, field="document", label="依据文件"),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    return model_create(
        instance=record, actor=actor, conflict=DomainError("此项刚由他人登记", field="kind")
    )


@transaction.atomic
def end_arrangement(*, actor, arrangement: Arrangement, until: dt.date) -> Arrangement:
    _require_writer(actor)
    _check_scope(arrangement.org, actor)
    if until < arrangement.since:
        raise DomainError("终止日期不能早于建立日期", field="until")
    model_update(instance=arrangement, data={"until": until}, actor=actor)
    return arrangement


# ---- elections -----------------------------------------------------------------------------------


def members_on(org: Org, day: dt.date) -> int:
    """Members of the union and the unions below it on ``day`` (open membership spells)."""
    return (
        MembershipSpell.objects.filter(**subtree_filter(org.path, "org__path"), start__lte=day)
        .exclude(end__lte=day)
        .count()
    )


def method_for(members_count: int) -> str:
    return Election.Method.ASSEMBLY if members_count < ASSEMBLY_LIMIT else Election.Method.CONGRESS


def check_method(method: str, members_count: int) -> None:
    """会员大会 under 80 members, 会员代表大会 from 80 up; a refused choice says why."""
    wanted = method_for(members_count)
    if method != wanted:
        if wanted == Election.Method.ASSEMBLY:
            reason = f"本会会员{members_count}人，不足{ASSEMBLY_LIMIT}人，应召开会员大会选举"
        else:
            reason = (
                f"本会会员{members_count}人，达到{ASSEMBLY_LIMIT}人以上，应召开会员代表大会选举"
            )
        raise DomainError(reason, field="method")


def minimum_candidates(seats: int) -> int:
    """差额: at least seats × (1 + 5%), rounded up — 7 seats need 8 candidates."""
    return seats + max(1, math.ceil(seats * DIFFERENCE_SHARE))


def check_difference(seats: int, candidates: int) -> None:
    needed = minimum_candidates(seats)
    if candidates < needed:
        raise DomainError(
            f"差额选举：应选委员{seats}名，候选人须不少于{needed}名（差额不低于"
            f"{int(DIFFERENCE_SHARE * 100)}%），现有{candidates}名",
            field="candidates",
        )


def _require_higher(actor, election: Election) -> None:
    """The candidate list and the result are approved by a higher union, not the union
    holding the election."""
    if actor is None:
        return
    if not (roles.can_write(actor) or roles.can_review(actor)):
        raise PermissionDenied("您的角色只能查看，不能批复")
    if actor.org_id == election.org_id or not is_in_subtree(election.org, actor):
        raise DomainError("须由上级工会批复", field="election")


@transaction.atomic
def request_election(
    *,
    actor,
    org: Org,
    requested_on: dt.date,
    planned_on: dt.date,
    method: str,
    seats,
    delegates=0,
    term_years=5,
    direct_chair: bool = False,
    members_count=None,
) -> Election:
    """换届请示: the union asks its higher union to hold an election. The method follows the
    membership on the day of the request (the roll's count unless given)."""
    _require_writer(actor)
    _check_scope(org, actor)
    requested_on = _date(requested_on, field="requested_on", label="请示日期")
    planned_on = _date(planned_on, field="planned_on", label="拟选举日期", future=True)
    if planned_on < requested_on:
        raise DomainError("拟选举日期不能早于请示日期", field="planned_on")
    term_years = _count(term_years, field="term_years", label="任期", minimum=3, maximum=5)
    if term_years not in TERMS:
        raise DomainError("任期为5年；基层工会按规定可为3年", field="term_years")
    if term_years == 3 and org.kind != Org.Kind.GRASSROOTS:
        raise DomainError("只有基层工会可实行3年任期，其他工会任期为5年", field="term_years")
    if members_count in (None, ""):
        members_count = members_on(org, requested_on)
    members_count = _count(members_count, field="members_count", label="会员人数")
    method = _choice(method, Election.Method, field="method", label="选举方式")
    check_method(method, members_count)
    seats = _count(seats, field="seats", label="应选委员数", minimum=3, maximum=99)
    delegates = _count(delegates or 0, field="delegates", label="代表人数", maximum=100_000)
    if method == Election.Method.CONGRESS and delegates < seats:
        raise DomainError("会员代表大会须登记代表人数（不少于应选委员数）", field="delegates")
    if method == Election.Method.ASSEMBLY:
        delegates = 0
    if Election.objects.filter(org=org).exclude(status=Election.Status.APPROVED).exists():
        raise DomainError("本会已有一次换届选举正在进行", field="org")
    election = Election(
        org=org,
        requested_on=requested_on,
        planned_on=planned_on,
        method=method,
        members_count=members_count,
        delegates=delegates,
        seats=seats,
        term_years=term_years,
        direct_chair=bool(direct_chair),
    )
    return model_create(
        instance=election,
        actor=actor,
        conflict=DomainError("本会已有一次换届选举正在进行", field="org"),
    )


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("org").get(pk=election.pk)


@transaction.atomic
def add_candidate(
    *, actor, election: Election, id_number: str, name: str, seat: str = Candidate.Seat.MEMBER,
    full_time: bool = False,
) -> Candidate:  # fmt: skip
    """A candidate on the list, until the higher union approves it."""
    _require_writer(actor)
    _check_scope(election.org, actor, field="election", label="选举")
    election = _locked(election)
    if election.status != Election.Status.REQUESTED:
        raise DomainError("候选人名单已批复，不能再增加候选人", field="election")
    facts, _phone = parse_identity(id_number)
    seat = _choice(seat, Candidate.Seat, field="seat", label="拟任职务")
    index = id_index_of(facts.number)
    if election.candidates.filter(id_number_index=index).exists():
        raise DomainError("此人已在候选人名单中", field="id_number")
    candidate = Candidate(election=election, name=_name(name), seat=seat,
                          full_time=bool(full_time))  # fmt: skip
    candidate.set_identity(facts)
    return model_create(
        instance=candidate,
        actor=actor,
        org=election.org,
        audited=CANDIDATE_AUDIT,
        conflict=DomainError("此人已在候选人名单中", field="id_number"),
    )


@transaction.atomic
def approve_candidates(*, actor, election: Election, on: dt.date) -> Election:
    """The higher union approves the candidate list; the 差额 rule must hold."""
    _require_higher(actor, election)
    election = _locked(election)
    if election.status != Election.Status.REQUESTED:
        raise DomainError("候选人名单已经批复", field="election")
    on = _date(on, field="on", label="批复日期")
    if on < election.requested_on:
        raise DomainError("批复日期不能早于请示日期", field="on")
    check_difference(election.seats, election.candidates.count())
    if election.direct_chair and not election.candidates.filter(seat=Candidate.Seat.CHAIR).exists():
        raise DomainError("直接选举主席须有主席候选人", field="candidates")
    model_update(
        instance=election,
        data={"status": Election.Status.CANDIDATES_APPROVED, "candidates_approved_on": on},
        actor=actor,
    )
    return election


@transaction.atomic
def record_result(
    *, actor, election: Election, held_on: dt.date, voters, votes: dict[int, int]
) -> Election:
    """The vote: each candidate's votes. Elected: more than half of the voters present, the
    most votes first, up to the seats; the chair the most-voted chair candidate elected."""
    _require_writer(actor)
    _check_scope(election.org, actor, field="election", label="选举")
    election = _locked(election)
    if election.status != Election.Status.CANDIDATES_APPROVED:
        raise DomainError("候选人名单须先经上级工会批复，才能登记选举结果", field="election")
    held_on = _date(held_on, field="held_on", label="选举日期")
    if held_on < election.candidates_approved_on:
        raise DomainError("选举日期不能早于候选人批复日期", field="held_on")
    electorate = election.delegates if election.method == Election.Method.CONGRESS else (
        election.members_count)  # fmt: skip
    voters = _count(voters, field="voters", label="到会有选举权人数", minimum=1,
                    maximum=max(electorate, 1))  # fmt: skip
    # 选举须有应到会人数三分之二以上到会.
    if voters * 3 < electorate * 2:
        raise DomainError(
            f"到会{voters}人，不足应到会{electorate}人的三分之二，选举无效", field="voters"
        )
    candidates = list(election.candidates.all())
    for candidate in candidates:
        got = votes.get(candidate.pk, votes.get(str(candidate.pk)))
        if got is None:
            raise DomainError(f"请填写{candidate.name}的得票数", field=f"votes_{candidate.pk}")
        candidate.votes = _count(got, field=f"votes_{candidate.pk}",
                                 label=f"{candidate.name}的得票数", maximum=voters)  # fmt: skip
        candidate.elected = False
    passing = sorted((c for c in candidates if c.votes * 2 > voters), key=lambda c: -c.votes)
    elected = passing[: election.seats]
    chairs = [c for c in elected if c.seat == Candidate.Seat.CHAIR]
    for c in elected:
        c.elected = c.seat != Candidate.Seat.CHAIR or c is chairs[0]
    Candidate.objects.bulk_update(candidates, ["votes", "elected"])
    model_update(
        instance=election,
        data={"status": Election.Status.HELD, "held_on": held_on, "voters": voters},
        actor=actor,
        note={"当选": "、".join(c.name for c in candidates if c.elected) or "无"},
    )
    return election


@transaction.atomic
def approve_result(*, actor, election: Election, on: dt.date) -> Election:
    """The higher union approves the result: the new committee takes office from the
    election day and the old committee's posts end on it."""
    _require_higher(actor, election)
    election = _locked(election)
    if election.status != Election.Status.HELD:
        raise DomainError("选举结果尚未登记，或已经批复", field="election")
    on = _date(on, field="on", label="批复日期")
    if on < election.held_on:
        raise DomainError("批复日期不能早于选举日期", field="on")
    org, held_on = election.org, election.held_on
    sitting = Post.objects.select_for_update().filter(
        org=org, kind__in=Post.COMMITTEE, end__isnull=True
    )
    if sitting.filter(start__gte=held_on).exists():
        raise DomainError("本会有委员的任职日期不早于本次选举日期，请先核对任职记录",
                          field="election")  # fmt: skip
    for post in sitting:
        _end_post(actor, post=post, end=held_on, reason=Post.EndReason.ELECTION)
    for candidate in election.candidates.filter(elected=True).order_by("id"):
        cadre = Cadre.objects.filter(id_number_index=candidate.id_number_index).first()
        if cadre is None:
            cadre = Cadre(org=org, name=candidate.name, member=Member.objects.filter(
                id_number_index=candidate.id_number_index).first())  # fmt: skip
            for field in ("sex", "birth_date", "id_number_cipher", "id_number_index",
                          "id_number_mask"):  # fmt: skip
                setattr(cadre, field, getattr(candidate, field))
            model_create(instance=cadre, actor=actor, org=org, audited=CADRE_AUDIT)
        kind = COMMITTEE_SEATS[candidate.seat]
        direct = kind == Post.Kind.CHAIR and election.direct_chair
        _start_post(actor, cadre=cadre, org=org, kind=kind,
                   how=Post.How.DIRECT if direct else Post.How.ELECTED, start=held_on,
                   full_time=candidate.full_time, election=election)  # fmt: skip
    Election.objects.filter(
        org=org, status=Election.Status.APPROVED, superseded_on__isnull=True
    ).update(superseded_on=held_on)
    model_update(
        instance=election,
        data={
            "status": Election.Status.APPROVED,
            "result_approved_on": on,
            "approved_by_org": actor.org if actor is not None else org.parent,
            "next_due_on": _years_after(held_on, election.term_years),
        },
        actor=actor,
    )
    return election


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
