"""Vocabularies and distributions of the synthetic case sheets (real procurement words, real CPV codes).

Weights are relative. Domains give CPV divisions in the order 45, 90, 55, 79, 50, 77, 39, 30, 33, 34, 09, 60… as in
published REX sheets; insertion rates are the share of sheets of the domain with a social insertion clause.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from relais.casesheets.enums import ContractType, ReservedBasis, SheetStatus
from relais.organisations.enums import BuyerCategory, StructureType

# A fixed "now" keeps publication dates deterministic.
NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Domain:
    """A family of purchases: its theme, real CPV codes, usual contract type and words."""

    key: str
    weight: float
    theme: str
    related_themes: tuple[str, ...]
    cpvs: tuple[str, ...]  # code8 of real CPV 2008 codes, most generic first
    contract_type: str
    insertion_rate: float
    objects: tuple[str, ...]  # object of the contract, as in a title
    sentences: tuple[str, ...]  # domain sentences for the summary and narrative


W, SU, SE = ContractType.WORKS, ContractType.SUPPLIES, ContractType.SERVICES

# Weights give CPV divisions in the order 45, 90, 55, 79, 50, 77, 39, 30, 33, 34, 09, 60… as in published REX.
DOMAINS: tuple[Domain, ...] = (
    Domain(
        "works",
        15,
        "batiment-travaux-publics",
        ("dechets-economie-circulaire", "energie"),
        (
            "45210000",
            "45260000",
            "45400000",
            "45440000",
            "45442100",
            "45233000",
            "45421000",
            "45300000",
            "45453000",
            "45111100",
            "45112710",
        ),
        W,
        0.6,
        (
            "Réhabilitation d'un groupe scolaire",
            "Construction d'une médiathèque",
            "Travaux de peinture des bâtiments communaux",
            "Rénovation énergétique de logements sociaux",
            "Aménagement d'un centre-bourg",
            "Travaux de voirie",
            "Déconstruction d'un bâtiment avec réemploi des matériaux",
            "Extension d'une crèche",
        ),
        (
            "Le chantier a mobilisé des entreprises du bâtiment du territoire autour de la clause sociale.",
            "Les heures d'insertion ont été réparties entre les lots de gros œuvre, de peinture et de menuiserie.",
            "Un diagnostic ressources a permis le réemploi des portes, des sanitaires et du carrelage.",
            "La rénovation énergétique vise le niveau BBC rénovation avec des isolants biosourcés.",
            "Le facilitateur a accompagné les entreprises pour recruter des personnes éloignées de l'emploi.",
            "La gestion des déchets de chantier a été suivie par bordereaux avec un objectif de valorisation.",
        ),
    ),
    Domain(
        "cleaning",
        12,
        "proprete-nettoyage",
        ("accueil-services-insertion",),
        ("90910000", "90911200", "90919200", "39830000", "33760000"),
        SE,
        0.45,
        (
            "Nettoyage des locaux administratifs",
            "Nettoyage des écoles et des équipements sportifs",
            "Entretien de la vitrerie",
            "Fourniture de produits d'entretien écolabellisés",
            "Nettoyage des bureaux en journée",
            "Propreté des bâtiments hospitaliers",
        ),
        (
            "Le nettoyage est réalisé en journée pour améliorer les conditions de travail des agents.",
            "Les produits d'entretien portent l'Écolabel européen ou un label équivalent.",
            "Le marché est en partie exécuté par une entreprise d'insertion du secteur de la propreté.",
            "Les méthodes de nettoyage à la microfibre et à l'eau ont réduit les consommations de produits.",
            "La clause d'insertion représente une part des heures de nettoyage des locaux.",
        ),
    ),
    Domain(
        "catering",
        14,
        "restauration-collective",
        ("commerce-equitable", "dechets-economie-circulaire"),
        (
            "55520000",
            "55524000",
            "55321000",
            "55523100",
            "15000000",
            "15300000",
            "15500000",
            "15800000",
            "03200000",
            "55510000",
        ),
        SE,
        0.15,
        (
            "Restauration collective des écoles",
            "Fourniture de repas pour la cantine scolaire",
            "Approvisionnement de la cuisine centrale en produits bio et locaux",
            "Portage de repas à domicile",
            "Fourniture de fruits et légumes de saison",
            "Restauration du personnel hospitalier",
        ),
        (
            "La cantine sert des repas avec au moins 50 % de produits durables dont 20 % de produits bio.",
            "Les lots ont été découpés par famille de produits pour ouvrir le marché aux producteurs locaux.",
            "La lutte contre le gaspillage alimentaire a réduit les déchets de la restauration collective.",
            "Les circuits courts et les légumes de saison ont été privilégiés dans les menus.",
            "La cuisine centrale prépare les repas en liaison froide pour les restaurants scolaires.",
            "Un menu végétarien hebdomadaire est proposé conformément à la loi EGalim.",
        ),
    ),
    Domain(
        "green_spaces",
        9,
        "espaces-verts",
        ("dechets-economie-circulaire",),
        ("77310000", "77311000", "77340000", "77313000", "03450000", "77211000"),
        SE,
        0.45,
        (
            "Entretien des espaces verts",
            "Tonte et fauchage des accotements",
            "Élagage des arbres d'alignement",
            "Gestion différenciée des parcs et jardins",
            "Entretien des cimetières sans pesticides",
        ),
        (
            "L'entretien des espaces verts est confié à un atelier chantier d'insertion.",
            "La gestion différenciée et le zéro phyto ont été imposés dans le cahier des charges.",
            "Les déchets verts sont broyés et valorisés en paillage sur place.",
            "Le matériel électrique a remplacé les outils thermiques pour réduire le bruit.",
            "Les tontes sont espacées pour favoriser la biodiversité des prairies fleuries.",
        ),
    ),
    Domain(
        "waste",
        6,
        "dechets-economie-circulaire",
        ("accueil-services-insertion",),
        ("90500000", "90510000", "90511000", "90513000", "90514000", "90600000", "90612000"),
        SE,
        0.35,
        (
            "Collecte et tri des déchets de bureau",
            "Gestion des déchets des déchetteries",
            "Collecte des biodéchets des restaurants scolaires",
            "Recyclage des déchets d'équipements électriques",
            "Valorisation des encombrants par une ressourcerie",
        ),
        (
            "La ressourcerie a permis le réemploi d'une partie des encombrants collectés.",
            "Le tri à la source des biodéchets est organisé avec les services de restauration.",
            "Les déchets d'équipements électriques sont reconditionnés par une entreprise d'insertion.",
            "Le suivi des tonnages collectés et recyclés est transmis chaque trimestre.",
        ),
    ),
    Domain(
        "maintenance",
        6,
        "maintenance-entretien",
        ("energie",),
        ("50700000", "50710000", "50800000", "50100000", "45259000", "50750000"),
        SE,
        0.2,
        (
            "Maintenance des installations de chauffage",
            "Entretien des ascenseurs",
            "Maintenance multitechnique des bâtiments",
            "Réparation des véhicules de la flotte",
        ),
        (
            "La maintenance préventive a réduit les pannes et les consommations d'énergie.",
            "Le titulaire forme un salarié en insertion aux métiers de la maintenance.",
            "Les pièces détachées issues du réemploi sont acceptées lorsque la sécurité le permet.",
        ),
    ),
    Domain(
        "insertion_services",
        5,
        "accueil-services-insertion",
        ("evenementiel",),
        ("98000000", "85300000", "79713000", "64110000", "79500000", "98341130"),
        SE,
        0.3,
        (
            "Accueil et standard de l'hôtel de ville",
            "Gestion du courrier interne",
            "Conciergerie d'entreprise",
            "Gardiennage des bâtiments",
            "Mise sous pli et routage",
        ),
        (
            "Le marché est réservé aux structures d'insertion par l'activité économique.",
            "Les salariés en insertion bénéficient d'un accompagnement socioprofessionnel.",
            "L'accueil physique et téléphonique est assuré par une entreprise adaptée.",
        ),
    ),
    Domain(
        "intellectual",
        4,
        "prestations-intellectuelles",
        (),
        ("79400000", "71000000", "80500000", "79410000", "73000000", "71200000"),
        SE,
        0.05,
        (
            "Assistance à maîtrise d'ouvrage pour le SPASER",
            "Formation des acheteurs à l'achat responsable",
            "Étude de sourçage des fournisseurs de l'ESS",
            "Mission de maîtrise d'œuvre",
        ),
        (
            "L'étude de sourçage a identifié les structures de l'ESS capables de répondre.",
            "La formation des acheteurs porte sur les clauses sociales et environnementales.",
            "Le schéma de promotion des achats responsables fixe des objectifs chiffrés.",
        ),
    ),
    Domain(
        "office",
        5,
        "fournitures-bureau-papier",
        ("dechets-economie-circulaire",),
        ("30190000", "30197000", "30197630", "22800000", "30192000", "30125000"),
        SU,
        0.05,
        (
            "Fourniture de papier recyclé",
            "Fournitures de bureau écoresponsables",
            "Cartouches d'impression remanufacturées",
            "Papeterie et consommables",
        ),
        (
            "Le papier recyclé représente désormais la totalité des ramettes achetées.",
            "Les fournitures de bureau écoresponsables sont identifiées dans le catalogue.",
            "Les cartouches usagées sont collectées et remanufacturées par une entreprise adaptée.",
        ),
    ),
    Domain(
        "furniture",
        4,
        "mobilier",
        ("dechets-economie-circulaire",),
        ("39100000", "39130000", "39160000", "39150000"),
        SU,
        0.1,
        (
            "Mobilier scolaire issu du réemploi",
            "Fourniture de mobilier de bureau reconditionné",
            "Mobilier urbain en bois local",
        ),
        (
            "Le mobilier reconditionné coûte moins cher que le neuf à qualité égale.",
            "Le bois certifié FSC ou PEFC est exigé, ou un label équivalent.",
            "Une ressourcerie reprend le mobilier usagé pour le réemploi.",
        ),
    ),
    Domain(
        "it",
        4,
        "informatique-numerique",
        ("dechets-economie-circulaire",),
        ("30200000", "30213000", "30213100", "48000000", "72000000"),
        SU,
        0.05,
        (
            "Ordinateurs portables reconditionnés",
            "Numérique responsable : postes de travail",
            "Maintenance du parc informatique",
            "Logiciels libres pour les services",
        ),
        (
            "Les ordinateurs reconditionnés sont garantis et préparés par une entreprise d'insertion.",
            "L'indice de réparabilité et la durée de garantie font partie des critères.",
            "Le numérique responsable passe par l'allongement de la durée de vie des équipements.",
        ),
    ),
    Domain(
        "vehicles",
        3,
        "vehicules-mobilite",
        ("energie",),
        ("34100000", "34144900", "34430000", "34110000", "50110000"),
        SU,
        0.05,
        (
            "Acquisition de véhicules électriques",
            "Vélos à assistance électrique pour les agents",
            "Location de véhicules utilitaires à faibles émissions",
        ),
        (
            "Les véhicules à faibles émissions remplacent progressivement la flotte thermique.",
            "Les vélos à assistance électrique sont entretenus par un atelier d'insertion.",
        ),
    ),
    Domain(
        "energy",
        3,
        "energie",
        (),
        ("09310000", "09123000", "09135000", "71314000", "65300000", "09330000"),
        SU,
        0.02,
        (
            "Fourniture d'électricité d'origine renouvelable",
            "Fourniture de gaz naturel",
            "Installation de panneaux solaires",
            "Achat groupé d'énergie",
        ),
        (
            "L'électricité verte est garantie par des garanties d'origine françaises.",
            "Le groupement de commandes a mutualisé l'achat d'énergie de plusieurs collectivités.",
        ),
    ),
    Domain(
        "transport",
        3,
        "transport",
        (),
        ("60100000", "60112000", "60130000", "60140000", "60000000"),
        SE,
        0.25,
        (
            "Transport scolaire",
            "Transport adapté des élèves en situation de handicap",
            "Transport de personnes âgées vers les services",
        ),
        (
            "Le transport adapté est assuré par une entreprise de l'ESS.",
            "Les conducteurs sont recrutés en partie dans le cadre de la clause d'insertion.",
        ),
    ),
    Domain(
        "textile",
        4,
        "textile-vetements-travail",
        ("commerce-equitable",),
        ("18100000", "18110000", "18000000", "39500000", "19000000", "18800000"),
        SU,
        0.1,
        (
            "Vêtements de travail en coton équitable",
            "Uniformes des agents de la police municipale",
            "Équipements de protection individuelle",
            "Linge hospitalier",
        ),
        (
            "Le coton équitable et biologique est exigé pour les vêtements de travail.",
            "Un audit social de la chaîne d'approvisionnement textile a été demandé.",
            "Le groupement de commandes textile réunit plusieurs collectivités de la région.",
        ),
    ),
    Domain(
        "events",
        2,
        "evenementiel",
        ("restauration-collective",),
        ("79952000", "79950000", "55120000", "55300000"),
        SE,
        0.1,
        ("Organisation des manifestations municipales", "Prestations de traiteur pour les réceptions"),
        (
            "Le traiteur propose des produits locaux, bio et du café équitable.",
            "Les manifestations sont organisées selon une charte d'événement écoresponsable.",
        ),
    ),
    Domain(
        "fair_trade",
        3,
        "commerce-equitable",
        ("restauration-collective",),
        ("15860000", "15842000", "15861000", "15863000", "42933000"),
        SU,
        0.02,
        (
            "Café et thé issus du commerce équitable",
            "Distributeurs automatiques de boissons équitables",
            "Chocolat équitable pour les écoles",
        ),
        (
            "Le café équitable est servi lors des réceptions et dans les distributeurs automatiques.",
            "Le label Max Havelaar ou un label équivalent de commerce équitable est exigé.",
            "La démarche Territoire de commerce équitable a guidé les achats.",
        ),
    ),
    Domain(
        "printing",
        2,
        "impression-communication",
        ("fournitures-bureau-papier",),
        ("79800000", "79810000", "22100000", "79340000", "79822500"),
        SE,
        0.1,
        ("Impression des supports de communication", "Impression du magazine municipal"),
        (
            "L'imprimeur est labellisé Imprim'Vert et utilise des encres végétales.",
            "Le papier recyclé ou certifié est exigé pour tous les imprimés.",
        ),
    ),
    Domain(
        "health",
        2,
        "sante-medico-social",
        ("textile-vetements-travail",),
        ("33000000", "33140000", "33700000", "85100000", "33190000", "33600000"),
        SU,
        0.05,
        ("Fourniture de consommables médicaux", "Produits d'hygiène pour les établissements médico-sociaux"),
        (
            "Les produits d'hygiène sont sans perturbateurs endocriniens.",
            "Un ESAT assure le conditionnement des consommables médicaux.",
        ),
    ),
)

GENERIC = {
    "context": (
        "La collectivité s'est engagée dans un schéma de promotion des achats responsables (SPASER).",
        "Le renouvellement du marché a été l'occasion de revoir le besoin avec les services utilisateurs.",
        "Les élus souhaitaient utiliser la commande publique comme levier pour l'emploi local.",
        "Un sourçage auprès des structures de l'économie sociale et solidaire a précédé la consultation.",
        "Le précédent marché ne comportait aucune considération sociale ni environnementale.",
        "Le réseau a accompagné l'acheteur dans la rédaction du cahier des charges.",
    ),
    "actions": (
        "Une clause d'insertion a été intégrée comme condition d'exécution du marché.",
        "Le critère environnemental est pondéré à hauteur de 20 % de la note finale.",
        "Une rencontre avec les fournisseurs a été organisée avant le lancement de la consultation.",
        "Le marché a été alloti pour faciliter l'accès des petites entreprises et des structures de l'ESS.",
        "Les candidats devaient présenter un mémoire technique détaillant leur démarche sociale.",
        "Un suivi trimestriel de l'exécution est assuré avec le titulaire.",
    ),
    "value_for_buyer": (
        "L'acheteur a obtenu une offre de qualité à un coût maîtrisé.",
        "Les objectifs du SPASER sont désormais suivis par des indicateurs précis.",
        "Le retour d'expérience a été partagé avec les autres adhérents du réseau.",
        "La qualité du service rendu aux usagers s'est améliorée.",
    ),
    "value_for_supplier": (
        "La structure a pérennisé des emplois et développé son chiffre d'affaires.",
        "Les salariés en parcours d'insertion ont acquis une expérience professionnelle.",
        "Le titulaire a gagné en visibilité auprès d'autres acheteurs publics.",
        "Plusieurs personnes ont trouvé un emploi durable à la sortie du parcours.",
    ),
    "lessons": (
        "Le calibrage des heures d'insertion doit être fait avec le facilitateur en amont.",
        "Les offres ont été plus nombreuses que prévu grâce au sourçage.",
        "Le suivi des heures d'insertion demande du temps aux services.",
        "Il faut prévoir un délai de réponse suffisant pour les petites structures.",
    ),
    "advice": (
        "Associer le facilitateur dès la définition du besoin.",
        "Rencontrer les structures de l'ESS du territoire avant de rédiger le cahier des charges.",
        "Prévoir des indicateurs de suivi simples et un bilan annuel.",
        "Accepter les labels équivalents et le demander explicitement dans le règlement de consultation.",
    ),
}

TOWNS = (
    "Rennes",
    "Nantes",
    "Brest",
    "Angers",
    "Le Mans",
    "Lorient",
    "Vannes",
    "Quimper",
    "Saint-Brieuc",
    "Laval",
    "Bordeaux",
    "Poitiers",
    "Limoges",
    "Pau",
    "La Rochelle",
    "Lyon",
    "Grenoble",
    "Clermont-Ferrand",
    "Saint-Étienne",
    "Annecy",
    "Strasbourg",
    "Metz",
    "Nancy",
    "Reims",
    "Dijon",
    "Besançon",
    "Lille",
    "Amiens",
    "Roubaix",
    "Dunkerque",
    "Toulouse",
    "Montpellier",
    "Nîmes",
    "Perpignan",
    "Marseille",
    "Nice",
    "Avignon",
    "Toulon",
    "Paris",
    "Montreuil",
    "Saint-Denis",
    "Nanterre",
    "Rouen",
    "Caen",
    "Le Havre",
    "Tours",
    "Orléans",
    "Bourges",
    "Ajaccio",
    "Bastia",
    "Cherbourg",
    "Niort",
    "Valence",
    "Chambéry",
    "Mulhouse",
    "Colmar",
)
BUYER_KINDS = (
    ("Ville de {t}", BuyerCategory.COMMUNE, 40),
    ("Communauté d'agglomération de {t}", BuyerCategory.EPCI, 15),
    ("Centre communal d'action sociale de {t}", BuyerCategory.OTHER, 8),
    ("Centre hospitalier de {t}", BuyerCategory.HOSPITAL, 8),
    ("{t} Habitat", BuyerCategory.SOCIAL_LANDLORD, 8),
    ("Département ({d})", BuyerCategory.DEPARTEMENT, 8),
    ("Syndicat mixte de restauration de {t}", BuyerCategory.OTHER, 5),
    ("Lycée Jean-Moulin de {t}", BuyerCategory.OTHER, 8),
)
SUPPLIER_KINDS = (
    ("Entreprise d'insertion {w} de {t}", StructureType.EI, 25),
    ("Atelier chantier d'insertion {w}", StructureType.ACI, 20),
    ("ESAT {w} de {t}", StructureType.ESAT, 15),
    ("Entreprise adaptée {w}", StructureType.EA, 12),
    ("Association intermédiaire {w}", StructureType.AI, 8),
    ("ETTI {w} Intérim", StructureType.ETTI, 6),
    ("SCOP {w}", StructureType.SCOP, 8),
    ("GEIQ {w}", StructureType.GEIQ, 3),
    ("Ressourcerie {w}", StructureType.ASSOCIATION, 3),
)
SUPPLIER_WORDS = (
    "Les Jardins",
    "Tremplin",
    "Horizon",
    "Le Relais",
    "Envie",
    "Solidarité Services",
    "Les Compagnons",
    "Alternative",
    "Passerelle",
    "Main Verte",
    "Emmaüs",
    "Bâti Avenir",
    "Net Insertion",
    "Atelier du Bocage",
    "Terre d'Avenir",
)
NETWORKS = (
    # slug, name, acronym, régions, weight
    (
        "reseco",
        "RESECO — Réseau Grand Ouest commande publique et développement durable",
        "RESECO",
        ("53", "52", "28", "24"),
        34,
    ),
    ("3ar", "Association aquitaine des achats publics responsables", "3AR", ("75",), 14),
    ("aura-achats", "Réseau achats responsables Auvergne-Rhône-Alpes", "RAR-AURA", ("84",), 12),
    ("grand-est-durable", "Réseau commande publique durable Grand Est", "CPD-GE", ("44", "27"), 10),
    ("hdf-achats", "Réseau des acheteurs responsables Hauts-de-France", "RAR-HDF", ("32",), 9),
    ("ile-de-france", "Réseau francilien de la commande publique responsable", "RFCPR", ("11",), 8),
    ("occitanie-durable", "Réseau achats durables Occitanie", "RAD-OC", ("76",), 8),
    ("sud-achats", "Réseau achats responsables Sud", "RAR-SUD", ("93", "94"), 5),
)
YEAR_WEIGHTS = {2018: 5, 2019: 7, 2020: 7, 2021: 10, 2022: 12, 2023: 14, 2024: 16, 2025: 17, 2026: 8}
STATUS_WEIGHTS = {
    SheetStatus.PUBLISHED: 90,
    SheetStatus.DRAFT: 4,
    SheetStatus.SUBMITTED: 2,
    SheetStatus.RETURNED: 1,
    SheetStatus.ARCHIVED: 3,
}
RESERVED_WEIGHTS = {
    ReservedBasis.L2113_13: 45,
    ReservedBasis.L2113_12: 35,
    ReservedBasis.L2113_14: 10,
    ReservedBasis.L2113_15: 7,
    ReservedBasis.L2113_13_1: 3,
}
LABELS = (
    "Écolabel européen",
    "NF Environnement",
    "Ange bleu",
    "FSC ou PEFC",
    "Agriculture biologique",
    "Max Havelaar",
    "Imprim'Vert",
    "TCO Certified",
    "Cygne nordique",
)
IMPACTS = (
    ("personnes en insertion", "personnes"),
    ("heures d'insertion réalisées", "heures"),
    ("tonnes de déchets évitées", "tonnes"),
    ("part de produits bio", "%"),
    ("emplois pérennisés", "emplois"),
)
