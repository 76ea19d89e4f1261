"""Pages of the bulk import of supplier lists: upload → column mapping → preview → apply → report (with the
rejected lines as CSV). Large files are previewed and applied by the task worker; the page shows the progress."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from relais.networks.models import Network
from relais.networks.perms import network_ids_with_roles
from relais.suppliers import imports, perms
from relais.suppliers.enums import ImportOutcome
from relais.suppliers.models import SupplierImport
from relais.suppliers.services import SupplierError
from relais.suppliers.tasks import apply_supplier_import, preview_supplier_import

from ..exports import CSV_CONTENT_TYPE, neutralise_formula
from ..forms.suppliers import ImportMappingForm, ImportUploadForm

# Above this size a list is previewed and applied by the task worker rather than during the request (~10,000 lines).
SYNC_MAX_BYTES = 1024 * 1024
MAX_BYTES = 100 * 1024 * 1024
SAMPLE = 200


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _animated_networks(user: Any) -> QuerySet[Network]:
    if getattr(user, "is_site_admin", False):
        return Network.objects.order_by("name")
    return Network.objects.filter(pk__in=network_ids_with_roles(user, frozenset({"animator"}))).order_by("name")


def _crumbs(current: str) -> dict[str, Any]:
    return {"links": [{"url": reverse("web:supplier_imports"), "title": "Imports de fournisseurs"}], "current": current}


def _sync_max() -> int:
    return int(getattr(settings, "SUPPLIER_IMPORT_SYNC_MAX_BYTES", SYNC_MAX_BYTES))


@login_required
@require_http_methods(["GET", "POST"])
def supplier_imports(request: HttpRequest) -> HttpResponse:
    if not perms.can_import_suppliers(request.user):
        raise PermissionDenied
    networks = _animated_networks(request.user)
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        networks=networks,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        max_bytes = int(getattr(settings, "SUPPLIER_IMPORT_MAX_BYTES", MAX_BYTES))
        if (upload.size or 0) > max_bytes:
            form.add_error("upload", f"Le fichier dépasse la taille maximale de {filesizeformat(max_bytes)}.")
        else:
            suffix = Path(upload.name or "").suffix.lower()
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"liste{suffix if suffix in ('.csv', '.xlsx') else '.csv'}"
                with path.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                try:
                    supplier_import = imports.supplier_import_create(
                        network=form.cleaned_data["network"],
                        by=request.user,  # type: ignore[arg-type]
                        path=path,
                        filename=upload.name or "liste.csv",
                    )
                except SupplierError as error:
                    form.add_error("upload", str(error))
                else:
                    return redirect("web:supplier_import_mapping", public_id=supplier_import.public_id)
    recent = SupplierImport.objects.filter(network__in=networks).select_related("network", "created_by")[:20]
    context = {"form": form, "imports": recent, "breadcrumb_data": {"links": [], "current": "Imports de fournisseurs"}}
    return _private(render(request, "web/supplier_account/imports.html", context))


def _import_for(request: HttpRequest, public_id: UUID) -> SupplierImport:
    supplier_import = get_object_or_404(SupplierImport.objects.select_related("network"), public_id=public_id)
    if not perms.can_see_import(request.user, supplier_import):
        raise PermissionDenied
    return supplier_import


@login_required
@require_http_methods(["GET", "POST"])
def supplier_import_mapping(request: HttpRequest, public_id: UUID) -> HttpResponse:
    supplier_import = _import_for(request, public_id)
    if imports.phase(supplier_import) not in (imports.MAPPING, imports.PREVIEWED):
        return redirect("web:supplier_import_detail", public_id=supplier_import.public_id)
    headers: list[str] = supplier_import.column_mapping.get("headers", [])
    form = ImportMappingForm(
        request.POST if request.method == "POST" else None,
        headers=headers,
        mapping=supplier_import.column_mapping["fields"],
    )
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            imports.run.mapping_check(supplier_import, mapping)
            if supplier_import.file.size > _sync_max():
                imports.supplier_import_mark_queued(supplier_import=supplier_import, next_phase=imports.PREVIEWING)
                transaction.on_commit(
                    lambda: preview_supplier_import.enqueue(import_id=supplier_import.pk, mapping=mapping)
                )
            else:
                imports.supplier_import_preview(supplier_import=supplier_import, mapping=mapping)
        except SupplierError as error:
            form.add_error(None, str(error))
        else:
            return redirect("web:supplier_import_detail", public_id=supplier_import.public_id)
    context = {
        "supplier_import": supplier_import,
        "form": form,
        "headers": headers,
        "breadcrumb_data": _crumbs(supplier_import.filename),
    }
    return _private(render(request, "web/supplier_account/import_mapping.html", context))


@login_required
def supplier_import_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    supplier_import = _import_for(request, public_id)
    phase = imports.phase(supplier_import)
    rows = supplier_import.rows.order_by("line")
    context = {
        "supplier_import": supplier_import,
        "phase": phase,
        "counts": supplier_import.counts,
        "rejects": rows.filter(outcome=ImportOutcome.REJECT)[:SAMPLE],
        "accepted": rows.exclude(outcome=ImportOutcome.REJECT)[:50],
        "sample": SAMPLE,
        "working": phase in (imports.PREVIEWING, imports.APPLYING),
        "breadcrumb_data": _crumbs(supplier_import.filename),
    }
    return _private(render(request, "web/supplier_account/import_detail.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def supplier_import_apply(request: HttpRequest, public_id: UUID) -> HttpResponse:
    supplier_import = _import_for(request, public_id)
    if imports.phase(supplier_import) != imports.PREVIEWED:
        messages.error(request, "Cet import n'est pas prêt à être appliqué.")
        return redirect("web:supplier_import_detail", public_id=supplier_import.public_id)
    if request.method == "POST":
        if supplier_import.file.size > _sync_max():
            imports.supplier_import_mark_queued(supplier_import=supplier_import, next_phase=imports.APPLYING)
            user_id = int(request.user.pk or 0)
            transaction.on_commit(lambda: apply_supplier_import.enqueue(import_id=supplier_import.pk, user_id=user_id))
            messages.success(request, "L'import est en file d'attente : cette page montre son avancement.")
        else:
            try:
                imports.supplier_import_apply(supplier_import=supplier_import, by=request.user)  # type: ignore[arg-type]
            except SupplierError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "L'import est appliqué à l'annuaire.")
        return redirect("web:supplier_import_detail", public_id=supplier_import.public_id)
    context = {
        "supplier_import": supplier_import,
        "counts": supplier_import.counts,
        "breadcrumb_data": _crumbs("Appliquer"),
    }
    return _private(render(request, "web/supplier_account/import_apply.html", context))


@login_required
def supplier_import_rejects_csv(request: HttpRequest, public_id: UUID) -> StreamingHttpResponse:
    supplier_import = _import_for(request, public_id)
    mapped = supplier_import.column_mapping.get("fields", {})
    fields = [field for field in imports.FIELDS if field in mapped]  # JSONB does not keep the order of keys

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(["ligne", "motif", *(imports.FIELDS[f] for f in fields)])
        yield "\ufeff" + buffer.getvalue()
        for row in imports.rejected_rows(supplier_import):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([row.line, row.reason, *(neutralise_formula(str(row.data.get(f, ""))) for f in fields)])
            yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type=CSV_CONTENT_TYPE)
    stem = slugify(Path(supplier_import.filename).stem)[:60] or "import"
    response["Content-Disposition"] = f'attachment; filename="rejets-{stem}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
