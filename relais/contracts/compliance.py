"""Legal checks over the DECP contracts (issue 4): the environmental and social conditions of art. 35 of the Climate
and Resilience law (law no. 2021-1104, CCP art. L2112-2 and L2152-7), rates per scope and per buyer, and a buyer's
contracts that fail them.

Environmental check. From the date of the dated rule `climate_resilience/environmental_condition_and_criterion`
(2026-08-21), every contract must carry an environmental consideration, defence and security contracts excepted
(nature "Marché de défense ou de sécurité"). Contracts notified from that date are checked; "non-compliant" means
the file says "Pas de considération environnementale"; an unknown status is kept apart, never counted as "none".
The law speaks of consultations engaged from that date, which DECP does not give: the notification date stands in
for it (`proxy_note`), so contracts notified soon after the date may have been launched before it.

Social check. Contracts at or above the EU threshold must carry a social execution condition, from the date of
`climate_resilience/social_condition_above_eu_threshold` (also 2026-08-21). The threshold is the one in force on the
notification date (`eu_threshold` rules, 2020 onwards), by kind of contract and buyer:
- works contracts: `eu_threshold/works`; concessions: `eu_threshold/concessions`;
- supplies and services: the State's threshold (`supplies_services_state`) when the buyer's SIREN starts with 1,
  the local authorities' and other buyers' one (`supplies_services_local`) otherwise. This is a heuristic: French
  public legal persons of the State have SIRENs starting with 1, local authorities and other public bodies with 2,
  but a few State bodies are not "central government authorities" of the directive (and the reverse);
- utilities (entités adjudicatrices, higher thresholds) cannot be told apart in DECP, nor can social and other
  specific services (750 k€): both are checked against the ordinary threshold, which may flag contracts below their
  true threshold;
- contracts of unknown category (no CPV code) and defence and security contracts (whose thresholds, directive
  2009/81/EC, are not in the table) are not checked.
The check is computed for every date (`social_above_threshold`: how far buyers are from the rule) and, apart, for
contracts notified from the date the condition became compulsory (`social_bound`: non-compliance proper).

Amounts: the initial amount notified, when plausible (see `indicators`). The counts are computed when the cubes are
rebuilt (`cubes.indicators_refresh`, with the rules in the database then); lists of contracts are read live.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db import models
from django.db.models import Max, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from relais.reference.queries import rule_versions

from .decp.records import MAX_PLAUSIBLE_AMOUNT
from .enums import ConsiderationStatus, ContractKind, ContractType, Nature
from .indicators import Buyer, Country, Scope, buyer_contracts, buyer_year_rows, cube_rows
from .models import Contract

ENVIRONMENTAL_RULE = ("climate_resilience", "environmental_condition_and_criterion")
SOCIAL_RULE = ("climate_resilience", "social_condition_above_eu_threshold")
# The EU thresholds DECP lets us choose between (utilities and social services cannot be recognised).
THRESHOLD_CODES = ("works", "supplies_services_state", "supplies_services_local", "concessions")
# INSEE gives the public legal persons of the State SIRENs starting with 1 (local authorities and others: 2).
STATE_SIREN_PREFIX = "1"

# A plausible initial amount: the only amounts the indicators sum and the thresholds compare (NULL never matches).
PLAUSIBLE_AMOUNT = Q(amount__gte=0, amount__lte=MAX_PLAUSIBLE_AMOUNT)

_NOT_DEFENCE = ~Q(nature=Nature.DEFENCE)
_SUPPLIES_SERVICES = Q(kind=ContractKind.CONTRACT, contract_type__in=[ContractType.SUPPLIES, ContractType.SERVICES])
_STATE_BUYER = Q(buyer_identifier__startswith=STATE_SIREN_PREFIX)
_CONTRACTS_OF_CODE = {
    "works": Q(kind=ContractKind.CONTRACT, contract_type=ContractType.WORKS),
    "supplies_services_state": _SUPPLIES_SERVICES & _STATE_BUYER,
    "supplies_services_local": _SUPPLIES_SERVICES & ~_STATE_BUYER,
    "concessions": Q(kind=ContractKind.CONCESSION),
}


class Check(models.TextChoices):
    """The two legal checks a list of contracts can be asked for."""

    ENVIRONMENTAL = "environmental", _("Considération environnementale obligatoire (art. 35, loi Climat et résilience)")
    SOCIAL = "social", _("Condition sociale obligatoire au-delà des seuils européens (art. 35)")


def _rule_start(kind: str, code: str) -> dt.date | None:
    versions = rule_versions(kind, code)
    return versions[0].valid_from if versions else None


def environmental_obligation_date() -> dt.date | None:
    """The date from which every contract must carry an environmental consideration (2026-08-21), from the rules."""
    return _rule_start(*ENVIRONMENTAL_RULE)


def social_obligation_date() -> dt.date | None:
    """The date from which contracts at or above the EU thresholds must carry a social condition (2026-08-21)."""
    return _rule_start(*SOCIAL_RULE)


def proxy_note(since: dt.date) -> str:
    """The sentence pages show next to the checks: the notification date stands in for the consultation's."""
    return (
        f"La loi vise les consultations engagées à partir du {since:%d/%m/%Y}. Les données essentielles ne donnant pas "
        "cette date, la date de notification en tient lieu : un marché notifié après cette date a pu être lancé avant."
    )


