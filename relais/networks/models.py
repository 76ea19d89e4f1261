"""Networks, the membership of organisations in them, their referents, and people's roles per network."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.core.models import TimestampedModel
from relais.core.validators import validate_no_markup

from .enums import MembershipStatus, NetworkScope, ReferentKind, Role


class Network(TimestampedModel):
    """A network of public buyers (e.g. RESECO, regional) — several can live on one instance."""

    name = models.CharField(_("nom"), max_length=200, unique=True, validators=[validate_no_markup])
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    acronym = models.CharField(_("sigle"), max_length=30, blank=True, validators=[validate_no_markup])
    scope = models.CharField(_("échelle"), max_length=20, choices=NetworkScope.choices, default=NetworkScope.REGIONAL)
    description = models.TextField(_("présentation"), blank=True, validators=[validate_no_markup])
    website = models.URLField(_("site web"), blank=True)
    regions = models.ManyToManyField("reference.Region", blank=True, verbose_name=_("régions couvertes"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")

    def __str__(self) -> str:
        return self.acronym or self.name


class Membership(TimestampedModel):
    """An organisation's membership of a network."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(
        _("statut"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    start_date = models.DateField(_("date d'adhésion"), default=dt.date.today)
    end_date = models.DateField(_("date de fin"), null=True, blank=True)

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="membership_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.network}"


class Referent(TimestampedModel):
    """The elected official or the technician who represents a member organisation in the network.

    Personal data: only what the network needs to reach the person (name, position, professional e-mail, phone).
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="referents")
    kind = models.CharField(_("rôle"), max_length=20, choices=ReferentKind.choices)
    full_name = models.CharField(_("nom"), max_length=150, validators=[validate_no_markup])
    position = models.CharField(_("fonction"), max_length=150, blank=True, validators=[validate_no_markup])
    email = models.EmailField(_("e-mail professionnel"), blank=True)
    phone = models.CharField(_("téléphone professionnel"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("référent")
        verbose_name_plural = _("référents")
        constraints = [models.UniqueConstraint(fields=["membership", "kind"], name="referent_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_kind_display()})"


class NetworkRoleQuerySet(models.QuerySet["NetworkRole"]):
    def active(self) -> NetworkRoleQuerySet:
        return self.filter(user__is_active=True)


class NetworkRole(TimestampedModel):
    """What a person may do in one network, on behalf of one organisation (none for animators of the network)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_roles")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="people_roles"
    )

    objects = NetworkRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("rôle dans un réseau")
        verbose_name_plural = _("rôles dans les réseaux")
        constraints = [models.UniqueConstraint(fields=["user", "network", "role"], name="networkrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.network}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=14)


class Invitation(TimestampedModel):
    """An animator invites someone by e-mail to take a role in the network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("organisation")
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(_("expire le"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.network}"

    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
