"""Who gets what on the supplier self-service and supplier-import pages, for each persona of the fixed cast.

tests/test_permissions.py delegates the `web:supplier_…` names to this module.
Any logged-in account may claim a supplier; the claim is decided by an animator of the network it was sent to. A
profile is edited by the accounts acting for the supplier (the supplier persona holds the supplier role for
"Atelier d'insertion") and site admins. Imports write to the shared directory and their files hold contacts: the
animators of the import's network and site admins only. Each request runs in a savepoint rolled back afterwards,
so that one persona's POST does not change what the next one meets.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from relais.organisations.models import Organisation, OrganisationStructure
from relais.suppliers import imports
from relais.suppliers.models import SupplierClaim
from relais.suppliers.services import supplier_logo_set, supplier_photo_add

from ..conftest import Personas
from ..factories import OrganisationFactory, OrganisationStructureFactory, ThemeFactory, UserFactory
from ..test_permissions import LOGIN, PERSONAS, SIGNED_IN, Outcome, row, site_urls
from .factories import LabelFactory, SupplierActivityFactory, SupplierContactFactory, SupplierLabelFactory
from .test_profile_services import PNG

PREFIXES = ("web:supplier_",)
SECRET_EMAIL = "secret.contact@structure.example"
CLAIM_DECIDERS = row(LOGIN, 403, 403, 403, 200, 403, 200)
CLAIM_QUEUE = row(LOGIN, 403, 403, 403, 200, 200, 200)
MANAGERS = row(LOGIN, 403, 200, 403, 403, 403, 200)
MANAGERS_POST = row(LOGIN, 403, 302, 403, 403, 403, 302)
ANIMATORS_OF_THE_NETWORK = row(LOGIN, 403, 403, 403, 200, 403, 200)


@dataclass(frozen=True)
class Case:
    expected: dict[str, Outcome]
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)


EXPECTED: dict[str, tuple[Case, ...]] = {
    # A POST without data is refused by the form (200 with the messages).
    "web:supplier_claim": (Case(SIGNED_IN), Case(SIGNED_IN, "POST")),
    "web:supplier_claims_mine": (Case(SIGNED_IN),),
    "web:supplier_claim_queue": (Case(CLAIM_QUEUE),),
    "web:supplier_claim_review": (Case(CLAIM_DECIDERS),),
    "web:supplier_claim_verify": (
        Case(CLAIM_DECIDERS),
        Case(row(LOGIN, 403, 403, 403, 302, 403, 302), "POST"),
    ),
    "web:supplier_claim_reject": (
        Case(CLAIM_DECIDERS),
        Case(row(LOGIN, 403, 403, 403, 302, 403, 302), "POST", {"reason": "Inconnue de la structure."}),
    ),
    "web:supplier_profile_edit": (Case(MANAGERS), Case(MANAGERS, "POST")),
    "web:supplier_structures": (Case(MANAGERS), Case(MANAGERS_POST, "POST", {"structure_type": "esus"})),
    "web:supplier_structure_edit": (Case(MANAGERS),),
    "web:supplier_structure_delete": (Case(MANAGERS), Case(MANAGERS_POST, "POST")),
    "web:supplier_activities": (Case(MANAGERS), Case(MANAGERS, "POST")),
    "web:supplier_activity_edit": (Case(MANAGERS),),
    "web:supplier_activity_delete": (Case(MANAGERS), Case(MANAGERS_POST, "POST")),
    "web:supplier_labels": (Case(MANAGERS),),
    "web:supplier_label_edit": (Case(MANAGERS),),
    "web:supplier_label_delete": (Case(MANAGERS), Case(MANAGERS_POST, "POST")),
    "web:supplier_contacts": (
        Case(MANAGERS),
        Case(MANAGERS_POST, "POST", {"full_name": "Nouveau", "phone": "0299000000"}),
    ),
    "web:supplier_contact_edit": (Case(MANAGERS),),
    "web:supplier_contact_delete": (Case(MANAGERS), Case(MANAGERS_POST, "POST")),
    "web:supplier_photos": (Case(MANAGERS),),
    "web:supplier_photo_delete": (Case(MANAGERS), Case(MANAGERS_POST, "POST")),
    # Upload only: a GET is not allowed; a POST without a file comes back to the photos page with a message.
    "web:supplier_logo": (Case(row(LOGIN, 405, 405, 405, 405, 405, 405)), Case(MANAGERS_POST, "POST")),
    "web:supplier_imports": (Case(CLAIM_QUEUE), Case(CLAIM_QUEUE, "POST")),
    "web:supplier_import_mapping": (Case(ANIMATORS_OF_THE_NETWORK),),
    "web:supplier_import_detail": (Case(ANIMATORS_OF_THE_NETWORK),),
    "web:supplier_import_apply": (
        Case(ANIMATORS_OF_THE_NETWORK),
        Case(row(LOGIN, 403, 403, 403, 302, 403, 302), "POST"),
    ),
    "web:supplier_import_rejects_csv": (Case(ANIMATORS_OF_THE_NETWORK),),
}


def test_every_url_of_the_area_has_an_entry() -> None:
    names, _unnamed = site_urls()
    ours = {name for name in names if name.startswith(PREFIXES)}
    assert ours
    assert ours == EXPECTED.keys()


def test_matrix_rows_are_complete() -> None:
    for cases in EXPECTED.values():
        for case in cases:
            assert set(case.expected) == set(PERSONAS)


def _world(personas: Personas, tmp_path: Path) -> dict[str, dict[str, Any]]:
    """Kwargs of each URL name: the persona supplier's organisation and its parts, a claim, an import."""
    organisation = Organisation.objects.get(name="Atelier d'insertion")
    structure = OrganisationStructureFactory(organisation=organisation)
    activity = SupplierActivityFactory(organisation=organisation, themes=[ThemeFactory()])
    held = SupplierLabelFactory(organisation=organisation, label=LabelFactory())
    contact = SupplierContactFactory(organisation=organisation, email=SECRET_EMAIL)
    photo = supplier_photo_add(organisation=organisation, upload=SimpleUploadedFile("p.png", PNG))
    supplier_logo_set(organisation=organisation, upload=SimpleUploadedFile("l.png", PNG))
    claimed = OrganisationFactory(supplier=True, name="Structure revendiquée")
    claim = SupplierClaim.objects.create(user=UserFactory(), organisation=claimed, network=personas.network)
    path = tmp_path / "liste.csv"
    shutil.copy(Path(__file__).resolve().parent.parent / "data" / "suppliers" / "siae-bretagne.csv", path)
    supplier_import = imports.supplier_import_create(
        network=personas.network, by=personas.animator, path=path, filename="liste.csv"
    )
    imports.supplier_import_preview(supplier_import=supplier_import, mapping={"siret": 0, "name": 1, "email": 6})
    org = {"public_id": organisation.public_id}
    kwargs: dict[str, dict[str, Any]] = {
        f"web:supplier_claim_{name}": {"public_id": claim.public_id} for name in ("review", "verify", "reject")
    }
    kwargs |= {
        f"web:supplier_{name}": org
        for name in ("profile_edit", "structures", "activities", "labels", "contacts", "photos", "logo")
    }
    for name, item in (("structure", structure), ("activity", activity), ("label", held), ("contact", contact)):
        kwargs[f"web:supplier_{name}_edit"] = {**org, "item_id": item.public_id}
        kwargs[f"web:supplier_{name}_delete"] = {**org, "item_id": item.public_id}
    kwargs["web:supplier_photo_delete"] = {**org, "item_id": photo.public_id}
    for name in ("mapping", "detail", "apply", "rejects_csv"):
        kwargs[f"web:supplier_import_{name}"] = {"public_id": supplier_import.public_id}
    assert OrganisationStructure.objects.filter(organisation=organisation).exists()
    return kwargs


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, personas: Personas, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    url = reverse(name, kwargs=_world(personas, tmp_path).get(name, {}))
    problems = []
    for case in EXPECTED[name]:
        for persona, user in personas.all().items():
            client = Client()
            if isinstance(user, User):
                client.force_login(user)
            with transaction.atomic():
                response = client.get(url, case.data) if case.method == "GET" else client.post(url, case.data)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                transaction.set_rollback(True)
            expected = case.expected[persona]
            ok = (
                response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
                if expected == LOGIN
                else response.status_code == expected
            )
            if not ok:
                problems.append(f"{case.method} {url} {persona}: attendu {expected}, obtenu {response.status_code}")
            if response.status_code != 200 and SECRET_EMAIL.encode() in body:
                problems.append(f"{case.method} {url} {persona}: montre un contact")
    assert not problems, "\n".join(problems)
