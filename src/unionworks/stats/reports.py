"""The annual work review (年度工作巡礼): an organisation's eight projects for a period.

Three steps, kept apart so the two files say exactly the same things:

1. ``build_review`` gathers a plain data structure — a ``Review`` of ``Section``s, each
   with paragraphs of text and ``Table``s of text cells (and the raw figures behind
   them) — from the lens (stats.lens) and the values (stats.values, stats.selectors,
   stats.targets). Nothing here invents a figure: a project whose records the platform
   does not keep yet gets one sentence saying so.
2. ``render_docx`` (python-docx) and ``render_pdf`` (WeasyPrint, from the template
   ``stats/reports/review_print.html``, local CJK fonts only) lay that structure out.
3. The background task ``stats.annual_review`` (core.tasks) builds both files under
   MEDIA_ROOT/reports/<task id>/ with progress per project. The ``Task`` row is the
   review's record — who asked, for which org and period, how far it got, which files
   it made — so no model of its own: reviews are read through the org subtree like
   every task, and files are only served by a view that checks that scope.

The review is a Chinese document whatever the interface language, like the
federation's own publications; figures are written the Chinese way (counts with
thousands separators, money in 元/万元/亿元, rates with one decimal, "—" for none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from unionworks.core import selectors as core_selectors
from unionworks.core import tasks
from unionworks.core.errors import DomainError
from unionworks.core.models import Task
from unionworks.core.periods import Period, parse_period
from unionworks.core.templatetags.uw import rate as rate_text
from unionworks.orgs.models import Org
from unionworks.stats import registry
from unionworks.stats.lens import PROJECTS, Project
from unionworks.stats.registry import FLOW, Indicator
from unionworks.stats.selectors import ChildRow, KeyFigure, children_rows, org_for
from unionworks.stats.targets import target_value, targets_for
from unionworks.stats.values import evaluate, ratio, year_on_year

KIND = "stats.annual_review"
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
PLATFORM = "工会工作综合管理平台"
DASH = "—"

# How a section speaks of the organisation's whole subtree.
SCOPE_WORDS = {
    Org.Kind.PROVINCE: "全省",
    Org.Kind.CITY: "全市",
    Org.Kind.COUNTY: "全县（市、区）",
    Org.Kind.TOWNSHIP: "全乡镇（街道）",
    Org.Kind.FEDERATION: "本联合会",
    Org.Kind.GRASSROOTS: "本工会",
}
# Periods whose own label reads well in a title ("2008年", "2008年上半年", …).
NAMED_PERIODS = ("year", "half", "quarter", "month")


# ---- numbers the Chinese way ---------------------------------------------------------------


def _trim(text: str) -> str:
    """ "183.00" → "183", "2,670.50" → "2,670.5"."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def count_text(value) -> str:
    """A count or sum with thousands separators (52,558); decimals only where there are any."""
    if value is None:
        return DASH
    if isinstance(value, (Decimal, float)) and value != int(value):
        return _trim(f"{value:,.2f}")
    return f"{int(value):,}"


def money_text(value) -> str:
    """Yuan as the reports write them: 850元, 2,670.35万元, 1.14亿元."""
    if value is None:
        return DASH
    amount = Decimal(value)
    sign, amount = ("-" if amount < 0 else ""), abs(amount)
    if amount >= 100_000_000:
        scaled, unit = amount / 100_000_000, "亿元"
    elif amount >= 10_000:
        scaled, unit = amount / 10_000, "万元"
    else:
        scaled, unit = amount, "元"
    return f"{sign}{_trim(f'{scaled:,.2f}')}{unit}"


def value_text(indicator: Indicator, value) -> str:
    """A figure in a table cell: rates in percent, money in 万元 (the heading says so), counts
    bare — as the dashboards show them, so a column compares at a glance."""
    if indicator.is_ratio:
        return rate_text(value)
    if indicator.money and value is not None:
        return f"{Decimal(value) / 10_000:,.2f}"
    return count_text(value)


def amount_text(indicator: Indicator, value) -> str:
    """A figure in a sentence: with its unit (52,558个, 90.5%, 1.14亿元)."""
    if indicator.money:
        return money_text(value)
    text = value_text(indicator, value)
    if value is None or indicator.is_ratio or indicator.unit == "%":
        return text
    return f"{text}{indicator.unit}"


def heading_text(indicator: Indicator) -> str:
    """An indicator as a column or row heading with its unit: 基层工会数（个）, 筹资（万元）."""
    if indicator.money:
        return f"{indicator.name}（万元）"
    if indicator.is_ratio or not indicator.unit or indicator.unit == "%":
        return indicator.name
    return f"{indicator.name}（{indicator.unit}）"


