"""The members-only directory of a network: its member organisations and their elected and technician referents.

Referents are personal data (name, position, professional e-mail and phone): only the members of the network read
them (relais.networks.perms.is_member), every reading is logged by the page that shows them, and only animators
export them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from relais.networks.enums import MembershipStatus, ReferentKind
from relais.networks.models import Membership, Network, Referent
from relais.organisations.enums import BuyerCategory, OrganisationKind, SupportCategory
from relais.reference.models import Departement

# Columns of the directory exports, with their French titles, in order.
EXPORT_COLUMNS: dict[str, str] = {
    "organisation": "Organisation",
    "kind": "Nature",
    "category": "Catégorie",
    "siret": "SIRET",
    "departement": "Département",
    "city": "Commune",
    "status": "Statut de l'adhésion",
    "start_date": "Adhérent depuis",
    "end_date": "Fin d'adhésion",
    "elected_name": "Élu référent",
    "elected_position": "Fonction de l'élu",
    "elected_email": "E-mail de l'élu",
    "elected_phone": "Téléphone de l'élu",
    "technician_name": "Technicien référent",
    "technician_position": "Fonction du technicien",
    "technician_email": "E-mail du technicien",
    "technician_phone": "Téléphone du technicien",
}


@dataclass(frozen=True)
class MemberFilters:
    """Filters of the directory: the organisation's kind and its département (INSEE code). Unknown values are
    ignored rather than refused: the page is a listing, not a form that saves anything."""

    kind: str = ""
    departement: str = ""

    @classmethod
    def from_querydict(cls, data: Mapping[str, Any]) -> MemberFilters:
        kind = str(data.get("nature") or "").strip()
        departement = str(data.get("departement") or "").strip()[:3]
        return cls(kind=kind if kind in OrganisationKind.values else "", departement=departement)

    def is_empty(self) -> bool:
        return not (self.kind or self.departement)


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    elected: Referent | None
    technician: Referent | None

    @property
    def organisation(self) -> Any:
        return self.membership.organisation

    @property
    def category(self) -> str:
        organisation = self.organisation
        if organisation.buyer_category:
            return str(BuyerCategory(organisation.buyer_category).label)
        if organisation.support_category:
            return str(SupportCategory(organisation.support_category).label)
        return ""


def active_memberships(network: Network) -> Any:
    return Membership.objects.filter(network=network, status=MembershipStatus.ACTIVE)


def member_directory(network: Network, filters: MemberFilters | None = None) -> list[MemberRow]:
    """Active memberships of the network with their organisation and referents (two queries), by name."""
    filters = filters or MemberFilters()
    memberships = (
        active_memberships(network)
        .select_related("organisation", "organisation__departement")
        .prefetch_related("referents")
        .order_by("organisation__name", "id")
    )
    if filters.kind:
        memberships = memberships.filter(organisation__kind=filters.kind)
    if filters.departement:
        memberships = memberships.filter(organisation__departement__code=filters.departement)
    rows = []
    for membership in memberships:
        referents = {referent.kind: referent for referent in membership.referents.all()}
        rows.append(MemberRow(membership, referents.get(ReferentKind.ELECTED), referents.get(ReferentKind.TECHNICIAN)))
    return rows


def departement_choices(network: Network) -> list[Departement]:
    """Départements of the network's active members, for the filter."""
    return list(
        Departement.objects.filter(
            organisation__memberships__network=network, organisation__memberships__status=MembershipStatus.ACTIVE
        )
        .distinct()
        .order_by("code")
    )


def _referent_cells(prefix: str, referent: Referent | None) -> dict[str, str]:
    if referent is None:
        return {f"{prefix}_name": "", f"{prefix}_position": "", f"{prefix}_email": "", f"{prefix}_phone": ""}
    return {
        f"{prefix}_name": referent.full_name,
        f"{prefix}_position": referent.position,
        f"{prefix}_email": referent.email,
        f"{prefix}_phone": referent.phone,
    }


def export_rows(rows: list[MemberRow]) -> Iterator[dict[str, Any]]:
    """The directory as rows keyed like EXPORT_COLUMNS (values are plain: text, dates or None)."""
    for row in rows:
        organisation, membership = row.organisation, row.membership
        departement = organisation.departement
        yield {
            "organisation": organisation.name,
            "kind": organisation.get_kind_display(),
            "category": row.category,
            "siret": organisation.siret or organisation.siren or "",
            "departement": f"{departement.code} — {departement.name}" if departement else "",
            "city": organisation.city,
            "status": membership.get_status_display(),
            "start_date": membership.start_date,
            "end_date": membership.end_date,
            **_referent_cells("elected", row.elected),
            **_referent_cells("technician", row.technician),
        }
