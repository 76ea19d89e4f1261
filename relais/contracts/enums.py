"""Choices of the public-contract data (DECP). Labels are those of the DECP formats, so that a reader recognises
them; values are short English codes stored in the database."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceFormat(models.TextChoices):
    """The shapes of DECP files met in the wild, detected from the content (never from the file name)."""

    DECP_2022_JSON = "2022-json", _("Format 2022 (JSON)")
    DECP_2022_XML = "2022-xml", _("Format 2022 (XML)")
    DECP_2019_JSON = "2019-json", _("Format 2019 (JSON)")
    DECP_2019_XML = "2019-xml", _("Format 2019 (XML)")
    DECP_2_0_0_DRAFT = "2.0.0-draft", _("Brouillon 2.0.0 (tableaux à plat)")
    TABULAR_CSV = "csv", _("Export tabulaire du ministère (CSV)")


class ContractKind(models.TextChoices):
    CONTRACT = "contract", _("Marché")
    CONCESSION = "concession", _("Contrat de concession")


class Nature(models.TextChoices):
    CONTRACT = "marche", _("Marché")
    PARTNERSHIP = "partenariat", _("Marché de partenariat")
    DEFENCE = "defense", _("Marché de défense ou de sécurité")
    FRAMEWORK = "accord_cadre", _("Accord-cadre")
    SUBSEQUENT = "subsequent", _("Marché subséquent")
    WORKS_CONCESSION = "concession_travaux", _("Concession de travaux")
    SERVICE_CONCESSION = "concession_service", _("Concession de service")
    PUBLIC_SERVICE_CONCESSION = "concession_service_public", _("Concession de service public")
    PUBLIC_SERVICE_DELEGATION = "dsp", _("Délégation de service public")
    UNKNOWN = "", _("Non renseignée")


class Procedure(models.TextChoices):
    """The procedure values of the 1.5 and 2.0 formats; older labels are normalised to them by the parser."""

    ADAPTED = "adaptee", _("Procédure adaptée")
    OPEN = "ao_ouvert", _("Appel d'offres ouvert")
    RESTRICTED = "ao_restreint", _("Appel d'offres restreint")
    NEGOTIATED = "negociee", _("Procédure avec négociation")
    NO_COMPETITION = "sans_publicite", _("Marché passé sans publicité ni mise en concurrence préalable")
    COMPETITIVE_DIALOGUE = "dialogue", _("Dialogue compétitif")
    CONCESSION_NEGOTIATED_OPEN = "cc_negociee_ouverte", _("Procédure négociée ouverte")
    CONCESSION_OPEN = "cc_non_negociee_ouverte", _("Procédure non négociée ouverte")
    CONCESSION_NEGOTIATED_RESTRICTED = "cc_negociee_restreinte", _("Procédure négociée restreinte")
    CONCESSION_RESTRICTED = "cc_non_negociee_restreinte", _("Procédure non négociée restreinte")
    UNKNOWN = "", _("Non renseignée")


class ContractType(models.TextChoices):
    """Works, supplies or services, derived from the CPV division (45 → works; 01–44 and 48 → supplies; the
    rest → services), as the EU procurement directives classify CPV codes."""

    WORKS = "works", _("Travaux")
    SUPPLIES = "supplies", _("Fournitures")
    SERVICES = "services", _("Services")
    UNKNOWN = "", _("Indéterminé")


class SocialConsideration(models.TextChoices):
    CLAUSE = "clause", _("Clause sociale")
    CRITERION = "criterion", _("Critère social")
    RESERVED = "reserved", _("Marché réservé")
    NONE = "none", _("Pas de considération sociale")


class EnvironmentalConsideration(models.TextChoices):
    CLAUSE = "clause", _("Clause environnementale")
    CRITERION = "criterion", _("Critère environnemental")
    NONE = "none", _("Pas de considération environnementale")


class ConsiderationStatus(models.TextChoices):
    """Whether a contract's considerations are known: the 2019 format has no such field ("unknown", never
    "none"); the 2022 format says "Pas de considération…" (none) or lists them (some)."""

    UNKNOWN = "unknown", _("Inconnu")
    NONE = "none", _("Aucune")
    SOME = "some", _("Au moins une")


class QualityFlag(models.IntegerChoices):
    """Defects found in a record. Each value is a bit of `Contract.quality_flags`; a record keeps every defect
    found, with its detail, and is still imported unless it cannot be read at all (then it is quarantined)."""

    BUYER_ID_INVALID = 0, _("SIRET de l'acheteur invalide (clé de contrôle)")
    HOLDER_ID_INVALID = 1, _("SIRET d'un titulaire invalide (clé de contrôle)")
    CPV_UNKNOWN = 2, _("Code CPV absent de la nomenclature CPV 2008")
    CPV_WITHOUT_CHECK_DIGIT = 3, _("Code CPV sans chiffre de contrôle")
    CPV_MISSING = 4, _("Code CPV manquant")
    DATE_IMPLAUSIBLE = 5, _("Date invraisemblable")
    DATE_MISSING = 6, _("Date de notification manquante")
    AMOUNT_IMPLAUSIBLE = 7, _("Montant invraisemblable")
    AMOUNT_MISSING = 8, _("Montant manquant ou non communiqué")
    DURATION_IMPLAUSIBLE = 9, _("Durée invraisemblable ou non communiquée")
    CONSIDERATIONS_CONTRADICTORY = 10, _("« Pas de considération… » combinée à une autre valeur")
    IDENTIFIER_EMPTY = 11, _("Identifiant du marché vide")
    IDENTIFIER_ZEROED = 12, _("Identifiant du marché fait de zéros")
    IDENTIFIER_SHARED = 13, _("Identifiant partagé par plusieurs marchés différents")
    PROCEDURE_UNKNOWN = 14, _("Procédure non reconnue")
    NATURE_UNKNOWN = 15, _("Nature non reconnue")
    HOLDER_MISSING = 16, _("Aucun titulaire")
    VALUE_NOT_COMMUNICATED = 17, _("Valeur « NC » (non communiquée)")
    BUYER_MISSING = 18, _("Acheteur manquant")
    PLACE_UNKNOWN = 19, _("Lieu d'exécution non reconnu")
    OBJECT_MISSING = 20, _("Objet manquant")
    MODIFICATION_UNREADABLE = 21, _("Modification illisible")
    CONSIDERATION_UNKNOWN = 22, _("Considération sociale ou environnementale non reconnue")
    CPV_CHECK_DIGIT_WRONG = 23, _("Chiffre de contrôle du code CPV erroné (corrigé)")


class QuarantineReason(models.TextChoices):
    NOT_AN_OBJECT = "not_object", _("L'enregistrement n'est pas un objet JSON ou XML lisible")
    SYNTAX = "syntax", _("Erreur de syntaxe dans le fichier")
    NO_IDENTIFYING_DATA = "no_identity", _("Ni identifiant, ni acheteur, ni objet : impossible d'identifier le marché")
    ENCODING = "encoding", _("Encodage illisible")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("En file d'attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")
    INTERRUPTED = "interrupted", _("Interrompu (à reprendre)")
