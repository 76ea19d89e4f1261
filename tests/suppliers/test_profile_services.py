"""Editing a supplier's profile: fields, public listing consent, images, structure types, activities, labels,
contacts — each bad input refused with its message, nothing half-saved."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.organisations.models import Organisation
from relais.suppliers.enums import Coverage, ServiceKind
from relais.suppliers.models import SupplierActivity, SupplierProfile
from relais.suppliers.services import (
    SupplierError,
    supplier_activity_save,
    supplier_contact_save,
    supplier_label_save,
    supplier_logo_set,
    supplier_photo_add,
    supplier_profile_update,
    supplier_structure_save,
)

from ..factories import CpvFactory, DepartementFactory, OrganisationFactory, RegionFactory, ThemeFactory
from .factories import LabelFactory, SupplierProfileFactory

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def organisation() -> Organisation:
    organisation: Organisation = OrganisationFactory(supplier=True, name="Jardins de l'Ille")
    return organisation


def _update(organisation: Organisation, **kwargs: Any) -> SupplierProfile:
    return supplier_profile_update(organisation=organisation, name=organisation.name, **kwargs)


def test_profile_fields_are_saved(organisation: Organisation) -> None:
    departement = DepartementFactory()
    profile = _update(
        organisation,
        description="Maraîchage bio et entretien d'espaces verts.",
        website="https://jardins.example",
        address="3 rue des Potagers",
        postcode="35000",
        city="Rennes",
        departement=departement,
        latitude=48.11,
        longitude=-1.68,
        staff_insertion=24,
        staff_permanent=6,
        turnover_band="100k_500k",
    )
    organisation.refresh_from_db()
    assert (organisation.city, organisation.departement, organisation.website) == (
        "Rennes",
        departement,
        "https://jardins.example",
    )
    assert (profile.latitude, profile.staff_insertion, profile.turnover_band) == (48.11, 24, "100k_500k")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"latitude": 48.1}, "latitude et la longitude"),
        ({"latitude": -1.68, "longitude": 48.11}, "pas en France"),
        ({"latitude": 40.4, "longitude": -3.7}, "pas en France"),  # Madrid
        ({"postcode": "3500"}, "5 chiffres"),
        ({"website": "jardins"}, "site web"),
        ({"description": "<script>alert(1)</script>"}, "balises HTML"),
        ({"turnover_band": "énorme"}, "Tranche"),
    ],
)
def test_bad_profile_input_is_refused(organisation: Organisation, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(SupplierError, match=message):
        _update(organisation, **kwargs)
    assert not SupplierProfile.objects.filter(organisation=organisation).exists()


def test_overseas_coordinates_are_accepted(organisation: Organisation) -> None:
    assert _update(organisation, latitude=-20.88, longitude=55.45).latitude == -20.88  # Saint-Denis de La Réunion


def test_public_listing_consent_is_dated_and_withdrawing_unpublishes_at_once(organisation: Organisation) -> None:
    profile = _update(organisation, public_listing=True)
    agreed = profile.public_listing_agreed_at
    assert profile.public_listing
    assert agreed is not None
    assert _update(organisation, public_listing=True).public_listing_agreed_at == agreed  # unchanged on re-save
    withdrawn = _update(organisation, public_listing=False)
    assert (withdrawn.public_listing, withdrawn.public_listing_agreed_at) == (False, None)


def test_images_are_checked_by_their_content(organisation: Organisation, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    photo = supplier_photo_add(
        organisation=organisation, upload=SimpleUploadedFile("serre.png", PNG), caption="La serre"
    )
    assert photo.image.name.startswith("suppliers/photos/")
    assert "serre" not in photo.image.name
    with pytest.raises(SupplierError, match="pas une image"):
        supplier_photo_add(organisation=organisation, upload=SimpleUploadedFile("x.png", b"<svg onload=alert(1)>"))
    with pytest.raises(SupplierError, match="pas une image"):
        supplier_logo_set(organisation=organisation, upload=SimpleUploadedFile("doc.jpg", b"%PDF-1.4 ..."))
    with pytest.raises(SupplierError, match="vide"):
        supplier_logo_set(organisation=organisation, upload=SimpleUploadedFile("vide.png", b""))
    settings.SUPPLIER_IMAGE_MAX_BYTES = 10
    with pytest.raises(SupplierError, match="taille maximale"):
        supplier_logo_set(organisation=organisation, upload=SimpleUploadedFile("logo.png", PNG))
    settings.SUPPLIER_IMAGE_MAX_BYTES = 1024
    profile = supplier_logo_set(
        organisation=organisation, upload=SimpleUploadedFile("logo.png", io.BytesIO(PNG).read())
    )
    assert profile.logo.name.endswith(".png")


def test_structure_types_with_evidence_and_validity(organisation: Organisation) -> None:
    supplier_structure_save(organisation=organisation, structure_type="esus", evidence="Agrément préfectoral")
    updated = supplier_structure_save(
        organisation=organisation, structure_type="esus", evidence="Agrément renouvelé", valid_until=dt.date(2030, 1, 1)
    )
    assert organisation.structures.count() == 1
    assert (updated.evidence, updated.valid_until) == ("Agrément renouvelé", dt.date(2030, 1, 1))
    with pytest.raises(SupplierError, match="inconnu"):
        supplier_structure_save(organisation=organisation, structure_type="startup")


def test_activities_validate_cpv_with_or_without_check_digit_and_coverage(organisation: Organisation) -> None:
    cpv = CpvFactory(code="77310000-6", label_fr="Réalisation et entretien d'espaces verts")
    activity = supplier_activity_save(
        organisation=organisation,
        title="Entretien d'espaces verts",
        service_kind=ServiceKind.SERVICE,
        coverage=Coverage.DEPARTEMENTS,
        cpvs=["77310000", "77310000-6"],
        departements=[DepartementFactory()],
    )
    assert list(activity.cpvs.all()) == [cpv]
    assert activity.departements.count() == 1
    for codes, message in ((["7731"], "invalide"), (["99999999"], "n'existe pas"), (["77310000-1"], "77310000-6")):
        with pytest.raises(SupplierError, match=message):
            supplier_activity_save(
                organisation=organisation, title="X", service_kind="service", coverage="country", cpvs=codes
            )
    with pytest.raises(SupplierError, match="au moins un code CPV ou un thème"):
        supplier_activity_save(organisation=organisation, title="X", service_kind="service", coverage="country")
    with pytest.raises(SupplierError, match="au moins une région"):
        supplier_activity_save(
            organisation=organisation, title="X", service_kind="service", coverage="regions", themes=[ThemeFactory()]
        )
    assert SupplierActivity.objects.count() == 1


def test_a_radius_needs_coordinates_and_stays_within_1_to_1000_km(organisation: Organisation) -> None:
    theme = ThemeFactory()
    arguments = {"organisation": organisation, "title": "Traiteur", "service_kind": "supply", "coverage": "radius"}
    with pytest.raises(SupplierError, match="coordonnées"):
        supplier_activity_save(**arguments, themes=[theme], radius_km=50)  # type: ignore[arg-type]
    SupplierProfileFactory(organisation=organisation, in_rennes=True)
    for radius in (0, 1001, None):
        with pytest.raises(SupplierError, match="entre 1 et 1 000 km"):
            supplier_activity_save(**arguments, themes=[theme], radius_km=radius)  # type: ignore[arg-type]
    activity = supplier_activity_save(**arguments, themes=[theme], radius_km=1000)  # type: ignore[arg-type]
    assert activity.radius_km == 1000
    country = supplier_activity_save(
        organisation=organisation,
        activity=activity,
        title="Traiteur",
        service_kind="supply",
        coverage="regions",
        themes=[theme],
        regions=[RegionFactory()],
        radius_km=30,
    )
    assert country.radius_km is None
    assert country.regions.count() == 1


def test_labels_and_contacts(organisation: Organisation) -> None:
    label = LabelFactory()
    held = supplier_label_save(organisation=organisation, label=label, evidence="Certificat n° 42")
    assert supplier_label_save(organisation=organisation, label=label, evidence="n° 43").pk == held.pk
    contact = supplier_contact_save(organisation=organisation, full_name="Anne Le Goff", email=" Anne@Jardins.Example ")
    assert contact.email == "anne@jardins.example"
    with pytest.raises(SupplierError, match="au moins un e-mail ou un téléphone"):
        supplier_contact_save(organisation=organisation, full_name="Sans moyen")
    with pytest.raises(SupplierError, match="téléphone invalide"):
        supplier_contact_save(organisation=organisation, full_name="X", phone="appelez-moi")
