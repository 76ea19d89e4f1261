"""Deterministic generator of realistic synthetic case sheets for the search benchmark.

Each sheet `i` is drawn from its own seeded random stream, so sheet 1,234 is the same whether the database is
seeded to 5,000 or to 50,000 sheets, and growing from one size to the next only appends sheets.

Distributions follow what real REX sheets look like (ESS France, RESECO, RTES; see docs/benchmarks.md):
- a purchasing *domain* per sheet (catering, cleaning, works, green spaces…) with Zipf-like weights; the domain
  sets the main theme, real CPV codes of the matching divisions, the usual contract type and the vocabulary of the
  title and narrative, so that a query such as "cantine" matches a realistic share of sheets;
- procedures follow the amount (adapted below the EU thresholds, open tender above), insertion clauses are
  frequent on works and cleaning, reserved contracts are rare (~4 %);
- notification years 2018–2026 growing over time, ~20 % members-only, ~90 % published, eight networks each
  anchored in its own régions.

Rows are inserted with `bulk_create` in batches. Search index rows are computed by the real functions behind
`relais.casesheets.search.index_rows()` (`sheet_term_weights`, `sheet_facets`) on the inserted sheets, given in
memory every relation those functions follow, then written as plain tuples (COPY on PostgreSQL);
`check_index()` reads sample sheets back from the database and proves their rows equal `index_rows()`.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Model, Prefetch, QuerySet

from relais.accounts.models import User
from relais.casesheets import search
from relais.casesheets.enums import (
    BuyerRole,
    CriterionKind,
    Procedure,
    ReservedBasis,
    SheetStatus,
    StakeholderRole,
    Technique,
    Visibility,
)
from relais.casesheets.models import (
    AwardCriterion,
    CaseSheet,
    ImpactFigure,
    SheetBuyer,
    SheetFacet,
    SheetTerm,
    Stakeholder,
)
from relais.casesheets.search import index_rows, sheet_facets, sheet_term_weights
from relais.networks.enums import NetworkScope, Role
from relais.networks.models import Membership, Network, NetworkRole
from relais.organisations.enums import OrganisationKind, StructureType, SupportCategory
from relais.organisations.models import Organisation, OrganisationStructure
from relais.reference.models import Cpv, Departement, Region, Theme

from .vocabulary import (
    BUYER_KINDS,
    DOMAINS,
    GENERIC,
    IMPACTS,
    LABELS,
    NETWORKS,
    NOW,
    RESERVED_WEIGHTS,
    SE,
    STATUS_WEIGHTS,
    SU,
    SUPPLIER_KINDS,
    SUPPLIER_WORDS,
    TOWNS,
    YEAR_WEIGHTS,
    Domain,
    W,
)

DEFAULT_SEED = 20260101
BATCH_SIZE = 1000


def _pick(rng: random.Random, weights: Mapping[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def load_reference_data() -> None:
    """The real reference tables (CPV 2008, territories, themes): `manage.py load_reference`, or its loaders."""
    try:
        call_command("load_reference", verbosity=0)
    except CommandError:  # the command is not there yet: use the loaders it is built on
        from relais.reference import loaders

        loaders.load_cpv()
        loaders.load_regions()
        loaders.load_departements()
        loaders.load_themes()


@dataclass
class World:
    """Reference rows and the fixed cast of networks, authors and organisations every sheet draws from."""

    networks: list[Network]
    network_weights: list[float]
    network_regions: dict[int, list[str]]
    authors: dict[int, int]  # network id → author user id
    member_user: User
    themes: dict[str, int]
    theme_slugs: list[str]
    cpvs: dict[str, int]  # code8 → id
    cpv_children: dict[str, list[str]]  # code8 → real descendant code8s
    departements: dict[str, tuple[int, int | None]]  # code → (id, region id)
    departements_by_region: dict[str, list[str]]
    regions: dict[str, int]
    buyers_by_departement: dict[str, list[int]]
    suppliers_by_departement: dict[str, list[int]]
    facilitators_by_departement: dict[str, int]
    all_departements: list[str] = field(default_factory=list)
    # Objects the index functions read, kept in memory so that new sheets are indexed without reading them back.
    objects: dict[type[Model], dict[int, Any]] = field(default_factory=dict)


def build_world(seed: int = DEFAULT_SEED) -> World:
    """Create networks, authors and organisations (once per database) and read the reference tables."""
    rng = random.Random(seed)
    regions = dict(Region.objects.values_list("code", "id"))
    region_codes = {pk: code for code, pk in regions.items()}
    departements: dict[str, tuple[int, int | None]] = {}
    by_region: dict[str, list[str]] = {}
    for code, pk, region_id in Departement.objects.values_list("code", "id", "region_id"):
        departements[code] = (pk, region_id)
        if region_id:
            by_region.setdefault(region_codes[region_id], []).append(code)
    dep_names = dict(Departement.objects.values_list("code", "name"))

    networks: list[Network] = []
    weights: list[float] = []
    network_regions: dict[int, list[str]] = {}
    authors: dict[int, int] = {}
    for slug, name, acronym, region_list, weight in NETWORKS:
        network, _ = Network.objects.get_or_create(
            slug=slug, defaults={"name": name, "acronym": acronym, "scope": NetworkScope.REGIONAL}
        )
        networks.append(network)
        weights.append(weight)
        network_regions[network.pk] = [r for r in region_list if r in by_region]
        author, _ = User.objects.get_or_create(
            email=f"auteur@{slug}.example", defaults={"full_name": f"Auteur {acronym}"}
        )
        authors[network.pk] = author.pk

    buyers: dict[str, list[int]] = {}
    suppliers: dict[str, list[int]] = {}
    facilitators: dict[str, int] = {}
    if not Organisation.objects.exists():
        orgs: list[Organisation] = []
        structures: list[tuple[int, str]] = []
        for code in sorted(departements):
            dep_id = departements[code][0]
            for _ in range(20):
                pattern, category, _w = rng.choices(BUYER_KINDS, weights=[k[2] for k in BUYER_KINDS])[0]
                name = pattern.format(t=rng.choice(TOWNS), d=dep_names[code])
                orgs.append(
                    Organisation(
                        name=name,
                        kind=OrganisationKind.BUYER,
                        buyer_category=category,
                        departement_id=dep_id,
                        city=code,
                    )
                )
            for _ in range(8):
                pattern, supplier_type, _w = rng.choices(SUPPLIER_KINDS, weights=[k[2] for k in SUPPLIER_KINDS])[0]
                name = pattern.format(w=rng.choice(SUPPLIER_WORDS), t=rng.choice(TOWNS))
                orgs.append(Organisation(name=name, kind=OrganisationKind.SUPPLIER, departement_id=dep_id, city=code))
                structures.append((len(orgs) - 1, supplier_type))
            orgs.append(
                Organisation(
                    name=f"Maison de l'emploi ({dep_names[code]})",
                    kind=OrganisationKind.SUPPORT,
                    support_category=SupportCategory.FACILITATOR,
                    departement_id=dep_id,
                    city=code,
                )
            )
        created = Organisation.objects.bulk_create(orgs, batch_size=BATCH_SIZE)
        extra: list[OrganisationStructure] = []
        for index, structure in structures:
            extra.append(OrganisationStructure(organisation=created[index], structure_type=structure))
            if structure in StructureType.siae() and rng.random() < 0.3:
                extra.append(OrganisationStructure(organisation=created[index], structure_type=StructureType.ESUS))
        OrganisationStructure.objects.bulk_create(extra, batch_size=BATCH_SIZE)
    dep_codes = {pk: code for code, (pk, _r) in departements.items()}
    for pk, kind, dep_id in Organisation.objects.order_by("id").values_list("id", "kind", "departement_id"):
        code = dep_codes[dep_id]
        if kind == OrganisationKind.BUYER:
            buyers.setdefault(code, []).append(pk)
        elif kind == OrganisationKind.SUPPLIER:
            suppliers.setdefault(code, []).append(pk)
        else:
            facilitators[code] = pk

    # A member of the largest network, to measure what a logged-in member sees (public + members-only of RESECO).
    member, created_member = User.objects.get_or_create(
        email="adherent@reseco.example", defaults={"full_name": "Adhérente RESECO"}
    )
    if created_member:
        member.set_password("mot-de-passe-bench")
        member.save()
        organisation_id = buyers[by_region[network_regions[networks[0].pk][0]][0]][0]
        Membership.objects.get_or_create(network=networks[0], organisation_id=organisation_id)
        NetworkRole.objects.create(user=member, network=networks[0], role=Role.MEMBER, organisation_id=organisation_id)

    cpvs = dict(Cpv.objects.values_list("code8", "id"))
    children: dict[str, list[str]] = {}
    all_codes = sorted(cpvs)
    for domain in DOMAINS:
        for code in domain.cpvs:
            if code not in cpvs:
                raise LookupError(f"Code CPV {code} absent de la table Cpv : chargez les données de référence.")
            prefix = Cpv.prefix_of(code)
            children[code] = [c for c in all_codes if c.startswith(prefix) and c != code]
    themes = dict(Theme.objects.values_list("slug", "id"))
    missing = {d.theme for d in DOMAINS} - set(themes)
    if missing:
        raise LookupError(f"Thèmes absents : {sorted(missing)}")
    return World(
        networks=networks,
        network_weights=weights,
        network_regions=network_regions,
        authors=authors,
        member_user=member,
        themes=themes,
        theme_slugs=list(Theme.objects.order_by("position", "label").values_list("slug", flat=True)),
        cpvs=cpvs,
        cpv_children=children,
        departements=departements,
        departements_by_region=by_region,
        regions=regions,
        buyers_by_departement=buyers,
        suppliers_by_departement=suppliers,
        facilitators_by_departement=facilitators,
        all_departements=sorted(departements),
        objects={
            Network: {n.pk: n for n in networks},
            Cpv: Cpv.objects.in_bulk(),
            Theme: Theme.objects.in_bulk(),
            Region: Region.objects.in_bulk(),
            Departement: Departement.objects.select_related("region").in_bulk(),
            Organisation: Organisation.objects.prefetch_related("structures").in_bulk(),
        },
    )


@dataclass
class SheetPlan:
    """One sheet to insert, with its many-to-many and child rows."""

    sheet: CaseSheet
    theme_ids: list[int]
    additional_cpv_ids: list[int]
    buyers: list[tuple[int, str]]
    stakeholders: list[tuple[int, str]]
    criteria: list[tuple[str, str, int]]
    impacts: list[tuple[str, Decimal, str]]


_DOMAIN_WEIGHTS = [d.weight for d in DOMAINS]


def _cpv(rng: random.Random, world: World, domain: Domain) -> int:
    # Real sheets often use the generic code of the family; half of them a more precise descendant.
    root = domain.cpvs[min(int(rng.expovariate(0.5)), len(domain.cpvs) - 1)]
    children = world.cpv_children[root]
    code = rng.choice(children) if children and rng.random() < 0.5 else root
    return world.cpvs[code]


def _sentences(rng: random.Random, pool: Sequence[str], count: int) -> str:
    return " ".join(rng.sample(list(pool), min(count, len(pool))))


def plan_sheet(world: World, index: int, seed: int = DEFAULT_SEED) -> SheetPlan:
    """The sheet number `index`, always the same for a given seed."""
    rng = random.Random(seed * 1_000_003 + index)
    domain = rng.choices(DOMAINS, weights=_DOMAIN_WEIGHTS)[0]
    network = rng.choices(world.networks, weights=world.network_weights)[0]

    # Territory: mostly in the network's régions.
    home = world.network_regions[network.pk]
    if home and rng.random() < 0.85:
        dep_code = rng.choice(world.departements_by_region[rng.choice(home)])
    else:
        dep_code = rng.choice(world.all_departements)
    dep_id, region_id = world.departements[dep_code]
    departement_id: int | None = dep_id
    if rng.random() < 0.08:  # a région-level buyer: no département
        departement_id = None

    # Amount and procedure: above the EU thresholds mostly open tender, below mostly adapted.
    contract_type = domain.contract_type if rng.random() < 0.9 else rng.choice([SU, SE, W])
    median = 900_000 if contract_type == W else 120_000
    amount = Decimal(round(rng.lognormvariate(0, 1.3) * median, -2))
    threshold = 5_404_000 if contract_type == W else 216_000
    if amount >= threshold:
        procedure = _pick(
            rng,
            {
                Procedure.OPEN_TENDER: 75,
                Procedure.RESTRICTED_TENDER: 8,
                Procedure.NEGOTIATED: 7,
                Procedure.COMPETITIVE_DIALOGUE: 5,
                Procedure.ADAPTED: 5,
            },
        )
    else:
        procedure = _pick(
            rng, {Procedure.ADAPTED: 76, Procedure.OPEN_TENDER: 12, Procedure.NO_PUBLICITY: 7, Procedure.NEGOTIATED: 5}
        )
    amount_kind = rng.random()
    amounts: dict[str, Decimal | None] = {"amount_exact": None, "amount_min": None, "amount_max": None}
    if amount_kind < 0.7:
        amounts["amount_exact"] = amount
    elif amount_kind < 0.9:
        amounts["amount_min"] = (amount * Decimal("0.5")).quantize(Decimal(1))
        amounts["amount_max"] = amount

    # Considerations.
    insertion = rng.random() < domain.insertion_rate
    social_criterion = rng.random() < 0.2
    reserved = _pick(rng, RESERVED_WEIGHTS) if rng.random() < 0.04 else ""
    env_clause = rng.random() < 0.45
    env_criterion = rng.random() < 0.35
    labels = ", ".join(rng.sample(LABELS, rng.randint(1, 2))) if rng.random() < 0.2 else ""
    fair_trade = rng.random() < {"fair_trade": 0.6, "catering": 0.12, "textile": 0.2, "events": 0.15}.get(
        domain.key, 0.01
    )
    innovative = rng.random() < 0.02

    # Themes: the domain's, sometimes a related one, sometimes any (Zipf over the managed list).
    theme_slugs = [domain.theme]
    if domain.related_themes and rng.random() < 0.35:
        theme_slugs.append(rng.choice(domain.related_themes))
    if rng.random() < 0.15:
        theme_slugs.append(world.theme_slugs[min(int(rng.paretovariate(1.2)) - 1, len(world.theme_slugs) - 1)])
    if fair_trade:
        theme_slugs.append("commerce-equitable")
    if (insertion or reserved) and rng.random() < 0.2:
        theme_slugs.append("accueil-services-insertion")
    theme_ids = sorted({world.themes[s] for s in theme_slugs})

    main_cpv_id = _cpv(rng, world, domain)
    additional = {_cpv(rng, world, domain) for _ in range(rng.choice((0, 0, 0, 1, 1, 2)))} - {main_cpv_id}

    year = _pick(rng, YEAR_WEIGHTS)
    last_day = dt.date(2026, 6, 1) if year == 2026 else dt.date(year, 12, 31)
    notification = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange((last_day - dt.date(year, 1, 1)).days))
    status = _pick(rng, STATUS_WEIGHTS)
    published_at = None
    if status in (SheetStatus.PUBLISHED, SheetStatus.ARCHIVED):
        published = dt.datetime.combine(notification, dt.time(10), tzinfo=dt.UTC) + dt.timedelta(
            days=rng.randint(60, 500), minutes=rng.randrange(600)
        )
        published_at = min(published, NOW - dt.timedelta(minutes=index % 997))

    # Text.
    town = rng.choice(TOWNS)
    obj = rng.choice(domain.objects)
    angles = []
    if insertion:
        angles.append(rng.choice(("avec clause d'insertion", "et heures d'insertion", "clause sociale d'insertion")))
    if reserved:
        angles.append("marché réservé" + (" aux ESAT et EA" if reserved == ReservedBasis.L2113_12 else " aux SIAE"))
    if env_criterion or labels:
        angles.append(rng.choice(("critère environnemental", "produits écolabellisés", "exigences environnementales")))
    if fair_trade:
        angles.append("commerce équitable")
    title = f"{obj} à {town}" if not angles or rng.random() < 0.3 else f"{obj} : {' et '.join(angles[:2])}"
    procedure_label = Procedure(procedure).label
    summary_parts = [
        f"{obj} attribué en {str(procedure_label).lower()} pour une durée de {rng.choice((12, 24, 36, 48))} mois.",
        _sentences(rng, domain.sentences, rng.randint(1, 2)),
    ]
    if insertion:
        summary_parts.append("Le marché comporte une clause sociale d'insertion suivie par le facilitateur.")
    if fair_trade:
        summary_parts.append("Les produits sont issus du commerce équitable.")
    body_pool = {key: pool + domain.sentences for key, pool in GENERIC.items()}

    sheet = CaseSheet(
        network_id=network.pk,
        author_id=world.authors[network.pk],
        status=status,
        visibility=Visibility.MEMBERS if rng.random() < 0.2 else Visibility.PUBLIC,
        published_at=published_at,
        title=title[:200],
        summary=" ".join(summary_parts)[:1500],
        is_purchasing_group=rng.random() < 0.08,
        contract_type=contract_type,
        procedure=procedure,
        techniques=[Technique.FRAMEWORK] if rng.random() < 0.4 else [],
        lots_count=1 if rng.random() < 0.6 else rng.randint(2, 12),
        main_cpv_id=main_cpv_id,
        duration_months=rng.choice((6, 12, 12, 24, 36, 36, 48, 48, 60)),
        notification_date=notification,
        departement_id=departement_id,
        region_id=region_id if departement_id is None or rng.random() < 0.9 else None,
        decp_id=f"{rng.randrange(10**13, 10**14)}{year}{rng.randrange(1000):03d}" if rng.random() < 0.5 else "",
        has_insertion_clause=insertion,
        insertion_hours=rng.randint(100, 5000) if insertion and rng.random() < 0.8 else None,
        has_social_criterion=social_criterion,
        reserved_basis=reserved,
        has_environmental_clause=env_clause,
        has_environmental_criterion=env_criterion,
        labels_required=labels,
        is_fair_trade=fair_trade,
        is_innovative=innovative,
        context=_sentences(rng, body_pool["context"], rng.randint(2, 4)),
        actions=_sentences(rng, body_pool["actions"], rng.randint(2, 4)),
        value_for_buyer=_sentences(rng, body_pool["value_for_buyer"], rng.randint(1, 3)),
        value_for_supplier=_sentences(rng, body_pool["value_for_supplier"], rng.randint(1, 3)),
        lessons=_sentences(rng, body_pool["lessons"], rng.randint(1, 2)),
        advice=_sentences(rng, body_pool["advice"], rng.randint(1, 2)),
        **amounts,
    )

    local_buyers = world.buyers_by_departement[dep_code]
    buyer_ids = rng.sample(local_buyers, rng.randint(3, 5) if sheet.is_purchasing_group else 1)
    buyers: list[tuple[int, str]] = [
        (buyer_ids[0], BuyerRole.COORDINATOR if sheet.is_purchasing_group else BuyerRole.SOLE)
    ]
    buyers += [(pk, BuyerRole.GROUP_MEMBER) for pk in buyer_ids[1:]]
    stakeholders: list[tuple[int, str]] = []
    if rng.random() < (0.85 if insertion or reserved else 0.5):
        stakeholders.append((rng.choice(world.suppliers_by_departement[dep_code]), StakeholderRole.HOLDER))
    if insertion and rng.random() < 0.4:
        stakeholders.append((world.facilitators_by_departement[dep_code], StakeholderRole.FACILITATOR))

    criteria: list[tuple[str, str, int]] = []
    if rng.random() < 0.7:
        env_weight = rng.choice((10, 15, 20)) if env_criterion else 0
        social_weight = rng.choice((10, 15)) if social_criterion else 0
        price = rng.choice((30, 40, 50, 60))
        criteria.append((CriterionKind.PRICE, "Prix des prestations", price))
        if env_weight:
            criteria.append((CriterionKind.ENVIRONMENTAL, "Performance environnementale de l'offre", env_weight))
        if social_weight:
            criteria.append((CriterionKind.SOCIAL, "Performance en matière d'insertion professionnelle", social_weight))
        criteria.append((CriterionKind.TECHNICAL, "Valeur technique", 100 - price - env_weight - social_weight))
    impacts: list[tuple[str, Decimal, str]] = []
    if rng.random() < 0.3:
        label, unit = rng.choice(IMPACTS)
        impacts.append((label, Decimal(rng.randint(1, 900)), unit))
    return SheetPlan(sheet, theme_ids, sorted(additional), buyers, stakeholders, criteria, impacts)


@dataclass
class SeedStats:
    sheets: int = 0
    published: int = 0
    term_rows: int = 0
    facet_rows: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0


def _indexable(ids: list[int]) -> list[CaseSheet]:
    """Sheets read back with every relation `index_rows()` follows, so that it runs without further queries."""
    return list(
        CaseSheet.objects.filter(pk__in=ids, status=SheetStatus.PUBLISHED)
        .select_related("main_cpv", "network", "departement__region", "region")
        .prefetch_related(
            "themes",
            "additional_cpvs",
            "criteria",
            "impacts",
            Prefetch("buyers", queryset=SheetBuyer.objects.select_related("organisation")),
            Prefetch(
                "stakeholders",
                queryset=Stakeholder.objects.select_related("organisation").prefetch_related(
                    "organisation__structures"
                ),
            ),
        )
        .order_by("pk")
    )


# Child rows of a sheet, by the related name the index functions follow.
CHILD_MODELS: dict[str, type[Model]] = {
    "buyers": SheetBuyer,
    "stakeholders": Stakeholder,
    "criteria": AwardCriterion,
    "impacts": ImpactFigure,
}


def _prefetched(model: type[Model], objects: list[Any]) -> QuerySet[Any]:
    # What `prefetch_related` stores on an instance: an evaluated queryset. Setting it from objects already in
    # memory avoids reading 50,000 sheets back; `check_index()` proves the resulting index rows are the same.
    queryset = model._default_manager.all()
    queryset._result_cache = objects
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    return queryset


def _attach_relations(world: World, sheet: CaseSheet, plan: SheetPlan, children: dict[str, list[Any]]) -> None:
    """Give an inserted sheet, in memory, every relation the index functions follow (as prefetch_related would)."""
    objects = world.objects
    sheet.network = objects[Network][sheet.network_id]
    sheet.main_cpv = objects[Cpv][sheet.main_cpv_id]
    sheet.departement = objects[Departement][sheet.departement_id] if sheet.departement_id else None
    sheet.region = objects[Region][sheet.region_id] if sheet.region_id else None
    for child in children["buyers"] + children["stakeholders"]:
        child.organisation = objects[Organisation][child.organisation_id]
    sheet._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "themes": _prefetched(Theme, [objects[Theme][pk] for pk in plan.theme_ids]),
        "additional_cpvs": _prefetched(Cpv, [objects[Cpv][pk] for pk in plan.additional_cpv_ids]),
        **{name: _prefetched(CHILD_MODELS[name], rows) for name, rows in children.items()},
    }


@contextmanager
def _memoised_terms() -> Iterator[None]:
    """Sheets are composed from a few hundred stock sentences: cache the terms of each sentence while seeding.

    `terms()` works word by word, so the terms of a text are those of its sentences in order: cutting at ". "
    (no word character) changes nothing in the result, which `check_index()` verifies with the real function."""
    original = search.terms
    cached = lru_cache(maxsize=200_000)(lambda chunk: tuple(original(chunk)))

    def chunked(text: str) -> list[str]:
        return [term for chunk in text.split(". ") for term in cached(chunk)]

    search.terms = chunked
    try:
        yield
    finally:
        search.terms = original


def _insert_rows(model: type[Model], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Plain multi-row insert (COPY on PostgreSQL): index rows are millions of tiny tuples, model instances
    and `bulk_create` would triple the seeding time for nothing."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 (names from the models)
            cursor.executemany(sql, rows)


def check_index(sample_ids: Sequence[int]) -> None:
    """Raise if the stored index rows of these sheets differ from what `index_rows()` builds (the equivalence the
    fast path above relies on)."""
    for sheet in _indexable(list(sample_ids)):
        terms_of_sheet, facets_of_sheet = index_rows(sheet)
        expected_terms = {(t.term, t.weight) for t in terms_of_sheet}
        expected_facets = {(f.facet, f.value) for f in facets_of_sheet}
        stored_terms = set(SheetTerm.objects.filter(sheet=sheet).values_list("term", "weight"))
        stored_facets = set(SheetFacet.objects.filter(sheet=sheet).values_list("facet", "value"))
        if stored_terms != expected_terms or stored_facets != expected_facets:
            raise AssertionError(f"Index rows of sheet {sheet.pk} differ from index_rows()")


def seed_sheets(
    world: World, start: int, stop: int, *, seed: int = DEFAULT_SEED, batch_size: int = BATCH_SIZE
) -> SeedStats:
    """Insert sheets number `start` to `stop - 1` and their search index rows."""
    stats = SeedStats()
    began = time.perf_counter()
    themes_through = CaseSheet.themes.through
    cpvs_through = CaseSheet.additional_cpvs.through
    for batch_start in range(start, stop, batch_size):
        plans = [plan_sheet(world, i, seed) for i in range(batch_start, min(stop, batch_start + batch_size))]
        with transaction.atomic():
            sheets = CaseSheet.objects.bulk_create([p.sheet for p in plans])
            themes_through.objects.bulk_create(
                [
                    themes_through(casesheet_id=s.pk, theme_id=t)
                    for p, s in zip(plans, sheets, strict=True)
                    for t in p.theme_ids
                ],
                batch_size=batch_size,
            )
            cpvs_through.objects.bulk_create(
                [
                    cpvs_through(casesheet_id=s.pk, cpv_id=c)
                    for p, s in zip(plans, sheets, strict=True)
                    for c in p.additional_cpv_ids
                ],
                batch_size=batch_size,
            )
            children: list[dict[str, list[Any]]] = [
                {
                    "buyers": [SheetBuyer(sheet_id=s.pk, organisation_id=o, role=r) for o, r in p.buyers],
                    "stakeholders": [Stakeholder(sheet_id=s.pk, organisation_id=o, role=r) for o, r in p.stakeholders],
                    "criteria": [
                        AwardCriterion(sheet_id=s.pk, kind=k, label=label, weight=w, position=n)
                        for n, (k, label, w) in enumerate(p.criteria)
                    ],
                    "impacts": [
                        ImpactFigure(sheet_id=s.pk, label=label, value=v, unit=u, position=n)
                        for n, (label, v, u) in enumerate(p.impacts)
                    ],
                }
                for p, s in zip(plans, sheets, strict=True)
            ]
            for name, model in CHILD_MODELS.items():
                model._default_manager.bulk_create(
                    [row for rows in children for row in rows[name]], batch_size=batch_size
                )
            index_began = time.perf_counter()
            term_rows: list[tuple[int, str, int]] = []
            facet_rows: list[tuple[int, str, str]] = []
            published = 0
            with _memoised_terms():
                for plan, sheet, rows in zip(plans, sheets, children, strict=True):
                    if sheet.status != SheetStatus.PUBLISHED:
                        continue
                    published += 1
                    _attach_relations(world, sheet, plan, rows)
                    term_rows.extend((sheet.pk, t, w) for t, w in sheet_term_weights(sheet).items())
                    facet_rows.extend((sheet.pk, f, v) for f, v in sorted(sheet_facets(sheet)))
            _insert_rows(SheetTerm, ("sheet_id", "term", "weight"), term_rows)
            _insert_rows(SheetFacet, ("sheet_id", "facet", "value"), facet_rows)
            stats.index_seconds += time.perf_counter() - index_began
        stats.sheets += len(sheets)
        stats.published += published
        stats.term_rows += len(term_rows)
        stats.facet_rows += len(facet_rows)
    invalidate_search_cache()
    stats.seconds = time.perf_counter() - began
    return stats


def invalidate_search_cache() -> None:
    """Cached search figures are keyed on the index version, which `reindex_sheets()` changes; bulk inserts do
    not go through it, so change it here (also used by the benchmark to measure searches without the cache)."""
    bump = getattr(search, "_bump_index_version", None)
    if bump is not None:
        bump()
