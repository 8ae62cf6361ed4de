"""The pages and /api/v1/ of 实力强会工程: in scope they answer, an outsider (another
city's account) gets 404 on every page and endpoint, a viewer cannot write (403)."""

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from unionworks.core.models import Task
from unionworks.core.tests.factories import login_as
from unionworks.finance import services
from unionworks.finance.models import Asset, Channel, FundReceipt
from unionworks.finance.tests.factories import receipt, scheme

API = "/api/v1"


@pytest.fixture
def records(world):
    scheme(world, late_fee_rate=Decimal("0.5"))
    paid = receipt(world, amount="1500.00")  # 500 short: in arrears after 15 April 2008
    asset = services.register_asset(
        actor=None,
        org=world["xiaodian"],
        name="职工活动中心",
        category=Asset.Category.BUILDINGS,
        acquired_on=dt.date(2006, 5, 1),
        original_value=Decimal("600000.00"),
        useful_life_years=50,
    )
    rule = services.record_asset_rule(
        actor=None,
        org=world["taiyuan"],
        title="太原市总工会资产管理办法",
        issued_on=dt.date(2008, 3, 1),
        valid_from=dt.date(2008, 3, 15),
    )
    institution = services.create_institution(
        actor=None, org=world["taiyuan"], name="太原市工人文化宫", kind="文化宫", staff=40
    )
    sheet = services.create_assessment_scheme(
        actor=None,
        org=world["taiyuan"],
        year=2007,
        title="太原市总工会直属事业单位年度业绩考核办法",
        items=[("经济效益", 60), ("社会效益", 40)],
    )
    items = list(sheet.items.all())
    assessment = services.assess_institution(
        actor=None,
        scheme=sheet,
        institution=institution,
        assessed_on=dt.date(2008, 3, 20),
        scores={items[0].pk: Decimal("55"), items[1].pk: Decimal("30")},
        income=Decimal("1200000.00"),
    )
    return {**world, "receipt": paid, "asset": asset, "rule": rule,
            "institution": institution, "assessment": assessment}  # fmt: skip


def pages(r):
    return [
        "/finance/",
        f"/finance/receipts/{r['receipt'].pk}/",
        f"/finance/ledger/?org={r['xiaodian'].pk}&year=2008",
        f"/finance/arrears/?org={r['xiaodian'].pk}",
        "/finance/schemes/",
        "/finance/assets/",
        f"/finance/assets/{r['asset'].pk}/",
        "/finance/asset-rules/",
        "/finance/institutions/",
        "/finance/assessments/",
        f"/finance/assessments/{r['assessment'].pk}/",
    ]


def endpoints(r):
    return [
        "/fund-receipts/",
        f"/fund-receipts/{r['receipt'].pk}",
        f"/fund-receipts/{r['receipt'].pk}/shares",
        f"/fund-ledger/{r['xiaodian'].pk}?year=2008",
        "/arrears/",
        "/share-schemes/",
        "/assets/",
        f"/assets/{r['asset'].pk}",
        "/institutions/",
        "/assessments/",
        f"/assessments/{r['assessment'].pk}",
    ]


def test_every_page_and_endpoint_answers_in_scope(client, records):
    login_as(client, records["taiyuan_admin"])
    for url in pages(records):
        assert client.get(url).status_code == 200, url
    for url in endpoints(records):
        assert client.get(API + url).status_code == 200, url
    receipts = client.get(API + "/fund-receipts/").json()["items"]
    assert [r["amount"] for r in receipts] == ["1500.00"]
    detail = client.get(f"{API}/fund-receipts/{records['receipt'].pk}").json()
    assert sum(Decimal(s["amount"]) for s in detail["shares"]) == Decimal("1500.00")
    arrears = client.get(API + "/arrears/").json()["items"]
    assert arrears[0]["outstanding"] == "500.00" and arrears[0]["months_overdue"] > 0
    ledger = client.get(f"{API}/fund-ledger/{records['xiaodian'].pk}?year=2008").json()
    assert ledger["total"]["received"] == "1500.00"


def test_an_outsider_gets_404_on_every_record_and_sees_none_in_lists(client, records):
    login_as(client, records["datong_editor"])
    lists = {"/finance/", "/finance/schemes/", "/finance/assets/", "/finance/asset-rules/",
             "/finance/institutions/", "/finance/assessments/"}  # fmt: skip
    for url in pages(records):
        response = client.get(url)
        if url in lists:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url
    for url in endpoints(records):
        response = client.get(API + url)
        if any(ch.isdigit() for ch in url):
            assert response.status_code == 404, url
        elif url != "/share-schemes/":  # the province's shares apply to every union
            assert response.json()["items"] == [], url
    page = client.get("/finance/").content.decode()
    assert "1,500.00" not in page


