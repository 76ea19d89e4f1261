"""A small world for the indicator pages and the API: the personas' network with two member cities, a few contracts
whose figures are computed by hand, and the cubes refreshed.

    #   buyer        notified    dep div  amount       social     environmental      innovative
    r1  RENNES       2025-03-01  35  45   1,000,000    clause     clause+criterion   True
    r2  RENNES       2025-05-01  35  90     200,000    none       criterion          —
    r3  RENNES       2026-09-01  35  90     300,000    none       none               —   art. 35 + EU threshold
    r4  RENNES       2026-10-01  35  90      50,000    unknown    none               —   art. 35
    r5  RENNES       2024-06-01  35  45     400,000    clause     none               —
    b1  BREST        2025-04-01  29  90      80,000    reserved   none               —
    s1  STATE        2025-02-01  75  30  60,000,000    none       criterion          —   SPASER 2025 (50 M€)
    n1  NANTES_BODY  2025-07-01  44  45     150,000    unknown    unknown            —

Rennes 2025: 2 contracts, 1,200,000 €; social 1 of 2 known (50 %), environmental 2 of 2 (100 %).
Network (Rennes + Brest) 2025: 3 contracts; social 2 of 3 (66.7 %); environmental 2 of 3 (66.7 %).
Country 2025: 5 contracts; social 2 of 4 known (50 %); environmental 3 of 4 known (75 %).
Rennes' checks: environmental r3, r4 without; social (from 2026-08-21, above 216,000 €) r3 without.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from relais.contracts.cubes import indicators_refresh
from relais.contracts.models import Contract
from relais.organisations.models import Organisation
from relais.reference.models import Departement

from ..conftest import Personas
from ..factories import MembershipFactory, OrganisationFactory
from .cube_data import BREST, NANTES_BODY, RENNES, RENNES_SIREN, STATE, contract, load_territories_and_rules

RENNES_NAME = "Ville de Rennes"
BREST_NAME = "Ville de Brest"


@dataclass
class IndicatorWorld:
    personas: Personas
    rennes: Organisation
    brest: Organisation
    contracts: dict[str, Contract]


def build_indicator_world(personas: Personas) -> IndicatorWorld:
    load_territories_and_rules()
    rennes = Organisation.objects.get(name=RENNES_NAME)
    rennes.siret, rennes.siren = RENNES, RENNES_SIREN
    rennes.departement = Departement.objects.get(code="35")
    rennes.save()
    brest = OrganisationFactory.create(name=BREST_NAME, siret=BREST, siren=BREST[:9])
    MembershipFactory.create(network=personas.network, organisation=brest)
    made = {
        "r1": contract(
            RENNES,
            on=dt.date(2025, 3, 1),
            amount="1000000",
            division="45",
            social={"clause"},
            environmental={"clause", "criterion"},
            innovative=True,
            name=RENNES_NAME,
        ),
        "r2": contract(
            RENNES,
            on=dt.date(2025, 5, 1),
            amount="200000",
            procedure="adaptee",
            environmental={"criterion"},
            name=RENNES_NAME,
        ),
        "r3": contract(RENNES, on=dt.date(2026, 9, 1), amount="300000", name=RENNES_NAME),
        "r4": contract(RENNES, on=dt.date(2026, 10, 1), amount="50000", social="unknown", name=RENNES_NAME),
        "r5": contract(RENNES, on=dt.date(2024, 6, 1), amount="400000", division="45", social={"clause"}),
        "b1": contract(
            BREST, on=dt.date(2025, 4, 1), amount="80000", departement="29", social={"reserved"}, name=BREST_NAME
        ),
        "s1": contract(
            STATE,
            on=dt.date(2025, 2, 1),
            amount="60000000",
            departement="75",
            division="30",
            environmental={"criterion"},
            name="Ministère des Armées",
        ),
        "n1": contract(
            NANTES_BODY,
            on=dt.date(2025, 7, 1),
            amount="150000",
            departement="44",
            division="45",
            social="unknown",
            environmental="unknown",
        ),
    }
    indicators_refresh()
    return IndicatorWorld(personas=personas, rennes=rennes, brest=brest, contracts=made)
