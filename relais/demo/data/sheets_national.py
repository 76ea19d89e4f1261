"""Case sheets of the national network, built from the RTES departmental kit n°12 and the Nord-Pas-de-Calais
regional council's responsible purchasing page. Figures quoted from those sources are kept as published; amounts,
exact dates and the SSE structures are illustrative."""

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
from .accounts import NATIONAL_ANIMATOR_EMAIL
from .directory import NATIONAL

RTES_KIT = (
    "RTES — Kit départemental ESS, fiche n°12 « Commande publique responsable » (juin 2021)",
    "https://www.rtes.fr/",
)

SHEETS_NATIONAL = (
    SheetSpec(
        network=NATIONAL,
        author=NATIONAL_ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2021, 9, 14),
        title="Un marché d'insertion pour l'entretien et la restauration de 122 collèges du Pas-de-Calais",
        summary=(
            "Le Département du Pas-de-Calais confie des fonctions support de ses collèges (entretien des locaux, "
            "aide en restauration) à des associations intermédiaires qui mettent à disposition des personnes en "
            "insertion. De septembre 2018 à décembre 2020, 122 collèges et 26 associations intermédiaires ont "
            "permis à 913 personnes de travailler, dont 687 allocataires du RSA."
        ),
        themes=("accueil-services-insertion", "proprete-nettoyage", "restauration-collective"),
        contract_type=ContractType.SERVICES,
        procedure=Procedure.ADAPTED,
        techniques=(Technique.FRAMEWORK,),
        lots_count=26,
        lots_description=(
            "Allotissement géographique par bassin de collèges, pour que chaque association intermédiaire puisse "
            "répondre sur son territoire : 26 associations intermédiaires titulaires."
        ),
        main_cpv="79620000-6",
        additional_cpvs=("90919300-5", "55512000-2"),
        duration_months=28,
        amount_min=Decimal("2000000"),
        amount_max=Decimal("4500000"),
        notification_date=dt.date(2018, 8, 27),
        departement="62",
        has_social_criterion=True,
        context=(
            "Les collèges ont des besoins ponctuels et récurrents d'entretien des locaux et d'aide en restauration. "
            "Le Département, chef de file de l'insertion et financeur du RSA, a choisi d'y répondre par un marché "
            "dont l'objet même est l'insertion sociale et professionnelle."
        ),
        actions=(
            "Marché de services d'insertion et de qualification professionnelle passé en procédure adaptée. Les "
            "associations intermédiaires mettent à disposition des collèges des personnes en parcours d'insertion, "
            "encadrées et accompagnées vers l'emploi durable. Le suivi des parcours est partagé entre le service "
            "insertion du Département, les collèges et les associations."
        ),
        value_for_buyer=(
            "Retour à l'emploi d'allocataires du RSA, continuité du service dans les collèges, dépense publique qui "
            "sert deux politiques à la fois (éducation et insertion)."
        ),
        value_for_supplier=(
            "Un volume d'activité stable qui pérennise les associations intermédiaires locales, maintient voire "
            "développe leurs postes d'encadrement."
        ),
        lessons=(
            "Il faut un interlocuteur identifié dans chaque collège pour accueillir les personnes et signaler les "
            "besoins ; les premiers mois ont demandé un important travail de coordination."
        ),
        advice=(
            "Allotir finement pour rester accessible aux petites associations, et associer dès le départ le service "
            "insertion au service de la commande publique."
        ),
        criteria=(
            CriterionSpec(CriterionKind.SOCIAL, "Qualité de l'accompagnement socioprofessionnel proposé", 50),
            CriterionSpec(CriterionKind.TECHNICAL, "Organisation et réactivité de la mise à disposition", 20),
            CriterionSpec(CriterionKind.PRICE, "Prix", 30),
        ),
        buyers=(("cd62", BuyerRole.SOLE),),
        stakeholders=(("ai-artois", StakeholderRole.HOLDER),),
        impacts=(
            ImpactSpec("collèges concernés", Decimal("122")),
            ImpactSpec("associations intermédiaires titulaires", Decimal("26")),
            ImpactSpec("personnes en insertion", Decimal("913")),
            ImpactSpec("dont allocataires du RSA", Decimal("687")),
        ),
        links=(RTES_KIT,),
    ),
    SheetSpec(
        network=NATIONAL,
        author=NATIONAL_ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2021, 10, 5),
        title="Mayotte : des clauses sociales dans presque tous les marchés dès 70 000 € HT",
        summary=(
            "Depuis 2017, le Département de Mayotte insère des clauses sociales dans presque tous ses marchés à "
            "partir de 70 000 € HT, avec un facilitateur porté par la CRESS de Mayotte. Exemple : le marché "
            "d'entretien et de réhabilitation des bâtiments départementaux. Le dispositif a été reconnu « bonne "
            "pratique européenne » par la Commission européenne en 2020."
        ),
        themes=("batiment-travaux-publics", "maintenance-entretien", "accueil-services-insertion"),
        contract_type=ContractType.WORKS,
        procedure=Procedure.ADAPTED,
        techniques=(Technique.FRAMEWORK,),
        lots_count=3,
        lots_description="Lot 1 : peinture et revêtements ; lot 2 : petite maçonnerie ; lot 3 : menuiseries.",
        main_cpv="45453000-7",
        additional_cpvs=("45442100-8", "45262500-6"),
        duration_months=48,
        amount_exact=Decimal("850000"),
        notification_date=dt.date(2020, 3, 2),
        departement="976",
        has_insertion_clause=True,
        insertion_hours=1428,
        context=(
            "Le chômage touche une large part de la population de Mayotte et les structures d'insertion sont "
            "jeunes. Le Département a fait de sa commande publique un levier d'accès à l'emploi : clause sociale "
            "dans presque tous les marchés à partir de 70 000 € HT."
        ),
        actions=(
            "Une facilitatrice portée par la CRESS de Mayotte est ouverte aux collectivités, aux entreprises, aux "
            "services prescripteurs et aux SIAE. Pour ce marché, elle a calibré la clause : 850 000 € HT × 60 % de "
            "part de main-d'œuvre × 7 % de taux d'insertion ÷ 25 € de coût horaire chargé, soit environ 1 428 "
            "heures d'insertion. Les entreprises peuvent embaucher directement ou sous-traiter à une entreprise "
            "d'insertion."
        ),
        value_for_buyer=(
            "Une règle simple et connue de tous (le seuil de 70 000 €) ; un suivi des heures réalisées par marché "
            "et par entreprise ; une reconnaissance européenne du dispositif."
        ),
        value_for_supplier=(
            "Les entreprises trouvent des candidats préparés grâce à la facilitatrice ; l'entreprise d'insertion "
            "sous-traitante a doublé son activité bâtiment."
        ),
        lessons="Le dispositif n'a fonctionné qu'avec un facilitateur dédié, connu des entreprises du territoire.",
        advice="Fixer un seuil unique et stable plutôt que de décider marché par marché.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 50),
            CriterionSpec(CriterionKind.TECHNICAL, "Valeur technique (méthodologie, moyens)", 40),
            CriterionSpec(CriterionKind.SOCIAL, "Modalités de mise en œuvre de la clause d'insertion", 10),
        ),
        buyers=(("cd976", BuyerRole.SOLE),),
        stakeholders=(
            ("ei-mahore-batiment", StakeholderRole.SUBCONTRACTOR),
            ("cress-mayotte", StakeholderRole.FACILITATOR),
        ),
        impacts=(
            ImpactSpec("seuil d'application de la clause", Decimal("70000"), "€ HT"),
            ImpactSpec("marchés clos avec clause sociale", Decimal("35")),
            ImpactSpec("heures d'insertion prévues dans ce marché", Decimal("1428"), "heures"),
        ),
        links=(RTES_KIT,),
    ),
    SheetSpec(
        network=NATIONAL,
        author=NATIONAL_ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2022, 2, 8),
        title="Groupement de commandes textile avec audits sociaux jusqu'au bout de la chaîne de production",
        summary=(
            "La Région (ex-Nord-Pas-de-Calais) et six autres collectivités (villes de Dunkerque, Roubaix, Tourcoing "
            "et Villeneuve-d'Ascq, communautés urbaines de Dunkerque et de Lille) achètent ensemble leurs vêtements "
            "de travail et contrôlent les conditions de travail tout au long de la filière, avec l'appui d'un "
            "assistant à maîtrise d'ouvrage."
        ),
        themes=("textile-vetements-travail", "commerce-equitable"),
        contract_type=ContractType.SUPPLIES,
        procedure=Procedure.OPEN_TENDER,
        techniques=(Technique.FRAMEWORK,),
        lots_count=4,
        lots_description=(
            "Lot 1 : vêtements de travail ; lot 2 : vêtements de fonction ; lot 3 : EPI ; lot 4 : chaussures."
        ),
        is_purchasing_group=True,
        main_cpv="18100000-0",
        additional_cpvs=("18222000-1", "18830000-6"),
        duration_months=48,
        amount_min=Decimal("400000"),
        amount_max=Decimal("1600000"),
        notification_date=dt.date(2019, 6, 17),
        departement="59",
        has_social_criterion=True,
        has_environmental_clause=True,
        labels_required="Fairtrade/Max Havelaar coton ou équivalent ; Oeko-Tex Standard 100 ou équivalent",
        context=(
            "Seule, chaque collectivité avait du mal à garantir que ses achats textiles respectent des conditions "
            "de production socialement satisfaisantes. Le réseau régional d'acheteurs, qui se réunit chaque "
            "trimestre sur un thème, a fait du textile un projet commun."
        ),
        actions=(
            "Groupement de commandes coordonné par la Région. Le cahier des charges impose la traçabilité des "
            "sites de production et un plan de progrès social ; un assistant à maîtrise d'ouvrage accompagne les "
            "membres et les titulaires, et des audits sociaux sont réalisés chez les sous-traitants."
        ),
        value_for_buyer=(
            "Un poids d'achat suffisant pour obtenir la transparence des fournisseurs, une expertise partagée et "
            "une image positive de l'institution."
        ),
        value_for_supplier=(
            "Des critères connus et stables, un accompagnement pour améliorer la traçabilité ; la SCOP cotraitante "
            "valorise sa confection locale."
        ),
        lessons="Les audits prennent du temps : prévoir leur calendrier dès la rédaction du marché.",
        advice="Commencer par une famille de produits (vêtements de travail) avant d'élargir aux EPI.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 40),
            CriterionSpec(CriterionKind.TECHNICAL, "Qualité et confort des articles", 25),
            CriterionSpec(CriterionKind.SOCIAL, "Traçabilité et conditions de travail dans la filière", 25),
            CriterionSpec(CriterionKind.ENVIRONMENTAL, "Performance environnementale des fibres et teintures", 10),
        ),
        buyers=(("rhdf", BuyerRole.COORDINATOR),),
        stakeholders=(("scop-fil-nord", StakeholderRole.CO_CONTRACTOR),),
        impacts=(
            ImpactSpec("collectivités membres du groupement", Decimal("7")),
            ImpactSpec("sites de production audités", Decimal("12")),
        ),
    ),
    SheetSpec(
        network=NATIONAL,
        author=NATIONAL_ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2022, 3, 1),
        title="Produits de nettoyage écolabellisés : le premier marché accompagné du conseil régional",
        summary=(
            "Premier marché accompagné par l'assistant à maîtrise d'ouvrage « achats responsables » de la Région "
            "(ex-Nord-Pas-de-Calais) : des produits de nettoyage écolabellisés, moins nombreux et mieux dosés, "
            "avec une formation des agents d'entretien."
        ),
        themes=("proprete-nettoyage", "maintenance-entretien"),
        contract_type=ContractType.SUPPLIES,
        procedure=Procedure.OPEN_TENDER,
        techniques=(Technique.FRAMEWORK,),
        main_cpv="39830000-9",
        additional_cpvs=("39831200-8", "33760000-5"),
        duration_months=36,
        amount_min=Decimal("80000"),
        amount_max=Decimal("300000"),
        notification_date=dt.date(2016, 4, 11),
        departement="59",
        has_environmental_clause=True,
        has_environmental_criterion=True,
        labels_required="Écolabel européen ou équivalent ; NF Environnement ou équivalent",
        context=(
            "Depuis 2003, la Région intègre des clauses sociales et environnementales dans ses marchés. Un comité "
            "de pilotage « achats éthiques et développement durable » a désigné les produits de nettoyage comme "
            "premier marché à accompagner."
        ),
        actions=(
            "Réduction de la gamme de 40 à 12 références, exigence de l'Écolabel européen ou équivalent, "
            "centrales de dilution, formation des agents par le titulaire. Le thème a ensuite été partagé au "
            "réseau régional d'acheteurs lors d'une réunion trimestrielle."
        ),
        value_for_buyer="Moins de produits dangereux, des quantités consommées en baisse, des agents formés.",
        value_for_supplier="Un marché lisible qui valorise les gammes écolabellisées.",
        lessons="La formation des agents est la condition du bon dosage : l'inscrire au marché.",
        advice="Faire tester les produits par les équipes avant de réduire la gamme.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 50),
            CriterionSpec(CriterionKind.TECHNICAL, "Efficacité des produits et formation", 30),
            CriterionSpec(CriterionKind.ENVIRONMENTAL, "Impact environnemental des produits et emballages", 20),
        ),
        buyers=(("rhdf", BuyerRole.SOLE),),
        impacts=(
            ImpactSpec("références de produits avant", Decimal("40")),
            ImpactSpec("références de produits après", Decimal("12")),
        ),
    ),
    SheetSpec(
        network=NATIONAL,
        author=NATIONAL_ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=dt.date(2022, 4, 12),
        title="100 % de papier recyclé et 20 % du budget de fournitures pour des produits éco-responsables",
        summary=(
            "Au conseil régional (ex-Nord-Pas-de-Calais), tout le papier utilisé est 100 % recyclé et chaque "
            "direction consacre 20 % de son budget de fournitures de bureau à des fournitures éco-responsables, "
            "grâce à un catalogue identifié dans le marché."
        ),
        themes=("fournitures-bureau-papier",),
        contract_type=ContractType.SUPPLIES,
        procedure=Procedure.OPEN_TENDER,
        techniques=(Technique.FRAMEWORK, Technique.CATALOGUE),
        lots_count=2,
        lots_description="Lot 1 : papier de reprographie recyclé ; lot 2 : fournitures de bureau.",
        main_cpv="30197630-1",
        additional_cpvs=("30192000-1", "30197643-5"),
        duration_months=48,
        amount_min=Decimal("150000"),
        amount_max=Decimal("600000"),
        notification_date=dt.date(2017, 1, 9),
        departement="59",
        has_environmental_clause=True,
        has_environmental_criterion=True,
        labels_required="Papier 100 % fibres recyclées : Ange bleu (Blauer Engel) ou Écolabel européen ou équivalent",
        context=(
            "Le comité de pilotage des achats éthiques a fixé deux objectifs mesurables : 100 % de papier recyclé "
            "et 20 % du budget « fournitures de bureau » de chaque direction consacré à des fournitures "
            "éco-responsables."
        ),
        actions=(
            "Lot papier exclusivement recyclé ; lot fournitures avec un catalogue électronique où les articles "
            "éco-responsables sont signalés, et un état trimestriel des achats par direction fourni par le "
            "titulaire pour suivre l'objectif des 20 %."
        ),
        value_for_buyer=(
            "Des objectifs suivis chaque trimestre, une communication interne qui implique tous les agents."
        ),
        value_for_supplier="Une demande claire et régulière de produits recyclés et éco-conçus.",
        lessons="Sans état des commandes par direction, l'objectif des 20 % ne peut pas être suivi.",
        advice="Demander au titulaire un reporting trimestriel de la part éco-responsable par service.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 60),
            CriterionSpec(CriterionKind.ENVIRONMENTAL, "Part et qualité de l'offre éco-responsable", 25),
            CriterionSpec(CriterionKind.TECHNICAL, "Délais et conditions de livraison", 15),
        ),
        buyers=(("rhdf", BuyerRole.SOLE),),
        impacts=(
            ImpactSpec("papier recyclé", Decimal("100"), "%"),
            ImpactSpec("part du budget fournitures éco-responsables (objectif)", Decimal("20"), "%"),
        ),
    ),
    SheetSpec(
        network=NATIONAL,
        author=NATIONAL_ANIMATOR_EMAIL,
        status=SheetStatus.PUBLISHED,
        visibility=Visibility.MEMBERS,
        published_on=dt.date(2023, 1, 17),
        title="Nettoyage des maisons départementales des solidarités : une fiche action du SPASER mise en œuvre",
        summary=(
            "Premier marché issu des fiches actions du SPASER 2021–2026 de Meurthe-et-Moselle : nettoyage des "
            "maisons départementales des solidarités avec une clause d'insertion suivie par le PLIE, des produits "
            "écolabellisés et un critère social. Fiche réservée aux adhérents : elle détaille le bilan interne."
        ),
        themes=("proprete-nettoyage", "accueil-services-insertion"),
        contract_type=ContractType.SERVICES,
        procedure=Procedure.OPEN_TENDER,
        techniques=(Technique.FRAMEWORK,),
        lots_count=4,
        lots_description=(
            "Un lot par territoire d'action sociale ; le lot 4 a été remporté par une entreprise d'insertion."
        ),
        main_cpv="90911200-8",
        additional_cpvs=("90919200-4",),
        duration_months=48,
        amount_exact=Decimal("2300000"),
        notification_date=dt.date(2022, 6, 20),
        departement="54",
        has_insertion_clause=True,
        insertion_hours=9200,
        has_social_criterion=True,
        has_environmental_clause=True,
        labels_required="Produits Écolabel européen ou équivalent",
        context=(
            "Adopté en 2020, le SPASER 2021–2026 prolonge les clauses d'insertion pratiquées depuis 2008 et les "
            "partenariats innovants avec le BTP de 2014. Il a été co-construit pendant un an par toutes les "
            "directions, sous forme de fiches actions, avec une gouvernance transversale élus–administration et "
            "un dispositif d'évaluation."
        ),
        actions=(
            "La fiche action « propreté » a fixé un taux d'insertion de 10 % des heures de prestation. Le PLIE "
            "a calibré la clause, présenté des candidats et suit les heures chaque mois. Les produits doivent "
            "porter l'Écolabel européen ou un équivalent."
        ),
        value_for_buyer=(
            "Un indicateur du SPASER alimenté par un marché concret ; un bilan présenté au comité de suivi du SPASER."
        ),
        value_for_supplier=(
            "L'entreprise d'insertion titulaire du lot 4 a créé 6 postes en insertion et formé ses encadrants aux "
            "produits écolabellisés."
        ),
        lessons=(
            "Bilan interne : les heures réalisées dépassent les heures prévues sur trois lots sur quatre ; sur le "
            "lot 2 le titulaire a eu du mal à recruter, le PLIE a organisé un job dating."
        ),
        advice="Relier chaque marché à une fiche action du SPASER pour que l'évaluation se nourrisse des faits.",
        criteria=(
            CriterionSpec(CriterionKind.PRICE, "Prix", 40),
            CriterionSpec(CriterionKind.TECHNICAL, "Méthodologie et moyens humains", 35),
            CriterionSpec(CriterionKind.SOCIAL, "Accompagnement et formation des salariés en insertion", 15),
            CriterionSpec(CriterionKind.ENVIRONMENTAL, "Produits et protocoles à faible impact", 10),
        ),
        buyers=(("cd54", BuyerRole.SOLE),),
        stakeholders=(
            ("ei-net-lorraine", StakeholderRole.HOLDER),
            ("plie-sud-lorraine", StakeholderRole.FACILITATOR),
        ),
        impacts=(
            ImpactSpec("heures d'insertion prévues", Decimal("9200"), "heures"),
            ImpactSpec("postes en insertion créés par le titulaire du lot 4", Decimal("6")),
        ),
        links=(RTES_KIT,),
    ),
)
