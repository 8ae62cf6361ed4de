"""A small finance world on top of the ``world`` fixture: the province's share scheme,
accounts, and receipts that go through the real services."""

import datetime as dt
from decimal import Decimal

from unionworks.accounts.models import User
from unionworks.core.tests.factories import UnitFactory, UserFactory
from unionworks.finance import services
from unionworks.finance.models import Channel, Mode


def scheme(world, *, mode=Mode.FULL, valid_from=dt.date(2006, 1, 1), late_fee_rate=None, **rates):
    return services.create_share_scheme(
        actor=None,
        org=world["province"],
        name=f"工会经费分成办法（{valid_from.year}）",
        valid_from=valid_from,
        mode=mode,
        late_fee_rate=late_fee_rate,
        **rates,
    )


def accounts(world) -> dict:
    return {
        "county_editor": UserFactory(
            username="xiaodian_finance", org=world["xiaodian"], role=User.Role.EDITOR
        ),
        "reviewer": UserFactory(
            username="taiyuan_finance_reviewer", org=world["taiyuan"], role=User.Role.REVIEWER
        ),
    }


def unit_without_union(world, **extra):
    return UnitFactory(name="小店新兴科技有限公司", org=world["township"], **extra)


def receipt(
    world,
    *,
    unit=None,
    org=None,
    channel=Channel.TAX,
    amount="2000.00",
    base="100000.00",
    period="2008-03",
    on=dt.date(2008, 4, 10),
    actor=None,
):
    unit = unit or world["taiyuan_unit"]
    return services.record_receipt(
        actor=actor,
        org=org or world["xiaodian"],
        channel=channel,
        amount=Decimal(amount),
        received_on=on,
        unit=unit if channel in ("tax", "fiscal", "direct", "preparatory") else None,
        period=period if channel in ("tax", "fiscal", "direct", "preparatory") else None,
        payroll_base=Decimal(base) if base is not None else None,
    )
