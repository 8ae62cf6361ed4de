"""The org picker's short list is kept by the process until an org or unit changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from unionworks.core.tests.factories import OrgFactory
from unionworks.orgs import forms as org_forms
from unionworks.orgs.models import Org

pytestmark = pytest.mark.django_db(transaction=True)


def shortlist(actor):
    with CaptureQueriesContext(connection) as queries:
        names = [o.name for o in org_forms.kept_shallow_levels(org_forms.near_levels(actor), 200)]
    asked = [q for q in queries if "LENGTH" in q["sql"].upper()]
    return names, len(asked)


def test_the_short_list_is_kept_until_an_org_changes(world):
    org_forms._SHORTLISTS.clear()
    admin = world["province_admin"]
    names, asked = shortlist(admin)
    assert "太原市总工会" in names and asked == 1
    assert shortlist(admin) == (names, 0)  # kept
    OrgFactory(name="阳泉市总工会", kind=Org.Kind.CITY, parent=world["province"])
    from django.db import transaction

    from unionworks.core import changes

    with transaction.atomic():
        changes.note([world["province"]], app="orgs")  # as the services note an org's change
    names, asked = shortlist(admin)
    assert "阳泉市总工会" in names and asked == 1
