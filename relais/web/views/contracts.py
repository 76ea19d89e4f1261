"""Pages of the public-contract data (DECP): the import page and the report of each run."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from relais.contracts import perms, queries
from relais.contracts.models import ImportRun
from relais.contracts.services import DecpImportError, import_queue

from ..forms.contracts import DecpImportForm


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def decp_imports(request: HttpRequest) -> HttpResponse:
    if not perms.can_import(request.user):
        raise PermissionDenied
    form = DecpImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        path = form.file_path()
        try:
            with transaction.atomic():
                run = import_queue(path=path, requested_by=request.user)
        except DecpImportError as error:
            if form.cleaned_data.get("upload"):
                path.unlink(missing_ok=True)  # an unreadable upload is not kept
            form.add_error(None, str(error))
        else:
            messages.success(request, f"L'import de « {run.source_name} » est en file d'attente.")
            return redirect("web:decp_import_detail", public_id=run.public_id)
    context = {
        "form": form,
        "runs": queries.recent_runs(),
        "breadcrumb_data": {"links": [], "current": "Imports de données essentielles"},
    }
    return _private(render(request, "web/contracts/imports.html", context))


@login_required
def decp_import_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    if not perms.can_import(request.user):
        raise PermissionDenied
    run = get_object_or_404(ImportRun, public_id=public_id)
    context = {
        "run": run,
        "quarantine": queries.quarantine_sample(run),
        "breadcrumb_data": {
            "links": [{"url": "/donnees-essentielles/imports/", "title": "Imports de données essentielles"}],
            "current": run.source_name,
        },
    }
    return _private(render(request, "web/contracts/import_detail.html", context))
