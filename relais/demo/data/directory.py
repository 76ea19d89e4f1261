"""Networks, organisations, and the memberships of buyers with their referents.

Public authorities are real ones named in the public sources of the project (RTES kit n°12, Nord-Pas-de-Calais
regional council, Réseau Grand Ouest); their SIRETs, the people, e-mails and the social-economy structures are
fictional.
"""

from __future__ import annotations

import datetime as dt

from relais.networks.enums import NetworkScope
from relais.organisations.enums import BuyerCategory, OrganisationKind, StructureType, SupportCategory

from ..specs import MembershipSpec, NetworkSpec, OrganisationSpec, ReferentSpec

RGO = "reseau-grand-ouest"
NATIONAL = "reseau-national-acheteurs-responsables"

NETWORKS = (
    NetworkSpec(
        slug=RGO,
        name="Réseau Grand Ouest",
        acronym="RGO",
        scope=NetworkScope.REGIONAL,
        description=(
            "Réseau Grand Ouest commande publique et développement durable : association créée en 2006 à Nantes "
            "par des collectivités de l'Ouest, après deux rencontres à Angers (2004 et 2005), pour intégrer le "
            "développement durable dans la commande publique de ses adhérents. "
            "Le réseau anime des groupes de travail thématiques co-pilotés avec une collectivité, qui se concluent "
            "par un guide de préconisations, des webmatinales, des formations et des journées de sensibilisation, "
            "des rencontres entre acheteurs et fournisseurs et un appui juridique individuel. Chaque adhérent est "
            "représenté par un binôme élu / technicien référent."
        ),
        region_codes=("53", "52", "24"),
    ),
    NetworkSpec(
        slug=NATIONAL,
        name="Réseau national des acheteurs responsables",
        acronym="RNAR",
        scope=NetworkScope.NATIONAL,
        description=(
            "Réseau national qui relie les acheteurs publics engagés dans une commande publique responsable et les "
            "réseaux territoriaux. Il capitalise des retours d'expérience « Marchés publics et structures de l'ESS » "
            "venus de tout le territoire, y compris les outre-mer, et les met à disposition de tous."
        ),
    ),
)


def _pair(
    network: str, since: dt.date, elected: tuple[str, str, str] | None, technician: tuple[str, str, str]
) -> MembershipSpec:
    return MembershipSpec(
        network=network,
        since=since,
        elected=ReferentSpec(*elected) if elected else None,
        technician=ReferentSpec(*technician),
    )


