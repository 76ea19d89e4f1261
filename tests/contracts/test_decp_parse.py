"""The parse step, quirk by quirk, on tiny records written inline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from relais.contracts.decp.parse import parse_record
from relais.contracts.decp.records import ContractRecord, RawRecord, Rejected
from relais.contracts.enums import (
    ContractKind,
    EnvironmentalConsideration,
    Nature,
    Procedure,
    QualityFlag,
    QuarantineReason,
    SocialConsideration,
    SourceFormat,
)

F = QualityFlag
BUYER = "21350238800019"  # valid key
HOLDER = "55204599900869"  # valid key
OTHER_HOLDER = "44306184100047"  # valid key


def contract(**fields: Any) -> dict[str, Any]:
    """A clean 2022 contract: no defect unless a test changes it."""
    data: dict[str, Any] = {
        "id": "2024-001",
        "acheteur": {"id": BUYER},
        "nature": "Marché",
        "objet": "Nettoyage des locaux",
        "codeCPV": "90910000-9",
        "procedure": "Procédure adaptée",
        "lieuExecution": {"code": "35000", "typeCode": "Code postal"},
        "dureeMois": 24,
        "dateNotification": "2024-05-02",
        "datePublicationDonnees": "2024-05-10",
        "montant": Decimal("80000"),
        "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": HOLDER}}],
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not DROP}


DROP = object()


def parse(
    data: Any, kind: ContractKind = ContractKind.CONTRACT, fmt: SourceFormat = SourceFormat.DECP_2022_JSON
) -> ContractRecord:
    result = parse_record(RawRecord(data, fmt, kind, 7))
    assert isinstance(result, ContractRecord), result
    return result


def flags(record: ContractRecord) -> list[QualityFlag]:
    return sorted(defect.flag for defect in record.defects)


def details(record: ContractRecord, flag: QualityFlag) -> list[str]:
    return [defect.detail for defect in record.defects if defect.flag == flag]


def test_clean_record_has_no_defect() -> None:
    record = parse(contract())
    assert flags(record) == []
    assert record.position == 7
    assert (record.identifier, record.object, record.cpv) == ("2024-001", "Nettoyage des locaux", "90910000-9")
    assert record.buyer is not None
    assert record.buyer.identifier == BUYER
    assert (record.nature, record.procedure) == (Nature.CONTRACT, Procedure.ADAPTED)
    assert (record.amount, record.duration_months) == (Decimal("80000"), 24)
    assert (record.notified_on, record.published_on) == (dt.date(2024, 5, 2), dt.date(2024, 5, 10))
    assert (record.place_code, record.place_type) == ("35000", "Code postal")
    assert [(p.identifier, p.id_type) for p in record.holders] == [(HOLDER, "SIRET")]
    assert record.social is None
    assert record.environmental is None


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("137614.0", Decimal("137614.0")),
        ("1 234,56", Decimal("1234.56")),
        ("1\u202f234,56 €", Decimal("1234.56")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("12 000 € HT", Decimal("12000")),
        (45000, Decimal("45000")),
        (45000.5, Decimal("45000.5")),
    ],
)
def test_numbers_written_as_strings_or_floats(written: Any, amount: Decimal) -> None:
    record = parse(contract(montant=written))
    assert record.amount == amount
    assert flags(record) == []


@pytest.mark.parametrize(("written", "months"), [("12", 12), (Decimal("12.0"), 12), ("12,5", 13), (Decimal("0.2"), 1)])
def test_durations_as_strings_and_fractions_round_up(written: Any, months: int) -> None:
    assert parse(contract(dureeMois=written)).duration_months == months


def test_nc_values() -> None:
    record = parse(contract(montant="NC", dureeMois="NC", dateNotification="NC", offresRecues="nc"))
    assert (record.amount, record.duration_months, record.notified_on, record.offers_received) == (
        None,
        None,
        None,
        None,
    )
    assert details(record, F.VALUE_NOT_COMMUNICATED) == ["montant", "dureeMois", "dateNotification", "offresRecues"]
    assert details(record, F.AMOUNT_MISSING) == ["montant « NC »"]
    assert details(record, F.DURATION_IMPLAUSIBLE) == ["« NC »"]
    assert details(record, F.DATE_MISSING) == ["dateNotification"]


def test_absent_and_unreadable_amounts() -> None:
    assert details(parse(contract(montant=DROP)), F.AMOUNT_MISSING) == ["montant absent"]
    record = parse(contract(montant="environ cent mille"))
    assert record.amount is None
    assert details(record, F.AMOUNT_MISSING) == ["montant illisible : 'environ cent mille'"]


def test_absurd_amounts() -> None:
    placeholder = parse(contract(montant=Decimal("1.0E+17")))
    assert placeholder.amount is None  # beyond what can be stored
    assert details(placeholder, F.AMOUNT_IMPLAUSIBLE) == ["montant 1.0E+17"]
    huge = parse(contract(montant=Decimal("25000000000")))
    assert huge.amount == Decimal("25000000000")  # implausible, kept as declared
    assert flags(huge) == [F.AMOUNT_IMPLAUSIBLE]
    negative = parse(contract(montant="-500"))
    assert negative.amount == Decimal("-500")
    assert flags(negative) == [F.AMOUNT_IMPLAUSIBLE]


@pytest.mark.parametrize(
    "holders",
    [
        [{"typeIdentifiant": "SIRET", "id": HOLDER}, {"typeIdentifiant": "SIRET", "id": OTHER_HOLDER}],  # 2019
        [{"titulaire": {"typeIdentifiant": "SIRET", "id": HOLDER}}, {"titulaire": {"id": OTHER_HOLDER}}],  # 2022
        [[{"typeIdentifiant": "SIRET", "id": HOLDER}, {"typeIdentifiant": "SIRET", "id": OTHER_HOLDER}]],
        [[[[{"id": HOLDER}]]], {"titulaire": {"id": OTHER_HOLDER}}],
        {"titulaire": [{"typeIdentifiant": "SIRET", "id": HOLDER}, {"id": OTHER_HOLDER}]},  # from XML
        {"titulaire": {"id": HOLDER}, "autre": [{"titulaire": {"id": OTHER_HOLDER}}]},
        [HOLDER, {"id": OTHER_HOLDER}],  # a bare identifier instead of an object
    ],
)
def test_nested_holders(holders: Any) -> None:
    record = parse(contract(titulaires=holders))
    assert [(p.identifier, p.id_type) for p in record.holders] == [(HOLDER, "SIRET"), (OTHER_HOLDER, "SIRET")]
    assert flags(record) == []


def test_holder_details() -> None:
    record = parse(
        contract(
            titulaires=[
                {"titulaire": {"typeIdentifiant": "TVA", "id": "DE 814 864 138", "denominationSociale": " Hellman "}},
                {"typeIdentifiant": "siret", "id": "552 045 999 00869"},
                {"titulaire": "typeIdentifiant"},
                {"typeIdentifiant": "SIRET", "id": "55204599900868"},
            ]
        )
    )
    assert [(p.identifier, p.id_type, p.name) for p in record.holders] == [
        ("DE814864138", "TVA", "Hellman"),
        (HOLDER, "SIRET", ""),
        ("55204599900868", "SIRET", ""),
    ]
    assert details(record, F.HOLDER_ID_INVALID) == ["55204599900868", "titulaire illisible : typeIdentifiant"]
    assert flags(parse(contract(titulaires=[]))) == [F.HOLDER_MISSING]
    assert flags(parse(contract(titulaires=DROP))) == [F.HOLDER_MISSING]


def test_siret_with_its_leading_zero_lost() -> None:
    record = parse(contract(titulaires=[{"typeIdentifiant": "SIRET", "id": 5650171100115}]))
    assert [p.identifier for p in record.holders] == ["05650171100115"]
    assert flags(record) == []


def test_buyer_siret_key() -> None:
    record = parse(contract(acheteur={"id": "21350238800018"}))
    assert details(record, F.BUYER_ID_INVALID) == ["21350238800018"]
    assert flags(parse(contract(acheteur={"id": ""}))) == [F.BUYER_MISSING]
    assert flags(parse(contract(acheteur=DROP))) == [F.BUYER_MISSING]
    assert parse(contract(acheteur=BUYER)).buyer.identifier == BUYER  # type: ignore[union-attr]


def test_flattened_keys() -> None:
    data = contract(acheteur=DROP, lieuExecution=DROP)
    data.update({"acheteur.id": BUYER, "lieuExecution.code": "2A004", "lieuExecution.typeCode": "Code commune"})
    record = parse(data)
    assert record.buyer is not None
    assert record.buyer.identifier == BUYER
    assert (record.place_code, record.place_type) == ("2A004", "Code commune")
    assert flags(record) == []


def test_byte_order_mark_glued_to_a_key() -> None:
    data = contract(id=DROP)
    record = parse({"\ufeffid": "2024-BOM", **data})
    assert record.identifier == "2024-BOM"
    assert flags(record) == []


@pytest.mark.parametrize(
    ("identifier", "flag"),
    [("", F.IDENTIFIER_EMPTY), ("   ", F.IDENTIFIER_EMPTY), ("nan", F.IDENTIFIER_EMPTY), (DROP, F.IDENTIFIER_EMPTY)],
)
def test_empty_identifiers(identifier: Any, flag: QualityFlag) -> None:
    record = parse(contract(id=identifier))
    assert record.identifier == ""
    assert flags(record) == [flag]


@pytest.mark.parametrize("identifier", ["0", "0000000000000", "00-000"])
def test_zeroed_identifiers(identifier: str) -> None:
    record = parse(contract(id=identifier))
    assert record.identifier == identifier
    assert flags(record) == [F.IDENTIFIER_ZEROED]


def test_identifier_written_as_a_number() -> None:
    assert parse(contract(id=2010345211200)).identifier == "2010345211200"
    assert flags(parse(contract(id="000123"))) == []


@pytest.mark.parametrize(
    ("label", "procedure"),
    [
        ("Procédure adaptée", Procedure.ADAPTED),
        ("PROCEDURE ADAPTEE", Procedure.ADAPTED),
        ("procédure  adaptée ", Procedure.ADAPTED),
        ("Appel d'offres ouvert", Procedure.OPEN),
        ("Appel d’offres ouvert", Procedure.OPEN),
        ("Appel d offres ouvert", Procedure.OPEN),
        ("Appel d'offres", Procedure.OPEN),
        ("Appel d'offres restreint", Procedure.RESTRICTED),
        ("Procédure avec négociation", Procedure.NEGOTIATED),
        ("Procédure concurrentielle avec négociation", Procedure.NEGOTIATED),
        ("Procedure concurrentielle avec negociation", Procedure.NEGOTIATED),
        ("Procédure négociée avec mise en concurrence préalable", Procedure.NEGOTIATED),
        ("Marché passé sans publicité ni mise en concurrence préalable", Procedure.NO_COMPETITION),
        ("Marché négocié sans publicité ni mise en concurrence préalable", Procedure.NO_COMPETITION),
        ("Marché public négocié sans publicité ni mise en concurrence préalable", Procedure.NO_COMPETITION),
        ("Procédure négociée sans publicité ni mise en concurrence préalable", Procedure.NO_COMPETITION),
        ("Dialogue compétitif", Procedure.COMPETITIVE_DIALOGUE),
        ("Procédure négociée ouverte", Procedure.CONCESSION_NEGOTIATED_OPEN),
        ("Procédure non négociée restreinte", Procedure.CONCESSION_RESTRICTED),
    ],
)
def test_procedure_labels(label: str, procedure: Procedure) -> None:
    record = parse(contract(procedure=label))
    assert record.procedure == procedure
    assert flags(record) == []


def test_unknown_procedure_and_nature_are_flagged_and_kept_going() -> None:
    record = parse(contract(procedure="Concours restreint", nature="Marché bizarre"))
    assert (record.procedure, record.nature) == (Procedure.UNKNOWN, Nature.UNKNOWN)
    assert details(record, F.PROCEDURE_UNKNOWN) == ["Concours restreint"]
    assert details(record, F.NATURE_UNKNOWN) == ["Marché bizarre"]
    assert record.amount == Decimal("80000")  # the rest is read
    assert details(parse(contract(procedure=DROP)), F.PROCEDURE_UNKNOWN) == ["absente"]


@pytest.mark.parametrize(
    ("label", "nature"),
    [("Accord-cadre", Nature.FRAMEWORK), ("accord cadre", Nature.FRAMEWORK), ("Marché subséquent", Nature.SUBSEQUENT)],
)
def test_nature_labels_of_2019(label: str, nature: Nature) -> None:
    assert parse(contract(nature=label)).nature == nature


@pytest.mark.parametrize(
    ("written", "value"),
    [("oui", True), ("non", False), ("true", True), ("False", False), ("1", True), ("0", False), (True, True)],
)
def test_booleans(written: Any, value: bool) -> None:
    assert parse(contract(marcheInnovant=written)).innovative is value


def test_unknown_boolean_is_unknown() -> None:
    assert parse(contract(marcheInnovant="peut-être")).innovative is None
    assert parse(contract()).innovative is None


def social(value: Any, fmt: SourceFormat = SourceFormat.DECP_2022_JSON) -> ContractRecord:
    return parse(contract(considerationsSociales=value), fmt=fmt)


def test_considerations_2022() -> None:
    record = social({"considerationSociale": ["Clause sociale", "Critère social"]})
    assert record.social == frozenset({SocialConsideration.CLAUSE, SocialConsideration.CRITERION})
    none = social({"considerationSociale": ["Pas de considération sociale"]})
    assert none.social == frozenset({SocialConsideration.NONE})
    assert flags(none) == []
    assert social({"considerationSociale": "Marché réservé"}).social == frozenset({SocialConsideration.RESERVED})


def test_contradictory_considerations_keep_the_positive_values() -> None:
    value = {"considerationSociale": ["Pas de considération sociale", "Clause sociale"]}
    for _ in range(2):  # the second time from the remembered answer
        record = social(value)
        assert record.social == frozenset({SocialConsideration.CLAUSE})
        assert details(record, F.CONSIDERATIONS_CONTRADICTORY) == ["Pas de considération sociale + Clause sociale"]


def test_unknown_consideration_is_flagged() -> None:
    record = social({"considerationSociale": ["Clause d'insertion sociale", "Critère social"]})
    assert record.social == frozenset({SocialConsideration.CRITERION})
    assert details(record, F.CONSIDERATION_UNKNOWN) == ["Clause d'insertion sociale"]


def test_considerations_unknown_in_2019_none_in_the_draft() -> None:
    assert social(DROP, fmt=SourceFormat.DECP_2019_JSON).social is None
    assert social({"considerationSociale": []}).social is None  # says nothing
    draft = parse(
        contract(considerationsSociales=[], considerationsEnvironnementales=["Clause environnementale"]),
        fmt=SourceFormat.DECP_2_0_0_DRAFT,
    )
    assert draft.social == frozenset({SocialConsideration.NONE})
    assert draft.environmental == frozenset({EnvironmentalConsideration.CLAUSE})


def concession(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "C-2024",
        "autoriteConcedante": {"id": BUYER},
        "nature": "Délégation de service public",
        "objet": "Gestion du centre aquatique",
        "procedure": "Procédure négociée ouverte",
        "dureeMois": 84,
        "dateSignature": "2024-04-02",
        "dateDebutExecution": "2024-06-01",
        "datePublicationDonnees": "2024-04-12",
        "valeurGlobale": "12500000",
        "concessionnaires": [{"concessionnaire": {"typeIdentifiant": "SIRET", "id": HOLDER}}],
        "considerationsSociales": {"considerationSociale": ["Concession réservée"]},
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not DROP}


def test_concession_fields() -> None:
    record = parse(concession(), kind=ContractKind.CONCESSION)
    assert flags(record) == []  # no CPV code in the concession formats, and none expected
    assert record.buyer is not None
    assert record.buyer.identifier == BUYER
    assert record.nature == Nature.PUBLIC_SERVICE_DELEGATION
    assert record.amount == Decimal("12500000")
    assert record.notified_on == dt.date(2024, 4, 2)  # signature date
    assert record.execution_started_on == dt.date(2024, 6, 1)
    assert [p.identifier for p in record.holders] == [HOLDER]
    assert record.social == frozenset({SocialConsideration.RESERVED})


def test_concession_without_signature_date() -> None:
    record = parse(concession(dateSignature=""), kind=ContractKind.CONCESSION)
    assert record.notified_on is None
    assert details(record, F.DATE_MISSING) == ["dateSignature"]


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2024-05-02", dt.date(2024, 5, 2)),
        ("2024-05-02+02:00", dt.date(2024, 5, 2)),
        ("2024-05-02T00:00:00Z", dt.date(2024, 5, 2)),
        ("02/05/2024", dt.date(2024, 5, 2)),
        ("2024/5/2", dt.date(2024, 5, 2)),
        ("20240502", dt.date(2024, 5, 2)),
    ],
)
def test_date_formats(written: str, day: dt.date) -> None:
    record = parse(contract(dateNotification=written))
    assert record.notified_on == day
    assert flags(record) == []


def test_implausible_dates() -> None:
    old = parse(contract(dateNotification="1900-01-01"))
    assert old.notified_on == dt.date(1900, 1, 1)  # kept, flagged
    assert details(old, F.DATE_IMPLAUSIBLE) == ["dateNotification 1900-01-01"]
    late = parse(contract(dateNotification="2026-01-02", datePublicationDonnees="2024-12-31"))
    assert flags(late) == [F.DATE_IMPLAUSIBLE]
    within_a_year = parse(contract(dateNotification="2025-12-01", datePublicationDonnees="2024-12-31"))
    assert flags(within_a_year) == []
    unreadable = parse(contract(dateNotification="le 2 mai"))
    assert unreadable.notified_on is None
    assert flags(unreadable) == [F.DATE_IMPLAUSIBLE, F.DATE_MISSING]
    impossible = parse(contract(dateNotification="2024-02-30"))
    assert flags(impossible) == [F.DATE_IMPLAUSIBLE, F.DATE_MISSING]


@pytest.mark.parametrize(
    ("written", "detail"), [(0, "0 mois"), (5000, "5000 mois"), ("-3", "-3 mois"), (DROP, "absent")]
)
def test_absurd_durations(written: Any, detail: str) -> None:
    record = parse(contract(dureeMois=written))
    assert record.duration_months is None
    assert details(record, F.DURATION_IMPLAUSIBLE) == [detail]


def test_modifications_2019_2022_and_mixed() -> None:
    record = parse(
        contract(
            modifications=[
                {"modification": {"id": 2, "dateNotificationModification": "2024-09-01", "montant": "90000"}},
                {
                    "objetModification": "Avenant 1",
                    "id": 1,
                    "dateNotificationModification": "2024-07-01",
                    "datePublicationDonneesModification": "2024-07-05",
                    "dureeMois": 30,
                    "titulaires": [[{"typeIdentifiant": "SIRET", "id": OTHER_HOLDER}]],
                },
                "avenant perdu",
                {"modification": {"remarque": "rien"}},
            ]
        )
    )
    assert [(m.number, m.notified_on, m.amount, m.duration_months) for m in record.modifications] == [
        (1, dt.date(2024, 7, 1), None, 30),
        (2, dt.date(2024, 9, 1), Decimal("90000"), None),
    ]
    first = record.modifications[0]
    assert (first.object, first.published_on) == ("Avenant 1", dt.date(2024, 7, 5))
    assert [p.identifier for p in first.holders] == [OTHER_HOLDER]
    assert details(record, F.MODIFICATION_UNREADABLE) == [
        "modification 3 : 'avenant perdu'",
        'modification 4 : {"remarque": "rien"}',
    ]


def test_modifications_from_xml_and_of_concessions() -> None:
    xml_like = {
        "modification": [
            {"dateSignatureModification": "2024-09-01", "valeurGlobale": "13000000", "dureeMois": "96"},
            {"dateSignatureModification": "2024-08-01", "dureeMois": "90"},
        ]
    }
    record = parse(concession(modifications=xml_like), kind=ContractKind.CONCESSION)
    assert [(m.notified_on, m.amount, m.duration_months) for m in record.modifications] == [
        (dt.date(2024, 8, 1), None, 90),
        (dt.date(2024, 9, 1), Decimal("13000000"), 96),
    ]
    assert flags(record) == []


@pytest.mark.parametrize(
    ("written", "cpv"),
    [
        ("45261210", "45261210"),
        ("45316110-9", "45316110-9"),
        (" 45316110 - 9 ", "45316110-9"),
        ("45.31.61.10-9", "45316110-9"),
        ("453161109", "45316110-9"),
        (3000000, "03000000"),
        ("3000000-1", "03000000-1"),
        ("45000000-7 Travaux de construction", "45000000-7"),
        ("CPV inconnu", "CPVinconnu"),
    ],
)
def test_cpv_normalisation(written: Any, cpv: str) -> None:
    record = parse(contract(codeCPV=written))
    assert record.cpv == cpv
    assert F.CPV_MISSING not in flags(record)


@pytest.mark.parametrize("written", ["", "  ", None, DROP])
def test_cpv_missing(written: Any) -> None:
    record = parse(contract(codeCPV=written))
    assert record.cpv == ""
    assert flags(record) == [F.CPV_MISSING]


def test_techniques_and_modalities_as_lists() -> None:
    record = parse(
        contract(techniques={"technique": ["Accord-cadre", " Concours "]}, modaliteExecution=["Bons de commande"])
    )
    assert record.techniques == ["Accord-cadre", "Concours"]
    assert record.execution_modalities == ["Bons de commande"]
    record.techniques.append("changed")
    assert parse(contract(techniques={"technique": ["Accord-cadre", " Concours "]})).techniques == [
        "Accord-cadre",
        "Concours",
    ]


@pytest.mark.parametrize("data", [["une", "liste"], "texte", 42, None])
def test_not_an_object_is_rejected(data: Any) -> None:
    result = parse_record(RawRecord(data, SourceFormat.DECP_2019_JSON, ContractKind.CONTRACT, 3))
    assert isinstance(result, Rejected)
    assert (result.position, result.reason) == (3, QuarantineReason.NOT_AN_OBJECT)
    assert result.raw_text


def test_no_identifying_data_is_rejected() -> None:
    data = {"id": "", "objet": "  ", "montant": 1000, "acheteur": {"id": ""}}
    result = parse_record(RawRecord(data, SourceFormat.DECP_2022_JSON, ContractKind.CONTRACT, 5))
    assert isinstance(result, Rejected)
    assert result.reason == QuarantineReason.NO_IDENTIFYING_DATA
    assert '"montant": 1000' in result.raw_text
    only_an_object = parse({"objet": "Travaux"})
    assert flags(only_an_object) == sorted(
        [
            F.IDENTIFIER_EMPTY,
            F.BUYER_MISSING,
            F.NATURE_UNKNOWN,
            F.PROCEDURE_UNKNOWN,
            F.CPV_MISSING,
            F.AMOUNT_MISSING,
            F.DURATION_IMPLAUSIBLE,
            F.DATE_MISSING,
            F.HOLDER_MISSING,
        ]
    )


def test_tabular_row() -> None:
    row = {
        "id": "INX 2024 001",
        "acheteur.id": BUYER,
        "nature": "Marché",
        "objet": "Restauration",
        "codeCPV": "INX 55524000",
        "procedure": "Appel d'offres ouvert",
        "dureeMois": "36",
        "dateNotification": "2024-03-01",
        "datePublicationDonnees": "2024-03-08",
        "montant": "250000.0",
        "marcheInnovant": "MQ",
        "lieuExecution.code": "35238",
        "lieuExecution.typeCode": "Code commune",
        "considerationsSociales": "['Clause sociale', 'Critère social']",
        "considerationsEnvironnementales": "['Pas de considération environnementale']",
        "titulaire_id_1": HOLDER,
        "titulaire_typeIdentifiant_1": "SIRET",
        "titulaire_id_2": "CDL",
        "titulaire_typeIdentifiant_2": "CDL",
        "titulaire_id_3": OTHER_HOLDER,
        "titulaire_typeIdentifiant_3": "SIRET",
        "idModification": "1",
        "montantModification": "260000",
        "dateNotificationModificationModification": "2024-09-01",
    }
    record = parse(row, fmt=SourceFormat.TABULAR_CSV)
    assert record.identifier == "2024 001"
    assert record.cpv == "55524000"
    assert record.innovative is None
    assert record.social == frozenset({SocialConsideration.CLAUSE, SocialConsideration.CRITERION})
    assert record.environmental == frozenset({EnvironmentalConsideration.NONE})
    assert [p.identifier for p in record.holders] == [HOLDER, OTHER_HOLDER]
    assert [(m.number, m.amount) for m in record.modifications] == [(1, Decimal("260000"))]
    assert flags(record) == []
