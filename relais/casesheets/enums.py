from django.db import models
from django.utils.translation import gettext_lazy as _


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumise à publication")
    RETURNED = "returned", _("Renvoyée à l'auteur")
    PUBLISHED = "published", _("Publiée")
    ARCHIVED = "archived", _("Archivée")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Publique")
    MEMBERS = "members", _("Réservée aux adhérents du réseau")


class ContractType(models.TextChoices):
    WORKS = "works", _("Travaux")
    SUPPLIES = "supplies", _("Fournitures")
    SERVICES = "services", _("Services")


class Procedure(models.TextChoices):
    """Procedures of the DECP 2022 format (schema 2.0.3, `procedure` of a marché)."""

    ADAPTED = "adapted", _("Procédure adaptée")
    OPEN_TENDER = "open_tender", _("Appel d'offres ouvert")
    RESTRICTED_TENDER = "restricted_tender", _("Appel d'offres restreint")
    NEGOTIATED = "negotiated", _("Procédure avec négociation")
    NO_PUBLICITY = "no_publicity", _("Marché passé sans publicité ni mise en concurrence préalable")
    COMPETITIVE_DIALOGUE = "competitive_dialogue", _("Dialogue compétitif")


class Technique(models.TextChoices):
    """Techniques of the DECP 2022 format (`techniques.technique`)."""

    FRAMEWORK = "framework", _("Accord-cadre")
    CONTEST = "contest", _("Concours")
    QUALIFICATION = "qualification", _("Système de qualification")
    DYNAMIC = "dynamic", _("Système d'acquisition dynamique")
    CATALOGUE = "catalogue", _("Catalogue électronique")
    AUCTION = "auction", _("Enchère électronique")


class CriterionKind(models.TextChoices):
    PRICE = "price", _("Prix")
    TECHNICAL = "technical", _("Valeur technique")
    SOCIAL = "social", _("Social")
    ENVIRONMENTAL = "environmental", _("Environnemental")
    LIFE_CYCLE = "life_cycle", _("Coût du cycle de vie")
    OTHER = "other", _("Autre")


class ReservedBasis(models.TextChoices):
    """Legal bases of reserved contracts (Code de la commande publique)."""

    L2113_12 = "L2113-12", _("L2113-12 — entreprises adaptées et ESAT")
    L2113_13 = "L2113-13", _("L2113-13 — structures d'insertion par l'activité économique")
    L2113_13_1 = "L2113-13-1", _("L2113-13-1 — travail pénitentiaire")
    L2113_14 = "L2113-14", _("L2113-14 — lot réservé aux deux catégories")
    L2113_15 = "L2113-15", _("L2113-15 — entreprises de l'ESS (services sociaux et spécifiques)")


class SocialConsideration(models.TextChoices):
    """Facet values derived from a sheet's social fields."""

    INSERTION_CLAUSE = "insertion_clause", _("Clause d'insertion")
    SOCIAL_CRITERION = "social_criterion", _("Critère social")
    RESERVED = "reserved", _("Marché réservé")


class EnvironmentalConsideration(models.TextChoices):
    CLAUSE = "env_clause", _("Clause environnementale")
    CRITERION = "env_criterion", _("Critère environnemental")
    LABELS = "labels", _("Labels exigés")


class StakeholderRole(models.TextChoices):
    HOLDER = "holder", _("Titulaire")
    CO_CONTRACTOR = "co_contractor", _("Cotraitant")
    SUBCONTRACTOR = "subcontractor", _("Sous-traitant")
    FACILITATOR = "facilitator", _("Facilitateur")
    SUPPORT = "support", _("Opérateur d'accompagnement")


class BuyerRole(models.TextChoices):
    SOLE = "sole", _("Acheteur")
    COORDINATOR = "coordinator", _("Coordonnateur du groupement")
    GROUP_MEMBER = "group_member", _("Membre du groupement")


class Licence(models.TextChoices):
    ETALAB_2 = "etalab-2.0", _("Licence Ouverte 2.0 (Etalab)")
    CC_BY_4 = "cc-by-4.0", _("CC BY 4.0")
    CC_BY_SA_4 = "cc-by-sa-4.0", _("CC BY-SA 4.0")
    ALL_RIGHTS = "all-rights-reserved", _("Tous droits réservés")
