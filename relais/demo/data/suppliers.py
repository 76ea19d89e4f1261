"""Demo content of the supplier directory: forty social-economy structures of the demo networks' territories (the
West — Bretagne, Pays de la Loire, Centre-Val de Loire — and a few elsewhere for the national network), with their
structure types, activities (CPV codes, themes, coverage), some labels and contacts; about half agreed to a public
page. The structures, SIRETs ("000…"), people and e-mails are fictional; towns and coordinates are real places.

Written through the real services (validation, index refresh); idempotent: a structure whose SIRET exists is left
as it is. The demo supplier account also gets a pending claim, so that the animators' queue is not empty.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from relais.accounts.models import User
from relais.networks.models import Network
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.organisations.services import organisation_register
from relais.reference.models import Cpv, Departement, Label, Region, Theme
from relais.suppliers.enums import ClaimStatus, Coverage
from relais.suppliers.models import SupplierClaim
from relais.suppliers.services import (
    supplier_activity_save,
    supplier_contact_save,
    supplier_label_save,
    supplier_profile_update,
    supplier_structure_save,
)

from ..specs import demo_siret
from .accounts import SUPPLIER_EMAIL
from .directory import RGO

IN_TWO_YEARS = dt.date.today().replace(month=12, day=31) + dt.timedelta(days=366)


TOWNS = {  # name: (département, postcode, latitude, longitude)
    "Angers": ("49", "49000", 47.4784, -0.5632),
    "Arras": ("62", "62000", 50.2910, 2.7775),
    "Blois": ("41", "41000", 47.5861, 1.3359),
    "Bourges": ("18", "18000", 47.0810, 2.3988),
    "Brest": ("29", "29200", 48.3904, -4.4861),
    "Cholet": ("49", "49300", 47.0600, -0.8793),
    "Fougères": ("35", "35300", 48.3524, -1.1994),
    "La Roche-sur-Yon": ("85", "85000", 46.6705, -1.4260),
    "Laval": ("53", "53000", 48.0707, -0.7734),
    "Le Mans": ("72", "72000", 48.0061, 0.1996),
    "Lille": ("59", "59000", 50.6292, 3.0573),
    "Lorient": ("56", "56100", 47.7483, -3.3700),
    "Mamoudzou": ("976", "97600", -12.7806, 45.2279),
    "Montfort-sur-Meu": ("35", "35160", 48.1372, -1.9561),
    "Nancy": ("54", "54000", 48.6921, 6.1844),
    "Nantes": ("44", "44000", 47.2184, -1.5536),
    "Orléans": ("45", "45000", 47.9030, 1.9093),
    "Quimper": ("29", "29000", 47.9960, -4.1024),
    "Redon": ("35", "35600", 47.6515, -2.0843),
    "Rennes": ("35", "35000", 48.1113, -1.6800),
    "Saint-Brieuc": ("22", "22000", 48.5142, -2.7603),
    "Saint-Nazaire": ("44", "44600", 47.2735, -2.2138),
    "Tours": ("37", "37000", 47.3941, 0.6848),
    "Vannes": ("56", "56000", 47.6582, -2.7608),
}


@dataclass(frozen=True)
class Activity:
    title: str
    kind: str
    cpvs: tuple[str, ...]
    themes: tuple[str, ...]
    places: tuple[str, ...]  # département codes, or région codes prefixed "r"; none = whole country
    radius_km: int | None


@dataclass(frozen=True)
class DemoSupplier:
    key: str
    name: str
    types: tuple[str, ...]
    town: str
    description: str
    activities: tuple[Activity, ...]
    labels: tuple[str, ...]
    contact: tuple[str, ...]  # name, position, e-mail
    public: bool
    staff: tuple[int | None, int | None]  # in insertion, permanent
    turnover: str


def _activity(text: str) -> Activity:
    title, kind, cpvs, themes, places, radius = (part.strip() for part in text.split("|"))
    return Activity(
        title, kind, tuple(cpvs.split()), tuple(themes.split()), tuple(places.split()), int(radius or 0) or None
    )


def _number(text: str) -> int | None:
    return int(text) if text else None


def suppliers() -> list[DemoSupplier]:
    """The structures of `suppliers.csv` (one line each; activities "title|kind|CPVs|themes|places|radius" joined
    by " || ")."""
    with (Path(__file__).parent / "suppliers.csv").open(encoding="utf-8", newline="") as handle:
        return [
            DemoSupplier(
                key=row["key"],
                name=row["name"],
                types=tuple(row["types"].split()),
                town=row["town"],
                description=row["description"],
                activities=tuple(_activity(text) for text in row["activities"].split(" || ")),
                labels=tuple(row["labels"].split()),
                contact=tuple(row["contact"].split("|")) if row["contact"] else (),
                public=row["public"] == "oui",
                staff=(_number(row["staff_insertion"]), _number(row["staff_permanent"])),
                turnover=row["turnover"],
            )
            for row in csv.DictReader(handle, delimiter=";")
        ]


def _places(codes: tuple[str, ...]) -> tuple[str, list[Region], list[Departement]]:
    regions = list(Region.objects.filter(code__in=[c[1:] for c in codes if c.startswith("r")]))
    departements = list(Departement.objects.filter(code__in=[c for c in codes if not c.startswith("r")]))
    if not codes:
        return Coverage.COUNTRY, [], []
    return (Coverage.REGIONS if regions else Coverage.DEPARTEMENTS), regions, departements


def _load_one(spec: DemoSupplier) -> Organisation | None:
    siret = demo_siret(f"fournisseur-{spec.key}")
    if Organisation.objects.filter(siret=siret).exists():
        return None
    departement_code, postcode, latitude, longitude = TOWNS[spec.town]
    departement = Departement.objects.filter(code=departement_code).first()
    organisation = organisation_register(name=spec.name, kind=OrganisationKind.SUPPLIER, siret=siret)
    supplier_profile_update(
        organisation=organisation,
        name=spec.name,
        description=spec.description,
        postcode=postcode,
        city=spec.town,
        departement=departement,
        latitude=latitude,
        longitude=longitude,
        staff_insertion=spec.staff[0],
        staff_permanent=spec.staff[1],
        turnover_band=spec.turnover,
        public_listing=spec.public,
    )
    for code in spec.types:
        valid_until = IN_TWO_YEARS if code in {"esus", "ei", "aci", "etti", "ai", "eiti"} else None
        supplier_structure_save(
            organisation=organisation, structure_type=code, evidence="Justificatif fourni", valid_until=valid_until
        )
    themes = {t.slug: t for t in Theme.objects.all()}
    for activity in spec.activities:
        # A trimmed reference table (the demo tests load only the codes the sheets use) may lack a code: skip it.
        known = set(Cpv.objects.filter(code8__in=activity.cpvs).values_list("code8", flat=True))
        coverage, regions, departements = _places(activity.places)
        supplier_activity_save(
            organisation=organisation,
            title=activity.title,
            service_kind=activity.kind,
            coverage=Coverage.RADIUS if activity.radius_km else coverage,
            cpvs=[code for code in activity.cpvs if code in known],
            themes=[themes[s] for s in activity.themes if s in themes],
            regions=regions,
            departements=departements,
            radius_km=activity.radius_km,
        )
    for slug in spec.labels:
        label = Label.objects.filter(slug=slug).first()
        if label is not None:
            supplier_label_save(organisation=organisation, label=label, evidence="Certificat en cours de validité")
    if spec.contact:
        name, position, email = spec.contact
        supplier_contact_save(organisation=organisation, full_name=name, position=position, email=email)
    return organisation


def _complete_the_demo_supplier(organisation: Organisation | None) -> int:
    """The structure the demo supplier account acts for gets a profile and an activity, so its editor is not empty."""
    if organisation is None or organisation.activities.exists():
        return 0
    supplier_profile_update(
        organisation=organisation,
        name=organisation.name,
        description=organisation.description,
        city=organisation.city,
        departement=organisation.departement,
        postcode="35136",
        latitude=48.0896,
        longitude=-1.7192,
        staff_permanent=60,
        public_listing=True,
    )
    theme = Theme.objects.filter(slug="espaces-verts").first()
    known = list(Cpv.objects.filter(code8__in=["77310000", "77314000"]))
    if theme is None and not known:
        return 0
    supplier_activity_save(
        organisation=organisation,
        title="Entretien d'espaces verts sans produits phytosanitaires",
        service_kind="service",
        coverage=Coverage.RADIUS,
        radius_km=30,
        cpvs=known,
        themes=[theme] if theme else [],
    )
    return 1


def load(*, networks: dict[str, Network], users: dict[str, User], organisations: dict[str, Organisation]) -> int:
    """Create the demo suppliers that are missing (and a pending claim); return how many objects were created."""
    created = 0
    loaded: dict[str, Organisation] = {}
    for spec in suppliers():
        organisation = _load_one(spec)
        if organisation is not None:
            loaded[spec.key] = organisation
            created += 1
    created += _complete_the_demo_supplier(organisations.get("esat-jardins-vilaine"))
    supplier, network = users.get(SUPPLIER_EMAIL), networks.get(RGO)
    claimed = loaded.get("recyclerie-fougeres")
    if supplier is not None and network is not None and claimed is not None:
        SupplierClaim.objects.create(
            user=supplier,
            organisation=claimed,
            network=network,
            status=ClaimStatus.PENDING,
            message="Je coordonne aussi la recyclerie de Fougères, structure sœur de l'ESAT.",
        )
        created += 1
    return created
