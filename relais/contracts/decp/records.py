"""The records the DECP pipeline passes from step to step: read → parse leniently → validate → normalise → load.

A reader yields `RawRecord`s (one contract or concession as found in the file, with its position); the parser
turns each into a `ContractRecord` (values normalised, defects recorded as `Defect`s) or a `Rejected` one that
goes to the quarantine table with its raw text and reason. These are plain slotted dataclasses: at 1.5 million
records the pipeline builds millions of them, and nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from ..enums import (
    ConsiderationStatus,
    ContractKind,
    EnvironmentalConsideration,
    Nature,
    Procedure,
    QualityFlag,
    QuarantineReason,
    SocialConsideration,
    SourceFormat,
)

# Above this amount (10 billion euros excl. VAT, more than any French public contract) a declared amount is a
# placeholder or a typing error (real files hold 1e17): it is kept out of value indicators and flagged.
MAX_PLAUSIBLE_AMOUNT = Decimal("10000000000")
# Amounts are stored with 2 decimals in 20 digits: beyond this the declared value cannot be stored at all.
MAX_STORABLE_AMOUNT = Decimal("1000000000000000")
# Notification dates before this are typing errors (DECP started in 2018; older contracts are not published).
EARLIEST_PLAUSIBLE_DATE = dt.date(2000, 1, 1)
MAX_PLAUSIBLE_DURATION_MONTHS = 1200  # 100 years: concessions run long, not longer


@dataclass(slots=True)
class RawRecord:
    """One record as read: its parsed JSON/XML/CSV content (`data`), the format, and where it was in the file
    (`position`: 0-based index of the record in the file, used to resume an interrupted run)."""

    data: Any
    source_format: SourceFormat
    kind: ContractKind
    position: int


@dataclass(slots=True)
class Defect:
    flag: QualityFlag
    detail: str = ""


@dataclass(slots=True)
class Party:
    """A buyer, holder (titulaire) or concession holder: identifier as written (spaces removed), its type
    (SIRET, TVA, TAHITI, RIDET, FRWF, IREP, UE, HORS-UE) and a name when the file gives one."""

    identifier: str
    id_type: str = "SIRET"
    name: str = ""


@dataclass(slots=True)
class ModificationRecord:
    """An amendment (modification) of the contract: new duration, amount or holders, in the order of its `number`
    (the DECP `id` of the modification), else of its notification date."""

    number: int | None
    notified_on: dt.date | None
    published_on: dt.date | None
    duration_months: int | None = None
    amount: Decimal | None = None
    holders: list[Party] = field(default_factory=list)
    object: str = ""


@dataclass(slots=True)
class ContractRecord:
    """A contract or concession normalised from any format.

    `social` / `environmental` are None when the format cannot say (2019 format, or no field): "unknown", never
    "none". `amount` is None when absent, "NC" or not storable; the value declared is kept in `defects`."""

    source_format: SourceFormat
    kind: ContractKind
    position: int
    identifier: str
    buyer: Party | None
    object: str = ""
    nature: Nature = Nature.UNKNOWN
    procedure: Procedure = Procedure.UNKNOWN
    techniques: list[str] = field(default_factory=list)
    execution_modalities: list[str] = field(default_factory=list)
    cpv: str = ""  # as written, normalised to "dddddddd-d" when it has a check digit, "dddddddd" otherwise
    amount: Decimal | None = None
    duration_months: int | None = None
    notified_on: dt.date | None = None  # concessions: the signature date (they have no notification date)
    published_on: dt.date | None = None
    execution_started_on: dt.date | None = None  # concessions only (dateDebutExecution)
    place_code: str = ""
    place_type: str = ""
    departement: str = ""  # INSEE code derived from the place by the validation step, "" when none applies
    offers_received: int | None = None
    price_form: str = ""
    innovative: bool | None = None
    framework_identifier: str = ""
    social: frozenset[SocialConsideration] | None = None
    environmental: frozenset[EnvironmentalConsideration] | None = None
    holders: list[Party] = field(default_factory=list)
    modifications: list[ModificationRecord] = field(default_factory=list)
    defects: list[Defect] = field(default_factory=list)
    # Set by the import's preparation (`prepare.prepare_record`, in the reader process): identity key, content hash,
    # search terms (a sorted JSON list), column values, organisation keys. Empty until then.
    uid: str = ""
    digest: str = ""
    terms_json: str = ""
    row: tuple[Any, ...] = ()  # the values of the contract's columns that depend on the record alone
    organisation_keys: tuple[Any, ...] = ()  # ("siret"|"siren", value) or None: the buyer's, then each holder's

    def flag(self, flag: QualityFlag, detail: str = "") -> None:
        self.defects.append(Defect(flag, detail))

    @property
    def social_status(self) -> ConsiderationStatus:
        return consideration_status(self.social, SocialConsideration.NONE)

    @property
    def environmental_status(self) -> ConsiderationStatus:
        return consideration_status(self.environmental, EnvironmentalConsideration.NONE)


def consideration_status(values: frozenset[Any] | None, none_value: Any) -> ConsiderationStatus:
    """Unknown without considerations, none when "Pas de considération…" is the only one, some otherwise."""
    if not values:
        return ConsiderationStatus.UNKNOWN
    if len(values) > 1 or none_value not in values:  # another value than `none_value`, without building a set
        return ConsiderationStatus.SOME
    return ConsiderationStatus.NONE


@dataclass(slots=True)
class Rejected:
    """A record that cannot be read at all: it goes to quarantine with its raw text and the reason."""

    position: int
    raw_text: str
    reason: QuarantineReason
    detail: str = ""


def _pickled_by_position(cls: type[Any]) -> None:
    """Pickle as (class, field values): a slotted dataclass otherwise pickles through a generic `__getstate__` that
    lists its fields for every object, which made sending parsed records to the import's main process cost more
    than parsing them."""
    getter = operator.attrgetter(*(item.name for item in fields(cls)))

    def __reduce__(self: Any) -> tuple[type[Any], tuple[Any, ...]]:
        return cls, getter(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment]


for _class in (Defect, Party, ModificationRecord, ContractRecord, Rejected):
    _pickled_by_position(_class)
