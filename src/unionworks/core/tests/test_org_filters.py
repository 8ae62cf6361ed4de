"""A list page filtered by an org outside the caller's subtree answers 404 — never the
caller's own data in its place — on every page that takes ``?org=``."""

import pytest

from unionworks.core.tests.factories import login_as

PAGES = [
    "/members/",
    "/members/export/",
    "/members/coverage/",
    "/members/coverage/export/",
    "/units/",
    "/orgs/lookup/",
    "/stats/dashboards/",
    "/stats/indicators/",
    "/stats/indicators/export/",
]


@pytest.mark.parametrize("page", PAGES)
def test_an_org_outside_the_subtree_is_a_404(client, world, page):
    login_as(client, world["taiyuan_admin"])
    assert client.get(page, {"org": world["xiaodian"].pk}).status_code == 200, "in scope"
    assert client.get(page, {"org": world["datong"].pk}).status_code == 404
    assert client.get(page, {"org": 10**9}).status_code == 404, "no such org"
