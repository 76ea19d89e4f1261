"""Linking the buyers and holders of DECP records to the platform's organisations, by SIRET (or SIREN): found in the
directory, or created through the fast writer when absent, never duplicated. A run keeps what it linked in its
`LoadCache` from batch to batch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation

from .bulk import any_of, insert_rows, model_defaults, new_public_ids
from .decp.records import ContractRecord

OrganisationKey = tuple[str, str]


@dataclass
class LoadCache:
    """What one run remembers from batch to batch: the organisations already linked (key → id, name). Only for
    the length of a run (its batches commit in order); never shared between runs."""

    organisations: dict[OrganisationKey, tuple[int, str]] = field(default_factory=dict)


def link_organisations(records: Iterable[ContractRecord], cache: LoadCache) -> dict[OrganisationKey, tuple[int, str]]:
    """Organisations (id, name) of the buyers and holders identified by a valid SIRET (or SIREN), created when
    absent: buyers as public buyers, holders as companies. Never duplicated: the SIRET is unique in the table, and a
    SIREN is matched to an organisation of that SIREN first. Those the run already linked come from its cache."""
    known = cache.organisations
    wanted: dict[OrganisationKey, tuple[str, str]] = {}  # key -> (kind, name)
    for record in records:
        keys = record.organisation_keys
        buyer_key = keys[0]
        if buyer_key is not None and buyer_key not in known and record.buyer is not None:
            wanted.setdefault(buyer_key, (OrganisationKind.BUYER, record.buyer.name))
        for party, key in zip(record.holders, keys[1:], strict=True):
            if key is not None and key not in known:
                wanted.setdefault(key, (OrganisationKind.COMPANY, party.name))
    if not wanted:
        return known
    _lookup_organisations(list(wanted), known)
    missing = [key for key in wanted if key not in known]
    if missing:
        _create_organisations(
            [
                (
                    (wanted[key][1] or f"{'SIRET' if key[0] == 'siret' else 'SIREN'} {key[1]}")[:255],
                    wanted[key][0],
                    key[1] if key[0] == "siret" else None,
                    key[1][:9],
                )
                for key in missing
            ]
        )
        # Only the keys just created: those found before keep their organisation (a SIREN keeps the lowest id).
        _lookup_organisations(missing, known)
    return known


def _lookup_organisations(keys: list[OrganisationKey], known: dict[OrganisationKey, tuple[int, str]]) -> None:
    """Record in `known` the organisation (id, name) of each key found: by SIRET, or for a SIREN the lowest id
    among the organisations of that SIREN."""
    table = connection.ops.quote_name(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        for kind in ("siret", "siren"):
            values = [value for key_kind, value in keys if key_kind == kind]
            if not values:
                continue
            condition, parameter = any_of(kind, values)
            # Highest id first: for a SIREN shared by several organisations, the lowest id is written last and wins.
            cursor.execute(f"SELECT {kind}, id, name FROM {table} WHERE {condition} ORDER BY id DESC", [parameter])  # noqa: S608
            for value, pk, name in cursor.fetchall():
                known[(kind, str(value))] = (pk, name)


_ORGANISATION_COLUMNS = ("name", "kind", "siret", "siren", "public_id", "created_at", "updated_at")


def _create_organisations(rows: list[tuple[str, str, str | None, str]]) -> None:
    """Insert organisations (name, kind, SIRET, SIREN) through the fast writer, every other column at its default;
    a SIRET another import created meanwhile is skipped (unique)."""
    now = timezone.now()
    defaults = model_defaults(Organisation, _ORGANISATION_COLUMNS)
    columns = (*_ORGANISATION_COLUMNS, *defaults)
    values = tuple(defaults.values())
    insert_rows(
        Organisation,
        columns,
        [(*row, public_id, now, now, *values) for row, public_id in zip(rows, new_public_ids(len(rows)), strict=True)],
        ignore_conflicts=True,
    )


_NO_ORGANISATION = (0, "")


def organisation_of(
    key: OrganisationKey | None, organisations: dict[OrganisationKey, tuple[int, str]]
) -> tuple[int, str]:
    return organisations.get(key, _NO_ORGANISATION) if key is not None else _NO_ORGANISATION
