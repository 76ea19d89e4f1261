"""Which records describe the same contract, and whether a record brings anything new.

The DECP identifies a contract by buyer identifier + contract identifier, but real files reuse identifiers: empty,
zeroed ("0000…"), or one id for the several lots of a consultation. So the identity key (`uid`) also holds the
fields that do not change over a contract's life — object, initial amount, notification date and initial holders:
records sharing an identifier yet differing there are distinct contracts (each kept, and flagged by the loader);
a later publication of the same contract (same initial fields, more modifications) has the same uid and updates it;
exact duplicates merge.

Merging is order-independent, so importing files in any order, twice, or after an interruption ends in the same
state: of two publications, the one published last wins for the descriptive fields (ties broken by content hash),
and modifications are the union of those seen, in their number order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from .records import ContractRecord, ModificationRecord

_SEPARATOR = "\x1f"


def _text(value: str) -> str:
    return " ".join(value.split()).casefold()


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def contract_uid(record: ContractRecord) -> str:
    buyer = record.buyer.identifier if record.buyer else ""
    holders = record.holders
    # Most records have one holder: its identifier needs no sort (this runs for every record of an import).
    identifiers = holders[0].identifier if len(holders) == 1 else ",".join(sorted([p.identifier for p in holders]))
    parts = (
        record.kind,
        buyer,
        record.identifier.strip(),
        _text(record.object),
        _amount(record.amount),
        _date(record.notified_on),
        identifiers,
    )
    return hashlib.sha1(_SEPARATOR.join(parts).encode(), usedforsecurity=False).hexdigest()


def modification_key(modification: ModificationRecord) -> tuple[object, ...]:
    """Two copies of one amendment (the same in two publications) have the same key."""
    return (
        modification.number if modification.number is not None else -1,
        _date(modification.notified_on),
        _amount(modification.amount),
        modification.duration_months if modification.duration_months is not None else -1,
        ",".join(party.identifier for party in modification.holders),
        _text(modification.object),
    )


def content_hash(record: ContractRecord) -> str:
    """Hash of a record's descriptive fields (not its modifications, merged apart): decides which publication wins."""
    parts = (
        record.source_format,
        record.nature,
        record.procedure,
        "|".join(record.techniques),
        "|".join(record.execution_modalities),
        record.cpv,
        _amount(record.amount),
        str(record.duration_months),
        _date(record.published_on),
        record.place_code,
        record.place_type,
        str(record.offers_received),
        record.price_form,
        str(record.innovative),
        record.framework_identifier,
        "|".join(sorted(record.social)) if record.social is not None else "?",
        "|".join(sorted(record.environmental)) if record.environmental is not None else "?",
        "|".join([f"{p.identifier}/{p.id_type}/{p.name}" for p in record.holders]),
        record.buyer.name if record.buyer else "",
        "|".join([f"{d.flag}:{d.detail}" for d in record.defects]) if record.defects else "",  # most have none
    )
    # Every part is text (enum members are str, read as their value like `str()` did): joined as they are.
    return hashlib.sha1(_SEPARATOR.join(parts).encode(), usedforsecurity=False).hexdigest()


def winner_key(published_on: dt.date | None, digest: str) -> tuple[dt.date, str]:
    return (published_on or dt.date.min, digest)


def merged_modifications(*lists: list[ModificationRecord]) -> list[ModificationRecord]:
    """The union of the amendments seen, without copies, in number order (else notification date)."""
    seen: dict[tuple[object, ...], ModificationRecord] = {}
    for modifications in lists:
        for modification in modifications:
            seen.setdefault(modification_key(modification), modification)
    return [seen[key] for key in sorted(seen, key=lambda key: (key[0] == -1, key))]
