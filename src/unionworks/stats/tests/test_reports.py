"""The annual work review: content from the records, the same words in .docx and PDF (read
back here), real Chinese glyphs in the PDF, a background task kept for download, and
another city's reviews answering 404."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, include, path, reverse

from unionworks import urls as root_urls
from unionworks.core.models import Task
from unionworks.core.periods import parse_period, year
from unionworks.core.scoping import subtree_filter
from unionworks.core.tests.factories import OrgFactory, login_as
from unionworks.members.models import MembershipSpell
from unionworks.members.tests.factories import join, new_id_number
from unionworks.orgs.models import Org
from unionworks.stats import reports
from unionworks.stats.lens import PROJECTS
from unionworks.stats.models import Target
from unionworks.stats.registry import FLOW, Indicator
from unionworks.stats.values import year_on_year

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TITLE = "太原市总工会2008年工作巡礼"

# Until the lead mounts the pages in unionworks/urls.py, these tests mount them themselves.
urlpatterns = [
    path("stats/reports/", include("unionworks.stats.report_urls")),
    *root_urls.urlpatterns,
]


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS_MODE = "eager"
    try:
        reverse("reports:list")
    except NoReverseMatch:
        settings.ROOT_URLCONF = __name__


@pytest.fixture
def taiyuan(world):
    """Two members in 2007, three more in 2008 (one a migrant worker), a target for 2008."""
    for month in (3, 5):
        join(world["grassroots"], id_number=new_id_number(), on=dt.date(2007, month, 1))
    for month in (2, 4, 6):
        join(
            world["grassroots"],
            id_number=new_id_number(),
            on=dt.date(2008, month, 1),
            is_migrant=month == 6,
        )
    Target.objects.create(org=world["taiyuan"], year=2008, indicator="members_joined", value=6)
    return world


@pytest.fixture
def placeholder_files(monkeypatch):
    """For tests about the pages and scope, not the layout: stand-in files, fast."""

    def write(review, path):
        path.write_bytes(review.title.encode())
        return path

    monkeypatch.setattr(reports, "render_docx", write)
    monkeypatch.setattr(reports, "render_pdf", write)


def members_on(org, day) -> int:
    """The roll's own count, straight from the membership spells."""
    return (
        MembershipSpell.objects.filter(**subtree_filter(org.path, "org__path"), start__lte=day)
        .exclude(end__lte=day)
        .count()
    )


def section_text(review, code) -> str:
    return "\n".join(review.section(code).paragraphs)


# ---- content -------------------------------------------------------------------------------


def test_the_review_has_a_section_per_project_in_lens_order(taiyuan):
    review = reports.build_review(
        taiyuan["taiyuan_admin"], org=taiyuan["taiyuan"], period=year(2008)
    )
    assert review.title == TITLE
    assert [s.name for s in review.sections] == [p.name for p in PROJECTS]
    assert review.sections[0].heading == "一、理论武装工程"
    assert review.sections[7].heading == "八、实力强会工程"
    assert "夯基工程" in review.overview[1] and "理论武装工程" in review.overview[1]


def test_figures_are_the_records_with_year_on_year_and_target(taiyuan):
    review = reports.build_review(
        taiyuan["taiyuan_admin"], org=taiyuan["taiyuan"], period=year(2008)
    )
    text = section_text(review, "foundation")
    now = members_on(taiyuan["taiyuan"], dt.date(2008, 12, 31))
    before = members_on(taiyuan["taiyuan"], dt.date(2007, 12, 31))
    assert (now, before) == (5, 2)
    assert text.startswith("截至2008年12月31日，全市")
    assert f"会员数为{now}人，比上年同期增加{now - before}人（增长150.0%）" in text
    assert "建会率为100.0%，与上年同期持平" in text
    assert "2008年，全市新发展会员数为3人" in text
    assert "新发展会员数目标6人，完成50.0%" in text
    assert "从下级组织看" not in text  # one child only: nothing to rank
    [figures, children] = review.section("foundation").tables
    rows = {row[0]: row for row in figures.rows}
    assert rows["会员数（人）"] == ["会员数（人）", "5", "2", "+150.0%", "—", "—"]
    assert rows["新发展会员数（人）"][4:] == ["6", "50.0%"]
    assert rows["建会率"][1:4] == ["100.0%", "100.0%", "0.0个百分点"]
    assert children.rows == [["小店区总工会", "1", "5", "100.0%", "5.0%"]]


