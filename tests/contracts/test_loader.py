"""The load step: identity of contracts, merging of republications, organisations, shared identifiers, quarantine."""

from __future__ import annotations

from decimal import Decimal

import pytest

from relais.contracts.decp.records import Party, Rejected
from relais.contracts.enums import ConsiderationStatus, QualityFlag, QuarantineReason
from relais.contracts.loader import BatchCounts, ReferenceData, flag_shared_identifiers, load_batch
from relais.contracts.models import Contract, ContractHolder, ContractModification, ImportRun, QuarantinedRecord
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation

from ..factories import OrganisationFactory
from .builders import BUYER_SIRET, HOLDER_SIRET, OTHER_HOLDER_SIRET, modification, record

pytestmark = pytest.mark.django_db


def _run() -> ImportRun:
    return ImportRun.objects.create(source_name="test.json", source_signature="x")


def _load(items: list, reference: ReferenceData) -> BatchCounts:
    """One batch, then the end-of-run step, as an import of a file holding these records."""
    counts = load_batch(items, run=_run(), reference=reference)
    flag_shared_identifiers()
    return counts


def _state() -> list[tuple]:
    """Everything the import decides, comparable across runs."""
    contracts = list(
        Contract.objects.order_by("uid").values_list(
            "uid",
            "identifier",
            "object",
            "amount",
            "current_amount",
            "published_on",
            "modifications_count",
            "quality_flags",
            "social_status",
            "content_hash",
        )
    )
    holders = list(ContractHolder.objects.order_by("contract__uid", "rank").values_list("contract__uid", "identifier"))
    modifications = list(
        ContractModification.objects.order_by("contract__uid", "rank").values_list("contract__uid", "number", "amount")
    )
    return [contracts, holders, modifications]


def test_a_record_becomes_a_contract_linked_to_its_organisations(reference: ReferenceData) -> None:
    counts = _load([record()], reference)
    contract = Contract.objects.get()
    assert (counts.created, counts.updated, counts.unchanged) == (1, 0, 0)
    assert contract.cpv == "55524000-9"
    assert contract.cpv_division == "55"
    assert contract.contract_type == "services"
    assert contract.departement_id == "35"
    assert contract.notified_year == 2025
    assert contract.social_status == ConsiderationStatus.SOME
    assert contract.social_clause
    assert not contract.reserved
    assert contract.environmental_criterion
    assert not contract.environmental_clause
    assert contract.buyer is not None
    assert contract.buyer.siret == BUYER_SIRET
    assert contract.buyer.kind == OrganisationKind.BUYER
    holder = contract.holders.get()
    assert holder.organisation is not None
    assert holder.organisation.kind == OrganisationKind.COMPANY
    assert holder.organisation.name == "Cuisine solidaire"
    assert contract.quality_flags == 0


def test_the_same_record_again_changes_nothing(reference: ReferenceData) -> None:
    _load([record()], reference)
    before = _state()
    counts = _load([record(), record()], reference)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 2)
    assert _state() == before
    assert Organisation.objects.count() == 2


def test_an_existing_organisation_is_linked_never_duplicated(reference: ReferenceData) -> None:
    supplier = OrganisationFactory(siret=HOLDER_SIRET, siren=HOLDER_SIRET[:9], supplier=True)
    _load([record(), record(1, identifier="2025-002", object="Autre marché")], reference)
    assert ContractHolder.objects.filter(organisation=supplier).count() == 2
    assert Organisation.objects.filter(siret=HOLDER_SIRET).count() == 1
    assert Organisation.objects.get(pk=supplier.pk).kind == OrganisationKind.SUPPLIER


def test_a_later_publication_with_amendments_updates_the_contract(reference: ReferenceData) -> None:
    _load([record()], reference)
    later = record(published_on=record().published_on.replace(month=7), modifications=[modification(1, "280000")])
    counts = _load([later], reference)
    assert (counts.created, counts.updated) == (0, 1)
    contract = Contract.objects.get()
    assert contract.modifications_count == 1
    assert contract.amount == Decimal("250000")
    assert contract.current_amount == Decimal("280000")
    # A further publication adding a second amendment keeps the first one: the union, in number order.
    counts = _load([record(published_on=later.published_on, modifications=[modification(2, "300000")])], reference)
    assert counts.updated == 1
    assert list(ContractModification.objects.values_list("number", flat=True)) == [1, 2]
    assert Contract.objects.get().current_amount == Decimal("300000")


