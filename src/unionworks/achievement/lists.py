"""The lists of 建功立业 and 职工素质, each declared once: its filters (read from the page's
query), the scoped records, the columns. The list pages (``views._list``) show them a page
at a time; ``achievement/exports.py`` registers each as a list export (core.exports), so
the 导出 button writes the whole filtered list as .xlsx in the background.

A column's value is the record's own (dates stay dates, money Decimal): the page shows a
date as YYYY-MM-DD, money as yuan, nothing as "—"; the workbook keeps them typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionworks.achievement import selectors
from unionworks.achievement.models import Competition, Proposal
from unionworks.core.money import format_yuan


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable
    money: bool = False

    def shown(self, record) -> str:
        value = self.value(record)
        if value is None or value == "":
            return "—"
        if self.money:
            return format_yuan(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value


@dataclass(frozen=True)
class Listing:
    code: str  # the tab, and (prefixed) the export's name
    title: str
    select: Callable[[object, dict], QuerySet]  # (actor, filters) -> the scoped records
    columns: list[Column]
    link: Callable | None = None
    choices: list[tuple[str, str, list]] = field(default_factory=list)  # (param, label, choices)
    search: bool = False

    @property
    def export_name(self) -> str:
        return f"achievement-{self.code.replace('_', '-')}"

    def filters(self, query) -> dict:
        """The page's query as filters: a choice only if it is one, the search trimmed."""
        found = {}
        for param, _label, choices in self.choices:
            value = query.get(param) or ""
            found[param] = value if value in {v for v, _l in choices} else ""
        if self.search:
            found["q"] = (query.get("q") or "").strip()[:100]
        return found

    def records(self, actor, filters: dict) -> QuerySet:
        return self.select(actor, filters)


def _proposals(actor, f) -> QuerySet:
    found = selectors.proposals_for(actor).order_by("-proposed_on", "-id")
    if f.get("status"):
        found = found.filter(status=f["status"])
    if f.get("category"):
        found = found.filter(category=f["category"])
    if f.get("q"):
        found = found.filter(title__icontains=f["q"]) | found.filter(number=f["q"])
    return found


def _competitions(actor, f) -> QuerySet:
    found = selectors.competitions_for(actor)
    return found.filter(kind=f["kind"]) if f.get("kind") else found


def _model_workers(actor, f) -> QuerySet:
    found = selectors.model_workers_for(actor)
    return found.filter(name__startswith=f["q"]) if f.get("q") else found


def _period(s) -> str:
    start = s.period_start.isoformat() if s.period_start else "—"
    end = s.period_end.isoformat() if s.period_end else "—"
    return f"{start}—{end}"