def test_year_on_year_against_a_zero_last_year_is_a_dash(taiyuan):
    review = reports.build_review(
        taiyuan["taiyuan_admin"], org=taiyuan["taiyuan"], period=year(2008)
    )
    rows = {row[0]: row for row in review.section("foundation").tables[0].rows}
    assert rows["农民工会员数（人）"][1:4] == ["1", "0", "—"]
    assert "农民工会员数为1人，比上年同期增加1人（上年同期为0）" in section_text(
        review, "foundation"
    )


def test_a_project_without_records_says_so_and_shows_no_figures(taiyuan, monkeypatch):
    # A programme of its own: every real one may have its records kept by now.
    from unionworks.stats import lens

    empty = lens.Project("empty", "未录入工程", "Not kept", ("no_such_indicator",))
    monkeypatch.setattr(reports, "PROJECTS", [*lens.PROJECTS, empty])
    review = reports.build_review(
        taiyuan["taiyuan_admin"], org=taiyuan["taiyuan"], period=year(2008)
    )
    section = review.section("empty")
    assert not section.has_records and section.tables == [] and section.figures == []
    assert section.paragraphs == ["平台尚未保存未录入工程的业务记录，本节暂不列出数字。"]


def test_an_as_of_period_counts_flows_from_the_first_of_january(taiyuan):
    review = reports.build_review(
        taiyuan["taiyuan_admin"], org=taiyuan["taiyuan"], period=parse_period("@2008-04-30")
    )
    assert review.title == TITLE
    text = section_text(review, "foundation")
    assert "截至2008年4月30日，全市" in text and "会员数为4人" in text
    assert "2008年1月1日至4月30日，全市新发展会员数为2人" in text


def test_the_province_ranks_its_cities(taiyuan):
    mine = OrgFactory(name="大同煤矿工会", kind=Org.Kind.GRASSROOTS, parent=taiyuan["pingcheng"])
    join(mine, id_number=new_id_number(), on=dt.date(2008, 1, 2))
    review = reports.build_review(
        taiyuan["province_admin"], org=taiyuan["province"], period=year(2008)
    )
    assert review.title == "山西省总工会2008年工作巡礼"
    assert "从下级组织看，基层工会数居前的是" in section_text(review, "foundation")
    names = [row[0] for row in review.section("foundation").tables[1].rows]
    assert names == ["太原市总工会", "大同市总工会"]


def test_numbers_are_written_the_chinese_way():
    assert reports.count_text(52558) == "52,558"
    assert reports.count_text(Decimal("1234.50")) == "1,234.5"
    assert reports.count_text(None) == "—"
    assert reports.money_text(Decimal("850")) == "850元"
    assert reports.money_text(Decimal("26703500")) == "2,670.35万元"
    assert reports.money_text(Decimal("1830000")) == "183万元"
    assert reports.money_text(Decimal("114300000")) == "1.14亿元"
    money = Indicator("funds", "筹集资金", "Funds", "元", FLOW, source=object(), money=True)
    change = year_on_year(Decimal("114300000"), Decimal("0"), money)
    assert reports.change_text(money, change) == "—"
    assert reports.change_phrase(money, change) == "比上年同期增加1.14亿元（上年同期为0）"
    assert reports.amount_text(money, Decimal("20000")) == "2万元"
    assert reports.value_text(money, Decimal("114300000")) == "11,430.00"
    assert reports.heading_text(money) == "筹集资金（万元）"
    assert [reports.chinese_ordinal(n) for n in (1, 8, 10, 12, 20, 21)] == [
        "一",
        "八",
        "十",
        "十二",
        "二十",
        "二十一",
    ]


# ---- the files, read back ------------------------------------------------------------------


def generate(client, user, **data):
    login_as(client, user)
    response = client.post(reverse("reports:list"), data)
    assert response.status_code == 302, response.content.decode()
    return Task.objects.get(kind=reports.KIND)


