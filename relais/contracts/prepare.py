"""Preparing a parsed record for the load, from the record alone (no database): reference checks, identity key,
content hash, search terms, the values of the contract's columns, and the keys of the organisations to link.
An import runs this in its reader process (`reading.py`); the loader runs it for records given unprepared.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii
from typing import Any

from relais.core.validators import is_valid_siren
from relais.reference.models import Cpv, Departement

from .decp.identity import content_hash, contract_uid
from .decp.parties import siret_ok
from .decp.records import ContractRecord, Defect, consideration_status
from .decp.validate import check_cpv, check_place, contract_type_of
from .enums import ConsiderationStatus, EnvironmentalConsideration, SocialConsideration
from .search import TERM_SOURCE_COLUMNS, region_codes, terms_of


@dataclass(frozen=True)
class ReferenceData:
    """Lookups read once per run: every 8-digit CPV 2008 code with its full code, and the département codes."""

    cpv: dict[str, str]
    departements: frozenset[str]
    regions: dict[str, str] = field(default_factory=dict)  # département code → région code

    @classmethod
    def load(cls) -> ReferenceData:
        return cls(
            cpv=dict(Cpv.objects.values_list("code8", "code")),
            departements=frozenset(Departement.objects.values_list("code", flat=True)),
            regions=region_codes(),
        )


def validate(record: ContractRecord, reference: ReferenceData) -> str:
    """Reference checks that need the database's tables; returns the département code ("" when none)."""
    check_cpv(record, reference.cpv)
    return check_place(record, reference.departements)


def prepare_record(record: ContractRecord, reference: ReferenceData) -> ContractRecord:
    """Everything the load needs from a record alone, computed once (the import does it in its reader process):
    reference checks, identity key, content hash, column values and search terms. A prepared record is returned
    as it is."""
    if record.uid:
        return record
    validate(record, reference)
    record.uid = contract_uid(record)
    record.digest = content_hash(record)
    record.row = _static_values(record, as_json=True)
    # The terms depend on stored values only (`search.contract_term_rows` reads them from the table): the row has them.
    values = dict(zip(TERM_SOURCE_COLUMNS, _term_values(record.row), strict=True))
    parties = record.holders
    holders = [(party.identifier[:40], party.name[:255]) for party in parties]
    record.terms_json = _json_strings(sorted(terms_of(values, holders, reference.regions)))
    buyer = record.buyer
    record.organisation_keys = (
        _organisation_key_of(buyer.identifier, buyer.id_type) if buyer is not None else None,
        *[_organisation_key_of(party.identifier, party.id_type) for party in parties],
    )
    return record


@functools.lru_cache(maxsize=65536)
def _organisation_key_of(identifier: str, id_type: str) -> tuple[str, str] | None:
    """("siret", …) or ("siren", …) for an identifier with a valid key; cached, as buyers and holders recur (and the
    SIRET check shares the parser's cache: the parser checked most of them already)."""
    if id_type in ("", "SIRET") and len(identifier) == 14 and siret_ok(identifier):
        return ("siret", identifier)
    if id_type in ("", "SIRET", "SIREN") and len(identifier) == 9 and is_valid_siren(identifier):
        return ("siren", identifier)
    return None


# The columns of a contract that depend on its record alone (not on organisations, runs or amendments), in the
# order of `_static_values`.
STATIC_COLUMNS = (
    "kind",
    "buyer_identifier",
    "buyer_name",
    "identifier",
    "object",
    "nature",
    "procedure",
    "techniques",
    "execution_modalities",
    "cpv",
    "cpv_division",
    "contract_type",
    "amount",
    "duration_months",
    "notified_on",
    "notified_year",
    "published_on",
    "place_code",
    "place_type",
    "departement_id",
    "offers_received",
    "price_form",
    "innovative",
    "framework_identifier",
    "social_status",
    "social_clause",
    "social_criterion",
    "reserved",
    "environmental_status",
    "environmental_clause",
    "environmental_criterion",
    "quality_flags",
    "defects",
    "source_format",
    "content_hash",
    "source_position",
)
JSON_COLUMNS = frozenset(["techniques", "execution_modalities", "defects"])
# The columns `search.terms_of` reads, taken from a row by one getter (a dict of every column cost more).
_term_values = operator.itemgetter(*[STATIC_COLUMNS.index(column) for column in TERM_SOURCE_COLUMNS])


def static_fields(record: ContractRecord) -> dict[str, object]:
    """The columns of a contract that depend on its record alone, JSON columns as Python values (for the ORM)."""
    return dict(zip(STATIC_COLUMNS, _static_values(record, as_json=False), strict=True))


