"""Every read of the assistance records, scoped to the acting user's subtree.

Records sit at an organisation (the union holding a file, proposing a recipient, raising
money, handling a case) and are seen through it. A campaign is seen by its organiser's
subtree and by the unions taking part in it (and the levels between): a county taking
part in the province's 送温暖 sees the campaign, its balance, and its own proposals only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
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
from unionworks.core.identity import id_index_of
from unionworks.core.scoping import (
    SEGMENT,
    get_in_subtree_or_404,
    is_in_subtree,
    root_org_of,
    scope_to_subtree,
    subtree_filter,
)
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.models import Org
from unionworks.stats.sources import MONEY_SUM, fen, money_sum

_MASKED = re.compile(r"^(\d{4})\*+(\d{3}[\dXx])$")


def paid_value():
    return F("cash") + F("goods_value")


def _person_filter(records: QuerySet, q: str, id_index: str = "") -> QuerySet:
    """By full ID number (blind index: typed, or already turned into ``id_index`` by
    core.idsearch), masked number, or name."""
    if id_index:
        return records.filter(id_number_index=id_index)
    q = "".join((q or "").split())
    if not q:
        return records
    index = id_index_of(q) if len(q) >= 15 else None
    masked = _MASKED.match(q)
    if index:
        return records.filter(id_number_index=index)
    if masked:
        head, tail = masked.groups()
        return records.filter(id_number_mask=f"{head}{'*' * 10}{tail.upper()}")
    return records.filter(name__startswith=q)


def _under(records: QuerySet, actor, org_id: int | None, field: str = "org__path") -> QuerySet:
    if not org_id:
        return records
    return records.filter(**subtree_filter(org_selectors.org_for(actor, org_id).path, field))


# ---- hardship files ------------------------------------------------------------------------


def one_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def file_open_on(day: dt.date) -> Q:
    """Files open on ``day``: opened by then, not yet closed."""
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def review_overdue_on(day: dt.date) -> Q:
    """Open files whose last review (or opening) is more than a year before ``day``.

    Read from the review records, so the figure for any past day stays reproducible.
    """
    cutoff = one_year_before(day)
    reviewed = HardshipReview.objects.filter(
        file=OuterRef("pk"), reviewed_on__gte=cutoff, reviewed_on__lte=day
    )
    return file_open_on(day) & Q(opened_on__lt=cutoff) & ~Exists(reviewed)


def files_for(
    actor,
    *,
    q: str = "",
    status: str = "",
    level: str = "",
    org_id: int | None = None,
    overdue: bool = False,
    as_of: dt.date | None = None,
    id_index: str = "",
) -> QuerySet[HardshipFile]:
    files = scope_to_subtree(HardshipFile.objects.select_related("org", "centre"), actor)
    files = _under(files, actor, org_id)
    if status:
        files = files.filter(status=status)
    if level:
        files = files.filter(level=level)
    if overdue:
        files = files.filter(review_overdue_on(as_of or timezone.localdate()))
    files = _person_filter(files, q, id_index)
    return files.defer("id_number_cipher", "phone_cipher").order_by("-opened_on", "-id")


def file_for(actor, file_id: int) -> HardshipFile:
    return get_in_subtree_or_404(
        HardshipFile.objects.select_related("org", "centre", "unit", "member"), actor, pk=file_id
    )


def open_files_of(index: str) -> QuerySet[HardshipFile]:
    return HardshipFile.objects.filter(id_number_index=index, status=HardshipFile.Status.OPEN)


# ---- centres -------------------------------------------------------------------------------


def centres_for(actor, *, org_id: int | None = None) -> QuerySet[AssistanceCentre]:
    centres = scope_to_subtree(AssistanceCentre.objects.select_related("org"), actor)
    centres = _under(centres, actor, org_id)
    funding = (
        CentreFunding.objects.filter(centre=OuterRef("pk"))
        .values("centre")
        .annotate(total=money_sum("amount"))
        .values("total")
    )
    files = (
        HardshipFile.objects.filter(centre=OuterRef("pk"), status=HardshipFile.Status.OPEN)
        .values("centre")
        .annotate(count=Count("id"))
        .values("count")
    )
    return centres.annotate(
        funding_total=Subquery(funding, output_field=MONEY_SUM),
        open_files=Subquery(files),
    ).order_by("org__path", "name", "id")


def centre_for(actor, centre_id: int) -> AssistanceCentre:
    return get_in_subtree_or_404(
        AssistanceCentre.objects.select_related("org"), actor, pk=centre_id
    )


# ---- campaigns -----------------------------------------------------------------------------


def ancestor_paths(org: Org) -> list[str]:
    """The paths of ``org`` and every org above it."""
    return [org.path[: i * SEGMENT] for i in range(1, len(org.path) // SEGMENT + 1)]


def campaign_scope(actor) -> Q:
    """Campaigns organised in the actor's subtree, or in which the subtree takes part."""
    root = root_org_of(actor)
    through = Campaign.participants.through
    listed = through.objects.filter(campaign=OuterRef("pk"))
    near = listed.filter(
        Q(org__path__in=ancestor_paths(root)) | Q(**subtree_filter(root.path, "org__path"))
    )
    return (
        Q(**subtree_filter(root.path, "org__path"))
        | (Q(org__path__in=ancestor_paths(root)) & ~Exists(listed))
        | Exists(near)
    )


