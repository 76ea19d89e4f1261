from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedKind(models.TextChoices):
    SOURCING = "sourcing", _("Sourçage")
    UPCOMING_TENDER = "upcoming_tender", _("Consultation à venir")
    QUOTE_REQUEST = "quote_request", _("Demande de devis")
    MARKET_MEETING = "market_meeting", _("Rencontre acheteurs-fournisseurs")


class NeedStatus(models.TextChoices):
    SUBMITTED = "submitted", _("En attente de validation")
    VALIDATED = "validated", _("Validé")
    REJECTED = "rejected", _("Refusé")
    CLOSED = "closed", _("Clos")


class Answer(models.TextChoices):
    INTERESTED = "interested", _("Intéressé")
    INTERESTED_GROUP = "interested_group", _("Intéressé dans le cadre d'un groupement")
    NOT_INTERESTED = "not_interested", _("Pas intéressé")

    @classmethod
    def positive(cls) -> frozenset[str]:
        return frozenset({cls.INTERESTED, cls.INTERESTED_GROUP})
