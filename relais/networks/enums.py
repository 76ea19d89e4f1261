from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkScope(models.TextChoices):
    REGIONAL = "regional", _("Régional")
    NATIONAL = "national", _("National")
    EUROPEAN = "european", _("Européen")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Adhésion en cours")
    ACTIVE = "active", _("Adhérent")
    SUSPENDED = "suspended", _("Suspendue")
    ENDED = "ended", _("Terminée")


class ReferentKind(models.TextChoices):
    ELECTED = "elected", _("Élu référent")
    TECHNICIAN = "technician", _("Technicien référent")


class Role(models.TextChoices):
    ANIMATOR = "animator", _("Animateur du réseau")
    MEMBER = "member", _("Adhérent")
    FACILITATOR = "facilitator", _("Facilitateur")
    SUPPLIER = "supplier", _("Fournisseur")
