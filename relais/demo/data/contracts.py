"""Demo public contracts: a few hundred DECP records of the demo buyers, imported through the real pipeline.

The records are written as a 2022-format DECP file (the format buyers publish) and imported with
`relais.contracts.services.decp_import`, so the demo shows an import report with its defects, buyer figures and
compliance checks. Deterministic (seeded): loading twice finds every contract unchanged. Holders are the demo's
social-economy suppliers and fictional companies whose SIRETs start with "000", like the other demo numbers.
Contracts notified from 2026-08-21 without environmental consideration are there on purpose, for the art. 35
compliance check.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
from pathlib import Path

from relais.accounts.models import User
from relais.contracts.models import ImportRun
from relais.contracts.services import decp_import
from relais.networks.models import Network
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation

from ..specs import demo_siret

SEED = 2026
CONTRACTS_PER_BUYER = 40
SOURCE_NAME = "demo-decp-2022.json"
# (CPV with check digit, object, share of the demo's contracts) — the purchases of the demo's case sheets.
PURCHASES = (
    ("55524000-9", "Restauration scolaire et fourniture de repas", 4),
    ("90910000-9", "Nettoyage des locaux administratifs", 4),
    ("77310000-6", "Entretien des espaces verts", 3),
    ("45000000-7", "Travaux de réhabilitation de bâtiments", 3),
    ("18110000-3", "Vêtements de travail en coton équitable", 1),
    ("15861000-1", "Café issu du commerce équitable", 1),
    ("30213000-5", "Ordinateurs reconditionnés", 1),
    ("39130000-2", "Mobilier de bureau de réemploi", 1),
    ("79000000-4", "Accompagnement et conseil aux achats responsables", 1),
)
PROCEDURES = ("Procédure adaptée", "Appel d'offres ouvert", "Procédure adaptée", "Procédure avec négociation")
COMPANIES = 12
ART_35 = dt.date(2026, 8, 21)


def _considerations(rng: random.Random, notified: dt.date) -> tuple[list[str], list[str]]:
    social = rng.choices(
        [["Clause sociale"], ["Critère social"], ["Clause sociale", "Critère social"], ["Marché réservé"], []],
        weights=[30, 10, 8, 6, 46],
    )[0] or ["Pas de considération sociale"]
    environmental_share = 0.85 if notified >= ART_35 else 0.45
    if rng.random() < environmental_share:
        environmental = rng.choice(
            [
                ["Clause environnementale"],
                ["Critère environnemental"],
                ["Clause environnementale", "Critère environnemental"],
            ]
        )
    else:
        environmental = ["Pas de considération environnementale"]
    return social, environmental


def records(buyers: list[Organisation], suppliers: list[Organisation], today: dt.date) -> list[dict[str, object]]:
    """The DECP records of the demo, the same for the same buyers, suppliers and day."""
    rng = random.Random(SEED)
    companies = [demo_siret(f"entreprise-{n}") for n in range(COMPANIES)]
    holders = [s.siret for s in suppliers if s.siret] + companies
    weights = [weight for _, _, weight in PURCHASES]
    found: list[dict[str, object]] = []
    start = dt.date(2022, 1, 3)
    span = max(1, (today - start).days)
    for buyer in buyers:
        for number in range(CONTRACTS_PER_BUYER):
            cpv, label, _ = rng.choices(PURCHASES, weights=weights)[0]
            notified = start + dt.timedelta(days=rng.randrange(span))
            social, environmental = _considerations(rng, notified)
            record: dict[str, object] = {
                "id": f"{notified.year}-{number + 1:03d}",
                "acheteur": {"id": buyer.siret},
                "nature": "Marché",
                "objet": f"{label} — lot {number % 3 + 1}",
                "codeCPV": cpv,
                "procedure": rng.choice(PROCEDURES),
                "lieuExecution": {
                    "code": buyer.departement.code if buyer.departement else "35",
                    "typeCode": "Code département",
                },
                "dureeMois": rng.choice((12, 24, 36, 48)),
                "dateNotification": notified.isoformat(),
                "datePublicationDonnees": min(today, notified + dt.timedelta(days=rng.randrange(5, 40))).isoformat(),
                "montant": round(rng.lognormvariate(11.6, 1.0), 2),
                "formePrix": rng.choice(("Forfaitaire", "Unitaire", "Mixte")),
                "offresRecues": rng.randrange(1, 9),
                "titulaires": [{"titulaire": {"id": rng.choice(holders), "typeIdentifiant": "SIRET"}}],
                "considerationsSociales": {"considerationSociale": social},
                "considerationsEnvironnementales": {"considerationEnvironnementale": environmental},
            }
            found.append(record)
    return found


def load(*, networks: dict[str, Network], users: dict[str, User], organisations: dict[str, Organisation]) -> int:
    """Import the demo contracts once; return how many contracts were created."""
    del networks, users  # the contracts only need the organisations
    if ImportRun.objects.filter(source_name=SOURCE_NAME).exists():
        return 0
    buyers = sorted(
        (o for o in organisations.values() if o.kind == OrganisationKind.BUYER and o.siret),
        key=lambda o: o.siret or "",
    )
    suppliers = sorted(
        (o for o in organisations.values() if o.kind == OrganisationKind.SUPPLIER and o.siret),
        key=lambda o: o.siret or "",
    )
    if not buyers:
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / SOURCE_NAME
        payload = {"marches": {"marche": records(buyers, suppliers, dt.date.today())}}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        return decp_import(path=path).created
