"""建功立业工程 and 职工素质工程 indicators, counted where each record sits.

- competitions: by the day they start, at the organising union; units and workers taking
  part are the accepted participations, at the union that registered them, a unit
  counted once per union however many competitions of the kind it entered;
- proposals (合理化建议, 五小 and innovations): by the day proposed, at the union covering
  the unit: made, adopted (采纳, 实施 or 奖励), value created and savings confirmed (yuan to
  the fen), units running them, and "workers making proposals" — each author counted once
  per union however many proposals they made (COUNT DISTINCT of the blind index);
- "ten ones" savings and energy-saving results: by the end of their period;
- skills: workers promoted a grade (competition winners whose reward is 技术等级晋升, and
  trainees promoted at the end of a course), workers trained, worker libraries and their
  books open by the period's last day, learning-organisation titles, honours by kind and
  level by the day awarded.

Each source is one grouped query per table (``per_org``), with ``series`` for trends.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from unionworks.achievement.models import (
    Competition,
    Honour,
    HonourKind,
    LearningTitle,
    Level,
    Participation,
    Proposal,
    ProposalAuthor,
    Reward,
    SavingsResult,
    TrainingCourse,
    Winner,
    WorkerLibrary,
)
from unionworks.core.periods import Period
from unionworks.core.scoping import subtree_q
from unionworks.stats.registry import FLOW, STOCK, Indicator, register
from unionworks.stats.registry import Source as IndicatorSource
from unionworks.stats.sources import (
    dated,
    everything,
    fen,
    grouped_source,
    money_sum,
    per_org,
    where,
)

YUAN = "元"
Make = Callable[[Q], object]  # an aggregate made with a condition
ALL = Q()


def flows(
    name: str, records: Callable[[object], QuerySet], *, date: str, figures: dict
) -> IndicatorSource:
    """Figures of records dated in the period, grouped by org: ``figures`` maps a code to
    (make, is_money), ``make(condition)`` building any aggregate (COUNT DISTINCT included)."""

    def clean(code, value):
        return fen(value) if figures[code][1] else int(value or 0)

    def compute(root, period: Period) -> dict:
        found = records(root).filter(dated(date, period.start, period.end))
        values = per_org(found, "org_id", **{c: make(Q()) for c, (make, _m) in figures.items()})
        return {c: {k: clean(c, v) for k, v in values[c].items()} for c in figures}

    def series(root, periods: list[Period]) -> list[dict]:
        first, last = min(p.start for p in periods), max(p.end for p in periods)
        if _calendar_months(periods):
            return _monthly(root, periods, first, last)
        aggregates = {
            f"{c}__{i}": make(dated(date, p.start, p.end))
            for i, p in enumerate(periods)
            for c, (make, _m) in figures.items()
        }
        found = per_org(records(root).filter(dated(date, first, last)), "org_id", **aggregates)
        return [
            {c: {k: clean(c, v) for k, v in found[f"{c}__{i}"].items()} for c in figures}
            for i in range(len(periods))
        ]

    def _monthly(root, periods, first, last) -> list[dict]:
        """A dashboard's trend (calendar months): one query grouped by org and month,
        each figure aggregated once per group — a COUNT(DISTINCT …) filtered month by
        month would sort the records once per month."""
        index = {(p.start.year, p.start.month): i for i, p in enumerate(periods)}
        rows = (
            records(root)
            .filter(dated(date, first, last))
            .annotate(_month=TruncMonth(date))
            .values("org_id", "_month")
            .annotate(**{c: make(ALL) for c, (make, _m) in figures.items()})
            .order_by()
        )
        found: list[dict] = [{c: {} for c in figures} for _ in periods]
        for row in rows:
            month = row["_month"]
            i = index.get((month.year, month.month))
            if i is None:
                continue
            for c in figures:
                if row[c]:
                    found[i][c][row["org_id"]] = clean(c, row[c])
        return found

    return IndicatorSource(name, compute, series, series_by_org=True)


def _calendar_months(periods: list[Period]) -> bool:
    """Every period a calendar month from its first day (the last may end early), no two
    the same month."""
    months = {(p.start.year, p.start.month) for p in periods}
    return len(months) == len(periods) and all(
        p.kind == "month" and p.start.day == 1 and p.end.month == p.start.month for p in periods
    )


def count(condition: Q = ALL) -> Make:
    return lambda q: Count("id", filter=condition & q)


def distinct(field: str, condition: Q = ALL) -> Make:
    return lambda q: Count(field, filter=condition & q, distinct=True)


def total(field: str, condition: Q = ALL) -> Make:
    return lambda q: Sum(field, filter=condition & q)


def money(field: str, condition: Q = ALL) -> Make:
    return lambda q: money_sum(field, filter=condition & q)


SKILLS = Q(competition_kind__in=Competition.SKILL_KINDS)
ADOPTED = Q(
    status__in=[Proposal.Status.ADOPTED, Proposal.Status.IMPLEMENTED, Proposal.Status.REWARDED]
)
INNOVATION_CODES = {
    Proposal.Category.TECHNICAL: ("technical_innovations", "技术创新成果", "Technical innovations"),
    Proposal.Category.PROCESS: ("process_innovations", "工艺创新成果", "Process innovations"),
    Proposal.Category.PRODUCT: ("product_innovations", "产品创新成果", "Product innovations"),
    Proposal.Category.METHOD: (
        "method_innovations",
        "操作法创新成果",
        "Operating-method innovations",
    ),
}
FIVE_SMALL = ["invention", "innovation", "design", "suggestion", "knack"]

COMPETITIONS = flows(
    "achievement.competitions",
    lambda root: Competition.objects.filter(subtree_q(root, "org__")),
    date="start_date",
    figures={
        "competitions": (count(), False),
        "skill_contests": (count(Q(kind__in=Competition.SKILL_KINDS)), False),
        "energy_competitions": (count(Q(kind=Competition.Kind.ENERGY)), False),
    },
)
PARTICIPATIONS = flows(
    "achievement.participations",
    lambda root: Participation.objects.filter(
        subtree_q(root, "org__"), status=Participation.Status.ACCEPTED
    ),
    date="start_date",
    figures={
        "competition_units": (distinct("unit_id"), False),
        "competition_workers": (total("workers"), False),
        "skill_contest_units": (distinct("unit_id", SKILLS), False),
        "skill_contest_workers": (total("workers", SKILLS), False),
        "energy_competition_units": (
            distinct("unit_id", Q(competition_kind=Competition.Kind.ENERGY)),
            False,
        ),
    },
)
PROPOSALS = flows(
    "achievement.proposals",
    lambda root: Proposal.objects.filter(subtree_q(root, "org__")),
    date="proposed_on",
    figures={
        "proposals": (count(), False),
        "proposals_adopted": (count(ADOPTED), False),
        "proposal_value": (money("confirmed_value"), True),
        "proposal_savings": (money("confirmed_savings"), True),
        "proposal_units": (distinct("unit_id"), False),
        "five_small": (count(Q(category__in=FIVE_SMALL)), False),
        "innovations": (count(Q(category__in=Proposal.INNOVATIONS)), False),
        **{
            code: (count(Q(category=category)), False)
            for category, (code, _zh, _en) in INNOVATION_CODES.items()
        },
    },
)
AUTHORS = flows(
    "achievement.authors",
    lambda root: ProposalAuthor.objects.filter(subtree_q(root, "org__")),
    date="proposed_on",
    figures={"proposal_workers": (distinct("id_number_index"), False)},
)
SAVINGS = flows(
    "achievement.savings",
    lambda root: SavingsResult.objects.filter(subtree_q(root, "org__")),
    date="period_end",
    figures={
        "ten_ones_units": (distinct("unit_id", Q(kind=SavingsResult.Kind.TEN_ONES)), False),
        "ten_ones_savings": (money("value", Q(kind=SavingsResult.Kind.TEN_ONES)), True),
        "energy_saving_units": (distinct("unit_id", Q(kind=SavingsResult.Kind.ENERGY)), False),
        "energy_savings": (money("value", Q(kind=SavingsResult.Kind.ENERGY)), True),
    },
)
TRAINING = flows(
    "achievement.training",
    lambda root: TrainingCourse.objects.filter(subtree_q(root, "org__")),
    date="end_date",
    figures={
        "training_courses": (count(), False),
        "trained_workers": (total("trainees"), False),
        "trainees_promoted": (total("promoted"), False),
    },
)
WINNERS = flows(
    "achievement.winners",
    lambda root: Winner.objects.filter(subtree_q(root, "org__")),
    date="awarded_on",
    figures={
        "competition_winners": (count(), False),
        "winners_promoted": (count(Q(reward=Reward.GRADE)), False),
    },
)
TITLES = flows(
    "achievement.titles",
    lambda root: LearningTitle.objects.filter(subtree_q(root, "org__")),
    date="awarded_on",
    figures={
        "learning_organisations": (count(Q(kind=LearningTitle.Kind.ORGANISATION)), False),
        "knowledge_worker_titles": (count(Q(kind=LearningTitle.Kind.KNOWLEDGE_WORKER)), False),
    },
)
HONOURS = grouped_source(
    "achievement.honours",
    lambda root: Honour.objects.filter(subtree_q(root, "org__")),
    date="awarded_on",
    dims=("kind", "level"),
    measures={"honours": lambda q=None: Count("id", filter=q)},
    money=(),
    codes=[
        ("honours", "honours", everything),
        *[(f"honours_{kind.value}", "honours", where("kind", kind.value)) for kind in HonourKind],
        *[
            (f"honours_level_{level.value}", "honours", where("level", level.value))
            for level in (Level.NATIONAL, Level.PROVINCE)
        ],
    ],
)


def _libraries(root, period: Period) -> dict:
    found = WorkerLibrary.objects.filter(subtree_q(root, "org__"), opened_on__lte=period.as_of)
    return per_org(found, "org_id", worker_libraries=Count("id"), library_books=Sum("books"))


LIBRARIES = IndicatorSource("achievement.libraries", _libraries)


def _promoted(root, period: Period) -> dict:
    """Workers promoted a skill grade: winners rewarded with a grade, trainees promoted."""
    winners = per_org(
        Winner.objects.filter(
            subtree_q(root, "org__"), dated("awarded_on", period.start, period.end),
            reward=Reward.GRADE,
        ),
        "org_id",
        n=Count("id"),
    )["n"]  # fmt: skip
    trainees = per_org(
        TrainingCourse.objects.filter(
            subtree_q(root, "org__"), dated("end_date", period.start, period.end)
        ),
        "org_id",
        n=Sum("promoted"),
    )["n"]
    merged = dict(winners)
    for org_id, n in trainees.items():
        merged[org_id] = merged.get(org_id, 0) + int(n)
    return {"workers_promoted": merged}


PROMOTED = IndicatorSource("achievement.promoted", _promoted)


def _flow(code, name, name_en, unit, source, description="", money=False) -> Indicator:
    return Indicator(
        code, name, name_en, YUAN if money else unit, FLOW, source, money=money,
        description=description,
    )  # fmt: skip


register(
    _flow("competitions", "举办劳动和技能竞赛", "Competitions held", "项", COMPETITIONS,
          "期间内开始的各类竞赛（按主办工会计）"),
    _flow("skill_contests", "举办技能竞赛", "Skills contests held", "项", COMPETITIONS,
          "期间内开始的技能竞赛、岗位练兵、技术比武"),
    _flow("energy_competitions", "节能减排立功竞赛", "Energy-saving competitions", "项",
          COMPETITIONS),
    _flow("competition_units", "参赛单位", "Units taking part in competitions", "个",
          PARTICIPATIONS, "主办方已确认的参赛单位，同一单位计一次"),
    _flow("competition_workers", "参赛职工", "Workers taking part in competitions", "人次",
          PARTICIPATIONS, "主办方已确认的参赛单位报名的参赛职工人数"),
    _flow("skill_contest_units", "参加技能竞赛的企业", "Enterprises in skills contests", "个",
          PARTICIPATIONS),
    _flow("skill_contest_workers", "参加技能竞赛的职工", "Workers in skills contests", "人次",
          PARTICIPATIONS),
    _flow("energy_competition_units", "参加节能减排竞赛的企业",
          "Enterprises in the energy-saving competition", "个", PARTICIPATIONS),
    _flow("proposals", "职工提出合理化建议", "Rationalisation proposals made", "条", PROPOSALS,
          "期间内提出的合理化建议，含五小和技术创新成果"),
    _flow("proposals_adopted", "采纳合理化建议", "Proposals adopted", "条", PROPOSALS,
          "期间内提出、已采纳（含已实施、已奖励）的建议"),
    _flow("proposal_value", "合理化建议创造价值", "Value created by proposals", YUAN, PROPOSALS,
          "期间内提出的建议经确认的创造价值", money=True),
    _flow("proposal_savings", "合理化建议节约", "Savings from proposals", YUAN, PROPOSALS,
          "期间内提出的建议经确认的节约金额", money=True),
    _flow("proposal_units", "开展合理化建议的企业", "Enterprises running proposals", "个",
          PROPOSALS),
    _flow("proposal_workers", "提出合理化建议的职工", "Workers making proposals", "人", AUTHORS,
          "期间内提出建议的职工，一人提多条只计一次"),
    _flow("five_small", "五小成果", "Five-small results", "项", PROPOSALS,
          "小发明、小革新、小设计、小建议、小窍门"),
    _flow("innovations", "职工技术创新成果", "Workers' innovations", "项", PROPOSALS),
    *[
        _flow(code, zh, en, "项", PROPOSALS)
        for _category, (code, zh, en) in INNOVATION_CODES.items()
    ],
    _flow("ten_ones_units", "开展十个一节约的企业", "Enterprises running ten-ones savings", "个",
          SAVINGS),
    _flow("ten_ones_savings", "十个一节约价值", "Ten-ones savings", YUAN, SAVINGS, money=True),
    _flow("energy_saving_units", "节能减排成果企业", "Enterprises with energy-saving results",
          "个", SAVINGS),
    _flow("energy_savings", "节能减排节约价值", "Energy savings", YUAN, SAVINGS, money=True),
    _flow("training_courses", "职工技能培训班", "Skills training courses", "期", TRAINING),
    _flow("trained_workers", "培训职工", "Workers trained", "人次", TRAINING,
          "期间内结业的技能培训班的培训人数"),
    _flow("trainees_promoted", "培训后晋升技术等级", "Trainees promoted a grade", "人", TRAINING),
    _flow("competition_winners", "竞赛获奖职工", "Competition winners", "人", WINNERS),
    _flow("winners_promoted", "竞赛晋升技术等级", "Winners promoted a grade", "人", WINNERS),
    _flow("workers_promoted", "晋升技术等级的职工", "Workers promoted a skill grade", "人",
          PROMOTED, "竞赛获奖晋升等级的职工与培训后晋升等级的学员"),
    _flow("learning_organisations", "学习型组织", "Learning organisations named", "个", TITLES),
    _flow("knowledge_worker_titles", "知识型职工先进集体", "Knowledge-worker titles", "个",
          TITLES),
    _flow("honours", "荣誉表彰", "Honours awarded", "项", HONOURS),
    *[
        _flow(f"honours_{kind.value}", kind.label, f"Honours: {kind.value.replace('_', ' ')}",
              "项", HONOURS)
        for kind in HonourKind
    ],
    _flow("honours_level_national", "全国级荣誉", "National honours", "项", HONOURS),
    _flow("honours_level_province", "省级荣誉", "Provincial honours", "项", HONOURS),
    Indicator("worker_libraries", "职工书屋", "Worker libraries", "个", STOCK, LIBRARIES,
              description="期末已开放的职工书屋"),
    Indicator("library_books", "职工书屋藏书", "Books in worker libraries", "册", STOCK,
              LIBRARIES, description="期末已开放的职工书屋现有藏书"),
)  # fmt: skip
