"""Pages of the events area: bad input is refused in French and saves nothing; journeys through the views."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from relais.events import services
from relais.events.models import Event, Feedback, Material, Registration

from ..conftest import Personas
from .factories import EventFactory, in_days
from .helpers import close_response

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "training",
    "title": "Formation aux clauses sociales",
    "description": "Deux jours pour calibrer une clause d'insertion.",
    "starts_at": "2031-03-12T09:30",
    "ends_at": "2031-03-13T17:00",
    "venue": "Maison de l'emploi, Nantes",
    "online_url": "",
    "capacity": "25",
    "audience": "members",
    "status": "published",
}


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_animator_creates_an_event(personas: Personas) -> None:
    url = reverse("web:event_create", kwargs={"slug": personas.network.slug})
    response = client_for(personas.animator).post(url, VALID)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.network == personas.network
    assert event.created_by == personas.animator
    assert event.ends_at - event.starts_at == dt.timedelta(days=1, hours=7, minutes=30)
    assert event.starts_at.utcoffset() == dt.timedelta(0)
    assert event.starts_at.hour == 8


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": "2031-03-12T08:00"}, "ends_at", "La fin de l'événement doit être postérieure à son début."),
        ({"ends_at": "2031-03-12T09:30"}, "ends_at", "La fin de l'événement doit être postérieure à son début."),
        ({"capacity": "0"}, "capacity", "Le nombre de places doit être d'au moins 1."),
        ({"capacity": "-5"}, "capacity", "Le nombre de places doit être d'au moins 1."),
        ({"capacity": "beaucoup"}, "capacity", "Saisissez un nombre entier de places, par exemple 30."),
        (
            {"venue": "", "online_url": ""},
            "venue",
            "Indiquez un lieu ou un lien de connexion (au moins l'un des deux).",
        ),
        ({"online_url": "javascript:alert(1)"}, "online_url", "Saisissez une adresse web complète"),
        ({"title": "<script>alert(1)</script>"}, "title", "Ce champ ne peut pas contenir de balises HTML"),
        ({"description": 'Voir <a href="x">ici</a>'}, "description", "Ce champ ne peut pas contenir de balises HTML"),
        ({"venue": "<b>Salle</b>"}, "venue", "Ce champ ne peut pas contenir de balises HTML"),
        ({"starts_at": "demain"}, "starts_at", "Date invalide"),
        ({"title": ""}, "title", "Donnez un titre à l'événement."),
        ({"kind": "fete"}, "kind", "Choisissez un type d'événement dans la liste."),
        ({"audience": "tous"}, "audience", "Choisissez qui peut voir l'événement dans la liste."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_saved(
    personas: Personas, changes: dict[str, str], field: str, message: str
) -> None:
    url = reverse("web:event_create", kwargs={"slug": personas.network.slug})
    response = client_for(personas.animator).post(url, {**VALID, **changes})
    assert response.status_code == 422
    assert not Event.objects.exists()
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    content = response.content.decode()
    assert f'aria-describedby="id_{field}-desc-error' in content or f"id_{field}-desc-error" in content
    assert 'aria-invalid="true"' in content


def test_capacity_below_confirmed_places_is_refused(personas: Personas, make_member: Callable[[], User]) -> None:
    event = EventFactory.create(network=personas.network, capacity=3)
    for _ in range(2):
        services.event_register(event=event, user=make_member())
    data = {
        **VALID,
        "title": event.title,
        "starts_at": "2031-01-01T10:00",
        "ends_at": "2031-01-01T12:00",
        "capacity": "1",
    }
    response = client_for(personas.animator).post(
        reverse("web:event_edit", kwargs={"public_id": event.public_id}), data
    )
    assert response.status_code == 422
    assert "2 personnes ont déjà une place confirmée" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 3
    assert event.venue == ""


def test_member_registers_to_a_full_event_and_is_promoted_when_someone_cancels(
    personas: Personas, make_member: Callable[[], User], django_capture_on_commit_callbacks: Any
) -> None:
    event = EventFactory.create(network=personas.network, capacity=1, members_only=True)
    other = make_member()
    services.event_register(event=event, user=other)
    detail = reverse("web:event_detail", kwargs={"public_id": event.public_id})
    member = client_for(personas.member)
    assert "M'inscrire sur la liste d'attente" in text(member.get(detail))
    member.post(reverse("web:event_register", kwargs={"public_id": event.public_id}))
    assert "Liste d'attente : position 1" in text(member.get(detail))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(other).post(reverse("web:event_unregister", kwargs={"public_id": event.public_id}))
    assert "Inscription confirmée" in member.get(detail).content.decode()
    assert [m.to for m in mail.outbox] == [[personas.member.email]]


def test_attendance_then_feedback(personas: Personas, make_member: Callable[[], User]) -> None:
    event = EventFactory.create(network=personas.network, capacity=5)
    services.event_register(event=event, user=personas.member)
    absent = make_member()
    services.event_register(event=event, user=absent)
    Event.objects.filter(pk=event.pk).update(starts_at=in_days(-2), ends_at=in_days(-2) + dt.timedelta(hours=3))
    registration = Registration.objects.get(event=event, user=personas.member)
    attendance = reverse("web:event_attendance", kwargs={"public_id": event.public_id})
    animator = client_for(personas.animator)
    page = animator.get(attendance).content.decode()
    assert f'value="{registration.public_id}"' in page
    assert "<caption>" in page
    animator.post(attendance, {"present": [str(registration.public_id)]})
    assert Registration.objects.get(pk=registration.pk).attended
    assert not Registration.objects.get(event=event, user=absent).attended

    feedback_url = reverse("web:event_feedback", kwargs={"public_id": event.public_id})
    member = client_for(personas.member)
    bad = member.post(feedback_url, {"rating": "9", "comment": "<script>x</script>"})
    assert bad.status_code == 422
    assert "Choisissez une note de 1 (pas satisfait) à 5 (très satisfait)." in bad.content.decode()
    assert "Ce champ ne peut pas contenir de balises HTML" in bad.content.decode()
    assert not Feedback.objects.exists()
    assert member.post(feedback_url, {"rating": "4", "comment": "Très concret."}).status_code == 302
    assert Feedback.objects.get().rating == 4
    assert member.get(feedback_url).status_code == 302  # one answer only
    assert client_for(absent).get(feedback_url).status_code == 403
    assert "note moyenne 4,0 sur 5" in animator.get(attendance).content.decode()


def test_materials_are_checked_by_content_and_downloaded_as_attachments(personas: Personas) -> None:
    event = EventFactory.create(network=personas.network, members_only=True)
    url = reverse("web:event_material_add", kwargs={"public_id": event.public_id})
    animator = client_for(personas.animator)
    fake = SimpleUploadedFile("supports.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = animator.post(url, {"title": "Diaporama", "file": fake})
    assert response.status_code == 422
    assert "n'est pas un document PDF, ODT, DOCX ou XLSX valide" in text(response)
    assert not Material.objects.exists()
    pdf = SimpleUploadedFile("diaporama.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "text/html")
    assert animator.post(url, {"title": "Diaporama", "file": pdf}).status_code == 302
    material = Material.objects.get()
    assert material.content_type == "application/pdf"
    assert material.original_name == "diaporama.pdf"
    download = reverse("web:event_material", kwargs={"public_id": event.public_id, "material_id": material.public_id})
    response = client_for(personas.member).get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.getvalue().startswith(b"%PDF")
    close_response(response)
    assert Client().get(download).status_code == 404  # members-only event: nothing for anonymous visitors


def test_list_separates_upcoming_and_past(personas: Personas) -> None:
    EventFactory.create(network=personas.network, title="À venir Albatros")
    EventFactory.create(network=personas.network, title="Passé Zéphyrin", past=True)
    upcoming = Client().get(reverse("web:event_list")).content.decode()
    past = Client().get(reverse("web:event_list") + "?periode=passes").content.decode()
    assert "À venir Albatros" in upcoming
    assert "Passé Zéphyrin" not in upcoming
    assert "Passé Zéphyrin" in past
    assert "À venir Albatros" not in past
