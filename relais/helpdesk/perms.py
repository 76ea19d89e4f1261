"""Who may ask, read and handle helpdesk questions, and read or edit FAQ entries. Views call these by name."""

from __future__ import annotations

from typing import Any

from relais.networks.enums import Role
from relais.networks.models import Network, NetworkRole
from relais.networks.perms import is_animator, is_member, network_ids_with_roles

from .enums import FaqVisibility, QuestionStatus
from .models import FaqEntry, HelpdeskSettings, Question

# Buyers (members) and clause facilitators ask the helpdesk for their organisation; suppliers do not: the
# helpdesk advises buyers on their tenders.
ASKER_ROLES = frozenset({Role.MEMBER, Role.FACILITATOR})


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def asker_organisations(user: Any) -> dict[int, int]:
    """Network id → organisation id on whose behalf the user may ask there (member role first)."""
    if not _signed_in(user):
        return {}
    found: dict[int, int] = {}
    rows = NetworkRole.objects.filter(user=user, role__in=ASKER_ROLES, organisation__isnull=False).order_by("role")
    for network_id, organisation_id in rows.values_list("network_id", "organisation_id"):
        found.setdefault(network_id, organisation_id)
    return found


def can_ask(user: Any, network: Network | None = None) -> bool:
    """Members and facilitators ask in their networks, on behalf of the organisation of their role."""
    networks = network_ids_with_roles(user, ASKER_ROLES)
    return bool(networks) if network is None else network.pk in networks


def is_asker_side(user: Any, question: Question) -> bool:
    """The question belongs to an organisation: everyone with a role in the question's network for that same
    organisation reads it (a colleague can follow up when the asker is away); nobody else of the network does."""
    if not _signed_in(user):
        return False
    return NetworkRole.objects.filter(
        user=user, network_id=question.network_id, organisation_id=question.organisation_id
    ).exists()


def is_expert(user: Any, network_id: int) -> bool:
    """An expert is named by the network's animators in the helpdesk settings."""
    return _signed_in(user) and HelpdeskSettings.objects.filter(network_id=network_id, experts=user).exists()


def is_helpdesk_staff(user: Any, network_id: int) -> bool:
    return is_animator(user, network_id) or is_expert(user, network_id)


def can_handle(user: Any, question: Question) -> bool:
    """The network's animators handle every question of the network; an expert only those assigned to them."""
    if is_animator(user, question.network_id):
        return True
    return _signed_in(user) and question.assignee_id == user.pk and is_expert(user, question.network_id)


def can_view_question(user: Any, question: Question) -> bool:
    """Private: the asker's organisation (see is_asker_side) and the people who handle it. Anyone else gets 404."""
    return is_asker_side(user, question) or can_handle(user, question)


def can_answer(user: Any, question: Question) -> bool:
    return question.status != QuestionStatus.CLOSED and can_handle(user, question)


def can_add_note(user: Any, question: Question) -> bool:
    """Internal notes are written and read by the helpdesk team only, never by the asker's side."""
    return can_handle(user, question)


def can_assign(user: Any, question: Question) -> bool:
    """Only the network's animators (re)assign a question."""
    return question.status != QuestionStatus.CLOSED and is_animator(user, question.network_id)


def can_close(user: Any, question: Question) -> bool:
    return question.status != QuestionStatus.CLOSED and can_handle(user, question)


def can_reply(user: Any, question: Question) -> bool:
    """The asker's side adds to the thread while the question is open; a closed question must be reopened."""
    return question.status != QuestionStatus.CLOSED and is_asker_side(user, question)


def can_reopen(user: Any, question: Question) -> bool:
    return question.status == QuestionStatus.CLOSED and is_asker_side(user, question)


def can_set_consent(user: Any, question: Question) -> bool:
    """Only the person who asked agrees (or stops agreeing) to an anonymised FAQ entry: it is their question."""
    return _signed_in(user) and question.asker_id == user.pk


def can_publish_faq(user: Any, question: Question) -> bool:
    """An animator turns a question into a FAQ entry only once it was answered AND the asker consented (again,
    for an entry withdrawn when the asker withdrew their consent)."""
    return (
        is_animator(user, question.network_id)
        and question.faq_consent
        and question.first_answered_at is not None
        and not FaqEntry.objects.published().filter(source_question=question).exists()
    )


def can_view_inbox(user: Any) -> bool:
    if getattr(user, "is_site_admin", False):
        return True
    return bool(network_ids_with_roles(user, frozenset({Role.ANIMATOR}))) or (
        _signed_in(user) and HelpdeskSettings.objects.filter(experts=user).exists()
    )


def can_edit_settings(user: Any, network: Network) -> bool:
    return is_animator(user, network)


def can_view_faq(user: Any, entry: FaqEntry) -> bool:
    """Public entries for everyone; members-only ones for the members of the entry's network (not suppliers)."""
    return entry.visibility == FaqVisibility.PUBLIC or is_member(user, entry.network_id)


def can_edit_faq(user: Any, entry: FaqEntry) -> bool:
    return is_animator(user, entry.network_id)
