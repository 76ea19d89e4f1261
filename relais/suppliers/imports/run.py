"""The steps of a bulk import: upload → column mapping → preview → apply (all or nothing) → report.

`column_mapping` holds the file's headers and the chosen mapping (field → column index); `counts` holds the phase
the import is in (the model's status only tells previewed / applied / failed) and the figures of the preview, then
of the application. Lines are read in batches of BATCH, looked up against the directory with one query per batch
and written with bulk inserts, so that a list of 100,000 structures takes seconds, not hours.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.db.models import Model, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.accounts.models import User
from relais.contracts.bulk import insert_rows, new_public_ids
from relais.networks.models import Network
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation, OrganisationStructure

from .. import reindex
from ..enums import ImportOutcome, ImportStatus
from ..models import SupplierContact, SupplierImport, SupplierImportRow, SupplierProfile
from ..services import SupplierError
from .lines import Judged, departement_index, judge
from .reading import FIELDS, REQUIRED_FIELDS, SupplierList, guess_mapping

BATCH = 2000
ROW_COLUMNS = ("supplier_import_id", "line", "siret", "data", "outcome", "reason")
ORGANISATION_COLUMNS = (
    "name", "kind", "siret", "siren", "buyer_category", "support_category", "departement_id", "city", "website",
    "description",
)  # fmt: skip
PROFILE_COLUMNS = (
    "organisation_id", "address", "postcode", "latitude", "longitude", "staff_insertion", "staff_permanent",
    "turnover_band", "public_listing", "public_listing_agreed_at", "logo",
)  # fmt: skip
CLAIMABLE = (OrganisationKind.SUPPLIER, OrganisationKind.COMPANY)
MAPPING, PREVIEWING, PREVIEWED, APPLYING, APPLIED, FAILED = (
    "mapping", "previewing", "previewed", "applying", "applied", "failed",
)  # fmt: skip


def phase(supplier_import: SupplierImport) -> str:
    return str(supplier_import.counts.get("phase", MAPPING))


def _batches(items: Iterator[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def supplier_import_create(*, network: Network, by: User, path: Path, filename: str) -> SupplierImport:
    """Record an uploaded list after reading its header; an unreadable or empty file is refused (nothing kept)."""
    listing = SupplierList(path)
    supplier_import = SupplierImport(
        network=network,
        created_by=by,
        filename=Path(filename).name[:255],
        column_mapping={"headers": listing.headers, "fields": guess_mapping(listing.headers)},
        counts={"phase": MAPPING, "encoding": listing.encoding, "delimiter": listing.delimiter, "kind": listing.kind},
    )
    with path.open("rb") as handle:
        supplier_import.file.save(f"{timezone.now():%Y%m%d%H%M%S}{path.suffix.lower()}", File(handle), save=True)
    return supplier_import


def mapping_check(supplier_import: SupplierImport, mapping: dict[str, int]) -> dict[str, int]:
    headers = supplier_import.column_mapping.get("headers", [])
    clean = {f: int(i) for f, i in mapping.items() if f in FIELDS and i is not None and int(i) >= 0}
    missing = [str(FIELDS[f]) for f in REQUIRED_FIELDS if f not in clean]
    if missing:
        raise SupplierError(_("Indiquez la colonne de : %(fields)s.") % {"fields": ", ".join(missing)})
    if any(i >= len(headers) for i in clean.values()):
        raise SupplierError(_("Une colonne choisie n'existe pas dans le fichier."))
    taken: dict[int, str] = {}
    for field, index in clean.items():
        if index in taken:
            raise SupplierError(
                _("La colonne « %(column)s » est choisie pour « %(first)s » et « %(second)s ».")
                % {"column": headers[index], "first": FIELDS[taken[index]], "second": FIELDS[field]}
            )
        taken[index] = field
    return clean


def _existing(sirets: list[str]) -> dict[str, tuple[int, str]]:
    return {
        siret or "": (pk, kind)
        for siret, pk, kind in Organisation.objects.filter(siret__in=sirets).values_list("siret", "pk", "kind")
    }


@contextmanager
def _local_file(supplier_import: SupplierImport) -> Iterator[Path]:
    """The uploaded list as a local file: its own path on disk storage, a temporary copy from a bucket."""
    try:
        local: str | None = supplier_import.file.path
    except NotImplementedError:  # S3-compatible storage has no path
        local = None
    if local is not None:
        yield Path(local)
        return
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / Path(supplier_import.file.name or "liste").name
        with supplier_import.file.open("rb") as source, copy.open("wb") as target:
            shutil.copyfileobj(source, target)
        yield copy


def supplier_import_mark_queued(*, supplier_import: SupplierImport, next_phase: str) -> None:
    supplier_import.counts = {**supplier_import.counts, "phase": next_phase, "done": 0}
    supplier_import.save(update_fields=["counts", "updated_at"])


def supplier_import_preview(*, supplier_import: SupplierImport, mapping: dict[str, int]) -> SupplierImport:
    """Judge every line (bad SIRET, unknown structure type or département, SIRET twice in the file, SIRET of a
    buyer…) and say whether it would create or update a supplier. Nothing is written to the directory."""
    if supplier_import.status != ImportStatus.PREVIEWED:
        raise SupplierError(_("Cet import a déjà été appliqué : déposez de nouveau le fichier pour un nouvel import."))
    mapping = mapping_check(supplier_import, mapping)
    started = time.monotonic()
    supplier_import.rows.all().delete()
    supplier_import.column_mapping = {**supplier_import.column_mapping, "fields": mapping}
    supplier_import.counts = {**supplier_import.counts, "phase": PREVIEWING, "done": 0}
    supplier_import.error = ""
    supplier_import.save(update_fields=["column_mapping", "counts", "error", "updated_at"])
    departements = departement_index()
    seen: dict[str, int] = {}
    counts: dict[str, int] = {ImportOutcome.CREATE: 0, ImportOutcome.UPDATE: 0, ImportOutcome.REJECT: 0}
    with _local_file(supplier_import) as path:
        lines = SupplierList(path).lines()
        next(lines)  # the header
        for batch in _batches(lines):
            judged: list[tuple[int, dict[str, str], Judged]] = []
            for number, cells in batch:
                values = {f: (cells[i] if i < len(cells) else "") for f, i in mapping.items()}
                judged.append((number, values, judge(values, departements)))
            existing = _existing([j.siret for _n, _v, j in judged if not j.rejected])
            rows = []
            for number, values, result in judged:
                outcome, reason = _outcome(result, number, seen, existing)
                counts[outcome] += 1
                rows.append((supplier_import.pk, number, result.siret, values, outcome, reason[:500]))
            insert_rows(SupplierImportRow, ROW_COLUMNS, rows)
            done = sum(counts.values())
            SupplierImport.objects.filter(pk=supplier_import.pk).update(counts={**supplier_import.counts, "done": done})
    supplier_import.counts = {
        **supplier_import.counts,
        "phase": PREVIEWED,
        "done": sum(counts.values()),
        "lines": sum(counts.values()),
        "preview": {str(k): v for k, v in counts.items()},
        "preview_seconds": round(time.monotonic() - started, 2),
    }
    supplier_import.save(update_fields=["counts", "updated_at"])
    return supplier_import


def _outcome(
    result: Judged, number: int, seen: dict[str, int], existing: dict[str, tuple[int, str]]
) -> tuple[str, str]:
    if result.rejected:
        return ImportOutcome.REJECT, result.reason
    if result.siret in seen:
        return ImportOutcome.REJECT, _("SIRET en double dans le fichier (déjà ligne %(line)s).") % {
            "line": seen[result.siret]
        }
    seen[result.siret] = number
    found = existing.get(result.siret)
    if found is None:
        if not result.name:
            return ImportOutcome.REJECT, _("Raison sociale manquante : elle est nécessaire pour créer la structure.")
        return ImportOutcome.CREATE, ""
    if found[1] not in CLAIMABLE:
        return ImportOutcome.REJECT, _("Ce SIRET est celui d'un acheteur public ou d'un opérateur de l'annuaire.")
    return ImportOutcome.UPDATE, ""


def supplier_import_apply(*, supplier_import: SupplierImport, by: User) -> SupplierImport:
    """Write the previewed lines to the directory in ONE transaction: a failure leaves the directory untouched and
    the import marked failed with the error. Known SIRETs are completed (empty fields filled, structure types
    added, a company becomes a supplier), never duplicated nor overwritten: what a supplier wrote on its own
    profile stays. Applying the same list again changes nothing."""
    if supplier_import.status != ImportStatus.PREVIEWED or phase(supplier_import) not in (PREVIEWED, APPLYING):
        raise SupplierError(_("Cet import n'est pas prêt à être appliqué (aperçu absent ou import déjà appliqué)."))
    started = time.monotonic()
    try:
        with transaction.atomic():
            locked = SupplierImport.objects.select_for_update().get(pk=supplier_import.pk)
            if locked.status != ImportStatus.PREVIEWED:
                raise SupplierError(_("Cet import a déjà été appliqué."))
            counts, changed = _apply_rows(locked)
            SupplierImportRow.objects.filter(supplier_import=locked).exclude(outcome=ImportOutcome.REJECT).update(
                organisation_id=Subquery(Organisation.objects.filter(siret=OuterRef("siret")).values("pk")[:1])
            )
            reindex.directory_changed(changed)
            locked.status = ImportStatus.APPLIED
            locked.applied_at = timezone.now()
            locked.counts = {
                **locked.counts,
                "phase": APPLIED,
                "applied": counts,
                "applied_by": by.pk,
                "apply_seconds": round(time.monotonic() - started, 2),
            }
            locked.save(update_fields=["status", "applied_at", "counts", "updated_at"])
    except SupplierError:
        raise
    except Exception as error:
        SupplierImport.objects.filter(pk=supplier_import.pk).update(
            status=ImportStatus.FAILED,
            error=_("L'import n'a pas été appliqué (aucune structure n'a été modifiée) : %(error)s") % {"error": error},
            counts={**supplier_import.counts, "phase": FAILED},
        )
        raise SupplierError(_("L'import a échoué : rien n'a été écrit dans l'annuaire.")) from error
    supplier_import.refresh_from_db()
    return supplier_import


def _apply_rows(supplier_import: SupplierImport) -> tuple[dict[str, int], list[int]]:
    departements = departement_index()
    counts = {"create": 0, "update": 0, "unchanged": 0, "reject": 0}
    changed: list[int] = []
    counts["reject"] = supplier_import.rows.filter(outcome=ImportOutcome.REJECT).count()
    rows = (
        supplier_import.rows.exclude(outcome=ImportOutcome.REJECT)
        .order_by("line")
        .values_list("pk", "data")
        .iterator(chunk_size=BATCH)
    )
    for batch in _batches(rows):
        judged = [(pk, judge(data, departements)) for pk, data in batch]
        for pk, j in judged:
            if j.rejected:  # the reference tables changed since the preview
                SupplierImportRow.objects.filter(pk=pk).update(outcome=ImportOutcome.REJECT, reason=j.reason[:500])
                counts["reject"] += 1
        valid = [(pk, j) for pk, j in judged if not j.rejected]
        existing = {o.siret: o for o in Organisation.objects.filter(siret__in=[j.siret for _pk, j in valid])}
        for pk, j in [(pk, j) for pk, j in valid if j.siret in existing and existing[j.siret].kind not in CLAIMABLE]:
            # A buyer registered with this SIRET since the preview: never turn it into a supplier.
            reason = _("Ce SIRET est celui d'un acheteur public ou d'un opérateur de l'annuaire.")
            SupplierImportRow.objects.filter(pk=pk).update(outcome=ImportOutcome.REJECT, reason=reason)
            counts["reject"] += 1
            valid.remove((pk, j))
        new = [(pk, j) for pk, j in valid if j.siret not in existing]
        known = [(pk, j) for pk, j in valid if j.siret in existing]
        created = _create(new)
        counts["create"] += len(created)
        changed.extend(created)
        updated = set(_complete([(existing[j.siret], j) for _pk, j in known]))
        counts["update"] += len(updated)
        counts["unchanged"] += len(known) - len(updated)
        changed.extend(updated)
        # What really happened, when the directory changed between the preview and now.
        SupplierImportRow.objects.filter(pk__in=[pk for pk, _j in new]).update(outcome=ImportOutcome.CREATE)
        SupplierImportRow.objects.filter(pk__in=[pk for pk, _j in known]).update(outcome=ImportOutcome.UPDATE)
        SupplierImportRow.objects.filter(pk__in=[pk for pk, j in known if existing[j.siret].pk not in updated]).update(
            reason=_("Aucun changement : la structure était déjà à jour.")
        )
    return counts, changed


def _stamped(model: type[Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows of a timestamped model (public id and timestamps added) without building model instances."""
    now = timezone.now()
    insert_rows(
        model,
        ("public_id", "created_at", "updated_at", *columns),
        [(public_id, now, now, *row) for public_id, row in zip(new_public_ids(len(rows)), rows, strict=True)],
    )


