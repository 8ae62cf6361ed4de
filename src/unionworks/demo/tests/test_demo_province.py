"""The demo province: shape, valid codes and paths, the article's figures, determinism, logins."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from unionworks.accounts.models import User
from unionworks.core.creditcode import validate_credit_code
from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import OrgFactory
from unionworks.demo import names
from unionworks.demo.province import (
    ARTICLE,
    SCALES,
    DemoContext,
    apportion,
    build_tree,
    build_unions,
    build_units,
    figures_for,
)
from unionworks.orgs.models import Org, Unit

PASSWORD = "Demo-Taiyuan-2008"


@pytest.fixture(autouse=True)
def demo_password(monkeypatch, settings):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    # Argon2 is the real hasher; a fast one keeps these tests quick and proves the same thing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build(seed: int = 7, **options) -> str:
    out = StringIO()
    call_command("demo_province", scale="tiny", seed=seed, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "orgs": list(Org.objects.order_by("id").values_list("id", "name", "path", "founded_on")),
        "units": list(
            Unit.objects.order_by("id").values_list(
                "id", "name", "credit_code", "union_id", "covered_since", "employees"
            )
        ),
    }


@pytest.mark.django_db
def test_tree_is_one_province_eleven_real_cities_and_119_counties():
    build()
    province = Org.objects.get(kind=Org.Kind.PROVINCE)
    assert (province.name, province.region_code, province.parent_id) == (
        "山西省总工会",
        "140000",
        None,
    )
    cities = Org.objects.filter(kind=Org.Kind.CITY).order_by("region_code")
    assert [(c.region_code, c.name) for c in cities] == [
        (code, f"{name}总工会") for code, name, _ in names.CITIES
    ]
    assert all(c.parent_id == province.pk for c in cities)
    counties = Org.objects.filter(kind=Org.Kind.COUNTY)
    assert counties.count() == 119
    assert sorted(counties.values_list("region_code", flat=True)) == sorted(
        code for listed in names.COUNTIES.values() for code, _ in listed
    )
    for county in counties.select_related("parent"):
        assert county.parent.kind == Org.Kind.CITY
        assert county.region_code[:4] == county.parent.region_code[:4]
    assert Org.objects.get(region_code="140105", kind=Org.Kind.COUNTY).name == "小店区总工会"
    assert Org.objects.filter(name="大同市城区总工会").exists()
    # every county has a township; grassroots unions sit under townships or federations
    assert not counties.exclude(children__kind=Org.Kind.TOWNSHIP).exists()
    parents = set(
        Org.objects.filter(kind=Org.Kind.GRASSROOTS).values_list("parent__kind", flat=True)
    )
    assert parents == {Org.Kind.TOWNSHIP, Org.Kind.FEDERATION}


@pytest.mark.django_db
def test_every_path_is_the_parents_path_plus_its_own_id():
    build()
    by_id = {o.pk: o for o in Org.objects.all()}
    for org in by_id.values():
        own = str(org.pk).zfill(8)
        expected = (by_id[org.parent_id].path if org.parent_id else "") + own
        assert org.path == expected, org.name


@pytest.mark.django_db
def test_every_credit_code_is_valid_unique_and_of_the_units_county():
    build()
    units = list(Unit.objects.select_related("org__parent"))
    codes = [u.credit_code for u in units]
    assert len(set(codes)) == len(codes)
    for unit in units:
        assert validate_credit_code(unit.credit_code) == unit.credit_code
        assert unit.credit_code[2:8] == unit.region_code == unit.org.parent.region_code
        assert unit.org.kind == Org.Kind.TOWNSHIP


@pytest.mark.django_db
def test_coverage_is_partial_and_every_union_covers_units_of_its_own_township():
    build()
    total = Unit.objects.count()
    covered = Unit.objects.filter(union__isnull=False)
    assert 0 < covered.count() < total
    assert not covered.exclude(union__kind=Org.Kind.GRASSROOTS).exists()
    for unit in covered.select_related("org", "union"):
        assert unit.union.path.startswith(unit.org.path)
        assert unit.established_on <= unit.covered_since
        assert unit.union.founded_on <= unit.covered_since
    assert not Unit.objects.filter(union__isnull=True, covered_since__isnull=False).exists()
    # one 联合基层工会 covers several units
    assert Org.objects.filter(name__endswith="联合基层工会").exists()
    assert any(
        o.covered_units.count() > 1 for o in Org.objects.filter(name__endswith="联合基层工会")
    )


@pytest.mark.django_db
def test_migrants_and_women_never_outnumber_employees():
    build()
    for employees, migrants, women in Unit.objects.values_list(
        "employees", "migrant_workers", "women_workers"
    ):
        assert employees >= 1
        assert migrants <= employees and women <= employees
    assert set(Unit.objects.values_list("ownership", flat=True)) >= {
        "private", "state", "collective", "individual", "institution",
    }  # fmt: skip


@pytest.mark.django_db
def test_counts_at_end_2007_and_september_2008_follow_the_article_in_proportion():
    build()
    fig = figures_for(SCALES["tiny"])
    grassroots = Org.objects.filter(kind=Org.Kind.GRASSROOTS)
    assert grassroots.count() == fig.grassroots
    assert grassroots.filter(founded_on__lte=dt.date(2007, 12, 31)).count() == fig.grassroots_2007
    assert grassroots.filter(founded_on__lte=dt.date(2008, 9, 30)).count() == fig.grassroots
    covered = Unit.objects.filter(union__isnull=False)
    assert covered.count() == fig.covered
    assert covered.filter(covered_since__lte=dt.date(2007, 12, 31)).count() == fig.covered_2007
    assert Unit.objects.filter(established_on__lte=dt.date(2007, 12, 31)).count() == fig.units_2007
    foreign_invested_unions = (
        covered.filter(ownership__in=["foreign", "hmt"]).values("union").distinct().count()
    )
    assert foreign_invested_unions == fig.foreign_unions


def test_province_scale_reproduces_the_article_exactly():
    fig = figures_for(SCALES["province"])
    assert (fig.grassroots, fig.grassroots_2007, fig.covered, fig.covered_2007) == (
        ARTICLE["grassroots"],
        ARTICLE["grassroots_2007"],
        ARTICLE["covered"],
        ARTICLE["covered_2007"],
    )
    assert fig.foreign_unions == 555
    assert 140_000 <= fig.units <= 150_000


def test_small_scale_meets_its_figures_exactly_in_memory():
    ctx = DemoContext(scale=SCALES["small"], seed=2008, password="", out=lambda _: None)
    ctx.figures = fig = figures_for(ctx.scale)
    for step in (build_tree, build_units, build_unions):
        step(ctx)
    end_2007 = dt.date(2007, 12, 31)
    unions = {id(u.union): u.union for u in ctx.units if u.union}
    covered = [u for u in ctx.units if u.union]
    assert len(ctx.units) == fig.units
    assert len(covered) == fig.covered
    assert sum(1 for u in covered if u.covered_since <= end_2007) == fig.covered_2007
    assert sum(1 for u in ctx.units if u.established_on <= end_2007) == fig.units_2007
    assert len(unions) == fig.grassroots
    assert sum(1 for u in unions.values() if u.founded_on <= end_2007) == fig.grassroots_2007


@pytest.mark.django_db
def test_same_seed_builds_the_same_province_and_another_seed_does_not():
    build(seed=7)
    first = snapshot()
    build(seed=7, reset=True)
    assert snapshot() == first
    build(seed=8, reset=True)
    other = snapshot()
    assert [u[1:3] for u in other["units"]] != [u[1:3] for u in first["units"]]
    assert len(other["orgs"]) > 0


@pytest.mark.django_db
def test_demo_accounts_have_their_org_and_role_and_log_in_with_demo_password():
    output = build()
    expected = {
        "admin": ("山西省总工会", User.Role.ADMIN),
        "taiyuan": ("太原市总工会", User.Role.ADMIN),
        "datong": ("大同市总工会", User.Role.EDITOR),
        "jiceng": ("太原重型机械有限公司工会", User.Role.EDITOR),
        "shenhe": ("太原市总工会", User.Role.REVIEWER),
    }
    users = {u.username: u for u in User.objects.select_related("org")}
    assert {name: (u.org.name, u.role) for name, u in users.items()} == expected
    jiceng = users["jiceng"].org
    assert jiceng.kind == Org.Kind.GRASSROOTS
    assert jiceng.path.startswith(users["taiyuan"].org.path)
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1")
    for username in expected:
        assert authenticate(request, username=username, password=PASSWORD) == users[username]
    assert authenticate(request, username="admin", password="wrong-password") is None
    assert "http://127.0.0.1:8000" in output and PASSWORD in output
    for username, (org, _role) in expected.items():
        assert username in output and org in output


@pytest.mark.django_db
def test_refuses_a_database_that_is_not_empty_unless_reset():
    OrgFactory(name="已有的工会", kind=Org.Kind.PROVINCE)
    with pytest.raises(CommandError, match="--reset"):
        build()
    assert Org.objects.count() == 1 and not Unit.objects.exists()
    assert "--reset" in build(if_empty=True)  # make demo run again: a note, not a failure
    assert Org.objects.count() == 1 and not Unit.objects.exists()
    build(reset=True)
    assert not Org.objects.filter(name="已有的工会").exists()
    assert Org.objects.filter(kind=Org.Kind.COUNTY).count() == 119


@pytest.mark.django_db
def test_the_build_leaves_one_summary_audit_entry():
    build()
    entry = AuditEntry.objects.get()
    assert entry.action == "create" and entry.org.kind == Org.Kind.PROVINCE
    assert entry.changes["单位"] == [None, Unit.objects.count()]
    assert entry.changes["随机种子"] == [None, 7]


def test_apportion_keeps_the_total_minimums_and_caps():
    shares = apportion(100, [5, 1, 1, 0], minimum=2, maximum=[50, 50, 50, 3])
    assert shares == [50, 24, 24, 2]
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]


@pytest.mark.django_db
def test_the_figures_read_from_the_history_are_the_articles_and_stay_so_after_todays_records():
    """The demo's tree and coverage are history (spells, foundings): the end-2007 and
    2008-09-30 figures the indicators read are the article's (in proportion at this
    scale), and a unit registered and a union founded today leave them as they were."""
    from unionworks.core.periods import as_of
    from unionworks.orgs import services
    from unionworks.stats.values import evaluate

    build()
    fig = figures_for(SCALES["tiny"])
    province = Org.objects.get(parent__isnull=True)
    codes = ["grassroots_unions", "units_covered", "units", "coverage_rate", "fie_unions"]

    def figures():
        return {
            day: evaluate(province, as_of(day), codes)[province.pk].figures
            for day in (dt.date(2007, 12, 31), dt.date(2008, 9, 30))
        }

    before = figures()
    end_2007, sept_2008 = before[dt.date(2007, 12, 31)], before[dt.date(2008, 9, 30)]
    assert (end_2007["grassroots_unions"], end_2007["units_covered"]) == (
        fig.grassroots_2007,
        fig.covered_2007,
    )
    assert end_2007["units"] == fig.units_2007
    assert (sept_2008["grassroots_unions"], sept_2008["units_covered"]) == (
        fig.grassroots,
        fig.covered,
    )
    assert sept_2008["fie_unions"] == fig.foreign_unions
    admin = User.objects.get(org=province, role="admin")
    township = Org.objects.filter(kind=Org.Kind.TOWNSHIP).first()
    unit = services.create_unit(
        actor=admin, name="今天登记的单位", credit_code=_new_code(), org=township,
        ownership="foreign", industry="C", employees=50,
    )  # fmt: skip
    services.found_union(
        actor=admin, name="今天组建的工会", parent=township, form=Org.Form.SINGLE,
        founded_on=dt.date.today(), units=[unit],
    )  # fmt: skip
    assert figures() == before


def _new_code() -> str:
    import random

    from unionworks.core.creditcode import make_credit_code

    taken = set(Unit.objects.values_list("credit_code", flat=True))
    rng = random.Random(11)
    while (code := make_credit_code(rng)) in taken:
        pass
    return code
