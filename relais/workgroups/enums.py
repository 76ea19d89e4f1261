from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkGroupStatus(models.TextChoices):
    """Life of a working group: open for participants → running → closed (see services.TRANSITIONS)."""

    OPEN = "open", _("Ouvert aux participants")
    RUNNING = "running", _("En cours")
    CLOSED = "closed", _("Clos")


class DeliverableKind(models.TextChoices):
    SYNTHESIS_GUIDE = "synthesis_guide", _("Guide de synthèse et préconisations")
    OTHER = "other", _("Autre livrable")


class Publication(models.TextChoices):
    MEMBERS = "members", _("Réservé aux adhérents du réseau")
    PUBLIC = "public", _("Public")