LISTINGS = [
    Listing(
        "proposals", _("合理化建议、五小与技术创新"), _proposals,
        [Column(_("编号"), lambda p: p.number), Column(_("题目"), lambda p: p.title),
         Column(_("类别"), lambda p: p.get_category_display()),
         Column(_("单位"), lambda p: p.unit.name), Column(_("提出日期"), lambda p: p.proposed_on),
         Column(_("状态"), lambda p: p.get_status_display()),
         Column(_("创造价值（元）"), lambda p: p.confirmed_value, money=True)],
        link=lambda p: reverse("achievement:proposal", args=[p.pk]),
        choices=[("status", _("状态"), Proposal.Status.choices),
                 ("category", _("类别"), Proposal.Category.choices)],
        search=True,
    ),
    Listing(
        "competitions", _("劳动和技能竞赛"), _competitions,
        [Column(_("竞赛名称"), lambda c: c.name), Column(_("类型"), lambda c: c.get_kind_display()),
         Column(_("级别"), lambda c: c.get_level_display()),
         Column(_("主办工会"), lambda c: c.org.name),
         Column(_("联合主办"), lambda c: c.co_organisers),
         Column(_("开始"), lambda c: c.start_date), Column(_("结束"), lambda c: c.end_date)],
        link=lambda c: reverse("achievement:competition", args=[c.pk]),
        choices=[("kind", _("类型"), Competition.Kind.choices)],
    ),
    Listing(
        "savings", _("十个一节约与节能减排成果"), lambda actor, f: selectors.savings_for(actor),
        [Column(_("单位"), lambda s: s.unit.name), Column(_("类型"), lambda s: s.get_kind_display()),
         Column(_("期间"), _period),
         Column(_("确认节约价值（元）"), lambda s: s.value, money=True),
         Column(_("确认日期"), lambda s: s.confirmed_on)],
    ),
    Listing(
        "honours", _("荣誉"), lambda actor, f: selectors.honours_for(actor),
        [Column(_("获得者"), lambda h: h.holder()), Column(_("荣誉"), lambda h: h.get_kind_display()),
         Column(_("级别"), lambda h: h.get_level_display()), Column(_("年度"), lambda h: h.year),
         Column(_("授予机关"), lambda h: h.awarding_body),
         Column(_("授予日期"), lambda h: h.awarded_on)],
        link=lambda h: (
            reverse("achievement:model_worker", args=[h.person_id]) if h.person_id else None
        ),
    ),
    Listing(
        "model_workers", _("劳模档案"), _model_workers,
        [Column(_("姓名"), lambda w: w.name), Column(_("身份证号"), lambda w: w.id_number_mask),
         Column(_("管理工会"), lambda w: w.org.name),
         Column(_("在职状况"), lambda w: w.get_job_status_display()),
         Column(_("月收入（元）"), lambda w: w.monthly_income, money=True),
         Column(_("荣誉津贴（元/月）"), lambda w: w.allowance, money=True)],
        link=lambda w: reverse("achievement:model_worker", args=[w.pk]),
        search=True,
    ),
    Listing(
        "rounds", _("推荐评选"), lambda actor, f: selectors.rounds_for(actor),
        [Column(_("名称"), lambda r: r.name), Column(_("荣誉"), lambda r: r.get_kind_display()),
         Column(_("级别"), lambda r: r.get_level_display()), Column(_("年度"), lambda r: r.year),
         Column(_("名额"), lambda r: r.quota), Column(_("截止日期"), lambda r: r.deadline)],
        link=lambda r: reverse("achievement:round", args=[r.pk]),
    ),
    Listing(
        "libraries", _("职工书屋"), lambda actor, f: selectors.libraries_for(actor),
        [Column(_("名称"), lambda b: b.name), Column(_("级别"), lambda b: b.get_level_display()),
         Column(_("所属工会"), lambda b: b.org.name), Column(_("藏书（册）"), lambda b: b.books),
         Column(_("面积（平方米）"), lambda b: b.area),
         Column(_("开放日期"), lambda b: b.opened_on)],
        link=lambda b: reverse("achievement:library", args=[b.pk]),
    ),
    Listing(
        "titles", _("创建学习型组织、争做知识型职工"), lambda actor, f: selectors.titles_for(actor),
        [Column(_("单位"), lambda t: t.unit.name), Column(_("称号"), lambda t: t.get_kind_display()),
         Column(_("级别"), lambda t: t.get_level_display()), Column(_("年度"), lambda t: t.year),
         Column(_("命名日期"), lambda t: t.awarded_on)],
    ),
    Listing(
        "courses", _("职工技能培训"), lambda actor, f: selectors.courses_for(actor),
        [Column(_("培训班"), lambda c: c.name), Column(_("工种"), lambda c: c.trade),
         Column(_("举办工会"), lambda c: c.org.name), Column(_("开班"), lambda c: c.start_date),
         Column(_("结业"), lambda c: c.end_date), Column(_("培训人数"), lambda c: c.trainees),
         Column(_("晋升等级"), lambda c: c.promoted)],
    ),
]  # fmt: skip
LISTING = {listing.code: listing for listing in LISTINGS}
