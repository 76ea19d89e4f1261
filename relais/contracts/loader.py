"""The load step of the DECP pipeline: one batch of parsed records into the database, in one transaction.

For each record: reference checks (CPV 2008, département), identity (`decp.identity`), then create, update or leave
unchanged; holders and buyers linked to the platform's organisations by SIRET (created when absent, never
duplicated); identifiers shared by distinct contracts flagged on every one of them; unreadable records kept in
quarantine. The caller (`services.decp_import`) commits the batch together with the run's counters and position,
so an interrupted run resumes exactly where its last committed batch ended.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.db import connection
from django.utils import timezone

from .bulk import any_of, insert_rows, new_ids, new_public_ids
from .decp.identity import merged_modifications, winner_key
from .decp.records import ContractRecord, ModificationRecord, Party, Rejected
from .enums import QualityFlag
from .linking import LoadCache, OrganisationKey, link_organisations, organisation_of
from .models import Contract, ContractHolder, ContractModification, ImportRun, QuarantinedRecord
from .prepare import JSON_COLUMNS, ReferenceData, prepare_record, static_fields, static_row
from .search import index_contracts, organisation_name_terms

RAW_TEXT_LIMIT = 100_000
# Identifiers that say nothing: records sharing them are not "sharing an identifier" (they carry their own flag).
_MEANINGLESS_IDENTIFIER_FLAGS = (QualityFlag.IDENTIFIER_EMPTY, QualityFlag.IDENTIFIER_ZEROED)


@dataclass
class _State:
    """What the batch knows of one contract: its row (if any), the winning publication and the amendments."""

    uid: str
    pk: int | None
    key: tuple[dt.date, str]
    record: ContractRecord | None  # the winning record when this batch brings it; None: the stored row wins
    modifications: list[ModificationRecord]
    modifications_count: int
    stored_amount: Decimal | None = None
    winner_changed: bool = False
    modifications_changed: bool = False


@dataclass
class BatchCounts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    quarantined: int = 0
    flags: Counter[int] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)

    def add_to(self, run: ImportRun) -> None:
        for name in ("read", "created", "updated", "unchanged", "flagged", "quarantined"):
            setattr(run, name, getattr(run, name) + getattr(self, name))
        flag_counts = Counter({int(k): v for k, v in run.flag_counts.items()}) + self.flags
        run.flag_counts = {str(k): v for k, v in sorted(flag_counts.items())}
        run.quarantine_counts = dict(sorted((Counter(run.quarantine_counts) + self.reasons).items()))


def load_batch(
    items: Sequence[ContractRecord | Rejected],
    *,
    run: ImportRun,
    reference: ReferenceData,
    cache: LoadCache | None = None,
    index: bool = True,
) -> BatchCounts:
    """Write one batch; the caller holds the transaction. With `index`, the search index of the contracts written
    is rebuilt at once; an import (`services.decp_import`) passes False and indexes its whole run at the end."""
    counts = BatchCounts()
    rejected = [item for item in items if isinstance(item, Rejected)]
    records = [item for item in items if isinstance(item, ContractRecord)]
    if rejected:
        QuarantinedRecord.objects.bulk_create(
            [
                QuarantinedRecord(
                    run=run,
                    position=item.position,
                    reason=item.reason,
                    detail=item.detail[:2000],
                    raw_text=item.raw_text[:RAW_TEXT_LIMIT],
                )
                for item in rejected
            ],
            ignore_conflicts=True,  # a resumed run may meet again a record quarantined just before a crash
        )
        counts.quarantined += len(rejected)
        counts.reasons.update(item.reason for item in rejected)
    if not records:
        return counts

    uids: list[str] = []
    for record in records:
        prepare_record(record, reference)
        uids.append(record.uid)
        if record.defects:
            counts.flagged += 1
            counts.flags.update({int(defect.flag) for defect in record.defects})
    counts.read += len(records)

    existing = {row[0]: row for row in _stored_rows(list(dict.fromkeys(uids)))}
    stored_modifications = _stored_modifications([row[1] for row in existing.values() if row[4]])

    states: dict[str, _State] = {}
    for uid, record in zip(uids, records, strict=True):
        key = winner_key(record.published_on, record.digest)
        state = states.get(uid)
        if state is None and uid in existing:
            _, pk, published_on, digest, modifications_count, stored_amount = existing[uid]
            state = states[uid] = _State(
                uid=uid,
                pk=pk,
                key=winner_key(published_on, digest),
                record=None,
                modifications=stored_modifications.get(pk, []),
                modifications_count=modifications_count,
                stored_amount=stored_amount,
            )
        if state is None:
            modifications = merged_modifications(record.modifications) if record.modifications else []
            states[uid] = _State(
                uid=uid,
                pk=None,
                key=key,
                record=record,
                modifications=modifications,
                modifications_count=len(modifications),
                winner_changed=True,
                modifications_changed=True,
            )
            counts.created += 1
            continue
        changed = False
        if key > state.key:
            state.key, state.record, state.winner_changed = key, record, True
            changed = True
        if record.modifications:
            known = state.modifications
            merged = merged_modifications(known, record.modifications)
            if len(merged) != len(known):
                state.modifications, state.modifications_count = merged, len(merged)
                state.modifications_changed = changed = True
        if changed and state.pk is not None:
            counts.updated += 1
        else:
            counts.unchanged += 1  # an exact copy, or an older publication of what is stored

    organisations = link_organisations(
        [s.record for s in states.values() if s.record is not None], cache if cache is not None else LoadCache()
    )
    _write(states, run=run, organisations=organisations)
    if index:  # the search index follows the descriptive fields (new contracts and newer publications)
        index_contracts([s.pk for s in states.values() if s.pk is not None and s.winner_changed])
    return counts


def _stored_rows(uids: list[str]) -> list[tuple[str, int, dt.date | None, str, int, Decimal | None]]:
    """(uid, pk, published_on, content_hash, modifications_count, amount) of the stored contracts among `uids`.
    Plain SQL with the uids as one parameter: the ORM's preparation of 2,000 parameters per batch cost more than
    the query."""
    if not uids:
        return []
    table = connection.ops.quote_name(Contract._meta.db_table)
    condition, parameter = any_of("uid", uids)
    sql = (
        f"SELECT uid, id, published_on, content_hash, modifications_count, CAST(amount AS TEXT) "  # noqa: S608
        f"FROM {table} WHERE {condition}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [parameter])
        rows = cursor.fetchall()
    return [
        (
            uid,
            pk,
            dt.date.fromisoformat(published) if isinstance(published, str) else published,
            digest,
            count,
            Decimal(amount) if amount is not None else None,
        )
        for uid, pk, published, digest, count, amount in rows
    ]


def _stored_modifications(contract_ids: list[int]) -> dict[int, list[ModificationRecord]]:
    found: dict[int, list[ModificationRecord]] = {}
    if not contract_ids:
        return found
    for row in ContractModification.objects.filter(contract_id__in=contract_ids).order_by("contract_id", "rank"):
        found.setdefault(row.contract_id, []).append(
            ModificationRecord(
                number=row.number,
                notified_on=row.notified_on,
                published_on=row.published_on,
                duration_months=row.duration_months,
                amount=row.amount,
                holders=[Party(h["identifier"], h.get("id_type", ""), h.get("name", "")) for h in row.holders],
                object=row.object,
            )
        )
    return found


def _current_amount(amount: Decimal | None, modifications: list[ModificationRecord]) -> Decimal | None:
    for modification in reversed(modifications):
        if modification.amount is not None:
            return modification.amount
    return amount


_NO_TERMS: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=1 << 14)
def _buyer_name_terms(name: str) -> frozenset[str]:
    """The terms of a buyer's name known to Relais; cached: a batch meets the same organisations again and again."""
    return frozenset(organisation_name_terms(buyer_name=name))