def signed_tenth(value: float) -> str:
    """One decimal with its sign; what rounds to zero is 0.0, never -0.0 or +0.0."""
    shown = round(float(value), 1)
    return "0.0" if shown == 0 else f"{shown:+.1f}"


def change_text(indicator: Indicator, change) -> str:
    """The 同比 cell: +15.0% (— when last year is zero or missing); rates in points."""
    if indicator.is_ratio:
        if change.difference is None:
            return DASH
        return f"{signed_tenth(change.difference * 100)}个百分点"
    return DASH if change.rate is None else f"{signed_tenth(change.rate * 100)}%"


def change_phrase(indicator: Indicator, change) -> str:
    """The 同比 in words: 比上年同期增加331个（增长0.6%）; empty when nothing to compare."""
    difference = change.difference
    if difference is None:
        return ""
    # A rate that moved less than 0.05 point reads as unchanged, not "下降0.0个百分点".
    if not difference or (indicator.is_ratio and round(abs(difference) * 100, 1) == 0):
        return "与上年同期持平"
    up = difference > 0
    if indicator.is_ratio:
        points = f"{abs(difference) * 100:.1f}"
        return f"比上年同期{'提高' if up else '下降'}{points}个百分点"
    by = amount_text(indicator, abs(difference))
    if change.rate is None:
        return f"比上年同期{'增加' if up else '减少'}{by}（上年同期为0）"
    return f"比上年同期{'增加' if up else '减少'}{by}（{'增长' if up else '下降'}{rate_text(abs(change.rate))}）"


def target_text(indicator: Indicator, target, *, cell: bool = False) -> str:
    """A target as set (rates are set in percent, 90 = 90%); in a cell without its unit."""
    if target is None:
        return DASH
    return (value_text if cell else amount_text)(indicator, target_value(indicator.code, target))


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def span_text(period: Period) -> str:
    """What a flow is counted over: 2008年, 2008年第三季度, 2008年1月1日至9月30日."""
    if period.kind in NAMED_PERIODS:
        return period.label
    end = period.end
    tail = f"{end.month}月{end.day}日" if end.year == period.start.year else date_text(end)
    return f"{date_text(period.start)}至{tail}"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (section numbers)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else digits[tens]}十{digits[ones] if ones else ''}"


def review_title(org: Org, period: Period) -> str:
    """太原市总工会2008年工作巡礼; an as-of date or a range names its year."""
    when = period.label if period.kind in NAMED_PERIODS else f"{period.end.year}年"
    return f"{org.name}{when}工作巡礼"


# ---- the content ---------------------------------------------------------------------------


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]  # per column: right-aligned figures

    @property
    def cells(self) -> list[list[tuple[str, bool]]]:
        """Each row as (text, is a figure) pairs, for templates."""
        return [list(zip(row, self.numeric, strict=True)) for row in self.rows]


@dataclass
class Section:
    code: str
    heading: str
    name: str
    has_records: bool
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[KeyFigure] = field(default_factory=list)  # the numbers behind the text
    children: list[ChildRow] = field(default_factory=list)


@dataclass
class Review:
    title: str
    subtitle: str
    org_id: int
    org_name: str
    period_code: str
    period_line: str
    overview: list[str]
    sections: list[Section]
    generated_at: dt.datetime
    source_line: str = ""

    def section(self, code: str) -> Section:
        return next(s for s in self.sections if s.code == code)


def _is_flow(indicator: Indicator) -> bool:
    """Counted over the period (a flow), or as of its last day; a rate as its numerator."""
    if indicator.is_ratio:
        return _is_flow(registry.get(indicator.numerator))
    return indicator.measure == FLOW


def project_figures(actor, *, lens: Project, org: Org, period: Period):
    """Every kept indicator of ``lens`` for ``org`` with 同比 and the year's target, and the
    children's rows; the same arithmetic as the project dashboard, on all the indicators."""
    codes = lens.kept()
    nodes = evaluate(org, period, codes)
    previous = evaluate(org, period.year_before(), codes)[org.pk].figures
    targets = targets_for(actor, org_id=org.pk, year=period.end.year)
    figures = []
    for code in codes:
        indicator = registry.get(code)
        value = nodes[org.pk].figures[code]
        figure = KeyFigure(indicator, value, year_on_year(value, previous[code], indicator))
        if code in targets:
            figure.target = targets[code]
            figure.completion = (
                None if value is None else ratio(value, target_value(code, targets[code]))
            )
        figures.append(figure)
    return figures, children_rows(org, nodes)