def campaigns_for(actor, *, year: int | None = None, kind: str = "") -> QuerySet[Campaign]:
    campaigns = Campaign.objects.filter(campaign_scope(actor)).select_related("org")
    if year:
        campaigns = campaigns.filter(year=year)
    if kind:
        campaigns = campaigns.filter(kind=kind)
    return campaigns.order_by("-year", "-start_date", "-id")


def campaign_for(actor, campaign_id: int) -> Campaign:
    campaign = campaigns_for(actor).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def takes_part(campaign: Campaign, org: Org) -> bool:
    """The organiser and the subtrees of the unions listed (of its whole subtree if none)."""
    if not is_in_subtree(org, campaign.org):
        return False
    if org.pk == campaign.org_id:
        return True
    participants = list(campaign.participants.all())
    return not participants or any(is_in_subtree(org, p) for p in participants)


def can_manage_campaign(actor, campaign: Campaign) -> bool:
    """The organiser's side: edit it and see every proposal."""
    return is_in_subtree(campaign.org, actor)


def proposing_orgs_for(actor, campaign: Campaign) -> QuerySet[Org]:
    """Orgs of the actor's subtree that may propose recipients or raise funds for the campaign."""
    orgs = org_selectors.orgs_for(actor).filter(**subtree_filter(campaign.org.path))
    participants = list(campaign.participants.all())
    if participants:
        condition = Q(pk=campaign.org_id)
        for participant in participants:
            condition |= Q(**subtree_filter(participant.path))
        orgs = orgs.filter(condition)
    return orgs.order_by("path")


@dataclass
class Totals:
    """A campaign's money: raised, committed (approved, not yet paid), paid and the balance."""

    raised_cash: Decimal
    raised_goods: Decimal
    proposed: Decimal
    approved: Decimal
    paid: Decimal
    paid_count: int
    waiting: int

    @property
    def raised(self) -> Decimal:
        return self.raised_cash + self.raised_goods

    @property
    def balance(self) -> Decimal:
        """What may still be paid out: raised minus paid."""
        return self.raised - self.paid

    @property
    def uncommitted(self) -> Decimal:
        """The balance less what is approved and waiting to be paid."""
        return self.balance - self.approved


