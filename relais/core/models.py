"""Abstract bases shared by the domain models, and the record of the periodic jobs' slots."""

import uuid

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