def _clause(figure: KeyFigure) -> str:
    text = f"{figure.indicator.name}为{amount_text(figure.indicator, figure.value)}"
    phrase = change_phrase(figure.indicator, figure.change)
    return f"{text}，{phrase}" if phrase else text


def _paragraphs(lens: Project, org: Org, period: Period, figures, children) -> list[str]:
    scope = SCOPE_WORDS.get(org.kind, "本级")
    # Sentences leave out what is zero this year and last (the table still lists it).
    told = [f for f in figures if f.value or f.change.previous]
    stocks = [f for f in told if not _is_flow(f.indicator)]
    flows = [f for f in told if _is_flow(f.indicator)]
    result = []
    if not told:
        result.append(
            f"截至{date_text(period.end)}，{scope}{lens.name}各项指标本期和上年同期均为零。"
        )
    if stocks:
        result.append(
            f"截至{date_text(period.end)}，{scope}" + "；".join(_clause(f) for f in stocks) + "。"
        )
    if flows:
        result.append(f"{span_text(period)}，{scope}" + "；".join(_clause(f) for f in flows) + "。")
    aimed = [f for f in figures if f.target is not None]
    if aimed:
        result.append(
            f"对照{period.end.year}年任务指标："
            + "；".join(
                f"{f.indicator.name}目标{target_text(f.indicator, f.target)}，"
                f"完成{rate_text(f.completion)}"
                for f in aimed
            )
            + "。"
        )
    lead = registry.get(lens.key_indicators()[0])
    ranked = sorted(
        (c for c in children if c.figures.get(lead.code)),  # zeros and "—" rank nowhere
        key=lambda c: c.figures[lead.code],
        reverse=True,
    )
    if len(ranked) > 1:
        top = "、".join(
            f"{c.name}（{amount_text(lead, c.figures[lead.code])}）" for c in ranked[:3]
        )
        result.append(f"从下级组织看，{lead.name}居前的是{top}。")
    return result


def _figures_table(lens: Project, figures) -> Table:
    rows = [
        [
            heading_text(f.indicator),
            value_text(f.indicator, f.value),
            value_text(f.indicator, f.change.previous),
            change_text(f.indicator, f.change),
            target_text(f.indicator, f.target, cell=True),
            rate_text(f.completion) if f.target is not None else DASH,
        ]
        for f in figures
    ]
    return Table(
        caption=f"{lens.name}主要指标",
        headers=["指标", "本期", "上年同期", "同比", "目标", "完成率"],
        rows=rows,
        numeric=[False, True, True, True, True, True],
    )


def _children_table(lens: Project, children: list[ChildRow]) -> Table:
    codes = lens.key_indicators()
    indicators = [registry.get(c) for c in codes]
    return Table(
        caption=f"{lens.name}分组织情况",
        headers=["组织", *[heading_text(i) for i in indicators]],
        rows=[
            [c.name, *[value_text(i, c.figures.get(i.code)) for i in indicators]] for c in children
        ],
        numeric=[False, *[True] * len(indicators)],
    )


def build_section(actor, *, number: int, lens: Project, org: Org, period: Period) -> Section:
    section = Section(
        code=lens.code,
        heading=f"{chinese_ordinal(number)}、{lens.name}",
        name=lens.name,
        has_records=lens.has_records,
    )
    if not lens.has_records:
        section.paragraphs.append(
            f"平台尚未保存{lens.name}的业务记录，本节暂不列出数字。"
            + (lens.note if lens.note else "")
        )
        return section
    figures, children = project_figures(actor, lens=lens, org=org, period=period)
    section.figures, section.children = figures, children
    section.paragraphs = _paragraphs(lens, org, period, figures, children)
    section.tables.append(_figures_table(lens, figures))
    if children:
        section.tables.append(_children_table(lens, children))
    return section


def _overview(org: Org, period: Period, sections: list[Section]) -> list[str]:
    kept = [s.name for s in sections if s.has_records]
    missing = [s.name for s in sections if not s.has_records]
    previous = period.year_before()
    first = (
        f"本巡礼根据{PLATFORM}中的业务记录自动生成，汇总{org.name}{span_text(period)}"
        f"实施“八大工程”的情况。存量指标截至{date_text(period.end)}，"
        f"流量指标按{date_text(period.start)}至{date_text(period.end)}统计；"
        f"“上年同期”指{date_text(previous.start)}至{date_text(previous.end)}，口径相同；"
        f"完成率按{period.end.year}年下达的任务指标计算。"
    )
    result = [first]
    if kept:
        coverage = f"八大工程中，{'、'.join(kept)}已在平台上保存业务记录"
        coverage += (
            f"；{'、'.join(missing)}的业务记录平台尚未保存，相应章节只作说明，不列数字。"
            if missing
            else "。"
        )
        result.append(coverage)
        headline = [
            f"{f.indicator.name}{amount_text(f.indicator, f.value)}"
            for s in sections
            for f in s.figures[:2]
        ]
        scope = SCOPE_WORDS.get(org.kind, "本级")
        result.append(f"主要数字：{scope}" + "，".join(headline) + "。")
    else:
        result.append("平台尚未保存八大工程的业务记录，本巡礼暂不列出数字。")
    return result


