"""Sheets of the regional network still in the workflow: one waiting for the animator, one returned to its author
with a comment, one draft. They show the review side of Relais to the animator and the member accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from relais.casesheets.enums import (
    BuyerRole,
    ContractType,
    CriterionKind,
    Procedure,
    SheetStatus,
    StakeholderRole,
    Technique,
    Visibility,
)

from ..specs import CriterionSpec, ImpactSpec, SheetSpec
from .accounts import FACILITATOR_EMAIL, MEMBER_EMAIL
from .directory import RGO

SHEETS_IN_PROGRESS = (
    SheetSpec(
        network=RGO,
        author=MEMBER_EMAIL,
        status=SheetStatus.SUBMITTED,
        visibility=Visibility.PUBLIC,
        title="Produits laitiers bio et locaux pour les collèges d'Ille-et-Vilaine",
        summary=(
            "Un groupement de commandes départemental des collèges pour des produits laitiers biologiques et "
            "locaux, alloti par bassin de collecte pour permettre aux laiteries coopératives de répondre."
        ),
        themes=("restauration-collective",),
        contract_type=ContractType.SUPPLIES,
        procedure=Procedure.OPEN_TENDER,
        techniques=(Technique.FRAMEWORK,),
        lots_count=4,
        is_purchasing_group=True,
        main_cpv="15500000-3",
        additional_cpvs=("15511000-3",),
        duration_months=48,
        amount_min=Decimal("300000"),
        amount_max=Decimal("900000"),
        notification_date=dt.date(2024, 8, 26),
        departement="35",
        has_environmental_criterion=True,
        labels_required="Agriculture biologique ou équivalent",
        context="Les collèges cherchaient à augmenter la part de produits bio dans les menus sans hausse de coût.",
        actions="Groupement coordonné par le Département ; quatre lots géographiques ; visite de deux laiteries.",
        value_for_buyer="Une part de produits bio portée à 40 % sur les produits laitiers.",
        value_for_supplier="Deux laiteries coopératives ont répondu pour la première fois à un marché public.",
        lessons="Les volumes par collège sont faibles : le groupement était indispensable.",
        advice="Associer les gestionnaires des collèges à la définition des lots.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 50),
            CriterionSpec(CriterionKind.TECHNICAL, "Qualité des produits", 30),
            CriterionSpec(CriterionKind.ENVIRONMENTAL, "Circuits et emballages", 20),
        ),
        buyers=(("cd35", BuyerRole.COORDINATOR),),
        impacts=(ImpactSpec("part de produits laitiers bio", Decimal("40"), "%"),),
    ),
    SheetSpec(
        network=RGO,
        author=FACILITATOR_EMAIL,
        status=SheetStatus.RETURNED,
        visibility=Visibility.PUBLIC,
        title="Entretien de la voirie : 3 500 heures d'insertion sur quatre ans",
        summary=(
            "Le marché d'entretien de la voirie de la Ville de Nantes comporte une clause d'insertion suivie par "
            "la Maison de l'emploi."
        ),
        themes=("batiment-travaux-publics",),
        contract_type=ContractType.WORKS,
        procedure=Procedure.OPEN_TENDER,
        techniques=(Technique.FRAMEWORK,),
        main_cpv="45233141-9",
        duration_months=48,
        amount_min=Decimal("1000000"),
        amount_max=Decimal("4000000"),
        departement="44",
        has_insertion_clause=True,
        insertion_hours=3500,
        context="Marché à bons de commande d'entretien des chaussées et trottoirs.",
        actions="Clause d'insertion calibrée sur le montant minimum ; suivi mensuel des heures par le facilitateur.",
        buyers=(("nantes", BuyerRole.SOLE),),
        stakeholders=(("mde-estuaire", StakeholderRole.FACILITATOR),),
        return_comment=(
            "Merci pour cette fiche. Pouvez-vous préciser les heures réalisées à ce jour, la répartition des "
            "participants (allocataires du RSA, jeunes, RQTH…) et les critères d'attribution avec leur "
            "pondération ? La fiche pourra ensuite être publiée."
        ),
    ),
    SheetSpec(
        network=RGO,
        author=MEMBER_EMAIL,
        status=SheetStatus.DRAFT,
        visibility=Visibility.PUBLIC,
        title="Former les acheteurs et les agents au commerce équitable",
        summary=(
            "Brouillon : un marché de formation pour que les acheteurs et les prescripteurs du Département "
            "connaissent les labels du commerce équitable et sachent les exiger."
        ),
        themes=("commerce-equitable", "prestations-intellectuelles"),
        contract_type=ContractType.SERVICES,
        procedure=Procedure.ADAPTED,
        main_cpv="80511000-9",
        duration_months=12,
        amount_exact=Decimal("18000"),
        departement="35",
        is_fair_trade=True,
        context="Engagement du label « Territoire de commerce équitable » : former les agents et les acheteurs.",
        buyers=(("cd35", BuyerRole.SOLE),),
    ),
)