@dataclass(frozen=True)
class EuThreshold:
    """One version of an EU threshold (€ excl. VAT) with its validity and legal reference."""

    code: str
    value: Decimal
    valid_from: dt.date
    valid_until: dt.date | None
    legal_reference: str

    def covers(self, day: dt.date) -> bool:
        """Whether this version is in force on a day."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def eu_thresholds() -> list[EuThreshold]:
    """Every version of the EU thresholds the checks use, from the dated legal rules."""
    return [
        EuThreshold(rule.code, rule.value, rule.valid_from, rule.valid_until, rule.legal_reference)
        for rule in rule_versions("eu_threshold")
        if rule.code in THRESHOLD_CODES and rule.value is not None
    ]


def threshold_code(*, kind: str, contract_type: str, buyer_identifier: str) -> str | None:
    """Which EU threshold applies to a contract (None: not checked). The same rule as the SQL conditions."""
    if kind == ContractKind.CONCESSION:
        return "concessions"
    if contract_type == ContractType.WORKS:
        return "works"
    if contract_type in (ContractType.SUPPLIES, ContractType.SERVICES):
        state = buyer_identifier.startswith(STATE_SIREN_PREFIX)
        return "supplies_services_state" if state else "supplies_services_local"
    return None


def eu_threshold_for(contract: Contract, thresholds: Iterable[EuThreshold] | None = None) -> EuThreshold | None:
    """The EU threshold in force on a contract's notification date for its kind and buyer, if any (defence and
    security contracts, contracts without a date or of unknown category have none)."""
    if contract.nature == Nature.DEFENCE or contract.notified_on is None:
        return None
    code = threshold_code(
        kind=contract.kind, contract_type=contract.contract_type, buyer_identifier=contract.buyer_identifier
    )
    day = contract.notified_on
    candidates = eu_thresholds() if thresholds is None else thresholds
    return next((t for t in candidates if t.code == code and t.covers(day)), None)


def environmental_checked(since: dt.date) -> Q:
    """Contracts subject to the environmental check: notified from `since`, defence and security excluded."""
    return Q(notified_on__gte=since) & _NOT_DEFENCE


def above_eu_threshold(thresholds: Iterable[EuThreshold]) -> Q | None:
    """Contracts whose plausible amount is at or above ("égal ou supérieur") the EU threshold in force on their
    notification date for their kind and buyer (None when no threshold is known)."""
    thresholds = list(thresholds)
    if not thresholds:
        return None
    branches = [
        Q(amount__gte=t.value)
        & Q(notified_on__gte=t.valid_from)
        & (Q(notified_on__lte=t.valid_until) if t.valid_until else Q())
        & _CONTRACTS_OF_CODE[t.code]
        for t in thresholds
    ]
    # Cheap tests first: most contracts are below every threshold and stop there (both databases evaluate AND
    # left to right), which keeps the cube refresh fast.
    lowest = min(t.value for t in thresholds)
    return Q(amount__gte=lowest) & PLAUSIBLE_AMOUNT & _NOT_DEFENCE & reduce(operator.or_, branches)


def check_conditions() -> dict[str, Q | None]:
    """The condition of each check measure of the cubes (`models.CubeMeasures`), with the rules of the database;
    None when a rule is missing (the measure is then 0)."""
    since = environmental_obligation_date()
    social_since = social_obligation_date()
    checked = environmental_checked(since) if since else None
    above = above_eu_threshold(eu_thresholds())
    bound = Q(notified_on__gte=social_since) & above if above is not None and social_since else None

    def with_status(condition: Q | None, field: str, status: str) -> Q | None:
        # The status first: the threshold test then runs only for the contracts of that status.
        return Q(**{field: status}) & condition if condition is not None else None

    return {
        "art35_checked": checked,
        "art35_environmental_none": with_status(checked, "environmental_status", ConsiderationStatus.NONE),
        "art35_environmental_unknown": with_status(checked, "environmental_status", ConsiderationStatus.UNKNOWN),
        "eu_above": above,
        "eu_above_social_none": with_status(above, "social_status", ConsiderationStatus.NONE),
        "eu_above_social_unknown": with_status(above, "social_status", ConsiderationStatus.UNKNOWN),
        "eu_bound": bound,
        "eu_bound_social_none": with_status(bound, "social_status", ConsiderationStatus.NONE),
        "eu_bound_social_unknown": with_status(bound, "social_status", ConsiderationStatus.UNKNOWN),
    }


# The cube columns of the checks, in the order of `check_conditions`.
CHECK_COLUMNS = (
    "art35_checked",
    "art35_environmental_none",
    "art35_environmental_unknown",
    "eu_above",
    "eu_above_social_none",
    "eu_above_social_unknown",
    "eu_bound",
    "eu_bound_social_none",
    "eu_bound_social_unknown",
)


@dataclass(frozen=True)
class CheckCounts:
    """Contracts subject to one check: `subject` of them, `without` the consideration ("Pas de considération …":
    non-compliant where the obligation applies), `unknown` whose status is not given (kept apart: neither compliant
    nor not). Rates are shares of the contracts whose status is known."""

    subject: int
    without: int
    unknown: int

    @property
    def known(self) -> int:
        """Subject contracts whose status is known ("none" or at least one consideration)."""
        return self.subject - self.unknown

    @property
    def with_consideration(self) -> int:
        """Subject contracts with at least one consideration of the kind (compliant)."""
        return self.known - self.without

    @property
    def rate_without(self) -> float | None:
        """Share of known contracts without the consideration (the non-compliance rate), None when none is known."""
        return self.without / self.known if self.known else None

    @property
    def coverage(self) -> float | None:
        """Share of the subject contracts whose status is known."""
        return self.known / self.subject if self.subject else None


@dataclass(frozen=True)
class Compliance:
    """The three checks of a scope or a buyer: `environmental` (contracts notified from `environmental_since`),
    `social_above_threshold` (every contract at or above its EU threshold, whatever its date) and `social_bound` (those
    notified from `social_since`, when the social condition is compulsory)."""

    environmental: CheckCounts
    social_above_threshold: CheckCounts
    social_bound: CheckCounts
    environmental_since: dt.date | None
    social_since: dt.date | None


@dataclass(frozen=True)
class BuyerCompliance:
    """One buyer identifier (as published), its name, and its checks."""

    identifier: str
    name: str
    compliance: Compliance


def _compliance(row: dict[str, Any], environmental_since: dt.date | None, social_since: dt.date | None) -> Compliance:
    def get(column: str) -> int:
        return int(row.get(f"sum_{column}") or 0)

    return Compliance(
        environmental=CheckCounts(
            get("art35_checked"), get("art35_environmental_none"), get("art35_environmental_unknown")
        ),
        social_above_threshold=CheckCounts(
            get("eu_above"), get("eu_above_social_none"), get("eu_above_social_unknown")
        ),
        social_bound=CheckCounts(get("eu_bound"), get("eu_bound_social_none"), get("eu_bound_social_unknown")),
        environmental_since=environmental_since,
        social_since=social_since,
    )


def _check_sums() -> dict[str, Sum]:
    return {f"sum_{column}": Sum(column) for column in CHECK_COLUMNS}


def compliance_for(scope: Scope, *, years: Iterable[int] | None = None) -> Compliance:
    """The checks of a scope (buyer, network, territory, country), over the years given (None: all), from the cubes."""
    rows = cube_rows(scope)
    if years is not None:
        rows = rows.filter(year__in=list(years))
    return _compliance(rows.aggregate(**_check_sums()), environmental_obligation_date(), social_obligation_date())


def compliance_by_buyer(
    scope: Scope | None = None, *, check: Check, years: Iterable[int] | None = None, limit: int | None = 100
) -> list[BuyerCompliance]:
    """Rates per buyer identifier within a scope (None: the country), for the buyers subject to `check`, those with
    the most contracts without the consideration first (environmental: art. 35 contracts; social: contracts at or
    above the EU threshold, every date). Within a territory, a buyer's contracts executed there."""
    rows = buyer_year_rows(scope if scope is not None else Country())
    if years is not None:
        rows = rows.filter(year__in=list(years))
    # Typed loosely: the sums are named at run time, which the type checker's plugin cannot follow.
    grouped: QuerySet[Any, Any] = rows.values("buyer_identifier").annotate(name=Max("buyer_name"), **_check_sums())
    if check == Check.ENVIRONMENTAL:
        grouped = grouped.filter(sum_art35_checked__gt=0).order_by(
            "-sum_art35_environmental_none", "-sum_art35_checked", "buyer_identifier"
        )
    else:
        grouped = grouped.filter(sum_eu_above__gt=0).order_by(
            "-sum_eu_above_social_none", "-sum_eu_above", "buyer_identifier"
        )
    if limit is not None:
        grouped = grouped[:limit]
    environmental_since, social_since = environmental_obligation_date(), social_obligation_date()
    return [
        BuyerCompliance(row["buyer_identifier"], row["name"] or "", _compliance(row, environmental_since, social_since))
        for row in grouped
    ]


def non_compliant_contracts(
    buyer: Buyer, *, check: Check, include_unknown: bool = False, from_obligation: bool = True
) -> QuerySet[Contract]:
    """A buyer's contracts failing a check, newest first: environmental — notified from the obligation date (defence
    excluded) with "Pas de considération environnementale"; social — at or above their EU threshold without a social
    consideration, notified from the obligation date (every date when `from_obligation` is False: not a breach
    before it). `include_unknown` adds the contracts whose status is unknown."""
    condition: Q | None
    if check == Check.ENVIRONMENTAL:
        since = environmental_obligation_date()
        condition, field = (environmental_checked(since) if since else None), "environmental_status"
    else:
        social_since = social_obligation_date() if from_obligation else None
        condition, field = above_eu_threshold(eu_thresholds()), "social_status"
        if from_obligation:
            condition = Q(notified_on__gte=social_since) & condition if condition is not None and social_since else None
    if condition is None:
        return Contract.objects.none()
    statuses = [ConsiderationStatus.NONE, *([ConsiderationStatus.UNKNOWN] if include_unknown else [])]
    return buyer_contracts(buyer).filter(condition, **{f"{field}__in": statuses}).order_by("-notified_on", "-pk")
