from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    BUYER = "buyer", _("Acheteur public")
    SUPPLIER = "supplier", _("Structure de l'ESS (fournisseur)")
    SUPPORT = "support", _("Opérateur d'accompagnement")
    # Holders of public contracts found in the open data (DECP) that are not known as social-economy structures.
    COMPANY = "company", _("Entreprise titulaire de marchés")


class BuyerCategory(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("EPCI (intercommunalité)")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    STATE = "state", _("Service de l'État")
    HOSPITAL = "hospital", _("Établissement de santé")
    SOCIAL_LANDLORD = "social_landlord", _("Bailleur social")
    OTHER = "other", _("Autre acheteur public")


class SupportCategory(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitateur des clauses sociales")
    CRESS = "cress", _("CRESS")
    NETWORK = "network", _("Réseau")
    OTHER = "other", _("Autre opérateur")


class StructureType(models.TextChoices):
    """Kinds of social-economy structures (Code du travail L5132-1 ff. for SIAE; L5213-13 and L344-2 CASF)."""

    EI = "ei", _("SIAE — Entreprise d'insertion (EI)")
    ETTI = "etti", _("SIAE — Entreprise de travail temporaire d'insertion (ETTI)")
    AI = "ai", _("SIAE — Association intermédiaire (AI)")
    ACI = "aci", _("SIAE — Atelier et chantier d'insertion (ACI)")
    EITI = "eiti", _("SIAE — Entreprise d'insertion par le travail indépendant (EITI)")
    EA = "ea", _("Entreprise adaptée (EA)")
    ESAT = "esat", _("ESAT")
    GEIQ = "geiq", _("GEIQ")
    ESUS = "esus", _("Entreprise solidaire d'utilité sociale (ESUS)")
    SCOP = "scop", _("SCOP")
    SCIC = "scic", _("SCIC")
    ASSOCIATION = "association", _("Association")
    MUTUAL = "mutual", _("Mutuelle")
    FOUNDATION = "foundation", _("Fondation")
    SSE_COMPANY = "sse_company", _("Société commerciale de l'ESS")
    # Code de la commande publique L2113-13-1: contracts may be reserved to operators of work in prison.
    PRISON_WORK = "prison_work", _("Opérateur de travail pénitentiaire")
    OTHER_SSE = "other_sse", _("Autre structure de l'ESS")

    @classmethod
    def siae(cls) -> frozenset[str]:
        return frozenset({cls.EI, cls.ETTI, cls.AI, cls.ACI, cls.EITI})

    @classmethod
    def disability(cls) -> frozenset[str]:
        return frozenset({cls.EA, cls.ESAT})
