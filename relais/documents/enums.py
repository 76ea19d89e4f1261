"""Choices of the document library."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    SYNTHESIS = "synthesis", _("Synthèse de groupe de travail")
    CLAUSE_MODEL = "clause_model", _("Modèle de clause")
    TENDER_RULES = "tender_rules", _("Règlement de consultation")
    SPECIFICATIONS = "specifications", _("Cahier des charges (CCTP)")
    AWARD_GRID = "award_grid", _("Grille de critères d'attribution")
    OTHER = "other", _("Autre document")


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Adhérents du réseau")
    WORKGROUP = "workgroup", _("Participants d'un groupe de travail")


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    DONE = "done", _("Texte extrait")
    FAILED = "failed", _("Échec de l'extraction")
