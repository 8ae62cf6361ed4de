"""The member-roll, transfer and coverage pages: in scope 200, out of scope 404, viewers
read only, personal data masked on every GET and revealed only by a logged POST."""

import datetime as dt
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import OrgFactory, UnitFactory, login_as
from unionworks.members import coverage
from unionworks.members.models import Member, Transfer
from unionworks.members.tests.factories import join, new_id_number
from unionworks.orgs.models import Org

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PHONE = "13812345678"


@pytest.fixture
def roll(world):
    datong_union = OrgFactory(
        name="大同煤矿工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"]
    )
    second_union = OrgFactory(
        name="太原钢铁工会", kind=Org.Kind.GRASSROOTS, parent=world["township"]
    )
    id_number = new_id_number(birth_date=dt.date(1985, 6, 1))
    member = join(
        world["grassroots"],
        name="李明",
        id_number=id_number,
        phone=PHONE,
        unit=world["taiyuan_unit"],
        on=dt.date(2007, 3, 1),
        card_number="88001",
    )
    return {
        **world,
        "member": member,
        "id_number": id_number,
        "datong_union": datong_union,
        "second_union": second_union,
    }


@pytest.fixture
def pending(roll):
    """A transfer inside Taiyuan, waiting for the receiving union."""
    from unionworks.members import services

    return services.request_transfer(
        actor=roll["taiyuan_admin"],
        member=roll["member"],
        to_org=roll["second_union"],
        on=dt.date(2008, 5, 1),
    )


def grant_reveal(user):
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    return type(user).objects.get(pk=user.pk)


def join_form(roll, **over) -> dict:
    data = {
        "org": roll["grassroots"].pk,
        "unit": roll["taiyuan_unit"].pk,
        "id_number": new_id_number(birth_date=dt.date(1990, 2, 3)),
        "name": "王芳",
        "joined_on": "2008-04-01",
        "phone": "13912345678",
        "education": "bachelor",
        "ethnicity": "汉族",
        "is_migrant": "on",
        "card_number": "",
    }
    data.update(over)
    return data


def member_urls(roll) -> list[str]:
    pk = roll["member"].pk
    return [
        reverse("members:detail", args=[pk]),
        reverse("members:leave", args=[pk]),
        reverse("members:transfer", args=[pk]),
    ]


