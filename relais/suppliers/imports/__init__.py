"""Bulk import of supplier lists (CSV/XLSX): reading (`reading`), judging each line (`lines`), the steps (`run`)."""

from .reading import FIELDS, REQUIRED_FIELDS, SupplierList, guess_mapping
from .run import (
    APPLIED,
    APPLYING,
    FAILED,
    MAPPING,
    PREVIEWED,
    PREVIEWING,
    phase,
    rejected_rows,
    supplier_import_apply,
    supplier_import_create,
    supplier_import_mark_queued,
    supplier_import_preview,
)

__all__ = [
    "APPLIED",
    "APPLYING",
    "FAILED",
    "FIELDS",
    "MAPPING",
    "PREVIEWED",
    "PREVIEWING",
    "REQUIRED_FIELDS",
    "SupplierList",
    "guess_mapping",
    "phase",
    "rejected_rows",
    "supplier_import_apply",
    "supplier_import_create",
    "supplier_import_mark_queued",
    "supplier_import_preview",
]
