"""Who may post, read, moderate and answer sourcing needs. Views call these by name.

A need that the reader may not see answers 404 (its existence is not revealed); a reader who sees it but may not
perform an action gets 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from relais.networks.enums import Role
from relais.networks.models import Network, NetworkRole
from relais.networks.perms import is_animator, member_network_ids, network_ids_with_roles

from .enums import NeedStatus
from .models import NeedMatch, SourcingNeed

# Only buyers post needs: a member of the network acting for its (buyer) organisation. Facilitators and suppliers
# do not buy.
POSTER_ROLES = frozenset({Role.MEMBER})


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def poster_organisations(user: Any) -> dict[int, int]:
    """Network id → buyer organisation id on whose behalf the user may post a need there."""
    if not _signed_in(user):
        return {}
    rows = NetworkRole.objects.filter(user=user, role__in=POSTER_ROLES, organisation__isnull=False)
    return dict(rows.values_list("network_id", "organisation_id"))


def can_post_need(user: Any, network: Network | None = None) -> bool:
    """Members acting for a buyer organisation post needs in their network."""
    networks = poster_organisations(user)
    return bool(networks) if network is None else network.pk in networks


def supplier_organisation_ids(user: Any) -> set[int]:
    """Supplier organisations the user speaks for (the SUPPLIER role, in any network)."""
    if not _signed_in(user):
        return set()
    cached: set[int] | None = getattr(user, "_relais_supplier_orgs", None)
    if cached is None:
        cached = set(
            NetworkRole.objects.filter(user=user, role=Role.SUPPLIER, organisation__isnull=False).values_list(
                "organisation_id", flat=True
            )
        )
        user._relais_supplier_orgs = cached
    return cached


def is_supplier_account(user: Any) -> bool:
    return bool(supplier_organisation_ids(user))


def is_buyer_side(user: Any, need: SourcingNeed) -> bool:
    """The need belongs to its buyer organisation: the author and the colleagues who are members of the network for
    that same organisation follow it (one of them may be away)."""
    if not _signed_in(user):
        return False
    if need.author_id == user.pk:
        return True
    return NetworkRole.objects.filter(
        user=user, network_id=need.network_id, role__in=POSTER_ROLES, organisation_id=need.buyer_id
    ).exists()


def can_moderate(user: Any, need: SourcingNeed) -> bool:
    """The network's animators (and site admins) validate, reject and follow every need of the network."""
    return is_animator(user, need.network_id)


def match_of(user: Any, need: SourcingNeed) -> NeedMatch | None:
    """The notified match of one of the user's supplier organisations, if the need was sent to it."""
    organisations = supplier_organisation_ids(user)
    if not organisations:
        return None
    return (
        NeedMatch.objects.filter(need=need, supplier_id__in=organisations, notified_at__isnull=False)
        .select_related("supplier")
        .order_by("pk")
        .first()
    )


def can_view_need(user: Any, need: SourcingNeed) -> bool:
    """The buyer's side and the animators always; the members of the network once it is validated; a supplier only
    when the need was sent to its organisation (validated or closed since). Anyone else gets 404."""
    if is_buyer_side(user, need) or can_moderate(user, need):
        return True
    if need.status == NeedStatus.VALIDATED and need.network_id in member_network_ids(user):
        return True
    return need.status in (NeedStatus.VALIDATED, NeedStatus.CLOSED) and match_of(user, need) is not None


def can_view_contacts(user: Any, need: SourcingNeed) -> bool:
    """Suppliers' contact details are personal data: only the need's buyer and the network's animators read them."""
    return is_buyer_side(user, need) or can_moderate(user, need)


def can_view_funnel(user: Any, need: SourcingNeed) -> bool:
    """The funnel (notified, opened, interested, not interested) is the animators' follow-up of the network."""
    return can_moderate(user, need)


def can_validate(user: Any, need: SourcingNeed) -> bool:
    return need.status == NeedStatus.SUBMITTED and can_moderate(user, need)


def can_reject(user: Any, need: SourcingNeed) -> bool:
    return need.status == NeedStatus.SUBMITTED and can_moderate(user, need)


def can_close(user: Any, need: SourcingNeed) -> bool:
    """The buyer closes its need when it has found enough suppliers; animators may close it too."""
    return need.status in (NeedStatus.SUBMITTED, NeedStatus.VALIDATED) and (
        is_buyer_side(user, need) or can_moderate(user, need)
    )


def is_open_for_answers(need: SourcingNeed, today: dt.date | None = None) -> bool:
    return need.status == NeedStatus.VALIDATED and need.answer_deadline >= (today or timezone.localdate())


def can_answer(user: Any, need: SourcingNeed) -> bool:
    """A supplier the need was sent to answers (or changes its answer) while the need is open, until its
    deadline."""
    return is_open_for_answers(need) and match_of(user, need) is not None


def can_view_my_requests(user: Any) -> bool:
    return is_supplier_account(user)


def can_view_need_list(user: Any) -> bool:
    """Buyers, facilitators and animators of a network read its validated needs; suppliers have their own list
    ("Mes sollicitations")."""
    return bool(member_network_ids(user))


def can_follow_funnels(user: Any) -> bool:
    """The funnel of every need of a network (and its export) is for its animators (and site admins)."""
    return bool(getattr(user, "is_site_admin", False)) or bool(network_ids_with_roles(user, frozenset({Role.ANIMATOR})))
