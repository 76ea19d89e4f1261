"""Writing and reviewing case sheets: the form, the workflow actions and the autocompletes it uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from relais.casesheets import perms, services
from relais.casesheets.models import CaseSheet
from relais.core.validators import normalise_identifier
from relais.networks.perms import is_animator
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.reference.queries import cpv_lookup
from relais.web.forms.sheets import CaseSheetEditor, authorable_networks

AUTOCOMPLETE_LIMIT = 20


def _visible_sheet(request: HttpRequest, public_id: UUID) -> CaseSheet:
    """The sheet if the user may see it; 404 otherwise, so that unpublished sheets do not reveal they exist."""
    sheet = get_object_or_404(CaseSheet.objects.select_related("network", "author"), public_id=public_id)
    if not perms.can_view(request.user, sheet):
        raise Http404
    return sheet


@login_required
def sheet_create(request: HttpRequest) -> HttpResponse:
    if not authorable_networks(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    editor = CaseSheetEditor(user=request.user, data=data, files=files)
    if data is not None and editor.is_valid():
        sheet = editor.save(by=request.user)  # type: ignore[arg-type]
        messages.success(request, "La fiche est enregistrée en brouillon. Soumettez-la quand elle est prête.")
        return redirect("web:sheet_edit", public_id=sheet.public_id)
    return render(request, "web/sheets/form.html", {"editor": editor, "sheet": None}, status=_status(editor, data))


@login_required
def sheet_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    sheet = _visible_sheet(request, public_id)
    if not perms.can_edit(request.user, sheet):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    editor = CaseSheetEditor(user=request.user, instance=sheet, data=data, files=files)
    if data is not None and editor.is_valid():
        editor.save(by=request.user)  # type: ignore[arg-type]
        messages.success(request, "Vos modifications sont enregistrées.")
        return redirect("web:sheet_edit", public_id=sheet.public_id)
    context = {
        "editor": editor,
        "sheet": sheet,
        "can_submit": perms.can_submit(request.user, sheet),
        "can_unpublish": perms.can_unpublish(request.user, sheet),
        "can_archive": perms.can_archive(request.user, sheet),
    }
    return render(request, "web/sheets/form.html", context, status=_status(editor, data))


def _status(editor: CaseSheetEditor, data: Any) -> int:
    # 422 tells tests and assistive tooling that the submission was refused; browsers render the page as usual.
    return 422 if data is not None else 200


# ---------------------------------------------------------------------------------------------------------------
# Workflow actions: POST only, CSRF-protected by the middleware.


def _back(request: HttpRequest, sheet: CaseSheet) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(reverse("web:dashboard"))


def _act(
    request: HttpRequest,
    public_id: UUID,
    *,
    allowed: Callable[[Any, CaseSheet], bool],
    has_role: Callable[[Any, CaseSheet], bool],
    action: Callable[[CaseSheet], object],
    success: str,
) -> HttpResponse:
    """Run one transition. Without the role: 403. With the role but a status that no longer allows the transition
    (a stale page): the service refuses it and its message is shown."""
    sheet = _visible_sheet(request, public_id)
    if not allowed(request.user, sheet) and not has_role(request.user, sheet):
        raise PermissionDenied
    try:
        action(sheet)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return _back(request, sheet)


def _is_reviewer(user: Any, sheet: CaseSheet) -> bool:
    return is_animator(user, sheet.network_id)


def _is_submitter(user: Any, sheet: CaseSheet) -> bool:
    return perms.is_author(user, sheet) or is_animator(user, sheet.network_id)


@login_required
@require_POST
def sheet_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        allowed=perms.can_submit,
        has_role=_is_submitter,
        action=lambda sheet: services.case_sheet_submit(sheet=sheet, by=request.user),  # type: ignore[arg-type]
        success="La fiche est soumise à publication : les animateurs du réseau vont la relire.",
    )


@login_required
@require_POST
def sheet_publish(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        allowed=perms.can_review,
        has_role=_is_reviewer,
        action=lambda sheet: services.case_sheet_publish(sheet=sheet, by=request.user),  # type: ignore[arg-type]
        success="La fiche est publiée.",
    )


@login_required
@require_POST
def sheet_return(request: HttpRequest, public_id: UUID) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _act(
        request,
        public_id,
        allowed=perms.can_review,
        has_role=_is_reviewer,
        action=lambda sheet: services.case_sheet_return(sheet=sheet, by=request.user, comment=comment),  # type: ignore[arg-type]
        success="La fiche est renvoyée à son auteur avec votre commentaire.",
    )


@login_required
@require_POST
def sheet_unpublish(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        allowed=perms.can_unpublish,
        has_role=_is_reviewer,
        action=lambda sheet: services.case_sheet_unpublish(sheet=sheet, by=request.user),  # type: ignore[arg-type]
        success="La fiche est dépubliée : elle redevient un brouillon.",
    )


@login_required
@require_POST
def sheet_archive(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        allowed=perms.can_archive,
        has_role=_is_reviewer,
        action=lambda sheet: services.case_sheet_archive(sheet=sheet, by=request.user),  # type: ignore[arg-type]
        success="La fiche est archivée.",
    )


# ---------------------------------------------------------------------------------------------------------------
# Autocompletes (JSON)


@require_GET
def cpv_autocomplete(request: HttpRequest) -> JsonResponse:
    text = request.GET.get("q", "").strip()[:100]
    if len(text) < 2:
        return JsonResponse({"results": []})
    results = [{"code": cpv.code, "label": cpv.label_fr} for cpv in cpv_lookup(text, AUTOCOMPLETE_LIMIT)]
    return JsonResponse({"results": results})


@login_required
@require_GET
def organisation_autocomplete(request: HttpRequest) -> JsonResponse:
    text = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    if len(text) < 2:
        return JsonResponse({"results": []})
    organisations = Organisation.objects.all()
    if kind in OrganisationKind.values:
        organisations = organisations.filter(kind=kind)
    digits = normalise_identifier(text)
    if digits.isdigit():
        organisations = organisations.filter(Q(siret__startswith=digits) | Q(siren__startswith=digits[:9]))
    else:
        for word in text.split():
            organisations = organisations.filter(name__icontains=word)
    results = [
        {
            "public_id": str(organisation.public_id),
            "name": organisation.name,
            "kind": organisation.kind,
            "kind_label": organisation.get_kind_display(),
            "siret": organisation.siret or "",
            "city": organisation.city,
        }
        for organisation in organisations.order_by("name")[:AUTOCOMPLETE_LIMIT]
    ]
    return JsonResponse({"results": results})
