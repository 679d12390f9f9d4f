"""Who may see what of the exchange, and how other apps find the partner behind an organisation.

Contract:

* ``remote_of(organisation)`` says whether an organisation is the stand-in of a partner's
  organisation (and which); local code uses it to decide that a referral leaves the
  installation.
* The exchange pages show partners, counts, message ids, kinds and errors: never a body. Site
  administrators see the whole installation; an organisation's administrators see the partners
  and the messages their own organisation sent or received. Everybody else gets the same 404
  as for a page that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from okoa.accounts.models import Capability, Membership, Organisation, User
from okoa.exchange.models import (
    InboundMessage,
    OutboundMessage,
    Partner,
    RefusedMessage,
    RemoteOrganisation,
)


def remote_of(organisation: Organisation) -> RemoteOrganisation | None:
    """The partner's organisation that ``organisation`` stands in for, or None if it is local."""
    return (
        RemoteOrganisation.objects.select_related("partner")
        .filter(organisation=organisation)
        .first()
    )


def is_local(organisation: Organisation) -> bool:
    """Whether ``organisation`` is one of this installation's own (not a stand-in)."""
    return not RemoteOrganisation.objects.filter(organisation=organisation).exists()


def local_organisations() -> QuerySet[Organisation]:
    """This installation's own active organisations: what its directory publishes."""
    return Organisation.objects.filter(is_active=True, exchange_remote__isnull=True).order_by(
        "name"
    )


@dataclass(frozen=True)
class ExchangeScope:
    """What one viewer of the exchange pages may see."""

    whole_installation: bool
    organisation: Organisation | None = None

    def outbound(self) -> QuerySet[OutboundMessage]:
        messages = OutboundMessage.objects.all()
        if not self.whole_installation:
            messages = messages.filter(from_organisation=self.organisation)
        return messages

    def inbound(self) -> QuerySet[InboundMessage]:
        messages = InboundMessage.objects.all()
        if not self.whole_installation:
            messages = messages.filter(to_organisation=self.organisation)
        return messages


def exchange_scope_for_user(user: User, membership: Membership | None) -> ExchangeScope:
    """The scope of the exchange pages for ``user``; Http404 for those who may not see them."""
    if user.is_authenticated and user.is_active and user.is_staff:
        return ExchangeScope(whole_installation=True)
    if membership is not None and membership.can(Capability.MANAGE_MEMBERS):
        return ExchangeScope(whole_installation=False, organisation=membership.organisation)
    raise Http404


def get_partner_for_site_admin(user: User, code: str) -> Partner:
    """A partner, for a site administrator acting on it; Http404 for anybody else."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Http404
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise Http404
    return partner


@dataclass
class PartnerRow:
    """One line of the exchange page: a partner and the state of its messages."""

    partner: Partner
    organisations: int = 0
    outbound: dict[str, int] = field(default_factory=dict)
    inbound: int = 0
    last_delivered_at: object = None
    last_received_at: object = None

    @property
    def waiting(self) -> int:
        """Messages not delivered yet that will still be tried."""
        statuses = OutboundMessage.Status
        return sum(
            self.outbound.get(status, 0)
            for status in (statuses.QUEUED, statuses.SENDING, statuses.FAILED)
        )

    @property
    def delivered(self) -> int:
        return self.outbound.get(OutboundMessage.Status.DELIVERED, 0)

    @property
    def given_up(self) -> int:
        return self.outbound.get(OutboundMessage.Status.GIVEN_UP, 0)


@dataclass
class Overview:
    """The exchange page: partners with counts, recent failures and refusals (no bodies)."""

    partners: list[PartnerRow]
    failures: list[OutboundMessage]
    refused: list[RefusedMessage]


def overview_for(scope: ExchangeScope, *, recent: int = 20) -> Overview:
    """Partners and message counts within ``scope``, in a fixed number of queries."""
    partners = Partner.objects.annotate(
        active_organisations=Count("organisations", filter=Q(organisations__is_active=True))
    ).order_by("name")
    rows = {
        partner.pk: PartnerRow(partner=partner, organisations=partner.active_organisations)
        for partner in partners
    }
    for line in (
        scope.outbound()
        .values("partner_id", "status")
        .annotate(count=Count("id"), last=Max("delivered_at"))
        .order_by()
    ):
        row = rows[line["partner_id"]]
        row.outbound[line["status"]] = line["count"]
        if line["last"] and (row.last_delivered_at is None or line["last"] > row.last_delivered_at):
            row.last_delivered_at = line["last"]
    for received in (
        scope.inbound()
        .values("partner_id")
        .annotate(count=Count("id"), last=Max("received_at"))
        .order_by()
    ):
        rows[received["partner_id"]].inbound = received["count"]
        rows[received["partner_id"]].last_received_at = received["last"]
    failures = list(
        scope.outbound()
        .filter(status__in=[OutboundMessage.Status.FAILED, OutboundMessage.Status.GIVEN_UP])
        .select_related("partner")
        .defer("body")
        .order_by("-next_attempt_at", "-id")[:recent]
    )
    refused = (
        list(RefusedMessage.objects.select_related("partner").order_by("-at")[:recent])
        if scope.whole_installation
        else []
    )
    return Overview(partners=list(rows.values()), failures=failures, refused=refused)
