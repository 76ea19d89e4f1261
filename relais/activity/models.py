"""Weekly digest e-mail: who opted in, for which network, and which weeks were already sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.core.models import TimestampedModel


class DigestSubscription(TimestampedModel):
    """A person's choice to receive (or not) the weekly digest of one network. Off until they opt in: a digest is
    never sent to someone who did not ask for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_subscriptions",
        verbose_name=_("personne"),
    )
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="+", verbose_name=_("réseau")
    )
    opted_in = models.BooleanField(_("reçoit la lettre hebdomadaire"), default=False)

    class Meta:
        ordering = ["network__name"]
        verbose_name = _("abonnement à la lettre hebdomadaire")
        verbose_name_plural = _("abonnements à la lettre hebdomadaire")
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="digestsubscription_one_per_network"),
        ]
        indexes = [models.Index(fields=["opted_in", "network"], name="digestsubscription_sending")]

    def __str__(self) -> str:
        return f"{self.user} — {self.network} ({'oui' if self.opted_in else 'non'})"


class DigestDelivery(TimestampedModel):
    """One digest sent to one person for one network and one ISO week. The unique constraint is what makes
    sending idempotent: a week already recorded is never sent again, even by two runs at the same moment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("personne")
    )
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="+", verbose_name=_("réseau")
    )
    week = models.CharField(_("semaine ISO"), max_length=8, help_text=_("Par exemple 2026-W47."))
    sent_at = models.DateTimeField(_("envoyée le"))
    item_count = models.PositiveIntegerField(_("nombre de nouveautés"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("lettre hebdomadaire envoyée")
        verbose_name_plural = _("lettres hebdomadaires envoyées")
        constraints = [
            models.UniqueConstraint(fields=["user", "network", "week"], name="digestdelivery_once_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.network} — {self.week}"
