"""`manage.py load_demo` and `manage.py demo_accounts`: realistic content, valid identifiers, real workflow, no
duplicates on a second run, nothing written into a database already in use."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import Client

from relais.accounts.models import User
from relais.casesheets.enums import SheetStatus, Visibility
from relais.casesheets.models import CaseSheet, SheetFacet, SheetRevision, SheetTerm
from relais.core.text import terms
from relais.core.validators import is_valid_siret
from relais.demo.data import (
    ACCOUNTS,
    ADMIN_EMAIL,
    ANIMATOR_EMAIL,
    DEMO_PASSWORD,
    MEMBER_EMAIL,
    NATIONAL_ANIMATOR_EMAIL,
    ORGANISATIONS,
    SUPPLIER_EMAIL,
)
from relais.demo.specs import demo_siret
from relais.networks.enums import ReferentKind
from relais.networks.models import Membership, Network, NetworkRole, Referent
from relais.networks.perms import is_animator, is_member
from relais.organisations.enums import OrganisationKind, StructureType
from relais.organisations.models import Organisation, OrganisationStructure
from relais.reference.models import Cpv
from tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db

DEMO_MODELS = (Network, Membership, Referent, Organisation, OrganisationStructure, User, NetworkRole, CaseSheet)


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in DEMO_MODELS} | {
        "SheetRevision": SheetRevision.objects.count(),
        "SheetTerm": SheetTerm.objects.count(),
    }


@pytest.mark.usefixtures("debug", "reference")
def test_load_demo_creates_realistic_content_with_valid_identifiers() -> None:
    output = load()

    assert "18 fiches dont 15 publiées" in output
    assert CaseSheet.objects.count() >= 15
    assert Organisation.objects.count() >= 20
    sirets = list(Organisation.objects.values_list("siret", flat=True))
    assert all(siret and is_valid_siret(siret) for siret in sirets)
    assert len(set(sirets)) == len(sirets)
    assert all(siret and siret.startswith("000") for siret in sirets)  # fictional prefix, no real company's number
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)
    structure_types = set(OrganisationStructure.objects.values_list("structure_type", flat=True))
    assert {
        StructureType.EI,
        StructureType.ESAT,
        StructureType.ACI,
        StructureType.AI,
        StructureType.EA,
    } <= structure_types
    assert {StructureType.GEIQ, StructureType.SCOP, StructureType.SCIC, StructureType.ASSOCIATION} <= structure_types

    regional = Network.objects.get(slug="reseau-grand-ouest")
    assert regional.name == "Réseau Grand Ouest"
    assert set(regional.regions.values_list("name", flat=True)) == {
        "Bretagne",
        "Pays de la Loire",
        "Centre-Val de Loire",
    }
    assert Network.objects.count() == 2
    # Every member is represented by a technician; every local authority also by an elected referent.
    for membership in Membership.objects.select_related("organisation"):
        kinds = set(membership.referents.values_list("kind", flat=True))
        assert ReferentKind.TECHNICIAN in kinds
        if membership.organisation.buyer_category != "state":
            assert kinds == {ReferentKind.ELECTED, ReferentKind.TECHNICIAN}
    assert all(email.endswith("@exemple.fr") for email in Referent.objects.values_list("email", flat=True))


@pytest.mark.usefixtures("debug", "reference")
def test_sheets_go_through_the_real_workflow_and_are_indexed() -> None:
    load()

    statuses = dict(CaseSheet.objects.values_list("status").annotate(n=Count("id")))
    assert statuses[SheetStatus.PUBLISHED] >= 15
    assert statuses[SheetStatus.SUBMITTED] == 1
    assert statuses[SheetStatus.DRAFT] == 1
    assert statuses[SheetStatus.RETURNED] == 1
    assert CaseSheet.objects.get(status=SheetStatus.RETURNED).return_comment
    assert 2 <= CaseSheet.objects.published().filter(visibility=Visibility.MEMBERS).count() <= 3

    for sheet in CaseSheet.objects.prefetch_related("criteria", "themes", "buyers"):
        published = sheet.status == SheetStatus.PUBLISHED
        assert SheetTerm.objects.filter(sheet=sheet).exists() == published
        assert SheetFacet.objects.filter(sheet=sheet).exists() == published
        assert SheetRevision.objects.filter(sheet=sheet).exists() == published
        assert published == (sheet.published_at is not None)
        if sheet.criteria.all():
            assert sheet.criteria_weight_total() == 100
        assert sheet.themes.exists()
        assert sheet.buyers.exists()
        if published:
            assert sheet.criteria.exists()
            for text in (sheet.context, sheet.actions, sheet.value_for_buyer, sheet.value_for_supplier):
                assert text

    # The Pas-de-Calais figures of the RTES kit are there, and search terms lead to the fair-trade sheets.
    pas_de_calais = CaseSheet.objects.get(title__contains="122 collèges du Pas-de-Calais")
    figures = {impact.label: impact.value for impact in pas_de_calais.impacts.all()}
    assert figures["personnes en insertion"] == 913
    assert figures["dont allocataires du RSA"] == 687
    fair_trade_term = terms("équitable")[0]
    assert SheetTerm.objects.filter(term=fair_trade_term).count() >= 3
    assert SheetFacet.objects.filter(facet="other", value="fair_trade").count() >= 2
    assert set(SheetFacet.objects.filter(facet="reserved").values_list("value", flat=True)) >= {
        "L2113-12",
        "L2113-13",
    }


@pytest.mark.usefixtures("debug", "reference")
def test_second_run_creates_nothing() -> None:
    load()
    before = counts()

    output = load()

    assert counts() == before
    assert "rien à créer" in output


@pytest.mark.usefixtures("debug", "reference")
def test_if_empty_leaves_a_database_in_use_alone() -> None:
    NetworkFactory(name="Réseau existant", slug="reseau-existant")

    output = load("--if-empty")

    assert "non chargées" in output
    assert Network.objects.count() == 1
    assert not CaseSheet.objects.exists()
    assert not User.objects.exists()


@pytest.mark.usefixtures("debug")
def test_if_empty_loads_an_empty_database_with_its_reference_data() -> None:
    assert not Cpv.objects.exists()

    output = load("--if-empty")

    assert "load_reference" in output
    assert Cpv.objects.count() > 9000  # the whole shipped CPV list, not only the demo's codes
    assert CaseSheet.objects.count() >= 15
    assert User.objects.filter(email=ANIMATOR_EMAIL).exists()


@pytest.mark.usefixtures("reference")
def test_refuses_to_run_without_debug_unless_asked() -> None:
    with pytest.raises(CommandError, match="DEBUG"):
        load()
    assert not Network.objects.exists()

    NetworkFactory()
    assert "non chargées" in load("--allow-without-debug", "--if-empty")


@pytest.mark.usefixtures("debug", "reference")
def test_demo_accounts_log_in_and_hold_their_roles(client: Client) -> None:
    load()
    regional = Network.objects.get(slug="reseau-grand-ouest")
    national = Network.objects.get(slug="reseau-national-acheteurs-responsables")

    for account in ACCOUNTS:
        assert client.login(email=account.email, password=DEMO_PASSWORD), account.email
        client.logout()

    def user(email: str) -> User:
        return User.objects.get(email=email)

    assert is_animator(user(ANIMATOR_EMAIL), regional)
    assert not is_animator(user(ANIMATOR_EMAIL), national)
    assert is_animator(user(NATIONAL_ANIMATOR_EMAIL), national)
    assert is_member(user(MEMBER_EMAIL), regional)
    assert not is_animator(user(MEMBER_EMAIL), regional)
    # Suppliers are not members: they do not read members-only sheets.
    assert not is_member(user(SUPPLIER_EMAIL), regional)
    admin = user(ADMIN_EMAIL)
    assert admin.is_superuser
    assert admin.is_staff


@pytest.mark.usefixtures("debug", "reference")
def test_publication_notifications_are_sent_once_committed(
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        load()

    subjects = [message.subject for message in mail.outbox]
    assert sum("Votre fiche est publiée" in subject for subject in subjects) == 15
    assert any("Fiche à relire" in subject for subject in subjects)
    assert any("à compléter" in subject for subject in subjects)


@pytest.mark.usefixtures("debug", "reference")
def test_demo_accounts_prints_the_table_only_once_loaded() -> None:
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    assert DEMO_PASSWORD not in out.getvalue()
    assert "load_demo" in out.getvalue()

    load()
    out = StringIO()
    call_command("demo_accounts", stdout=out)

    text = out.getvalue()
    assert "http://" in text
    assert DEMO_PASSWORD in text
    for account in ACCOUNTS:
        assert account.email in text
    assert "Animateur du réseau (RGO)" in text
    assert "Fournisseur (RGO) — ESAT Les Jardins de la Vilaine" in text


def test_demo_sirets_are_stable_valid_and_distinct() -> None:
    keys = [spec.key for spec in ORGANISATIONS]
    sirets = [demo_siret(key) for key in keys]
    assert all(is_valid_siret(siret) and len(siret) == 14 for siret in sirets)
    assert sirets == [demo_siret(key) for key in keys]
    assert len(set(sirets)) == len(sirets) == len(set(keys))
