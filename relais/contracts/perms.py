"""Who may do what with the public-contract data. The data itself is public (Licence Ouverte); importing it and
reading the import reports (which hold raw records of quarantine) is for the people who run the platform."""

from __future__ import annotations

from typing import Any

from relais.networks.enums import Role
from relais.networks.models import Network
from relais.networks.perms import is_member, network_ids_with_roles


def can_import(user: Any) -> bool:
    """Site admins and network animators queue DECP imports and read the import reports; nobody else."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_site_admin", False):
        return True
    return bool(network_ids_with_roles(user, frozenset({Role.ANIMATOR})))


def can_read_member_figures(user: Any, network: Network) -> bool:
    """A network's per-member figures (each member buyer's contracts, or the buyers of a network likely obliged to a
    SPASER) tell who its members are, and the members directory is members-only: its members, facilitators and
    animators (and site admins) read them. The network's totals are public, like the data they are made of."""
    return is_member(user, network)
