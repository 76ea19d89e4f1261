"""A supplier's page in the directory: identity, structure types, activities, labels, derived facts with their legal
reference, track record in the public contracts, case sheets, contacts (members only), and its logo and photos served
through a permission-checked view.

Public pages exist only for suppliers who agreed (`SupplierProfile.public_listing`); the networks' members read every
supplier, and a supplier reads its own page (`suppliers.perms.can_view_supplier`). Anyone else gets a 404, so that
the page does not reveal that an unlisted supplier is in the directory."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from relais.contracts.queries import TRACK_RECORD_YEARS
from relais.networks.perms import member_network_ids
from relais.organisations.models import Organisation, OrganisationStructure
from relais.suppliers import perms
from relais.suppliers.facts import is_valid_on, supplier_case_sheets, supplier_facts, supplier_track_record
from relais.suppliers.models import SupplierActivity, SupplierLabel, SupplierPhoto, SupplierProfile
from relais.web.downloads import sandboxed_file

# Reads of personal data (a supplier's contacts) are logged on their own logger (see settings LOGGING).
access_log = logging.getLogger("relais.access")

DIRECTORY_TITLE = "Annuaire des fournisseurs"

# Images a browser may show inline, recognised by their first bytes (never by the uploaded name or declared type):
# anything else (SVG included, which can carry scripts) is only ever downloaded.
_IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def _image_type(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for signature, kind in _IMAGE_SIGNATURES if head.startswith(signature)), None)


def viewable_supplier(request: HttpRequest, public_id: UUID) -> Organisation:
    """The supplier organisation, or 404 when it does not exist or the person may not see it."""
    organisation = get_object_or_404(
        Organisation.objects.suppliers().select_related("departement", "supplier_profile"), public_id=public_id
    )
    if not perms.can_view_supplier(request.user, organisation):
        raise Http404
    return organisation


def _profile_of(organisation: Organisation) -> SupplierProfile | None:
    return getattr(organisation, "supplier_profile", None)


def _private(response: Any, organisation: Organisation) -> Any:
    """Pages and images of a supplier without a public page must not stay in shared caches."""
    profile = _profile_of(organisation)
    if profile is None or not profile.public_listing:
        response["Cache-Control"] = "private, no-store"
    return response


def _edit_url(organisation: Organisation) -> str:
    """The profile editor (built in another part of the directory): no link while that page does not exist."""
    try:
        return reverse("web:supplier_profile_edit", args=[organisation.public_id])
    except NoReverseMatch:
        return ""


def _media_url(organisation: Organisation, media_id: UUID) -> str:
    return reverse("web:directory_supplier_media", kwargs={"public_id": organisation.public_id, "media_id": media_id})


@require_GET
def directory_supplier(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organisation = viewable_supplier(request, public_id)
    today = timezone.localdate()
    profile = _profile_of(organisation)
    structures = [
        {"structure": structure, "valid": is_valid_on(structure, today)}
        for structure in OrganisationStructure.objects.filter(organisation=organisation).order_by("structure_type")
    ]
    activities = list(
        SupplierActivity.objects.filter(organisation=organisation).prefetch_related(
            "cpvs", "themes", "regions", "departements"
        )
    )
    labels = list(SupplierLabel.objects.filter(organisation=organisation).select_related("label"))
    photos = list(SupplierPhoto.objects.filter(organisation=organisation))
    contacts: list[Any] = []
    show_contacts = perms.can_see_contacts_of(request.user, organisation)
    if show_contacts:
        contacts = list(organisation.contacts.all())
        if contacts:
            access_log.info(
                "supplier_contacts_viewed user=%s supplier=%s count=%d",
                request.user.public_id,  # type: ignore[union-attr]
                organisation.public_id,
                len(contacts),
            )
    context = {
        "organisation": organisation,
        "profile": profile,
        "structures": structures,
        "activities": activities,
        "labels": [{"held": held, "valid": held.valid_until is None or held.valid_until >= today} for held in labels],
        "logo_url": _media_url(organisation, profile.public_id) if profile and profile.logo else "",
        "photos": [{"photo": photo, "url": _media_url(organisation, photo.public_id)} for photo in photos],
        "show_contacts": show_contacts,
        "contacts": contacts,
        "facts": supplier_facts(organisation, on=today),
        "record": supplier_track_record(organisation, today=today),
        "years": TRACK_RECORD_YEARS,
        "sheets": supplier_case_sheets(organisation, member_network_ids=member_network_ids(request.user)),
        "edit_url": _edit_url(organisation) if perms.can_manage_supplier(request.user, organisation) else "",
        "breadcrumb_data": {"links": _directory_links(), "current": organisation.name},
    }
    return _private(render(request, "web/directory/supplier.html", context), organisation)


def _directory_links() -> list[dict[str, str]]:
    try:
        return [{"url": reverse("web:directory_search"), "title": DIRECTORY_TITLE}]
    except NoReverseMatch:
        return []


@require_GET
def directory_supplier_media(request: HttpRequest, public_id: UUID, media_id: UUID) -> FileResponse:
    """The logo (its id is the profile's) or a photo of a supplier the person may see. A recognised image is shown
    inline; any other content is only downloaded, with nosniff and a sandboxing CSP so it never runs as a page."""
    organisation = viewable_supplier(request, public_id)
    profile = _profile_of(organisation)
    if profile is not None and profile.public_id == media_id and profile.logo:
        field = profile.logo
    else:
        field = get_object_or_404(SupplierPhoto, organisation=organisation, public_id=media_id).image
    try:
        with field.open("rb") as probe:
            image_type = _image_type(probe.read(16))
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = sandboxed_file(
        field, filename=f"{media_id}", content_type=image_type or "", inline=image_type is not None, private=False
    )
    return _private(response, organisation)
