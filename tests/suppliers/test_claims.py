"""Claiming a supplier by its SIRET and the animators' decision."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.suppliers.enums import ClaimStatus
from relais.suppliers.models import SupplierClaim
from relais.suppliers.perms import can_manage_supplier
from relais.suppliers.services import SupplierError, supplier_claim, supplier_claim_reject, supplier_claim_verify

from ..conftest import Personas
from ..factories import OrganisationFactory, UserFactory, valid_siret

pytestmark = pytest.mark.django_db


def _spaced(siret: str) -> str:
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


def test_an_unknown_siret_creates_the_supplier_and_tells_the_animators(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory()
    siret = valid_siret()
    with django_capture_on_commit_callbacks(execute=True):
        claim = supplier_claim(
            user=user, siret=_spaced(siret), name=" Jardins de l'Ille ", network=personas.network, message="Directrice"
        )
    organisation = claim.organisation
    assert (organisation.siret, organisation.name, organisation.kind) == (siret, "Jardins de l'Ille", "supplier")
    assert claim.status == ClaimStatus.PENDING
    assert not can_manage_supplier(user, organisation)
    assert [m.to for m in mail.outbox] == [[personas.animator.email]]
    assert "Jardins de l'Ille" in mail.outbox[0].subject
    assert str(claim.public_id) in mail.outbox[0].body


@pytest.mark.parametrize(
    ("siret", "message"),
    [("1234", "14 chiffres"), ("12345678901234", "clé de contrôle"), ("", "14 chiffres")],
)
def test_a_bad_siret_is_refused_with_a_clear_message(personas: Personas, siret: str, message: str) -> None:
    with pytest.raises(SupplierError, match=message):
        supplier_claim(user=UserFactory(), siret=siret, name="X", network=personas.network)
    assert not SupplierClaim.objects.exists()


def test_an_unknown_siret_needs_a_name(personas: Personas) -> None:
    with pytest.raises(SupplierError, match="raison sociale"):
        supplier_claim(user=UserFactory(), siret=valid_siret(), name="", network=personas.network)
    assert not Organisation.objects.filter(name="").exists()


def test_a_buyer_cannot_be_claimed(personas: Personas) -> None:
    buyer = Organisation.objects.get(name="Ville de Rennes")
    with pytest.raises(SupplierError, match="acheteur public"):
        supplier_claim(user=UserFactory(), siret=buyer.siret or "", name="", network=personas.network)


def test_one_open_claim_per_account_and_refused_when_already_managing(personas: Personas) -> None:
    user = UserFactory()
    organisation = OrganisationFactory(supplier=True)
    supplier_claim(user=user, siret=organisation.siret or "", name="", network=personas.network)
    with pytest.raises(SupplierError, match="attend déjà"):
        supplier_claim(user=user, siret=organisation.siret or "", name="", network=personas.network)
    own = Organisation.objects.get(name="Atelier d'insertion")  # the supplier persona acts for it
    with pytest.raises(SupplierError, match="gérez déjà"):
        supplier_claim(user=personas.supplier, siret=own.siret or "", name="", network=personas.network)


def test_verifying_lets_the_account_edit_and_turns_a_company_into_a_supplier(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    company = OrganisationFactory(kind=OrganisationKind.COMPANY, buyer_category="", name="Traiteur du Lac")
    user = UserFactory(email="gerante@traiteur.example")
    claim = supplier_claim(user=user, siret=company.siret or "", name="", network=personas.network)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        supplier_claim_verify(claim=claim, by=personas.animator)
    claim.refresh_from_db()
    company.refresh_from_db()
    assert (claim.status, claim.decided_by, company.kind) == (ClaimStatus.VERIFIED, personas.animator, "supplier")
    assert claim.decided_at is not None
    assert can_manage_supplier(user, company)
    assert [m.to for m in mail.outbox] == [["gerante@traiteur.example"]]
    assert f"/espace-fournisseur/{company.public_id}/" in mail.outbox[0].body
    with pytest.raises(SupplierError, match="déjà été traitée"):
        supplier_claim_reject(claim=claim, by=personas.animator, reason="trop tard")


def test_rejecting_needs_a_reason_which_is_sent_and_allows_a_new_claim(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory()
    organisation = OrganisationFactory(supplier=True)
    claim = supplier_claim(user=user, siret=organisation.siret or "", name="", network=personas.network)
    with pytest.raises(SupplierError, match="motif"):
        supplier_claim_reject(claim=claim, by=personas.animator, reason="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        supplier_claim_reject(claim=claim, by=personas.animator, reason="Personne inconnue de la structure.")
    assert "Personne inconnue de la structure." in mail.outbox[0].body
    assert not can_manage_supplier(user, organisation)
    again = supplier_claim(user=user, siret=organisation.siret or "", name="", network=personas.network)
    assert again.status == ClaimStatus.PENDING
