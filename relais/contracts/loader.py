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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from relais.core.validators import is_valid_siren, is_valid_siret
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.reference.models import Cpv, Departement

from .bulk import insert_rows, new_public_ids
from .decp.identity import content_hash, contract_uid, merged_modifications, winner_key
from .decp.records import ContractRecord, ModificationRecord, Party, Rejected
from .decp.validate import check_cpv, check_place, contract_type_of
from .enums import ConsiderationStatus, EnvironmentalConsideration, QualityFlag, SocialConsideration
from .models import Contract, ContractHolder, ContractModification, ImportRun, QuarantinedRecord
from .search import reindex_contracts

RAW_TEXT_LIMIT = 100_000
# Identifiers that say nothing: records sharing them are not "sharing an identifier" (they carry their own flag).
_MEANINGLESS_IDENTIFIER_FLAGS = (QualityFlag.IDENTIFIER_EMPTY, QualityFlag.IDENTIFIER_ZEROED)


@dataclass(frozen=True)
class ReferenceData:
    """Lookups read once per run: every 8-digit CPV 2008 code with its full code, and the département codes."""

    cpv: dict[str, str]
    departements: frozenset[str]

    @classmethod
    def load(cls) -> ReferenceData:
        return cls(
            cpv=dict(Cpv.objects.values_list("code8", "code")),
            departements=frozenset(Departement.objects.values_list("code", flat=True)),
        )


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


def _bitmask(record: ContractRecord) -> int:
    mask = 0
    for defect in record.defects:
        mask |= 1 << int(defect.flag)
    return mask


def validate(record: ContractRecord, reference: ReferenceData) -> str:
    """Reference checks that need the database's tables; returns the département code ("" when none)."""
    check_cpv(record, reference.cpv)
    return check_place(record, reference.departements)


def load_batch(items: Sequence[ContractRecord | Rejected], *, run: ImportRun, reference: ReferenceData) -> BatchCounts:
    """Write one batch; the caller holds the transaction."""
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

    departements: dict[int, str] = {}
    uids: list[str] = []
    hashes: dict[int, str] = {}
    for record in records:
        departements[id(record)] = validate(record, reference)
        uids.append(contract_uid(record))
        hashes[id(record)] = content_hash(record)
        counts.read += 1
        flags = {int(defect.flag) for defect in record.defects}
        if flags:
            counts.flagged += 1
            counts.flags.update(flags)

    existing = {row[0]: row for row in _stored_rows(set(uids))}
    stored_modifications = _stored_modifications([row[1] for row in existing.values() if row[4]])

    states: dict[str, _State] = {}
    for uid, record in zip(uids, records, strict=True):
        key = winner_key(record.published_on, hashes[id(record)])
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
            modifications = merged_modifications(record.modifications)
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

    organisations = _link_organisations([s.record for s in states.values() if s.record is not None])
    _write(states, run=run, departements=departements, organisations=organisations)
    # The search index follows the descriptive fields (new contracts and newer publications).
    reindex_contracts([s.pk for s in states.values() if s.pk is not None and s.winner_changed])
    return counts


def _stored_rows(uids: set[str]) -> list[tuple[str, int, dt.date | None, str, int, Decimal | None]]:
    """(uid, pk, published_on, content_hash, modifications_count, amount) of the stored contracts among `uids`.
    Plain SQL: the ORM's preparation of 2,000 parameters per batch cost more than the query."""
    if not uids:
        return []
    table = connection.ops.quote_name(Contract._meta.db_table)
    marks = ", ".join(["%s"] * len(uids))
    sql = (
        f"SELECT uid, id, published_on, content_hash, modifications_count, CAST(amount AS TEXT) "  # noqa: S608
        f"FROM {table} WHERE uid IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(uids))
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


def _link_organisations(records: Iterable[ContractRecord]) -> dict[tuple[str, str], int]:
    """Organisation ids of the buyers and holders identified by a valid SIRET (or SIREN), created when absent:
    buyers as public buyers, holders as companies. Never duplicated: the SIRET is unique in the table, and a SIREN
    is matched to an organisation of that SIREN first."""
    wanted: dict[tuple[str, str], tuple[str, str]] = {}  # key -> (kind, name)
    for record in records:
        if record.buyer is not None and (key := _organisation_key(record.buyer)):
            wanted.setdefault(key, (OrganisationKind.BUYER, record.buyer.name))
        for party in record.holders:
            if key := _organisation_key(party):
                wanted.setdefault(key, (OrganisationKind.COMPANY, party.name))
    if not wanted:
        return {}
    sirets = [value for kind, value in wanted if kind == "siret"]
    sirens = [value for kind, value in wanted if kind == "siren"]

    def lookup() -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for siret, pk in Organisation.objects.filter(siret__in=sirets).values_list("siret", "pk"):
            found[("siret", str(siret))] = pk
        for siren, pk in Organisation.objects.filter(siren__in=sirens).order_by("pk").values_list("siren", "pk"):
            found.setdefault(("siren", siren), pk)
        return found

    found = lookup()
    missing = [key for key in wanted if key not in found]
    if missing:
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=(wanted[key][1] or f"{'SIRET' if key[0] == 'siret' else 'SIREN'} {key[1]}")[:255],
                    kind=wanted[key][0],
                    siret=key[1] if key[0] == "siret" else None,
                    siren=key[1][:9],
                )
                for key in missing
            ],
            ignore_conflicts=True,  # another import may have created the same SIRET meanwhile
        )
        found = lookup()
    return found


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


