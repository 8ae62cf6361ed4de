"""理论武装工程 and 人才兴会工程 indicators, counted at the union where each record sits.

- study events: events held (not planned sessions), by the organising union and the day
  they began; by kind; series sessions held; their hours (学时, to the tenth);
- attendees: named attendees under the union they came from, plus attendees given as a
  count under their union;
- cadres trained: roster cadres who attended a training event (any kind but 义务劳动) in
  the period, each person once per union and period whatever their number of courses —
  ``COUNT(DISTINCT person)`` grouped by the attendee's union;
- posts, as of the period's last day (spells ``[start, end)``): chairs in office elected
  directly, cadres in post who came by social or professional recruitment, full-time
  cadres (people, not posts);
- arrangements as of the last day: federations with a rights mechanism; city and county
  federations whose chair ranks as a deputy head of the Party committee or government;
- elections as of the last day: committees due for re-election within the period,
  overdue, and unions whose committee is full (a chair and at least the seats elected).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from unionworks.cadres.models import (
    Arrangement,
    Attendance,
    AttendanceCount,
    Election,
    Post,
    StudyEvent,
)
from unionworks.cadres.selectors import election_current_on, post_open_on
from unionworks.core.periods import Period
from unionworks.core.scoping import subtree_q
from unionworks.orgs.models import Org
from unionworks.stats.registry import FLOW, STOCK, Indicator, Source, register
from unionworks.stats.sources import COUNT, Figure, dated, flow_source, per_org

TENTH = Decimal("0.1")
TRAINING = Q(event__kind__in=[k for k in StudyEvent.Kind.values if k != StudyEvent.Kind.LABOUR])
KIND_EN = {
    StudyEvent.Kind.LECTURE: "Lectures",
    StudyEvent.Kind.CLASS: "Training classes",
    StudyEvent.Kind.GROUP_STUDY: "Group study sessions",
    StudyEvent.Kind.FORUM: "Seminars and forums",
    StudyEvent.Kind.EXPERT: "Expert lectures",
    StudyEvent.Kind.LABOUR: "Voluntary labour",
    StudyEvent.Kind.OTHER: "Other study events",
}


class Hours(Figure):
    """A sum of hours, to the tenth."""

    def aggregate(self, extra: Q | None = None):
        condition = self.where & extra if extra is not None else self.where
        return Sum(self.value, filter=condition)

    def clean(self, value):
        return Decimal(value or 0).quantize(TENTH)


def _held_events(root: Org) -> QuerySet:
    return StudyEvent.objects.filter(subtree_q(root, "org__"), status=StudyEvent.Status.HELD)


EVENTS = flow_source(
    "cadres.events",
    _held_events,
    date="start_date",
    org="org_id",
    figures=[
        Figure("study_events"),
        Figure("study_sessions", COUNT, where=Q(series__isnull=False)),
        Hours("study_hours", value="hours"),
        *[Figure(f"study_events_{kind}", COUNT, where=Q(kind=kind)) for kind in StudyEvent.Kind],
    ],
)


def _attendances(root: Org) -> QuerySet:
    return Attendance.objects.filter(subtree_q(root, "org__"))


def _attendance_compute(root: Org, period: Period) -> dict:
    """Named attendees and counted ones under the union they came from; cadres trained
    once per person and union whatever their courses. Two grouped queries."""
    named = per_org(
        _attendances(root).filter(dated("event_date", period.start, period.end)),
        "org_id",
        named=Count("id"),
        trained=Count("person_index", distinct=True, filter=TRAINING & Q(cadre__isnull=False)),
    )
    counted = per_org(
        AttendanceCount.objects.filter(
            subtree_q(root, "org__"), dated("event_date", period.start, period.end)
        ),
        "org_id",
        people=Sum("people"),
    )
    attendees = dict(named["named"])
    for org_id, people in counted["people"].items():
        attendees[org_id] = attendees.get(org_id, 0) + int(people)
    return {"study_attendees": attendees, "cadres_trained": named["trained"]}


def _attendance_series(root: Org, periods: list[Period]) -> list[dict]:
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    aggregates = {}
    for i, p in enumerate(periods):
        within = dated("event_date", p.start, p.end)
        aggregates[f"n{i}"] = Count("id", filter=within)
        aggregates[f"t{i}"] = Count(
            "person_index", distinct=True, filter=within & TRAINING & Q(cadre__isnull=False)
        )
    named = per_org(_attendances(root).filter(dated("event_date", first, last)), "org_id",
                    **aggregates)  # fmt: skip
    counted = per_org(
        AttendanceCount.objects.filter(subtree_q(root, "org__"), dated("event_date", first, last)),
        "org_id",
        **{f"c{i}": Sum("people", filter=dated("event_date", p.start, p.end))
           for i, p in enumerate(periods)},
    )  # fmt: skip
    result = []
    for i in range(len(periods)):
        attendees = dict(named[f"n{i}"])
        for org_id, people in counted[f"c{i}"].items():
            attendees[org_id] = attendees.get(org_id, 0) + int(people)
        result.append({"study_attendees": attendees, "cadres_trained": named[f"t{i}"]})
    return result


ATTENDANCE = Source("cadres.attendance", _attendance_compute, _attendance_series,
                    series_by_org=True)  # fmt: skip


def _posts_compute(root: Org, period: Period) -> dict:
    """Posts open on the period's last day, one grouped query."""
    day = period.as_of
    posts = Post.objects.filter(subtree_q(root, "org__"), post_open_on(day))
    found = per_org(
        posts,
        "org_id",
        chairs_elected_directly=Count("id", filter=Q(kind=Post.Kind.CHAIR, how=Post.How.DIRECT)),
        cadres_recruited=Count(
            "cadre", distinct=True, filter=Q(how__in=[Post.How.SOCIAL, Post.How.PROFESSIONAL])
        ),
        full_time_cadres=Count("cadre", distinct=True, filter=Q(full_time=True)),
        cadres_in_post=Count("cadre", distinct=True),
    )
    return found


