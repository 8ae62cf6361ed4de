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

from django.db.models import Count, Q, QuerySet, Sum

from unionworks.cadres.models import (
    Arrangement,
    Attendance,
    AttendanceCount,
    Election,
    Post,
    StudyEvent,
)
from unionworks.cadres.selectors import post_open_on
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


def _post_figures(day, suffix: str = "") -> dict:
    open_on = post_open_on(day)
    return {
        f"chairs_elected_directly{suffix}": Count(
            "id", filter=open_on & Q(kind=Post.Kind.CHAIR, how=Post.How.DIRECT)
        ),
        f"cadres_recruited{suffix}": Count(
            "cadre",
            distinct=True,
            filter=open_on & Q(how__in=[Post.How.SOCIAL, Post.How.PROFESSIONAL]),
        ),
        f"full_time_cadres{suffix}": Count(
            "cadre", distinct=True, filter=open_on & Q(full_time=True)
        ),
        f"cadres_in_post{suffix}": Count("cadre", distinct=True, filter=open_on),
    }


POST_CODES = ("chairs_elected_directly", "cadres_recruited", "full_time_cadres", "cadres_in_post")


def _posts(root: Org, first, last) -> QuerySet:
    """Posts open at some time in [first, last]."""
    return Post.objects.filter(
        Q(start__lte=last) & (Q(end__isnull=True) | Q(end__gt=first)), subtree_q(root, "org__")
    )


def _posts_compute(root: Org, period: Period) -> dict:
    """Posts open on the period's last day, one grouped query."""
    day = period.as_of
    return per_org(_posts(root, day, day), "org_id", **_post_figures(day))


def _posts_series(root: Org, periods: list[Period]) -> list[dict]:
    first, last = min(p.as_of for p in periods), max(p.as_of for p in periods)
    aggregates = {}
    for i, p in enumerate(periods):
        aggregates.update(_post_figures(p.as_of, f"__{i}"))
    found = per_org(_posts(root, first, last), "org_id", **aggregates)
    return [{code: found[f"{code}__{i}"] for code in POST_CODES} for i in range(len(periods))]


POSTS = Source("cadres.posts", _posts_compute, _posts_series, series_by_org=True)


def _arrangement_figures(day, suffix: str = "") -> dict:
    open_on = Q(since__lte=day) & (Q(until__isnull=True) | Q(until__gt=day))
    rank = open_on & Q(kind=Arrangement.Kind.RANK)
    return {
        f"rights_mechanisms{suffix}": Count("id", filter=open_on & Q(kind=Arrangement.Kind.RIGHTS)),
        f"chairs_deputy_city{suffix}": Count("id", filter=rank & Q(org__kind=Org.Kind.CITY)),
        f"chairs_deputy_county{suffix}": Count("id", filter=rank & Q(org__kind=Org.Kind.COUNTY)),
    }


ARRANGEMENT_CODES = ("rights_mechanisms", "chairs_deputy_city", "chairs_deputy_county")


def _arrangements(root: Org) -> QuerySet:
    return Arrangement.objects.filter(subtree_q(root, "org__"))


def _arrangements_compute(root: Org, period: Period) -> dict:
    return per_org(_arrangements(root), "org_id", **_arrangement_figures(period.as_of))


def _arrangements_series(root: Org, periods: list[Period]) -> list[dict]:
    aggregates = {}
    for i, p in enumerate(periods):
        aggregates.update(_arrangement_figures(p.as_of, f"__{i}"))
    found = per_org(_arrangements(root), "org_id", **aggregates)
    return [
        {code: found[f"{code}__{i}"] for code in ARRANGEMENT_CODES} for i in range(len(periods))
    ]


ARRANGEMENTS = Source(
    "cadres.arrangements", _arrangements_compute, _arrangements_series, series_by_org=True
)


def _elections_series(root: Org, periods: list[Period]) -> list[dict]:
    """The committee in office on each period's last day: due within the period, overdue,
    full. Two scans (the approved elections, the committee posts), matched in Python: the
    elections and posts of a province are tens of thousands of rows."""
    last = max(p.as_of for p in periods)
    first = min(p.as_of for p in periods)
    elections: dict[int, list[tuple]] = {}
    for row in (
        Election.objects.filter(
            subtree_q(root, "org__"), status=Election.Status.APPROVED, held_on__lte=last
        )
        .filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=first))
        .values_list("org_id", "held_on", "superseded_on", "next_due_on", "seats")
    ):
        elections.setdefault(row[0], []).append(row[1:])
    posts: dict[int, list[tuple]] = {}
    for org_id, kind, start, end in (
        _posts(root, first, last)
        .filter(kind__in=Post.COMMITTEE)
        .values_list("org_id", "kind", "start", "end")
    ):
        if org_id in elections:
            posts.setdefault(org_id, []).append((kind == Post.Kind.CHAIR, start, end))
    result = []
    for period in periods:
        day = period.as_of
        due, overdue, full = {}, {}, {}
        for org_id, rows in elections.items():
            current = [r for r in rows if r[0] <= day and (r[1] is None or r[1] > day)]
            if not current:
                continue
            _held, _superseded, next_due_on, seats = max(current)
            if period.start <= next_due_on <= period.end:
                due[org_id] = 1
            if next_due_on < day:
                overdue[org_id] = 1
            sitting = [
                c for c, s, e in posts.get(org_id, ()) if s <= day and (e is None or e > day)
            ]
            if any(sitting) and len(sitting) >= seats:
                full[org_id] = 1
        result.append({"elections_due": due, "elections_overdue": overdue, "full_committees": full})
    return result


def _elections_compute(root: Org, period: Period) -> dict:
    return _elections_series(root, [period])[0]


ELECTIONS = Source("cadres.elections", _elections_compute, _elections_series, series_by_org=True)

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