def _current_amount(amount: Decimal | None, modifications: list[ModificationRecord]) -> Decimal | None:
    for modification in reversed(modifications):
        if modification.amount is not None:
            return modification.amount
    return amount


def _contract_fields(
    record: ContractRecord, digest: str, departement: str, organisations: dict[tuple[str, str], int]
) -> dict[str, object]:
    buyer_key = _organisation_key(record.buyer) if record.buyer else None
    return {
        "kind": record.kind,
        "buyer_identifier": record.buyer.identifier[:40] if record.buyer else "",
        "buyer_name": record.buyer.name[:255] if record.buyer else "",
        "buyer_id": organisations.get(buyer_key) if buyer_key else None,
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
        "departement_id": departement or None,
        "offers_received": record.offers_received,
        "price_form": record.price_form[:40],
        "innovative": record.innovative,
        "framework_identifier": record.framework_identifier[:100],
        **_social_fields(record),
        "quality_flags": _bitmask(record),
        "defects": [{"flag": int(d.flag), "detail": d.detail[:300]} for d in record.defects],
        "source_format": record.source_format,
        "content_hash": digest,
        "source_position": record.position,
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
    contract_id: int, record: ContractRecord, organisations: dict[tuple[str, str], int]
) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for rank, party in enumerate(record.holders):
        key = _organisation_key(party)
        organisation = organisations.get(key) if key else None
        rows.append((contract_id, rank, party.identifier[:40], party.id_type[:10], party.name[:255], organisation))
    return rows


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


def _insert_contracts(
    new: list[tuple[_State, ContractRecord]],
    *,
    run: ImportRun,
    departements: dict[int, str],
    organisations: dict[tuple[str, str], int],
) -> dict[str, int]:
    """Insert the new contracts in one statement (COPY on PostgreSQL) and read back their ids by uid."""
    if not new:
        return {}
    now = timezone.now()
    rows: list[tuple[object, ...]] = []
    columns: tuple[str, ...] = ()
    for (state, record), public_id in zip(new, new_public_ids(len(new)), strict=True):
        fields = _contract_fields(record, state.key[1], departements[id(record)], organisations)
        fields |= {
            "public_id": public_id,
            "created_at": now,
            "updated_at": now,
            "uid": state.uid,
            "first_run_id": run.pk,
            "last_run_id": run.pk,
            "modifications_count": state.modifications_count,
            "current_amount": _current_amount(record.amount, state.modifications),
        }
        if not columns:
            columns = tuple(fields)
        rows.append(tuple(fields.values()))
    insert_rows(Contract, columns, rows)
    return {uid: pk for uid, pk, *_ in _stored_rows({state.uid for state, _ in new})}


def _write(
    states: dict[str, _State],
    *,
    run: ImportRun,
    departements: dict[int, str],
    organisations: dict[tuple[str, str], int],
) -> None:
    new = [(s, s.record) for s in states.values() if s.pk is None and s.record is not None]
    changed = [(s, s.pk) for s in states.values() if s.pk is not None and (s.winner_changed or s.modifications_changed)]
    ids = _insert_contracts(new, run=run, departements=departements, organisations=organisations)
    holders: list[tuple[object, ...]] = []
    modifications: list[tuple[object, ...]] = []
    for state, record in new:
        state.pk = ids[state.uid]
        holders += _holder_rows(state.pk, record, organisations)
        modifications += _modification_rows(state.pk, state.modifications)

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
            values |= _contract_fields(state.record, state.key[1], departements[id(state.record)], organisations)
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
    sql = (
        f"UPDATE {table} SET quality_flags = quality_flags | %s "  # noqa: S608 — no user input
        f"WHERE (quality_flags & %s) = 0 AND (quality_flags & %s) = 0 AND (buyer_identifier, identifier) IN ("
        f"SELECT buyer_identifier, identifier FROM {table} WHERE (quality_flags & %s) = 0 "
        f"GROUP BY buyer_identifier, identifier HAVING COUNT(*) > 1)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [shared, shared, meaningless, meaningless])
        return int(cursor.rowcount)