def build_review(
    actor,
    *,
    org: Org,
    period: Period,
    on_section: Callable[[int, Section], None] | None = None,
) -> Review:
    """The review's content: title, overview, then one section per project in lens order.

    ``on_section(i, section)`` is called after each project (the task's progress)."""
    sections = []
    for number, lens in enumerate(PROJECTS, start=1):
        section = build_section(actor, number=number, lens=lens, org=org, period=period)
        sections.append(section)
        if on_section:
            on_section(number, section)
    now = timezone.localtime()
    return Review(
        title=review_title(org, period),
        subtitle="——实施“八大工程”情况",
        org_id=org.pk,
        org_name=org.name,
        period_code=period.code,
        period_line=f"统计期间：{date_text(period.start)}至{date_text(period.end)}",
        overview=_overview(org, period, sections),
        sections=sections,
        generated_at=now,
        source_line=(
            f"数据来源：{PLATFORM}（由业务记录自动计算）；"
            f"生成时间：{now:%Y-%m-%d %H:%M}。“—”表示无可比数据或未下达指标。"
        ),
    )


# ---- rendering -----------------------------------------------------------------------------

# Word shows East-Asian text in the w:eastAsia font: 宋体 for text and 黑体 for headings
# are on every Chinese Windows (LibreOffice maps them to the Noto CJK fonts).
DOCX_BODY_FONT, DOCX_HEADING_FONT, DOCX_LATIN_FONT = "宋体", "黑体", "Times New Roman"
# The PDF's fonts (Debian's fonts-noto-cjk, installed by `make system-deps`).
PDF_BODY_FONT, PDF_HEADING_FONT = "Noto Serif CJK SC", "Noto Sans CJK SC"


