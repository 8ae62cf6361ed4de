"""The demo province's 理论武装工程与人才兴会工程 records (a step of ``manage.py demo_province``),
in the article's figures as of 30 September 2008:

- the provincial federation held 3 study lectures (专题讲座) and 12 training classes
  (专题培训班) on the 17th Party Congress, attended by 64 of its cadres; a monthly expert
  lecture and monthly voluntary labour (series, sessions January–September held, the rest
  planned); the forum of 1 September; the Party group's study session in late September;
- 2,852 union cadres trained in the province (each counted once, whatever their courses);
- 4,162 union chairs directly elected (in office), 1,320 cadres recruited professionally
  or socially (in post);
- 11 city federations with a cadres' rights mechanism; 8 city and 38 county federations
  whose chair ranks as a deputy head of the Party committee or government.

Counts of people scale by ``ctx.scale.units / PROVINCE_UNITS`` (exact at ``province``);
the province's own events and cadres, and the 11 / 8 / 38 federations, do not (every scale
keeps all 11 cities and 119 counties). The roster also holds the committees elected with
the chairs (a few with a seat left empty) and some elections overdue (held in 2002–2003).
People are sealed as the roll seals them; everything is written in batches.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from unionworks.cadres.models import (
    Arrangement,
    Attendance,
    AttendanceCount,
    Cadre,
    Election,
    Post,
    Recruitment,
    StudyEvent,
    StudySeries,
)
from unionworks.core.bulk import insert_rows, reset_sequences
from unionworks.core.identity import ID_FIELD
from unionworks.core.idnumber import check_char, mask_id_number
from unionworks.core.personal_data import Sealer
from unionworks.demo import names
from unionworks.demo.province import PROVINCE_UNITS, DemoContext, OrgNode, random_date, walk
from unionworks.orgs.models import Org

AS_OF = dt.date(2008, 9, 30)
TRAINED = 2_852
DIRECT_CHAIRS = 4_162
RECRUITED = 1_320
OTHER_ELECTIONS = 3_000  # chairs elected by their committees
OVERDUE_SHARE = 0.08  # of those, held in 2002–2003 and not yet re-elected
VACANCY_SHARE = 0.05  # committees with one seat left empty
PROVINCE_CADRES = 64
RIGHTS_CITIES, RANK_CITIES, RANK_COUNTIES = 11, 8, 38
LECTURES, CLASSES = 3, 12

CADRE_FIELDS = ["id", "name", "sex", "birth_date", "id_number_cipher", "id_number_index",
                "id_number_mask", "org", "member", "education", "note", "created_at"]  # fmt: skip
POST_FIELDS = ["id", "cadre", "org", "kind", "full_time", "how", "rank_deputy", "start", "end",
               "end_reason", "election", "recruitment", "created_at"]  # fmt: skip
ELECTION_FIELDS = ["id", "org", "status", "term_years", "method", "members_count", "delegates",
                   "seats", "direct_chair", "requested_on", "planned_on",
                   "candidates_approved_on", "held_on", "voters", "result_approved_on",
                   "approved_by_org", "next_due_on", "superseded_on", "created_at"]  # fmt: skip
EVENT_FIELDS = ["id", "org", "series", "kind", "theme", "start_date", "end_date", "hours",
                "venue", "teachers", "status", "created_at"]  # fmt: skip
SERIES_FIELDS = ["id", "org", "kind", "theme", "first_date", "last_date", "hours", "venue",
                 "created_at"]  # fmt: skip
ATTENDANCE_FIELDS = ["id", "event", "org", "cadre", "member", "person_index", "name",
                     "id_number_mask", "event_date", "hours"]  # fmt: skip
COUNT_FIELDS = ["id", "event", "org", "people", "event_date"]
RECRUITMENT_FIELDS = ["id", "org", "title", "how", "announced_on", "posts_offered", "applicants",
                      "grade", "created_at"]  # fmt: skip
ARRANGEMENT_FIELDS = ["id", "org", "kind", "since", "until", "document", "created_by"]

EDUCATION = [("postgraduate", 5), ("bachelor", 35), ("college", 40), ("secondary", 12),
             ("high_school", 8)]  # fmt: skip
TEACHERS = ["省委党校教授", "山西大学教授", "省社科院研究员", "全总干部学院教授", "省总工会领导"]
THEMES = ["学习贯彻党的十七大精神", "深入学习实践科学发展观", "《劳动合同法》与工会维权",
          "工资集体协商实务", "中国特色社会主义工会理论", "工会组织建设与会员发展"]  # fmt: skip


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class _Build:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng("cadres")
        self.f = ctx.scale.units / PROVINCE_UNITS
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.sealer = Sealer()
        self.ids: dict[str, int] = defaultdict(int)
        self.seq: dict[tuple[str, dt.date], int] = defaultdict(lambda: 900)
        self.province = ctx.province
        self.cities = list(self.province.children)
        self.counties = [c for city in self.cities for c in city.children]
        self.cadres: list[tuple] = []
        self.posts: list[tuple] = []
        self.elections: list[tuple] = []
        # cadre id → (org node, name, index, mask) of those who may attend a course
        self.trainable: dict[int, list[tuple]] = defaultdict(list)  # by county id

    def scaled(self, n: float) -> int:
        return max(1, round(n * self.f))

    def next_id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    # -- people ---------------------------------------------------------------------------------
    def cadre(self, org: OrgNode, region: str) -> tuple:
        """A roster record with a valid ID number (sequence 900–999: clear of the roll's and
        the assistance step's numbers)."""
        rng = self.rng
        birth = random_date(rng, dt.date(1955, 1, 1), dt.date(1982, 12, 31))
        while self.seq[(region, birth)] >= 1000:
            birth += dt.timedelta(days=1)
        seq = self.seq[(region, birth)]
        self.seq[(region, birth)] = seq + 1
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        number = first17 + check_char(first17)
        cadre_id = self.next_id("cadre")
        name = names.person_name(rng)
        index = self.sealer.index(number, ID_FIELD)
        mask = mask_id_number(number)
        education = rng.choices([e for e, _w in EDUCATION], [w for _e, w in EDUCATION])[0]
        self.cadres.append(
            (cadre_id, name, "M" if seq % 2 else "F", birth, self.sealer.seal(number, ID_FIELD),
             index, mask, org.id, None, education, "", self.now)
        )  # fmt: skip
        return cadre_id, org, name, index, mask

    def post(self, cadre_id, org, kind, how, start, *, full_time=False, rank=False,
             election=None, recruitment=None, end=None, end_reason=""):  # fmt: skip
        self.posts.append(
            (self.next_id("post"), cadre_id, org.id, kind, full_time, how, rank, start, end,
             end_reason, election, recruitment, self.now)
        )  # fmt: skip

    # -- federations -------------------------------------------------------------------------------
    def federations(self) -> list[tuple]:
        """The province's 64 cadres; each city and county federation's chair and two vice
        chairs (full-time), the chairs of 8 cities and 38 counties ranked as deputies."""
        rng = self.rng
        province_cadres = []
        for i in range(PROVINCE_CADRES):
            person = self.cadre(self.province, self.province.region_code)
            province_cadres.append(person)
            kind = Post.Kind.CHAIR if i == 0 else Post.Kind.VICE_CHAIR if i < 5 else Post.Kind.STAFF
            how = Post.How.ELECTED if i < 5 else Post.How.APPOINTED
            self.post(person[0], self.province, kind, how, dt.date(2003, 11, 20), full_time=True)
        rank_cities = set(rng.sample(range(len(self.cities)), min(RANK_CITIES, len(self.cities))))
        rank_counties = set(rng.sample(range(len(self.counties)),
                                       min(RANK_COUNTIES, len(self.counties))))  # fmt: skip
        arrangements = []
        for i, node in enumerate([*self.cities, *self.counties]):
            is_city = i < len(self.cities)
            ranked = (i in rank_cities) if is_city else (i - len(self.cities) in rank_counties)
            start = random_date(rng, dt.date(2004, 1, 1), dt.date(2007, 12, 31))
            for k, kind in enumerate((Post.Kind.CHAIR, Post.Kind.VICE_CHAIR, Post.Kind.VICE_CHAIR)):
                person = self.cadre(node, node.region_code)
                self.post(person[0], node, kind, Post.How.ELECTED, start, full_time=True,
                          rank=ranked and k == 0)  # fmt: skip
                self.trainable[node.id].append(person)
            if ranked:
                arrangements.append(
                    (self.next_id("arrangement"), node.id, Arrangement.Kind.RANK,
                     random_date(rng, dt.date(2005, 1, 1), dt.date(2008, 6, 30)), None,
                     "关于工会主席按同级党政副职配备的通知", None)
                )  # fmt: skip
            if is_city and i < RIGHTS_CITIES:
                arrangements.append(
                    (self.next_id("arrangement"), node.id, Arrangement.Kind.RIGHTS,
                     random_date(rng, dt.date(2007, 1, 1), dt.date(2008, 8, 31)), None,
                     "工会干部权益保障办法", None)
                )  # fmt: skip
        insert_rows(Arrangement, ARRANGEMENT_FIELDS, arrangements)
        self.province_cadres = province_cadres
        return arrangements

    # -- grassroots committees and elections ----------------------------------------------------
    def committees(self) -> None:
        rng = self.rng
        candidates = []
        for county in self.counties:
            for node in walk(county):
                if node.kind == Org.Kind.GRASSROOTS and node.founded_on and (
                    node.founded_on <= dt.date(2008, 6, 30)
                ):  # fmt: skip
                    candidates.append((node, county))
        direct = min(self.scaled(DIRECT_CHAIRS), len(candidates))
        other = min(self.scaled(OTHER_ELECTIONS), len(candidates) - direct)
        chosen = rng.sample(candidates, direct + other)
        self.counts_direct = direct
        self.overdue = 0
        overdue = max(1, round(other * OVERDUE_SHARE))
        for i, (node, county) in enumerate(chosen):
            is_direct = i < direct
            earliest = max(node.founded_on + dt.timedelta(days=30), dt.date(2002, 1, 1))
            if not is_direct and self.overdue < overdue and earliest <= dt.date(2003, 9, 1):
                held = random_date(rng, earliest, dt.date(2003, 9, 1))
                self.overdue += 1
            else:
                held = random_date(rng, max(earliest, dt.date(2004, 1, 1)), dt.date(2008, 9, 1))
            members = max(10, sum(u.employees for u in node.units) * 9 // 10)
            congress = members >= 80
            seats = rng.choice([5, 5, 7, 7, 9]) if congress else rng.choice([3, 5])
            delegates = max(seats * 3, min(members // 10, 400)) if congress else 0
            electorate = delegates if congress else members
            election_id = self.next_id("election")
            self.elections.append(
                (election_id, node.id, Election.Status.APPROVED, 5,
                 Election.Method.CONGRESS if congress else Election.Method.ASSEMBLY, members,
                 delegates, seats, is_direct, held - dt.timedelta(days=45), held,
                 held - dt.timedelta(days=20), held, electorate - electorate // 10,
                 held + dt.timedelta(days=10), county.id, _years_after(held, 5), None, self.now)
            )  # fmt: skip
            filled = seats - 1 if rng.random() < VACANCY_SHARE else seats
            for k in range(filled):
                person = self.cadre(node, county.region_code)
                kind = Post.Kind.CHAIR if k == 0 else (
                    Post.Kind.VICE_CHAIR if k == 1 else Post.Kind.MEMBER)  # fmt: skip
                how = Post.How.DIRECT if k == 0 and is_direct else Post.How.ELECTED
                self.post(person[0], node, kind, how, held, full_time=k == 0 and congress,
                          election=election_id)  # fmt: skip
                self.trainable[county.id].append(person)

    # -- recruitment ----------------------------------------------------------------------------------
    def recruitment(self) -> int:
        rng = self.rng
        total = self.scaled(RECRUITED)
        shares = [total // len(self.counties)] * len(self.counties)
        for i in range(total - sum(shares)):
            shares[i] += 1
        rows = []
        for county, hires in zip(self.counties, shares, strict=True):
            if not hires:
                continue
            how = Post.How.SOCIAL if rng.random() < 0.6 else Post.How.PROFESSIONAL
            announced = random_date(rng, dt.date(2006, 3, 1), dt.date(2008, 5, 31))
            recruitment_id = self.next_id("recruitment")
            rows.append(
                (recruitment_id, county.id, f"{county.place}总工会{announced.year}年"
                 f"{'社会化' if how == Post.How.SOCIAL else '职业化'}工会工作者招聘", how, announced,
                 hires, hires * rng.randint(3, 8), rng.choice(["一级", "二级", "三级"]), self.now)
            )  # fmt: skip
            workplaces = [county, *(c for c in county.children)]
            for _ in range(hires):
                where = rng.choice(workplaces)
                person = self.cadre(where, county.region_code)
                self.post(person[0], where, Post.Kind.STAFF, how,
                          announced + dt.timedelta(days=rng.randint(40, 120)), full_time=True,
                          recruitment=recruitment_id)  # fmt: skip
                self.trainable[county.id].append(person)
        insert_rows(Recruitment, RECRUITMENT_FIELDS, rows)
        return total

    # -- study and training ---------------------------------------------------------------------------
    def event(self, org, kind, theme, day, hours, *, days=1, series=None, held=True,
              teachers="") -> tuple:  # fmt: skip
        row = (self.next_id("event"), org.id, series, kind, theme, day,
               day + dt.timedelta(days=days - 1), str(Decimal(hours)), f"{org.place}工人文化宫",
               teachers, StudyEvent.Status.HELD if held else StudyEvent.Status.PLANNED, self.now)  # fmt: skip
        self.events.append(row)
        return row

    def attend(self, event: tuple, person: tuple) -> None:
        cadre_id, org, name, index, mask = person
        self.attendances.append(
            (self.next_id("attendance"), event[0], org.id, cadre_id, None, index, name, mask,
             event[5], event[7])
        )  # fmt: skip

    def study(self) -> int:
        rng, province = self.rng, self.province
        self.events, self.attendances, counts, series_rows = [], [], [], []
        # The province: 3 lectures and 12 classes on the 17th Congress, the 64 cadres.
        courses = []
        for i in range(LECTURES):
            day = dt.date(2008, 1 + i * 2, 15)
            courses.append(self.event(province, StudyEvent.Kind.LECTURE,
                                      f"党的十七大精神专题讲座（第{i + 1}讲）", day, 3,
                                      teachers=rng.choice(TEACHERS)))  # fmt: skip
        for i in range(CLASSES):
            day = dt.date(2008, 1 + i * 8 // CLASSES, 5 + (i % 3) * 7)
            courses.append(self.event(province, StudyEvent.Kind.CLASS,
                                      f"党的十七大精神专题培训班（第{i + 1}期）", day, 24, days=3,
                                      teachers=rng.choice(TEACHERS)))  # fmt: skip
        for k, person in enumerate(self.province_cadres):
            taken = {courses[k % len(courses)][0]}
            self.attend(courses[k % len(courses)], person)
            for course in rng.sample(courses, rng.randint(0, 3)):
                if course[0] not in taken:
                    taken.add(course[0])
                    self.attend(course, person)
        # Monthly expert lecture and voluntary labour: January–September held, the rest planned.
        for kind, theme, hours, people in ((StudyEvent.Kind.EXPERT, "每月专家讲座", 3, 120),
                                           (StudyEvent.Kind.LABOUR, "机关干部义务劳动", 4, 90)):  # fmt: skip
            series_id = self.next_id("series")
            series_rows.append((series_id, province.id, kind, theme, dt.date(2008, 1, 20),
                                dt.date(2008, 12, 20), str(hours), "省总工会", self.now))  # fmt: skip
            for month in range(1, 13):
                day = dt.date(2008, month, 20)
                row = self.event(province, kind, f"{theme}（第{month}期）", day, hours,
                                 series=series_id, held=day <= AS_OF)  # fmt: skip
                if day <= AS_OF:
                    counts.append((self.next_id("count"), row[0], province.id,
                                   people + rng.randint(-10, 10), day))  # fmt: skip
        forum = self.event(province, StudyEvent.Kind.FORUM, "“工会与发展和谐劳动关系”论坛",
                           dt.date(2008, 9, 1), 4)  # fmt: skip
        counts.append((self.next_id("count"), forum[0], province.id, 150, forum[5]))
        group = self.event(province, StudyEvent.Kind.GROUP_STUDY,
                           "党组中心组专题学习：建设中国特色社会主义工会理论",
                           dt.date(2008, 9, 24), 4)  # fmt: skip
        for person in self.province_cadres[:5]:
            self.attend(group, person)
        # Cities and counties train the rest: 2,852 cadres in all, some on two courses.
        wanted = max(self.scaled(TRAINED), PROVINCE_CADRES + len(self.cities)) - PROVINCE_CADRES
        pools = [(county_id, people) for county_id, people in self.trainable.items() if people]
        weights = [len(p) for _c, p in pools]
        quotas = [wanted * w // sum(weights) for w in weights]
        for i in range(wanted - sum(quotas)):
            quotas[i % len(quotas)] += 1
        org_of = {node.id: node for node in [*self.cities, *self.counties]}
        for (county_id, people), quota in zip(pools, quotas, strict=True):
            if not quota:
                continue
            organiser = org_of[county_id]
            trainees = rng.sample(people, min(quota, len(people)))
            classes = [
                self.event(organiser, StudyEvent.Kind.CLASS,
                           f"{rng.choice(THEMES)}培训班", random_date(rng, dt.date(2008, 3, 1),
                                                                    dt.date(2008, 9, 20)), 16,
                           days=2, teachers=rng.choice(TEACHERS))
                for _ in range(1 + len(trainees) // 40)
            ]  # fmt: skip
            for k, person in enumerate(trainees):
                self.attend(classes[k % len(classes)], person)
                if len(classes) > 1 and rng.random() < 0.2:  # a second course: still one person
                    self.attend(classes[(k + 1) % len(classes)], person)
        insert_rows(StudySeries, SERIES_FIELDS, series_rows)
        insert_rows(StudyEvent, EVENT_FIELDS, self.events)
        insert_rows(Attendance, ATTENDANCE_FIELDS, self.attendances)
        insert_rows(AttendanceCount, COUNT_FIELDS, counts)
        return wanted + PROVINCE_CADRES

    def run(self) -> str:
        self.federations()
        self.committees()
        recruited = self.recruitment()
        insert_rows(Cadre, CADRE_FIELDS, self.cadres)
        insert_rows(Election, ELECTION_FIELDS, self.elections)
        insert_rows(Post, POST_FIELDS, self.posts)
        trained = self.study()
        reset_sequences([Cadre, Post, Election, StudySeries, StudyEvent, Attendance,
                         AttendanceCount, Recruitment, Arrangement])  # fmt: skip
        self.ctx.summary["工会干部"] = len(self.cadres)
        return (
            f"{len(self.cadres):,} 名工会干部、{len(self.posts):,} 条任职、"
            f"{len(self.elections):,} 次换届选举（逾期 {self.overdue:,}）；"
            f"省总 {LECTURES} 次讲座、{CLASSES} 期培训班、{PROVINCE_CADRES} 名机关干部参训；"
            f"培训干部 {trained:,} 人，直选主席 {self.counts_direct:,} 人，招聘干部 {recruited:,} 人；"
            f"{len(self.events):,} 次学习培训活动"
        )


def build_cadres(ctx: DemoContext) -> str:
    return _Build(ctx).run()