def test_merging_does_not_depend_on_the_order_of_publications(reference: ReferenceData) -> None:
    first = record(modifications=[modification(1, "260000")])
    second = record(published_on=first.published_on.replace(month=9), modifications=[modification(2, "270000")])
    _load([second], reference)
    _load([first], reference)
    one_order = _state()
    Contract.objects.all().delete()
    _load([first, second], reference)
    assert _state() == one_order


def test_an_older_publication_after_a_newer_one_is_unchanged(reference: ReferenceData) -> None:
    newer = record(published_on=record().published_on.replace(month=12), price_form="Forfaitaire")
    _load([newer], reference)
    counts = _load([record(price_form="Unitaire")], reference)
    assert counts.unchanged == 1
    assert Contract.objects.get().price_form == "Forfaitaire"


def test_records_sharing_an_identifier_but_not_the_contract_are_kept_and_flagged(reference: ReferenceData) -> None:
    lot_1 = record(object="Lot 1 : pain")
    lot_2 = record(1, object="Lot 2 : viande", holders=[Party(OTHER_HOLDER_SIRET, "SIRET", "")])
    other = record(2, identifier="2025-099", object="Sans rapport")
    _load([lot_1], reference)
    _load([lot_2, other], reference)
    shared = 1 << QualityFlag.IDENTIFIER_SHARED
    flags = dict(Contract.objects.values_list("object", "quality_flags"))
    assert flags["Lot 1 : pain"] & shared
    assert flags["Lot 2 : viande"] & shared
    assert not flags["Sans rapport"] & shared


def test_empty_identifiers_are_not_counted_as_shared(reference: ReferenceData) -> None:
    first = record(identifier="", object="A")
    first.flag(QualityFlag.IDENTIFIER_EMPTY)
    second = record(1, identifier="", object="B")
    second.flag(QualityFlag.IDENTIFIER_EMPTY)
    _load([first, second], reference)
    shared = 1 << QualityFlag.IDENTIFIER_SHARED
    assert Contract.objects.count() == 2
    assert not any(flags & shared for flags in Contract.objects.values_list("quality_flags", flat=True))


def test_unknown_considerations_are_never_counted_as_none(reference: ReferenceData) -> None:
    from relais.contracts.enums import EnvironmentalConsideration, SocialConsideration, SourceFormat

    _load(
        [
            record(0, identifier="a", source_format=SourceFormat.DECP_2019_JSON, social=None, environmental=None),
            record(
                1,
                identifier="b",
                social=frozenset({SocialConsideration.NONE}),
                environmental=frozenset({EnvironmentalConsideration.NONE}),
            ),
        ],
        reference,
    )
    statuses = dict(Contract.objects.values_list("identifier", "social_status"))
    assert statuses == {"a": ConsiderationStatus.UNKNOWN, "b": ConsiderationStatus.NONE}


def test_defects_found_against_the_reference_tables(reference: ReferenceData) -> None:
    counts = _load(
        [
            record(0, identifier="a", cpv="99999999"),
            record(1, identifier="b", cpv="55524000"),
            record(2, identifier="c", place_code="ZZ999", place_type="Code postal"),
            record(3, identifier="d", holders=[Party("12345678901234", "SIRET", "Clé fausse")]),
        ],
        reference,
    )
    by_id = {c.identifier: c for c in Contract.objects.all()}
    assert by_id["a"].has_flag(QualityFlag.CPV_UNKNOWN)
    assert by_id["b"].has_flag(QualityFlag.CPV_WITHOUT_CHECK_DIGIT)
    assert by_id["b"].cpv == "55524000-9"
    assert by_id["c"].has_flag(QualityFlag.PLACE_UNKNOWN)
    assert by_id["c"].departement_id is None
    # A holder whose SIRET key is wrong is kept on the contract but not made into an organisation.
    assert by_id["d"].holders.get().organisation is None
    assert counts.flagged == 3


def test_unreadable_records_go_to_quarantine_with_their_reason(reference: ReferenceData) -> None:
    run = _run()
    counts = load_batch(
        [Rejected(7, '{"oops": ', QuarantineReason.SYNTAX, "fin de fichier inattendue"), record(8)],
        run=run,
        reference=reference,
    )
    assert counts.quarantined == 1
    assert counts.created == 1
    quarantined = QuarantinedRecord.objects.get()
    assert (quarantined.run, quarantined.position, quarantined.raw_text) == (run, 7, '{"oops": ')
    assert counts.reasons == {QuarantineReason.SYNTAX: 1}