def _create(new: list[tuple[int, Judged]]) -> list[int]:
    if not new:
        return []
    _stamped(
        Organisation,
        ORGANISATION_COLUMNS,
        [
            (j.name, OrganisationKind.SUPPLIER, j.siret, j.siret[:9], "", "", j.departement_id, j.city, j.website, "")
            for _pk, j in new
        ],
    )
    by_siret = dict(Organisation.objects.filter(siret__in=[j.siret for _pk, j in new]).values_list("siret", "pk"))
    _stamped(
        OrganisationStructure,
        ("organisation_id", "structure_type", "evidence", "valid_until"),
        [(by_siret[j.siret], code, "", None) for _pk, j in new for code in j.structure_types],
    )
    _profiles([(by_siret[j.siret], j) for _pk, j in new])
    _contacts([(by_siret[j.siret], j) for _pk, j in new])
    return list(by_siret.values())


def _profiles(items: list[tuple[int, Judged]]) -> None:
    _stamped(
        SupplierProfile,
        PROFILE_COLUMNS,
        [(pk, j.address, j.postcode, None, None, None, None, "", False, None, "") for pk, j in items],
    )


def _contacts(items: list[tuple[int, Judged]]) -> set[int]:
    """The list's e-mail and phone become the structure's general contact, unless it already has a contact."""
    wanted = [(pk, j) for pk, j in items if j.email or j.phone]
    if not wanted:
        return set()
    have_any = set(
        SupplierContact.objects.filter(organisation_id__in=[pk for pk, _j in wanted]).values_list(
            "organisation_id", flat=True
        )
    )
    contacts = {pk: (pk, "Contact général", "", j.email, j.phone) for pk, j in wanted if pk not in have_any}
    _stamped(SupplierContact, ("organisation_id", "full_name", "position", "email", "phone"), list(contacts.values()))
    return set(contacts)


