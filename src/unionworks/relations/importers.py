"""导入集体合同台账: a union's list of contracts (.xlsx or .csv) through the shared pipeline.

Per row: 合同编号 present and not repeated in the file; the covered units found by their
统一社会信用代码 (several for a regional or industry contract, separated by 、 or ；) and
within the actor's subtree; then every rule of ``services.record_contract`` (type, scope,
职代会 approval, term 1–3 years, covered employees, wage figures for wage contracts). A
报送日期, when given, files the contract as ``services.submit_contract`` would.

A contract already on record under the same number with the same figures is left as it
is (re-uploading a list changes nothing); with different figures the row is refused.
"""

from __future__ import annotations

import re

from unionworks.core import changes
from unionworks.core.errors import DomainError
from unionworks.core.importing import Column, ColumnSpec, clean_text, digits_text, parse_date
from unionworks.core.importing.pipeline import Row, register
from unionworks.core.scoping import is_in_subtree
from unionworks.orgs.importing import OrgImporter
from unionworks.orgs.models import Unit
from unionworks.relations import services
from unionworks.relations.models import CollectiveContract, ContractUnit, Scope

CONTRACT_COLUMNS = ColumnSpec(
    columns=(
        Column(
            "number",
            "合同编号",
            ("编号", "备案编号"),
            required=True,
            example="2008-0001",
            text=True,
        ),
        Column("kind", "合同类型", ("类型", "合同种类"), required=True, example="综合"),
        Column("scope", "合同范围", ("范围", "签订层级"), example="企业"),
        Column("region_name", "区域或行业", ("区域", "行业", "区域（行业）")),
        Column(
            "credit_codes",
            "覆盖单位信用代码",
            ("统一社会信用代码", "信用代码", "单位信用代码"),
            required=True,
            text=True,
        ),
        Column("employer_party", "企业方", ("企业名称", "用人单位", "企业方名称"), required=True),
        Column("union_party", "职工方", ("工会名称", "职工方名称"), required=True),
        Column("employer_negotiator", "企业方首席协商代表", ("企业方首席代表",)),
        Column("union_negotiator", "职工方首席协商代表", ("职工方首席代表",)),
        Column("congress_approved_on", "职代会通过日期", ("职代会日期",), required=True),
        Column("congress_present", "到会代表数", ("职代会到会代表",), required=True, example=180),
        Column("congress_votes_for", "赞成票数", ("赞成票",), required=True, example=172),
        Column("signed_on", "签订日期", ("签订时间",), required=True),
        Column("term_years", "期限（年）", ("期限", "合同期限"), required=True, example=3),
        Column("employees_covered", "覆盖职工人数", ("职工人数", "覆盖职工"), required=True),
        Column("women_covered", "其中女职工", ("女职工人数",)),
        Column("migrants_covered", "其中农民工", ("农民工人数",)),
        Column("last_year_wage", "上年职工平均工资（元）", ("上年平均工资",)),
        Column("wage_rise", "约定工资增幅（%）", ("工资增幅", "增幅")),
        Column("submitted_on", "报送日期", ("报送审查日期", "备案日期")),
        Column("note", "备注", ("说明",)),
        Column("serial", "序号", (), in_template=False),
    )
)
KINDS = {
    **dict.fromkeys(["综合", "综合性", "集体合同"], CollectiveContract.Kind.COMPREHENSIVE),
    **dict.fromkeys(["工资专项", "工资", "工资集体协议"], CollectiveContract.Kind.WAGE),
    **dict.fromkeys(["女职工权益保护专项", "女职工专项", "女职工"], CollectiveContract.Kind.WOMEN),
    **dict.fromkeys(
        ["劳动安全卫生专项", "安全卫生专项", "劳动安全卫生"], CollectiveContract.Kind.SAFETY
    ),
}
SCOPES = {
    **dict.fromkeys(["企业", "企业级", ""], Scope.ENTERPRISE),
    **dict.fromkeys(["区域性", "区域"], Scope.REGIONAL),
    **dict.fromkeys(["行业性", "行业"], Scope.INDUSTRY),
}
DATES = ("congress_approved_on", "signed_on", "submitted_on")
NUMBERS = ("congress_present", "congress_votes_for", "term_years", "employees_covered",
           "women_covered", "migrants_covered")  # fmt: skip
_SPLIT = re.compile(r"[、,，;；/\s]+")