@functools.lru_cache(maxsize=1 << 16)
def _holder_name_terms(name: str) -> frozenset[str]:
    return frozenset(organisation_name_terms(holder_names=(name,)))


def _search_terms(record: ContractRecord, organisations: dict[OrganisationKey, tuple[int, str]]) -> str:
    """The record's terms (JSON), with the words of the names Relais knows for its buyer and holders: an
    organisation known before the import may have another name than the published one. The names an import
    gives organisations without one ("SIRET …") have no words: most records keep the terms prepared for them."""
    buyer_key, *holder_keys = record.organisation_keys
    extra = _NO_TERMS
    if record.buyer is not None and buyer_key is not None:
        known = organisation_of(buyer_key, organisations)[1]
        if known != record.buyer.name:
            extra = _buyer_name_terms(known)
    for party, key in zip(record.holders, holder_keys, strict=True):
        if key is not None:
            known = organisation_of(key, organisations)[1]
            if known and known != party.name:
                extra = extra | _holder_name_terms(known)
    if not extra:
        return record.terms_json
    terms = set(json.loads(record.terms_json))
    return record.terms_json if extra <= terms else json.dumps(sorted(terms | extra))


def _buyer_id(record: ContractRecord, organisations: dict[OrganisationKey, tuple[int, str]]) -> int | None:
    return organisation_of(record.organisation_keys[0], organisations)[0] or None