POSTS = Source("cadres.posts", _posts_compute)


def _arrangements_compute(root: Org, period: Period) -> dict:
    day = period.as_of
    found = per_org(
        Arrangement.objects.filter(
            Q(since__lte=day) & (Q(until__isnull=True) | Q(until__gt=day)),
            subtree_q(root, "org__"),
        ),
        "org_id",
        rights_mechanisms=Count("id", filter=Q(kind=Arrangement.Kind.RIGHTS)),
        chairs_deputy_city=Count(
            "id", filter=Q(kind=Arrangement.Kind.RANK, org__kind=Org.Kind.CITY)
        ),
        chairs_deputy_county=Count(
            "id", filter=Q(kind=Arrangement.Kind.RANK, org__kind=Org.Kind.COUNTY)
        ),
    )
    return found


ARRANGEMENTS = Source("cadres.arrangements", _arrangements_compute)


def _elections_compute(root: Org, period: Period) -> dict:
    """The committee in office on the last day: due within the period, overdue, full."""
    day = period.as_of
    sitting = (
        Post.objects.filter(org=OuterRef("org"), kind__in=Post.COMMITTEE)
        .filter(post_open_on(day))
        .values("org")
        .annotate(n=Count("id"))
        .values("n")
    )
    chair = Post.objects.filter(org=OuterRef("org"), kind=Post.Kind.CHAIR).filter(post_open_on(day))
    rows = (
        Election.objects.filter(subtree_q(root, "org__"), election_current_on(day))
        .annotate(sitting=Subquery(sitting), chair=Subquery(chair.values("id")[:1]))
        .values_list("org_id", "next_due_on", "seats", "sitting", "chair")
    )
    due, overdue, full = {}, {}, {}
    for org_id, next_due_on, seats, seated, chaired in rows:
        if period.start <= next_due_on <= period.end:
            due[org_id] = due.get(org_id, 0) + 1
        if next_due_on < day:
            overdue[org_id] = overdue.get(org_id, 0) + 1
        if chaired and (seated or 0) >= seats:
            full[org_id] = full.get(org_id, 0) + 1
    return {"elections_due": due, "elections_overdue": overdue, "full_committees": full}


ELECTIONS = Source("cadres.elections", _elections_compute)

register(
    Indicator("study_events", "学习培训活动", "Study and training events", "次", FLOW, EVENTS,
              description="期内举办的学习培训活动（含系列活动已举办的各期），按主办工会计"),
    Indicator("study_sessions", "系列活动已举办期数", "Series sessions held", "期", FLOW, EVENTS,
              description="每月专家讲座、义务劳动等系列活动期内已举办的期数"),
    Indicator("study_hours", "学习培训学时", "Study hours", "学时", FLOW, EVENTS,
              description="期内举办活动的学时合计"),
    *[
        Indicator(f"study_events_{kind.value}", kind.label, KIND_EN[kind], "次", FLOW, EVENTS)
        for kind in StudyEvent.Kind
    ],
    Indicator("study_attendees", "参加学习培训人次", "Attendees", "人次", FLOW, ATTENDANCE,
              description="具名参加人员与按人数登记的参加人员，按其所在工会计"),
    Indicator("cadres_trained", "培训工会干部", "Union cadres trained", "人", FLOW, ATTENDANCE,
              description="期内参加培训的名册干部，每人只计一次，不论参加几期"),
    Indicator("chairs_elected_directly", "直选工会主席", "Chairs elected directly", "人", STOCK,
              POSTS, description="期末在任、经直接选举产生的工会主席"),
    Indicator("cadres_recruited", "职业化、社会化招聘工会干部", "Cadres recruited", "人", STOCK,
              POSTS, description="期末在岗、经社会化或职业化招聘产生的工会干部"),
    Indicator("full_time_cadres", "专职工会干部", "Full-time cadres", "人", STOCK, POSTS),
    Indicator("cadres_in_post", "在任工会干部", "Cadres in post", "人", STOCK, POSTS),
    Indicator("rights_mechanisms", "建立工会干部维权机制的总工会", "Federations with a cadres' "
              "rights mechanism", "个", STOCK, ARRANGEMENTS),
    Indicator("chairs_deputy_city", "主席按同级党政副职配备的市总工会", "City federations whose "
              "chair ranks as a deputy head", "个", STOCK, ARRANGEMENTS),
    Indicator("chairs_deputy_county", "主席按同级党政副职配备的县(市、区)总工会", "County "
              "federations whose chair ranks as a deputy head", "个", STOCK, ARRANGEMENTS),
    Indicator("elections_due", "期内到期应换届", "Elections due", "个", STOCK, ELECTIONS,
              description="现任委员会任期在本期内届满的工会"),
    Indicator("elections_overdue", "逾期未换届", "Elections overdue", "个", STOCK, ELECTIONS,
              higher_is_better=False, description="期末现任委员会任期已满仍未换届的工会"),
    Indicator("full_committees", "委员会配齐的工会", "Unions with a full committee", "个", STOCK,
              ELECTIONS, description="期末主席在任且在任委员不少于上次选举应选名额的工会"),
)  # fmt: skip
