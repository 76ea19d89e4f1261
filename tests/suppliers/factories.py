"""Factories of the supplier directory and the sourcing needs (shared by tests/suppliers, tests/sourcing and
tests/advisor). Add traits here rather than building rows by hand."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from relais.reference.enums import LabelKind
from relais.reference.models import Label
from relais.sourcing.enums import NeedKind
from relais.sourcing.models import NeedMatch, SourcingNeed
from relais.suppliers.enums import Coverage, ServiceKind
from relais.suppliers.models import SupplierActivity, SupplierContact, SupplierLabel, SupplierProfile
from relais.suppliers.queries import supplier_reindex

from ..factories import DepartementFactory, NetworkFactory, OrganisationFactory, UserFactory


class LabelFactory(DjangoModelFactory[Label]):
    class Meta:
        model = Label
        django_get_or_create = ("slug",)

    slug = "ecolabel-ue"
    name = "Écolabel européen"
    kind = LabelKind.ENVIRONMENTAL
    issuer = "Commission européenne"
    cpv_prefixes: list[str] = []


class SupplierProfileFactory(DjangoModelFactory[SupplierProfile]):
    class Meta:
        model = SupplierProfile
        django_get_or_create = ("organisation",)
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, supplier=True)
    postcode = "35000"

    class Params:
        public = factory.Trait(public_listing=True)
        in_rennes = factory.Trait(latitude=48.1113, longitude=-1.6800)

    @factory.post_generation
    def reindex(self, create: bool, extracted: object, **kwargs: object) -> None:
        """The coordinates place radius activities in the directory's index (ADR 0014), as the services do."""
        if create and extracted is not False:
            supplier_reindex(self.organisation_id)


class SupplierActivityFactory(DjangoModelFactory[SupplierActivity]):
    """An activity covering the whole country by default; `cpvs`/`themes`/`departements`/`regions` take lists."""

    class Meta:
        model = SupplierActivity
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, supplier=True)
    title = factory.Sequence(lambda n: f"Activité {n}")
    service_kind = ServiceKind.SERVICE
    coverage = Coverage.COUNTRY

    class Params:
        radius = factory.Trait(coverage=Coverage.RADIUS, radius_km=30)
        in_departements = factory.Trait(coverage=Coverage.DEPARTEMENTS)
        in_regions = factory.Trait(coverage=Coverage.REGIONS)

    @factory.post_generation
    def cpvs(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.cpvs.set(extracted)

    @factory.post_generation
    def themes(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def departements(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.departements.set(extracted)

    @factory.post_generation
    def regions(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def reindex(self, create: bool, extracted: object, **kwargs: object) -> None:
        """Like the services do after a change: the directory's search index sees the activity (ADR 0014).
        `reindex=False` leaves the index stale, to test the index itself."""
        if create and extracted is not False:
            supplier_reindex(self.organisation_id)


class SupplierLabelFactory(DjangoModelFactory[SupplierLabel]):
    class Meta:
        model = SupplierLabel

    organisation = factory.SubFactory(OrganisationFactory, supplier=True)
    label = factory.SubFactory(LabelFactory)


class SupplierContactFactory(DjangoModelFactory[SupplierContact]):
    class Meta:
        model = SupplierContact

    organisation = factory.SubFactory(OrganisationFactory, supplier=True)
    full_name = factory.Faker("name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"contact{n}@structure.example")


class SourcingNeedFactory(DjangoModelFactory[SourcingNeed]):
    class Meta:
        model = SourcingNeed
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    buyer = factory.SubFactory(OrganisationFactory)
    author = factory.SubFactory(UserFactory)
    kind = NeedKind.SOURCING
    title = factory.Sequence(lambda n: f"Besoin {n}")
    description = "Entretien des espaces verts de la commune."
    place = factory.SubFactory(DepartementFactory)
    answer_deadline = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))

    @factory.post_generation
    def cpvs(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.cpvs.set(extracted)


class NeedMatchFactory(DjangoModelFactory[NeedMatch]):
    class Meta:
        model = NeedMatch

    need = factory.SubFactory(SourcingNeedFactory)
    supplier = factory.SubFactory(OrganisationFactory, supplier=True)
