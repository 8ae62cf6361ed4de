"""The eight-project lens (八大工程): which indicators each project shows, in what order.

This is the one place to edit when the federation renames, regroups or reorders its
programmes. Each project lists its indicators by code (see the indicator table at
/stats/indicators/ or GET /api/v1/indicators/ for every code and its meaning); the
first ``key`` of them are the headline figures of its dashboard. A code whose
records the platform does not keep yet is simply left out of the pages, and a project
with none kept says so plainly — no invented figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from unionworks.stats import registry


@dataclass(frozen=True)
class Project:
    code: str
    name: str
    name_en: str
    indicators: tuple[str, ...] = field(default_factory=tuple)
    key: int = 4  # how many of the indicators are headline figures
    note: str = ""

    def kept(self) -> list[str]:
        """The indicators whose records the platform keeps now, in lens order."""
        return [code for code in self.indicators if registry.exists(code)]

    def key_indicators(self) -> list[str]:
        return self.kept()[: self.key]

    @property
    def has_records(self) -> bool:
        return bool(self.kept())


PROJECTS = [
    Project(
        "theory",
        "理论武装工程",
        "Theory study",
        (
            "study_events",
            "study_attendees",
            "study_hours",
            "study_sessions",
            "study_events_lecture",
            "study_events_class",
            "study_events_group_study",
            "study_events_forum",
            "study_events_expert",
            "study_events_labour",
            "study_events_other",
        ),
    ),
    Project(
        "achievement",
        "建功立业工程",
        "Labour competitions",
        (
            "competitions",
            "competition_units",
            "competition_workers",
            "proposals",
            "proposal_value",
            "proposals_adopted",
            "proposal_workers",
            "proposal_units",
            "proposal_savings",
            "five_small",
            "innovations",
            "technical_innovations",
            "process_innovations",
            "product_innovations",
            "method_innovations",
            "ten_ones_units",
            "ten_ones_savings",
            "energy_competitions",
            "energy_competition_units",
            "energy_saving_units",
            "energy_savings",
        ),
    ),
    Project(
        "skills",
        "职工素质工程",
        "Workers' skills",
        (
            "skill_contests",
            "trained_workers",
            "worker_libraries",
            "skill_contest_units",
            "skill_contest_workers",
            "workers_promoted",
            "training_courses",
            "library_books",
            "learning_organisations",
            "knowledge_worker_titles",
            "competition_winners",
            "honours",
            "honours_level_national",
            "honours_level_province",
            "honours_may_day_medal",
            "honours_may_day_award",
            "honours_vanguard",
            "honours_model_worker",
            "honours_advanced_worker",
            "honours_innovation_expert",
            "honours_innovation_result",
            "honours_skills_expert",
        ),
    ),
    Project(
        "relations",
        "和谐劳动关系建设工程",
        "Harmonious labour relations",
        (
            "collective_contracts",
            "regional_contracts",
            "contract_employees",
            "harmony_commended",
            "contracts_signed",
            "wage_rise_average",
            "contracts_filed_on_time_rate",
            "congress_rate",
            "openness_rate",
            "dispute_success_rate",
            "contracts_expiring",
            "contracts_comprehensive",
            "contracts_wage",
            "contracts_women",
            "contracts_safety",
            "contracts_enterprise_scope",
            "contracts_regional_scope",
            "contracts_industry_scope",
            "contract_units",
            "contract_unit_rate",
            "contract_women_covered",
            "contract_migrants_covered",
            "regional_contracts_signed",
            "contracts_filed",
            "contracts_filed_on_time",
            "congress_units",
            "congress_sessions",
            "congress_proposals",
            "proposals_done",
            "proposal_handling_rate",
            "openness_units",
            "openness_in_assessment",
            "harmony_commended_county",
            "harmony_commended_city",
            "harmony_commended_province",
            "harmony_commended_national",
            "disputes_received",
            "dispute_applicants",
            "disputes_closed",
            "disputes_settled",
            "dispute_amount_settled",
            "disputes_overdue",
        ),
        key=6,
    ),
    Project(
        "assistance",
        "帮扶工程",
        "Assistance to hardship workers",
        (
            "funds_raised",
            "people_reached",
            "amount_paid",
            "wages_recovered",
            "hardship_files_open",
            "hardship_reviews_overdue",
            "hardship_files_closed",
            "funds_raised_warmth",
            "funds_raised_schooling",
            "funds_raised_summer",
            "funds_from_upper",
            "funds_from_own",
            "funds_from_donation",
            "funds_from_fiscal",
            "funds_from_other",
            "people_reached_warmth",
            "people_reached_schooling",
            "people_reached_summer",
            "hardship_workers_reached",
            "migrant_workers_reached",
            "model_workers_reached",
            "students_reached",
            "workers_sent_home",
            "wage_workers_helped",
        ),
    ),
    Project(
        "foundation",
        "夯基工程",
        "Organising coverage",
        (
            "grassroots_unions",
            "members",
            "coverage_rate",
            "membership_rate",
            "units_covered",
            "units",
            "migrant_members",
            "fie_unions",
            "members_joined",
            "unions_founded",
            "employees_covered",
        ),
    ),
    Project(
        "talent",
        "人才兴会工程",
        "Union cadres",
        (
            "cadres_trained",
            "chairs_elected_directly",
            "cadres_recruited",
            "full_time_cadres",
            "cadres_in_post",
            "chairs_deputy_city",
            "chairs_deputy_county",
            "rights_mechanisms",
            "elections_due",
            "elections_overdue",
            "full_committees",
        ),
    ),
    Project(
        "strength",
        "实力强会工程",
        "Union funds and assets",
        (
            "fund_receipts",
            "collection_rate",
            "arrears_amount",
            "assets_value",
            "levy_due",
            "levy_received",
            "units_in_arrears",
            "fund_receipts_tax",
            "fund_receipts_fiscal",
            "fund_receipts_direct",
            "fund_receipts_preparatory",
            "fund_receipts_grant",
            "fund_receipts_other",
            "fund_share_grassroots",
            "fund_share_county",
            "fund_share_city",
            "fund_share_province",
            "fund_share_national",
            "assets_original_value",
            "cities_with_asset_rules",
            "institutions_assessed",
            "institutions_excellent",
            "institutions_good",
            "institutions_pass",
            "institutions_fail",
            "institution_income",
        ),
    ),
]

_BY_CODE = {p.code: p for p in PROJECTS}


def project(code: str) -> Project:
    return _BY_CODE[code]
