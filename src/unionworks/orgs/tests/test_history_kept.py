"""The same frozen figures through the kept figures (outside a transaction, as a request
reads them): a move, a merge and a coverage change leave every kept past figure as it was,
and the figures after the change date follow the change."""

import pytest

from unionworks.core.periods import date_range
from unionworks.orgs.tests.test_history import CHANGES, LATER, frozen
from unionworks.stats.values import evaluate

pytestmark = pytest.mark.django_db(transaction=True)

AFTER = date_range(LATER, LATER)


@pytest.mark.parametrize("change", ["merge", "move a township", "move a union to another city"])
def test_kept_past_figures_survive_a_later_change_and_the_present_follows_it(history, change):
    before = frozen(history)
    frozen(history)  # a second read is served from what is kept
    now_before = evaluate(history["province"], AFTER, ["members"])
    CHANGES[change](history)
    assert frozen(history) == before
    now_after = evaluate(history["province"], AFTER, ["members"])
    city = history["taiyuan"].pk
    if change == "move a union to another city":
        assert now_after[city].figures["members"] == now_before[city].figures["members"] + 1
    else:
        assert now_after[city].figures["members"] == now_before[city].figures["members"]
