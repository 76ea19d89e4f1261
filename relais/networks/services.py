"""Invitations: how people join a network.

An animator invites a person by e-mail to a role in their network (optionally on behalf of an organisation);
the person follows the link of the e-mail, creates an account or logs in, and the role is granted. The token is
the only secret: it is single-use and expires (see `Invitation.expires_at`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.accounts.models import User
from relais.accounts.services import user_create
from relais.core.tasks import send_email
from relais.organisations.models import Organisation

from .enums import MembershipStatus, Role
from .models import Invitation, Membership, Network, NetworkRole


class InvitationError(Exception):
    """An invitation the rules refuse. The message is shown to the user."""


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("web:invitation_accept", kwargs={"token": invitation.token})


def _check_organisation(*, network: Network, role: str, organisation: Organisation | None) -> None:
    if role == Role.ANIMATOR and organisation is not None:
        raise InvitationError(_("Un animateur agit pour le réseau : ne choisissez pas d'organisation."))
    if (
        role == Role.MEMBER
        and organisation is not None
        and not Membership.objects.filter(
            network=network, organisation=organisation, status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING]
        ).exists()
    ):
        raise InvitationError(
            _("« %(organisation)s » n'est pas adhérente du réseau : un adhérent représente un membre.")
            % {"organisation": organisation}
        )


def invitation_create(
    *, network: Network, email: str, role: str, organisation: Organisation | None, by: User
) -> Invitation:
    """Invite `email` to take `role` in `network`; the e-mail with the acceptance link leaves after commit.

    Refused when the person already holds that role in the network or a usable invitation to it is pending, so
    that a double click does not send two links.
    """
    email = User.objects.normalize_email(email).strip().lower()
    if role not in Role.values:
        raise InvitationError(_("Choisissez un rôle de la liste."))
    _check_organisation(network=network, role=role, organisation=organisation)
    if NetworkRole.objects.filter(network=network, role=role, user__email__iexact=email).exists():
        raise InvitationError(_("%(email)s a déjà ce rôle dans le réseau.") % {"email": email})
    if Invitation.objects.filter(
        network=network, role=role, email__iexact=email, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).exists():
        raise InvitationError(_("Une invitation est déjà en attente pour %(email)s à ce rôle.") % {"email": email})
    with transaction.atomic():
        invitation = Invitation.objects.create(
            network=network, email=email, role=role, organisation=organisation, invited_by=by
        )
        subject = f"[Relais] Invitation à rejoindre {network.name}"
        on_behalf = f" pour {organisation.name}" if organisation else ""
        deadline = f"{timezone.localtime(invitation.expires_at):%d/%m/%Y}"
        body = (
            f"Bonjour,\n\n{by} vous invite à rejoindre le réseau « {network.name} » sur Relais "
            f"en tant que « {invitation.get_role_display()} »{on_behalf}.\n\n"
            f"Pour accepter l'invitation, suivez ce lien avant le {deadline} :\n"
            f"{invitation_url(invitation)}\n\n"
            "Si vous ne vous attendiez pas à ce message, ignorez-le : rien ne sera créé sans votre accord.\n"
        )
        recipients = [email]
        # Enqueue only once committed: a rolled-back invitation sends no link to a token that does not exist.
        transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=recipients))
    return invitation


def _lock_usable(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable():
        raise InvitationError(
            _("Cette invitation a déjà été utilisée ou a expiré. Demandez-en une nouvelle à l'animateur.")
        )
    return locked


def _grant(invitation: Invitation, user: User) -> NetworkRole:
    role, _created = NetworkRole.objects.get_or_create(
        user=user,
        network=invitation.network,
        role=invitation.role,
        defaults={"organisation": invitation.organisation},
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return role


def invitation_accept(*, invitation: Invitation, user: User) -> NetworkRole:
    """An existing account accepts: only the account whose address received the invitation may use it."""
    if user.email.lower() != invitation.email.lower():
        raise InvitationError(
            _("Cette invitation est adressée à %(email)s : connectez-vous avec ce compte pour l'accepter.")
            % {"email": invitation.email}
        )
    with transaction.atomic():
        invitation = _lock_usable(invitation)
        return _grant(invitation, user)


def invitation_accept_with_new_account(*, invitation: Invitation, full_name: str, password: str) -> User:
    """A person without an account accepts: the account is created with the invited address, then the role."""
    with transaction.atomic():
        invitation = _lock_usable(invitation)
        user = user_create(email=invitation.email, full_name=full_name, password=password)
        _grant(invitation, user)
    return user
