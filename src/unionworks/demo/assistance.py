"""The demo step that builds 帮扶工程: assistance centres, hardship-worker files with their
yearly reviews, and the province's 2007-2008 campaigns with money raised, recipients paid,
wage-arrears cases and 平安返乡 trips — in the article's proportions for 2008:

- “两节”送温暖: 1.143亿元 raised; 369,635 hardship workers and 23,040 migrant workers visited;
- 金秋助学: 2670.35万元 raised for 14,704 children of hardship workers;
- 平安返乡: 87,981 migrant workers sent home;
- 岁末情暖农民工讨薪行动: 6,505 workers recovered 1162.7万元 of unpaid wages;
- 平安防暑度夏: 183万元 raised for 85,000 migrant workers;
- every county's centre received 10万元 of building funds (全省119个县各10万元).

Counts and money scale by ``ctx.scale.units / PROVINCE_UNITS`` (at ``province`` scale the
2008 figures are the article's: the raised sums, people visited, workers sent home and
wages recovered exactly; the amounts paid a little under what was raised). 送温暖 2007 and
金秋助学 2007 (about nine tenths of 2008) give the lens its 同比.

The records keep every rule the services keep (one open file per person, a person paid
once per campaign, a student aided once a year, a campaign paying out no more than it
raised, a hardship worker visited only with an open file). People are sealed exactly as
the member roll seals them (core.identity, core.personal_data.Sealer), with ID numbers
that never collide with the roll's, and everything is written in batches with
``demo.bulk.insert_rows``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate

from django.db import connection
from django.utils import timezone

from unionworks.assistance.models import (
    AssistanceCentre,
    Campaign,
    CentreFunding,
    Disbursement,
    FundRaising,
    HardshipFile,
    HardshipReview,
    SafeReturnTrip,
    WageArrearsCase,
)
from unionworks.core.bulk import indexes_built_after, insert_rows, reset_sequences
from unionworks.core.identity import ID_FIELD
from unionworks.core.idnumber import check_char, mask_id_number
from unionworks.core.personal_data import Sealer
from unionworks.demo import names
from unionworks.demo.province import PROVINCE_UNITS, DemoContext, OrgNode, random_date, walk
from unionworks.orgs.models import Org

# The article's 2008 figures (province scale); money in fen.
WARMTH_RAISED = 114_300_000_00
WARMTH_HARDSHIP = 369_635
WARMTH_MIGRANT = 23_040
SCHOOLING_RAISED = 26_703_500_00
SCHOOLING_STUDENTS = 14_704
SENT_HOME = 87_981
WAGE_WORKERS = 6_505
WAGES_RECOVERED = 11_627_000_00
SUMMER_RAISED = 1_830_000_00
SUMMER_WORKERS = 85_000
CENTRE_BUILDING_FUNDS = 100_000_00  # per county: not scaled, every county has its centre
LAST_YEAR = 0.9  # 2007's campaigns against 2008's
AS_OF = dt.date(2008, 9, 30)
REVIEWS_UNTIL = dt.date(2008, 12, 31)
EXTRA_FILES = 0.08  # open files beyond those visited in 2008
CLOSED_2008 = 0.05  # of the files visited in 2008, out of hardship by 30 September
OVERDUE = 0.03  # of the open files, not reviewed for more than a year
KEEP_REVIEWS_FROM = dt.date(2006, 12, 1)
BATCH = 20_000

PERSON = ["name", "sex", "birth_date", "id_number_cipher", "id_number_index", "id_number_mask",
          "member"]  # fmt: skip
FILE_FIELDS = ["id", *PERSON, "org", "centre", "unit", "phone_cipher", "phone_index",
               "phone_mask", "household_size", "household_income", "per_capita_income",
               "local_line", "causes", "level", "status", "opened_on", "last_reviewed_on",
               "closed_on", "closing", "closing_note", "note", "created_at", "updated_at"]  # fmt: skip
REVIEW_FIELDS = ["id", "file", "reviewed_on", "household_size", "household_income",
                 "per_capita_income", "level", "note", "reviewed_by"]  # fmt: skip
DISBURSEMENT_FIELDS = ["id", *PERSON, "campaign", "org", "year", "campaign_kind", "category",
                       "cash", "goods_value", "hardship_file", "school", "admission_year",
                       "student_level", "status", "approved_total", "proposed_on",
                       "proposed_by", "decided_on", "decided_by", "reject_reason", "paid_on",
                       "paid_by", "note", "created_at"]  # fmt: skip
CAMPAIGN_FIELDS = ["id", "org", "kind", "name", "year", "start_date", "end_date", "budget",
                   "note", "created_at"]  # fmt: skip
RAISING_FIELDS = ["id", "campaign", "org", "source", "cash", "goods_value", "received_on",
                  "donor", "note", "created_by", "created_at"]  # fmt: skip
CENTRE_FIELDS = ["id", "org", "name", "address", "phone", "opened_on", "staff", "note",
                 "created_at"]  # fmt: skip
FUNDING_FIELDS = ["id", "centre", "received_on", "source", "amount", "purpose", "created_at"]
CASE_FIELDS = ["id", "org", "campaign", "unit", "employer_name", "workers_count", "amount_owed",
               "amount_recovered", "status", "opened_on", "resolved_on", "note", "created_at",
               "updated_at"]  # fmt: skip
TRIP_FIELDS = ["id", "campaign", "org", "trip_date", "workers_sent", "destination", "vehicles",
               "cost", "note", "created_at"]  # fmt: skip

LEVELS = [("deep", 40), ("relative", 50), ("accident", 10)]
CAUSES = [("illness", 35), ("unemployment", 20), ("low_wage", 15), ("disability", 10),
          ("schooling", 10), ("accident", 5), ("disaster", 3), ("other", 2)]  # fmt: skip
# 送温暖 per visit, in yuan: (cash, goods) by level; migrant workers get less.
WARMTH_GIFTS = {"deep": (250, 100), "relative": (180, 50), "accident": (200, 100)}
MIGRANT_GIFT = (100, 50)
# 金秋助学 per student, by level.
STUDENT_GRANTS = [("undergraduate", 55, 2000), ("college", 35, 1500), ("high_school", 10, 1000)]
SUMMER_GIFTS = [(20, 80), (25, 20)]  # goods (yuan, weight): drinks, 绿豆, 毛巾
UNIVERSITIES = {
    "undergraduate": ["山西大学", "太原理工大学", "中北大学", "山西财经大学", "山西医科大学",
                      "山西师范大学", "太原科技大学", "山西农业大学", "山西大同大学", "长治医学院",
                      "运城学院", "忻州师范学院", "太原师范学院", "长治学院", "晋中学院"],
    "college": ["山西职业技术学院", "山西建筑职业技术学院", "山西交通职业技术学院",
                "太原城市职业技术学院", "山西煤炭职业技术学院", "山西省财政税务专科学校",
                "阳泉师范高等专科学校", "山西警官高等专科学校"],
}  # fmt: skip
DESTINATIONS = ["河南周口", "河南驻马店", "四川南充", "四川达州", "甘肃天水", "陕西渭南",
                "河北邯郸", "安徽阜阳", "湖北襄樊", "山东菏泽", "重庆万州", "内蒙古乌兰察布"]  # fmt: skip


def fen_text(fen: int) -> str:
    """Integer fen as the decimal text both databases read exactly: 12345 → '123.45'."""
    return f"{fen // 100}.{fen % 100:02d}"


def _pick(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def split(total: int, weights: list[float]) -> list[int]:
    """``total`` in integer parts proportional to ``weights`` that add up exactly."""
    whole = sum(weights)
    parts = [int(total * w / whole) for w in weights]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    return parts


@dataclass
class Person:
    name: str
    sex: str
    birth: dt.date
    cipher: bytes
    index: str
    mask: str

    def fields(self) -> tuple:
        return (self.name, self.sex, self.birth, self.cipher, self.index, self.mask, None)


@dataclass
class FileRow:
    id: int
    person: Person
    union: OrgNode
    county: OrgNode
    opened_on: dt.date
    level: str
    closed_on: dt.date | None = None
    reviews: list[dt.date] = field(default_factory=list)


class People:
    """Distinct persons with valid ID numbers, sealed as the roll seals them. Sequence numbers
    start at 500, which the roll's generator (a few per birthday and county) never reaches."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.sealer = Sealer()
        self.next_seq: dict[tuple[str, dt.date], int] = defaultdict(lambda: 500)

    def make(self, region: str, first: dt.date, last: dt.date) -> Person:
        rng = self.rng
        birth = random_date(rng, first, last)
        while True:
            seq = self.next_seq[(region, birth)]
            if seq < 1000:
                self.next_seq[(region, birth)] = seq + 1
                break
            birth += dt.timedelta(days=1)
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        number = first17 + check_char(first17)
        sex = "M" if seq % 2 else "F"  # seq ends the number: its last digit is the sex digit
        return Person(
            name=names.person_name(rng, sex),
            sex=sex,
            birth=birth,
            cipher=self.sealer.seal(number, ID_FIELD),
            index=self.sealer.index(number, ID_FIELD),
            mask=mask_id_number(number),
        )


