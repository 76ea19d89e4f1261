"""Supplier self-service: claiming an organisation by its SIRET, the animators' decision, and the editing of a
supplier's profile (fields, logo and photos, structure types, activities, labels, contacts).

Every function checks its input itself (the forms check it too, for the messages next to the fields) and raises a
`SupplierError` with a French message the page shows. Writes happen in one transaction; e-mails leave once it
commits, and the directory's search index is refreshed for the organisation that changed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.accounts.models import User
from relais.core.tasks import send_email
from relais.core.validators import is_valid_siret, normalise_identifier, validate_no_markup
from relais.networks.enums import Role
from relais.networks.models import Network, NetworkRole
from relais.organisations.enums import OrganisationKind, StructureType
from relais.organisations.models import Organisation, OrganisationStructure
from relais.organisations.services import OrganisationError, organisation_register
from relais.reference.models import Cpv, Departement, Label, Region, Theme

from . import reindex
from .enums import ClaimStatus, Coverage, ServiceKind, TurnoverBand
from .models import SupplierActivity, SupplierClaim, SupplierContact, SupplierLabel, SupplierPhoto, SupplierProfile
from .uploads import check_image

CLAIMABLE_KINDS = frozenset({OrganisationKind.SUPPLIER, OrganisationKind.COMPANY})
# Metropolitan France and its overseas départements and collectivities, roughly: a point outside these boxes is
# a typing mistake (swapped latitude and longitude, a missing minus sign).
FRANCE_BOXES = (
    (41.0, 51.5, -5.5, 10.0),  # metropolitan France and Corsica
    (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    (14.3, 14.9, -61.3, -60.7),  # Martinique
    (2.0, 6.0, -54.7, -51.5),  # Guyane
    (-21.5, -20.8, 55.1, 55.9),  # La Réunion
    (-13.1, -12.6, 44.9, 45.4),  # Mayotte
)
_CPV = re.compile(r"^(\d{8})(?:-(\d))?$")
_PHONE = re.compile(r"^\+?[\d\s.\-()]{6,30}$")


class SupplierError(Exception):
    """An action the directory rules refuse. The message is shown to the user."""


def _check_text(value: str, label: str) -> str:
    try:
        validate_no_markup(value)
    except ValidationError as error:
        raise SupplierError(_("%(field)s : %(problem)s") % {"field": label, "problem": error.messages[0]}) from error
    return value.strip()


def _notify(to: Iterable[str], subject: str, body: str) -> None:
    recipients = sorted({address for address in to if address})
    if recipients:
        transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=recipients))


def _animator_emails(network: Network) -> list[str]:
    return list(
        NetworkRole.objects.filter(network=network, role=Role.ANIMATOR, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def _url(name: str, **kwargs: Any) -> str:
    return str(settings.SITE_URL) + reverse(name, kwargs=kwargs)


# ── Claims ─────────────────────────────────────────────────────────────────────────────────────────────────────────


def siret_clean(value: str) -> str:
    """A pasted SIRET without its spaces and dots, refused with a clear message when it cannot be one."""
    siret = normalise_identifier(value)
    if len(siret) != 14 or not siret.isdigit():
        raise SupplierError(_("Un SIRET compte exactement 14 chiffres."))
    if not is_valid_siret(siret):
        raise SupplierError(
            _("Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les chiffres.")
        )
    return siret


def _manages(user: User, organisation: Organisation) -> bool:
    return (
        user.network_roles.filter(role=Role.SUPPLIER, organisation=organisation).exists()
        or SupplierClaim.objects.filter(user=user, organisation=organisation, status=ClaimStatus.VERIFIED).exists()
    )


def supplier_claim(*, user: User, siret: str, name: str, network: Network, message: str = "") -> SupplierClaim:
    """Claim the organisation of this SIRET for this account; the network's animators are asked to verify it.

    A supplier already in the directory (or a company known from public contracts) is claimed as it is; an unknown
    SIRET creates the supplier with the name given. Refused when the account already manages the organisation, has
    a claim waiting for it, or when the SIRET is that of a public buyer or a support operator."""
    siret = siret_clean(siret)
    name = _check_text(name, _("Raison sociale"))
    message = _check_text(message, _("Message"))
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().filter(siret=siret).first()
        if organisation is None:
            if not name:
                raise SupplierError(_("Ce SIRET n'est pas encore dans l'annuaire : indiquez la raison sociale."))
            try:
                organisation = organisation_register(name=name, kind=OrganisationKind.SUPPLIER, siret=siret)
            except OrganisationError as error:
                raise SupplierError(str(error)) from error
        elif organisation.kind not in CLAIMABLE_KINDS:
            raise SupplierError(
                _(
                    "Ce SIRET est celui d'un acheteur public ou d'un opérateur d'accompagnement : seules les "
                    "structures fournisseurs peuvent être revendiquées."
                )
            )
        if _manages(user, organisation):
            raise SupplierError(_("Vous gérez déjà la fiche de « %(name)s ».") % {"name": organisation.name})
        if SupplierClaim.objects.filter(user=user, organisation=organisation, status=ClaimStatus.PENDING).exists():
            raise SupplierError(
                _("Votre demande pour « %(name)s » attend déjà la vérification d'un animateur.")
                % {"name": organisation.name}
            )
        claim = SupplierClaim.objects.create(user=user, organisation=organisation, network=network, message=message)
        _notify(
            _animator_emails(network),
            f"[Relais] Revendication à vérifier : {organisation.name}",
            f"{user.full_name or user.email} demande à gérer la fiche de « {organisation.name} » "
            f"(SIRET {siret}) dans l'annuaire des fournisseurs.\n\n"
            f"Vérifiez la demande : {_url('web:supplier_claim_review', public_id=claim.public_id)}\n",
        )
    return claim


def _decide(claim: SupplierClaim, by: User, status: str, reason: str) -> SupplierClaim:
    claim = SupplierClaim.objects.select_for_update().select_related("organisation", "user").get(pk=claim.pk)
    if claim.status != ClaimStatus.PENDING:
        raise SupplierError(_("Cette revendication a déjà été traitée."))
    claim.status = status
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.reason = reason
    claim.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    return claim


def supplier_claim_verify(*, claim: SupplierClaim, by: User, reason: str = "") -> SupplierClaim:
    """The animator confirms that the account acts for the organisation: it may now edit the profile. A company
    known from public contracts becomes a social-economy supplier of the directory."""
    reason = _check_text(reason, _("Commentaire"))
    with transaction.atomic():
        claim = _decide(claim, by, ClaimStatus.VERIFIED, reason)
        organisation = claim.organisation
        if organisation.kind == OrganisationKind.COMPANY:
            organisation.kind = OrganisationKind.SUPPLIER
            organisation.save(update_fields=["kind", "updated_at"])
        SupplierProfile.objects.get_or_create(organisation=organisation)
        _notify(
            [claim.user.email],
            f"[Relais] Vous gérez maintenant la fiche de {organisation.name}",
            f"Votre demande pour « {organisation.name} » a été vérifiée. Vous pouvez compléter sa fiche : "
            f"{_url('web:supplier_profile_edit', public_id=organisation.public_id)}\n",
        )
        reindex.organisation_changed(organisation.pk)
    return claim


def supplier_claim_reject(*, claim: SupplierClaim, by: User, reason: str) -> SupplierClaim:
    """The animator refuses the claim, with the reason sent to the account (it may claim again)."""
    reason = _check_text(reason, _("Motif"))
    if not reason:
        raise SupplierError(_("Indiquez le motif du refus : il est envoyé à la personne."))
    with transaction.atomic():
        claim = _decide(claim, by, ClaimStatus.REJECTED, reason)
        _notify(
            [claim.user.email],
            f"[Relais] Demande refusée : {claim.organisation.name}",
            f"Votre demande pour gérer la fiche de « {claim.organisation.name} » n'a pas été acceptée.\n\n"
            f"Motif : {reason}\n",
        )
    return claim


# ── Profile ────────────────────────────────────────────────────────────────────────────────────────────────────────


def check_coordinates(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise SupplierError(_("Indiquez la latitude et la longitude, ou aucune des deux."))
    if latitude is None or longitude is None:
        return
    if not any(s <= latitude <= n and w <= longitude <= e for s, n, w, e in FRANCE_BOXES):
        raise SupplierError(
            _(
                "Les coordonnées (%(latitude)s ; %(longitude)s) ne sont pas en France. Vérifiez l'ordre (latitude "
                "puis longitude, par exemple 48.11 ; -1.68 pour Rennes) et le signe de la longitude."
            )
            % {"latitude": latitude, "longitude": longitude}
        )


def profile_for(organisation: Organisation) -> SupplierProfile:
    profile, _created = SupplierProfile.objects.get_or_create(organisation=organisation)
    return profile


def supplier_profile_update(
    *,
    organisation: Organisation,
    name: str,
    description: str = "",
    website: str = "",
    address: str = "",
    postcode: str = "",
    city: str = "",
    departement: Departement | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    staff_insertion: int | None = None,
    staff_permanent: int | None = None,
    turnover_band: str = "",
    public_listing: bool = False,
) -> SupplierProfile:
    """Save the profile. Agreeing to a public page records when; withdrawing the agreement unpublishes at once."""
    name = _check_text(name, _("Raison sociale"))
    if not name:
        raise SupplierError(_("La raison sociale est obligatoire."))
    description, address, city = (
        _check_text(description, _("Présentation")),
        _check_text(address, _("Adresse")),
        _check_text(city, _("Commune")),
    )
    postcode = postcode.strip()
    if postcode and not re.fullmatch(r"\d{5}", postcode):
        raise SupplierError(_("Un code postal compte 5 chiffres."))
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError as error:
            raise SupplierError(_("Adresse du site web invalide : elle commence par https://.")) from error
    check_coordinates(latitude, longitude)
    for value in (staff_insertion, staff_permanent):
        if value is not None and not 0 <= value <= 1_000_000:
            raise SupplierError(_("Les effectifs sont des nombres positifs."))
    if turnover_band and turnover_band not in TurnoverBand.values:
        raise SupplierError(_("Tranche de chiffre d'affaires inconnue."))
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        organisation.name, organisation.description, organisation.website = name, description, website
        organisation.city, organisation.departement = city, departement
        organisation.save(update_fields=["name", "description", "website", "city", "departement", "updated_at"])
        profile = SupplierProfile.objects.select_for_update().filter(organisation=organisation).first()
        profile = profile or SupplierProfile(organisation=organisation)
        profile.address, profile.postcode = address, postcode
        profile.latitude, profile.longitude = latitude, longitude
        profile.staff_insertion, profile.staff_permanent = staff_insertion, staff_permanent
        profile.turnover_band = turnover_band
        if public_listing and not profile.public_listing:
            profile.public_listing_agreed_at = timezone.now()
        elif not public_listing:
            profile.public_listing_agreed_at = None
        profile.public_listing = public_listing
        profile.save()
        reindex.organisation_changed(organisation.pk)
    return profile


def supplier_logo_set(*, organisation: Organisation, upload: Any) -> SupplierProfile:
    """Replace the logo (an image checked by its content); the old file is deleted once the change is saved."""
    check_image(upload)
    with transaction.atomic():
        profile = profile_for(organisation)
        old = profile.logo.name if profile.logo else ""
        profile.logo.save(upload.name or "logo", upload, save=True)
        if old:
            storage = profile.logo.storage
            transaction.on_commit(lambda: storage.delete(old))
    return profile


def supplier_photo_add(*, organisation: Organisation, upload: Any, caption: str = "") -> SupplierPhoto:
    caption = _check_text(caption, _("Légende"))
    check_image(upload)
    if organisation.photos.count() >= 12:
        raise SupplierError(_("Une fiche compte au plus 12 photos : supprimez-en une avant d'en ajouter."))
    photo = SupplierPhoto(organisation=organisation, caption=caption)
    photo.image.save(upload.name or "photo", upload, save=True)
    return photo


def supplier_photo_delete(*, photo: SupplierPhoto) -> None:
    name, storage = photo.image.name or "", photo.image.storage
    with transaction.atomic():
        photo.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


# ── Structure types, activities, labels, contacts ──────────────────────────────────────────────────────────────────


def supplier_structure_save(
    *, organisation: Organisation, structure_type: str, evidence: str = "", valid_until: dt.date | None = None
) -> OrganisationStructure:
    """Add a structure type (or update its evidence and validity): EI, ESAT, ESUS agreement (with its expiry)…"""
    if structure_type not in StructureType.values:
        raise SupplierError(_("Type de structure inconnu."))
    evidence = _check_text(evidence, _("Justificatif"))
    with transaction.atomic():
        structure, _created = OrganisationStructure.objects.update_or_create(
            organisation=organisation,
            structure_type=structure_type,
            defaults={"evidence": evidence, "valid_until": valid_until},
        )
        reindex.organisation_changed(organisation.pk)
    return structure


def supplier_structure_remove(*, structure: OrganisationStructure) -> None:
    with transaction.atomic():
        structure.delete()
        reindex.organisation_changed(structure.organisation_id)


def cpvs_resolve(codes: Iterable[Cpv | str]) -> list[Cpv]:
    """CPV 2008 codes typed with or without their check digit ("45000000-7" or "45000000"), refused one by one."""
    found: dict[int, Cpv] = {}
    for item in codes:
        if isinstance(item, Cpv):
            found.setdefault(item.pk, item)
            continue
        text = item.replace(" ", "")
        match = _CPV.match(text)
        if not match:
            raise SupplierError(
                _("Code CPV « %(code)s » invalide : 8 chiffres, avec ou sans la clé (45000000-7).") % {"code": item}
            )
        cpv = Cpv.objects.filter(code8=match.group(1)).first()
        if cpv is None:
            raise SupplierError(
                _("Le code CPV « %(code)s » n'existe pas dans la nomenclature CPV 2008.") % {"code": item}
            )
        if match.group(2) is not None and match.group(2) != cpv.check_digit:
            raise SupplierError(
                _("La clé du code CPV « %(code)s » ne correspond pas : le code complet est %(full_code)s.")
                % {"code": item, "full_code": cpv.code}
            )
        found.setdefault(cpv.pk, cpv)
    return list(found.values())


def supplier_activity_save(
    *,
    organisation: Organisation,
    title: str,
    service_kind: str,
    coverage: str,
    activity: SupplierActivity | None = None,
    description: str = "",
    cpvs: Iterable[Cpv | str] = (),
    themes: Iterable[Theme] = (),
    regions: Iterable[Region] = (),
    departements: Iterable[Departement] = (),
    radius_km: int | None = None,
) -> SupplierActivity:
    """Create or update an activity: what (CPV codes and/or themes), which kind of service, and where — the whole
    country, régions, départements, or a radius of 1 to 1,000 km around the supplier's address."""
    title, description = _check_text(title, _("Activité")), _check_text(description, _("Description"))
    if not title:
        raise SupplierError(_("Donnez un intitulé à l'activité."))
    if service_kind not in ServiceKind.values:
        raise SupplierError(_("Choisissez le type de prestation."))
    cpv_list, theme_list = cpvs_resolve(cpvs), list(themes)
    if not cpv_list and not theme_list:
        raise SupplierError(
            _("Indiquez au moins un code CPV ou un thème : c'est ainsi que les acheteurs vous trouvent.")
        )
    region_list, departement_list = list(regions), list(departements)
    if coverage == Coverage.REGIONS and not region_list:
        raise SupplierError(_("Choisissez au moins une région."))
    if coverage == Coverage.DEPARTEMENTS and not departement_list:
        raise SupplierError(_("Choisissez au moins un département."))
    if coverage == Coverage.RADIUS:
        if radius_km is None or not 1 <= radius_km <= 1000:
            raise SupplierError(_("Le rayon d'intervention est compris entre 1 et 1 000 km."))
        profile = SupplierProfile.objects.filter(organisation=organisation).first()
        if profile is None or profile.latitude is None:
            raise SupplierError(
                _("Un rayon se mesure depuis votre adresse : renseignez d'abord ses coordonnées dans la fiche.")
            )
    elif coverage not in Coverage.values:
        raise SupplierError(_("Choisissez la zone d'intervention."))
    else:
        radius_km = None
    with transaction.atomic():
        activity = activity or SupplierActivity(organisation=organisation)
        activity.title, activity.description = title, description
        activity.service_kind, activity.coverage, activity.radius_km = service_kind, coverage, radius_km
        activity.save()
        activity.cpvs.set(cpv_list)
        activity.themes.set(theme_list)
        activity.regions.set(region_list if coverage == Coverage.REGIONS else [])
        activity.departements.set(departement_list if coverage == Coverage.DEPARTEMENTS else [])
        reindex.organisation_changed(organisation.pk)
    return activity


