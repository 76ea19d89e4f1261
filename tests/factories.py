"""Factories for every model tests need, with named traits. Identifiers are valid (SIRET Luhn keys)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from relais.accounts.models import User
from relais.casesheets.enums import ContractType, CriterionKind, Procedure, SheetStatus, StakeholderRole, Visibility
from relais.casesheets.models import AwardCriterion, CaseSheet, SheetBuyer, Stakeholder
from relais.casesheets.search import reindex_sheet
from relais.networks.enums import MembershipStatus, Role
from relais.networks.models import Membership, Network, NetworkRole
from relais.organisations.enums import BuyerCategory, OrganisationKind, StructureType, SupportCategory
from relais.organisations.models import Organisation, OrganisationStructure
from relais.reference.models import Cpv, Departement, Region, Theme


def _luhn_complete(digits: str) -> str:
    """Append the digit that makes `digits` pass the Luhn check."""
    for last in "0123456789":
        candidate = digits + last
        total = 0
        for index, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def valid_siret(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    siren = _luhn_complete("".join(str(rng.randint(0, 9)) for _ in range(8)))
    if siren == "356000000":  # La Poste follows another rule
        return valid_siret(rng)
    return _luhn_complete(siren + "".join(str(rng.randint(0, 9)) for _ in range(4)))


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.django.Password("mot-de-passe-solide")

    class Params:
        site_admin = factory.Trait(is_superuser=True, is_staff=True)


class RegionFactory(DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "53"
    name = "Bretagne"


class DepartementFactory(DjangoModelFactory[Departement]):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "35"
    name = "Ille-et-Vilaine"
    region = factory.SubFactory(RegionFactory)


class CpvFactory(DjangoModelFactory[Cpv]):
    """Defaults to a real CPV 2008 code; tests that need the whole list load it with load_reference."""

    class Meta:
        model = Cpv
        django_get_or_create = ("code8",)

    code = "55524000-9"
    code8 = factory.LazyAttribute(lambda o: o.code[:8])
    check_digit = factory.LazyAttribute(lambda o: o.code[-1])
    division = factory.LazyAttribute(lambda o: o.code[:2])
    level = 5
    label_fr = "Services de traiteur pour écoles"
    label_en = "School catering services"
    search_label = factory.LazyAttribute(lambda o: o.label_fr.lower())


class ThemeFactory(DjangoModelFactory[Theme]):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = "restauration-collective"
    label = "Restauration collective"
    label_en = "Collective catering"


class NetworkFactory(DjangoModelFactory[Network]):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Réseau d'achat responsable n°{n}")
    slug = factory.Sequence(lambda n: f"reseau-{n}")
    acronym = factory.Sequence(lambda n: f"RES{n}")


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.BUYER
    buyer_category = BuyerCategory.COMMUNE
    siret = factory.LazyFunction(valid_siret)
    siren = factory.LazyAttribute(lambda o: o.siret[:9] if o.siret else "")

    class Params:
        supplier = factory.Trait(kind=OrganisationKind.SUPPLIER, buyer_category="")
        support = factory.Trait(
            kind=OrganisationKind.SUPPORT, buyer_category="", support_category=SupportCategory.FACILITATOR
        )


class OrganisationStructureFactory(DjangoModelFactory[OrganisationStructure]):
    class Meta:
        model = OrganisationStructure

    organisation = factory.SubFactory(OrganisationFactory, supplier=True)
    structure_type = StructureType.EI


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership
        django_get_or_create = ("network", "organisation")

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = MembershipStatus.ACTIVE


class NetworkRoleFactory(DjangoModelFactory[NetworkRole]):
    class Meta:
        model = NetworkRole

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    role = Role.MEMBER
    organisation = factory.SubFactory(OrganisationFactory)


class CaseSheetFactory(DjangoModelFactory[CaseSheet]):
    class Meta:
        model = CaseSheet
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Repas bio dans les cantines scolaires n°{n}")
    summary = "Un marché de restauration collective avec une clause d'insertion et des produits équitables."
    contract_type = ContractType.SERVICES
    procedure = Procedure.OPEN_TENDER
    main_cpv = factory.SubFactory(CpvFactory)
    duration_months = 48
    amount_exact = Decimal("1200000.00")
    notification_date = dt.date(2024, 9, 1)
    departement = factory.SubFactory(DepartementFactory)
    has_insertion_clause = True
    insertion_hours = 2500
    visibility = Visibility.PUBLIC
    status = SheetStatus.DRAFT

    class Params:
        published = factory.Trait(status=SheetStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now))
        members_only = factory.Trait(visibility=Visibility.MEMBERS)
        submitted = factory.Trait(status=SheetStatus.SUBMITTED)

    @factory.post_generation
    def themes(self, create: bool, extracted: list[Theme] | None, **kwargs: object) -> None:
        if create:
            self.themes.set(extracted if extracted is not None else [ThemeFactory()])

    @factory.post_generation
    def related(self, create: bool, extracted: object, **kwargs: object) -> None:
        """A buyer, two award criteria summing to 100 and a holder; then the index, as publication would."""
        if not create:
            return
        buyer = OrganisationFactory(name=f"Commune de l'exemple {self.pk}")
        SheetBuyer.objects.create(sheet=self, organisation=buyer)
        AwardCriterion.objects.create(sheet=self, kind=CriterionKind.PRICE, label="Prix", weight=40, position=0)
        AwardCriterion.objects.create(
            sheet=self, kind=CriterionKind.SOCIAL, label="Performance en matière d'insertion", weight=60, position=1
        )
        holder = OrganisationStructureFactory().organisation
        Stakeholder.objects.create(sheet=self, organisation=holder, role=StakeholderRole.HOLDER)
        reindex_sheet(self)