BUYERS = (
    OrganisationSpec(
        key="cd35",
        name="Département d'Ille-et-Vilaine",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.DEPARTEMENT,
        departement="35",
        city="Rennes",
        description=(
            "Labellisé « Territoire de commerce équitable » fin 2014, le Département développe les achats "
            "équitables et forme ses agents et ses acheteurs à ces achats."
        ),
        memberships=(
            _pair(
                RGO,
                dt.date(2006, 1, 20),
                ("Annick Le Goff", "Vice-présidente déléguée aux achats responsables", "annick.legoff@exemple.fr"),
                ("Yann Perrot", "Chef du service de la commande publique", "yann.perrot@exemple.fr"),
            ),
            _pair(
                NATIONAL,
                dt.date(2019, 3, 1),
                ("Annick Le Goff", "Vice-présidente déléguée aux achats responsables", "annick.legoff@exemple.fr"),
                ("Sophie Le Bihan", "Acheteuse référente achats responsables", "sophie.lebihan@exemple.fr"),
            ),
        ),
    ),
    OrganisationSpec(
        key="cd62",
        name="Département du Pas-de-Calais",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.DEPARTEMENT,
        departement="62",
        city="Arras",
        description="Déploie un marché d'insertion pour les fonctions d'entretien et de restauration de ses collèges.",
        memberships=(
            _pair(
                NATIONAL,
                dt.date(2018, 6, 1),
                ("Bernard Delattre", "Conseiller départemental délégué à l'insertion", "bernard.delattre@exemple.fr"),
                ("Amandine Caron", "Responsable de la mission clauses sociales", "amandine.caron@exemple.fr"),
            ),
        ),
    ),
    OrganisationSpec(
        key="cd54",
        name="Département de Meurthe-et-Moselle",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.DEPARTEMENT,
        departement="54",
        city="Nancy",
        description=(
            "Clauses d'insertion depuis 2008, partenariats innovants avec le BTP depuis 2014, SPASER 2021–2026 "
            "adopté en 2020."
        ),
        memberships=(
            _pair(
                NATIONAL,
                dt.date(2020, 1, 15),
                ("Hélène Marchal", "Vice-présidente chargée des achats", "helene.marchal@exemple.fr"),
                ("Thomas Schmitt", "Directeur de la commande publique", "thomas.schmitt@exemple.fr"),
            ),
        ),
    ),
    OrganisationSpec(
        key="cd976",
        name="Département de Mayotte",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.DEPARTEMENT,
        departement="976",
        city="Mamoudzou",
        description=(
            "Applique des clauses sociales à presque tous ses marchés à partir de 70 000 € HT depuis 2017, avec "
            "l'appui de la CRESS de Mayotte."
        ),
        memberships=(
            _pair(
                NATIONAL,
                dt.date(2019, 9, 1),
                ("Zaïnaba Ahamada", "Conseillère départementale déléguée à l'emploi", "zainaba.ahamada@exemple.fr"),
                ("Saïd Abdallah", "Chef du service des marchés publics", "said.abdallah@exemple.fr"),
            ),
        ),
    ),
    OrganisationSpec(
        key="rhdf",
        name="Région Hauts-de-France (ex-Nord-Pas-de-Calais)",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.REGION,
        departement="59",
        city="Lille",
        description=(
            "Clauses sociales et environnementales depuis 2003 ; comité de pilotage « achats éthiques et "
            "développement durable » présidé par un élu ; membre d'un réseau d'acheteurs qui se réunit chaque "
            "trimestre sur un thème."
        ),
        memberships=(
            _pair(
                NATIONAL,
                dt.date(2017, 2, 1),
                (
                    "Marc Vandewalle",
                    "Conseiller régional, président du comité achats éthiques",
                    "marc.vandewalle@exemple.fr",
                ),
                (
                    "Isabelle Dufour",
                    "Assistante à maîtrise d'ouvrage achats responsables",
                    "isabelle.dufour@exemple.fr",
                ),
            ),
        ),
    ),
    OrganisationSpec(
        key="nantes",
        name="Ville de Nantes",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.COMMUNE,
        departement="44",
        city="Nantes",
        description="Membre fondateur du réseau ; restauration scolaire et programme de construction d'écoles.",
        memberships=(
            _pair(
                RGO,
                dt.date(2006, 1, 20),
                ("Malik Traoré", "Adjoint au maire délégué à la commande publique", "malik.traore@exemple.fr"),
                ("Gwenaëlle Rio", "Responsable de la cellule achats durables", "gwenaelle.rio@exemple.fr"),
            ),
            _pair(
                NATIONAL,
                dt.date(2021, 1, 1),
                ("Malik Traoré", "Adjoint au maire délégué à la commande publique", "malik.traore@exemple.fr"),
                ("Gwenaëlle Rio", "Responsable de la cellule achats durables", "gwenaelle.rio@exemple.fr"),
            ),
        ),
    ),
    OrganisationSpec(
        key="rennes-metropole",
        name="Rennes Métropole",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.EPCI,
        departement="35",
        city="Rennes",
        description="Marchés réservés aux ESAT et aux entreprises adaptées pour l'entretien de ses espaces verts.",
        memberships=(
            _pair(
                RGO,
                dt.date(2007, 3, 12),
                ("Loïc Hamon", "Vice-président chargé des achats", "loic.hamon@exemple.fr"),
                ("Morgane Tanguy", "Acheteuse espaces verts et propreté", "morgane.tanguy@exemple.fr"),
            ),
        ),
    ),
    OrganisationSpec(
        key="angers",
        name="Ville d'Angers",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.COMMUNE,
        departement="49",
        city="Angers",
        description="Accueille les premières rencontres du réseau en 2004 et 2005 ; marchés réservés aux SIAE.",
        memberships=(
            _pair(
                RGO,
                dt.date(2006, 1, 20),
                ("Catherine Moreau", "Adjointe à la transition écologique", "catherine.moreau@exemple.fr"),
                ("Julien Bodin", "Chargé de mission achats responsables", "julien.bodin@exemple.fr"),
            ),
        ),
    ),
    OrganisationSpec(
        key="tours-metropole",
        name="Tours Métropole Val de Loire",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.EPCI,
        departement="37",
        city="Tours",
        description="Adhérente depuis l'ouverture du réseau à la région Centre en 2013 ; achats innovants.",
        memberships=(
            _pair(
                RGO,
                dt.date(2013, 9, 1),
                ("Pierre Lemaire", "Vice-président délégué à l'économie circulaire", "pierre.lemaire@exemple.fr"),
                ("Élodie Fournier", "Responsable du pôle achats", "elodie.fournier@exemple.fr"),
            ),
        ),
    ),
    OrganisationSpec(
        key="chu-angers",
        name="CHU d'Angers",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.HOSPITAL,
        departement="49",
        city="Angers",
        description="Cuisine centrale de 5 000 repas par jour pour les patients et le personnel.",
        memberships=(
            _pair(
                RGO,
                dt.date(2015, 5, 4),
                ("Jean-Paul Ménard", "Président du conseil de surveillance", "jean-paul.menard@exemple.fr"),
                ("Nadia Cherif", "Responsable des achats alimentaires", "nadia.cherif@exemple.fr"),
            ),
        ),
    ),
    OrganisationSpec(
        key="anjou-habitat",
        name="Anjou Habitat Solidaire (office public de l'habitat)",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.SOCIAL_LANDLORD,
        departement="49",
        city="Angers",
        description="Bailleur social fictif de 9 000 logements en Maine-et-Loire.",
        memberships=(
            _pair(
                RGO,
                dt.date(2016, 1, 1),
                ("Christine Gaudin", "Présidente du conseil d'administration", "christine.gaudin@exemple.fr"),
                ("Romain Lebrun", "Responsable des marchés et de la maintenance", "romain.lebrun@exemple.fr"),
            ),
        ),
    ),
    OrganisationSpec(
        key="prefecture-pdl",
        name="Préfecture de la région Pays de la Loire",
        kind=OrganisationKind.BUYER,
        buyer_category=BuyerCategory.STATE,
        departement="44",
        city="Nantes",
        description="Service de l'État ; plateforme régionale des achats de l'État.",
        memberships=(
            _pair(
                RGO,
                dt.date(2019, 1, 1),
                None,
                ("Claire Besnard", "Acheteuse à la plateforme régionale des achats", "claire.besnard@exemple.fr"),
            ),
        ),
    ),
)

