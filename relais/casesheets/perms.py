"""Who may read and change a case sheet. Each predicate states its rule; views call them by name."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from relais.contracts.models import Contract
from relais.networks.models import NetworkRole
from relais.networks.perms import AUTHOR_ROLES, can_author_in, is_animator, is_member

from .enums import SheetStatus, Visibility
from .models import CaseSheet


def can_view(user: Any, sheet: CaseSheet) -> bool:
    """Published public sheets are for everyone; members-only ones for the members of the sheet's network.
    Unpublished sheets are seen by their author and the network's animators only."""
    if sheet.status == SheetStatus.PUBLISHED:
        return sheet.visibility == Visibility.PUBLIC or is_member(user, sheet.network_id)
    return is_author(user, sheet) or is_animator(user, sheet.network_id)


def is_author(user: Any, sheet: CaseSheet) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and sheet.author_id == user.pk


def can_create(user: Any, network: Any) -> bool:
    """Members, facilitators and animators of a network write its sheets."""
    return can_author_in(user, network)


def can_edit(user: Any, sheet: CaseSheet) -> bool:
    """Authors edit their sheet until it is published (then only an animator may change what the public reads);
    animators edit any sheet of their network that is not archived."""
    if sheet.status == SheetStatus.ARCHIVED:
        return False
    if is_animator(user, sheet.network_id):
        return True
    return (
        is_author(user, sheet)
        and sheet.status in {SheetStatus.DRAFT, SheetStatus.RETURNED, SheetStatus.SUBMITTED}
        and can_author_in(user, sheet.network_id)
    )


def can_submit(user: Any, sheet: CaseSheet) -> bool:
    return sheet.status in {SheetStatus.DRAFT, SheetStatus.RETURNED} and (
        is_author(user, sheet) or is_animator(user, sheet.network_id)
    )


def can_review(user: Any, sheet: CaseSheet) -> bool:
    """Only an animator of the sheet's network publishes a submitted sheet or returns it to its author."""
    return sheet.status == SheetStatus.SUBMITTED and is_animator(user, sheet.network_id)


def can_unpublish(user: Any, sheet: CaseSheet) -> bool:
    return sheet.status == SheetStatus.PUBLISHED and is_animator(user, sheet.network_id)


def can_archive(user: Any, sheet: CaseSheet) -> bool:
    return sheet.status != SheetStatus.ARCHIVED and is_animator(user, sheet.network_id)


def can_see_history(user: Any, sheet: CaseSheet) -> bool:
    """The history of changes (who changed what, when) is for the author, the network's animators and site admins."""
    return is_author(user, sheet) or is_animator(user, sheet.network_id)


def contract_draft_network_ids(user: Any, contract: Contract) -> set[int]:
    """Networks in which the user may turn a public contract into a draft case sheet: those where they write sheets
    on behalf of the contract's buyer — the organisation linked to the contract, or the one holding the buyer's
    SIRET. Animators and site admins act for no buyer: they write such a sheet by hand."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    buyer = Q(organisation_id=contract.buyer_id) if contract.buyer_id else Q(pk__in=[])
    if contract.buyer_identifier:
        buyer |= Q(organisation__siret=contract.buyer_identifier)
    roles = NetworkRole.objects.filter(buyer, user=user, role__in=AUTHOR_ROLES, organisation__isnull=False)
    return set(roles.values_list("network_id", flat=True))


def can_draft_from_contract(user: Any, contract: Contract) -> bool:
    """A member starts a case sheet from one of its organisation's contracts (see `contract_draft_network_ids`)."""
    return bool(contract_draft_network_ids(user, contract))
