"""Every write of 建功立业 and 职工素质 records. Keyword-only functions, one transaction each,
an audit entry inside it; a refusal is a DomainError naming the field in Chinese.

The proposal workflow is 提出 → 部门初审 → 评审委员会评审 (score sheet) → 采纳 / 不采纳 →
实施 → 奖励; each step checks the status the one before leaves (on the row locked with
``select_for_update``, so two reviewers cannot both move it) and stamps its date and actor.
``actor=None`` is a system act (the demo generator, imports' own writes): no role check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from unionworks.achievement.models import (
    BookDelivery,
    Competition,
    Honour,
    HonourKind,
    LearningTitle,
    Level,
    ModelWorker,
    ModelWorkerReview,
    Nomination,
    NominationRound,
    Participation,
    Proposal,
    ProposalAuthor,
    ProposalScore,
    Reward,
    SavingsResult,
    Team,
    TeamResult,
    TrainingCourse,
    Winner,
    WorkerLibrary,
)
from unionworks.core import audit, roles
from unionworks.core.checks import checked_choice as _choice
from unionworks.core.checks import checked_money as money
from unionworks.core.checks import checked_text as _text
from unionworks.core.errors import DomainError
from unionworks.core.identity import id_index_of, parse_identity
from unionworks.core.idnumber import IdFacts
from unionworks.core.money import MoneyError, parse_money
from unionworks.core.scoping import is_in_subtree
from unionworks.core.services import model_create, model_update
from unionworks.orgs.models import Org, Unit

PERSON_AUDIT = ["name", "sex", "birth_date", "id_number_mask"]


# -- shared checks --------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _require_writer(actor) -> None:
    if actor is not None:
        roles.require_writer(actor)


def _require_reviewer(actor) -> None:
    if actor is not None and not roles.can_review(actor):
        raise PermissionDenied("只有审核员可以评审")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _check_scope(org: Org | None, actor, *, field: str = "org", label: str = "组织") -> None:
    if org is None:
        raise DomainError(f"{label}不能为空", field=field)
    if actor is not None and not is_in_subtree(org, actor):
        raise DomainError(f"{label}须在本组织及下级组织范围内", field=field)


def _check_unit(unit: Unit | None, actor, *, field: str = "unit", required: bool = True) -> None:
    if unit is None:
        if required:
            raise DomainError("单位不能为空", field=field)
        return
    if actor is None:
        return
    if not (is_in_subtree(unit.org, actor) or (unit.union and is_in_subtree(unit.union, actor))):
        raise DomainError("单位须在本组织及下级组织范围内", field=field)


def _date(on, *, field: str, label: str, not_before=None, before_label: str = "") -> dt.date:
    if on is None:
        raise DomainError(f"{label}不能为空", field=field)
    if not isinstance(on, dt.date):
        raise DomainError(f"{label}应为日期", field=field)
    if on > _today():
        raise DomainError(f"{label}不能晚于今天", field=field)
    if not_before is not None and on < not_before:
        raise DomainError(f"{label}不能早于{before_label}（{not_before.isoformat()}）", field=field)
    return on


def _long_text(value, *, field: str, label: str, max_length: int = 2000) -> str:
    text = str(value or "").strip()
    if len(text) > max_length:
        raise DomainError(f"{label}过长（最多{max_length}个字）", field=field)
    return text


def _count(value, *, field: str, label: str, minimum: int = 0) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"{label}应为整数", field=field) from None
    if number < minimum or number > 2_000_000_000:
        raise DomainError(f"{label}应不小于{minimum}", field=field)
    return number


@dataclass(frozen=True)
class Identity:
    facts: IdFacts
    index: str


def identity(id_number, *, field: str = "id_number") -> Identity:
    """The 身份证号 checked exactly as the member roll checks it."""
    try:
        facts, _phone = parse_identity(id_number, "")
    except DomainError as exc:
        raise DomainError(exc.message, field=field) from None
    return Identity(facts, id_index_of(facts.number))


def _with_person(record, who: Identity, name: str):
    record.set_identity(who.facts)
    record.name = _text(name, field="name", label="姓名", required=True, max_length=50)
    return record


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# -- competitions ---------------------------------------------------------------------------


@transaction.atomic
def create_competition(
    *,
    actor,
    org: Org,
    kind: str,
    name: str,
    level: str,
    start_date: dt.date,
    end_date: dt.date,
    theme: str = "",
    co_organisers: str = "",
    rules: str = "",
) -> Competition:
    _require_writer(actor)
    _check_scope(org, actor, label="主办工会")
    if not isinstance(start_date, dt.date):
        raise DomainError("开始日期不能为空", field="start_date")
    if not isinstance(end_date, dt.date):
        raise DomainError("结束日期不能为空", field="end_date")
    if end_date < start_date:
        raise DomainError("结束日期不能早于开始日期", field="end_date")
    competition = Competition(
        org=org,
        kind=_choice(kind, Competition.Kind, field="kind", label="竞赛类型"),
        name=_text(name, field="name", label="竞赛名称", required=True, max_length=100),
        level=_choice(level, Level, field="level", label="级别"),
        theme=_text(theme, field="theme", label="主题"),
        co_organisers=_text(co_organisers, field="co_organisers", label="联合主办单位"),
        rules=_long_text(rules, field="rules", label="竞赛规则"),
        start_date=start_date,
        end_date=end_date,
        created_by=_actor(actor),
    )
    return model_create(
        instance=competition,
        actor=actor,
        conflict=DomainError("本工会已有同名、同一天开始的竞赛", field="name"),
    )


def _organiser_above_or_same(competition: Competition, org: Org) -> bool:
    """A union may enter units for a competition its own union or one above it organises."""
    path = competition.org.path
    return org.path.startswith(path) or path.startswith(org.path)


@transaction.atomic
def register_units(
    *,
    actor,
    competition: Competition,
    org: Org,
    entries: Iterable[tuple[Unit, int]],
    on: dt.date | None = None,
) -> list[Participation]:
    """报名: a union (``org``, in the actor's subtree) enters its units for a competition
    organised at its level or above, with each unit's number of workers taking part.
    The organiser then accepts them (``decide_participation``)."""
    _require_writer(actor)
    _check_scope(org, actor, label="报名工会")
    if not _organiser_above_or_same(competition, org):
        raise DomainError("只能为本级或上级工会主办的竞赛报名", field="competition")
    on = _date(on or _today(), field="registered_on", label="报名日期")
    entries = list(entries)
    if not entries:
        raise DomainError("请至少选择一个参赛单位", field="units")
    taken = set(
        Participation.objects.filter(
            competition=competition, unit__in=[u for u, _w in entries]
        ).values_list("unit_id", flat=True)
    )
    accepted_here = org.pk == competition.org_id and (actor is None or is_in_subtree(org, actor))
    created = []
    for unit, workers in entries:
        _check_unit(unit, actor, field="units")
        if unit.pk in taken:
            raise DomainError(f"“{unit.name}”已报名该竞赛", field="units")
        workers = _count(workers, field="workers", label=f"“{unit.name}”参赛职工人数", minimum=1)
        if unit.employees and workers > unit.employees:
            raise DomainError(
                f"“{unit.name}”参赛职工人数{workers}超过单位职工人数{unit.employees}",
                field="workers",
            )
        created.append(
            Participation(
                competition=competition,
                org=org,
                unit=unit,
                workers=workers,
                registered_on=on,
                registered_by=_actor(actor),
                start_date=competition.start_date,
                competition_kind=competition.kind,
                # The organiser entering its own units needs no second step.
                status=Participation.Status.ACCEPTED
                if accepted_here
                else Participation.Status.REGISTERED,
                decided_on=on if accepted_here else None,
                decided_by=_actor(actor) if accepted_here else None,
            )
        )
    for participation in created:
        model_create(
            instance=participation,
            actor=actor,
            audited=["competition", "unit", "workers", "status"],
            conflict=DomainError(f"“{participation.unit.name}”已报名该竞赛", field="units"),
        )
    return created


@transaction.atomic
def decide_participation(
    *, actor, participation: Participation, accept: bool, on: dt.date | None = None
) -> Participation:
    """The organiser accepts (or refuses) a unit registered from below."""
    _require_reviewer(actor)
    record = _locked(Participation, participation.pk)
    competition = record.competition
    _check_scope(competition.org, actor, label="主办工会")
    if record.status != Participation.Status.REGISTERED:
        raise DomainError("只有已报名待确认的单位可以确认", field="status")
    on = _date(
        on or _today(),
        field="decided_on",
        label="确认日期",
        not_before=record.registered_on,
        before_label="报名日期",
    )
    status = Participation.Status.ACCEPTED if accept else Participation.Status.REFUSED
    record, _ = model_update(
        instance=record,
        data={"status": status, "decided_on": on, "decided_by": _actor(actor)},
        actor=actor,
        audited=["competition", "unit", "workers", "status", "decided_on"],
    )
    return record


@transaction.atomic
def add_team(
    *, actor, competition: Competition, org: Org, name: str, members: int, unit=None
) -> Team:
    _require_writer(actor)
    _check_scope(org, actor, label="所属工会")
    if not _organiser_above_or_same(competition, org):
        raise DomainError("只能为本级或上级工会主办的竞赛组队", field="competition")
    _check_unit(unit, actor, required=False)
    team = Team(
        competition=competition,
        org=org,
        unit=unit,
        name=_text(name, field="name", label="队名", required=True, max_length=100),
        members=_count(members, field="members", label="队员人数", minimum=1),
    )
    return model_create(
        instance=team, actor=actor, conflict=DomainError("该竞赛已有同名参赛队", field="name")
    )


def _reward(reward, prize, promoted_grade) -> tuple[str, Decimal, str]:
    reward = _choice(reward, Reward, field="reward", label="奖励")
    prize = money(prize, field="prize", label="奖金")
    grade = _text(promoted_grade, field="promoted_grade", label="晋升等级", max_length=20)
    if reward == Reward.MONEY and prize <= 0:
        raise DomainError("奖励为奖金时须填写奖金金额", field="prize")
    if reward == Reward.GRADE and not grade:
        raise DomainError("奖励为技术等级晋升时须填写晋升等级", field="promoted_grade")
    return reward, prize, grade


@transaction.atomic
def record_winner(
    *,
    actor,
    competition: Competition,
    org: Org,
    name: str,
    id_number: str,
    rank: int,
    reward: str,
    awarded_on: dt.date,
    prize=None,
    promoted_grade: str = "",
    unit: Unit | None = None,
) -> Winner:
    """A person placed in the competition (by 身份证号), with rank and reward."""
    _require_writer(actor)
    _check_scope(competition.org, actor, label="主办工会")
    _check_scope(org, actor, label="所属工会")
    who = identity(id_number)
    reward, prize, grade = _reward(reward, prize, promoted_grade)
    winner = _with_person(
        Winner(
            competition=competition,
            org=org,
            unit=unit,
            rank=_count(rank, field="rank", label="名次", minimum=1),
            reward=reward,
            prize=prize,
            promoted_grade=grade,
            awarded_on=_date(
                awarded_on,
                field="awarded_on",
                label="表彰日期",
                not_before=competition.start_date,
                before_label="竞赛开始日期",
            ),
        ),
        who,
        name,
    )
    return model_create(
        instance=winner,
        actor=actor,
        audited=[*PERSON_AUDIT, "competition", "rank", "reward", "prize", "promoted_grade"],
        conflict=DomainError("此人已在该竞赛获奖名单中", field="id_number"),
    )


@transaction.atomic
def record_team_result(
    *, actor, team: Team, rank: int, reward: str, awarded_on: dt.date, prize=None
) -> TeamResult:
    _require_writer(actor)
    _check_scope(team.competition.org, actor, label="主办工会")
    reward, prize, _ = _reward(reward, prize, "x" if reward == Reward.GRADE else "")
    result = TeamResult(
        competition=team.competition,
        team=team,
        rank=_count(rank, field="rank", label="名次", minimum=1),
        reward=reward,
        prize=prize,
        awarded_on=_date(awarded_on, field="awarded_on", label="表彰日期"),
    )
    return model_create(
        instance=result,
        actor=actor,
        org=team.org,
        conflict=DomainError("该队已有名次", field="team"),
    )


# -- proposals ------------------------------------------------------------------------------

PROPOSAL_AUDIT = [
    "unit", "number", "category", "title", "status", "estimated_value", "estimated_savings",
    "confirmed_value", "confirmed_savings", "proposed_on", "dept_reviewed_on",
    "committee_reviewed_on", "decided_on", "implemented_on", "rewarded_on", "reward_amount",
]  # fmt: skip

# The economic score is capped by the value band the committee puts the proposal in.
ECONOMIC_CAP = {
    ProposalScore.ValueBand.UNDER_10K: 10,
    ProposalScore.ValueBand.TO_100K: 20,
    ProposalScore.ValueBand.TO_1M: 30,
    ProposalScore.ValueBand.OVER_1M: 40,
}
SCORE_PARTS = (
    ("technical", "技术水平", 30),
    ("scope", "推广范围", 15),
    ("practicality", "实用性", 15),
)


def band_of(value: Decimal) -> str:
    """The value band of a yearly value created (yuan)."""
    if value < 10_000:
        return ProposalScore.ValueBand.UNDER_10K
    if value < 100_000:
        return ProposalScore.ValueBand.TO_100K
    if value < 1_000_000:
        return ProposalScore.ValueBand.TO_1M
    return ProposalScore.ValueBand.OVER_1M


def org_of_unit(unit: Unit) -> Org:
    """Where a unit's proposals are counted: the grassroots union covering it, else the
    union its records sit under."""
    return unit.union if unit.union_id else unit.org


def next_number(unit: Unit, year: int) -> str:
    """The unit's next proposal number of the year: 2008-0001, 2008-0002 …"""
    prefix = f"{year}-"
    last = (
        Proposal.objects.filter(unit=unit, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{serial:04d}"


@transaction.atomic
def create_proposal(
    *,
    actor,
    unit: Unit,
    category: str,
    title: str,
    proposed_on: dt.date,
    authors: list[tuple[str, str]],
    status_quo: str = "",
    measure: str = "",
    estimated_value=None,
    estimated_savings=None,
    number: str = "",
) -> Proposal:
    """提出: a proposal of one or more authors (姓名, 身份证号) of a unit."""
    _require_writer(actor)
    if unit is None:
        raise DomainError("单位不能为空", field="unit")
    _check_unit(unit, actor)
    org = org_of_unit(unit)
    proposed_on = _date(proposed_on, field="proposed_on", label="提出日期")
    if not authors:
        raise DomainError("请填写至少一名提出人", field="authors")
    people, seen = [], set()
    for i, (name, id_number) in enumerate(authors, start=1):
        who = identity(id_number, field="authors")
        if who.index in seen:
            raise DomainError(f"第{i}名提出人与前面的提出人身份证号重复", field="authors")
        seen.add(who.index)
        people.append((who, name))
    proposal = Proposal(
        org=org,
        unit=unit,
        number=_text(number, field="number", label="建议编号", max_length=30)
        or next_number(unit, proposed_on.year),
        category=_choice(category, Proposal.Category, field="category", label="类别"),
        title=_text(title, field="title", label="题目", required=True),
        status_quo=_long_text(status_quo, field="status_quo", label="现状"),
        measure=_long_text(measure, field="measure", label="建议措施"),
        estimated_value=money(estimated_value, field="estimated_value", label="预计创造价值"),
        estimated_savings=money(estimated_savings, field="estimated_savings", label="预计节约"),
        proposed_on=proposed_on,
        proposed_by=_actor(actor),
        authors_count=len(people),
    )
    model_create(
        instance=proposal,
        actor=actor,
        audited=PROPOSAL_AUDIT,
        note={"提出人": "、".join(n for _w, n in people)},
        conflict=DomainError("该单位已有此编号的建议", field="number"),
    )
    ProposalAuthor.objects.bulk_create(
        _with_person(ProposalAuthor(proposal=proposal, org=org, proposed_on=proposed_on), who, name)
        for who, name in people
    )
    return proposal


def _step(proposal: Proposal, expected: tuple[str, ...], message: str) -> Proposal:
    record = _locked(Proposal, proposal.pk)
    if record.status not in expected:
        raise DomainError(f"{message}（当前状态：{record.get_status_display()}）", field="status")
    return record


def _last_date(record: Proposal) -> tuple[dt.date, str]:
    for field, label in (
        ("rewarded_on", "奖励日期"),
        ("implemented_on", "实施日期"),
        ("decided_on", "采纳决定日期"),
        ("committee_reviewed_on", "评审日期"),
        ("dept_reviewed_on", "部门初审日期"),
    ):
        if getattr(record, field):
            return getattr(record, field), label
    return record.proposed_on, "提出日期"


@transaction.atomic
def review_in_department(
    *, actor, proposal: Proposal, passed: bool, on: dt.date, opinion: str = ""
) -> Proposal:
    """部门初审: passed goes on to the committee; not passed is 不采纳 there and then."""
    _require_reviewer(actor)
    _check_scope(proposal.org, actor, label="所属工会")
    record = _step(proposal, (Proposal.Status.PROPOSED,), "只有已提出的建议可以初审")
    on = _date(
        on, field="on", label="初审日期", not_before=record.proposed_on, before_label="提出日期"
    )
    opinion = _text(opinion, field="opinion", label="初审意见")
    if not passed and not opinion:
        raise DomainError("初审不通过须写明意见", field="opinion")
    data = {"dept_reviewed_on": on, "dept_reviewed_by": _actor(actor), "dept_opinion": opinion}
    if passed:
        data["status"] = Proposal.Status.DEPT_REVIEWED
    else:
        data.update(
            status=Proposal.Status.NOT_ADOPTED,
            decided_on=on,
            decided_by=_actor(actor),
            decision_note=opinion,
        )
    record, _ = model_update(instance=record, data=data, actor=actor, audited=PROPOSAL_AUDIT)
    return record


@transaction.atomic
def score_proposal(
    *,
    actor,
    proposal: Proposal,
    technical: int,
    value_band: str,
    economic: int,
    scope: int,
    practicality: int,
    on: dt.date,
    opinion: str = "",
) -> ProposalScore:
    """评审委员会评审: the score sheet. Each part within its maximum; the economic score
    within the cap of the value band (1万元以下 ≤10, 1万—10万 ≤20, 10万—100万 ≤30, more ≤40)."""
    _require_reviewer(actor)
    _check_scope(proposal.org, actor, label="所属工会")
    record = _step(
        proposal, (Proposal.Status.DEPT_REVIEWED,), "只有部门初审通过的建议可以提交评审委员会评审"
    )
    on = _date(
        on,
        field="on",
        label="评审日期",
        not_before=record.dept_reviewed_on,
        before_label="部门初审日期",
    )
    value_band = _choice(
        value_band, ProposalScore.ValueBand, field="value_band", label="经济效益档次"
    )
    given = {"technical": technical, "scope": scope, "practicality": practicality}
    scores = {}
    for field, label, top in SCORE_PARTS:
        scores[field] = _count(given[field], field=field, label=label)
        if scores[field] > top:
            raise DomainError(f"{label}得分{scores[field]}超过满分{top}", field=field)
    cap = ECONOMIC_CAP[value_band]
    scores["economic"] = _count(economic, field="economic", label="经济效益")
    if scores["economic"] > cap:
        band = ProposalScore.ValueBand(value_band).label
        raise DomainError(
            f"经济效益得分{scores['economic']}超过“{band}”档的上限{cap}分", field="economic"
        )
    sheet = ProposalScore(
        proposal=record,
        value_band=value_band,
        total=sum(scores.values()),
        reviewed_on=on,
        reviewed_by=_actor(actor),
        opinion=_text(opinion, field="opinion", label="评审意见"),
        **scores,
    )
    sheet.save()
    model_update(
        instance=record,
        data={
            "status": Proposal.Status.COMMITTEE_REVIEWED,
            "committee_reviewed_on": on,
            "committee_reviewed_by": _actor(actor),
        },
        actor=actor,
        audited=PROPOSAL_AUDIT,
        note={
            "评分": f"技术{sheet.technical} 经济{sheet.economic} 范围{sheet.scope} 实用{sheet.practicality} 合计{sheet.total}"
        },
    )
    return sheet


@transaction.atomic
def decide_proposal(
    *, actor, proposal: Proposal, adopt: bool, on: dt.date, note: str = ""
) -> Proposal:
    """采纳 / 不采纳, after the committee's score sheet."""
    _require_reviewer(actor)
    _check_scope(proposal.org, actor, label="所属工会")
    record = _step(
        proposal,
        (Proposal.Status.COMMITTEE_REVIEWED,),
        "只有评审委员会评审过的建议可以决定是否采纳",
    )
    on = _date(
        on,
        field="on",
        label="决定日期",
        not_before=record.committee_reviewed_on,
        before_label="评审日期",
    )
    note = _text(note, field="note", label="决定说明")
    if not adopt and not note:
        raise DomainError("不采纳须写明理由", field="note")
    status = Proposal.Status.ADOPTED if adopt else Proposal.Status.NOT_ADOPTED
    record, _ = model_update(
        instance=record,
        data={
            "status": status,
            "decided_on": on,
            "decided_by": _actor(actor),
            "decision_note": note,
        },
        actor=actor,
        audited=PROPOSAL_AUDIT,
    )
    return record


@transaction.atomic
def implement_proposal(
    *, actor, proposal: Proposal, on: dt.date, confirmed_value, confirmed_savings
) -> Proposal:
    """实施: the adopted proposal is put into practice; the value created and savings as
    confirmed (yuan to the fen)."""
    _require_writer(actor)
    _check_scope(proposal.org, actor, label="所属工会")
    record = _step(proposal, (Proposal.Status.ADOPTED,), "只有已采纳的建议可以登记实施")
    on = _date(
        on, field="on", label="实施日期", not_before=record.decided_on, before_label="采纳决定日期"
    )
    record, _ = model_update(
        instance=record,
        data={
            "status": Proposal.Status.IMPLEMENTED,
            "implemented_on": on,
            "implemented_by": _actor(actor),
            "confirmed_value": money(
                confirmed_value, field="confirmed_value", label="确认创造价值"
            ),
            "confirmed_savings": money(
                confirmed_savings, field="confirmed_savings", label="确认节约"
            ),
        },
        actor=actor,
        audited=PROPOSAL_AUDIT,
    )
    return record


@transaction.atomic
def reward_proposal(*, actor, proposal: Proposal, on: dt.date, amount) -> Proposal:
    """奖励: the authors are rewarded for an implemented proposal."""
    _require_writer(actor)
    _check_scope(proposal.org, actor, label="所属工会")
    record = _step(proposal, (Proposal.Status.IMPLEMENTED,), "只有已实施的建议可以奖励")
    on = _date(
        on, field="on", label="奖励日期", not_before=record.implemented_on, before_label="实施日期"
    )
    amount = money(amount, field="amount", label="奖励金额")
    if amount <= 0:
        raise DomainError("奖励金额应大于零", field="amount")
    record, _ = model_update(
        instance=record,
        data={
            "status": Proposal.Status.REWARDED,
            "rewarded_on": on,
            "rewarded_by": _actor(actor),
            "reward_amount": amount,
        },
        actor=actor,
        audited=PROPOSAL_AUDIT,
    )
    return record


# -- savings ----------------------------------------------------------------------------------


@transaction.atomic
def record_savings(
    *,
    actor,
    unit: Unit,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    value,
    confirmed_on: dt.date,
    measures: str = "",
    energy_saved_tce=None,
    competition: Competition | None = None,
) -> SavingsResult:
    """十个一节约 / 节能减排: a unit's measures and the value confirmed for a period."""
    _require_writer(actor)
    _check_unit(unit, actor)
    if not isinstance(period_start, dt.date) or not isinstance(period_end, dt.date):
        raise DomainError("期间开始和结束日期不能为空", field="period_start")
    if period_end < period_start:
        raise DomainError("期间结束不能早于期间开始", field="period_end")
    try:
        tce = parse_money(energy_saved_tce, label="节能量")
    except MoneyError as exc:
        raise DomainError(str(exc), field="energy_saved_tce") from None
    result = SavingsResult(
        org=org_of_unit(unit),
        unit=unit,
        kind=_choice(kind, SavingsResult.Kind, field="kind", label="类型"),
        competition=competition,
        period_start=period_start,
        period_end=period_end,
        measures=_long_text(measures, field="measures", label="措施"),
        value=money(value, field="value", label="确认节约价值"),
        energy_saved_tce=tce,
        confirmed_on=_date(
            confirmed_on,
            field="confirmed_on",
            label="确认日期",
            not_before=period_start,
            before_label="期间开始",
        ),
        created_by=_actor(actor),
    )
    return model_create(
        instance=result,
        actor=actor,
        conflict=DomainError("该单位此期间已登记过同类节约成果", field="period_start"),
    )


# -- honours and model workers ------------------------------------------------------------------


@transaction.atomic
def open_model_worker_file(
    *,
    actor,
    org: Org,
    name: str,
    id_number: str,
    job_status: str,
    monthly_income,
    allowance=None,
    unit: Unit | None = None,
    last_health_check_on=None,
    last_rest_leave_on=None,
    note: str = "",
) -> ModelWorker:
    _require_writer(actor)
    _check_scope(org, actor, label="管理工会")
    _check_unit(unit, actor, required=False)
    who = identity(id_number)
    worker = _with_person(
        ModelWorker(
            org=org,
            unit=unit,
            job_status=_choice(
                job_status, ModelWorker.JobStatus, field="job_status", label="在职状况"
            ),
            monthly_income=money(monthly_income, field="monthly_income", label="月收入"),
            allowance=money(allowance, field="allowance", label="荣誉津贴"),
            last_health_check_on=last_health_check_on,
            last_rest_leave_on=last_rest_leave_on,
            note=_text(note, field="note", label="备注"),
        ),
        who,
        name,
    )
    return model_create(
        instance=worker,
        actor=actor,
        audited=[*PERSON_AUDIT, "org", "job_status", "monthly_income", "allowance"],
        conflict=DomainError("此人已有劳模档案", field="id_number"),
    )


@transaction.atomic
def review_model_worker(
    *, actor, worker: ModelWorker, year: int, reviewed_on: dt.date, job_status: str, monthly_income,
    in_hardship: bool = False, note: str = "",
) -> ModelWorkerReview:  # fmt: skip
    """年度复核: the file takes the situation found."""
    _require_writer(actor)
    _check_scope(worker.org, actor, label="管理工会")
    record = _locked(ModelWorker, worker.pk)
    review = ModelWorkerReview(
        worker=record,
        year=_count(year, field="year", label="年度", minimum=1949),
        reviewed_on=_date(reviewed_on, field="reviewed_on", label="复核日期"),
        job_status=_choice(job_status, ModelWorker.JobStatus, field="job_status", label="在职状况"),
        monthly_income=money(monthly_income, field="monthly_income", label="月收入"),
        in_hardship=bool(in_hardship),
        note=_text(note, field="note", label="复核意见"),
        reviewed_by=_actor(actor),
    )
    model_create(
        instance=review,
        actor=actor,
        org=record.org,
        conflict=DomainError(f"{review.year}年度已复核", field="year"),
    )
    model_update(
        instance=record,
        data={
            "job_status": review.job_status,
            "monthly_income": review.monthly_income,
            "last_reviewed_on": review.reviewed_on,
        },
        actor=actor,
        audited=["job_status", "monthly_income", "last_reviewed_on"],
    )
    return review


@transaction.atomic
def award_honour(
    *,
    actor,
    org: Org,
    kind: str,
    level: str,
    year: int,
    awarded_on: dt.date,
    awarding_body: str,
    person: ModelWorker | None = None,
    unit: Unit | None = None,
    team_name: str = "",
) -> Honour:
    """荣誉 held by a person (their file) or a unit / a unit's team."""
    _require_writer(actor)
    _check_scope(org, actor, label="推荐工会")
    if (person is None) == (unit is None):
        raise DomainError("荣誉须授予个人或单位（班组）之一", field="person")
    if person is not None:
        _check_scope(person.org, actor, label="劳模档案")
        if team_name:
            raise DomainError("授予个人的荣誉不填班组名称", field="team_name")
    _check_unit(unit, actor, required=False)
    honour = Honour(
        org=org,
        kind=_choice(kind, HonourKind, field="kind", label="荣誉"),
        level=_choice(level, Level, field="level", label="级别"),
        year=_count(year, field="year", label="年度", minimum=1949),
        awarded_on=_date(awarded_on, field="awarded_on", label="授予日期"),
        awarding_body=_text(
            awarding_body, field="awarding_body", label="授予机关", required=True, max_length=100
        ),
        person=person,
        unit=unit,
        team_name=_text(team_name, field="team_name", label="班组名称", max_length=100),
    )
    return model_create(instance=honour, actor=actor)


# -- nominations -----------------------------------------------------------------------------


@transaction.atomic
def create_round(
    *,
    actor,
    org: Org,
    kind: str,
    level: str,
    year: int,
    name: str,
    quota: int,
    deadline: dt.date,
    min_frontline_share=0,
    min_migrant_share=0,
    max_head_share=100,
) -> NominationRound:
    _require_writer(actor)
    _check_scope(org, actor, label="组织工会")
    shares = {}
    for field, label, value in (
        ("min_frontline_share", "一线职工和专业技术人员比例", min_frontline_share),
        ("min_migrant_share", "农民工比例", min_migrant_share),
        ("max_head_share", "单位负责人比例", max_head_share),
    ):
        share = Decimal(str(value))
        if not Decimal(0) <= share <= Decimal(100):
            raise DomainError(f"{label}应在0到100之间", field=field)
        shares[field] = share
    round_ = NominationRound(
        org=org,
        kind=_choice(kind, HonourKind, field="kind", label="荣誉"),
        level=_choice(level, Level, field="level", label="级别"),
        year=_count(year, field="year", label="年度", minimum=1949),
        name=_text(name, field="name", label="名称", required=True, max_length=100),
        quota=_count(quota, field="quota", label="名额", minimum=1),
        deadline=deadline,
        **shares,
    )
    return model_create(instance=round_, actor=actor)


@transaction.atomic
def nominate(
    *,
    actor,
    round: NominationRound,
    org: Org,
    name: str,
    id_number: str,
    frontline: bool = False,
    migrant: bool = False,
    unit_head: bool = False,
    unit: Unit | None = None,
    deeds: str = "",
) -> Nomination:
    _require_writer(actor)
    _check_scope(org, actor, label="推荐工会")
    if not org.path.startswith(round.org.path):
        raise DomainError("只能向本级或上级工会组织的评选推荐", field="round")
    who = identity(id_number)
    nomination = _with_person(
        Nomination(
            round=round,
            org=org,
            unit=unit,
            frontline=bool(frontline),
            migrant=bool(migrant),
            unit_head=bool(unit_head),
            deeds=_long_text(deeds, field="deeds", label="主要事迹"),
        ),
        who,
        name,
    )
    return model_create(
        instance=nomination,
        actor=actor,
        audited=[*PERSON_AUDIT, "round", "frontline", "migrant", "unit_head"],
        conflict=DomainError("此人已在本次评选的推荐名单中", field="id_number"),
    )


def at_least(share: Decimal, total: int) -> int:
    """The fewest people making ``share`` % of ``total`` (rounded up: 40 % of 11 is 5)."""
    return int((share * total / 100).to_integral_value(rounding=ROUND_CEILING))


def at_most(share: Decimal, total: int) -> int:
    """The most people within ``share`` % of ``total`` (rounded down: 20 % of 11 is 2)."""
    return int((share * total / 100).to_integral_value(rounding=ROUND_FLOOR))


def composition_problems(round: NominationRound, nominations: list[Nomination]) -> list[str]:
    """Every composition rule a list breaks, each with the figures."""
    total = len(nominations)
    problems = []
    if total > round.quota:
        problems.append(f"推荐人数{total}人超过名额{round.quota}人")
    rules = (
        (
            "一线职工和专业技术人员",
            sum(n.frontline for n in nominations),
            round.min_frontline_share,
            True,
        ),
        ("农民工", sum(n.migrant for n in nominations), round.min_migrant_share, True),
        ("单位负责人", sum(n.unit_head for n in nominations), round.max_head_share, False),
    )
    for label, count, share, minimum in rules:
        share_text = f"{share.normalize():f}%"
        if minimum and share > 0:
            need = at_least(share, total)
            if count < need:
                problems.append(
                    f"{label}应不少于{share_text}：名单共{total}人，{label}{count}人，至少需要{need}人（还差{need - count}人）"
                )
        elif not minimum and share < 100:
            limit = at_most(share, total)
            if count > limit:
                problems.append(
                    f"{label}应不超过{share_text}：名单共{total}人，{label}{count}人，最多{limit}人（多{count - limit}人）"
                )
    return problems


@transaction.atomic
def submit_nominations(
    *, actor, round: NominationRound, org: Org, on: dt.date | None = None
) -> int:
    """报送: a union's nomination list for the round, refused with the figures when it
    breaks a composition rule or the quota. The round's row is locked so two lists are
    checked one after the other."""
    _require_writer(actor)
    _check_scope(org, actor, label="推荐工会")
    locked = _locked(NominationRound, round.pk)
    on = _date(on or _today(), field="submitted_on", label="报送日期")
    if on > locked.deadline:
        raise DomainError(
            f"已过报送截止日期（{locked.deadline.isoformat()}）", field="submitted_on"
        )
    listed = list(Nomination.objects.filter(round=locked, org=org))
    if not listed:
        raise DomainError("推荐名单为空", field="round")
    problems = composition_problems(locked, listed)
    if problems:
        raise DomainError("推荐名单不符合评选条件：" + "；".join(problems), field="round")
    Nomination.objects.filter(round=locked, org=org).update(
        status=Nomination.Status.SUBMITTED, submitted_on=on
    )
    audit.record(
        actor=actor,
        action="update",
        instance=locked,
        org=org,
        after={"报送推荐名单": f"{len(listed)}人", "报送日期": on.isoformat()},
    )
    return len(listed)


# -- libraries, learning organisations, training -------------------------------------------------


@transaction.atomic
def open_library(
    *, actor, org: Org, name: str, level: str, books: int, area, opened_on: dt.date, unit=None
) -> WorkerLibrary:
    _require_writer(actor)
    _check_scope(org, actor, label="所属工会")
    _check_unit(unit, actor, required=False)
    try:
        area = Decimal(str(area)).quantize(Decimal("0.1"))
    except Exception:
        raise DomainError("面积应为数字", field="area") from None
    if area <= 0:
        raise DomainError("面积应大于零", field="area")
    library = WorkerLibrary(
        org=org,
        unit=unit,
        name=_text(name, field="name", label="名称", required=True, max_length=100),
        level=_choice(level, WorkerLibrary.LibraryLevel, field="level", label="级别"),
        books=_count(books, field="books", label="藏书"),
        area=area,
        opened_on=_date(opened_on, field="opened_on", label="开放日期"),
    )
    return model_create(
        instance=library, actor=actor, conflict=DomainError("本工会已有同名职工书屋", field="name")
    )


@transaction.atomic
def deliver_books(
    *, actor, library: WorkerLibrary, books: int, on: dt.date, donor: str = ""
) -> BookDelivery:
    """送书: the delivery is recorded and the library's stock grows by it."""
    _require_writer(actor)
    _check_scope(library.org, actor, label="所属工会")
    record = _locked(WorkerLibrary, library.pk)
    delivery = BookDelivery(
        library=record,
        books=_count(books, field="books", label="册数", minimum=1),
        delivered_on=_date(
            on, field="on", label="送达日期", not_before=record.opened_on, before_label="开放日期"
        ),
        donor=_text(donor, field="donor", label="赠送方", max_length=100),
    )
    model_create(instance=delivery, actor=actor, org=record.org)
    model_update(
        instance=record,
        data={"books": record.books + delivery.books},
        actor=actor,
        audited=["books"],
    )
    return delivery


@transaction.atomic
def award_learning_title(
    *, actor, unit: Unit, kind: str, level: str, year: int, awarded_on: dt.date
) -> LearningTitle:
    _require_writer(actor)
    _check_unit(unit, actor)
    title = LearningTitle(
        org=org_of_unit(unit),
        unit=unit,
        kind=_choice(kind, LearningTitle.Kind, field="kind", label="称号"),
        level=_choice(level, Level, field="level", label="级别"),
        year=_count(year, field="year", label="年度", minimum=1949),
        awarded_on=_date(awarded_on, field="awarded_on", label="命名日期"),
    )
    return model_create(
        instance=title, actor=actor, conflict=DomainError("该单位本年度已获此称号", field="kind")
    )


@transaction.atomic
def create_course(
    *, actor, org: Org, name: str, start_date: dt.date, end_date: dt.date, trainees: int,
    promoted: int = 0, trade: str = "",
) -> TrainingCourse:  # fmt: skip
    _require_writer(actor)
    _check_scope(org, actor, label="举办工会")
    if not isinstance(start_date, dt.date) or not isinstance(end_date, dt.date):
        raise DomainError("开班和结业日期不能为空", field="start_date")
    if end_date < start_date:
        raise DomainError("结业日期不能早于开班日期", field="end_date")
    trainees = _count(trainees, field="trainees", label="培训人数", minimum=1)
    promoted = _count(promoted, field="promoted", label="晋升技术等级人数")
    if promoted > trainees:
        raise DomainError(f"晋升技术等级人数{promoted}超过培训人数{trainees}", field="promoted")
    course = TrainingCourse(
        org=org,
        name=_text(name, field="name", label="培训班名称", required=True, max_length=100),
        trade=_text(trade, field="trade", label="工种", max_length=50),
        start_date=start_date,
        end_date=end_date,
        trainees=trainees,
        promoted=promoted,
    )
    return model_create(instance=course, actor=actor)
