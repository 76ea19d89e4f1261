"""Renaming an organisation in the back office reaches the search indexes that hold the words of its name: the
contracts whose buyer or holder it is (rebuilt by a background task) and the supplier directory."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from relais.contracts.models import ContractHolder
from relais.contracts.search import reindex_contracts
from relais.organisations.models import Organisation
from relais.suppliers.search import DirectorySearch, directory_search

from ..factories import OrganisationFactory, UserFactory
from ..suppliers.factories import SupplierActivityFactory, SupplierProfileFactory
from .cube_data import contract

pytestmark = pytest.mark.django_db(transaction=True)


def _rename(organisation: Organisation, name: str) -> None:
    admin = Client()
    admin.force_login(UserFactory(site_admin=True))
    form = {
        "name": name,
        "kind": organisation.kind,
        "siret": organisation.siret,
        "siren": organisation.siren,
        "buyer_category": organisation.buyer_category,
        "support_category": organisation.support_category,
        "departement": "",
        "city": "",
        "website": "",
        "description": "",
        "structures-TOTAL_FORMS": "0",
        "structures-INITIAL_FORMS": "0",
        "structures-MIN_NUM_FORMS": "0",
        "structures-MAX_NUM_FORMS": "1000",
    }
    response = admin.post(reverse("admin:organisations_organisation_change", args=[organisation.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]


def _found(client: Client, **query: str) -> bool:
    response = client.get(reverse("web:contract_search"), query)
    assert response.status_code == 200
    return "Marché n°" in response.content.decode()


def test_renaming_a_buyer_and_a_holder_reindexes_their_contracts_and_the_directory() -> None:
    buyer = OrganisationFactory(name="Ville de Kerlouan")
    supplier = OrganisationFactory(name="Atelier Brocéliande", supplier=True)
    SupplierProfileFactory(organisation=supplier, public_listing=True)
    SupplierActivityFactory(organisation=supplier)
    signed = contract(buyer.siret or "", departement=None)
    signed.buyer = buyer
    signed.save()
    ContractHolder.objects.create(contract=signed, rank=0, identifier=supplier.siret or "", organisation=supplier)
    reindex_contracts([signed.pk])
    visitor = Client()
    assert _found(visitor, buyer="Kerlouan")
    assert _found(visitor, holder="Brocéliande")

    _rename(buyer, "Commune de Plouguerneau")
    _rename(supplier, "Coopérative Arlequin")

    assert _found(visitor, buyer="Plouguerneau")
    assert not _found(visitor, buyer="Kerlouan")
    assert _found(visitor, holder="Arlequin")
    assert not _found(visitor, holder="Brocéliande")
    listed = directory_search(DirectorySearch(q="Arlequin"), AnonymousUser())
    assert list(listed.organisation_ids) == [supplier.pk]
    assert directory_search(DirectorySearch(q="Brocéliande"), AnonymousUser()).total == 0