def supplier_activity_delete(*, activity: SupplierActivity) -> None:
    with transaction.atomic():
        organisation_id = activity.organisation_id
        activity.delete()
        reindex.organisation_changed(organisation_id)


def supplier_label_save(
    *, organisation: Organisation, label: Label, evidence: str = "", valid_until: dt.date | None = None
) -> SupplierLabel:
    """Record a label of the registry held by the supplier (or update its evidence and validity)."""
    evidence = _check_text(evidence, _("Justificatif"))
    with transaction.atomic():
        held, _created = SupplierLabel.objects.update_or_create(
            organisation=organisation, label=label, defaults={"evidence": evidence, "valid_until": valid_until}
        )
        reindex.organisation_changed(organisation.pk)
    return held


def supplier_label_remove(*, held: SupplierLabel) -> None:
    with transaction.atomic():
        held.delete()
        reindex.organisation_changed(held.organisation_id)


def supplier_contact_save(
    *,
    organisation: Organisation,
    full_name: str,
    contact: SupplierContact | None = None,
    position: str = "",
    email: str = "",
    phone: str = "",
) -> SupplierContact:
    """A professional contact (name, position, work e-mail and phone): at least an e-mail or a phone."""
    full_name, position = _check_text(full_name, _("Nom")), _check_text(position, _("Fonction"))
    email, phone = email.strip().lower(), phone.strip()
    if not full_name:
        raise SupplierError(_("Indiquez le nom du contact."))
    if not email and not phone:
        raise SupplierError(_("Indiquez au moins un e-mail ou un téléphone professionnel."))
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise SupplierError(_("Adresse e-mail invalide : « %(email)s ».") % {"email": email})
    if phone and not _PHONE.fullmatch(phone):
        raise SupplierError(_("Numéro de téléphone invalide : « %(phone)s ».") % {"phone": phone})
    contact = contact or SupplierContact(organisation=organisation)
    contact.full_name, contact.position, contact.email, contact.phone = full_name, position, email, phone
    contact.save()
    return contact


def supplier_contact_delete(*, contact: SupplierContact) -> None:
    contact.delete()
