"""Factories for a small world per test: orgs with real paths, units with valid codes, accounts."""

import datetime as dt
import random

import factory

from unionworks.accounts.models import User
from unionworks.core.creditcode import make_credit_code
from unionworks.orgs.models import CoverageSpell, Org, Unit
from unionworks.orgs.services import path_for

_rng = random.Random(20081231)


class OrgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Org

    name = factory.Sequence(lambda n: f"测试工会{n}")
    kind = Org.Kind.GRASSROOTS
    parent = None
    path = factory.Sequence(lambda n: f"tmp{n}")
    region_code = "140105"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        org = super()._create(model_class, *args, **kwargs)
        org.path = path_for(org.pk, org.parent)
        org.save(update_fields=["path"])
        return org


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试单位{n}有限公司")
    credit_code = factory.LazyFunction(lambda: make_credit_code(_rng))
    ownership = Unit.Ownership.PRIVATE
    industry = Unit.Industry.C
    region_code = "140105"
    org = factory.SubFactory(OrgFactory, kind=Org.Kind.TOWNSHIP)
    employees = 100
    migrant_workers = 20
    women_workers = 40

    @factory.post_generation
    def coverage(unit, create, extracted, **kwargs):
        """A unit made with ``union=`` is covered from ``covered_since`` (or forever): its
        first coverage spell, as the services would write it."""
        if create and unit.union_id is not None:
            start = unit.covered_since or unit.established_on or dt.date(1949, 10, 1)
            CoverageSpell.objects.create(unit=unit, union_id=unit.union_id, start=start)


def cover(unit: Unit, union: Org, since: dt.date) -> Unit:
    """The unit covered by ``union`` from ``since`` (its only coverage spell), as set up
    directly by a test."""
    unit.coverage_spells.all().delete()
    CoverageSpell.objects.create(unit=unit, union=union, start=since)
    unit.union, unit.covered_since = union, since
    unit.save(update_fields=["union", "covered_since"])
    return unit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    org = factory.SubFactory(OrgFactory, kind=Org.Kind.CITY)
    role = User.Role.ADMIN
    password = factory.PostGenerationMethodCall("set_password", "Union-Works-2008")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


PASSWORD = "Union-Works-2008"


def small_province():
    """省 → 2 市 → 县 → 乡镇 → 基层: enough to prove scoping both ways."""
    province = OrgFactory(name="山西省总工会", kind=Org.Kind.PROVINCE, region_code="140000")
    taiyuan = OrgFactory(
        name="太原市总工会", kind=Org.Kind.CITY, parent=province, region_code="140100"
    )
    datong = OrgFactory(
        name="大同市总工会", kind=Org.Kind.CITY, parent=province, region_code="140200"
    )
    xiaodian = OrgFactory(
        name="小店区总工会", kind=Org.Kind.COUNTY, parent=taiyuan, region_code="140105"
    )
    township = OrgFactory(
        name="坞城街道工会", kind=Org.Kind.TOWNSHIP, parent=xiaodian, region_code="140105"
    )
    grassroots = OrgFactory(
        name="太原重型机械有限公司工会", kind=Org.Kind.GRASSROOTS, parent=township
    )
    pingcheng = OrgFactory(
        name="平城区总工会", kind=Org.Kind.COUNTY, parent=datong, region_code="140213"
    )
    return {
        "province": province,
        "taiyuan": taiyuan,
        "datong": datong,
        "xiaodian": xiaodian,
        "township": township,
        "grassroots": grassroots,
        "pingcheng": pingcheng,
    }


def login_as(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