def test_a_viewer_cannot_write(client, records):
    login_as(client, records["taiyuan_viewer"])
    for url in ["/finance/receipts/new/", "/finance/schemes/new/", "/finance/assets/new/",
                "/finance/asset-rules/new/"]:  # fmt: skip
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    asset = records["asset"]
    assert client.post(f"/finance/assets/{asset.pk}/dispose/", {"reason": "x"}).status_code == 403
    body = {"org": records["xiaodian"].pk, "channel": "grant", "amount": "10.00",
            "received_on": "2008-05-01"}  # fmt: skip
    assert (
        client.post(API + "/fund-receipts/", body, content_type="application/json").status_code
        == 403
    )
    assert FundReceipt.objects.count() == 1


def test_an_editor_records_a_receipt_on_the_page_and_through_the_api(client, records):
    login_as(client, records["taiyuan_admin"])
    unit = records["taiyuan_unit"]
    response = client.post(
        "/finance/receipts/new/",
        {
            "org": records["xiaodian"].pk,
            "channel": Channel.TAX,
            "unit": unit.credit_code,
            "period": "2008-04",
            "payroll_base": "50,000.00",
            "amount": "1000.00",
            "received_on": "2008-05-10",
        },  # fmt: skip
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = FundReceipt.objects.latest("id")
    assert made.levy.due == Decimal("1000.00") and made.shares.count() == 5
    # bad input: the field and the reason, nothing saved
    response = client.post(
        "/finance/receipts/new/",
        {"org": records["xiaodian"].pk, "channel": Channel.TAX, "unit": unit.credit_code,
         "period": "2008-13", "payroll_base": "1", "amount": "1", "received_on": "2008-05-10"},
    )  # fmt: skip
    assert "所属期“2008-13”无法识别" in response.content.decode()
    body = {"org": records["taiyuan"].pk, "channel": "grant", "amount": "2000.50",
            "received_on": "2008-05-01"}  # fmt: skip
    made = client.post(API + "/fund-receipts/", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["shares"] == []
    outside = {**body, "org": records["pingcheng"].pk}
    refused = client.post(API + "/fund-receipts/", outside, content_type="application/json")
    assert refused.status_code == 400


def _export(client, name, data) -> list[tuple]:
    """Start a list export as the page's button does; the rows of the file it wrote."""
    response = client.post(reverse("tasks:export", args=[name]), data)
    assert response.status_code == 302, response.status_code
    task = Task.objects.filter(kind="core.export_list").latest("id")
    assert task.status == Task.Status.DONE, task.message
    download = client.get(reverse("tasks:download", args=[task.pk]))
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    return download, list(book.active.iter_rows(values_only=True))


def test_ledger_and_arrears_export_as_xlsx_in_the_background(client, records, settings, tmp_path):
    settings.TASKS_MODE, settings.MEDIA_ROOT = "eager", tmp_path
    login_as(client, records["taiyuan_admin"])
    xiaodian = records["xiaodian"]
    page = client.get(f"/finance/ledger/?org={xiaodian.pk}&year=2008").content.decode()
    assert reverse("tasks:export", args=["fund-ledger"]) in page
    download, rows = _export(client, "fund-ledger", {"org": xiaodian.pk, "year": "2008"})
    assert "xlsx" in download["Content-Disposition"]
    assert quote("小店区总工会2008年经费台账.xlsx") in download["Content-Disposition"]
    assert rows[0] == ("月份", "应缴", "实收", "本级分成", "上解", "返还下级", "收到返还")
    assert len(rows) == 14 and rows[4][0] == "4月" and Decimal(str(rows[4][2])) == Decimal("1500")
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][2])) == Decimal("1500")
    total_shares = sum(Decimal(str(v)) for v in rows[-1][3:6])
    assert total_shares == Decimal("1500")  # 实收 = 本级分成 + 上解 + 返还下级
    page = client.get(f"/finance/arrears/?org={xiaodian.pk}").content.decode()
    assert reverse("tasks:export", args=["arrears"]) in page
    download, rows = _export(client, "arrears", {"org": xiaodian.pk})
    assert rows[0] == ("单位", "统一社会信用代码", "所属工会", "所属期", "缴费期限", "应缴",
                       "已缴", "欠缴", "逾期月数", "滞纳金")  # fmt: skip
    assert len(rows) == 2 and rows[1][0] == records["taiyuan_unit"].name
    assert rows[1][3] == "2008-03" and Decimal(str(rows[1][7])) == Decimal("500")
    assert rows[1][8] > 0 and Decimal(str(rows[1][9])) > 0  # months overdue, the late fee
    # an outsider: another city's org is a 404, their own lists hold none of it
    login_as(client, records["datong_editor"])
    for name, data in (("fund-ledger", {"org": xiaodian.pk, "year": "2008"}),
                       ("arrears", {"org": xiaodian.pk})):  # fmt: skip
        assert client.post(reverse("tasks:export", args=[name]), data).status_code == 404
    _download, rows = _export(client, "arrears", {})
    assert len(rows) == 1
    _download, rows = _export(client, "fund-ledger", {"year": "2008"})
    assert Decimal(str(rows[-1][2])) == 0


