"""Hardship files: one open per person, yearly review, overdue list, closing (脱困)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from unionworks.assistance import selectors, services
from unionworks.assistance.models import HardshipFile
from unionworks.assistance.tests.factories import new_id_number, open_file
from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD, PHONE_FIELD
from unionworks.core.models import AuditEntry
from unionworks.core.personal_data import unseal


def test_a_file_keeps_the_person_sealed_and_the_household_figures(world):
    number = new_id_number(birth_date=dt.date(1963, 7, 9), sex="F")
    centre = services.create_centre(
        actor=None, org=world["xiaodian"], name="小店区困难职工帮扶中心"
    )
    file = open_file(
        world["xiaodian"],
        id_number=number,
        centre=centre,
        phone="13934567890",
        household_size=4,
        household_income=Decimal("9600.00"),
        causes=["illness", "schooling"],
        household=[{"name": "王小明", "relation": "儿子", "situation": "在校"}],
    )
    assert (file.sex, file.birth_date) == ("F", dt.date(1963, 7, 9))
    assert unseal(file.id_number_cipher, field=ID_FIELD) == number
    assert unseal(file.phone_cipher, field=PHONE_FIELD) == "13934567890"
    assert file.phone_mask == "139****7890"
    assert file.per_capita_income == Decimal("200.00") and file.below_line
    assert file.cause_labels() == ["因病", "因学"]
    assert file.household.get().relation == "儿子"
    entry = AuditEntry.objects.get(model="assistance.hardshipfile")
    assert number not in str(entry.changes) and file.id_number_mask in str(entry.changes)


def test_one_open_file_per_person(world):
    number = new_id_number()
    file = open_file(world["xiaodian"], id_number=number)
    with pytest.raises(DomainError, match="只能有一份在档档案") as refused:
        open_file(world["pingcheng"], id_number=number, actor=world["datong_editor"])
    assert refused.value.field == "id_number" and "其他工会" in refused.value.message
    services.close_file(actor=None, file=file, closed_on=dt.date(2008, 3, 1), note="子女就业，脱困")
    again = open_file(world["pingcheng"], id_number=number, opened_on=dt.date(2008, 5, 1))
    assert again.status == HardshipFile.Status.OPEN


def test_one_open_file_per_person_is_a_database_constraint(world):
    file = open_file(world["xiaodian"])
    copy = HardshipFile.objects.get(pk=file.pk)
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_review_takes_the_new_figures_and_clears_the_overdue_list(world):
    file = open_file(world["xiaodian"], opened_on=dt.date(2007, 5, 1))
    admin = world["taiyuan_admin"]
    on = dt.date(2008, 6, 1)
    assert list(selectors.files_for(admin, overdue=True, as_of=on)) == [file]
    assert not selectors.files_for(admin, overdue=True, as_of=dt.date(2008, 5, 1)).exists()
    review = services.review_file(
        actor=admin,
        file=file,
        reviewed_on=dt.date(2008, 5, 20),
        household_size=3,
        household_income=Decimal("12000.00"),
        level="relative",
        note="妻子再就业",
    )
    file.refresh_from_db()
    assert (file.level, file.last_reviewed_on, file.per_capita_income) == (
        "relative",
        dt.date(2008, 5, 20),
        Decimal("333.33"),
    )
    assert review.per_capita_income == Decimal("333.33")
    assert file.review_due == dt.date(2009, 5, 20)
    assert not selectors.files_for(admin, overdue=True, as_of=on).exists()
    # The figure for a day before the review still says it was overdue then.
    assert selectors.files_for(admin, overdue=True, as_of=dt.date(2008, 5, 10)).exists()
    with pytest.raises(DomainError, match="不能早于上次复核"):
        services.review_file(
            actor=admin,
            file=file,
            reviewed_on=dt.date(2008, 5, 1),
            household_size=3,
            household_income="1",
            level="deep",
        )


def test_closing_needs_a_reason_and_a_closed_file_takes_no_review(world):
    file = open_file(world["xiaodian"])
    with pytest.raises(DomainError) as no_reason:
        services.close_file(actor=None, file=file, closed_on=dt.date(2008, 3, 1), note="")
    assert no_reason.value.field == "note"
    services.close_file(
        actor=None, file=file, closed_on=dt.date(2008, 3, 1), note="家庭收入超过标准"
    )
    file.refresh_from_db()
    assert (file.status, file.get_closing_display()) == ("closed", "脱困")
    with pytest.raises(DomainError, match="已销档"):
        services.review_file(
            actor=None,
            file=file,
            reviewed_on=dt.date(2008, 4, 1),
            household_size=2,
            household_income="100",
            level="deep",
        )


def test_input_is_checked_field_by_field(world):
    for extra, field in [
        ({"household_size": 0}, "household_size"),
        ({"household_income": "-5"}, "household_income"),
        ({"causes": []}, "causes"),
        ({"level": "poor"}, "level"),
        ({"name": " "}, "name"),
        ({"opened_on": dt.date(2999, 1, 1)}, "opened_on"),
        ({"id_number": "1401051965"}, "id_number"),
    ]:
        with pytest.raises(DomainError) as refused:
            open_file(world["xiaodian"], **extra)
        assert refused.value.field == field
    assert not HardshipFile.objects.exists()


def test_viewers_and_outsiders_cannot_file(world):
    with pytest.raises(PermissionDenied):
        services.open_file(
            actor=world["taiyuan_viewer"],
            org=world["xiaodian"],
            id_number=new_id_number(),
            name="张三",
            household_size=1,
            household_income="0",
            local_line="260",
            level="deep",
            causes=["illness"],
            opened_on=dt.date(2008, 1, 1),
        )
    with pytest.raises(DomainError, match="本组织及下级"):
        services.open_file(
            actor=world["datong_editor"],
            org=world["xiaodian"],
            id_number=new_id_number(),
            name="张三",
            household_size=1,
            household_income="0",
            local_line="260",
            level="deep",
            causes=["illness"],
            opened_on=dt.date(2008, 1, 1),
        )
