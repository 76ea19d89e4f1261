"""Abstract bases shared by the domain models, and the record of the periodic jobs' slots."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    """Every model users see carries a public UUID (used in URLs, never the integer id) and timestamps."""

    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class ScheduledRun(TimestampedModel):
    """One slot of a periodic job (relais.core.schedule), recorded when the scheduler enqueued the job's task for it,
    in the same transaction. The unique (job, slot) pair is what runs a slot once, however many schedulers run and
    however often they restart."""

    job = models.CharField(_("tâche périodique"), max_length=100)
    slot = models.DateTimeField(_("créneau"))
    task_result_id = models.CharField(_("identifiant de la tâche en file"), max_length=64, blank=True)

    class Meta:
        ordering = ["-slot", "job"]
        verbose_name = _("exécution planifiée")
        verbose_name_plural = _("exécutions planifiées")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduledrun_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} — {timezone.localtime(self.slot):%d/%m/%Y %H:%M}"


class Notification(TimestampedModel):
    """A message in a person's in-app inbox ("Mes notifications"), next to the e-mail that says the same thing.

    Kept minimal on purpose: a title, a short text and the page it points to; no personal data of third parties."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("destinataire")
    )
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("message"), max_length=2000, blank=True)
    url = models.CharField(_("lien"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.title
