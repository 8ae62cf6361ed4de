"""The demo province's 和谐劳动关系建设工程 records (a step of ``manage.py demo_province``).

The article, as of September 2008: 13,287 collective contracts signed (15 % more than a
year before), 805 regional or industry contracts (220 % more), and 103 enterprises
commended as 劳动关系和谐企业 at the provincial conference in September. So, scaled by
``ctx.scale.units / PROVINCE_UNITS`` (exact at ``province`` scale):

- contracts in force on 2008-09-30: 13,287, of which 805 regional or industry; on
  2007-09-30: 11,550 and 252 — some of 2007's expired during the year and were renewed,
  so three groups: expired in the year, in force on both days, in force since;
- beyond those, contracts that do not count: under review on 30 September (in force in
  October), sent back with an objection, and signed but not yet submitted;
- every contract keeps the rules of ``relations.services``: approved by the 职代会 before
  signing, filed (mostly within 10 days, some late), in force the day after the 15-day
  review, for 1–3 years; a wage contract has its agreed rise;
- 职代会 for a share of covered units (one term, sessions in 2007 and 2008, proposals
  with their handling), 厂务公开 for 2007 and 2008, 103 commended in September 2008 (and
  2007's at every level for 同比), mediation committees and their cases.

Everything is written with ``core.bulk.insert_rows`` (COPY on PostgreSQL) in batches.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from unionworks.core.bulk import insert_rows, reset_sequences
from unionworks.demo import names
from unionworks.demo.province import PROVINCE_UNITS, DemoContext, OrgNode, UnitNode, random_date
from unionworks.orgs.models import Org
from unionworks.relations.models import (
    OPENNESS_CHANNELS,
    OPENNESS_ITEMS,
    CollectiveContract,
    CongressProposal,
    CongressSession,
    ContractUnit,
    Dispute,
    HarmonyAssessment,
    MediationCommittee,
    Openness,
    WorkersCongress,
)
from unionworks.relations.services import DEFAULT_SHEET, FILING_DAYS, REVIEW_DAYS, add_years

AS_OF = dt.date(2008, 9, 30)
YEAR_BEFORE = dt.date(2007, 9, 30)
CONTRACTS = 13_287  # in force on 2008-09-30
CONTRACTS_2007 = 11_550  # on 2007-09-30 (13,287 is 15 % more)
REGIONAL = 805
REGIONAL_2007 = 252  # (805 is 220 % more)
COMMENDED = 103  # September 2008, provincial level
EXPIRED_SHARE = 0.22  # of 2007's contracts, expired (and renewed) during the year
NOT_COUNTED_SHARE = 0.04  # under review, objected or not yet submitted on 30 September
LATE_SHARE = 0.08  # filed after the 10 days
KINDS = [("comprehensive", 55), ("wage", 30), ("women", 10), ("safety", 5)]
CONGRESS_SHARE = 0.35  # of covered units with a 职代会
OPENNESS_SHARE = 0.30
COMMITTEE_SHARE = 0.06
BATCH = 20_000

CONTRACT_FIELDS = ["id", "org", "number", "kind", "scope", "region_name", "employer_party",
                   "union_party", "employer_negotiator", "union_negotiator",
                   "congress_approved_on", "congress_present", "congress_votes_for", "signed_on",
                   "term_years", "employees_covered", "women_covered", "migrants_covered",
                   "last_year_wage", "wage_rise", "status", "filing_deadline",
                   "first_submitted_on", "submitted_on", "objection_deadline", "objected_on",
                   "objection_reason", "effective_on", "expires_on", "published_on", "renews",
                   "note", "created_at", "updated_at"]  # fmt: skip
CONGRESS_FIELDS = ["id", "org", "scope", "name", "term_number", "term_starts_on", "term_ends_on",
                   "created_at"]  # fmt: skip
SESSION_FIELDS = ["id", "congress", "org", "number", "held_on", "delegates_elected",
                  "delegates_present", "frontline_delegates", "women_delegates", "items",
                  "created_at"]  # fmt: skip
PROPOSAL_FIELDS = ["id", "session", "org", "title", "proposer", "status", "status_on",
                   "handled_on", "reply"]  # fmt: skip
OPENNESS_FIELDS = ["id", "org", "unit", "year", "items", "channels", "supervisor",
                   "in_assessment", "created_at"]  # fmt: skip
ASSESSMENT_FIELDS = ["id", "org", "unit", "year", "applied_on", "status", "scores",
                     "basic_score", "system_score", "effect_score", "total_score",
                     "site_visit_score", "survey_score", "scored_on", "notice_from",
                     "notice_until", "level", "commended_on", "decision"]  # fmt: skip
COMMITTEE_FIELDS = ["id", "org", "unit", "chair", "worker_members", "employer_members",
                    "established_on"]  # fmt: skip
DISPUTE_FIELDS = ["id", "org", "committee", "unit", "applicants", "applicant_names", "cause",
                  "amount_claimed", "accepted_on", "deadline", "outcome", "closed_on",
                  "agreement_amount", "note"]  # fmt: skip
PROPOSAL_TITLES = ["改善职工食堂伙食", "增开职工通勤班车", "完善一线岗位津贴", "改善井下作业条件",
                   "增加职工技能培训", "建立困难职工互助金", "落实带薪年休假", "改善职工宿舍条件",
                   "提高夜班补贴标准", "加强劳动防护用品发放"]  # fmt: skip
CAUSES = [("wages", 45), ("insurance", 15), ("dismissal", 15), ("injury", 10), ("hours", 8),
          ("other", 7)]  # fmt: skip


def _pick(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


class _Build:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng("relations")
        self.f = ctx.scale.units / PROVINCE_UNITS
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.ids: dict[str, int] = {}
        self.numbers: dict[int, int] = defaultdict(int)
        self.covered = [
            u for u in ctx.units if u.union is not None and (u.covered_since or AS_OF) <= AS_OF
        ]
        self.townships = [o for o in ctx.orgs if o.kind == Org.Kind.TOWNSHIP and o.units]
        self.federations = [o for o in ctx.orgs if o.kind == Org.Kind.FEDERATION and o.units]
        self.counts: dict[str, int] = defaultdict(int)

    def scaled(self, n: float) -> int:
        return max(1, round(n * self.f))

    def next_id(self, model) -> int:
        if model not in self.ids:
            self.ids[model] = model.objects.aggregate(m=Max("id"))["m"] or 0
        self.ids[model] += 1
        return self.ids[model]

    # -- contracts ---------------------------------------------------------------------------
    def contract_row(self, *, org: OrgNode, units: list[UnitNode], scope: str, effective,
                     term: int, state: str = "in_force", kind: str | None = None) -> tuple:  # fmt: skip
        """One contract whose dates lead to ``effective`` through the filing rules."""
        rng = self.rng
        kind = kind or _pick(rng, KINDS)
        if state == "in_force":
            submitted = effective - dt.timedelta(days=REVIEW_DAYS + 1)
            late = rng.random() < LATE_SHARE
            signed = submitted - dt.timedelta(
                days=rng.randint(FILING_DAYS + 1, 25) if late else rng.randint(1, FILING_DAYS)
            )
        else:  # signed late in September 2008: under review (or less) on the 30th
            signed = random_date(rng, dt.date(2008, 9, 14), dt.date(2008, 9, 25))
            submitted = signed + dt.timedelta(days=rng.randint(1, 5))
        approved = signed - dt.timedelta(days=rng.randint(3, 20))
        present = rng.randint(40, 300)
        employees = sum(u.employees for u in units) or 1
        women = min(employees, sum(u.women_workers for u in units))
        migrants = min(employees, sum(u.migrant_workers for u in units))
        wage = rise = None
        if kind == "wage":
            wage = _yuan(rng.randint(15_000_00, 32_000_00))
            rise = f"{rng.randint(500, 1500) / 100:.2f}"
        status, first, sent, deadline, objected, reason = "submitted", submitted, submitted, None, None, ""  # fmt: skip
        effective_on = expires = None
        if state in ("in_force", "review"):
            deadline = sent + dt.timedelta(days=REVIEW_DAYS)
            effective_on = deadline + dt.timedelta(days=1)
            expires = add_years(effective_on, term)
        elif state == "objected":
            status, deadline = "objected", sent + dt.timedelta(days=REVIEW_DAYS)
            objected = sent + dt.timedelta(days=rng.randint(3, REVIEW_DAYS))
            reason = rng.choice(["工作时间条款低于法定标准", "工资增幅未经职代会审议",
                                 "女职工特殊保护条款缺失"])  # fmt: skip
        else:  # signed, not yet submitted
            status, first, sent = "signed", None, None
        self.numbers[org.id] += 1
        first_unit = units[0]
        region = ""
        if scope != "enterprise":
            region = org.place or org.name
        published = effective_on + dt.timedelta(days=rng.randint(1, 20)) if effective_on and effective_on + dt.timedelta(days=20) <= AS_OF else None  # fmt: skip
        return (
            self.next_id(CollectiveContract), org.id, f"{signed.year}-{self.numbers[org.id]:04d}",
            kind, scope, region,
            first_unit.name if scope == "enterprise" else f"{region}{'企业方代表' if scope == 'regional' else '行业协会'}",
            org.name, names.person_name(rng), names.person_name(rng), approved, present,
            rng.randint(present // 2 + 1, present), signed, term, employees, women, migrants,
            wage, rise, status, signed + dt.timedelta(days=FILING_DAYS), first, sent, deadline,
            objected, reason, effective_on, expires, published, None, "", self.now, self.now,
        )  # fmt: skip

    def contracts(self) -> None:
        rng, scaled = self.rng, self.scaled
        regional_now, regional_then = scaled(REGIONAL), scaled(REGIONAL_2007)
        enterprise_now = scaled(CONTRACTS) - regional_now
        enterprise_then = scaled(CONTRACTS_2007) - regional_then
        rows, cover = [], []

        def add(org, units, scope, effective, term, state="in_force"):
            row = self.contract_row(org=org, units=units, scope=scope, effective=effective,
                                    term=term, state=state)  # fmt: skip
            rows.append(row)
            cover.extend((row[0], u.id) for u in units)

        def groups(now: int, then: int):
            expired = round(then * EXPIRED_SHARE)
            both = then - expired
            return expired, both, now - both

        units = rng.sample(self.covered, min(len(self.covered), enterprise_now + enterprise_then))
        expired, both, new = groups(enterprise_now, enterprise_then)
        # Expired during the year: in force on 2007-09-30, expiring by 2008-09-30.
        plan = [("expired", expired), ("both", both), ("new", new)]
        regional_plan = list(
            zip(("expired", "both", "new"), groups(regional_now, regional_then), strict=True)
        )
        for group, count in plan:
            for _ in range(count):
                unit = units.pop() if units else rng.choice(self.covered)
                self.add_dated(add, group, unit.union, [unit], "enterprise")
        for group, count in regional_plan:
            for _ in range(count):
                industry = bool(self.federations) and rng.random() < 0.3
                org = rng.choice(self.federations if industry else self.townships)
                small = [u for u in org.units if u.employees <= 300] or org.units
                covered = rng.sample(small, min(len(small), rng.randint(5, 40)))
                self.add_dated(add, group, org, covered, "industry" if industry else "regional")
        # Not counted on 30 September: under review, sent back, or not yet submitted.
        for state in ("review", "objected", "signed"):
            for _ in range(scaled(CONTRACTS * NOT_COUNTED_SHARE / 3)):
                unit = rng.choice(self.covered)
                add(unit.union, [unit], "enterprise", None, rng.randint(1, 3), state)
        for start in range(0, len(rows), BATCH):
            insert_rows(CollectiveContract, CONTRACT_FIELDS, rows[start : start + BATCH])
        link = ContractUnit.objects.aggregate(m=Max("id"))["m"] or 0
        insert_rows(
            ContractUnit,
            ["id", "contract", "unit"],
            [(link + i, c, u) for i, (c, u) in enumerate(cover, start=1)],
        )
        self.counts["contracts"] = len(rows)
        self.counts["in_force"] = enterprise_now + regional_now
        self.counts["regional"] = regional_now

    def add_dated(self, add, group: str, org: OrgNode, units, scope: str) -> None:
        rng = self.rng
        if group == "expired":
            term = rng.randint(1, 3)
            expires = random_date(rng, YEAR_BEFORE + dt.timedelta(days=1), AS_OF)
            effective = add_years(expires, -term)
        elif group == "both":
            term = 3 if rng.random() < 0.7 else 2
            first = max(add_years(AS_OF, -term) + dt.timedelta(days=1), dt.date(2005, 10, 1))
            effective = random_date(rng, first, YEAR_BEFORE)
        else:
            term = rng.randint(1, 3)
            effective = random_date(rng, YEAR_BEFORE + dt.timedelta(days=1), AS_OF)
        add(org, units, scope, effective, term)

    # -- congresses, openness ----------------------------------------------------------------
    def congresses(self) -> None:
        rng = self.rng
        congresses, links, sessions, proposals = [], [], [], []
        for unit in rng.sample(self.covered, round(len(self.covered) * CONGRESS_SHARE)):
            cid = self.next_id(WorkersCongress)
            start = random_date(rng, dt.date(2006, 1, 1), dt.date(2007, 1, 31))
            congresses.append((cid, unit.union.id, "enterprise", f"{unit.name}职工代表大会",
                               rng.randint(1, 8), start, add_years(start, 3), self.now))  # fmt: skip
            links.append((cid, unit.id))
            elected = max(30, min(400, unit.employees // 10))
            for number, year in enumerate((2007, 2008), start=1):
                if year == 2008 and rng.random() > 0.85:
                    continue  # no session yet this year: listed as such
                held = random_date(rng, dt.date(year, 2, 1), dt.date(year, 4, 30))
                sid = self.next_id(CongressSession)
                present = rng.randint(-(-elected * 2 // 3), elected)
                sessions.append((sid, cid, unit.union.id, number, held, elected, present,
                                 rng.randint(elected // 3, elected * 2 // 3),
                                 rng.randint(elected // 5, elected // 2),
                                 "审议行政工作报告；审议集体合同草案；审议福利费使用情况", self.now))  # fmt: skip
                for _ in range(rng.randint(0, 3)):
                    status = _pick(rng, [("done", 70), ("handling", 15), ("filed", 5),
                                         ("declined", 10)])  # fmt: skip
                    done = random_date(rng, held, held + dt.timedelta(days=120)) if status == "done" else None  # fmt: skip
                    proposals.append((self.next_id(CongressProposal), sid, unit.union.id,
                                      rng.choice(PROPOSAL_TITLES), names.person_name(rng) + "等代表",
                                      status, done or held, done,
                                      "已落实" if done else ""))  # fmt: skip
        insert_rows(WorkersCongress, CONGRESS_FIELDS, congresses)
        through = WorkersCongress.units.through
        insert_rows(through, ["id", "workerscongress", "unit"],
                    [(i, c, u) for i, (c, u) in enumerate(links, start=1)])  # fmt: skip
        insert_rows(CongressSession, SESSION_FIELDS, sessions)
        insert_rows(CongressProposal, PROPOSAL_FIELDS, proposals)
        reset_sequences([through])
        self.counts["congresses"] = len(congresses)
        self.counts["sessions"] = len(sessions)

    def openness(self) -> None:
        rng, rows = self.rng, []
        items = [code for code, _ in OPENNESS_ITEMS]
        channels = [code for code, _ in OPENNESS_CHANNELS]
        for year, share in ((2007, OPENNESS_SHARE * 0.85), (2008, OPENNESS_SHARE)):
            for unit in rng.sample(self.covered, round(len(self.covered) * share)):
                rows.append((self.next_id(Openness), unit.union.id, unit.id, year,
                             json.dumps(sorted(rng.sample(items, rng.randint(4, len(items))))),
                             json.dumps(rng.sample(channels, rng.randint(1, 3))),
                             "厂务公开监督小组", rng.random() < 0.6, self.now))  # fmt: skip
        insert_rows(Openness, OPENNESS_FIELDS, rows)
        self.counts["openness"] = len(rows)

    # -- harmony, disputes -------------------------------------------------------------------
    def assessments(self) -> None:
        rng, rows = self.rng, []
        big = sorted(self.covered, key=lambda u: -u.employees)[
            : max(400, self.scaled(COMMENDED) * 4)
        ]
        chosen = rng.sample(big, min(len(big), self.scaled(COMMENDED) * 2 + self.scaled(60)))
        plan = [(2008, "province", self.scaled(COMMENDED)), (2008, "", self.scaled(40))]
        plan += [(2007, level, self.scaled(n)) for level, n in
                 (("province", 60), ("city", 20), ("county", 10))]  # fmt: skip
        for year, level, count in plan:
            for _ in range(count):
                if not chosen:
                    break
                unit = chosen.pop()
                passed = bool(level)
                scores = {item["code"]: float(item["max"]) for item in DEFAULT_SHEET}
                shortfall = (
                    rng.choice([0, 1, 2, 3, 4, 5, 6, 8]) if passed else rng.choice([11, 12, 15, 18])
                )
                for code in rng.sample(list(scores), len(scores)):
                    taken = min(shortfall, scores[code])
                    scores[code] -= taken
                    shortfall -= taken
                parts = {p: sum(scores[i["code"]] for i in DEFAULT_SHEET if i["part"] == p)
                         for p in ("basic", "system", "effect")}  # fmt: skip
                commended = dt.date(year, 9, 18)
                rows.append((
                    self.next_id(HarmonyAssessment), unit.union.id, unit.id, year,
                    dt.date(year, 3, rng.randint(1, 28)), "commended" if passed else "failed",
                    json.dumps({k: f"{v:.1f}" for k, v in scores.items()}),
                    parts["basic"], parts["system"], parts["effect"], sum(parts.values()),
                    rng.randint(85, 99), rng.randint(85, 99), dt.date(year, 6, rng.randint(1, 30)),
                    dt.date(year, 9, 1) if passed else None, dt.date(year, 9, 7) if passed else None,
                    level, commended if passed else None,
                    f"晋劳关三方〔{year}〕{rng.randint(1, 20)}号" if passed else "",
                ))  # fmt: skip
                self.counts[f"commended_{year}"] += passed
        insert_rows(HarmonyAssessment, ASSESSMENT_FIELDS, rows)

    def disputes(self) -> None:
        rng, committees, cases = self.rng, [], []
        for unit in rng.sample(self.covered, max(1, round(len(self.covered) * COMMITTEE_SHARE))):
            committee = self.next_id(MediationCommittee)
            committees.append((committee, unit.union.id, unit.id, names.person_name(rng),
                               rng.randint(3, 5), rng.randint(1, 3),
                               random_date(rng, dt.date(2004, 1, 1), dt.date(2006, 12, 31))))  # fmt: skip
            for _ in range(rng.randint(0, 4)):
                accepted = random_date(rng, dt.date(2007, 1, 1), AS_OF)
                applicants = rng.choice([1, 1, 1, 2, 3, 5, 12])
                claimed = rng.randint(2_000_00, 60_000_00) * applicants
                outcome = _pick(rng, [("settled", 65), ("failed", 25), ("open", 10)])
                closed = accepted + dt.timedelta(days=rng.randint(2, 15))
                if outcome == "open":
                    closed = None
                elif closed > AS_OF:
                    outcome, closed = "open", None
                amount = round(claimed * rng.uniform(0.5, 1.0)) if outcome == "settled" else 0
                cases.append((self.next_id(Dispute), unit.union.id, committee, unit.id,
                              applicants, "", _pick(rng, CAUSES), _yuan(claimed), accepted,
                              accepted + dt.timedelta(days=15), outcome, closed, _yuan(amount),
                              ""))  # fmt: skip
        insert_rows(MediationCommittee, COMMITTEE_FIELDS, committees)
        insert_rows(Dispute, DISPUTE_FIELDS, cases)
        self.counts["disputes"] = len(cases)

    def run(self) -> str:
        self.contracts()
        self.congresses()
        self.openness()
        self.assessments()
        self.disputes()
        reset_sequences([CollectiveContract, ContractUnit, WorkersCongress, CongressSession,
                         CongressProposal, Openness, HarmonyAssessment, MediationCommittee,
                         Dispute])  # fmt: skip
        c = self.counts
        # The build's one audit entry (and its note that every figure is counted again)
        # is the last step's.
        return (
            f"集体合同 {c['contracts']:,} 份（2008年9月30日有效 {c['in_force']:,} 份，"
            f"其中区域（行业）性 {c['regional']:,} 份）；职代会 {c['congresses']:,} 个、"
            f"会议 {c['sessions']:,} 次；厂务公开 {c['openness']:,} 条；2008年命名和谐企业 "
            f"{c['commended_2008']:,} 家；劳动争议 {c['disputes']:,} 件"
        )


def build_relations(ctx: DemoContext) -> str:
    return _Build(ctx).run()
