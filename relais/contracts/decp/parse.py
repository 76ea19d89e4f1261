"""Parse step of the DECP pipeline: one raw record (any format) → a `ContractRecord` with its defects, or `Rejected`.

Lenient and faithful: every value the file gives is read whatever its spelling (numbers as strings, "NC", XML
booleans, nested or flattened holders, old procedure labels), and everything wrong is recorded as a `Defect` of the
record, which is still imported. Only a record that is not an object, or that has neither identifier, nor buyer, nor
object, is rejected (it could never be told apart from another one).

Choices worth knowing:
- A concession has no notification date: `notified_on` is its signature date (`dateSignature`, when the contract
  binds the parties, the concession counterpart of a contract's notification); `dateDebutExecution` is kept apart in
  `execution_started_on`.
- "NC" is flagged VALUE_NOT_COMMUNICATED (with the field) and the field's own flag too (AMOUNT_MISSING for an amount,
  DURATION_IMPLAUSIBLE for a duration, DATE_MISSING for the notification date), so that each indicator can leave
  out the records it cannot use with one flag.
- Considerations: absent field → None (unknown: the 2019 format has none); "Pas de considération…" together with
  another value → the positive values are kept and CONSIDERATIONS_CONTRADICTORY is flagged. In the 2.0.0 draft, whose
  lists had no "Pas de…" value, an empty list means none; elsewhere an empty list says nothing (None).
- Amounts: kept as declared when implausible (negative or above `MAX_PLAUSIBLE_AMOUNT`, flagged), dropped when they
  cannot be stored (above `MAX_STORABLE_AMOUNT`: the declared value stays in the defect's detail).
- Dates: kept when implausible (before `EARLIEST_PLAUSIBLE_DATE`, or notified more than a year after the data were
  published), with DATE_IMPLAUSIBLE.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..enums import (
    ContractKind,
    EnvironmentalConsideration,
    QualityFlag,
    QuarantineReason,
    SocialConsideration,
    SourceFormat,
)
from . import values
from .labels import EMPTY_MARKERS, ENVIRONMENTAL, NATURES, PROCEDURES, SOCIAL, Lookup
from .parties import buyer_of, parties_of, raw_text, siret_ok
from .records import (
    EARLIEST_PLAUSIBLE_DATE,
    MAX_PLAUSIBLE_AMOUNT,
    MAX_PLAUSIBLE_DURATION_MONTHS,
    MAX_STORABLE_AMOUNT,
    ContractRecord,
    Defect,
    ModificationRecord,
    Party,
    RawRecord,
    Rejected,
)
from .shapes import from_tabular, needs_unflattening, unflatten

_LATEST_NOTIFICATION_AFTER_PUBLICATION = dt.timedelta(days=365)
_NESTING_LIMIT = 8
_STATUS_DETAIL = {values.ABSENT: "absent", values.NOT_GIVEN: "« NC »"}

_FIELDS = {
    # field of the notification date, of the amount, of the holders, of the buyer (then its fallback)
    False: ("dateNotification", "montant", "titulaires", "acheteur", "autoriteConcedante"),
    True: ("dateSignature", "valeurGlobale", "concessionnaires", "autoriteConcedante", "acheteur"),
}
# Enum members bound once: reading `Enum.MEMBER` costs a lookup through the enum's metaclass at each use.
_CONCESSION = ContractKind.CONCESSION
_TABULAR = SourceFormat.TABULAR_CSV
_DRAFT = SourceFormat.DECP_2_0_0_DRAFT

_KIND_NAMES = {list: "une liste", str: "un texte", int: "un nombre", Decimal: "un nombre", type(None): "vide"}
_MEMO_LIMIT = 10_000
_LABELS_SEEN: dict[tuple[Any, ...], tuple[str, ...]] = {}


def parse_record(raw: RawRecord) -> ContractRecord | Rejected:
    """A raw record → its normalised contract (with every defect found) or its rejection."""
    data = raw.data
    if type(data) is not dict:
        return Rejected(
            raw.position,
            raw_text(data),
            QuarantineReason.NOT_AN_OBJECT,
            f"L'enregistrement est {_KIND_NAMES.get(type(data), 'une valeur')} au lieu d'un objet.",
        )
    source_format = raw.source_format
    if source_format == _TABULAR:
        data = from_tabular(data)
    kind = raw.kind
    concession = kind == _CONCESSION
    date_key, amount_key, holders_key, buyer_key, buyer_fallback = _FIELDS[concession]
    # Flattened keys ("acheteur.id") or a byte-order mark glued to "id" leave a key of the formats missing.
    if ("id" not in data or buyer_key not in data or "lieuExecution" not in data) and needs_unflattening(data):
        data = unflatten(data)
    get = data.get

    # The common case (a clean string) is read inline: this function runs millions of times per import.
    value = get("id")
    identifier = value.strip() if type(value) is str else values.text(value)
    if identifier in EMPTY_MARKERS:
        identifier = ""
    value = get(buyer_key)
    buyer_id = value.get("id") if type(value) is dict else None
    if type(buyer_id) is str and len(buyer_id) == 14 and buyer_id.isdigit():
        name = value.get("nom") or value.get("denominationSociale")
        buyer: Party | None = Party(buyer_id, "SIRET", name.strip() if type(name) is str else "")
    else:
        buyer = buyer_of(value if value else get(buyer_fallback))
    value = get("objet")
    subject = value.strip() if type(value) is str else values.text(value)
    if subject in EMPTY_MARKERS:
        subject = ""
    if not identifier and buyer is None and not subject:
        return Rejected(
            raw.position,
            raw_text(data),
            QuarantineReason.NO_IDENTIFYING_DATA,
            "Ni identifiant, ni acheteur, ni objet.",
        )

    record = ContractRecord(source_format, kind, raw.position, identifier, buyer, subject)
    defects = record.defects

    if not identifier:
        defects.append(Defect(QualityFlag.IDENTIFIER_EMPTY))
    elif identifier[0] == "0" and not identifier.strip("0 -./_"):
        defects.append(Defect(QualityFlag.IDENTIFIER_ZEROED, identifier))
    if buyer is None:
        defects.append(Defect(QualityFlag.BUYER_MISSING))
    elif not siret_ok(buyer.identifier):
        defects.append(Defect(QualityFlag.BUYER_ID_INVALID, buyer.identifier))
    if not subject:
        defects.append(Defect(QualityFlag.OBJECT_MISSING))

    value = get("nature")
    nature = NATURES.get(value) if type(value) is str else None
    if nature is None:
        defects.append(Defect(QualityFlag.NATURE_UNKNOWN, values.text(value) or "absente"))
    else:
        record.nature = nature
    value = get("procedure")
    procedure = PROCEDURES.get(value) if type(value) is str else None
    if procedure is None:
        defects.append(Defect(QualityFlag.PROCEDURE_UNKNOWN, values.text(value) or "absente"))
    else:
        record.procedure = procedure

    value = get("techniques")
    record.techniques = _labels(get("technique") if value is None else value, "technique")
    value = get("modalitesExecution")
    record.execution_modalities = _labels(get("modaliteExecution") if value is None else value, "modaliteExecution")

    value = get("codeCPV")
    cpv = values.cpv(value) if value is not None else ""
    record.cpv = cpv
    if not cpv and not concession:  # concessions have no CPV code in the formats
        defects.append(Defect(QualityFlag.CPV_MISSING))

    value = get(amount_key)
    if type(value) is Decimal and 0 <= value <= MAX_PLAUSIBLE_AMOUNT:
        record.amount = value
    else:
        _read_amount(record, value, amount_key)
    value = get("dureeMois")
    if type(value) is int and 0 < value <= MAX_PLAUSIBLE_DURATION_MONTHS:
        record.duration_months = value
    else:
        _read_duration(record, value)
    _read_dates(record, data, date_key, concession)

    value = get("lieuExecution")
    if type(value) is dict:
        code = value.get("code")
        record.place_code = code.strip() if type(code) is str else values.text(code)
        code = value.get("typeCode")
        record.place_type = code.strip() if type(code) is str else values.text(code)
    elif value is not None:
        record.place_code = values.text(value)

    value = get("offresRecues")
    if type(value) is int and value >= 0:
        record.offers_received = value
    elif value is not None:
        offers, status = values.integer(value)
        if offers is not None and offers >= 0:
            record.offers_received = offers
        elif status == values.NOT_GIVEN:
            defects.append(Defect(QualityFlag.VALUE_NOT_COMMUNICATED, "offresRecues"))
    value = get("formePrix")
    record.price_form = value.strip() if type(value) is str else values.text(value)
    value = get("marcheInnovant")
    if value is not None:
        record.innovative = value if type(value) is bool else values.boolean(value)
    value = get("idAccordCadre")
    if value is not None:
        record.framework_identifier = values.text(value)

    draft = source_format == _DRAFT
    value = get("considerationsSociales")
    if value is not None:
        record.social = _considerations(record, value, _SOCIAL_READING, draft)
    value = get("considerationsEnvironnementales")
    if value is not None:
        record.environmental = _considerations(record, value, _ENVIRONMENTAL_READING, draft)

    unreadable: list[str] = []
    holders = parties_of(get(holders_key), unreadable)
    record.holders = holders
    for party in holders:
        if party.id_type == "SIRET" and not siret_ok(party.identifier):
            defects.append(Defect(QualityFlag.HOLDER_ID_INVALID, party.identifier))
    for text in unreadable:
        defects.append(Defect(QualityFlag.HOLDER_ID_INVALID, f"titulaire illisible : {text}"))
    if not holders:
        defects.append(Defect(QualityFlag.HOLDER_MISSING))

    value = get("modifications")
    if value:
        record.modifications = _modifications(record, value, concession)
    return record


def _labels(value: Any, wrapper: str) -> list[str]:
    """Coded values as a list: `{"technique": [...]}` (2022), `[...]` (2.0.0 draft, CSV), `"x"` (one XML value)."""
    if type(value) is dict:
        value = value.get(wrapper)
    if type(value) is list:
        try:
            key = tuple(value)
            labels = _LABELS_SEEN.get(key)
        except TypeError:  # not hashable: an unusual shape
            key, labels = None, None
        if labels is None:
            labels = tuple(
                text
                for item in value
                if (text := item.strip() if type(item) is str else values.text(item)) and text not in EMPTY_MARKERS
            )
            if key is not None and len(_LABELS_SEEN) < _MEMO_LIMIT:
                _LABELS_SEEN[key] = labels
        return list(labels)
    if value is None:
        return []
    text = values.text(value)
    return [text] if text else []


@dataclass(frozen=True, slots=True)
class _ConsiderationReading:
    """How to read one kind of considerations, and the lists already read (a national file repeats a handful)."""

    wrapper: str
    lookup: Lookup[Any]
    none: Any
    seen: dict[tuple[Any, ...], tuple[frozenset[Any] | None, tuple[Defect, ...]]]


_SOCIAL_READING = _ConsiderationReading("considerationSociale", SOCIAL, SocialConsideration.NONE, {})
_ENVIRONMENTAL_READING = _ConsiderationReading(
    "considerationEnvironnementale", ENVIRONMENTAL, EnvironmentalConsideration.NONE, {}
)


def _considerations(
    record: ContractRecord, value: Any, reading: _ConsiderationReading, draft: bool
) -> frozenset[Any] | None:
    inner = value.get(reading.wrapper) if type(value) is dict else value
    known = None
    if type(inner) is list and inner:
        try:
            key = tuple(inner)
            known = reading.seen.get(key)
        except TypeError:  # not hashable: an unusual shape, read in full every time
            key = None
    else:
        key = None
    if known is None:
        mark = len(record.defects)
        considerations = _considerations_of(record, value, reading, draft)
        if key is not None and len(reading.seen) < _MEMO_LIMIT:
            reading.seen[key] = (considerations, tuple(record.defects[mark:]))
        return considerations
    considerations, defects = known
    if defects:
        record.defects.extend(Defect(defect.flag, defect.detail) for defect in defects)
    return considerations


def _considerations_of(
    record: ContractRecord, value: Any, reading: _ConsiderationReading, draft: bool
) -> frozenset[Any] | None:
    labels = _labels(value, reading.wrapper)
    if not labels:
        return frozenset([reading.none]) if draft and type(value) is list else None
    found = set()
    lookup = reading.lookup
    for label in labels:
        consideration = lookup.get(label)
        if consideration is None:
            record.defects.append(Defect(QualityFlag.CONSIDERATION_UNKNOWN, label))
        else:
            found.add(consideration)
    none = reading.none
    if none in found and len(found) > 1:
        record.defects.append(Defect(QualityFlag.CONSIDERATIONS_CONTRADICTORY, " + ".join(labels)))
        found.discard(none)
    return frozenset(found) if found else None


def _read_amount(record: ContractRecord, value: Any, field: str) -> None:
    amount, status = values.decimal(value)
    if amount is None:
        if status == values.NOT_GIVEN:
            record.defects.append(Defect(QualityFlag.VALUE_NOT_COMMUNICATED, field))
        detail = _STATUS_DETAIL.get(status) or f"illisible : {value!r}"
        record.defects.append(Defect(QualityFlag.AMOUNT_MISSING, f"{field} {detail}"))
        return
    if amount > MAX_PLAUSIBLE_AMOUNT or amount < 0:
        record.defects.append(Defect(QualityFlag.AMOUNT_IMPLAUSIBLE, f"{field} {amount}"))
        if abs(amount) > MAX_STORABLE_AMOUNT:
            return
    record.amount = amount


def _read_duration(record: ContractRecord, value: Any) -> None:
    months, status = values.integer(value)
    if months is not None and 0 < months <= MAX_PLAUSIBLE_DURATION_MONTHS:
        record.duration_months = months
        return
    if status == values.NOT_GIVEN:
        record.defects.append(Defect(QualityFlag.VALUE_NOT_COMMUNICATED, "dureeMois"))
    detail = f"{months} mois" if months is not None else _STATUS_DETAIL.get(status) or f"illisible : {value!r}"
    record.defects.append(Defect(QualityFlag.DURATION_IMPLAUSIBLE, detail))


def _date_field(record: ContractRecord, data: dict[str, Any], field: str) -> dt.date | None:
    value = data.get(field)
    if value is None:
        return None
    if type(value) is str and len(value) >= 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    day, status = values.date(value)
    if day is None:
        if status == values.NOT_GIVEN:
            record.defects.append(Defect(QualityFlag.VALUE_NOT_COMMUNICATED, field))
        elif status == values.UNREADABLE:
            record.defects.append(Defect(QualityFlag.DATE_IMPLAUSIBLE, f"{field} illisible : {value!r}"))
    return day


def _read_dates(record: ContractRecord, data: dict[str, Any], date_key: str, concession: bool) -> None:
    defects = record.defects
    published = _date_field(record, data, "datePublicationDonnees")
    if published is not None:
        record.published_on = published
        if published < EARLIEST_PLAUSIBLE_DATE:
            defects.append(Defect(QualityFlag.DATE_IMPLAUSIBLE, f"datePublicationDonnees {published}"))
    notified = _date_field(record, data, date_key)
    if notified is None:
        defects.append(Defect(QualityFlag.DATE_MISSING, date_key))
    else:
        record.notified_on = notified
        if notified < EARLIEST_PLAUSIBLE_DATE or (
            published is not None and notified > published + _LATEST_NOTIFICATION_AFTER_PUBLICATION
        ):
            defects.append(Defect(QualityFlag.DATE_IMPLAUSIBLE, f"{date_key} {notified}"))
    if concession:
        record.execution_started_on = _date_field(record, data, "dateDebutExecution")


def _unwrapped(value: Any, wrapper: str, out: list[Any], depth: int) -> None:
    """Items of a list that may wrap each one (`[{"modification": {…}}]`), or an XML `{"modification": [...]}`."""
    if type(value) is list:
        for item in value:
            _unwrapped(item, wrapper, out, depth + 1)
    elif type(value) is dict:
        inner = value.get(wrapper)
        if inner is not None and len(value) == 1 and depth < _NESTING_LIMIT:
            _unwrapped(inner, wrapper, out, depth + 1)
        else:
            out.append(value)
    elif value is not None and not (type(value) is str and value.strip() in EMPTY_MARKERS):
        out.append(value)


_MODIFICATION_FIELDS = {
    # dates of notification (then its fallback), amount (then its fallback), holders
    False: ("dateNotificationModification", "dateSignatureModification", "montant", "valeurGlobale", "titulaires"),
    True: ("dateSignatureModification", "dateNotificationModification", "valeurGlobale", "montant", "concessionnaires"),
}


def _modifications(record: ContractRecord, value: Any, concession: bool) -> list[ModificationRecord]:
    """Amendments as a list of objects (2019), of `{"modification": {…}}` (2022) or both, in their number order."""
    items: list[Any] = []
    _unwrapped(value, "modification", items, 0)
    date_key, date_fallback, amount_key, amount_fallback, holders_key = _MODIFICATION_FIELDS[concession]
    defects = record.defects
    modifications = []
    for index, item in enumerate(items, start=1):
        if type(item) is not dict:
            defects.append(Defect(QualityFlag.MODIFICATION_UNREADABLE, f"modification {index} : {item!r}"))
            continue
        number = values.integer(item.get("id"))[0]
        notified = values.date(item.get(date_key) or item.get(date_fallback))[0]
        published = values.date(item.get("datePublicationDonneesModification"))[0]
        months = values.integer(item.get("dureeMois"))[0]
        amount_value = item.get(amount_key)
        amount = values.decimal(item.get(amount_fallback) if amount_value is None else amount_value)[0]
        unreadable: list[str] = []
        holders_value = item.get(holders_key)
        holders = parties_of(item.get("titulaires") if holders_value is None else holders_value, unreadable)
        subject = values.text(item.get("objetModification"))
        if notified is None and published is None and months is None and amount is None and not holders:
            defects.append(Defect(QualityFlag.MODIFICATION_UNREADABLE, f"modification {index} : {raw_text(item)}"))
            continue
        if unreadable:
            detail = f"modification {index} : titulaires {', '.join(unreadable)}"
            defects.append(Defect(QualityFlag.MODIFICATION_UNREADABLE, detail))
        for party in holders:
            if party.id_type == "SIRET" and not siret_ok(party.identifier):
                defects.append(Defect(QualityFlag.HOLDER_ID_INVALID, f"{party.identifier} (modification {index})"))
        if months is not None and not 0 < months <= MAX_PLAUSIBLE_DURATION_MONTHS:
            defects.append(Defect(QualityFlag.DURATION_IMPLAUSIBLE, f"{months} mois (modification {index})"))
            months = None
        if amount is not None and (amount > MAX_PLAUSIBLE_AMOUNT or amount < 0):
            defects.append(Defect(QualityFlag.AMOUNT_IMPLAUSIBLE, f"{amount} (modification {index})"))
            if abs(amount) > MAX_STORABLE_AMOUNT:
                amount = None
        modifications.append(ModificationRecord(number, notified, published, months, amount, holders, subject))
    if len(modifications) > 1:
        modifications.sort(key=_modification_order)
    return modifications


def _modification_order(modification: ModificationRecord) -> tuple[bool, int, dt.date]:
    number = modification.number
    return (number is None, number or 0, modification.notified_on or dt.date.max)
