from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    WEBINAR = "webinar", _("Webmatinale (webinaire)")
    TRAINING = "training", _("Formation")
    AWARENESS_DAY = "awareness_day", _("Journée de sensibilisation")
    FEEDBACK_DAY = "feedback_day", _("Journée de retours d'expérience")
    MARKET_ENGAGEMENT = "market_engagement", _("Rencontre acheteurs-fournisseurs (sourçage)")
    GENERAL_ASSEMBLY = "general_assembly", _("Assemblée générale")
    OTHER = "other", _("Autre")


class EventAudience(models.TextChoices):
    MEMBERS = "members", _("Réservé aux adhérents du réseau")
    PUBLIC = "public", _("Ouvert au public")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    CANCELLED = "cancelled", _("Annulé")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscription confirmée")
    WAITING = "waiting", _("Sur liste d'attente")
    CANCELLED = "cancelled", _("Inscription annulée")