SUPPLIERS = (
    OrganisationSpec(
        key="ei-net-lorraine",
        name="Net'Lorraine Insertion",
        kind=OrganisationKind.SUPPLIER,
        departement="54",
        city="Vandœuvre-lès-Nancy",
        description="Entreprise d'insertion de propreté : nettoyage de bureaux, d'établissements recevant du public.",
        structures=(
            (StructureType.EI, "Conventionnement DDETS"),
            (StructureType.ESUS, "Agrément ESUS"),
        ),
    ),
    OrganisationSpec(
        key="esat-jardins-vilaine",
        name="ESAT Les Jardins de la Vilaine",
        kind=OrganisationKind.SUPPLIER,
        departement="35",
        city="Saint-Jacques-de-la-Lande",
        description=(
            "ESAT de 60 travailleurs : tonte, taille, désherbage sans produits phytosanitaires, petits aménagements."
        ),
        structures=((StructureType.ESAT, "Autorisation ARS"),),
    ),
    OrganisationSpec(
        key="aci-rives-sentiers",
        name="Rives et Sentiers",
        kind=OrganisationKind.SUPPLIER,
        departement="49",
        city="Angers",
        description="Atelier et chantier d'insertion : entretien des berges, des sentiers et des espaces naturels.",
        structures=(
            (StructureType.ACI, "Conventionnement DDETS"),
            (StructureType.ASSOCIATION, "Association loi 1901"),
        ),
    ),
    OrganisationSpec(
        key="ai-artois",
        name="Artois Services Emploi",
        kind=OrganisationKind.SUPPLIER,
        departement="62",
        city="Béthune",
        description=(
            "Association intermédiaire : mise à disposition de personnes en insertion (entretien, restauration)."
        ),
        structures=(
            (StructureType.AI, "Conventionnement DDETS"),
            (StructureType.ASSOCIATION, "Association loi 1901"),
        ),
    ),
    OrganisationSpec(
        key="ea-numeria",
        name="Numéria Ouest",
        kind=OrganisationKind.SUPPLIER,
        departement="44",
        city="Saint-Herblain",
        description="Entreprise adaptée : numérisation, indexation et archivage de documents.",
        structures=((StructureType.EA, "Contrat pluriannuel d'objectifs et de moyens"),),
    ),
    OrganisationSpec(
        key="geiq-btp",
        name="GEIQ BTP Loire-Atlantique",
        kind=OrganisationKind.SUPPLIER,
        departement="44",
        city="Nantes",
        description="Groupement d'employeurs pour l'insertion et la qualification dans le bâtiment.",
        structures=((StructureType.GEIQ, "Label GEIQ"),),
    ),
    OrganisationSpec(
        key="scop-batisseurs",
        name="Les Bâtisseurs de l'Erdre",
        kind=OrganisationKind.SUPPLIER,
        departement="44",
        city="Nantes",
        description="Société coopérative de maçonnerie et de gros œuvre, 45 salariés dont 30 associés.",
        structures=((StructureType.SCOP, "Inscription sur la liste des SCOP"),),
    ),
    OrganisationSpec(
        key="scic-second-souffle",
        name="Second Souffle Mobilier",
        kind=OrganisationKind.SUPPLIER,
        departement="37",
        city="Tours",
        description="SCIC de réemploi : collecte, reconditionnement et revente de mobilier professionnel.",
        structures=(
            (StructureType.SCIC, "Statuts de SCIC"),
            (StructureType.ESUS, "Agrément ESUS"),
        ),
    ),
    OrganisationSpec(
        key="assoc-equitable",
        name="Solidarités Équitables Bretagne",
        kind=OrganisationKind.SUPPLIER,
        departement="35",
        city="Rennes",
        description=(
            "Association d'importation et de distribution de produits du commerce équitable (café, chocolat), "
            "partenaire de coopératives de producteurs."
        ),
        structures=((StructureType.ASSOCIATION, "Association loi 1901"),),
    ),
    OrganisationSpec(
        key="scop-fil-nord",
        name="Fil du Nord",
        kind=OrganisationKind.SUPPLIER,
        departement="59",
        city="Roubaix",
        description="SCOP de confection textile : vêtements de travail, traçabilité de la filière.",
        structures=((StructureType.SCOP, "Inscription sur la liste des SCOP"),),
    ),
    OrganisationSpec(
        key="ei-legumerie",
        name="La Légumerie d'Anjou",
        kind=OrganisationKind.SUPPLIER,
        departement="49",
        city="Trélazé",
        description="Entreprise d'insertion : lavage, épluchage et découpe de légumes locaux pour la restauration.",
        structures=((StructureType.EI, "Conventionnement DDETS"),),
    ),
    OrganisationSpec(
        key="ei-mahore-batiment",
        name="Mahoré Bâtiment Insertion",
        kind=OrganisationKind.SUPPLIER,
        departement="976",
        city="Mamoudzou",
        description="Entreprise d'insertion du second œuvre : peinture, petite maçonnerie, entretien de bâtiments.",
        structures=((StructureType.EI, "Conventionnement DEETS"),),
    ),
)

SUPPORT_OPERATORS = (
    OrganisationSpec(
        key="mde-estuaire",
        name="Maison de l'emploi Loire Estuaire",
        kind=OrganisationKind.SUPPORT,
        support_category=SupportCategory.FACILITATOR,
        departement="44",
        city="Nantes",
        description="Service des clauses sociales : calibrage, mise en relation, suivi des heures et bilans.",
    ),
    OrganisationSpec(
        key="plie-sud-lorraine",
        name="PLIE Sud Lorraine",
        kind=OrganisationKind.SUPPORT,
        support_category=SupportCategory.FACILITATOR,
        departement="54",
        city="Nancy",
        description="Plan local pour l'insertion et l'emploi ; facilitatrice des clauses sociales du Département.",
    ),
    OrganisationSpec(
        key="cress-mayotte",
        name="CRESS de Mayotte",
        kind=OrganisationKind.SUPPORT,
        support_category=SupportCategory.CRESS,
        departement="976",
        city="Mamoudzou",
        description="Chambre régionale de l'ESS ; porte le dispositif de facilitation des clauses depuis 2017.",
    ),
)

ORGANISATIONS = BUYERS + SUPPLIERS + SUPPORT_OPERATORS
