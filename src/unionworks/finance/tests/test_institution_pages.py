"""The pages of the affiliated institutions (直属事业单位), their yearly score sheets
(年度业绩考核办法, one per year, editable until used) and scoring an institution."""

from decimal import Decimal

from unionworks.core.tests.factories import login_as
from unionworks.finance.models import Assessment, AssessmentScheme, Grade, Institution
from unionworks.finance.tests.test_views import records  # noqa: F401  (the fixture)


def record_pages(r):
    scheme = r["assessment"].scheme
    return [
        f"/finance/institutions/{r['institution'].pk}/",
        f"/finance/assessment-schemes/{scheme.pk}/",
        f"/finance/assessment-schemes/{scheme.pk}/items/",
        f"/finance/assessment-schemes/{scheme.pk}/assess/",
    ]


def test_the_pages_answer_in_scope(client, records):  # noqa: F811
    login_as(client, records["taiyuan_admin"])
    for url in ["/finance/institutions/", "/finance/institutions/new/",
                "/finance/assessment-schemes/", "/finance/assessment-schemes/new/",
                *record_pages(records)]:  # fmt: skip
        assert client.get(url).status_code == 200, url
    page = client.get(f"/finance/institutions/{records['institution'].pk}/").content.decode()
    assert "太原市工人文化宫" in page and "85.00" in page and "良好" in page
    listed = client.get("/finance/assessment-schemes/").content.decode()
    assert "太原市总工会直属事业单位年度业绩考核办法" in listed and "经济效益" in listed


def test_an_outsider_gets_404_on_every_record_page_and_sees_none_in_lists(client, records):  # noqa: F811
    login_as(client, records["datong_editor"])
    for url in record_pages(records):
        assert client.get(url).status_code == 404, url
        if url.endswith(("/items/", "/assess/")):  # the forms: a post is a 404 too
            assert client.post(url, {}).status_code == 404, url
    for url in ["/finance/institutions/", "/finance/assessment-schemes/"]:
        page = client.get(url).content.decode()
        assert "太原市" not in page, url
    # nor can an outsider put a record under another city's union
    response = client.post(
        "/finance/institutions/new/", {"org": records["taiyuan"].pk, "name": "x", "staff": 1}
    )
    assert response.status_code == 200 and not Institution.objects.filter(name="x").exists()


def test_a_viewer_cannot_write(client, records):  # noqa: F811
    login_as(client, records["taiyuan_viewer"])
    scheme = records["assessment"].scheme
    for url in ["/finance/institutions/new/", "/finance/assessment-schemes/new/",
                f"/finance/assessment-schemes/{scheme.pk}/items/",
                f"/finance/assessment-schemes/{scheme.pk}/assess/"]:  # fmt: skip
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_a_years_sheet_is_edited_for_that_year_only_and_scores_give_total_and_grade(
    client,
    records,  # noqa: F811
):
    login_as(client, records["taiyuan_admin"])
    taiyuan = records["taiyuan"]
    made = client.post(
        "/finance/institutions/new/",
        {"org": taiyuan.pk, "name": "太原市职工疗养院", "kind": "疗养院", "staff": "25"},
    )
    assert made.status_code == 302
    sanatorium = Institution.objects.get(name="太原市职工疗养院")
    # a new year's sheet starts from the latest earlier year's items
    form = client.get("/finance/assessment-schemes/new/").content.decode()
    assert "经济效益|60" in form and "社会效益|40" in form
    bad = client.post(
        "/finance/assessment-schemes/new/",
        {"org": taiyuan.pk, "year": "2008", "title": "2008年度考核办法",
         "items": "经济效益|60\n社会效益", "excellent_from": "90", "good_from": "75",
         "pass_from": "60"},
    )  # fmt: skip
    assert "第2行应写成“考核项目|分值”" in bad.content.decode()
    client.post(
        "/finance/assessment-schemes/new/",
        {"org": taiyuan.pk, "year": "2008", "title": "2008年度考核办法",
         "items": "经济效益|60\n社会效益|40", "excellent_from": "90", "good_from": "75",
         "pass_from": "60"},
    )  # fmt: skip
    sheet_2008 = AssessmentScheme.objects.get(org=taiyuan, year=2008)
    edited = client.post(
        f"/finance/assessment-schemes/{sheet_2008.pk}/items/",
        {"items": "经济效益|50\n社会效益|30\n安全稳定|20"},
    )
    assert edited.status_code == 302
    assert [(i.name, i.max_score) for i in sheet_2008.items.all()] == [
        ("经济效益", Decimal("50.00")), ("社会效益", Decimal("30.00")),
        ("安全稳定", Decimal("20.00")),
    ]  # fmt: skip
    sheet_2007 = records["assessment"].scheme
    assert [(i.name, i.max_score) for i in sheet_2007.items.all()] == [
        ("经济效益", Decimal("60.00")), ("社会效益", Decimal("40.00")),
    ]  # fmt: skip
    # scoring: one field per item, a score above its maximum is refused next to it
    items = {i.name: i.pk for i in sheet_2008.items.all()}
    url = f"/finance/assessment-schemes/{sheet_2008.pk}/assess/"
    form = client.get(url).content.decode()
    assert "太原市职工疗养院" in form and "安全稳定（满分20分）" in form
    scores = {f"item_{items['经济效益']}": "45", f"item_{items['社会效益']}": "31",
              f"item_{items['安全稳定']}": "18"}  # fmt: skip
    body = {"institution": sanatorium.pk, "assessed_on": "2009-03-10", "income": "350,000.00",
            "assets_value": "", **scores}  # fmt: skip
    over = client.post(url, body)
    assert "“社会效益”得分不能超过分值30.00分" in over.content.decode()
    assert not Assessment.objects.filter(institution=sanatorium).exists()
    body[f"item_{items['社会效益']}"] = "27.5"
    done = client.post(url, body)
    assessment = Assessment.objects.get(institution=sanatorium)
    assert done.status_code == 302 and done["Location"] == f"/finance/assessments/{assessment.pk}/"
    assert (assessment.total, assessment.grade) == (Decimal("90.50"), Grade.EXCELLENT)
    assert assessment.income == Decimal("350000.00")
    # once used, the sheet is no longer editable
    locked = client.post(
        f"/finance/assessment-schemes/{sheet_2008.pk}/items/", {"items": "经济效益|100"}
    )
    assert "已有单位按此办法考核，不能再修改考核项目" in locked.content.decode()
    assert sheet_2008.items.count() == 3
    detail = client.get(f"/finance/assessment-schemes/{sheet_2008.pk}/").content.decode()
    assert "修改评分表" not in detail and "90.50" in detail
