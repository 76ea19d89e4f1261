"""Supplier self-service: claiming an organisation by SIRET, the animators' queue of claims, and the profile editor
with its parts (structure types, activities, labels, contacts, photos). Thin views: parse, authorise with a
predicate of `relais.suppliers.perms`, call a service, render."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from relais.networks.enums import Role
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation, OrganisationStructure
from relais.suppliers import perms, services
from relais.suppliers.enums import ClaimStatus
from relais.suppliers.models import SupplierActivity, SupplierClaim, SupplierContact, SupplierLabel, SupplierPhoto
from relais.suppliers.services import SupplierError

from ..forms.suppliers import (
    ActivityForm,
    ClaimForm,
    ContactForm,
    DecisionForm,
    ImageForm,
    LabelForm,
    ProfileForm,
    StructureForm,
)

access_log = logging.getLogger("relais.access")


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


# ── Claims ─────────────────────────────────────────────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def supplier_claim(request: HttpRequest) -> HttpResponse:
    if not perms.can_claim_supplier(request.user):
        raise PermissionDenied
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.supplier_claim(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except SupplierError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Votre demande pour « {claim.organisation.name} » est envoyée aux animateurs du réseau."
            )
            return redirect("web:supplier_claims_mine")
    context = {"form": form, "breadcrumb_data": {"links": [], "current": "Revendiquer ma structure"}}
    return _private(render(request, "web/supplier_account/claim.html", context))


@login_required
def supplier_claims_mine(request: HttpRequest) -> HttpResponse:
    user_id = int(request.user.pk or 0)
    claims = SupplierClaim.objects.filter(user_id=user_id).select_related("organisation", "network")
    # Structures the account acts for through the supplier role an animator gave it (no claim needed).
    by_role = Organisation.objects.filter(people_roles__user_id=user_id, people_roles__role=Role.SUPPLIER).distinct()
    context = {"claims": claims, "by_role": by_role, "breadcrumb_data": {"links": [], "current": "Mes structures"}}
    return _private(render(request, "web/supplier_account/claims_mine.html", context))


@login_required
def supplier_claim_queue(request: HttpRequest) -> HttpResponse:
    if not perms.can_review_claims(request.user):
        raise PermissionDenied
    claims = SupplierClaim.objects.select_related("organisation", "network", "user", "decided_by")
    if not getattr(request.user, "is_site_admin", False):
        claims = claims.filter(network_id__in=perms.network_ids_with_roles(request.user, frozenset({"animator"})))
    context = {
        "pending": claims.filter(status=ClaimStatus.PENDING).order_by("created_at"),
        "decided": claims.exclude(status=ClaimStatus.PENDING).order_by("-decided_at")[:30],
        "breadcrumb_data": {"links": [], "current": "Revendications à vérifier"},
    }
    return _private(render(request, "web/supplier_account/claim_queue.html", context))


def _claim_for_animator(request: HttpRequest, public_id: UUID) -> SupplierClaim:
    claim = get_object_or_404(
        SupplierClaim.objects.select_related("organisation", "network", "user"), public_id=public_id
    )
    if not perms.can_decide_claim(request.user, claim):
        raise PermissionDenied
    return claim


@login_required
def supplier_claim_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    claim = _claim_for_animator(request, public_id)
    access_log.info("claim %s read by user %s", claim.public_id, request.user.pk)
    organisation = claim.organisation
    context = {
        "claim": claim,
        "organisation": organisation,
        "managers": organisation.people_roles.filter(role="supplier").select_related("user"),
        "other_claims": organisation.claims.exclude(pk=claim.pk).select_related("user"),
        "breadcrumb_data": {
            "links": [{"url": reverse("web:supplier_claim_queue"), "title": "Revendications à vérifier"}],
            "current": organisation.name,
        },
    }
    return _private(render(request, "web/supplier_account/claim_review.html", context))


def _decide(request: HttpRequest, public_id: UUID, *, rejecting: bool) -> HttpResponse:
    claim = _claim_for_animator(request, public_id)
    form = DecisionForm(request.POST if request.method == "POST" else None, rejecting=rejecting)
    if request.method == "POST" and form.is_valid():
        decide = services.supplier_claim_reject if rejecting else services.supplier_claim_verify
        try:
            decide(claim=claim, by=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except SupplierError as error:
            form.add_error(None, str(error))
        else:
            verb = "refusée" if rejecting else "vérifiée"
            messages.success(request, f"La revendication de « {claim.organisation.name} » est {verb}.")
            return redirect("web:supplier_claim_queue")
    context = {
        "claim": claim,
        "form": form,
        "rejecting": rejecting,
        "breadcrumb_data": {
            "links": [{"url": reverse("web:supplier_claim_queue"), "title": "Revendications à vérifier"}],
            "current": "Refuser" if rejecting else "Vérifier",
        },
    }
    return _private(render(request, "web/supplier_account/claim_decide.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def supplier_claim_verify(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _decide(request, public_id, rejecting=False)


@login_required
@require_http_methods(["GET", "POST"])
def supplier_claim_reject(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _decide(request, public_id, rejecting=True)


# ── Profile ────────────────────────────────────────────────────────────────────────────────────────────────────────


def _managed(request: HttpRequest, public_id: UUID) -> Organisation:
    organisation = get_object_or_404(
        Organisation.objects.filter(kind__in=[OrganisationKind.SUPPLIER, OrganisationKind.COMPANY]),
        public_id=public_id,
    )
    if not perms.can_manage_supplier(request.user, organisation):
        raise PermissionDenied
    return organisation


def _crumbs(organisation: Organisation, current: str) -> dict[str, Any]:
    links = [{"url": reverse("web:supplier_claims_mine"), "title": "Mes structures"}]
    if current != "Fiche":
        url = reverse("web:supplier_profile_edit", kwargs={"public_id": organisation.public_id})
        links.append({"url": url, "title": organisation.name})
    return {"links": links, "current": organisation.name if current == "Fiche" else current}


@login_required
@require_http_methods(["GET", "POST"])
def supplier_profile_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organisation = _managed(request, public_id)
    profile = services.profile_for(organisation)
    initial = {
        "name": organisation.name,
        "description": organisation.description,
        "website": organisation.website,
        "city": organisation.city,
        "departement": organisation.departement,
        **{
            f: getattr(profile, f)
            for f in (
                "address", "postcode", "latitude", "longitude", "staff_insertion", "staff_permanent",
                "turnover_band", "public_listing",
            )
        },
    }  # fmt: skip
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_profile_update(organisation=organisation, **form.cleaned_data)
        except SupplierError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "La fiche est enregistrée.")
            return redirect("web:supplier_profile_edit", public_id=organisation.public_id)
    context = {
        "organisation": organisation,
        "profile": profile,
        "form": form,
        "counts": {
            "structures": organisation.structures.count(),
            "activities": organisation.activities.count(),
            "labels": organisation.labels.count(),
            "contacts": organisation.contacts.count(),
            "photos": organisation.photos.count(),
        },
        "breadcrumb_data": _crumbs(organisation, "Fiche"),
    }
    return _private(render(request, "web/supplier_account/profile_edit.html", context))


# ── Parts of the profile: one list-and-add page, an edit page and a delete confirmation per kind ───────────────


@dataclass(frozen=True)
class Part:
    slug: str
    title: str
    item_name: str
    form: type[forms.Form]
    items: Callable[[Organisation], QuerySet[Any]]
    initial: Callable[[Any], dict[str, Any]]
    save: Callable[[Organisation, dict[str, Any], Any], object]
    delete: Callable[[Any], None]
    describe: Callable[[Any], str]
    editable: bool = True
    personal_data: bool = False


def _activity_initial(a: SupplierActivity) -> dict[str, Any]:
    return {
        "title": a.title,
        "description": a.description,
        "service_kind": a.service_kind,
        "cpvs": list(a.cpvs.all()),
        "themes": list(a.themes.all()),
        "coverage": a.coverage,
        "regions": list(a.regions.all()),
        "departements": ", ".join(d.code for d in a.departements.all()),
        "radius_km": a.radius_km,
    }


def _activity_describe(a: SupplierActivity) -> str:
    what = ", ".join([c.code for c in a.cpvs.all()] + [t.label for t in a.themes.all()])
    where = a.get_coverage_display()
    if a.radius_km:
        where += f" ({a.radius_km} km)"
    places = [r.name for r in a.regions.all()] + [d.code for d in a.departements.all()]
    if places:
        where += " : " + ", ".join(places)
    return f"{a.get_service_kind_display()} — {what} — {where}"


PARTS: dict[str, Part] = {
    "structures": Part(
        slug="structure",
        title="Types de structure",
        item_name="type de structure",
        form=StructureForm,
        items=lambda o: OrganisationStructure.objects.filter(organisation=o).order_by("structure_type"),
        initial=lambda s: {"structure_type": s.structure_type, "evidence": s.evidence, "valid_until": s.valid_until},
        save=lambda o, data, _item: services.supplier_structure_save(organisation=o, **data),
        delete=lambda s: services.supplier_structure_remove(structure=s),
        describe=lambda s: " — ".join(
            filter(None, [s.evidence, f"valable jusqu'au {s.valid_until:%d/%m/%Y}" if s.valid_until else ""])
        ),
    ),
    "activities": Part(
        slug="activity",
        title="Activités",
        item_name="activité",
        form=ActivityForm,
        items=lambda o: SupplierActivity.objects.filter(organisation=o).prefetch_related(
            "cpvs", "themes", "regions", "departements"
        ),
        initial=_activity_initial,
        save=lambda o, data, item: services.supplier_activity_save(organisation=o, activity=item, **data),
        delete=lambda a: services.supplier_activity_delete(activity=a),
        describe=_activity_describe,
    ),
    "labels": Part(
        slug="label",
        title="Labels",
        item_name="label",
        form=LabelForm,
        items=lambda o: SupplierLabel.objects.filter(organisation=o).select_related("label"),
        initial=lambda h: {"label": h.label, "evidence": h.evidence, "valid_until": h.valid_until},
        save=lambda o, data, _item: services.supplier_label_save(organisation=o, **data),
        delete=lambda h: services.supplier_label_remove(held=h),
        describe=lambda h: " — ".join(
            filter(None, [h.evidence, f"valable jusqu'au {h.valid_until:%d/%m/%Y}" if h.valid_until else ""])
        ),
    ),
    "contacts": Part(
        slug="contact",
        title="Contacts",
        item_name="contact",
        form=ContactForm,
        items=lambda o: SupplierContact.objects.filter(organisation=o),
        initial=lambda c: {"full_name": c.full_name, "position": c.position, "email": c.email, "phone": c.phone},
        save=lambda o, data, item: services.supplier_contact_save(organisation=o, contact=item, **data),
        delete=lambda c: services.supplier_contact_delete(contact=c),
        describe=lambda c: " — ".join(filter(None, [c.position, c.email, c.phone])),
        personal_data=True,
    ),
    "photos": Part(
        slug="photo",
        title="Logo et photos",
        item_name="photo",
        form=ImageForm,
        items=lambda o: SupplierPhoto.objects.filter(organisation=o),
        initial=lambda p: {},
        save=lambda o, data, _item: services.supplier_photo_add(
            organisation=o, upload=data["image"], caption=data["caption"]
        ),
        delete=lambda p: services.supplier_photo_delete(photo=p),
        describe=lambda p: p.caption,
        editable=False,
    ),
}


def _item_url(part: Part, organisation: Organisation, item: Any, action: str) -> str:
    kwargs = {"public_id": organisation.public_id, "item_id": item.public_id}
    return reverse(f"web:supplier_{part.slug}_{action}", kwargs=kwargs)


def _item(part: Part, organisation: Organisation, item_id: UUID) -> Model:
    item: Model = get_object_or_404(part.items(organisation), public_id=item_id)
    return item


@login_required
@require_http_methods(["GET", "POST"])
def supplier_part(request: HttpRequest, public_id: UUID, part: str, item_id: UUID | None = None) -> HttpResponse:
    """The list of a part with the form to add one (or, with `item_id`, the form to change one)."""
    spec = PARTS[part]
    organisation = _managed(request, public_id)
    item = _item(spec, organisation, item_id) if item_id else None
    form = spec.form(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=spec.initial(item) if item else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            spec.save(organisation, form.cleaned_data, item)
        except SupplierError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{spec.item_name.capitalize()} enregistré(e).")
            return redirect(f"web:supplier_{part}", public_id=organisation.public_id)
    items = list(spec.items(organisation))
    if spec.personal_data and items:
        access_log.info("supplier contacts of %s read by user %s", organisation.public_id, request.user.pk)
    logo_form = ImageForm(with_caption=False, auto_id="logo_%s") if part == "photos" else None
    context = {
        "organisation": organisation,
        "part": part,
        "spec": spec,
        "item": item,
        "items": [
            {
                "item": i,
                "description": spec.describe(i),
                "edit_url": _item_url(spec, organisation, i, "edit") if spec.editable else "",
                "delete_url": _item_url(spec, organisation, i, "delete"),
            }
            for i in items
        ],
        "list_url": reverse(f"web:supplier_{part}", kwargs={"public_id": organisation.public_id}),
        "form": form,
        "logo_form": logo_form,
        "profile": services.profile_for(organisation),
        "breadcrumb_data": _crumbs(organisation, spec.title),
    }
    return _private(render(request, "web/supplier_account/part.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def supplier_part_delete(request: HttpRequest, public_id: UUID, part: str, item_id: UUID) -> HttpResponse:
    spec = PARTS[part]
    organisation = _managed(request, public_id)
    item = _item(spec, organisation, item_id)
    if request.method == "POST":
        spec.delete(item)
        messages.success(request, f"{spec.item_name.capitalize()} supprimé(e).")
        return redirect(f"web:supplier_{part}", public_id=organisation.public_id)
    context = {
        "organisation": organisation,
        "part": part,
        "spec": spec,
        "item": item,
        "list_url": reverse(f"web:supplier_{part}", kwargs={"public_id": organisation.public_id}),
        "breadcrumb_data": _crumbs(organisation, spec.title),
    }
    return _private(render(request, "web/supplier_account/part_delete.html", context))


@login_required
@require_POST
def supplier_logo(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organisation = _managed(request, public_id)
    form = ImageForm(request.POST, request.FILES, with_caption=False)
    if form.is_valid():
        try:
            services.supplier_logo_set(organisation=organisation, upload=form.cleaned_data["image"])
        except SupplierError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Le logo est enregistré.")
    else:
        messages.error(request, "Choisissez une image JPEG, PNG ou WebP pour le logo.")
    return redirect("web:supplier_photos", public_id=organisation.public_id)