def _set_fonts(rpr, east_asia: str, latin: str = DOCX_LATIN_FONT) -> None:
    """Name the fonts outright on a w:rPr (styles name theme fonts, which win otherwise)."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _docx_styles(document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr, DOCX_BODY_FONT)
    sizes = {"Normal": 11, "Title": 20, "Heading 1": 15, "Heading 2": 12, "Caption": 10}
    for name, size in sizes.items():
        style = document.styles[name]
        east_asia = DOCX_BODY_FONT if name == "Normal" else DOCX_HEADING_FONT
        _set_fonts(style.element.get_or_add_rPr(), east_asia)
        style.font.size = Pt(size)
        if name != "Normal":
            style.font.color.rgb = RGBColor(0, 0, 0)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    normal = document.styles["Normal"].paragraph_format
    normal.first_line_indent = Pt(22)  # two characters, as Chinese paragraphs start
    normal.line_spacing = 1.25


def _docx_page_number(paragraph) -> None:
    """第 N 页 with a PAGE field Word fills in."""
    from docx.oxml.ns import qn

    paragraph.add_run("第 ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            element = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            element.text = text
        run._r.append(element)
    paragraph.add_run(" 页")


def render_docx(review: Review, path: Path) -> Path:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    _docx_styles(document)
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin = page.right_margin = Mm(25)
    page.top_margin = page.bottom_margin = Mm(22)
    footer = page.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    _docx_page_number(footer)

    def plain(text: str, align=WD_ALIGN_PARAGRAPH.CENTER):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = align
        paragraph.paragraph_format.first_line_indent = Pt(0)
        return paragraph

    document.add_heading(review.title, level=0)
    plain(review.subtitle)
    plain(review.period_line)
    for text in review.overview:
        document.add_paragraph(text)
    for section in review.sections:
        document.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for table in section.tables:
            plain(table.caption).style = document.styles["Caption"]
            grid = document.add_table(rows=1, cols=len(table.headers))
            grid.style = document.styles["Table Grid"]
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cells, texts, bold in [(grid.rows[0].cells, table.headers, True)] + [
                (grid.add_row().cells, row, False) for row in table.rows
            ]:
                for column, (cell, text) in enumerate(zip(cells, texts, strict=True)):
                    paragraph = cell.paragraphs[0]
                    paragraph.paragraph_format.first_line_indent = Pt(0)
                    run = paragraph.add_run(text)
                    run.bold = bold
                    run.font.size = Pt(9.5)
                    if table.numeric[column] and not bold:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            document.add_paragraph()
    plain(review.source_line, align=WD_ALIGN_PARAGRAPH.LEFT).runs[0].font.size = Pt(9)
    properties = document.core_properties
    properties.title, properties.author, properties.language = review.title, PLATFORM, "zh-CN"
    document.save(path)
    return path


def _refuse_fetch(url: str, *args, **kwargs):
    """The PDF uses local fonts only: no URL is ever fetched (government intranets are offline)."""
    raise ValueError(f"报表不加载外部资源：{url}")


def review_html(review: Review) -> str:
    return render_to_string(
        "stats/reports/review_print.html",
        {"review": review, "body_font": PDF_BODY_FONT, "heading_font": PDF_HEADING_FONT},
    )


def render_pdf(review: Review, path: Path) -> Path:
    import weasyprint

    weasyprint.HTML(string=review_html(review), url_fetcher=_refuse_fetch).write_pdf(path)
    return path


# ---- the background task, its start and its reads -----------------------------------------


def review_dir(task: Task) -> Path:
    """MEDIA_ROOT/reports/<task id>/ — never under a public URL; served by a scoped view."""
    path = Path(settings.MEDIA_ROOT) / "reports" / str(task.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


@tasks.task_kind(KIND)
def run_annual_review(task: Task, progress) -> dict:
    """params {"org": id, "period": code}: both files under review_dir, progress per project."""
    actor = task.created_by or task.org
    try:
        org = org_for(actor, task.params["org"])
    except Http404:
        raise DomainError("该组织不存在，或已不在您的管辖范围内") from None
    period = parse_period(task.params["period"])
    total = len(PROJECTS) + 2
    progress(0, total, "开始汇总")

    def step(number: int, section: Section) -> None:
        progress(number, total, f"已汇总{section.name}")

    review = build_review(actor, org=org, period=period, on_section=step)
    folder = review_dir(task)
    progress(len(PROJECTS), total, "正在生成 Word 文档")
    render_docx(review, folder / "review.docx")
    progress(len(PROJECTS) + 1, total, "正在生成 PDF 文档")
    render_pdf(review, folder / "review.pdf")
    task.output_path = str(folder / "review.pdf")
    media = Path(settings.MEDIA_ROOT)
    return {
        "title": review.title,
        "files": {fmt: str((folder / f"review.{fmt}").relative_to(media)) for fmt in FORMATS},
        "message": f"已生成《{review.title}》",
    }


def start_annual_review(*, actor, org: Org, period: Period) -> Task:
    """Start generating the review of ``org`` (in the actor's subtree) for ``period``.

    Any role may: a review reads figures and writes a file, no record. The same review
    already queued or running is returned instead of starting a second one."""
    org = org_for(actor, org.pk)
    if period.start > timezone.localdate():
        raise DomainError(f"期间“{period.label}”尚未开始，无法生成巡礼", field="period")
    running = (
        reviews_for(actor)
        .filter(org=org, params__period=period.code)
        .filter(status__in=[Task.Status.QUEUED, Task.Status.RUNNING])
        .first()
    )
    if running is not None:
        return running
    return tasks.enqueue(
        KIND,
        actor=actor,
        org=org,
        params={
            "org": org.pk,
            "period": period.code,
            "label": period.label,
            "title": review_title(org, period),
        },
        message="排队等待生成",
    )


def reviews_for(actor) -> QuerySet[Task]:
    """The reviews of organisations in the actor's subtree, newest first."""
    return core_selectors.tasks_for(actor, kind=KIND)


def review_for(actor, review_id: int) -> Task:
    review = core_selectors.task_for(actor, review_id)
    if review.kind != KIND:
        raise Http404
    return review


def review_file(actor, review_id: int, fmt: str) -> tuple[Path, str]:
    """The file of a finished review in the actor's scope, and its download name; else 404."""
    review = review_for(actor, review_id)
    relative = (review.result or {}).get("files", {}).get(fmt)
    if fmt not in FORMATS or review.status != Task.Status.DONE or not relative:
        raise Http404
    base = (Path(settings.MEDIA_ROOT) / "reports").resolve()
    path = (Path(settings.MEDIA_ROOT) / relative).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        raise Http404
    return path, f"{review.result.get('title') or review.params.get('title')}.{fmt}"
