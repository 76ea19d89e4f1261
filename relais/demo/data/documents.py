"""Demo content of the document library: a few realistic guides, clause models and tender documents.

Files are written here as small genuine DOCX, ODT and CSV documents, then shared through the real service (so
versions, the search index and the extraction task are those of real use: run the task worker to index the text).
Idempotent: a document is looked up by its title within its network and created only when missing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile

from relais.accounts.models import User
from relais.documents.enums import AccessLevel, DocumentKind
from relais.documents.formats import CSV, DOCX, ODT
from relais.documents.models import Document
from relais.documents.services import document_create
from relais.networks.models import Network
from relais.organisations.models import Organisation
from relais.reference.models import Theme

from .accounts import ANIMATOR_EMAIL, MEMBER_EMAIL
from .directory import NATIONAL, RGO


def _docx(paragraphs: tuple[str, ...]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
            '+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>',
        )
    return buffer.getvalue()


def _odt(paragraphs: tuple[str, ...]) -> bytes:
    body = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f"<office:body><office:text>{body}</office:text></office:body></office:document-content>",
        )
    return buffer.getvalue()


def _csv(paragraphs: tuple[str, ...]) -> bytes:
    return ("\r\n".join(paragraphs) + "\r\n").encode("utf-8")


_BUILDERS = {DOCX: (_docx, ".docx"), ODT: (_odt, ".odt"), CSV: (_csv, ".csv")}


@dataclass(frozen=True)
class DocumentSpec:
    network: str
    title: str
    kind: str
    description: str
    content_type: str
    text: tuple[str, ...]
    access_level: str = AccessLevel.MEMBERS
    themes: tuple[str, ...] = ()
    organisation: str = ""
    date: dt.date | None = None
    by: str = MEMBER_EMAIL


DOCUMENTS = (
    DocumentSpec(
        network=RGO,
        title="CCTP — Entretien des espaces verts avec clause d'insertion",
        kind=DocumentKind.SPECIFICATIONS,
        description="Cahier des clauses techniques particulières d'un marché d'entretien des espaces verts "
        "départementaux, avec une clause sociale d'insertion calibrée par le facilitateur.",
        content_type=DOCX,
        text=(
            "Article 1 — Objet du marché : entretien des espaces verts des collèges du département.",
            "Article 8 — Clause d'insertion : le titulaire réserve 1 200 heures de travail à des personnes "
            "éloignées de l'emploi, suivies par le facilitateur de la Maison de l'emploi.",
            "Article 9 — Gestion différenciée : aucun produit phytosanitaire de synthèse.",
        ),
        themes=("espaces-verts", "accueil-services-insertion"),
        organisation="cd35",
        date=dt.date(2025, 2, 10),
    ),
    DocumentSpec(
        network=RGO,
        title="Modèle de clause : commerce équitable pour le café et le thé",
        kind=DocumentKind.CLAUSE_MODEL,
        description="Rédaction type d'une spécification technique exigeant des produits issus du commerce "
        "équitable (loi 2005-882, art. 60), label équivalent accepté.",
        content_type=ODT,
        text=(
            "Les cafés, thés et chocolats fournis sont issus du commerce équitable au sens de l'article 60 de la "
            "loi n° 2005-882. Le label Fairtrade/Max Havelaar, SPP, Fair for Life ou tout label équivalent est "
            "accepté.",
        ),
        access_level=AccessLevel.PUBLIC,
        themes=("commerce-equitable", "restauration-collective"),
        date=dt.date(2024, 11, 5),
    ),
    DocumentSpec(
        network=RGO,
        title="Grille d'analyse des offres — nettoyage des locaux",
        kind=DocumentKind.AWARD_GRID,
        description="Critères et pondérations utilisés pour un marché de propreté avec critère environnemental.",
        content_type=CSV,
        text=(
            "critère;pondération;sous-critère",
            "Prix;40;Prix global et forfaitaire",
            "Valeur technique;35;Méthodologie et moyens humains",
            "Performance environnementale;15;Produits écolabellisés et dosage",
            "Performance en matière d'insertion;10;Heures d'insertion proposées",
        ),
        themes=("proprete-nettoyage",),
        organisation="rennes-metropole",
        date=dt.date(2025, 6, 1),
    ),
    DocumentSpec(
        network=NATIONAL,
        title="Guide : préparer son SPASER en 10 étapes",
        kind=DocumentKind.GUIDE,
        description="Synthèse des pratiques des membres pour construire, publier et suivre un schéma de promotion "
        "des achats socialement et écologiquement responsables.",
        content_type=DOCX,
        text=(
            "Le SPASER est obligatoire au-delà de 50 millions d'euros HT d'achats annuels (article L2111-3 du code "
            "de la commande publique).",
            "Étape 1 : mesurer le volume d'achats de l'année civile. Étape 2 : fixer des objectifs sociaux et "
            "écologiques chiffrés.",
        ),
        access_level=AccessLevel.PUBLIC,
        by=MEMBER_EMAIL,
        date=dt.date(2025, 9, 15),
    ),
)


def load(*, networks: dict[str, Network], users: dict[str, User], organisations: dict[str, Organisation]) -> int:
    """Create the demo documents that are missing; return how many were created."""
    created = 0
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for spec in DOCUMENTS:
        network = networks.get(spec.network)
        author = users.get(spec.by) or users.get(ANIMATOR_EMAIL)
        if network is None or author is None:
            continue
        if Document.objects.filter(network=network, title=spec.title).exists():
            continue
        build, extension = _BUILDERS[spec.content_type]
        data = build(spec.text)
        name = f"{DocumentKind(spec.kind).value.replace('_', '-')}{extension}"
        document_create(
            network=network,
            by=author,
            title=spec.title,
            kind=spec.kind,
            description=spec.description,
            themes=[themes[slug] for slug in spec.themes if slug in themes],
            author_organisation=organisations.get(spec.organisation) if spec.organisation else None,
            document_date=spec.date,
            access_level=spec.access_level,
            file=ContentFile(data, name=name),
            original_name=name,
            content_type=spec.content_type,
        )
        created += 1
    return created
