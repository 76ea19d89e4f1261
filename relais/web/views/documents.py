"""Pages of the document library: search, a document with its versions, sharing, editing its metadata, new version,
download."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from relais.documents import access, perms, services
from relais.documents.enums import AccessLevel, DocumentKind
from relais.documents.models import Document, DocumentVersion
from relais.documents.queries import DocumentSearch, search_documents
from relais.networks.models import Network
from relais.reference.models import Theme
from relais.web.downloads import sandboxed_file
from relais.web.forms.documents import DocumentEditForm, DocumentForm, VersionForm

_R = TypeVar("_R", bound=HttpResponseBase)


def _visible_document(request: HttpRequest, public_id: UUID) -> Document:
    """The document if the reader may see it; 404 otherwise, so that restricted documents do not reveal they exist."""
    document = get_object_or_404(
        Document.objects.select_related("network", "author_organisation", "created_by"), public_id=public_id
    )
    if not perms.can_view(request.user, document):
        raise Http404
    return document


def _private(response: _R, document: Document) -> _R:
    if document.access_level != AccessLevel.PUBLIC:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    params = DocumentSearch.from_querydict(request.GET)
    result = search_documents(params, request.user)
    context = {
        "params": params,
        "result": result,
        "kinds": DocumentKind.choices,
        "themes": Theme.objects.all(),
        "networks": Network.objects.all(),
        "can_upload": perms.can_upload(request.user),
        "previous_query": params.urlencode(page=result.page - 1) if result.has_previous else "",
        "next_query": params.urlencode(page=result.page + 1) if result.has_next else "",
    }
    response = render(request, "web/documents/list.html", context)
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def document_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    document = _visible_document(request, public_id)
    versions = list(document.versions.select_related("uploaded_by").defer("extracted_text").order_by("-number"))
    context = {
        "document": document,
        "versions": versions,
        "current": versions[0] if versions else None,
        "themes": list(document.themes.all()),
        "cpvs": list(document.cpvs.all()),
        "workgroup_name": access.workgroup_name(document.workgroup_id),
        "can_add_version": perms.can_add_version(request.user, document),
        "can_edit": perms.can_edit(request.user, document),
        "breadcrumb_data": {
            "links": [{"url": reverse("web:document_list"), "title": "Bibliothèque de documents"}],
            "current": document.title,
        },
    }
    return _private(render(request, "web/documents/detail.html", context), document)


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    if not perms.can_upload(request.user):
        raise PermissionDenied
    bound = request.method == "POST"
    form = DocumentForm(request.POST if bound else None, request.FILES if bound else None, user=request.user)
    if bound and form.is_valid():
        data, checked = form.cleaned_data, form.checked_file()
        try:
            document = services.document_create(
                network=data["network"],
                by=request.user,  # type: ignore[arg-type]
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                themes=data["themes"],
                cpvs=data["cpvs"],
                author_organisation=data["author_organisation"],
                document_date=data["document_date"],
                licence=data["licence"],
                access_level=data["access_level"],
                workgroup_id=data.get("workgroup"),
                file=data["file"],
                original_name=checked.original_name,
                content_type=checked.content_type,
                comment=data["comment"],
            )
        except services.DocumentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Le document est partagé. Son texte sera indexé dans quelques instants.")
            return redirect("web:document_detail", public_id=document.public_id)
    context = {
        "form": form,
        "document": None,
        "title": "Partager un document",
        "submit_label": "Partager le document",
        "cancel_url": reverse("web:document_list"),
    }
    return render(request, "web/documents/form.html", context, status=422 if bound else 200)


@login_required
def document_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Correct the metadata of a document; who may read it changes as soon as it is saved."""
    document = _visible_document(request, public_id)
    if not perms.can_edit(request.user, document):
        raise PermissionDenied
    bound = request.method == "POST"
    form = DocumentEditForm(request.POST if bound else None, user=request.user, document=document)
    if bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_update(
                document=document,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                themes=data["themes"],
                cpvs=data["cpvs"],
                author_organisation=data["author_organisation"],
                document_date=data["document_date"],
                licence=data["licence"],
                access_level=data["access_level"],
                workgroup_id=data.get("workgroup"),
            )
        except services.DocumentError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, list(error.messages))
        else:
            if not perms.can_view(request.user, document):
                # Restricted to a group the editor is not part of: their own page would now answer 404.
                messages.success(request, "Les informations sont enregistrées ; vous n'avez plus accès à ce document.")
                return redirect("web:document_list")
            messages.success(request, "Les informations du document sont enregistrées.")
            return redirect("web:document_detail", public_id=document.public_id)
    context = {
        "form": form,
        "document": document,
        "title": "Modifier les informations du document",
        "submit_label": "Enregistrer les informations",
        "cancel_url": reverse("web:document_detail", kwargs={"public_id": document.public_id}),
    }
    return _private(render(request, "web/documents/form.html", context, status=422 if bound else 200), document)


@login_required
def document_version_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    document = _visible_document(request, public_id)
    if not perms.can_add_version(request.user, document):
        raise PermissionDenied
    bound = request.method == "POST"
    form = VersionForm(request.POST if bound else None, request.FILES if bound else None)
    if bound and form.is_valid():
        checked = form.checked_file()
        version = services.document_version_add(
            document=document,
            by=request.user,  # type: ignore[arg-type]
            file=form.cleaned_data["file"],
            original_name=checked.original_name,
            content_type=checked.content_type,
            comment=form.cleaned_data["comment"],
        )
        messages.success(
            request, f"La version {version.number} est déposée ; les versions précédentes restent listées."
        )
        return redirect("web:document_detail", public_id=document.public_id)
    context = {
        "form": form,
        "document": document,
        "title": "Déposer une nouvelle version",
        "submit_label": "Déposer la version",
        "cancel_url": reverse("web:document_detail", kwargs={"public_id": document.public_id}),
    }
    return _private(render(request, "web/documents/form.html", context, status=422 if bound else 200), document)


@require_GET
def document_download(request: HttpRequest, public_id: UUID, version_id: UUID) -> FileResponse:
    """Always a download (never rendered in the site's origin), with nosniff and a sandboxing CSP, so that no
    uploaded file can run as a page of the site."""
    document = _visible_document(request, public_id)
    version = get_object_or_404(
        DocumentVersion.objects.defer("extracted_text"), document=document, public_id=version_id
    )
    response = sandboxed_file(
        version.file,
        filename=version.original_name or f"document-{version.public_id}",
        content_type=version.content_type,
        private=False,
    )
    return _private(response, document)
