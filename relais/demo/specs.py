"""Shapes of the demo content. The content itself lives in `data/`; `loader.py` writes it to the database."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal


def _luhn_complete(digits: str) -> str:
    """Append the digit that makes `digits` pass the Luhn check (the key of SIREN and SIRET numbers)."""
    for last in "0123456789":
        candidate = digits + last
        total = 0
        for index, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def demo_siret(key: str) -> str:
    """A valid, fictional SIRET derived from a stable key, so that every load gives the same number.

    The SIREN starts with "000" so that demo numbers stand out and do not reuse a real organisation's; the rest comes
    from a hash of the key, then the SIREN and the whole SIRET get their Luhn keys (establishment "0001x").
    """
    digest = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    siren = _luhn_complete(f"000{digest % 100000:05d}")
    return _luhn_complete(f"{siren}0001")


@dataclass(frozen=True)
class NetworkSpec:
    slug: str
    name: str
    acronym: str
    scope: str
    description: str
    region_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferentSpec:
    full_name: str
    position: str
    email: str


@dataclass(frozen=True)
class MembershipSpec:
    network: str  # network slug
    since: dt.date
    technician: ReferentSpec
    # A State service has no elected official to name.
    elected: ReferentSpec | None = None


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    kind: str
    departement: str  # INSEE code
    city: str
    description: str
    buyer_category: str = ""
    support_category: str = ""
    structures: tuple[tuple[str, str], ...] = ()  # (structure type, evidence)
    memberships: tuple[MembershipSpec, ...] = ()

    @property
    def siret(self) -> str:
        return demo_siret(self.key)


@dataclass(frozen=True)
class RoleSpec:
    network: str  # network slug
    role: str
    organisation: str | None = None  # organisation key


@dataclass(frozen=True)
class AccountSpec:
    email: str
    full_name: str
    description: str  # what the account shows, for the table printed by `demo_accounts`
    roles: tuple[RoleSpec, ...] = ()
    site_admin: bool = False


@dataclass(frozen=True)
class CriterionSpec:
    kind: str
    label: str
    weight: int


@dataclass(frozen=True)
class ImpactSpec:
    label: str
    value: Decimal
    unit: str = ""


@dataclass(frozen=True)
class SheetSpec:
    """One case sheet and the workflow state it ends in (published, submitted, returned or draft)."""

    network: str
    author: str  # account e-mail
    status: str
    visibility: str
    title: str
    summary: str
    themes: tuple[str, ...]
    contract_type: str
    procedure: str
    main_cpv: str
    duration_months: int
    buyers: tuple[tuple[str, str], ...]  # (organisation key, buyer role)
    stakeholders: tuple[tuple[str, str], ...] = ()  # (organisation key, stakeholder role)
    criteria: tuple[CriterionSpec, ...] = ()
    impacts: tuple[ImpactSpec, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (title, url)
    additional_cpvs: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    lots_count: int = 1
    lots_description: str = ""
    is_purchasing_group: bool = False
    amount_exact: Decimal | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    notification_date: dt.date | None = None
    departement: str | None = None
    region: str | None = None
    has_insertion_clause: bool = False
    insertion_hours: int | None = None
    has_social_criterion: bool = False
    reserved_basis: str = ""
    has_environmental_clause: bool = False
    has_environmental_criterion: bool = False
    labels_required: str = ""
    is_fair_trade: bool = False
    is_innovative: bool = False
    context: str = ""
    actions: str = ""
    value_for_buyer: str = ""
    value_for_supplier: str = ""
    lessons: str = ""
    advice: str = ""
    published_on: dt.date | None = None
    return_comment: str = ""
