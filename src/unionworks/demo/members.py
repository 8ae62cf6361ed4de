"""The demo step that builds the real-name member roll: 6.75 million members at province
scale, with membership spells over 2007-2008 so the article's two figures both hold:

- 6,262,600 members at the end of 2007 (工会会员累计达到626.26万人), and
- 6,750,000 members on 30 September 2008 (累计发展会员675万人),

through people joining in 2008 (in newly covered units and in older ones), people
leaving or dying during 2008, and transfers between unions during 2008. Smaller scales
keep the proportions. Members sit in the units their union covers (never more members
than employees), are sealed exactly as the roll does it (core.personal_data through
core.identity), and are written in batches with COPY (demo.bulk.insert_rows).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import connection
from django.utils import timezone

from unionworks.core.bulk import indexes_built_after, insert_rows, reset_sequences
from unionworks.core.identity import ID_FIELD, PHONE_FIELD, name_initials
from unionworks.core.idnumber import check_char, mask_id_number
from unionworks.core.personal_data import Sealer, mask_phone
from unionworks.demo import names
from unionworks.demo.province import (
    END_2007,
    PROVINCE_UNITS,
    START_2008,
    DemoContext,
    apportion,
    random_date,
)
from unionworks.members.models import Member, MembershipSpell

MEMBERS_2008 = 6_750_000
MEMBERS_2007 = 6_262_600
AS_OF = dt.date(2008, 9, 30)
LEAVER_SHARE = 0.02  # of the end-2007 members, left or died during 2008
TRANSFER_SHARE = 0.01  # of the members before 2008, moved to another union during 2008
NEW_UNIT_SHARE_OF_JOINS = 0.8  # of 2008's joins, in units covered during 2008
BATCH_UNITS = 4000

MEMBER_FIELDS = [
    "id", "name", "name_initials", "sex", "birth_date", "ethnicity", "education", "is_migrant",
    "id_number_cipher", "id_number_index", "id_number_mask", "phone_cipher", "phone_index",
    "phone_mask", "card_number", "org", "unit", "status", "created_at", "updated_at",
]  # fmt: skip
SPELL_FIELDS = [
    "id",
    "member",
    "org",
    "unit",
    "start",
    "end",
    "start_reason",
    "end_reason",
    "is_migrant",
]
EDUCATION = [
    (Member.Education.POSTGRADUATE, 2), (Member.Education.BACHELOR, 14), (Member.Education.COLLEGE, 22),
    (Member.Education.SECONDARY, 18), (Member.Education.HIGH_SCHOOL, 24), (Member.Education.JUNIOR, 20),
]  # fmt: skip
ETHNICITY = [("汉族", 990), ("回族", 6), ("蒙古族", 2), ("满族", 2)]


def _choices(pairs):
    values, weights = zip(*pairs, strict=True)
    return list(values), list(weights)


class People:
    """Makes distinct persons: a unique ID number per (county, birth date, sequence)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.sealer = Sealer()
        self.next_seq: dict[tuple[str, dt.date], int] = defaultdict(int)
        self.edu = _choices(EDUCATION)
        self.eth = _choices(ETHNICITY)

    def id_number(self, region: str, birth: dt.date) -> str:
        while True:
            seq = self.next_seq[(region, birth)]
            if seq < 1000:
                self.next_seq[(region, birth)] = seq + 1
                first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
                return first17 + check_char(first17)
            birth += dt.timedelta(days=1)

    def row(self, member_id: int, unit, union_id: int, status: str, now) -> tuple:
        rng = self.rng
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
        number = self.id_number(unit.region_code, birth)
        sex = "M" if int(number[16]) % 2 else "F"  # the ID number's sex digit
        name = names.person_name(rng, sex)
        migrant = unit.employees > 0 and rng.random() < unit.migrant_workers / unit.employees
        phone = f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}" if rng.random() < 0.7 else ""
        seal, index = self.sealer.seal, self.sealer.index
        return (
            member_id, name, name_initials(name), sex, birth,
            rng.choices(*self.eth)[0], rng.choices(*self.edu)[0], migrant,
            seal(number, ID_FIELD), index(number, ID_FIELD), mask_id_number(number),
            seal(phone, PHONE_FIELD) if phone else None, index(phone, PHONE_FIELD) if phone else "",
            mask_phone(phone) if phone else "", None, union_id, unit.id, status, now, now,
        )  # fmt: skip


