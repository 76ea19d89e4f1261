"""Preparing a parsed record for the load, from the record alone (no database): reference checks, identity key,
content hash, search terms, the values of the contract's columns, and the keys of the organisations to link.
An import runs this in its reader process (`reading.py`); the loader runs it for records given unprepared.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

from relais.core.validators import is_valid_siren, is_valid_siret
from relais.reference.models import Cpv, Departement

from .decp.identity import content_hash, contract_uid
from .decp.records import ContractRecord, Party
from .decp.validate import check_cpv, check_place, contract_type_of
from .enums import ConsiderationStatus, EnvironmentalConsideration, SocialConsideration
from .search import region_codes, terms_of


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


def _bitmask(record: ContractRecord) -> int:
    mask = 0
    for defect in record.defects:
        mask |= 1 << int(defect.flag)
    return mask


def validate(record: ContractRecord, reference: ReferenceData) -> str:
    """Reference checks that need the database's tables; returns the département code ("" when none)."""
    check_cpv(record, reference.cpv)
    return check_place(record, reference.departements)


def prepare_record(record: ContractRecord, reference: ReferenceData) -> ContractRecord:
    """Everything the load needs from a record alone, computed once (the import does it in its reader process):
    reference checks, identity key, content hash and search terms. A prepared record is returned as it is."""
    if record.uid:
        return record
    validate(record, reference)
    record.uid = contract_uid(record)
    record.digest = content_hash(record)
    holders = [(party.identifier[:40], party.name[:255]) for party in record.holders]
    record.terms_json = json.dumps(sorted(terms_of(_record_values(record), holders, reference.regions)))
    record.row = static_row(record)[1]
    record.organisation_keys = (
        _organisation_key(record.buyer) if record.buyer is not None else None,
        *(_organisation_key(party) for party in record.holders),
    )
    return record


def _record_values(record: ContractRecord) -> dict[str, object]:
    """The stored values of a record that its search terms depend on (as `search.contract_term_rows` reads them)."""
    buyer = record.buyer
    return {
        "object": record.object,
        "buyer_name": buyer.name[:255] if buyer else "",
        "buyer_identifier": buyer.identifier[:40] if buyer else "",
        "cpv": record.cpv[:10],
        "procedure": record.procedure,
        "contract_type": contract_type_of(record.cpv),
        **_social_fields(record),
        "departement_id": record.departement or None,
    }


def _organisation_key(party: Party) -> tuple[str, str] | None:
    return _organisation_key_of(party.identifier, party.id_type)


@functools.lru_cache(maxsize=65536)
def _organisation_key_of(identifier: str, id_type: str) -> tuple[str, str] | None:
    """("siret", …) or ("siren", …) for an identifier with a valid key; cached, as buyers and holders recur."""
    if id_type in ("", "SIRET") and len(identifier) == 14 and is_valid_siret(identifier):
        return ("siret", identifier)
    if id_type in ("", "SIRET", "SIREN") and len(identifier) == 9 and is_valid_siren(identifier):
        return ("siren", identifier)
    return None


def _social_fields(record: ContractRecord) -> dict[str, object]:
    social = record.social or frozenset()
    environmental = record.environmental or frozenset()
    social_status = record.social_status
    environmental_status = record.environmental_status
    return {
        "social_status": social_status,
        "social_clause": social_status == ConsiderationStatus.SOME and SocialConsideration.CLAUSE in social,
        "social_criterion": social_status == ConsiderationStatus.SOME and SocialConsideration.CRITERION in social,
        "reserved": social_status == ConsiderationStatus.SOME and SocialConsideration.RESERVED in social,
        "environmental_status": environmental_status,
        "environmental_clause": environmental_status == ConsiderationStatus.SOME
        and EnvironmentalConsideration.CLAUSE in environmental,
        "environmental_criterion": environmental_status == ConsiderationStatus.SOME
        and EnvironmentalConsideration.CRITERION in environmental,
    }


def static_fields(record: ContractRecord) -> dict[str, object]:
    """The columns of a contract that depend on its record alone (not on organisations, runs or amendments)."""
    return {
        "kind": record.kind,
        "buyer_identifier": record.buyer.identifier[:40] if record.buyer else "",
        "buyer_name": record.buyer.name[:255] if record.buyer else "",
        "identifier": record.identifier[:100],
        "object": record.object,
        "nature": record.nature,
        "procedure": record.procedure,
        "techniques": list(record.techniques),
        "execution_modalities": list(record.execution_modalities),
        "cpv": record.cpv[:10],
        "cpv_division": record.cpv[:2] if record.cpv[:2].isdigit() else "",
        "contract_type": contract_type_of(record.cpv),
        "amount": record.amount,
        "duration_months": record.duration_months,
        "notified_on": record.notified_on,
        "notified_year": record.notified_on.year if record.notified_on else None,
        "published_on": record.published_on,
        "place_code": record.place_code[:20],
        "place_type": record.place_type[:30],
        "departement_id": record.departement or None,
        "offers_received": record.offers_received,
        "price_form": record.price_form[:40],
        "innovative": record.innovative,
        "framework_identifier": record.framework_identifier[:100],
        **_social_fields(record),
        "quality_flags": _bitmask(record),
        "defects": [{"flag": int(d.flag), "detail": d.detail[:300]} for d in record.defects],
        "source_format": record.source_format,
        "content_hash": record.digest,
        "source_position": record.position,
    }


JSON_COLUMNS = frozenset(["techniques", "execution_modalities", "defects"])


def static_row(record: ContractRecord) -> tuple[tuple[str, ...], tuple[object, ...]]:
    """`static_fields` as (columns, values) for the fast writer, JSON columns already serialised."""
    fields = static_fields(record)
    return tuple(fields), tuple(json.dumps(v) if k in JSON_COLUMNS else v for k, v in fields.items())