def _contract_fields(
    record: ContractRecord, organisations: dict[OrganisationKey, tuple[int, str]]
) -> dict[str, object]:
    return {
        **static_fields(record),
        "buyer_id": _buyer_id(record, organisations),
        "search_terms": _search_terms(record, organisations),
    }


HOLDER_COLUMNS = ("contract_id", "rank", "identifier", "id_type", "name", "organisation_id")
MODIFICATION_COLUMNS = (
    "contract_id",
    "rank",
    "number",
    "notified_on",
    "published_on",
    "duration_months",
    "amount",
    "holders",
    "object",
)


def _holder_rows(
    contract_id: int, record: ContractRecord, organisations: dict[OrganisationKey, tuple[int, str]]
) -> list[tuple[object, ...]]:
    keys = record.organisation_keys
    return [
        (
            contract_id,
            rank,
            party.identifier[:40],
            party.id_type[:10],
            party.name[:255],
            organisation_of(keys[rank + 1], organisations)[0] or None,
        )
        for rank, party in enumerate(record.holders)
    ]


def _modification_rows(contract_id: int, modifications: list[ModificationRecord]) -> list[tuple[object, ...]]:
    return [
        (
            contract_id,
            rank,
            m.number,
            m.notified_on,
            m.published_on,
            m.duration_months,
            m.amount,
            [{"identifier": p.identifier, "id_type": p.id_type, "name": p.name} for p in m.holders],
            m.object,
        )
        for rank, m in enumerate(modifications)
    ]


_INSERT_COLUMNS = (
    "buyer_id",
    "search_terms",
    "public_id",
    "created_at",
    "updated_at",
    "uid",
    "first_run_id",
    "last_run_id",
    "modifications_count",
    "current_amount",
)


def _insert_contracts(
    new: list[tuple[_State, ContractRecord]],
    *,
    run: ImportRun,
    organisations: dict[OrganisationKey, tuple[int, str]],
) -> None:
    """Insert the new contracts in one statement (COPY on PostgreSQL) with ids reserved first, the ones the table
    would have given them: their holders and amendments are then written without reading the contracts back."""
    if not new:
        return
    for (state, _), pk in zip(new, new_ids(Contract, len(new)), strict=True):
        state.pk = pk
    now = timezone.now()
    columns = (Contract._meta.pk.attname, *static_row(new[0][1])[0], *_INSERT_COLUMNS)
    rows = [
        (
            state.pk,
            *record.row,
            _buyer_id(record, organisations),
            _search_terms(record, organisations),
            public_id,
            now,
            now,
            state.uid,
            run.pk,
            run.pk,
            state.modifications_count,
            _current_amount(record.amount, state.modifications),
        )
        for (state, record), public_id in zip(new, new_public_ids(len(new)), strict=True)
    ]
    insert_rows(Contract, columns, rows, json_ready=JSON_COLUMNS)