def plan(ctx: DemoContext) -> dict:
    """How many members each covered unit has, and how many of them joined, left or moved in 2008."""
    f = ctx.scale.units / PROVINCE_UNITS
    n_2008, n_2007 = round(MEMBERS_2008 * f), round(MEMBERS_2007 * f)
    leavers = round(n_2007 * LEAVER_SHARE)
    joins_2008 = n_2008 - n_2007 + leavers
    covered = [
        u for u in ctx.units if u.union is not None and u.covered_since and u.covered_since <= AS_OF
    ]
    new = [u for u in covered if u.covered_since >= START_2008]
    old = [u for u in covered if u.covered_since < START_2008]
    new_caps = [int(u.employees * 0.95) for u in new]
    in_new = apportion(
        min(round(joins_2008 * NEW_UNIT_SHARE_OF_JOINS), sum(new_caps)),
        [u.employees for u in new],
        maximum=new_caps,
    )
    in_old = apportion(
        n_2008 - sum(in_new), [u.employees for u in old], maximum=[u.employees for u in old]
    )
    joined_old = apportion(joins_2008 - sum(in_new), in_old, maximum=in_old)
    left_old = apportion(
        leavers, in_old, maximum=[max(0, u.employees - m) for u, m in zip(old, in_old, strict=True)]
    )
    members = {u.id: (m, 0, 0) for u, m in zip(new, in_new, strict=True)}
    for u, m, j, lv in zip(old, in_old, joined_old, left_old, strict=True):
        members[u.id] = (m, j, lv)
    return {"n_2008": n_2008, "n_2007": n_2007, "members": members, "new": {u.id for u in new}}


def build_members(ctx: DemoContext) -> str:
    rng = ctx.rng("members")
    people = People(rng)
    the_plan = plan(ctx)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    unions = [u for u in ctx.units if u.id in the_plan["members"]]
    old_unions = sorted({u.union.id for u in unions if u.id not in the_plan["new"]})
    member_id = spell_id = 0
    counts = defaultdict(int)
    # Foreign keys and unique constraints too: one check per key over the built rows.
    with indexes_built_after(Member, MembershipSpell, constraints=True):
        for start in range(0, len(unions), BATCH_UNITS):
            members, spells = [], []
            for unit in unions[start : start + BATCH_UNITS]:
                total, joined_2008, left = the_plan["members"][unit.id]
                union = unit.union.id
                first_day = max(unit.covered_since, dt.date(1985, 1, 1))
                for i in range(total + left):
                    member_id += 1
                    spell_id += 1
                    leaving = i >= total
                    status = Member.Status.ACTIVE
                    if unit.id in the_plan["new"] or i < joined_2008:
                        joined = random_date(rng, max(unit.covered_since, START_2008), AS_OF)
                        counts["joined_2008"] += 1
                    else:
                        joined = (
                            random_date(rng, first_day, END_2007)
                            if first_day <= END_2007
                            else END_2007
                        )
                    end, end_reason = None, ""
                    if leaving:
                        end = random_date(rng, START_2008, AS_OF)
                        end_reason = "death" if rng.random() < 0.1 else "leave"
                        status = (
                            Member.Status.DECEASED if end_reason == "death" else Member.Status.LEFT
                        )
                        counts[end_reason] += 1
                    members.append(people.row(member_id, unit, union, status, now))
                    migrant = members[-1][7]
                    if (
                        not leaving
                        and joined <= END_2007
                        and rng.random() < TRANSFER_SHARE
                        and len(old_unions) > 1
                    ):
                        # Came over from another union during 2008: two spells, no gap, no overlap.
                        moved = random_date(rng, START_2008, AS_OF)
                        before = rng.choice(old_unions)
                        if before == union:
                            before = old_unions[(old_unions.index(union) + 1) % len(old_unions)]
                        spells.append(
                            (
                                spell_id,
                                member_id,
                                before,
                                None,
                                joined,
                                moved,
                                "join",
                                "transfer_out",
                                migrant,
                            )
                        )
                        spell_id += 1
                        spells.append(
                            (
                                spell_id,
                                member_id,
                                union,
                                unit.id,
                                moved,
                                None,
                                "transfer_in",
                                "",
                                migrant,
                            )
                        )
                        counts["transfer"] += 1
                    else:
                        spells.append(
                            (
                                spell_id,
                                member_id,
                                union,
                                unit.id,
                                joined,
                                end,
                                "join",
                                end_reason,
                                migrant,
                            )
                        )
            insert_rows(Member, MEMBER_FIELDS, members)
            insert_rows(MembershipSpell, SPELL_FIELDS, spells)
            ctx.out(f"      …{member_id:,} 名会员")
    reset_sequences([Member, MembershipSpell])
    ctx.summary["会员"] = member_id
    return (
        f"{member_id:,} 名会员（2007年末 {the_plan['n_2007']:,}，2008年9月30日 {the_plan['n_2008']:,}）；"
        f"2008年入会 {counts['joined_2008']:,}、退会 {counts['leave']:,}、去世 {counts['death']:,}、转会 {counts['transfer']:,}"
    )
