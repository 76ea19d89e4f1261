"""Who may see and do what in the supplier directory. Each predicate states the business rule it enforces."""

from __future__ import annotations

from typing import Any

from relais.networks.enums import Role
from relais.networks.perms import MEMBER_ROLES, is_animator, network_ids_with_roles
from relais.organisations.models import Organisation

from .enums import ClaimStatus
from .models import SupplierClaim


def is_network_member(user: Any) -> bool:
    """Members, facilitators and animators of any network (and site admins): the buyers' side of the platform."""
    return bool(getattr(user, "is_site_admin", False) or network_ids_with_roles(user, MEMBER_ROLES))


def sees_unlisted_suppliers(user: Any) -> bool:
    """The whole directory is for the networks' members; anonymous visitors and suppliers see only the suppliers
    who agreed to a public page (a supplier does not browse its competitors' unpublished profiles)."""
    return is_network_member(user)


def can_see_contacts(user: Any) -> bool:
    """Contacts are personal data: logged-in members of a network only (each display is access-logged)."""
    return is_network_member(user)


def can_export_directory(user: Any) -> bool:
    """Members export the results of a directory search (CSV/XLSX)."""
    return is_network_member(user)


def can_manage_supplier(user: Any, organisation: Organisation) -> bool:
    """A supplier's profile is edited by the accounts acting for it — invited with the supplier role for this
    organisation by an animator, or whose claim an animator verified — and by site admins."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "is_site_admin", False):
        return True
    if user.network_roles.filter(role=Role.SUPPLIER, organisation=organisation).exists():
        return True
    return SupplierClaim.objects.filter(user=user, organisation=organisation, status=ClaimStatus.VERIFIED).exists()


def can_view_supplier(user: Any, organisation: Organisation) -> bool:
    """A supplier's page: for everyone when the supplier agreed to a public page (`public_listing`), for the
    networks' members always, and for the accounts acting for the supplier (its own profile)."""
    profile = getattr(organisation, "supplier_profile", None)
    if profile is not None and profile.public_listing:
        return True
    return sees_unlisted_suppliers(user) or can_manage_supplier(user, organisation)


def can_see_contacts_of(user: Any, organisation: Organisation) -> bool:
    """A supplier's contacts: the networks' members (`can_see_contacts`) and the accounts acting for the supplier,
    who read their own contacts. Never anonymous visitors nor other suppliers."""
    return can_see_contacts(user) or can_manage_supplier(user, organisation)


def can_claim_supplier(user: Any) -> bool:
    """Any logged-in account may ask to manage a supplier by its SIRET; an animator of the chosen network checks
    that the person really acts for it before anything can be edited."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_review_claims(user: Any) -> bool:
    """Animators (of any network) and site admins see the queue of claims waiting for them."""
    return bool(getattr(user, "is_site_admin", False) or network_ids_with_roles(user, frozenset({Role.ANIMATOR})))


def can_decide_claim(user: Any, claim: SupplierClaim) -> bool:
    """A claim is verified or refused by an animator of the network it was sent to (or a site admin)."""
    return is_animator(user, claim.network_id)


def can_import_suppliers(user: Any, network: Any = None) -> bool:
    """Bulk imports of supplier lists write to the shared directory: animators (of `network` when given) and site
    admins only."""
    if network is not None:
        return is_animator(user, network)
    return can_review_claims(user)


def can_see_import(user: Any, supplier_import: Any) -> bool:
    """An import (its file and rejected lines, which hold contacts) is for the animators of its network."""
    return is_animator(user, supplier_import.network_id)