def static_row(record: ContractRecord) -> tuple[tuple[str, ...], tuple[object, ...]]:
    """`static_fields` as (columns, values) for the fast writer, JSON columns already serialised."""
    return STATIC_COLUMNS, _static_values(record, as_json=True)


def _static_values(record: ContractRecord, *, as_json: bool) -> tuple[object, ...]:
    """The values of `STATIC_COLUMNS`, built as one tuple: the reader process does it for every record."""
    buyer = record.buyer
    cpv = record.cpv
    division = cpv[:2]
    notified_on = record.notified_on
    defects = record.defects
    if as_json:
        techniques: Any = _labels_json(tuple(record.techniques))
        modalities: Any = _labels_json(tuple(record.execution_modalities))
        defects_value: Any = _defects_json(defects) if defects else "[]"  # most records have no defect
    else:
        techniques = list(record.techniques)
        modalities = list(record.execution_modalities)
        defects_value = [{"flag": int(defect.flag), "detail": defect.detail[:300]} for defect in defects]
    return (
        record.kind,
        buyer.identifier[:40] if buyer else "",
        buyer.name[:255] if buyer else "",
        record.identifier[:100],
        record.object,
        record.nature,
        record.procedure,
        techniques,
        modalities,
        cpv[:10],
        division if division.isdigit() else "",
        contract_type_of(cpv),
        record.amount,
        record.duration_months,
        notified_on,
        notified_on.year if notified_on else None,
        record.published_on,
        record.place_code[:20],
        record.place_type[:30],
        record.departement or None,
        record.offers_received,
        record.price_form[:40],
        record.innovative,
        record.framework_identifier[:100],
        *_consideration_values(record.social, record.environmental),
        _bitmask(defects) if defects else 0,
        defects_value,
        record.source_format,
        record.digest,
        record.position,
    )


def _bitmask(defects: list[Defect]) -> int:
    mask = 0
    for defect in defects:
        mask |= 1 << int(defect.flag)
    return mask


# What `json.dumps` writes escaped besides non-ASCII characters: control characters, the quote and the backslash.
_JSON_ESCAPED = bytes([*range(0x20), 0x7F]) + b'"\\'


def _json_strings(items: list[str]) -> str:
    """`json.dumps(items)` for a list of strings. Search terms are plain ASCII text almost always: then the list is
    written by joining them, a fraction of the encoder's cost (the encoder cost more than the rest of a record's
    preparation); otherwise each string goes through the encoder's own escaping."""
    if not items:
        return "[]"
    plain = "".join(items)
    if plain.isascii():
        data = plain.encode()
        if len(data.translate(None, _JSON_ESCAPED)) == len(data):
            return '["' + '", "'.join(items) + '"]'
    return "[" + ", ".join(map(encode_basestring_ascii, items)) + "]"


@functools.lru_cache(maxsize=1024)
def _labels_json(labels: tuple[str, ...]) -> str:
    """`_json_strings` of techniques or execution modalities: a file uses a few dozen lists of them."""
    return _json_strings(list(labels))


def _defects_json(defects: list[Defect]) -> str:
    """`json.dumps` of the defects column (`[{"flag": …, "detail": …}]`), written directly like `_json_strings`."""
    items = (
        f'{{"flag": {int(defect.flag)}, "detail": {encode_basestring_ascii(defect.detail[:300])}}}'
        for defect in defects
    )
    return "[" + ", ".join(items) + "]"


@functools.lru_cache(maxsize=256)
def _consideration_values(
    social: frozenset[SocialConsideration] | None, environmental: frozenset[EnvironmentalConsideration] | None
) -> tuple[object, ...]:
    """The consideration columns (social_status … environmental_criterion) of a record. Cached: the parser returns
    one frozenset per distinct list of considerations, and a national file has a handful."""
    return (
        *_present(social, SocialConsideration.NONE, _SOCIAL_KINDS),
        *_present(environmental, EnvironmentalConsideration.NONE, _ENVIRONMENTAL_KINDS),
    )


_SOCIAL_KINDS = (SocialConsideration.CLAUSE, SocialConsideration.CRITERION, SocialConsideration.RESERVED)
_ENVIRONMENTAL_KINDS = (EnvironmentalConsideration.CLAUSE, EnvironmentalConsideration.CRITERION)


def _present(values: frozenset[Any] | None, none_value: Any, kinds: tuple[Any, ...]) -> tuple[object, ...]:
    """The status of one kind of considerations, then whether each of `kinds` is among them."""
    status = consideration_status(values, none_value)
    if values is None or status != ConsiderationStatus.SOME:
        return (status, *[False] * len(kinds))
    return (status, *[kind in values for kind in kinds])
