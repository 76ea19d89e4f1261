"""Case sheets of the regional network (Bretagne, Pays de la Loire, Centre-Val de Loire).

The Ille-et-Vilaine fair-trade purchases come from the RTES departmental kit n°12; the other sheets are realistic
examples of the practices the domain brief lists (reserved contracts, insertion clauses calibrated by a facilitator,
organic and local catering, innovative purchase). Amounts, dates and figures are illustrative.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from relais.casesheets.enums import (
    BuyerRole,
    ContractType,
    CriterionKind,
    Procedure,
    ReservedBasis,
    SheetStatus,
    StakeholderRole,
    Technique,
    Visibility,
)

from ..specs import CriterionSpec, ImpactSpec, SheetSpec
from .accounts import ANIMATOR_EMAIL, FACILITATOR_EMAIL, MEMBER_EMAIL
from .directory import RGO

FAIR_TRADE_LABELS = "Fairtrade/Max Havelaar, WFTO, SPP, Fair for Life ou tout label équivalent"

SHEETS_REGIONAL = (
    SheetSpec(
        network=RGO,
        author=MEMBER_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2021, 11, 23),
        title="Café 100 % équitable pour les réceptions et les distributeurs, chocolats équitables pour les colis",
        summary=(
            "Labellisé « Territoire de commerce équitable » fin 2014, le Département d'Ille-et-Vilaine sert un café "
            "100 % équitable lors de ses réceptions et dans ses distributeurs automatiques, et compose ses colis "
            "cadeaux avec des chocolats équitables."
        ),
        themes=("commerce-equitable", "restauration-collective", "evenementiel"),
        contract_type=ContractType.SUPPLIES,
        procedure=Procedure.ADAPTED,
        techniques=(Technique.FRAMEWORK,),
        lots_count=3,
        lots_description=(
            "Lot 1 : café et thé pour les réceptions protocolaires ; lot 2 : approvisionnement des distributeurs "
            "automatiques ; lot 3 : chocolats pour les colis cadeaux."
        ),
        main_cpv="15861000-1",
        additional_cpvs=("15842100-3", "42933000-5"),
        duration_months=48,
        amount_min=Decimal("60000"),
        amount_max=Decimal("200000"),
        notification_date=dt.date(2019, 1, 7),
        departement="35",
        has_social_criterion=True,
        has_environmental_criterion=True,
        labels_required=FAIR_TRADE_LABELS,
        is_fair_trade=True,
        context=(
            "Le label « Territoire de commerce équitable » engage le Département à développer les achats équitables "
            "dans ses propres services : achats protocolaires, distributeurs automatiques, vêtements professionnels, "
            "colis cadeaux."
        ),
        actions=(
            "Le commerce équitable est exigé au sens de l'article 60 de la loi 2005-882 ; le cahier des charges cite "
            "des labels en acceptant tout label équivalent. Les traiteurs des réceptions s'engagent à servir "
            "exclusivement ce café. Les acheteurs et les agents ont été formés au commerce équitable."
        ),
        value_for_buyer="Un engagement visible du label sur tous les moments de convivialité de la collectivité.",
        value_for_supplier=(
            "L'association importatrice a sécurisé ses volumes auprès de deux coopératives de producteurs et ouvert "
            "un débouché vers d'autres collectivités bretonnes."
        ),
        lessons="Les distributeurs automatiques relèvent souvent d'un autre marché : vérifier leurs échéances.",
        advice="Organiser une dégustation avec les agents avant d'arrêter la gamme ; elle facilite l'adhésion.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 40),
            CriterionSpec(CriterionKind.TECHNICAL, "Qualité gustative et régularité d'approvisionnement", 30),
            CriterionSpec(CriterionKind.SOCIAL, "Engagements envers les producteurs (prix, préfinancement)", 20),
            CriterionSpec(CriterionKind.ENVIRONMENTAL, "Emballages et mode de livraison", 10),
        ),
        buyers=(("cd35", BuyerRole.SOLE),),
        stakeholders=(("assoc-equitable", StakeholderRole.HOLDER),),
        impacts=(
            ImpactSpec("café équitable aux réceptions", Decimal("100"), "%"),
            ImpactSpec("café équitable dans les distributeurs", Decimal("100"), "%"),
        ),
        links=(("RTES — Kit départemental ESS, fiche n°12 (juin 2021)", "https://www.rtes.fr/"),),
    ),
    SheetSpec(
        network=RGO,
        author=MEMBER_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2022, 5, 10),
        title="Vêtements professionnels en coton équitable pour les agents des routes et des collèges",
        summary=(
            "Le Département d'Ille-et-Vilaine équipe ses agents des routes et des collèges de vêtements de travail "
            "en coton issu du commerce équitable, avec une confection tracée."
        ),
        themes=("textile-vetements-travail", "commerce-equitable"),
        contract_type=ContractType.SUPPLIES,
        procedure=Procedure.OPEN_TENDER,
        techniques=(Technique.FRAMEWORK,),
        lots_count=2,
        lots_description="Lot 1 : vêtements de travail des agents des routes ; lot 2 : tenues des agents des collèges.",
        main_cpv="18110000-3",
        additional_cpvs=("18130000-9",),
        duration_months=48,
        amount_min=Decimal("200000"),
        amount_max=Decimal("800000"),
        notification_date=dt.date(2020, 9, 14),
        departement="35",
        has_social_criterion=True,
        has_environmental_clause=True,
        labels_required="Coton " + FAIR_TRADE_LABELS,
        is_fair_trade=True,
        context="Deuxième famille d'achats équitables du Département après le café des réceptions.",
        actions=(
            "Sourçage auprès des fabricants de vêtements de travail en coton équitable, essais portés par les "
            "agents, puis appel d'offres avec exigence de coton équitable (label ou équivalent) et critère de "
            "traçabilité de la confection."
        ),
        value_for_buyer="Des tenues appréciées des agents et cohérentes avec le label du territoire.",
        value_for_supplier="La SCOP de confection sous-traitante a obtenu un volume régulier sur quatre ans.",
        lessons="L'offre de vêtements haute visibilité en coton équitable reste limitée : prévoir un sourçage.",
        advice="Faire porter les tenues par des agents volontaires pendant un mois avant de choisir.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 40),
            CriterionSpec(CriterionKind.TECHNICAL, "Qualité, confort et durabilité des articles", 35),
            CriterionSpec(CriterionKind.SOCIAL, "Traçabilité et conditions de confection", 25),
        ),
        buyers=(("cd35", BuyerRole.SOLE),),
        stakeholders=(("scop-fil-nord", StakeholderRole.SUBCONTRACTOR),),
        impacts=(ImpactSpec("agents équipés", Decimal("1150")),),
    ),
    SheetSpec(
        network=RGO,
        author=ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2022, 9, 6),
        title="Entretien des espaces verts réservé aux ESAT et entreprises adaptées (article L2113-12)",
        summary=(
            "Rennes Métropole réserve l'entretien des espaces verts de ses sites d'activités aux ESAT et aux "
            "entreprises adaptées. L'ESAT titulaire pratique la gestion différenciée et le zéro phytosanitaire."
        ),
        themes=("espaces-verts",),
        contract_type=ContractType.SERVICES,
        procedure=Procedure.ADAPTED,
        techniques=(Technique.FRAMEWORK,),
        main_cpv="77310000-6",
        additional_cpvs=("77312100-1", "77340000-5"),
        duration_months=36,
        amount_exact=Decimal("180000"),
        notification_date=dt.date(2021, 3, 29),
        departement="35",
        reserved_basis=ReservedBasis.L2113_12,
        has_environmental_clause=True,
        context=(
            "Les sites d'activités de la métropole demandent un entretien régulier mais sans contrainte d'horaire "
            "forte : une prestation adaptée aux travailleurs en situation de handicap."
        ),
        actions=(
            "Marché réservé au titre de l'article L2113-12 du code de la commande publique (au moins 50 % de "
            "travailleurs handicapés). Le cahier des charges impose la gestion différenciée, l'absence de produits "
            "phytosanitaires et le broyage sur place des déchets verts."
        ),
        value_for_buyer=(
            "Un entretien de qualité, une dépense qui compte dans l'obligation d'emploi des travailleurs handicapés."
        ),
        value_for_supplier="Une activité pérenne sur trois ans pour deux équipes de l'ESAT et leurs moniteurs.",
        lessons="Vérifier en amont que plusieurs ESAT ou EA du territoire peuvent répondre (sourçage).",
        advice="Prévoir des visites de sites avec les moniteurs d'atelier avant la remise des offres.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 40),
            CriterionSpec(CriterionKind.TECHNICAL, "Organisation des équipes et encadrement", 40),
            CriterionSpec(CriterionKind.ENVIRONMENTAL, "Pratiques de gestion différenciée", 20),
        ),
        buyers=(("rennes-metropole", BuyerRole.SOLE),),
        stakeholders=(("esat-jardins-vilaine", StakeholderRole.HOLDER),),
        impacts=(
            ImpactSpec("travailleurs de l'ESAT mobilisés", Decimal("14")),
            ImpactSpec("surface entretenue", Decimal("38"), "ha"),
        ),
    ),
    SheetSpec(
        network=RGO,
        author=ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2022, 11, 15),
        title="Entretien des berges et des sentiers réservé aux structures d'insertion (article L2113-13)",
        summary=(
            "La Ville d'Angers réserve l'entretien des berges de la Maine et de ses sentiers de promenade aux "
            "structures d'insertion par l'activité économique ; un atelier et chantier d'insertion en est titulaire."
        ),
        themes=("espaces-verts", "accueil-services-insertion"),
        contract_type=ContractType.SERVICES,
        procedure=Procedure.ADAPTED,
        main_cpv="77314000-4",
        additional_cpvs=("77340000-5", "90722000-4"),
        duration_months=24,
        amount_exact=Decimal("140000"),
        notification_date=dt.date(2022, 4, 4),
        departement="49",
        reserved_basis=ReservedBasis.L2113_13,
        has_social_criterion=True,
        has_environmental_clause=True,
        context=(
            "Des travaux manuels, saisonniers et formateurs (débroussaillage, élagage léger, petits aménagements) : "
            "un support d'insertion idéal pour un chantier d'insertion."
        ),
        actions=(
            "Marché réservé aux SIAE (article L2113-13) ; critère sur l'accompagnement socioprofessionnel ; "
            "clause environnementale sur la protection de la faune pendant les périodes de nidification."
        ),
        value_for_buyer="Des berges entretenues et un chantier visible des habitants qui valorise l'insertion.",
        value_for_supplier="Un support d'activité de deux ans pour 12 salariés en parcours d'insertion.",
        lessons="Coordonner le calendrier avec le service biodiversité pour respecter la nidification.",
        advice="Inclure une journée de formation des salariés en insertion par les jardiniers de la ville.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 30),
            CriterionSpec(CriterionKind.TECHNICAL, "Méthodologie et encadrement technique", 40),
            CriterionSpec(CriterionKind.SOCIAL, "Accompagnement socioprofessionnel et formation", 30),
        ),
        buyers=(("angers", BuyerRole.SOLE),),
        stakeholders=(("aci-rives-sentiers", StakeholderRole.HOLDER),),
        impacts=(
            ImpactSpec("salariés en parcours d'insertion", Decimal("12")),
            ImpactSpec("sorties vers l'emploi ou la formation", Decimal("7")),
            ImpactSpec("berges et sentiers entretenus", Decimal("14"), "km"),
        ),
    ),
    SheetSpec(
        network=RGO,
        author=ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2023, 3, 21),
        title="Fruits et légumes bio et locaux pour la cuisine centrale du CHU, avec une légumerie d'insertion",
        summary=(
            "Le CHU d'Angers achète ses fruits et légumes frais en lots courts et saisonniers, avec une part "
            "biologique, et fait préparer les légumes par une entreprise d'insertion. Critère social sur "
            "l'insertion, critère environnemental sur les circuits et les emballages."
        ),
        themes=("restauration-collective",),
        contract_type=ContractType.SUPPLIES,
        procedure=Procedure.OPEN_TENDER,
        techniques=(Technique.FRAMEWORK,),
        lots_count=6,
        lots_description=(
            "Six lots par famille de produits et par saison pour ouvrir le marché aux producteurs locaux ; le lot "
            "« légumes préparés » est tenu par une légumerie d'insertion."
        ),
        main_cpv="03221000-6",
        additional_cpvs=("15300000-1",),
        duration_months=36,
        amount_min=Decimal("500000"),
        amount_max=Decimal("1400000"),
        notification_date=dt.date(2022, 10, 3),
        departement="49",
        has_social_criterion=True,
        has_environmental_criterion=True,
        labels_required="Agriculture biologique ou équivalent pour 30 % des volumes",
        context=(
            "La cuisine centrale prépare 5 000 repas par jour. L'objectif de produits durables et de qualité de la "
            "restauration collective demandait de revoir l'allotissement des fruits et légumes."
        ),
        actions=(
            "Allotissement par famille et par saison, part biologique exigée, critère environnemental sur les "
            "circuits de livraison et les emballages réutilisables, critère social sur les actions d'insertion. "
            "Rencontre préalable avec les producteurs organisée avec la chambre d'agriculture."
        ),
        value_for_buyer="Des produits de saison, une part bio suivie chaque trimestre, moins d'emballages.",
        value_for_supplier=(
            "La légumerie d'insertion a créé 5 postes en insertion pour traiter le lot des légumes préparés."
        ),
        lessons="Les petits lots attirent les producteurs mais demandent plus de suivi des commandes.",
        advice="Rencontrer les producteurs avant la publication : ils découvrent souvent la commande publique.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 45),
            CriterionSpec(CriterionKind.TECHNICAL, "Qualité et fraîcheur des produits", 25),
            CriterionSpec(CriterionKind.ENVIRONMENTAL, "Circuits de livraison et emballages", 20),
            CriterionSpec(CriterionKind.SOCIAL, "Actions en faveur de l'insertion professionnelle", 10),
        ),
        buyers=(("chu-angers", BuyerRole.SOLE),),
        stakeholders=(("ei-legumerie", StakeholderRole.HOLDER),),
        impacts=(
            ImpactSpec("part de produits biologiques", Decimal("32"), "%"),
            ImpactSpec("repas servis par jour", Decimal("5000")),
            ImpactSpec("postes en insertion créés à la légumerie", Decimal("5")),
        ),
    ),
    SheetSpec(
        network=RGO,
        author=FACILITATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2023, 6, 13),
        title="Construction d'un groupe scolaire : une clause d'insertion calibrée lot par lot par le facilitateur",
        summary=(
            "Pour la construction d'un groupe scolaire, la Ville de Nantes a fait calibrer la clause d'insertion "
            "par le facilitateur de la Maison de l'emploi : 2 839 heures réparties sur trois lots selon la part de "
            "main-d'œuvre de chaque métier. Le titulaire du gros œuvre, une SCOP, s'appuie sur un GEIQ."
        ),
        themes=("batiment-travaux-publics", "accueil-services-insertion"),
        contract_type=ContractType.WORKS,
        procedure=Procedure.OPEN_TENDER,
        lots_count=11,
        lots_description=(
            "Onze lots ; clause d'insertion sur le gros œuvre (lot 2), les menuiseries métalliques (lot 5) et la "
            "peinture (lot 9)."
        ),
        main_cpv="45214200-2",
        additional_cpvs=("45262500-6", "45442100-8"),
        duration_months=22,
        amount_exact=Decimal("6400000"),
        notification_date=dt.date(2022, 2, 14),
        departement="44",
        has_insertion_clause=True,
        insertion_hours=2839,
        has_social_criterion=True,
        has_environmental_clause=True,
        context=(
            "La Ville applique une clause d'insertion à ses opérations de travaux importantes et s'appuie sur le "
            "service clauses sociales de la Maison de l'emploi."
        ),
        actions=(
            "Le facilitateur a appliqué la formule heures = montant HT × part de main-d'œuvre × taux d'insertion "
            "÷ coût horaire chargé. Gros œuvre : 1 800 000 € × 50 % × 7 % ÷ 30 € ≈ 2 100 h. Peinture : "
            "350 000 € × 70 % × 7 % ÷ 30 € ≈ 572 h. Menuiseries métalliques : 500 000 € × 20 % × 5 % ÷ 30 € ≈ "
            "167 h. Total : 2 839 heures. Il a ensuite présenté des candidats et collecté chaque mois les relevés "
            "d'heures des entreprises."
        ),
        value_for_buyer="Des heures réalistes, donc réalisées : 3 120 heures effectuées à la réception.",
        value_for_supplier=(
            "La SCOP a accueilli des salariés mis à disposition par le GEIQ BTP ; deux ont été embauchés en CDI à "
            "la fin du chantier."
        ),
        lessons="Un taux unique sur tous les lots aurait surchargé les lots techniques et sous-utilisé la peinture.",
        advice="Demander au facilitateur de calibrer avant la rédaction du DCE, lot par lot.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 50),
            CriterionSpec(CriterionKind.TECHNICAL, "Valeur technique et méthodologie de chantier", 35),
            CriterionSpec(CriterionKind.SOCIAL, "Plan d'insertion et tutorat", 10),
            CriterionSpec(CriterionKind.ENVIRONMENTAL, "Gestion des déchets de chantier", 5),
        ),
        buyers=(("nantes", BuyerRole.SOLE),),
        stakeholders=(
            ("scop-batisseurs", StakeholderRole.HOLDER),
            ("geiq-btp", StakeholderRole.SUPPORT),
            ("mde-estuaire", StakeholderRole.FACILITATOR),
        ),
        impacts=(
            ImpactSpec("heures d'insertion prévues", Decimal("2839"), "heures"),
            ImpactSpec("heures d'insertion réalisées", Decimal("3120"), "heures"),
            ImpactSpec("participants", Decimal("9")),
            ImpactSpec("embauches en CDI à la sortie", Decimal("2")),
        ),
    ),
    SheetSpec(
        network=RGO,
        author=ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2023, 10, 3),
        title="Achat innovant : reconditionnement du mobilier de bureau par une SCIC de réemploi",
        summary=(
            "Tours Métropole Val de Loire a confié à une SCIC de réemploi le reconditionnement de son mobilier de "
            "bureau, par un marché innovant négocié sans publicité sous 100 000 € HT."
        ),
        themes=("mobilier", "dechets-economie-circulaire"),
        contract_type=ContractType.SERVICES,
        procedure=Procedure.NO_PUBLICITY,
        main_cpv="50850000-8",
        additional_cpvs=("39130000-2",),
        duration_months=24,
        amount_exact=Decimal("96000"),
        notification_date=dt.date(2023, 5, 22),
        departement="37",
        is_innovative=True,
        has_environmental_criterion=True,
        context=(
            "Le déménagement de plusieurs services libérait 900 meubles en bon état. Plutôt qu'un marché de "
            "mobilier neuf, la métropole a cherché une solution de réemploi qui n'existait pas encore sur catalogue."
        ),
        actions=(
            "Marché innovant passé sans publicité ni mise en concurrence préalables (seuil de 100 000 € HT pour les "
            "achats innovants), après un sourçage auprès de trois structures. La SCIC inventorie, répare, "
            "retapisse et réaffecte le mobilier ; le reste est revendu à des associations."
        ),
        value_for_buyer="Moins de mobilier neuf acheté, une démarche d'économie circulaire mesurée.",
        value_for_supplier="Un premier marché public qui a permis à la SCIC de créer un atelier de tapisserie.",
        lessons="Documenter le caractère innovant de la prestation pour justifier la procédure.",
        advice="Faire l'inventaire du mobilier avant de lancer l'achat ; c'est la moitié du travail.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 30),
            CriterionSpec(CriterionKind.TECHNICAL, "Caractère innovant et méthodologie", 40),
            CriterionSpec(CriterionKind.ENVIRONMENTAL, "Taux de réemploi et de valorisation", 30),
        ),
        buyers=(("tours-metropole", BuyerRole.SOLE),),
        stakeholders=(("scic-second-souffle", StakeholderRole.HOLDER),),
        impacts=(
            ImpactSpec("meubles réemployés", Decimal("720")),
            ImpactSpec("taux de réemploi", Decimal("80"), "%"),
        ),
    ),
    SheetSpec(
        network=RGO,
        author=ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.MEMBERS,
        published_on=dt.date(2024, 2, 6),
        title="Numérisation d'archives réservée aux entreprises adaptées et aux ESAT",
        summary=(
            "La plateforme régionale des achats de l'État a réservé la numérisation et l'indexation d'archives "
            "administratives aux entreprises adaptées et aux ESAT (article L2113-12). Fiche réservée aux adhérents : "
            "elle donne le détail des prix obtenus."
        ),
        themes=("informatique-numerique", "prestations-intellectuelles"),
        contract_type=ContractType.SERVICES,
        procedure=Procedure.ADAPTED,
        main_cpv="79999100-4",
        additional_cpvs=("79995100-6",),
        duration_months=24,
        amount_exact=Decimal("210000"),
        notification_date=dt.date(2023, 9, 11),
        departement="44",
        region="52",
        reserved_basis=ReservedBasis.L2113_12,
        context="Des fonds papier à numériser avant le passage au tout-numérique des procédures.",
        actions=(
            "Sourçage des entreprises adaptées du secteur numérique, marché réservé L2113-12, clause de "
            "confidentialité renforcée et visite des locaux du titulaire."
        ),
        value_for_buyer="Prix unitaires inférieurs de 8 % à l'estimation ; délais tenus.",
        value_for_supplier="L'entreprise adaptée a formé 6 opérateurs à l'indexation et ouvert une seconde équipe.",
        lessons="La sécurité des données a demandé une annexe spécifique : l'anticiper.",
        advice="Associer le délégué à la protection des données dès la rédaction.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 40),
            CriterionSpec(CriterionKind.TECHNICAL, "Qualité de la numérisation et sécurité des données", 60),
        ),
        buyers=(("prefecture-pdl", BuyerRole.SOLE),),
        stakeholders=(("ea-numeria", StakeholderRole.HOLDER),),
        impacts=(
            ImpactSpec("pages numérisées", Decimal("1200000")),
            ImpactSpec("opérateurs formés", Decimal("6")),
        ),
    ),
    SheetSpec(
        network=RGO,
        author=ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.MEMBERS,
        published_on=dt.date(2024, 4, 16),
        title="Un lot réservé à la fois aux SIAE, aux EA et aux ESAT pour les abords des résidences (L2113-14)",
        summary=(
            "Anjou Habitat Solidaire a réservé l'un des trois lots de l'entretien de ses résidences aux structures "
            "d'insertion et aux structures du handicap (article L2113-14) ; un chantier d'insertion en est "
            "titulaire. Fiche réservée aux adhérents."
        ),
        themes=("proprete-nettoyage", "espaces-verts"),
        contract_type=ContractType.SERVICES,
        procedure=Procedure.OPEN_TENDER,
        techniques=(Technique.FRAMEWORK,),
        lots_count=3,
        lots_description=(
            "Lot 1 : nettoyage des parties communes ; lot 2 : vitrerie ; lot 3 (réservé L2113-14) : entretien des "
            "abords et des espaces extérieurs."
        ),
        main_cpv="90911100-7",
        additional_cpvs=("77314000-4",),
        duration_months=48,
        amount_exact=Decimal("1900000"),
        notification_date=dt.date(2023, 12, 18),
        departement="49",
        reserved_basis=ReservedBasis.L2113_14,
        has_insertion_clause=True,
        insertion_hours=6500,
        has_environmental_clause=True,
        context="Le bailleur voulait ouvrir ses marchés d'entretien aux structures de l'ESS de son territoire.",
        actions=(
            "Lots 1 et 2 avec clause d'insertion ; lot 3 réservé aux SIAE, EA et ESAT. Produits écolabellisés "
            "exigés sur le lot 1, désherbage sans produits phytosanitaires sur le lot 3."
        ),
        value_for_buyer=(
            "Des locataires satisfaits de l'entretien des abords ; des heures d'insertion sur tous les lots."
        ),
        value_for_supplier="Un lot à la mesure d'un chantier d'insertion, remporté face à deux ESAT.",
        lessons="Le lot réservé doit rester de taille modeste pour rester accessible.",
        advice="Présenter le lot réservé aux structures locales lors d'une réunion de sourçage.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 50),
            CriterionSpec(CriterionKind.TECHNICAL, "Organisation et moyens", 35),
            CriterionSpec(CriterionKind.ENVIRONMENTAL, "Produits et pratiques", 15),
        ),
        buyers=(("anjou-habitat", BuyerRole.SOLE),),
        stakeholders=(("aci-rives-sentiers", StakeholderRole.HOLDER),),
        impacts=(ImpactSpec("heures d'insertion prévues sur les lots 1 et 2", Decimal("6500"), "heures"),),
    ),
)