def _complete(known: list[tuple[Organisation, Judged]]) -> list[int]:
    """Fill what is empty; returns the ids of the organisations that changed."""
    if not known:
        return []
    ids = [o.pk for o, _j in known]
    types = set(
        OrganisationStructure.objects.filter(organisation_id__in=ids).values_list("organisation_id", "structure_type")
    )
    profiles = {p.organisation_id: p for p in SupplierProfile.objects.filter(organisation_id__in=ids)}
    changed: set[int] = set()
    organisations, touched_profiles = [], []
    new_profiles: list[tuple[int, Judged]] = []
    structures: list[tuple[int, str, str, None]] = []
    for organisation, j in known:
        dirty = False
        if organisation.kind == OrganisationKind.COMPANY:
            organisation.kind, dirty = OrganisationKind.SUPPLIER, True
        for attr, value in (
            ("departement_id", j.departement_id),
            ("city", j.city),
            ("website", j.website),
        ):
            if value and not getattr(organisation, attr):
                setattr(organisation, attr, value)
                dirty = True
        if dirty:
            organisations.append(organisation)
            changed.add(organisation.pk)
        for code in j.structure_types:
            if (organisation.pk, code) not in types:
                types.add((organisation.pk, code))
                structures.append((organisation.pk, code, "", None))
                changed.add(organisation.pk)
        profile = profiles.get(organisation.pk)
        if profile is None:
            profiles[organisation.pk] = SupplierProfile(organisation_id=organisation.pk)  # once per organisation
            new_profiles.append((organisation.pk, j))
            changed.add(organisation.pk)
        elif (j.postcode and not profile.postcode) or (j.address and not profile.address):
            profile.postcode = profile.postcode or j.postcode
            profile.address = profile.address or j.address
            touched_profiles.append(profile)
            changed.add(organisation.pk)
    now = timezone.now()
    for organisation in organisations:
        organisation.updated_at = now
    Organisation.objects.bulk_update(
        organisations, ["kind", "departement", "city", "website", "updated_at"], batch_size=500
    )
    _stamped(OrganisationStructure, ("organisation_id", "structure_type", "evidence", "valid_until"), structures)
    _profiles(new_profiles)
    SupplierProfile.objects.bulk_update(touched_profiles, ["postcode", "address"], batch_size=500)
    changed |= _contacts([(o.pk, j) for o, j in known])
    return sorted(changed)


def rejected_rows(supplier_import: SupplierImport) -> Iterator[SupplierImportRow]:
    return supplier_import.rows.filter(outcome=ImportOutcome.REJECT).order_by("line").iterator(chunk_size=BATCH)