def download(client, task, fmt) -> bytes:
    response = client.get(reverse("reports:download", args=[task.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == reports.FORMATS[fmt]
    assert f"{TITLE}.{fmt}".encode() in response["Content-Disposition"].encode() or (
        "filename*=" in response["Content-Disposition"]
    )
    return b"".join(response.streaming_content)


def test_the_docx_reads_back_with_the_facts_and_chinese_fonts(client, taiyuan, monkeypatch):
    from docx import Document
    from docx.oxml.ns import qn

    monkeypatch.setattr(reports, "render_pdf", lambda review, path: path.write_bytes(b"%PDF"))

    task = generate(client, taiyuan["taiyuan_admin"], org=taiyuan["taiyuan"].pk, period="2008")
    assert (task.status, task.done, task.total) == (Task.Status.DONE, 10, 10)
    document = Document(io.BytesIO(download(client, task, "docx")))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == TITLE and paragraphs[0].style.name == "Title"
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert [h.split("、", 1)[1] for h in headings] == [p.name for p in PROJECTS]
    body = "\n".join(p.text for p in paragraphs)
    members = members_on(taiyuan["taiyuan"], dt.date(2008, 12, 31))
    assert f"会员数为{members}人，比上年同期增加3人（增长150.0%）" in body
    # Every project keeps records now: no chapter says it has none.
    assert all(p.has_records for p in PROJECTS)
    assert "平台尚未保存" not in body
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    assert tables[0][0] == ["指标", "本期", "上年同期", "同比", "目标", "完成率"]
    assert any(["农民工会员数（人）", "1", "0", "—", "—", "—"] in cells for cells in tables)
    for name in ("Normal", "Heading 1", "Title"):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) in ("宋体", "黑体")
        assert fonts.get(qn("w:asciiTheme")) is None


def test_the_pdf_reads_back_with_the_same_facts_in_real_noto_cjk_glyphs(client, taiyuan):
    from pypdf import PdfReader

    # A viewer may generate: a review reads figures and writes a file, never a record.
    task = generate(client, taiyuan["taiyuan_viewer"], org="", period="2008")
    assert task.created_by == taiyuan["taiyuan_viewer"] and task.org == taiyuan["taiyuan"]
    pdf = download(client, task, "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert TITLE in text
    for project in PROJECTS:
        assert project.name in text
    assert "会员数为5人，比上年同期增加3人（增长150.0%）" in text
    # 实力强会工程's chapter fills in from the finance records' indicators (issue 16).
    assert "工会经费收入" in text
    assert f"第 1 页 / 共 {len(reader.pages)} 页" in text
    fonts = {
        font.get_object()["/BaseFont"].split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(
        name.startswith(("Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC")) for name in fonts
    )
    # 工 appears twice in the title (总工会, 工作): the same glyph both times.
    assert_real_glyphs(pdf, TITLE)


def assert_real_glyphs(pdf: bytes, text: str) -> None:
    """Render page 1 and cut out the characters of ``text``: different characters must look
    different (missing glyphs — tofu — would all be the same box), the same one alike."""
    import pypdfium2 as pdfium
    from PIL import ImageChops, ImageStat

    page = pdfium.PdfDocument(pdf)[0]
    scale = 3
    image = page.render(scale=scale).to_pil().convert("L")
    textpage = page.get_textpage()
    start = textpage.get_text_range().index(text)
    height = page.get_size()[1]

    def glyph(i):
        left, bottom, right, top = textpage.get_charbox(start + i)
        box = [left * scale, (height - top) * scale, right * scale, (height - bottom) * scale]
        return image.crop([round(v) for v in box]).resize((32, 32))

    def difference(a, b) -> float:
        return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]

    glyphs = {c: glyph(i) for i, c in enumerate(text) if not c.isdigit()}
    for c, g in glyphs.items():
        assert ImageStat.Stat(g).mean[0] < 235, f"{c} is blank"  # there is ink
    distinct = list(glyphs)
    for i, a in enumerate(distinct):
        for b in distinct[i + 1 :]:
            assert difference(glyphs[a], glyphs[b]) > 30, f"{a} and {b} look the same"
    repeated = [c for c in distinct if text.count(c) > 1]
    for c in repeated:
        first, second = [i for i, x in enumerate(text) if x == c][:2]
        assert difference(glyph(first), glyph(second)) < 15, f"{c} drawn two ways"


# ---- the pages -----------------------------------------------------------------------------


def test_the_page_offers_own_org_and_periods_by_name(client, taiyuan):
    login_as(client, taiyuan["taiyuan_admin"])
    response = client.get(reverse("reports:list"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["org"].value() == taiyuan["taiyuan"].pk
    # No period chosen for the user: the choices start at 请选择, by name, none in the future.
    assert not form["period"].value()
    html = response.content.decode()
    assert '<option value="" selected>请选择</option>' in html
    for code, name in [
        ("2008", "2008年"),
        ("2008H1", "2008年上半年"),
        ("@2008-09-30", "截至2008年9月30日"),
    ]:
        assert f'<option value="{code}">{name}</option>' in html
    assert f'value="{dt.date.today().year + 1}"' not in html
    assert f">{dt.date.today().year}年</option>" not in html  # this year is not over


def test_starting_shows_progress_then_downloads(client, taiyuan, settings, placeholder_files):
    settings.TASKS_MODE = "worker"  # stays queued: the page polls
    task = generate(client, taiyuan["taiyuan_admin"], org=taiyuan["xiaodian"].pk, period="2008Q3")
    assert task.status == Task.Status.QUEUED and task.org == taiyuan["xiaodian"]
    assert task.params == {
        "org": taiyuan["xiaodian"].pk,
        "period": "2008Q3",
        "label": "2008年第3季度",
        "title": "小店区总工会2008年第3季度工作巡礼",
    }
    url = reverse("reports:detail", args=[task.pk])
    partial = client.get(url, **HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in partial and "<progress" in partial
    listing = client.get(reverse("reports:list"), **HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in listing
    assert client.get(reverse("reports:download", args=[task.pk, "pdf"])).status_code == 404
    # Asking again while it waits gives the same review, not a second one.
    again = client.post(
        reverse("reports:list"), {"org": taiyuan["xiaodian"].pk, "period": "2008Q3"}
    )
    assert again["Location"] == url and Task.objects.count() == 1
    from unionworks.core.tasks import run_task

    run_task(task.pk)
    partial = client.get(url, **HTMX).content.decode()
    assert "hx-trigger" not in partial
    assert reverse("reports:download", args=[task.pk, "docx"]) in partial
    assert reverse("reports:download", args=[task.pk, "pdf"]) in partial
    assert "hx-trigger" not in client.get(reverse("reports:list"), **HTMX).content.decode()
    assert client.get(url).status_code == 200
    assert client.get(reverse("reports:download", args=[task.pk, "xlsx"])).status_code == 404


def test_a_bad_or_future_period_is_refused_naming_the_field(client, taiyuan):
    login_as(client, taiyuan["taiyuan_admin"])
    response = client.post(reverse("reports:list"), {"org": "", "period": "2008X"})
    assert response.status_code == 200
    assert "期间“2008X”无法识别" in response.content.decode()
    future = dt.date.today().year + 1
    response = client.post(reverse("reports:list"), {"org": "", "period": str(future)})
    assert f"期间“{future}年”尚未开始" in response.content.decode()
    assert not Task.objects.exists()


def test_an_outsider_gets_404_on_another_citys_review(client, taiyuan, placeholder_files):
    task = generate(client, taiyuan["taiyuan_admin"], org=taiyuan["taiyuan"].pk, period="2008")
    login_as(client, taiyuan["datong_editor"])
    for url in [
        reverse("reports:detail", args=[task.pk]),
        reverse("reports:download", args=[task.pk, "docx"]),
        reverse("reports:download", args=[task.pk, "pdf"]),
    ]:
        assert client.get(url).status_code == 404
        assert client.get(url, **HTMX).status_code == 404
    listing = client.get(reverse("reports:list"))
    assert list(listing.context["page"]) == []
    # Nor may they start one about Taiyuan.
    response = client.post(
        reverse("reports:list"), {"org": taiyuan["taiyuan"].pk, "period": "2008"}
    )
    assert response.status_code == 200 and Task.objects.count() == 1
    # The province sees the city's review and may download it.
    login_as(client, taiyuan["province_admin"])
    assert list(client.get(reverse("reports:list")).context["page"]) == [task]
    response = client.get(reverse("reports:download", args=[task.pk, "pdf"]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == TITLE.encode()


def test_a_review_whose_org_left_the_scope_fails_with_a_clear_message(taiyuan, settings):
    from unionworks.core import tasks

    settings.TASKS_MODE = "eager"
    task = tasks.enqueue(
        reports.KIND,
        actor=taiyuan["datong_editor"],
        org=taiyuan["taiyuan"],
        params={"org": taiyuan["taiyuan"].pk, "period": "2008"},
    )
    assert task.status == Task.Status.FAILED
    assert "不在您的管辖范围内" in task.message
