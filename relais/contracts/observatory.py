"""Reads of the indicator pages beyond one scope's figures (issue 4): what a buyer is compared with, and the
per-member figures of a network. Like `indicators.py`, they read the cubes, never the contracts.

A buyer is compared with the networks its legal person belongs to (active memberships of an organisation with the
same SIREN, the way `indicators.member_sirens` matches members to DECP buyers), with its département and with the
country. Its département is the one of the matching organisation in Relais when it has one; otherwise the
département where most of its contracts are executed (DECP gives no buyer address).

A network's per-member figures say who its members are: the pages show them to the network's members only (see
`perms.can_read_member_figures`); the network's totals are public.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum

from relais.networks.enums import MembershipStatus
from relais.networks.models import Membership, Network
from relais.organisations.models import Organisation
from relais.reference.models import Departement as DepartementRow

from .indicators import Buyer, buyer_year_rows
from .models import BuyerYearCube

SIRET_LENGTH = 14
SIREN_LENGTH = 9


def buyer_siren(buyer: Buyer) -> str:
    """The legal person of a buyer identifier: the first nine digits of a SIRET, a SIREN itself, else the identifier
    as published (the rule of the cubes' `buyer_siren`)."""
    identifier = buyer.identifier.strip()
    return identifier[:SIREN_LENGTH] if len(identifier) == SIRET_LENGTH else identifier


def buyer_organisation(buyer: Buyer) -> Organisation | None:
    """The organisation of Relais that is this buyer: same SIRET, else same SIREN (the oldest first)."""
    identifier = buyer.identifier.strip()
    if len(identifier) == SIRET_LENGTH:
        same = Organisation.objects.filter(siret=identifier).first()
        if same is not None:
            return same
    siren = buyer_siren(buyer)
    if len(siren) != SIREN_LENGTH or not siren.isdigit():
        return None
    return Organisation.objects.filter(Q(siren=siren) | Q(siret__startswith=siren)).order_by("created_at", "pk").first()


def buyer_networks(buyer: Buyer) -> list[Network]:
    """Networks whose active members include the buyer's legal person (same SIREN), by name."""
    siren = buyer_siren(buyer)
    if len(siren) != SIREN_LENGTH or not siren.isdigit():
        return []
    memberships = Membership.objects.filter(status=MembershipStatus.ACTIVE).filter(
        Q(organisation__siren=siren) | Q(organisation__siret__startswith=siren)
    )
    return list(Network.objects.filter(pk__in=memberships.values("network_id")).order_by("name"))


@dataclass(frozen=True)
class BuyerDepartement:
    """The département a buyer is compared with, and where it comes from (`from_organisation`: the address known
    to Relais; otherwise the place of execution of most of its contracts)."""

    departement: DepartementRow
    from_organisation: bool


def buyer_departement(buyer: Buyer, organisation: Organisation | None = None) -> BuyerDepartement | None:
    """The buyer's département (see the module docstring); None when neither is known."""
    if organisation is not None and organisation.departement_id is not None:
        known = DepartementRow.objects.filter(pk=organisation.departement_id).first()
        if known is not None:
            return BuyerDepartement(known, from_organisation=True)
    busiest = (
        buyer_year_rows(buyer)
        .exclude(departement_code="")
        .values("departement_code")
        .annotate(total=Sum("contracts"))
        .order_by("-total", "departement_code")
        .first()
    )
    if busiest is None:
        return None
    departement = DepartementRow.objects.filter(code=busiest["departement_code"]).first()
    return BuyerDepartement(departement, from_organisation=False) if departement is not None else None


@dataclass(frozen=True)
class MemberFigures:
    """One member organisation of a network and its contracts over the years asked: how many, their plausible
    amounts, and how many have known / at least one social and environmental consideration. `siren` is "" when the
    organisation has neither SIREN nor SIRET (it cannot be matched to DECP buyers)."""

    organisation: Organisation
    siren: str
    contracts: int
    value: int
    social_known: int
    social_some: int
    environmental_known: int
    environmental_some: int

    @property
    def social_share(self) -> float | None:
        return self.social_some / self.social_known if self.social_known else None

    @property
    def environmental_share(self) -> float | None:
        return self.environmental_some / self.environmental_known if self.environmental_known else None


def member_figures(network: Network, *, years: Iterable[int] | None = None) -> list[MemberFigures]:
    """Each active member of the network with its figures (members without contracts included, with zeros), the
    most contracts first. Members sharing a SIREN each show the legal person's figures. Two queries."""
    organisations = [
        membership.organisation
        for membership in Membership.objects.filter(network=network, status=MembershipStatus.ACTIVE)
        .select_related("organisation")
        .order_by("organisation__name")
    ]
    sirens = {org.pk: org.siren or (org.siret or "")[:SIREN_LENGTH] for org in organisations}
    rows = BuyerYearCube.objects.filter(buyer_siren__in=set(sirens.values()) - {""})
    if years is not None:
        rows = rows.filter(year__in=list(years))
    sums: dict[str, dict[str, Any]] = {
        row["buyer_siren"]: dict(row)
        for row in rows.values("buyer_siren")
        .annotate(
            n=Sum("contracts"),
            v=Sum("value"),
            sk=Sum("social_known"),
            ss=Sum("social_some"),
            ek=Sum("environmental_known"),
            es=Sum("environmental_some"),
        )
        .order_by()
    }
    figures = []
    for organisation in organisations:
        siren = sirens[organisation.pk]
        row: dict[str, Any] = sums.get(siren, {})
        figures.append(
            MemberFigures(
                organisation=organisation,
                siren=siren,
                contracts=int(row.get("n") or 0),
                # Sums read from SQLite are binary floats: whole euros are enough for a ranking table.
                value=round(row.get("v") or 0),
                social_known=int(row.get("sk") or 0),
                social_some=int(row.get("ss") or 0),
                environmental_known=int(row.get("ek") or 0),
                environmental_some=int(row.get("es") or 0),
            )
        )
    return sorted(figures, key=lambda item: (-item.contracts, item.organisation.name))
