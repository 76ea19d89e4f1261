"""Demo content of sourcing needs: the demo member (Département d'Ille-et-Vilaine) posts three needs in the Réseau
Grand Ouest — one validated and answered, one market-engagement meeting linked to the network's event, one waiting
for the animator — and two demo suppliers of the directory get an account to answer them.

Runs after the demo suppliers (`suppliers.py`). Written through the real services (validation, matching, batches,
answers); idempotent: a need is looked up by its title in its network, an account by its e-mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from relais.accounts.models import User
from relais.events.enums import EventKind
from relais.events.models import Event
from relais.networks.enums import Role
from relais.networks.models import Network, NetworkRole
from relais.organisations.models import Organisation
from relais.reference.models import Cpv, Departement
from relais.sourcing.batches import need_notify_batch
from relais.sourcing.enums import Answer, NeedKind
from relais.sourcing.models import NeedMatch, SourcingNeed
from relais.sourcing.services import NeedInput, need_answer, need_post, need_validate

from ..specs import demo_siret
from .accounts import ANIMATOR_EMAIL, DEMO_PASSWORD, MEMBER_EMAIL
from .directory import RGO

RENNES = (48.1113, -1.6800)


@dataclass(frozen=True)
class SupplierAccount:
    email: str
    full_name: str
    supplier_key: str  # key of the demo supplier (suppliers.csv)


SUPPLIER_ACCOUNTS = (
    SupplierAccount("cocagne@demo.relais.fr", "Maëlle Guillou", "jardins-cocagne-rennes"),
    SupplierAccount("broceliande@demo.relais.fr", "Erwan Le Goff", "esat-broceliande"),
)


@dataclass(frozen=True)
class DemoNeed:
    title: str
    kind: str
    description: str
    cpvs: tuple[str, ...]
    amount: Decimal | None
    days_to_answer: int
    structure_types: tuple[str, ...] = ()
    validate: bool = True
    answers: tuple[tuple[str, str, str], ...] = ()  # supplier e-mail, answer, reason
    with_event: bool = False


NEEDS = (
    DemoNeed(
        title="Entretien des espaces verts des collèges de l'agglomération rennaise",
        kind=NeedKind.UPCOMING_TENDER,
        description=(
            "Tonte, taille, désherbage sans pesticides et ramassage des feuilles pour 18 collèges, marché de 3 ans "
            "à partir de septembre. Nous envisageons un lot réservé aux structures d'insertion et aux ESAT."
        ),
        cpvs=("77310000-6",),
        amount=Decimal("240000"),
        days_to_answer=21,
        structure_types=("aci", "ei", "esat", "ea"),
        answers=(
            ("cocagne@demo.relais.fr", Answer.INTERESTED, ""),
            ("broceliande@demo.relais.fr", Answer.INTERESTED_GROUP, "En groupement avec un chantier d'insertion."),
        ),
    ),
    DemoNeed(
        title="Rencontre sourçage : entretien des espaces naturels départementaux",
        kind=NeedKind.MARKET_MEETING,
        description=(
            "Présentation de nos besoins d'entretien des espaces naturels sensibles (fauche tardive, débroussaillage, "
            "petits aménagements) lors de la rencontre acheteurs-fournisseurs du réseau."
        ),
        cpvs=("77310000-6",),
        amount=None,
        days_to_answer=40,
        with_event=True,
    ),
    DemoNeed(
        title="Demande de devis : buffet de la journée de l'achat responsable",
        kind=NeedKind.QUOTE_REQUEST,
        description=(
            "Buffet pour 120 personnes, produits de saison et locaux, vaisselle réutilisable ; livraison à Rennes."
        ),
        cpvs=("55520000-1",),
        amount=Decimal("3500"),
        days_to_answer=14,
        validate=False,
    ),
)


def _supplier_accounts(network: Network) -> tuple[int, dict[str, User]]:
    created, accounts = 0, {}
    for spec in SUPPLIER_ACCOUNTS:
        organisation = Organisation.objects.filter(siret=demo_siret(f"fournisseur-{spec.supplier_key}")).first()
        if organisation is None:
            continue
        user, new = User.objects.get_or_create(
            email=spec.email, defaults={"full_name": spec.full_name, "password": make_password(DEMO_PASSWORD)}
        )
        _role, new_role = NetworkRole.objects.get_or_create(
            user=user, network=network, role=Role.SUPPLIER, defaults={"organisation": organisation}
        )
        created += new + new_role
        accounts[spec.email] = user
    return created, accounts


def load(*, networks: dict[str, Network], users: dict[str, User], organisations: dict[str, Organisation]) -> int:
    """Create the demo needs that are missing; returns how many objects were created."""
    network, member, animator = networks.get(RGO), users.get(MEMBER_EMAIL), users.get(ANIMATOR_EMAIL)
    buyer = organisations.get("cd35")
    place = Departement.objects.filter(code="35").first()
    if network is None or member is None or animator is None or buyer is None or place is None:
        return 0
    created, accounts = _supplier_accounts(network)
    today = timezone.localdate()
    for spec in NEEDS:
        if SourcingNeed.objects.filter(network=network, title=spec.title).exists():
            continue
        cpvs = list(Cpv.objects.filter(code__in=spec.cpvs))
        if not cpvs:  # a reference list without these codes (trimmed test data): the need cannot be matched
            continue
        event = (
            Event.objects.filter(network=network, kind=EventKind.MARKET_ENGAGEMENT, starts_at__gt=timezone.now())
            .order_by("starts_at")
            .first()
            if spec.with_event
            else None
        )
        need = need_post(
            network=network,
            buyer=buyer,
            author=member,
            data=NeedInput(
                kind=spec.kind,
                title=spec.title,
                description=spec.description,
                place=place,
                place_city="Rennes",
                latitude=RENNES[0],
                longitude=RENNES[1],
                answer_deadline=today + dt.timedelta(days=spec.days_to_answer),
                cpvs=cpvs,
                estimated_amount=spec.amount,
                event=event,
                structure_types=spec.structure_types,
                interested_target=3,
            ),
        )
        created += 1
        if not spec.validate:
            continue
        need_validate(need=need, by=animator)
        # The first batch is enqueued for the worker; the demo shows its result at once.
        need_notify_batch(need=need)
        for email, answer, reason in spec.answers:
            match = NeedMatch.objects.filter(need=need, supplier__people_roles__user__email=email).first()
            if match is not None and match.notified_at is not None:
                need_answer(match=match, by=accounts[email], answer=answer, reason=reason)
                created += 1
    return created