@register
class ContractImporter(OrgImporter):
    kind = "contracts"
    title = "集体合同台账"
    columns = CONTRACT_COLUMNS
    model = CollectiveContract
    count_labels = {"recorded": "新登记合同", "submitted": "其中已报送", "unchanged": "已登记未变"}
    unique = {"number": "合同编号"}
    conflict_message = "导入期间他人登记了相同编号的合同"
    help_text = (
        "每行一份集体合同；区域性、行业性合同在“覆盖单位信用代码”中用顿号分隔多个单位。"
        "填写报送日期的合同同时登记报送审查。"
    )

    def check_row(self, row: Row) -> None:
        values = row.values
        row.number = clean_text(values.get("number"))[:40]
        if not row.number:
            self.reject(row, "number", "合同编号不能为空")
        text = "".join(clean_text(values.get("kind")).split())
        row.kind = KINDS.get(text)
        if row.kind is None:
            self.reject(
                row,
                "kind",
                f"合同类型“{text}”无法识别（可填：综合、工资专项、女职工权益保护专项、劳动安全卫生专项）",
            )
        text = "".join(clean_text(values.get("scope")).split())
        row.scope = SCOPES.get(text)
        if row.scope is None:
            self.reject(row, "scope", f"合同范围“{text}”无法识别（可填：企业、区域性、行业性）")
        row.codes = [c.upper() for c in _SPLIT.split(clean_text(values.get("credit_codes"))) if c]
        if not row.codes:
            self.reject(row, "credit_codes", "覆盖单位信用代码不能为空")
        row.dates = {}
        for name in DATES:
            try:
                row.dates[name] = parse_date(values.get(name))
            except ValueError as exc:
                self.reject(row, name, str(exc))
        row.numbers = {}
        for name in NUMBERS:
            text = digits_text(values.get(name))
            row.numbers[name] = text or None

    def duplicate_keys(self, row: Row) -> dict:
        return {"number": row.number}

    def check_batch(self, rows: list[Row]) -> None:
        codes = {code for row in rows for code in row.codes}
        units = {
            u.credit_code: u
            for u in Unit.objects.select_related("org", "union").filter(credit_code__in=codes)
        }
        existing = {
            c.number: c
            for c in CollectiveContract.objects.filter(
                org=self.org, number__in=[r.number for r in rows]
            )
        }
        covered = {}
        for contract_id, unit_id in ContractUnit.objects.filter(
            contract__in=existing.values()
        ).values_list("contract_id", "unit_id"):
            covered.setdefault(contract_id, set()).add(unit_id)
        for row in rows:
            row.units = []
            for code in row.codes:
                unit = units.get(code)
                if unit is None or (self.actor is not None and not _in_scope(unit, self.actor)):
                    self.reject(
                        row,
                        "credit_codes",
                        f"未找到信用代码为“{code}”的单位（须在本组织及下级范围内）",
                    )
                    break
                row.units.append(unit)
            else:
                self.check_rules(row)
            if not row.ok:
                continue
            known = existing.get(row.number)
            if known is not None:
                same = (
                    known.kind == row.fields["kind"]
                    and known.scope == row.fields["scope"]
                    and known.signed_on == row.fields["signed_on"]
                    and known.employees_covered == row.fields["employees_covered"]
                    and covered.get(known.pk, set()) == {u.pk for u in row.units}
                )
                if same:
                    row.unchanged = True
                else:
                    self.reject(row, "number", f"合同编号“{row.number}”已登记为另一份合同")

    def check_rules(self, row: Row) -> None:
        values = row.values
        try:
            row.fields, row.units = services.contract_fields(
                kind=row.kind,
                scope=row.scope,
                units=row.units,
                region_name=clean_text(values.get("region_name")),
                employer_party=clean_text(values.get("employer_party")),
                union_party=clean_text(values.get("union_party")),
                employer_negotiator=clean_text(values.get("employer_negotiator")),
                union_negotiator=clean_text(values.get("union_negotiator")),
                congress_approved_on=row.dates["congress_approved_on"],
                signed_on=row.dates["signed_on"],
                last_year_wage=values.get("last_year_wage"),
                wage_rise=clean_text(values.get("wage_rise")) or None,
                note=clean_text(values.get("note")),
                actor=self.actor,
                **row.numbers,
            )
        except DomainError as exc:
            column = exc.field if exc.field in self.table.columns else ""
            if exc.field == "units":
                column = "credit_codes"
            self.reject(row, column, exc.message)
            return
        submitted = row.dates["submitted_on"]
        if submitted is not None:
            if submitted < row.fields["signed_on"]:
                self.reject(row, "submitted_on", "报送日期不能早于签订日期")
            elif submitted > self.today:
                self.reject(row, "submitted_on", "报送日期不能晚于今天")

    def write(self, rows: list[Row]) -> dict[str, int]:
        contracts = CollectiveContract.objects.bulk_create([self.build(r) for r in rows])
        ContractUnit.objects.bulk_create(
            [
                ContractUnit(contract=contract, unit=unit)
                for contract, row in zip(contracts, rows, strict=True)
                for unit in row.units
            ]
        )
        # Units count where they are registered, which may be above the import's org.
        changes.note({u.org_id for r in rows for u in r.units}, app="relations")
        return {
            "recorded": len(rows),
            "submitted": sum(1 for r in rows if r.dates["submitted_on"] is not None),
        }

    def build(self, row: Row) -> CollectiveContract:
        contract = CollectiveContract(org=self.org, number=row.number, **row.fields)
        submitted = row.dates["submitted_on"]
        if submitted is not None:
            for name, value in services.filing_dates(submitted, contract.term_years).items():
                setattr(contract, name, value)
            contract.first_submitted_on = submitted
        return contract


def _in_scope(unit: Unit, actor) -> bool:
    return is_in_subtree(unit.org, actor) or bool(
        unit.union_id and is_in_subtree(unit.union, actor)
    )