class _Build:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng("assistance")
        self.f = ctx.scale.units / PROVINCE_UNITS
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.people = People(self.rng)
        self.ids: dict[str, int] = defaultdict(int)
        self.province = ctx.province
        self.cities = list(self.province.children)
        self.counties = [c for city in self.cities for c in city.children]
        self.county_of: dict[int, OrgNode] = {}
        self.unions: list[OrgNode] = []
        for county in self.counties:
            for node in walk(county):
                if (
                    node.kind == Org.Kind.GRASSROOTS
                    and node.founded_on
                    and node.founded_on.year <= 2006
                ):
                    self.unions.append(node)
                    self.county_of[id(node)] = county
        self.hardship_weights = list(
            accumulate(sum(u.employees for u in union.units) + 1 for union in self.unions)
        )
        self.migrant_weights = list(
            accumulate(sum(u.migrant_workers for u in union.units) + 1 for union in self.unions)
        )
        self.counts: dict[str, int] = defaultdict(int)

    # -- helpers ------------------------------------------------------------------------------
    def scaled(self, n: float) -> int:
        return max(1, round(n * self.f))

    def next_id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def unions_for(self, k: int, *, migrants: bool = False) -> list[OrgNode]:
        weights = self.migrant_weights if migrants else self.hardship_weights
        return self.rng.choices(self.unions, cum_weights=weights, k=k)

    def person_of(self, union: OrgNode, first=dt.date(1950, 1, 1), last=dt.date(1985, 12, 31)):
        return self.people.make(self.county_of[id(union)].region_code, first, last)

    # -- centres ------------------------------------------------------------------------------
    def centres(self) -> dict[int, int]:
        rng, rows, funding = self.rng, [], []
        centre_of: dict[int, int] = {}
        for node in [self.province, *self.cities, *self.counties]:
            centre_id = self.next_id("centre")
            centre_of[id(node)] = centre_id
            rows.append(
                (centre_id, node.id, f"{node.place}困难职工帮扶中心", node.address, node.phone,
                 random_date(rng, dt.date(2003, 1, 1), dt.date(2006, 12, 31)),
                 rng.randint(3, 12) if node.kind == Org.Kind.COUNTY else rng.randint(8, 25), "",
                 self.now)
            )  # fmt: skip
            if node.kind == Org.Kind.COUNTY:
                funding.append(
                    (self.next_id("funding"), centre_id,
                     random_date(rng, dt.date(2008, 3, 1), dt.date(2008, 6, 30)), "upper",
                     fen_text(CENTRE_BUILDING_FUNDS), "省总工会拨付帮扶中心建设资金", self.now)
                )  # fmt: skip
        insert_rows(AssistanceCentre, CENTRE_FIELDS, rows)
        insert_rows(CentreFunding, FUNDING_FIELDS, funding)
        self.counts["centres"] = len(rows)
        return centre_of

    # -- campaigns and raising ----------------------------------------------------------------
    def campaign(self, kind: str, name: str, year: int, start: dt.date, end: dt.date, budget: int):
        campaign_id = self.next_id("campaign")
        insert_rows(
            Campaign,
            CAMPAIGN_FIELDS,
            [(campaign_id, self.province.id, kind, name, year, start, end, fen_text(budget),
              "全省各级工会参加", self.now)],
        )  # fmt: skip
        return campaign_id

    def raise_funds(self, campaign_id: int, total: int, first: dt.date, last: dt.date, *,
                    goods_share: float = 0.0) -> None:  # fmt: skip
        """The province (财政, 上级拨款), the cities and the counties (本级经费, 社会捐赠)."""
        rng = self.rng
        shares = [("province", "fiscal", 0.30), ("province", "upper", 0.10), ("city", "own", 0.15),
                  ("city", "donation", 0.10), ("county", "own", 0.20), ("county", "donation", 0.15)]  # fmt: skip
        parts = split(total, [s for _l, _s, s in shares])
        rows = []
        for (level, source, _share), amount in zip(shares, parts, strict=True):
            orgs = {"province": [self.province], "city": self.cities, "county": self.counties}[
                level
            ]
            weights = [max(1, len(o.children)) + rng.random() for o in orgs]
            for org, value in zip(orgs, split(amount, weights), strict=True):
                if value <= 0:
                    continue
                goods = int(value * goods_share) if source == "donation" else 0
                donor = (
                    rng.choice(["爱心企业", "社会各界", "驻地企业", "个体工商户"])
                    if source == "donation"
                    else ""
                )
                rows.append(
                    (self.next_id("raising"), campaign_id, org.id, source, fen_text(value - goods),
                     fen_text(goods), random_date(rng, first, last), donor, "", None, self.now)
                )  # fmt: skip
        insert_rows(FundRaising, RAISING_FIELDS, rows)

    # -- hardship files -----------------------------------------------------------------------
    def files(self, visited: int) -> list[FileRow]:
        rng = self.rng
        total = round(visited * (1 + EXTRA_FILES))
        new_2008 = round(visited * EXTRA_FILES / 2)  # opened after the 2008 visits
        files: list[FileRow] = []
        for union in self.unions_for(total):
            file_id = self.next_id("file")
            person = self.person_of(union)
            if file_id <= total - new_2008:
                year = rng.choices([2003, 2004, 2005, 2006, 2007], weights=[14, 20, 26, 32, 8])[0]
                opened = random_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 20))
            else:
                opened = random_date(rng, dt.date(2008, 3, 1), dt.date(2008, 9, 20))
            files.append(
                FileRow(
                    file_id, person, union, self.county_of[id(union)], opened, _pick(rng, LEVELS)
                )
            )
        # Reviewed every year, each a little before the anniversary of the last one.
        overdue = set(rng.sample(range(len(files)), round(len(files) * OVERDUE)))
        for i, file in enumerate(files):
            day = file.opened_on
            while True:
                day = day + dt.timedelta(days=365 - rng.randint(0, 40))
                if day > REVIEWS_UNTIL:
                    break
                file.reviews.append(day)
            if i in overdue:
                file.reviews = [d for d in file.reviews if d <= dt.date(2007, 9, 1)]
        return files

    def write_files(self, files: list[FileRow], centre_of: dict[int, int]) -> None:
        rng = self.rng
        rows, reviews = [], []
        with indexes_built_after(HardshipFile, HardshipReview):
            for file in files:
                size = rng.randint(2, 5)
                line = 230_00 + 10_00 * (int(file.county.region_code) % 5)
                per_capita = int(line * rng.uniform(0.45, 0.98))
                income = per_capita * size * 12
                causes = json.dumps(
                    list(dict.fromkeys(_pick(rng, CAUSES) for _ in range(rng.randint(1, 2))))
                )
                unit = rng.choice(file.union.units).id if file.union.units else None
                closed = file.closed_on is not None
                rows.append(
                    (file.id, *file.person.fields(), file.county.id, centre_of[id(file.county)],
                     unit, None, "", "", size, fen_text(income), fen_text(per_capita),
                     fen_text(line), causes, file.level, "closed" if closed else "open",
                     file.opened_on, file.reviews[-1] if file.reviews else None, file.closed_on,
                     "out_of_hardship" if closed else "",
                     "家庭成员就业，人均收入超过当地标准" if closed else "", "", self.now, self.now)
                )  # fmt: skip
                for day in file.reviews:
                    if day >= KEEP_REVIEWS_FROM:
                        reviews.append(
                            (self.next_id("review"), file.id, day, size, fen_text(income),
                             fen_text(per_capita), file.level, "", None)
                        )  # fmt: skip
                if len(rows) >= BATCH:
                    insert_rows(HardshipFile, FILE_FIELDS, rows)
                    insert_rows(HardshipReview, REVIEW_FIELDS, reviews)
                    rows, reviews = [], []
            insert_rows(HardshipFile, FILE_FIELDS, rows)
            insert_rows(HardshipReview, REVIEW_FIELDS, reviews)
        self.counts["files"] = len(files)
        self.counts["files_open"] = sum(1 for f in files if f.closed_on is None)

    # -- disbursements ------------------------------------------------------------------------
    def disbursement(self, person: Person, *, campaign: tuple, union: OrgNode, category: str,
                     cash: int, goods: int, paid_on: dt.date | None, status: str = "paid",
                     file_id=None, student=("", None, ""), reason: str = "") -> tuple:  # fmt: skip
        campaign_id, year, kind = campaign
        rng = self.rng
        decided = paid_on - dt.timedelta(days=rng.randint(1, 4)) if paid_on else None
        proposed = (decided or AS_OF) - dt.timedelta(days=rng.randint(3, 10))
        if status in ("proposed",):
            decided = None
        if status == "rejected":
            decided = proposed + dt.timedelta(days=rng.randint(1, 5))
        return (
            self.next_id("disbursement"), *person.fields(), campaign_id, union.id, year, kind,
            category, fen_text(cash), fen_text(goods), file_id, *student, status,
            fen_text(cash + goods) if status in ("approved", "paid") else None, proposed, None,
            decided, None, reason, paid_on if status == "paid" else None, None, "", self.now,
        )  # fmt: skip

    def write_disbursements(self, rows: list[tuple]) -> None:
        for start in range(0, len(rows), BATCH):
            insert_rows(Disbursement, DISBURSEMENT_FIELDS, rows[start : start + BATCH])
        self.counts["disbursements"] += len(rows)

    def warmth(self, year: int, campaign: tuple, files: list[FileRow], hardship: int,
               migrants: list[tuple[Person, OrgNode]]) -> int:  # fmt: skip
        """送温暖 visits: hardship workers with an open file on the day, and migrant workers."""
        rng = self.rng
        first, last = dt.date(year, 1, 12), dt.date(year, 2, 5)
        rows, paid = [], 0
        for file in rng.sample(files, hardship):
            day = random_date(rng, first, last)
            cash, goods = WARMTH_GIFTS[file.level]
            paid += (cash + goods) * 100
            rows.append(
                self.disbursement(file.person, campaign=campaign, union=file.union,
                                  category="hardship", cash=cash * 100, goods=goods * 100,
                                  paid_on=day, file_id=file.id)
            )  # fmt: skip
        for person, union in migrants:
            cash, goods = MIGRANT_GIFT
            paid += (cash + goods) * 100
            rows.append(
                self.disbursement(person, campaign=campaign, union=union, category="migrant",
                                  cash=cash * 100, goods=goods * 100,
                                  paid_on=random_date(rng, first, last))
            )  # fmt: skip
        self.write_disbursements(rows)
        return paid

    def schooling(self, year: int, campaign: tuple, students: int) -> int:
        rng = self.rng
        rows, paid = [], 0
        levels = [(level, weight) for level, weight, _grant in STUDENT_GRANTS]
        grants = {level: grant for level, _weight, grant in STUDENT_GRANTS}
        for union in self.unions_for(students):
            level = _pick(rng, levels)
            if level == "high_school":
                person = self.person_of(union, dt.date(year - 18, 9, 1), dt.date(year - 15, 8, 31))
                school = f"{self.county_of[id(union)].place}第{rng.choice('一二三')}中学"
            else:
                person = self.person_of(union, dt.date(year - 21, 9, 1), dt.date(year - 17, 8, 31))
                school = rng.choice(UNIVERSITIES[level])
            admitted = year if rng.random() < 0.85 else year - rng.randint(1, 2)
            paid += grants[level] * 100
            rows.append(
                self.disbursement(person, campaign=campaign, union=union, category="student",
                                  cash=grants[level] * 100, goods=0,
                                  paid_on=random_date(rng, dt.date(year, 8, 10), dt.date(year, 9, 15)),
                                  student=(school, admitted, level))
            )  # fmt: skip
        self.write_disbursements(rows)
        return paid

    def summer(self, campaign: tuple, workers: int) -> int:
        rng = self.rng
        rows, paid = [], 0
        for union in self.unions_for(workers, migrants=True):
            goods = _pick(rng, SUMMER_GIFTS) * 100
            paid += goods
            rows.append(
                self.disbursement(self.person_of(union), campaign=campaign, union=union,
                                  category="migrant", cash=0, goods=goods,
                                  paid_on=random_date(rng, dt.date(2008, 7, 1), dt.date(2008, 8, 20)))
            )  # fmt: skip
        # A few proposals still with the reviewers, and a few turned down: the review queue.
        for union in self.unions_for(max(2, round(workers * 0.004)), migrants=True):
            rows.append(
                self.disbursement(self.person_of(union), campaign=campaign, union=union,
                                  category="migrant", cash=0, goods=2000, paid_on=None,
                                  status="proposed")
            )  # fmt: skip
        for union in self.unions_for(max(1, round(workers * 0.001)), migrants=True):
            rows.append(
                self.disbursement(self.person_of(union), campaign=campaign, union=union,
                                  category="migrant", cash=0, goods=2000, paid_on=None,
                                  status="rejected", reason="已在本单位领取防暑物品")
            )  # fmt: skip
        self.write_disbursements(rows)
        return paid

    # -- wage arrears and trips ---------------------------------------------------------------
    def wage_cases(self, campaign_id: int) -> None:
        rng = self.rng
        workers = self.scaled(WAGE_WORKERS)
        sizes = []
        while sum(sizes) < workers:
            sizes.append(min(rng.randint(5, 60), workers - sum(sizes)))
        recovered = split(
            round(WAGES_RECOVERED * self.f), [s * rng.uniform(0.6, 1.4) for s in sizes]
        )
        employers = [u for u in self.ctx.units if u.ownership in ("private", "individual")
                     and u.industry in ("E", "C", "H")] or self.ctx.units  # fmt: skip
        rows = []
        for size, amount in zip(sizes, recovered, strict=True):
            unit = rng.choice(employers)
            county = unit.org.parent if unit.org.kind == Org.Kind.TOWNSHIP else unit.org
            owed = amount if rng.random() < 0.7 else int(amount / rng.uniform(0.6, 0.95))
            resolved = random_date(rng, dt.date(2008, 1, 8), dt.date(2008, 2, 3))
            rows.append(
                (self.next_id("case"), county.id, campaign_id, unit.id, unit.name, size,
                 fen_text(max(owed, 1)), fen_text(amount), "recovered" if owed == amount else "partial",
                 resolved - dt.timedelta(days=rng.randint(7, 40)), resolved, "", self.now, self.now)
            )  # fmt: skip
        insert_rows(WageArrearsCase, CASE_FIELDS, rows)
        self.counts["cases"] = len(rows)

    def trips(self, campaign_id: int) -> None:
        rng = self.rng
        left = self.scaled(SENT_HOME)
        rows = []
        counties = self.counties
        weights = list(accumulate(max(1, len(list(walk(c)))) for c in counties))
        while left > 0:
            sent = min(rng.randint(30, 55), left)
            left -= sent
            county = rng.choices(counties, cum_weights=weights)[0]
            rows.append(
                (self.next_id("trip"), campaign_id, county.id,
                 random_date(rng, dt.date(2008, 1, 20), dt.date(2008, 2, 5)), sent,
                 rng.choice(DESTINATIONS), 1, fen_text(rng.randint(30, 60) * sent * 100), "",
                 self.now)
            )  # fmt: skip
        insert_rows(SafeReturnTrip, TRIP_FIELDS, rows)
        self.counts["trips"] = len(rows)

    # -- the whole step -----------------------------------------------------------------------
    def run(self) -> str:
        rng, scaled = self.rng, self.scaled
        centre_of = self.centres()
        hardship = scaled(WARMTH_HARDSHIP)
        hardship_2007 = round(hardship * LAST_YEAR)
        files = self.files(hardship)
        # 2007 visits go to files opened before 2007; 2008's to files opened before the visits.
        before_2007 = [f for f in files if f.opened_on < dt.date(2007, 1, 1)]
        before_2008 = [f for f in files if f.opened_on < dt.date(2008, 1, 1)]
        visited_2008 = rng.sample(before_2008, hardship)
        for file in rng.sample(visited_2008, round(len(visited_2008) * CLOSED_2008)):
            closed = random_date(rng, dt.date(2008, 3, 1), AS_OF)
            file.closed_on = closed
            file.reviews = [d for d in file.reviews if d <= closed]
        self.write_files(files, centre_of)

        migrants = [
            (self.person_of(u, dt.date(1960, 1, 1), dt.date(1988, 12, 31)), u)
            for u in self.unions_for(scaled(WARMTH_MIGRANT), migrants=True)
        ]
        report = []
        with indexes_built_after(Disbursement):
            for year, share in ((2007, LAST_YEAR), (2008, 1.0)):
                raised = round(WARMTH_RAISED * self.f * share)
                cid = self.campaign("warmth", f"{year}年“两节”送温暖活动", year,
                                    dt.date(year, 1, 5), dt.date(year, 2, 20), raised)  # fmt: skip
                self.raise_funds(
                    cid, raised, dt.date(year, 1, 2), dt.date(year, 1, 20), goods_share=0.3
                )
                pool = before_2007 if year == 2007 else visited_2008
                count = hardship_2007 if year == 2007 else hardship
                people = migrants[: round(len(migrants) * share)]
                paid = self.warmth(year, (cid, year, "warmth"), pool, count, people)
                assert paid <= raised, "送温暖发放超过筹资"
                report.append((year, "warmth", raised, paid, count + len(people)))

                raised = round(SCHOOLING_RAISED * self.f * share)
                cid = self.campaign("schooling", f"{year}年“金秋助学”活动", year,
                                    dt.date(year, 7, 20), dt.date(year, 9, 20), raised)  # fmt: skip
                self.raise_funds(cid, raised, dt.date(year, 7, 20), dt.date(year, 8, 5))
                students = round(scaled(SCHOOLING_STUDENTS) * share)
                paid = self.schooling(year, (cid, year, "schooling"), students)
                assert paid <= raised, "金秋助学发放超过筹资"
                report.append((year, "schooling", raised, paid, students))

            raised = round(SUMMER_RAISED * self.f)
            cid = self.campaign("summer", "2008年“平安防暑度夏”活动", 2008, dt.date(2008, 6, 20),
                                dt.date(2008, 8, 31), raised)  # fmt: skip
            self.raise_funds(
                cid, raised, dt.date(2008, 6, 20), dt.date(2008, 7, 5), goods_share=0.8
            )
            paid = self.summer((cid, 2008, "summer"), scaled(SUMMER_WORKERS))
            assert paid <= raised, "防暑降温发放超过筹资"
            report.append((2008, "summer", raised, paid, scaled(SUMMER_WORKERS)))

        home = self.campaign("safe_return", "2008年“平安返乡”活动", 2008, dt.date(2008, 1, 20),
                             dt.date(2008, 2, 5), 0)  # fmt: skip
        self.trips(home)
        wages = self.campaign("wages", "“岁末情暖农民工”讨薪行动", 2008, dt.date(2007, 12, 1),
                              dt.date(2008, 2, 5), 0)  # fmt: skip
        self.wage_cases(wages)
        reset_sequences([AssistanceCentre, CentreFunding, HardshipFile, HardshipReview, Campaign,
                         FundRaising, Disbursement, WageArrearsCase, SafeReturnTrip])  # fmt: skip
        self.ctx.summary["帮扶发放"] = self.counts["disbursements"]
        warmth = next(r for r in report if r[:2] == (2008, "warmth"))
        schooling = next(r for r in report if r[:2] == (2008, "schooling"))
        return (
            f"{self.counts['centres']} 个帮扶中心，{self.counts['files']:,} 份困难职工档案"
            f"（在档 {self.counts['files_open']:,}）；2008年送温暖筹资 {warmth[2] / 100:,.2f} 元、"
            f"慰问困难职工 {hardship:,} 人、农民工 {len(migrants):,} 人；金秋助学筹资 "
            f"{schooling[2] / 100:,.2f} 元、资助 {schooling[4]:,} 人；平安返乡 {scaled(SENT_HOME):,} 人次；"
            f"讨薪 {self.counts['cases']:,} 件；共 {self.counts['disbursements']:,} 条发放记录"
        )


def build_assistance(ctx: DemoContext) -> str:
    return _Build(ctx).run()
