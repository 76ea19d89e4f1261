"""Published sheets keep a history of changes, shown to the author, the network's animators and site admins."""

import pytest
from django.test import Client
from django.urls import reverse

from relais.casesheets.history import sheet_history
from relais.casesheets.services import case_sheet_changed, case_sheet_publish
from tests.conftest import Personas
from tests.factories import CaseSheetFactory

pytestmark = pytest.mark.django_db


def test_history_lists_each_version_with_what_changed(personas: Personas) -> None:
    sheet = CaseSheetFactory.create(submitted=True, network=personas.network, author=personas.member)
    case_sheet_publish(sheet=sheet, by=personas.animator)
    sheet.refresh_from_db()
    sheet.title = "Restauration scolaire : 40 % de produits bio"
    sheet.duration_months = 36
    sheet.save()
    case_sheet_changed(sheet=sheet, by=personas.animator, comment="Correction du titre et de la durée")

    newest, first = sheet_history(sheet)
    assert first.revision.number == 1
    assert first.changed == []
    assert newest.revision.comment == "Correction du titre et de la durée"
    assert newest.changed == ["durée (mois)", "titre"]


@pytest.mark.parametrize(
    ("persona", "sees_history"),
    [
        ("anonymous", False),
        ("facilitator", False),
        ("supplier", False),
        ("other_animator", False),
        ("member", True),  # the author
        ("animator", True),
        ("site_admin", True),
    ],
)
def test_history_is_shown_only_to_author_and_animators(personas: Personas, persona: str, sees_history: bool) -> None:
    sheet = CaseSheetFactory.create(submitted=True, network=personas.network, author=personas.member)
    case_sheet_publish(sheet=sheet, by=personas.animator)
    client = Client()
    user = personas.all()[persona]
    if persona != "anonymous":
        client.force_login(user)  # type: ignore[arg-type]
    page = client.get(reverse("web:sheet_detail", kwargs={"public_id": sheet.public_id})).content.decode()
    assert ("Historique des modifications" in page) is sees_history
