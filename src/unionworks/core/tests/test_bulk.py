"""core.bulk: indexes and constraints dropped for a bulk load come back exactly, and a row
that breaks one fails the load."""

import pytest
from django.db import IntegrityError, connection, transaction

from unionworks.core.bulk import indexes_built_after
from unionworks.core.tests.factories import OrgFactory, UnitFactory
from unionworks.orgs.models import Unit

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="constraints=True is for PostgreSQL"
)


def schema_of(model) -> tuple[list, list]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table]
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        return indexes, cursor.fetchall()


@postgres_only
@pytest.mark.django_db
def test_constraints_and_indexes_are_dropped_during_the_load_and_come_back_exactly():
    before = schema_of(Unit)
    foreign_keys = [c for c in before[1] if "FOREIGN KEY" in c[1]]
    assert foreign_keys and len(before[0]) > 2
    with transaction.atomic():
        with indexes_built_after(Unit, constraints=True):
            indexes, constraints = schema_of(Unit)
            assert [name for name, _ in indexes] == ["orgs_unit_pkey"]
            assert all("FOREIGN KEY" not in c[1] and "UNIQUE" not in c[1] for c in constraints)
            UnitFactory(org=OrgFactory())
        assert schema_of(Unit) == before
    assert Unit.objects.count() == 1


@postgres_only
@pytest.mark.django_db
def test_a_row_breaking_a_foreign_key_fails_the_load_and_nothing_stays():
    before = schema_of(Unit)
    org = OrgFactory()
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            with indexes_built_after(Unit, constraints=True):
                UnitFactory(org=org)
                Unit.objects.update(org_id=org.pk + 1000)  # no such org
    assert schema_of(Unit) == before and not Unit.objects.exists()
