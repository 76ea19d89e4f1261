"""Background steps of a large bulk import, queued from the import pages."""

from __future__ import annotations

from django_tasks import task

from relais.accounts.models import User

from .imports import MAPPING, supplier_import_apply, supplier_import_preview
from .models import SupplierImport
from .services import SupplierError


@task()
def preview_supplier_import(*, import_id: int, mapping: dict[str, int]) -> int:
    """Judge every line of a large list; returns the number of lines. An import deleted meanwhile is skipped."""
    supplier_import = SupplierImport.objects.filter(pk=import_id).first()
    if supplier_import is None:
        return 0
    try:
        supplier_import_preview(supplier_import=supplier_import, mapping=mapping)
    except SupplierError as error:
        # Back to the mapping step, with the message on the page.
        supplier_import.counts = {**supplier_import.counts, "phase": MAPPING}
        supplier_import.error = str(error)
        supplier_import.save(update_fields=["counts", "error", "updated_at"])
        return 0
    return int(supplier_import.counts.get("lines", 0))


@task()
def apply_supplier_import(*, import_id: int, user_id: int) -> int:
    """Apply a previewed list in one transaction (the failure is recorded on the import); returns lines written."""
    supplier_import = SupplierImport.objects.filter(pk=import_id).first()
    user = User.objects.filter(pk=user_id).first()
    if supplier_import is None or user is None:
        return 0
    try:
        supplier_import = supplier_import_apply(supplier_import=supplier_import, by=user)
    except SupplierError:
        return 0
    applied = supplier_import.counts.get("applied", {})
    return int(applied.get("create", 0)) + int(applied.get("update", 0))
