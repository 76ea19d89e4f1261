"""Reserved contracts and lots judged on real supplier rows: counts, size against the amount, who is named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from relais.advisor.enums import Verdict
from relais.advisor.services import advise
from relais.advisor.suppliers import is_small
from relais.organisations.enums import StructureType
from relais.reference.models import Cpv
from relais.suppliers.enums import ServiceKind, TurnoverBand

from .conftest import MILLION, supplier

ON = dt.date(2026, 9, 1)


def _advice(amount: Decimal | None, *, show_unlisted: bool = False, departement: str = "35") -> object:
    return advise(
        cpv_codes=["45442100"],
        departement_code=departement,
        amount=amount,
        buyer_category="local",
        on=ON,
        show_unlisted=show_unlisted,
    )


def test_size_of_a_band_against_the_amount() -> None:
    assert is_small(TurnoverBand.FROM_100K, MILLION, Decimal(100)) is True  # 500 k€ < 1 M€
    assert is_small(TurnoverBand.FROM_500K, MILLION, Decimal(100)) is False  # 2 M€ ≥ 1 M€
    assert is_small(TurnoverBand.OVER_10M, MILLION, Decimal(100)) is False
    assert is_small("", MILLION, Decimal(100)) is None
    assert is_small(TurnoverBand.UNDER_100K, None, Decimal(100)) is None


def test_siae_reservation_counts_suppliers_of_the_departement_and_their_size(reference: dict[str, Cpv]) -> None:
    painting = reference["45442100"]
    for index in range(3):
        supplier(f"Peinture solidaire {index}", structure=StructureType.EI, cpv=painting, band=TurnoverBand.FROM_2M)
    supplier("Petit chantier", structure=StructureType.ACI, cpv=painting, band=TurnoverBand.UNDER_100K)
    supplier("Chantier sans chiffre", structure=StructureType.AI, cpv=painting)
    supplier("Peinture du Finistère", structure=StructureType.EI, cpv=painting, departement="29")
    supplier("Peintres adaptés", structure=StructureType.EA, cpv=painting, band=TurnoverBand.FROM_100K)
    supplier("Nettoyage EI", structure=StructureType.EI, cpv=reference["90910000"], kind=ServiceKind.SERVICE)

    advice = _advice(MILLION)
    siae = advice.get("reserved_l2113_13")  # type: ignore[attr-defined]
    assert siae.figures["eligible"] == 5
    assert siae.figures["compatible_size"] == 3
    assert siae.figures["small_for_amount"] == 1
    assert siae.figures["unknown_size"] == 1
    assert siae.verdict == Verdict.RECOMMENDED
    assert "5 SIAE de l'annuaire couvre(nt) le département 35" in siae.explanation
    assert "dont 3 de taille compatible" in siae.explanation
    assert "50 %" in siae.explanation  # R2113-7

    disabled = advice.get("reserved_l2113_12")  # type: ignore[attr-defined]
    assert (disabled.figures["eligible"], disabled.figures["small_for_amount"]) == (1, 1)
    assert disabled.verdict == Verdict.UNREALISTIC
    assert "lot" in disabled.explanation
    both = advice.get("reserved_l2113_14")  # type: ignore[attr-defined]
    assert both.figures["eligible"] == 6
    assert advice.get("reserved_lot").verdict == Verdict.POSSIBLE  # type: ignore[attr-defined]
    clause = advice.get("insertion_clause")  # type: ignore[attr-defined]
    assert clause.figures["partners"] == 6


def test_small_suppliers_lead_to_a_reserved_lot(reference: dict[str, Cpv]) -> None:
    for index in range(2):
        supplier(
            f"Atelier {index}", structure=StructureType.ACI, cpv=reference["45442100"], band=TurnoverBand.UNDER_100K
        )
    advice = _advice(MILLION)
    assert advice.get("reserved_l2113_13").verdict == Verdict.UNREALISTIC  # type: ignore[attr-defined]
    lot = advice.get("reserved_lot")  # type: ignore[attr-defined]
    assert lot.verdict == Verdict.RECOMMENDED
    assert lot.figures["small_for_amount"] == 2
    # For a small purchase the same suppliers are big enough.
    small_purchase = _advice(Decimal(80_000))
    assert small_purchase.get("reserved_l2113_13").figures["compatible_size"] == 2  # type: ignore[attr-defined]
    assert small_purchase.get("reserved_l2113_13").verdict == Verdict.POSSIBLE  # type: ignore[attr-defined]


def test_no_supplier_means_unrealistic(reference: dict[str, Cpv]) -> None:
    advice = _advice(MILLION)
    for code in ("reserved_l2113_12", "reserved_l2113_13", "reserved_l2113_14", "reserved_lot"):
        item = advice.get(code)  # type: ignore[attr-defined]
        assert item.verdict == Verdict.UNREALISTIC, code
    assert "0 SIAE" in advice.get("reserved_l2113_13").explanation  # type: ignore[attr-defined]


def test_unlisted_suppliers_are_counted_but_named_only_to_members(reference: dict[str, Cpv]) -> None:
    supplier(
        "Peinture publique",
        structure=StructureType.EI,
        cpv=reference["45442100"],
        public=True,
        band=TurnoverBand.FROM_2M,
    )
    supplier("Peinture discrète", structure=StructureType.EI, cpv=reference["45442100"], band=TurnoverBand.FROM_2M)
    anonymous = _advice(MILLION).get("reserved_l2113_13")  # type: ignore[attr-defined]
    member = _advice(MILLION, show_unlisted=True).get("reserved_l2113_13")  # type: ignore[attr-defined]
    assert anonymous.figures["eligible"] == member.figures["eligible"] == 2
    assert [ref.name for ref in anonymous.suppliers] == ["Peinture publique"]
    assert {ref.name for ref in member.suppliers} == {"Peinture publique", "Peinture discrète"}


@pytest.mark.usefixtures("reference")
def test_sse_reservation_counts_sse_structures_for_listed_services(reference: dict[str, Cpv]) -> None:
    for index in range(3):
        supplier(
            f"Association {index}",
            structure=StructureType.ASSOCIATION,
            cpv=reference["85311000"],
            kind=ServiceKind.SERVICE,
            band=TurnoverBand.FROM_500K,
        )
    advice = advise(
        cpv_codes=["85311000"], departement_code="35", amount=Decimal(300_000), buyer_category="local", on=ON
    )
    sse = advice.get("reserved_l2113_15")
    assert sse is not None
    assert sse.verdict == Verdict.RECOMMENDED
    assert sse.figures["eligible"] == 3
    assert sse.figures["compatible_size"] == 3
