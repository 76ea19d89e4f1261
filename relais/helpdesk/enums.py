from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionCategory(models.TextChoices):
    LEGAL = "legal", _("Juridique")
    TECHNICAL = "technical", _("Spécifications techniques")
    SOURCING = "sourcing", _("Sourçage")
    SOCIAL_CLAUSES = "social_clauses", _("Clauses sociales")
    ENVIRONMENTAL = "environmental", _("Critères environnementaux")
    SPASER = "spaser", _("SPASER")
    OTHER = "other", _("Autre")


class QuestionStatus(models.TextChoices):
    NEW = "new", _("Nouvelle")
    IN_PROGRESS = "in_progress", _("En cours de traitement")
    ANSWERED = "answered", _("Répondue")
    CLOSED = "closed", _("Close")

    @classmethod
    def open(cls) -> frozenset[str]:
        """Statuses where the question still waits for the helpdesk."""
        return frozenset({cls.NEW, cls.IN_PROGRESS})


class FaqVisibility(models.TextChoices):
    PUBLIC = "public", _("Publique")
    MEMBERS = "members", _("Réservée aux adhérents du réseau")
