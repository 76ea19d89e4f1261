"""Who gets what on the public-contract data pages, for each persona of the fixed cast.

tests/test_permissions.py delegates the `web:decp…`, `web:contract…`, `api:contract…`, `web:indicator…` and
`api:indicator…` names to this module.
Import reports hold raw records of the quarantine: only site admins and network animators read them or queue
imports. The contracts themselves are public data (Licence Ouverte): everyone reads them, and only a member acting
for the contract's buyer turns one into a draft case sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from relais.contracts.cubes import indicators_refresh
from relais.contracts.models import Contract, ContractHolder, ImportRun, QuarantinedRecord
from relais.organisations.models import Organisation

from ..conftest import Personas
from ..factories import CpvFactory, OrganisationFactory
from ..test_permissions import EVERYONE, LOGIN, PERSONAS, Outcome, row, site_urls
from .cube_data import load_territories_and_rules

PREFIXES = ("web:decp", "web:contract", "api:contract", "web:indicator", "api:indicator")
ORGANISERS = row(LOGIN, 403, 403, 403, 200, 200, 200)
# Indicators are public figures; lists of buyers narrowed to a network tell who its members are: members only.
INDICATOR_PREFIXES = ("web:indicator", "api:indicator")
NETWORK_MEMBERS_LIST = row(LOGIN, 200, 403, 200, 200, 403, 200)
OF_THE_NETWORK = {"perimetre": "reseau-reseau-grand-ouest"}  # the personas' network
SECRET_RAW_TEXT = "texte-brut-de-quarantaine"


@dataclass(frozen=True)
class Case:
    expected: dict[str, Outcome]
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)


EXPECTED: dict[str, tuple[Case, ...]] = {
    # A POST without a file is refused by the form (200 with the message) for those who may import.
    "web:decp_imports": (Case(ORGANISERS), Case(ORGANISERS, "POST")),
    "web:decp_import_detail": (Case(ORGANISERS),),
    "web:contract_search": (Case(EVERYONE),),
    "web:contract_export_csv": (Case(EVERYONE),),
    "web:contract_export_xlsx": (Case(EVERYONE),),
    "web:contract_detail": (Case(EVERYONE),),
    "web:contract_holder": (Case(EVERYONE),),
    # Only the member whose organisation bought the contract gets a draft (302 to the editor).
    "web:contract_to_sheet": (
        Case(row(LOGIN, 405, 405, 405, 405, 405, 405)),
        Case(row(LOGIN, 302, 403, 403, 403, 403, 403), "POST"),
    ),
    "api:contract_list": (Case(EVERYONE),),
    "api:contract_detail": (Case(EVERYONE),),
    "web:indicator_observatory": (Case(EVERYONE), Case(EVERYONE, data=OF_THE_NETWORK)),
    "web:indicator_observatory_csv": (Case(EVERYONE), Case(EVERYONE, data=OF_THE_NETWORK)),
    "web:indicator_observatory_xlsx": (Case(EVERYONE),),
    "web:indicator_buyer": (Case(EVERYONE),),
    "web:indicator_buyer_csv": (Case(EVERYONE),),
    "web:indicator_buyer_xlsx": (Case(EVERYONE),),
    "web:indicator_compliance": (Case(EVERYONE), Case(NETWORK_MEMBERS_LIST, data=OF_THE_NETWORK)),
    "web:indicator_compliance_csv": (Case(EVERYONE), Case(NETWORK_MEMBERS_LIST, data=OF_THE_NETWORK)),
    "web:indicator_compliance_xlsx": (Case(EVERYONE), Case(NETWORK_MEMBERS_LIST, data=OF_THE_NETWORK)),
    "web:indicator_spaser": (Case(EVERYONE), Case(NETWORK_MEMBERS_LIST, data=OF_THE_NETWORK)),
    "web:indicator_spaser_csv": (Case(EVERYONE), Case(NETWORK_MEMBERS_LIST, data=OF_THE_NETWORK)),
    "web:indicator_spaser_xlsx": (Case(EVERYONE), Case(NETWORK_MEMBERS_LIST, data=OF_THE_NETWORK)),
    "api:indicator_buyer": (Case(EVERYONE),),
    "api:indicator_network": (Case(EVERYONE),),
    "api:indicator_territory": (Case(EVERYONE),),
}


def test_every_url_of_the_area_has_an_entry() -> None:
    names, _unnamed = site_urls()
    ours = {name for name in names if name.startswith(PREFIXES)}
    assert ours
    assert ours == EXPECTED.keys()


def test_matrix_rows_are_complete() -> None:
    for cases in EXPECTED.values():
        for case in cases:
            assert set(case.expected) == set(PERSONAS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, personas: Personas) -> None:
    run = ImportRun.objects.create(source_name="decp.json", source_signature="s", status="done")
    QuarantinedRecord.objects.create(run=run, position=3, reason="syntax", raw_text=SECRET_RAW_TEXT)
    contract, holder = _contract_of_the_member(personas, run)
    if name.startswith(INDICATOR_PREFIXES):
        _dated_and_aggregated(contract)
    kwargs = {
        "web:decp_import_detail": {"public_id": run.public_id},
        "web:contract_detail": {"public_id": contract.public_id},
        "web:contract_to_sheet": {"public_id": contract.public_id},
        "web:contract_holder": {"public_id": holder.public_id},
        "api:contract_detail": {"public_id": contract.public_id},
        "web:indicator_buyer": {"identifier": contract.buyer_identifier},
        "web:indicator_buyer_csv": {"identifier": contract.buyer_identifier},
        "web:indicator_buyer_xlsx": {"identifier": contract.buyer_identifier},
        "api:indicator_buyer": {"identifier": contract.buyer_identifier},
        "api:indicator_network": {"slug": personas.network.slug},
        "api:indicator_territory": {"level": "country", "code": "FR"},
    }.get(name, {})
    url = reverse(name, kwargs=kwargs)
    problems = []
    for case in EXPECTED[name]:
        for persona, user in personas.all().items():
            client = Client()
            if isinstance(user, User):
                client.force_login(user)
            response = client.get(url, case.data) if case.method == "GET" else client.post(url, case.data)
            expected = case.expected[persona]
            ok = (
                response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
                if expected == LOGIN
                else response.status_code == expected
            )
            if not ok:
                problems.append(f"{case.method} {url} {persona}: attendu {expected}, obtenu {response.status_code}")
            if response.status_code != 200 and SECRET_RAW_TEXT in response.content.decode():
                problems.append(f"{case.method} {url} {persona}: montre la quarantaine")
    assert not problems, "\n".join(problems)


def _contract_of_the_member(personas: Personas, run: ImportRun) -> tuple[Contract, Organisation]:
    """A contract bought by the member's organisation, won by a company."""
    buyer = Organisation.objects.get(name="Ville de Rennes")
    holder = OrganisationFactory.create(name="Cuisine solidaire", kind="company", buyer_category="")
    cpv = CpvFactory.create()
    contract = Contract.objects.create(
        uid="matrice",
        kind="contract",
        buyer=buyer,
        buyer_identifier=buyer.siret or "",
        identifier="2025-001",
        object="Restauration scolaire",
        cpv=cpv.code,
        cpv_division=cpv.division,
        contract_type="services",
        duration_months=36,
        source_format="2022-json",
        content_hash="h",
        first_run=run,
        last_run=run,
    )
    ContractHolder.objects.create(
        contract=contract, rank=0, identifier=holder.siret or "", name=holder.name, organisation=holder
    )
    return contract, holder


def _dated_and_aggregated(contract: Contract) -> None:
    """The indicator pages read the cubes: give the member's contract a notification date and refresh them."""
    load_territories_and_rules()
    Contract.objects.filter(pk=contract.pk).update(
        notified_on=dt.date(2025, 3, 1), notified_year=2025, amount=Decimal("250000")
    )
    indicators_refresh()
