"""The demo province's 建功立业工程 and 职工素质工程 records for the first half of 2008, in the
article's figures (exact at ``province`` scale, in proportion below it):

- 8,120 enterprises and 680,000 workers in skills contests (技术比武: one province-wide
  contest and one per city, each enterprise in one of them, accepted by the organiser);
- 5,435 enterprises' 520,000 workers made 450,000 rationalisation proposals creating
  830 million yuan of value (each worker an author once; one proposal in six or so has
  two authors), among them 1,503 technical, 784 process, 654 product and 735
  operating-method innovations; adopted ones went through the whole dated workflow;
- 1,323 enterprises' "ten ones" savings worth 8,325,000 yuan (832余万元);
- 200 enterprises in the energy-saving merit competition the federation ran with the
  provincial economic commission (省经委), each with its confirmed energy savings;
- 10 workers commended as technical-innovation experts on May Day (with their files);
- and, beside the article's figures, a few worker libraries, training courses and
  learning-organisation titles so the 职工素质 pages are not empty.

Everything is written in bulk (``core.bulk.insert_rows``: COPY on PostgreSQL) with ids
allocated here, people sealed as the roll seals them (demo.assistance.People). The
proposals are loaded as the proposal list's first load (``achievement.bulk_load``) loads
them: their tables' indexes and unique and foreign-key constraints dropped during the
load and rebuilt and checked after (``indexes_built_after(..., constraints=True)``). The
rows are generated here rather than read from a list, since the demo's proposals carry the
whole dated workflow and score sheets an enterprise's list does not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.utils import timezone

from unionworks.achievement.models import (
    Competition,
    Honour,
    LearningTitle,
    ModelWorker,
    Participation,
    Proposal,
    ProposalAuthor,
    ProposalScore,
    SavingsResult,
    TrainingCourse,
    Winner,
    WorkerLibrary,
)
from unionworks.core.bulk import indexes_built_after, insert_rows, reset_sequences
from unionworks.demo.assistance import People, fen_text, split
from unionworks.demo.province import PROVINCE_UNITS, DemoContext, random_date, walk

# The article's first half of 2008 (province scale); money in fen.
CONTEST_UNITS = 8_120
CONTEST_WORKERS = 680_000
PROPOSAL_UNITS = 5_435
PROPOSAL_WORKERS = 520_000
PROPOSALS = 450_000
PROPOSAL_VALUE = 830_000_000_00
INNOVATIONS = {"technical": 1_503, "process": 784, "product": 654, "method": 735}
TEN_ONES_UNITS = 1_323
TEN_ONES_VALUE = 8_325_000_00
ENERGY_UNITS = 200
INNOVATION_EXPERTS = 10
FIVE_SMALL_SHARE = 0.12  # of the proposals that are not innovations
ADOPTED_SHARE = 0.6
IMPLEMENTED_SHARE = 0.75  # of the adopted
H1 = (dt.date(2008, 1, 1), dt.date(2008, 6, 30))
BATCH = 20_000

PERSON = ["name", "sex", "birth_date", "id_number_cipher", "id_number_index", "id_number_mask"]
COMPETITION_FIELDS = ["id", "org", "kind", "name", "theme", "level", "co_organisers",
                      "start_date", "end_date", "rules", "created_by", "created_at"]  # fmt: skip
PARTICIPATION_FIELDS = ["id", "competition", "org", "unit", "workers", "status", "registered_on",
                        "registered_by", "decided_on", "decided_by", "start_date",
                        "competition_kind"]  # fmt: skip
PROPOSAL_FIELDS = ["id", "org", "unit", "number", "category", "title", "status_quo", "measure",
                   "estimated_value", "estimated_savings", "confirmed_value", "confirmed_savings",
                   "status", "authors_count", "proposed_on", "proposed_by", "dept_reviewed_on",
                   "dept_reviewed_by", "dept_opinion", "committee_reviewed_on",
                   "committee_reviewed_by", "decided_on", "decided_by", "decision_note",
                   "implemented_on", "implemented_by", "rewarded_on", "rewarded_by",
                   "reward_amount", "created_at"]  # fmt: skip
AUTHOR_FIELDS = ["id", *PERSON, "proposal", "org", "proposed_on"]
SCORE_FIELDS = ["id", "proposal", "technical", "value_band", "economic", "scope", "practicality",
                "total", "reviewed_on", "reviewed_by", "opinion"]  # fmt: skip
SAVINGS_FIELDS = ["id", "org", "unit", "kind", "competition", "period_start", "period_end",
                  "measures", "value", "energy_saved_tce", "confirmed_on", "created_by"]  # fmt: skip
WORKER_FIELDS = ["id", *PERSON, "org", "unit", "job_status", "monthly_income", "allowance",
                 "last_health_check_on", "last_rest_leave_on", "last_reviewed_on", "note"]  # fmt: skip
HONOUR_FIELDS = ["id", "org", "kind", "level", "year", "awarded_on", "awarding_body", "person",
                 "unit", "team_name"]  # fmt: skip
WINNER_FIELDS = ["id", *PERSON, "competition", "org", "unit", "rank", "reward", "prize",
                 "promoted_grade", "awarded_on"]  # fmt: skip
LIBRARY_FIELDS = ["id", "org", "unit", "name", "level", "books", "area", "opened_on"]
TITLE_FIELDS = ["id", "org", "unit", "kind", "level", "year", "awarded_on"]
COURSE_FIELDS = ["id", "org", "name", "trade", "start_date", "end_date", "trainees", "promoted"]

TOPICS = ["皮带输送机", "托辊润滑", "锅炉给水", "电机节能", "模具更换", "焊接工装", "配料工序",
          "仓储管理", "设备点检", "废料回收", "照明改造", "空压机", "循环水", "包装流程",
          "巷道支护", "采煤机截齿", "焦炉加热", "高炉喷煤", "轧辊冷却", "变压器运行"]  # fmt: skip
FIVE_SMALL = ["invention", "innovation", "design", "suggestion", "knack"]
TRADES = ["焊工", "钳工", "电工", "车工", "维修电工", "化学检验工", "采煤机司机", "汽车驾驶员"]
BANDS = [(1_000_000_00, "over_1m", 40), (100_000_00, "to_1m", 30), (10_000_00, "to_100k", 20),
         (0, "under_10k", 10)]  # fmt: skip


class _Build:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng("achievement")
        self.f = ctx.scale.units / PROVINCE_UNITS
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.people = People(self.rng)
        self.ids: dict[str, int] = defaultdict(int)
        self.province = ctx.province
        self.cities = list(self.province.children)
        # Enterprises with a union since before 2008, where the proposals and contests are.
        self.units = [
            u
            for u in ctx.units
            if u.union is not None and u.covered_since and u.covered_since <= dt.date(2007, 12, 31)
        ]
        self.city_of = {}
        for city in self.cities:
            for node in walk(city):
                self.city_of[id(node)] = city
        self.county_of = {}
        for city in self.cities:
            for county in city.children:
                for node in walk(county):
                    self.county_of[id(node)] = county

    def scaled(self, n: float) -> int:
        return max(1, round(n * self.f))

    def next_id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def person(self, unit, first=dt.date(1955, 1, 1), last=dt.date(1988, 12, 31)):
        county = self.county_of.get(id(unit.union)) or self.cities[0]
        p = self.people.make(county.region_code, first, last)
        return (p.name, p.sex, p.birth, p.cipher, p.index, p.mask)

    def competition(self, org, kind, name, level, start, end, theme="", co="") -> int:
        pk = self.next_id("competition")
        insert_rows(
            Competition,
            COMPETITION_FIELDS,
            [
                (
                    pk,
                    org.id,
                    kind,
                    name,
                    theme,
                    level,
                    co,
                    start,
                    end,
                    "按竞赛规则评比",
                    None,
                    self.now,
                )
            ],
        )
        return pk

    # -- skills contests and the energy-saving competition -----------------------------------
    def contests(self) -> str:
        rng = self.rng
        units = self.scaled(CONTEST_UNITS)
        workers = self.scaled(CONTEST_WORKERS)
        start, end = dt.date(2008, 3, 1), dt.date(2008, 6, 20)
        contests = [
            (self.competition(self.province, "contest", "2008年全省职工技术比武", "province",
                              start, end, "当好主力军、建功“十一五”、和谐奔小康"), None)
        ] + [
            (self.competition(city, "skills", f"2008年{city.place}职工职业技能竞赛", "city",
                              start, end), city)
            for city in self.cities
        ]  # fmt: skip
        by_city = {id(c): pk for pk, c in contests if c is not None}
        chosen = rng.sample(self.units, min(units, len(self.units)))
        shares = split(workers, [max(1, u.employees) for u in chosen])
        rows = []
        for unit, n in zip(chosen, shares, strict=True):
            # Half enter the province's contest, half their city's.
            city = self.city_of.get(id(unit.union))
            contest = contests[0][0] if rng.random() < 0.5 or city is None else by_city[id(city)]
            registered = random_date(rng, dt.date(2008, 2, 1), dt.date(2008, 2, 25))
            rows.append(
                (self.next_id("participation"), contest, unit.union.id, unit.id, max(1, n),
                 "accepted", registered, None, registered + dt.timedelta(days=3), None, start,
                 "contest" if contest == contests[0][0] else "skills")
            )  # fmt: skip
        # Winners: the top three of each contest, the first promoted a grade.
        winners = []
        for contest, _city in contests:
            entries = [r for r in rows if r[1] == contest][:3]
            for rank, entry in enumerate(entries, start=1):
                unit = next(u for u in chosen if u.id == entry[3])
                reward, grade = ("grade", "技师") if rank == 1 else ("money", "")
                winners.append(
                    (self.next_id("winner"), *self.person(unit), contest, entry[2], unit.id, rank,
                     reward, fen_text(300000 // rank), grade, dt.date(2008, 6, 28))
                )  # fmt: skip
        energy = self.competition(
            self.province, "energy", "2008年节能减排立功竞赛", "province", dt.date(2008, 1, 1),
            dt.date(2008, 12, 31), "我为节能减排做贡献", "山西省经济委员会",
        )  # fmt: skip
        self.competition(
            self.province, "theme", "当好主力军、建功“十一五”、和谐奔小康主题竞赛", "province",
            dt.date(2008, 1, 1), dt.date(2008, 12, 31),
        )  # fmt: skip
        big = sorted(self.units, key=lambda u: -u.employees)[: self.scaled(ENERGY_UNITS)]
        savings = []
        for unit in big:
            rows.append(
                (self.next_id("participation"), energy, unit.union.id, unit.id,
                 max(1, min(unit.employees, 200)), "accepted", dt.date(2007, 12, 20), None,
                 dt.date(2007, 12, 28), None, dt.date(2008, 1, 1), "energy")
            )  # fmt: skip
            savings.append(
                (self.next_id("savings"), unit.union.id, unit.id, "energy", energy, H1[0], H1[1],
                 "淘汰落后设备，余热回收", fen_text(rng.randint(50_000, 2_000_000) * 100),
                 f"{rng.randint(100, 5000)}.00", dt.date(2008, 7, 10), None)
            )  # fmt: skip
        insert_rows(Participation, PARTICIPATION_FIELDS, rows)
        insert_rows(Winner, WINNER_FIELDS, winners)
        # "Ten ones" savings: 1,323 enterprises, 832余万元 in all.
        ten = rng.sample(self.units, min(self.scaled(TEN_ONES_UNITS), len(self.units)))
        values = split(round(TEN_ONES_VALUE * self.f), [rng.uniform(0.3, 3) for _ in ten])
        for unit, value in zip(ten, values, strict=True):
            savings.append(
                (self.next_id("savings"), unit.union.id, unit.id, "ten_ones", None, H1[0], H1[1],
                 "节约一度电、一滴水、一张纸……", fen_text(value), "0.00", dt.date(2008, 7, 5), None)
            )  # fmt: skip
        insert_rows(SavingsResult, SAVINGS_FIELDS, savings)
        return f"竞赛{self.ids['competition']}项，参赛单位{len(rows):,}个"

    # -- proposals ------------------------------------------------------------------------------
    def proposals(self) -> str:
        rng = self.rng
        count = self.scaled(PROPOSALS)
        authors = max(count, self.scaled(PROPOSAL_WORKERS))
        units = rng.sample(self.units, min(self.scaled(PROPOSAL_UNITS), len(self.units)))
        # Every unit has at least one; the rest by the unit's size.
        per_unit = [1] * len(units)
        extra = split(count - len(units), [max(1, u.employees) for u in units])
        per_unit = [a + b for a, b in zip(per_unit, extra, strict=True)]
        categories = []
        for category, n in INNOVATIONS.items():
            categories += [category] * self.scaled(n)
        rest = count - len(categories)
        small = round(rest * FIVE_SMALL_SHARE)
        categories += [rng.choice(FIVE_SMALL) for _ in range(small)]
        categories += ["proposal"] * (rest - small)
        rng.shuffle(categories)
        two_authors = set(rng.sample(range(count), authors - count))
        statuses = []
        for _ in range(count):
            r = rng.random()
            if r < ADOPTED_SHARE * IMPLEMENTED_SHARE * 0.6:
                statuses.append("rewarded")
            elif r < ADOPTED_SHARE * IMPLEMENTED_SHARE:
                statuses.append("implemented")
            elif r < ADOPTED_SHARE:
                statuses.append("adopted")
            elif r < 0.85:
                statuses.append("not_adopted")
            else:
                statuses.append(rng.choice(["proposed", "dept_reviewed", "committee_reviewed"]))
        done = [i for i, s in enumerate(statuses) if s in ("implemented", "rewarded")]
        values = dict(
            zip(
                done,
                split(round(PROPOSAL_VALUE * self.f), [rng.paretovariate(1.6) for _ in done]),
                strict=True,
            )
        )
        proposal_rows, author_rows, score_rows = [], [], []
        i = 0
        # The proposal list's first-load path (achievement.bulk_load): COPY into the tables
        # with their indexes, unique and foreign-key constraints dropped, rebuilt and
        # checked after (one join per key over the built rows).
        with indexes_built_after(Proposal, ProposalAuthor, ProposalScore, constraints=True):
            for unit, n in zip(units, per_unit, strict=True):
                for serial in range(1, n + 1):
                    self.proposal(i, unit, serial, categories[i], statuses[i], values.get(i, 0),
                                  2 if i in two_authors else 1, proposal_rows, author_rows,
                                  score_rows)  # fmt: skip
                    i += 1
                    if len(proposal_rows) >= BATCH:
                        self.flush(proposal_rows, author_rows, score_rows)
            self.flush(proposal_rows, author_rows, score_rows)
        return f"合理化建议{count:,}条（{len(units):,}个单位，提出人{authors:,}人）"

    def proposal(self, i, unit, serial, category, status, value, n_authors, rows, authors, scores):
        rng = self.rng
        pk = self.next_id("proposal")
        proposed = random_date(rng, *H1)
        steps = [
            "proposed",
            "dept_reviewed",
            "committee_reviewed",
            "decided",
            "implemented",
            "rewarded",
        ]
        reached = {
            "proposed": 1, "dept_reviewed": 2, "committee_reviewed": 3, "adopted": 4,
            "not_adopted": 4, "implemented": 5, "rewarded": 6,
        }[status]  # fmt: skip
        days, day = {}, proposed
        for step in steps[1:reached]:
            day = day + dt.timedelta(days=rng.randint(3, 12))
            days[step] = day
        # Refused in the department half the time, else by the committee.
        dept_refused = status == "not_adopted" and rng.random() < 0.5
        if dept_refused:
            days = {"dept_reviewed": days["dept_reviewed"], "decided": days["dept_reviewed"]}
        savings = value // 5
        estimated = max(value, rng.randint(0, 20_000) * 100)
        rows.append(
            (pk, unit.union.id, unit.id, f"2008-{serial:05d}", category,
             f"关于改进{rng.choice(TOPICS)}的{'建议' if category == 'proposal' else '成果'}",
             "能耗偏高、故障较多", "调整工艺参数，加装计量和保护装置", fen_text(estimated),
             fen_text(estimated // 5), fen_text(value), fen_text(savings), status, n_authors,
             proposed, None, days.get("dept_reviewed"), None,
             "已有同类措施" if dept_refused else "", days.get("committee_reviewed"), None,
             days.get("decided"), None, "效益不足" if status == "not_adopted" else "",
             days.get("implemented"), None, days.get("rewarded"), None,
             fen_text(max(100_00, value // 100) if status == "rewarded" else 0), self.now)
        )  # fmt: skip
        for _ in range(n_authors):
            authors.append(
                (self.next_id("author"), *self.person(unit), pk, unit.union.id, proposed)
            )
        if "committee_reviewed" in days:
            band, cap = next((band, cap) for floor, band, cap in BANDS if value >= floor)
            economic = rng.randint(cap // 2, cap)
            technical, scope, practical = (
                rng.randint(10, 30),
                rng.randint(5, 15),
                rng.randint(5, 15),
            )
            scores.append(
                (self.next_id("score"), pk, technical, band, economic, scope, practical,
                 technical + economic + scope + practical, days["committee_reviewed"], None, "")
            )  # fmt: skip

    def flush(self, rows, authors, scores) -> None:
        insert_rows(Proposal, PROPOSAL_FIELDS, rows)
        insert_rows(ProposalAuthor, AUTHOR_FIELDS, authors)
        insert_rows(ProposalScore, SCORE_FIELDS, scores)
        rows.clear()
        authors.clear()
        scores.clear()

    # -- honours, libraries, training --------------------------------------------------------
    def skills(self) -> str:
        rng = self.rng
        workers, honours = [], []
        for unit in rng.sample(self.units, min(self.scaled(INNOVATION_EXPERTS), len(self.units))):
            pk = self.next_id("worker")
            workers.append(
                (pk, *self.person(unit, dt.date(1960, 1, 1), dt.date(1980, 12, 31)),
                 unit.union.id, unit.id, "working", fen_text(rng.randint(2000, 4500) * 100),
                 "0.00", dt.date(2008, 3, 15), None, None, "山西省职工职业技术创新能手")
            )  # fmt: skip
            honours.append(
                (self.next_id("honour"), self.province.id, "innovation_expert", "province", 2008,
                 dt.date(2008, 4, 28), "山西省总工会", pk, None, "")
            )  # fmt: skip
        insert_rows(ModelWorker, WORKER_FIELDS, workers)
        insert_rows(Honour, HONOUR_FIELDS, honours)
        libraries, titles, courses = [], [], []
        for unit in rng.sample(self.units, min(self.scaled(600), len(self.units))):
            level = rng.choices(["national", "province", "grassroots"], weights=[2, 10, 88])[0]
            libraries.append(
                (self.next_id("library"), unit.union.id, unit.id, f"{unit.name}职工书屋", level,
                 rng.randint(500, 8000), f"{rng.randint(30, 300)}.0",
                 random_date(rng, dt.date(2006, 1, 1), dt.date(2008, 6, 30)))
            )  # fmt: skip
        for unit in rng.sample(self.units, min(self.scaled(300), len(self.units))):
            titles.append(
                (self.next_id("title"), unit.union.id, unit.id, "organisation",
                 rng.choice(["province", "city"]), 2008, dt.date(2008, 4, 28))
            )  # fmt: skip
        counties = [c for city in self.cities for c in city.children]
        for county in rng.sample(counties, min(self.scaled(400), len(counties))):
            start = random_date(rng, dt.date(2008, 1, 5), dt.date(2008, 5, 20))
            trainees = rng.randint(20, 120)
            courses.append(
                (self.next_id("course"), county.id, f"{county.place}职工技能培训班",
                 rng.choice(TRADES), start, start + dt.timedelta(days=rng.randint(5, 30)),
                 trainees, rng.randint(0, trainees // 3))
            )  # fmt: skip
        insert_rows(WorkerLibrary, LIBRARY_FIELDS, libraries)
        insert_rows(LearningTitle, TITLE_FIELDS, titles)
        insert_rows(TrainingCourse, COURSE_FIELDS, courses)
        return f"技术创新能手{len(workers)}名，职工书屋{len(libraries)}个，培训班{len(courses)}期"

    def run(self) -> str:
        said = [self.contests(), self.proposals(), self.skills()]
        reset_sequences(
            [Competition, Participation, Winner, SavingsResult, Proposal, ProposalAuthor,
             ProposalScore, ModelWorker, Honour, WorkerLibrary, LearningTitle, TrainingCourse]
        )  # fmt: skip
        return "；".join(said)


def build_achievement(ctx: DemoContext) -> str:
    return _Build(ctx).run()