def campaign_totals(campaign: Campaign) -> Totals:
    raised = FundRaising.objects.filter(campaign=campaign).aggregate(
        cash=money_sum("cash"), goods=money_sum("goods_value")
    )
    S = Disbursement.Status
    disbursed = Disbursement.objects.filter(campaign=campaign).aggregate(
        proposed=money_sum(paid_value(), filter=Q(status=S.PROPOSED)),
        approved=money_sum(paid_value(), filter=Q(status=S.APPROVED)),
        paid=money_sum(paid_value(), filter=Q(status=S.PAID)),
        paid_count=Count("id", filter=Q(status=S.PAID)),
        waiting=Count("id", filter=Q(status=S.PROPOSED)),
    )
    return Totals(
        raised_cash=fen(raised["cash"]),
        raised_goods=fen(raised["goods"]),
        proposed=fen(disbursed["proposed"]),
        approved=fen(disbursed["approved"]),
        paid=fen(disbursed["paid"]),
        paid_count=disbursed["paid_count"],
        waiting=disbursed["waiting"],
    )


def raisings_for(
    actor, *, campaign: Campaign | None = None, org_id: int | None = None
) -> QuerySet[FundRaising]:
    raisings = scope_to_subtree(FundRaising.objects.select_related("org", "campaign"), actor)
    if campaign is not None:
        raisings = raisings.filter(campaign=campaign)
    return _under(raisings, actor, org_id).order_by("-received_on", "-id")


def raising_for(actor, raising_id: int) -> FundRaising:
    return get_in_subtree_or_404(
        FundRaising.objects.select_related("org", "campaign", "campaign__org"), actor, pk=raising_id
    )


# ---- disbursements -------------------------------------------------------------------------


def disbursements_for(
    actor,
    *,
    campaign: Campaign | None = None,
    status: str = "",
    category: str = "",
    q: str = "",
    org_id: int | None = None,
    id_index: str = "",
) -> QuerySet[Disbursement]:
    records = scope_to_subtree(
        Disbursement.objects.select_related("org", "campaign", "campaign__org"), actor
    )
    if campaign is not None:
        records = records.filter(campaign=campaign)
    if status:
        records = records.filter(status=status)
    if category:
        records = records.filter(category=category)
    records = _under(records, actor, org_id)
    records = _person_filter(records, q, id_index)
    return records.defer("id_number_cipher").order_by("-id")


def disbursement_for(actor, disbursement_id: int) -> Disbursement:
    return get_in_subtree_or_404(
        Disbursement.objects.select_related(
            "org", "campaign", "campaign__org", "hardship_file", "member"
        ),
        actor,
        pk=disbursement_id,
    )


def review_queue_for(actor) -> QuerySet[Disbursement]:
    """Proposals waiting for a reviewer of the actor's subtree, oldest first."""
    return disbursements_for(actor, status=Disbursement.Status.PROPOSED).order_by(
        "proposed_on", "id"
    )


# ---- wage arrears and safe return ----------------------------------------------------------


def wage_cases_for(
    actor, *, status: str = "", q: str = "", org_id: int | None = None
) -> QuerySet[WageArrearsCase]:
    cases = scope_to_subtree(
        WageArrearsCase.objects.select_related("org", "unit", "campaign"), actor
    )
    if status:
        cases = cases.filter(status=status)
    q = (q or "").strip()
    if q:
        cases = cases.filter(employer_name__icontains=q)
    return _under(cases, actor, org_id).order_by("-opened_on", "-id")


def wage_case_for(actor, case_id: int) -> WageArrearsCase:
    return get_in_subtree_or_404(
        WageArrearsCase.objects.select_related("org", "unit", "campaign"), actor, pk=case_id
    )


def trips_for(
    actor, *, campaign: Campaign | None = None, org_id: int | None = None
) -> QuerySet[SafeReturnTrip]:
    trips = scope_to_subtree(SafeReturnTrip.objects.select_related("org", "campaign"), actor)
    if campaign is not None:
        trips = trips.filter(campaign=campaign)
    return _under(trips, actor, org_id).order_by("-trip_date", "-id")


def trip_for(actor, trip_id: int) -> SafeReturnTrip:
    return get_in_subtree_or_404(
        SafeReturnTrip.objects.select_related("org", "campaign"), actor, pk=trip_id
    )
