"""core.people: one method seals, indexes and masks a person's ID number and phone, the
same for every record about a person (the member roll, the assistance records)."""

import pytest

from unionworks.assistance.models import Disbursement, HardshipFile
from unionworks.core.identity import id_index_of, parse_identity
from unionworks.core.people import Person, SealedPhone
from unionworks.members.models import Member

NUMBER = "11010519491231002X"


def test_members_and_assistance_records_share_the_person_fields():
    for model in (Member, HardshipFile, Disbursement):
        assert issubclass(model, Person)
    assert issubclass(Member, SealedPhone) and issubclass(HardshipFile, SealedPhone)
    assert not issubclass(Disbursement, SealedPhone)
    columns = {f.name: (type(f), f.max_length) for f in Member._meta.concrete_fields}
    for field in HardshipFile._meta.concrete_fields:
        if field.name.startswith(("id_number", "phone")):
            assert columns[field.name] == (type(field), field.max_length)


def test_set_identity_seals_indexes_and_masks_in_one_step():
    facts, phone = parse_identity(NUMBER, "13812345678")
    member = Member().set_identity(facts, phone)
    assert (member.sex, member.birth_date.isoformat()) == ("F", "1949-12-31")
    assert member.id_number_index == id_index_of(NUMBER)
    assert member.id_number_mask == "1101**********002X"
    assert member.phone_mask == "138****5678"
    assert member.revealed_id_number() == NUMBER
    assert member.revealed_phone() == "13812345678"
    assert NUMBER.encode() not in bytes(member.id_number_cipher)


def test_no_phone_leaves_the_phone_empty_and_a_record_without_one_refuses_it():
    facts, _phone = parse_identity(NUMBER)
    member = Member().set_identity(facts)
    assert (member.phone_cipher, member.phone_index, member.phone_mask) == (None, "", "")
    assert member.revealed_phone() == ""
    assert Disbursement().set_identity(facts).id_number_index == id_index_of(NUMBER)
    with pytest.raises(ValueError):
        Disbursement().set_identity(facts, "13812345678")
