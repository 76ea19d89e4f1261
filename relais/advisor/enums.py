from django.db import models
from django.utils.translation import gettext_lazy as _


class BuyerType(models.TextChoices):
    """The three families of buyers the EU thresholds distinguish (directives 2014/24/UE and 2014/25/UE)."""

    STATE = "state", _("État et ses établissements publics")
    LOCAL = "local", _("Collectivités territoriales et autres acheteurs publics")
    UTILITIES = "utilities", _("Entité adjudicatrice (eau, énergie, transports, poste)")


class PurchaseCategory(models.TextChoices):
    """What the main CPV code says the purchase is (CPV 2008: division 45 works, 03–44 and 48 supplies)."""

    WORKS = "works", _("Travaux")
    SUPPLIES = "supplies", _("Fournitures")
    SERVICES = "services", _("Services")
    SOCIAL_SPECIFIC = "social_specific", _("Services sociaux et autres services spécifiques")


class Verdict(models.TextChoices):
    REQUIRED = "required", _("Obligatoire")
    RECOMMENDED = "recommended", _("Recommandé")
    POSSIBLE = "possible", _("Envisageable")
    UNREALISTIC = "unrealistic", _("Peu réaliste")
    NOT_APPLICABLE = "not_applicable", _("Non applicable")
    INFO = "info", _("Information")