def _write(
    states: dict[str, _State],
    *,
    run: ImportRun,
    organisations: dict[OrganisationKey, tuple[int, str]],
) -> None:
    new = [(s, s.record) for s in states.values() if s.pk is None and s.record is not None]
    changed = [(s, s.pk) for s in states.values() if s.pk is not None and (s.winner_changed or s.modifications_changed)]
    _insert_contracts(new, run=run, organisations=organisations)
    holders: list[tuple[object, ...]] = []
    modifications: list[tuple[object, ...]] = []
    for state, record in new:
        pk = cast(int, state.pk)
        holders += _holder_rows(pk, record, organisations)
        if state.modifications:
            modifications += _modification_rows(pk, state.modifications)

    rewritten_holders = [pk for s, pk in changed if s.winner_changed]
    rewritten_modifications = [pk for s, pk in changed if s.modifications_changed]
    if rewritten_holders:
        ContractHolder.objects.filter(contract_id__in=rewritten_holders).delete()
    if rewritten_modifications:
        ContractModification.objects.filter(contract_id__in=rewritten_modifications).delete()
    now = timezone.now()
    for state, pk in changed:
        values: dict[str, object] = {
            "last_run_id": run.pk,
            "modifications_count": state.modifications_count,
            "updated_at": now,
        }
        amount = state.stored_amount
        if state.winner_changed and state.record is not None:
            values |= _contract_fields(state.record, organisations)
            amount = state.record.amount
            holders += _holder_rows(pk, state.record, organisations)
        if state.modifications_changed:
            modifications += _modification_rows(pk, state.modifications)
        # Updates are rare (republications, new amendments): one statement per contract.
        values["current_amount"] = _current_amount(amount, state.modifications)
        Contract.objects.filter(pk=pk).update(**values)
    insert_rows(ContractHolder, HOLDER_COLUMNS, holders)
    insert_rows(ContractModification, MODIFICATION_COLUMNS, modifications)


def flag_shared_identifiers() -> int:
    """Flag every contract whose (buyer, identifier) is also that of another, distinct contract; returns how many
    were newly flagged. Run once at the end of each import (a GROUP BY over the index on those two columns), so that
    a resumed run reaches the same flags. Empty or zeroed identifiers carry their own flag and are left out."""
    table = connection.ops.quote_name(Contract._meta.db_table)
    shared = 1 << int(QualityFlag.IDENTIFIER_SHARED)
    meaningless = sum(1 << int(flag) for flag in _MEANINGLESS_IDENTIFIER_FLAGS)
    groups = (
        f"SELECT buyer_identifier AS b, identifier AS i FROM {table} WHERE (quality_flags & %s) = 0 "  # noqa: S608
        f"GROUP BY buyer_identifier, identifier HAVING COUNT(*) > 1"
    )
    unflagged = "(quality_flags & %s) = 0 AND (quality_flags & %s) = 0"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A join on the groups, hashed: PostgreSQL cannot estimate the bitmask filters, expects one row and
            # would otherwise re-run the grouping for every contract (a first load has no index on the pair).
            cursor.execute("SET LOCAL enable_nestloop = off")
            sql = (
                f"UPDATE {table} SET quality_flags = quality_flags | %s FROM ({groups}) AS shared "  # noqa: S608
                f"WHERE {unflagged} AND buyer_identifier = shared.b AND identifier = shared.i"
            )
            cursor.execute(sql, [shared, meaningless, shared, meaningless])
            flagged = int(cursor.rowcount)
            cursor.execute("RESET enable_nestloop")
            return flagged
        sql = (
            f"UPDATE {table} SET quality_flags = quality_flags | %s "  # noqa: S608
            f"WHERE {unflagged} AND (buyer_identifier, identifier) IN ({groups})"
        )
        cursor.execute(sql, [shared, shared, meaningless, meaningless])
        return int(cursor.rowcount)