# ---- access ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, roll):
    for url in [reverse("members:list"), reverse("members:coverage"), *member_urls(roll)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_in_scope_user_opens_every_page(client, roll, pending):
    login_as(client, roll["taiyuan_admin"])
    urls = [
        reverse("members:list"),
        reverse("members:list") + "?q=lm&status=active&org=" + str(roll["xiaodian"].pk),
        reverse("members:join"),
        reverse("members:transfers"),
        reverse("members:transfer_detail", args=[pending.pk]),
        reverse("members:coverage"),
        reverse("members:coverage") + f"?org={roll['xiaodian'].pk}&as_of=2007-12-31",
        reverse("members:coverage_export"),
        reverse("members:union_lookup") + "?q=大同",
        reverse("members:unit_options") + f"?org={roll['grassroots'].pk}",
        *member_urls(roll),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_outsider_gets_404_on_every_record_of_another_city(client, roll, pending):
    login_as(client, roll["datong_editor"])
    pk = roll["member"].pk
    for url in member_urls(roll):
        assert client.get(url).status_code == 404, url
    posts = {
        reverse("members:leave", args=[pk]): {"kind": "leave", "on": "2008-06-01"},
        reverse("members:transfer", args=[pk]): {
            "to_org": roll["datong_union"].pk,
            "on": "2008-06-01",
        },
        reverse("members:reveal", args=[pk]): {},
        reverse("members:transfer_accept", args=[pending.pk]): {"on": "2008-06-01"},
        reverse("members:transfer_reject", args=[pending.pk]): {"reason": "不收"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert client.get(reverse("members:transfer_detail", args=[pending.pk])).status_code == 404
    taiyuan = roll["taiyuan"].pk
    assert client.get(reverse("members:coverage") + f"?org={taiyuan}").status_code == 404
    assert client.get(reverse("members:coverage_export") + f"?org={taiyuan}").status_code == 404
    assert (
        list(client.get(reverse("members:list"), {"q": "李明"}).context["page"].object_list) == []
    )
    assert "李明" not in client.get(reverse("members:transfers")).content.decode()
    roll["member"].refresh_from_db()
    assert roll["member"].status == Member.Status.ACTIVE
    assert Transfer.objects.get(pk=pending.pk).status == Transfer.Status.PENDING
    assert not AuditEntry.objects.filter(actor=roll["datong_editor"]).exists()


def test_viewer_gets_403_on_every_post_and_sees_no_write_buttons(client, roll, pending):
    viewer = roll["taiyuan_viewer"]
    login_as(client, viewer)
    pk = roll["member"].pk
    posts = {
        reverse("members:join"): join_form(roll),
        reverse("members:leave", args=[pk]): {"kind": "leave", "on": "2008-06-01"},
        reverse("members:transfer", args=[pk]): {
            "to_org": roll["datong_union"].pk,
            "on": "2008-06-01",
        },
        reverse("members:reveal", args=[pk]): {},
        reverse("members:transfer_accept", args=[pending.pk]): {"on": "2008-06-01"},
        reverse("members:transfer_reject", args=[pending.pk]): {"reason": "不收"},
        reverse("stats:targets"): {
            "org": roll["xiaodian"].pk,
            "indicator": "members_joined",
            "value": "10",
            "year": "2008",
        },
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    detail = client.get(reverse("members:detail", args=[pk])).content.decode()
    assert reverse("members:leave", args=[pk]) not in detail
    assert reverse("members:transfer", args=[pk]) not in detail
    assert reverse("members:reveal", args=[pk]) not in detail
    assert reverse("members:join") not in client.get(reverse("members:list")).content.decode()
    page = client.get(reverse("members:transfer_detail", args=[pending.pk])).content.decode()
    assert reverse("members:transfer_accept", args=[pending.pk]) not in page
    assert client.get(reverse("members:join")).status_code == 403
    assert Member.objects.count() == 1
    assert not AuditEntry.objects.filter(actor=viewer).exists()


# ---- the roll ------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["李明", "lm", "88001", "masked", "full"])
def test_roll_finds_a_member_by_every_kind_of_search(client, roll, q):
    login_as(client, roll["taiyuan_admin"])
    q = {"masked": roll["member"].id_number_mask, "full": roll["id_number"]}.get(q, q)
    body = client.get(reverse("members:list"), {"q": q}, follow=True).content.decode()
    assert "李明" in body and "找到 1 人" in body
    # The page shows what was typed, and otherwise only the masked number.
    assert body.replace(q, "").count(roll["id_number"]) == 0 and PHONE not in body
    assert roll["member"].id_number_mask in body and "138****5678" in body


def test_htmx_refresh_answers_the_table_only(client, roll):
    login_as(client, roll["taiyuan_admin"])
    response = client.get(reverse("members:list"), {"q": "lm"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "李明" in body
    assert "HX-Request" in response["Vary"]


def test_unfiltered_roll_counts_up_to_the_cap_and_pages_by_key(client, roll, settings):
    settings.PAGE_SIZE = 2
    for i in range(3):
        join(roll["grassroots"], name=f"赵{i}", id_number=new_id_number())
    login_as(client, roll["taiyuan_admin"])
    first = client.get(reverse("members:list"))
    assert "共 4 人" in first.content.decode() and "末页" in first.content.decode()
    page = first.context["page"]
    assert [m.name for m in page.object_list] == ["李明", "赵0"]
    assert page.has_next and not page.has_previous
    second = client.get(reverse("members:list"), {"after": page.last_key}).context["page"]
    assert [m.name for m in second.object_list] == ["赵1", "赵2"]
    assert second.has_previous and not second.has_next
    back = client.get(reverse("members:list"), {"before": second.first_key}).context["page"]
    assert [m.name for m in back.object_list] == ["李明", "赵0"]
    assert not back.has_previous
    last = client.get(reverse("members:list"), {"last": "1"}).context["page"]
    assert [m.name for m in last.object_list] == ["赵1", "赵2"]
    assert last.has_previous and not last.has_next


def test_an_initials_search_pages_in_initials_order(client, roll, settings):
    settings.PAGE_SIZE = 2
    for name in ["王伟", "吴明", "王芳", "魏巍", "王一"]:  # ww, wm, wf, ww, wy
        join(roll["grassroots"], name=name, id_number=new_id_number())
    login_as(client, roll["taiyuan_admin"])
    seen, params = [], {"q": "W"}
    while True:
        page = client.get(reverse("members:list"), params).context["page"]
        seen += [(m.name_initials, m.pk) for m in page.object_list]
        if not page.has_next:
            break
        params = {"q": "W", "after": page.last_key}
    assert len(seen) == 5 and seen == sorted(seen)  # by initials, then by id; none twice
    assert [i for i, _pk in seen] == ["wf", "wm", "ww", "ww", "wy"]
    back = client.get(reverse("members:list"), {"q": "W", "before": page.first_key})
    assert [(m.name_initials, m.pk) for m in back.context["page"].object_list] == seen[2:4]


def test_a_name_search_pages_in_name_order(client, roll, settings):
    settings.PAGE_SIZE = 2
    for name in ["王伟东", "王伟", "王芳", "王伟", "李伟"]:
        join(roll["grassroots"], name=name, id_number=new_id_number())
    login_as(client, roll["taiyuan_admin"])
    seen, params = [], {"q": "王"}
    while True:
        page = client.get(reverse("members:list"), params).context["page"]
        seen += [(m.name, m.pk) for m in page.object_list]
        if not page.has_next:
            break
        params = {"q": "王", "after": page.last_key}
    assert len(seen) == 4 and seen == sorted(seen)  # by name (code points), then id
    assert [n for n, _pk in seen][:3] == ["王伟", "王伟", "王伟东"]  # the exact name first
    found = client.get(reverse("members:list"), {"q": "王伟"}).context["page"].object_list
    assert [m.name for m in found] == ["王伟", "王伟"]
    back = client.get(reverse("members:list"), {"q": "王", "before": page.first_key})
    assert [(m.name, m.pk) for m in back.context["page"].object_list] == seen[:2]


def test_found_count_stops_at_the_cap(client, roll, monkeypatch):
    from unionworks.members import views

    monkeypatch.setattr(views, "ROLL_COUNT_CAP", 1)
    join(roll["grassroots"], name="李四", id_number=new_id_number())
    login_as(client, roll["taiyuan_admin"])
    body = client.get(reverse("members:list"), {"q": "李"}).content.decode()
    assert "找到 1 人以上" in body


def test_join_through_the_form_creates_a_member(client, roll):
    login_as(client, roll["taiyuan_admin"])
    data = join_form(roll)
    response = client.post(reverse("members:join"), data)
    member = Member.objects.get(name="王芳")
    assert response.status_code == 302
    assert response["Location"] == reverse("members:detail", args=[member.pk])
    assert member.org == roll["grassroots"] and member.unit == roll["taiyuan_unit"]
    assert member.birth_date == dt.date(1990, 2, 3) and member.is_migrant
    assert member.spells.get().start == dt.date(2008, 4, 1)
    assert AuditEntry.objects.filter(model="members.member", object_id=str(member.pk)).count() == 1


def test_join_with_a_bad_id_number_shows_the_reason_next_to_the_field(client, roll):
    login_as(client, roll["taiyuan_admin"])
    good = new_id_number(birth_date=dt.date(1990, 2, 3))
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post(reverse("members:join"), join_form(roll, id_number=bad))
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == ["身份证号校验位不对，请核对号码"]
    assert "身份证号校验位不对" in response.content.decode()
    assert Member.objects.count() == 1


def test_join_refuses_a_union_outside_the_subtree(client, roll):
    login_as(client, roll["taiyuan_admin"])
    response = client.post(reverse("members:join"), join_form(roll, org=roll["datong_union"].pk))
    assert "org" in response.context["form"].errors
    assert Member.objects.count() == 1


def test_unit_options_list_the_units_the_union_covers(client, roll):
    login_as(client, roll["taiyuan_admin"])
    url = reverse("members:unit_options")
    body = client.get(url, {"org": roll["grassroots"].pk}, **HTMX).content.decode()
    assert "太原重型机械有限公司" in body
    assert (
        "太原重型机械有限公司"
        not in client.get(url, {"org": roll["datong_union"].pk}).content.decode()
    )


# ---- personal data -------------------------------------------------------------------------


def test_reveal_without_the_permission_is_refused(client, roll):
    login_as(client, roll["taiyuan_admin"])
    response = client.post(reverse("members:reveal", args=[roll["member"].pk]))
    assert response.status_code == 403
    assert roll["id_number"] not in response.content.decode()
    assert not AuditEntry.objects.filter(action="view").exists()
    detail = client.get(reverse("members:detail", args=[roll["member"].pk])).content.decode()
    assert "查看完整证件号" not in detail


def test_reveal_with_the_permission_shows_the_number_once_and_logs_it(client, roll):
    admin = grant_reveal(roll["taiyuan_admin"])
    login_as(client, admin)
    url = reverse("members:detail", args=[roll["member"].pk])
    before = client.get(url).content.decode()
    assert "查看完整证件号" in before
    assert roll["id_number"] not in before and PHONE not in before
    response = client.post(reverse("members:reveal", args=[roll["member"].pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert roll["id_number"] in body and PHONE in body
    assert "no-store" in response["Cache-Control"]
    views = AuditEntry.objects.filter(action="view")
    assert views.count() == 1
    assert views.get().object_id == str(roll["member"].pk) and views.get().actor == admin
    after = client.get(url).content.decode()
    assert roll["id_number"] not in after and PHONE not in after


# ---- leaving and transfers -----------------------------------------------------------------


def test_leaving_through_the_form(client, roll):
    login_as(client, roll["taiyuan_admin"])
    url = reverse("members:leave", args=[roll["member"].pk])
    future = client.post(url, {"kind": "leave", "on": "2098-01-01"})
    assert future.context["form"].errors["on"] == ["日期不能晚于今天"]
    response = client.post(url, {"kind": "death", "on": "2008-07-01"})
    assert response.status_code == 302
    roll["member"].refresh_from_db()
    assert roll["member"].status == Member.Status.DECEASED
    assert roll["member"].spells.get().end == dt.date(2008, 7, 1)


def test_transfer_to_another_city_is_asked_here_and_accepted_there(client, roll):
    login_as(client, roll["taiyuan_admin"])
    lookup = client.get(reverse("members:union_lookup"), {"q": "大同"}, **HTMX).content.decode()
    assert f'value="{roll["datong_union"].pk}"' in lookup and "大同煤矿工会" in lookup
    member = roll["member"]
    url = reverse("members:transfer", args=[member.pk])
    response = client.post(url, {"to_org": roll["datong_union"].pk, "on": "2008-05-01"})
    assert response.status_code == 302
    transfer = Transfer.objects.get(member=member)
    assert transfer.status == Transfer.Status.PENDING
    # Not the sender's to accept.
    page = client.get(reverse("members:transfer_detail", args=[transfer.pk])).content.decode()
    assert reverse("members:transfer_accept", args=[transfer.pk]) not in page

    login_as(client, roll["datong_editor"])
    listing = client.get(reverse("members:transfers"), {"direction": "received"}).content.decode()
    assert "李明" in listing and member.id_number_mask in listing
    assert reverse("members:detail", args=[member.pk]) not in listing
    accept = reverse("members:transfer_accept", args=[transfer.pk])
    early = client.post(accept, {"on": "2008-04-01"})
    assert "on" in early.context["accept_form"].errors
    assert client.post(accept, {"on": "2008-06-01"}).status_code == 302
    member.refresh_from_db()
    assert member.org == roll["datong_union"]
    assert client.get(reverse("members:detail", args=[member.pk])).status_code == 200

    login_as(client, roll["taiyuan_admin"])
    assert client.get(reverse("members:detail", args=[member.pk])).status_code == 404


def test_rejecting_a_transfer_needs_a_reason(client, roll, pending):
    login_as(client, roll["taiyuan_admin"])
    url = reverse("members:transfer_reject", args=[pending.pk])
    response = client.post(url, {"reason": ""})
    assert response.context["reject_form"].errors["reason"] == ["退回须说明理由"]
    assert client.post(url, {"reason": "查无此人"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == Transfer.Status.REJECTED and pending.reason == "查无此人"


# ---- coverage ------------------------------------------------------------------------------


def test_coverage_shows_the_own_row_then_each_child_with_a_drill_down_link(client, roll):
    UnitFactory(org=roll["township"], union=None)
    login_as(client, roll["taiyuan_admin"])
    response = client.get(reverse("members:coverage"), {"as_of": "2008-09-30"})
    rows = response.context["rows"]
    assert [item["row"].name for item in rows] == ["太原市总工会", "小店区总工会"]
    own = rows[0]
    figures = [code for code, _heading in coverage.FIGURES]
    assert own["cells"][figures.index("members")] == "1"
    assert own["cells"][figures.index("coverage_rate")] == "50.0%"
    body = response.content.decode()
    assert f'href="?org={roll["xiaodian"].pk}&amp;as_of=2008-09-30' in body
    assert "<strong>太原市总工会</strong>" in body
    assert "2007-12-31" in body and "2008-09-30" in body
    early = client.get(reverse("members:coverage"), {"as_of": "2006-12-31"})
    assert early.context["rows"][0]["cells"][figures.index("members")] == "0"
    drill = client.get(reverse("members:coverage"), {"org": roll["township"].pk})
    names = [item["row"].name for item in drill.context["rows"]]
    assert names == ["坞城街道工会", "太原重型机械有限公司工会", "太原钢铁工会"]


def test_coverage_rates_without_a_denominator_show_a_dash(client, roll):
    login_as(client, roll["taiyuan_admin"])
    response = client.get(reverse("members:coverage"), {"org": roll["second_union"].pk})
    cells = response.context["rows"][0]["cells"]
    assert cells[[c for c, _h in coverage.FIGURES].index("coverage_rate")] == "—"


def test_coverage_period_after_the_date_is_refused_with_a_reason(client, roll):
    login_as(client, roll["taiyuan_admin"])
    response = client.get(
        reverse("members:coverage"), {"as_of": "2008-01-31", "period_start": "2008-03-01"}
    )
    assert response.status_code == 200
    assert "期间起始日期不能晚于截至日期" in response.content.decode()
    assert response.context["period_start"] == dt.date(2008, 1, 1)


def test_coverage_export_holds_the_same_numbers(client, roll):
    login_as(client, roll["taiyuan_admin"])
    params = {"org": roll["taiyuan"].pk, "as_of": "2008-09-30"}
    response = client.get(reverse("members:coverage_export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert "太原市总工会" in sheet["A1"].value and "2008-09-30" in sheet["A1"].value
    headers = [c.value for c in sheet[2]]
    assert headers == ["组织", "类型", *[heading for _code, heading in coverage.FIGURES]]
    expected = coverage.coverage_table(
        roll["taiyuan_admin"],
        org=roll["taiyuan"],
        as_of=dt.date(2008, 9, 30),
        period=(dt.date(2008, 1, 1), dt.date(2008, 9, 30)),
    )
    data = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [row[0] for row in data] == [r.name for r in expected]
    for row, want in zip(data, expected, strict=True):
        for value, (code, _heading) in zip(row[2:], coverage.FIGURES, strict=True):
            wanted = want.figures[code]
            assert value == ("—" if wanted is None else wanted), code
    rate_column = 3 + [code for code, _h in coverage.FIGURES].index("coverage_rate")
    rate = sheet.cell(row=3, column=rate_column)
    assert rate.value == 1 and rate.number_format == "0.0%"
    members = sheet.cell(row=3, column=3 + [c for c, _h in coverage.FIGURES].index("members"))
    assert members.value == 1 and isinstance(members.value, int)


def test_coverage_headings_follow_the_language(client, roll):
    login_as(client, roll["taiyuan_admin"])
    chinese = client.get(reverse("members:coverage")).context["headings"]
    assert "建会率" in chinese
    client.cookies["django_language"] = "en"
    english = client.get(reverse("members:coverage"))
    assert "Coverage rate" in english.context["headings"]


@pytest.mark.postgres
def test_a_name_prefix_search_can_use_the_name_index(db):
    """王伟% in name order is served by the (name, id) index whatever the database
    collation (the column is in byte order), so a search stops at its first page."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's LIKE does not use indexes either way")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM members_member WHERE name LIKE '王伟%%'")
        plan = " ".join(row[0] for row in cursor.fetchall())
        assert "member_name" in plan
        cursor.execute(
            "EXPLAIN SELECT id FROM members_member WHERE name LIKE '王%%' "
            "ORDER BY name, id LIMIT 51"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "member_name" in plan and "Sort" not in plan, plan
