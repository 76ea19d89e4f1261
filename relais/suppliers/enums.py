from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    """Kind of service of an activity: it decides which needs and which legal levers fit."""

    SUPPLY = "supply", _("Fournitures")
    SERVICE = "service", _("Prestation de services")
    STAFF_PROVISION = "staff_provision", _("Mise à disposition de personnel / intérim")
    WORKS = "works", _("Travaux")


class Coverage(models.TextChoices):
    COUNTRY = "country", _("Toute la France")
    REGIONS = "regions", _("Des régions")
    DEPARTEMENTS = "departements", _("Des départements")
    RADIUS = "radius", _("Un rayon autour de l'adresse")


class TurnoverBand(models.TextChoices):
    UNDER_100K = "lt_100k", _("Moins de 100 k€")
    FROM_100K = "100k_500k", _("100 k€ à 500 k€")
    FROM_500K = "500k_2m", _("500 k€ à 2 M€")
    FROM_2M = "2m_10m", _("2 M€ à 10 M€")
    OVER_10M = "gt_10m", _("Plus de 10 M€")

    @classmethod
    def upper_bound(cls, band: str) -> int | None:
        """Upper end of a band in euros (None for the open-ended top band): used to compare a supplier's size with
        the amount of a need."""
        bounds: dict[str, int] = {
            cls.UNDER_100K: 100_000,
            cls.FROM_100K: 500_000,
            cls.FROM_500K: 2_000_000,
            cls.FROM_2M: 10_000_000,
        }
        return bounds.get(band)


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("En attente de vérification")
    VERIFIED = "verified", _("Vérifiée")
    REJECTED = "rejected", _("Refusée")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Aperçu prêt")
    APPLIED = "applied", _("Appliqué")
    FAILED = "failed", _("Échec")


class ImportOutcome(models.TextChoices):
    CREATE = "create", _("Créée")
    UPDATE = "update", _("Mise à jour")
    REJECT = "reject", _("Rejetée")