def test_disposal_needs_a_reviewers_approval(client, records):
    asset = records["asset"]
    login_as(client, records["taiyuan_admin"])
    client.post(f"/finance/assets/{asset.pk}/dispose/", {"reason": "危房拆除"})
    asset.refresh_from_db()
    assert asset.status == Asset.Status.PROPOSED
    login_as(client, records["taiyuan_admin"])
    client.post(f"/finance/assets/{asset.pk}/approve/", {"on": "2008-06-30"})
    asset.refresh_from_db()
    assert (asset.status, asset.disposed_on) == (Asset.Status.DISPOSED, dt.date(2008, 6, 30))


def test_the_workbench_lists_arrears_and_disposals_waiting(records):
    from unionworks.core.todos import waiting_for

    waiting = {w.todo.code: w.count for w in waiting_for(records["taiyuan_admin"])}
    assert waiting["finance.arrears_to_follow_up"] == 1
    assert "finance.arrears_to_follow_up" not in {
        w.todo.code for w in waiting_for(records["datong_editor"])
    }
    services.propose_disposal(actor=None, asset=records["asset"], reason="报废")
    reviewer = {w.todo.code: w.count for w in waiting_for(records["taiyuan_admin"])}
    assert reviewer["finance.disposals_to_approve"] == 1


def test_score_sheets_institutions_and_assessments_through_the_api(client, records):
    login_as(client, records["taiyuan_admin"])
    post = lambda url, body: client.post(API + url, body, content_type="application/json")  # noqa: E731
    put = lambda url, body: client.put(API + url, body, content_type="application/json")  # noqa: E731
    made = post("/institutions/", {"org": records["taiyuan"].pk, "name": "太原市职工疗养院"})
    assert made.status_code == 201
    sheet = post(
        "/assessment-schemes/",
        {"org": records["taiyuan"].pk, "year": 2008, "title": "2008年度考核办法",
         "items": [{"name": "经济效益", "max_score": 50}, {"name": "社会效益", "max_score": 50}]},
    )  # fmt: skip
    assert sheet.status_code == 201, sheet.json()
    sheet_id = sheet.json()["id"]
    # the sheet is editable until someone is assessed by it
    edited = put(f"/assessment-schemes/{sheet_id}/items",
                 [{"name": "经济效益", "max_score": 60}, {"name": "社会效益", "max_score": 40}])  # fmt: skip
    assert edited.status_code == 200
    items = {i["name"]: i["id"] for i in edited.json()["items"]}
    over = post("/assessments/", {"scheme": sheet_id, "institution": made.json()["id"],
                                  "assessed_on": "2009-03-01",
                                  "scores": {items["经济效益"]: 61, items["社会效益"]: 30}})  # fmt: skip
    assert over.status_code == 400 and "不能超过分值60" in over.json()["detail"]
    done = post("/assessments/", {"scheme": sheet_id, "institution": made.json()["id"],
                                  "assessed_on": "2009-03-01",
                                  "scores": {items["经济效益"]: 55, items["社会效益"]: 36}})  # fmt: skip
    assert done.status_code == 201 and done.json()["grade"] == "excellent"
    locked = put(f"/assessment-schemes/{sheet_id}/items", [{"name": "x", "max_score": 100}])
    assert locked.status_code == 400
    # another city sees none of it
    login_as(client, records["datong_editor"])
    assert client.get(f"{API}/assessments/{done.json()['id']}").status_code == 404
    assert client.get(API + "/assessment-schemes/").json()["items"] == []
    assert (
        put(f"/assessment-schemes/{sheet_id}/items", [{"name": "x", "max_score": 1}]).status_code
        == 404
    )
    # a viewer cannot write
    login_as(client, records["taiyuan_viewer"])
    assert post("/institutions/", {"org": records["taiyuan"].pk, "name": "x"}).status_code == 403
