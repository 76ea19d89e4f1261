"""Reads of the public-contract data: import runs and their quarantine; a contract, its considerations in words,
and a holder's track record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Final
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from relais.organisations.models import Organisation

from .decp.records import MAX_PLAUSIBLE_AMOUNT
from .enums import ConsiderationStatus, QualityFlag
from .models import Contract, ContractHolder, ContractModification, ImportRun, QuarantinedRecord

QUARANTINE_SHOWN = 50
# Extensions of DECP files in a folder (the content decides the format; these only skip unrelated files).
FOLDER_EXTENSIONS = (".json", ".xml", ".csv")


def recent_runs(limit: int = 100) -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("requested_by").order_by("-created_at", "-pk")[:limit]


def quarantine_sample(run: ImportRun) -> QuerySet[QuarantinedRecord]:
    return run.quarantine.order_by("position")[:QUARANTINE_SHOWN]


def import_folder_files() -> list[Path]:
    """DECP files waiting in the import folder (the uploads and what an administrator dropped there)."""
    folder = Path(settings.DECP_IMPORT_DIR)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FOLDER_EXTENSIONS)


# ── A contract ──────────────────────────────────────────────────────────────────────────────────────────────────────

UNKNOWN_CONSIDERATIONS: Final = "Non renseigné (format 2019)"
# Identifiers that identify nothing (empty, made of zeros): such a contract has no DECP identifier to quote.
_MEANINGLESS_IDENTIFIER = (1 << int(QualityFlag.IDENTIFIER_EMPTY)) | (1 << int(QualityFlag.IDENTIFIER_ZEROED))
PLAUSIBLE_AMOUNT: Final = Q(amount__gte=0, amount__lte=MAX_PLAUSIBLE_AMOUNT)


def contract_by_public_id(public_id: UUID) -> Contract | None:
    """A contract with everything its page shows: buyer, département and région, runs, holders (and their
    organisations) in the file's order, modifications in order."""
    return (
        Contract.objects.select_related("buyer", "departement__region", "first_run", "last_run")
        .prefetch_related(
            Prefetch("holders", queryset=ContractHolder.objects.select_related("organisation").order_by("rank")),
            Prefetch("modifications", queryset=ContractModification.objects.order_by("rank")),
        )
        .filter(public_id=public_id)
        .first()
    )


def decp_identifier(contract: Contract) -> str:
    """The DECP identifier of a contract, as the consolidated data writes it: the buyer's identifier followed by the
    contract's ("" when the contract's identifier is empty or made of zeros)."""
    if not contract.identifier or contract.quality_flags & _MEANINGLESS_IDENTIFIER:
        return ""
    return f"{contract.buyer_identifier}{contract.identifier}"


def social_considerations(contract: Contract) -> str:
    """The social considerations in words. "Unknown" (the 2019 format has no such field) is never shown as none."""
    if contract.social_status == ConsiderationStatus.UNKNOWN:
        return UNKNOWN_CONSIDERATIONS
    if contract.social_status == ConsiderationStatus.NONE:
        return "Aucune considération sociale"
    kinds = [
        label
        for present, label in (
            (contract.social_clause, "clause sociale"),
            (contract.social_criterion, "critère social"),
            (contract.reserved, "marché réservé"),
        )
        if present
    ]
    return ", ".join(kinds).capitalize() if kinds else "Au moins une considération sociale (nature non reconnue)"


def environmental_considerations(contract: Contract) -> str:
    """The environmental considerations in words, "unknown" never shown as none."""
    if contract.environmental_status == ConsiderationStatus.UNKNOWN:
        return UNKNOWN_CONSIDERATIONS
    if contract.environmental_status == ConsiderationStatus.NONE:
        return "Aucune considération environnementale"
    kinds = [
        label
        for present, label in (
            (contract.environmental_clause, "clause environnementale"),
            (contract.environmental_criterion, "critère environnemental"),
        )
        if present
    ]
    return (
        ", ".join(kinds).capitalize() if kinds else "Au moins une considération environnementale (nature non reconnue)"
    )


# ── A holder's track record ─────────────────────────────────────────────────────────────────────────────────────────

TRACK_RECORD_YEARS: Final = 3
TRACK_RECORD_SHOWN: Final = 100


@dataclass(frozen=True)
class YearRecord:
    year: int
    count: int
    amount: Decimal  # plausible amounts only
    unvalued: int  # contracts of the year whose amount is absent or implausible


@dataclass
class TrackRecord:
    organisation: Organisation
    since: dt.date
    count: int
    amount: Decimal
    unvalued: int
    by_year: list[YearRecord]  # newest year first
    contracts: list[Contract]  # newest first, at most TRACK_RECORD_SHOWN

    @property
    def has_more(self) -> bool:
        return self.count > len(self.contracts)


def track_record_start(today: dt.date) -> dt.date:
    """The first day of the track record: the same day TRACK_RECORD_YEARS years ago (28 February for a 29th)."""
    year = today.year - TRACK_RECORD_YEARS
    return today.replace(year=year, day=28) if (today.month, today.day) == (2, 29) else today.replace(year=year)


def holder_track_record(organisation: Organisation, *, since: dt.date) -> TrackRecord:
    """The contracts an organisation won, alone or with others, notified on or after `since`: how many, the sum of
    their initial amounts and the same by year, and the newest of them.

    Sums keep to plausible amounts (0 ≤ amount ≤ `decp.records.MAX_PLAUSIBLE_AMOUNT`): a contract whose amount is
    absent or absurd counts in the numbers and in `unvalued`, never in the sums. A contract won by a group counts
    its whole amount for each member: the data does not give the shares. Contracts without a notification date
    cannot be placed in the period and are left out."""
    won = Contract.objects.filter(
        pk__in=ContractHolder.objects.filter(organisation=organisation).values("contract_id"),
        notified_on__gte=since,
    )
    rows = (
        won.order_by()
        .values("notified_year")
        .annotate(
            count=Count("pk"),
            valued=Count("pk", filter=PLAUSIBLE_AMOUNT),
            amount=Sum("amount", filter=PLAUSIBLE_AMOUNT),
        )
        .order_by("-notified_year")
    )
    by_year = [
        YearRecord(
            year=row["notified_year"],
            count=row["count"],
            amount=row["amount"] or Decimal(0),
            unvalued=row["count"] - row["valued"],
        )
        for row in rows
        if row["notified_year"] is not None  # always set when notified_on is
    ]
    return TrackRecord(
        organisation=organisation,
        since=since,
        count=sum(year.count for year in by_year),
        amount=sum((year.amount for year in by_year), Decimal(0)),
        unvalued=sum(year.unvalued for year in by_year),
        by_year=by_year,
        contracts=list(won.select_related("departement").order_by("-notified_on", "-pk")[:TRACK_RECORD_SHOWN]),
    )
