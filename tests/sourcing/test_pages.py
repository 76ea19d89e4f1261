"""The pages of sourcing needs, as a person uses them: posting with attachments and bad input, validating,
answering, the buyer's contacts (access-logged), the animators' funnel, the notification inbox."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import User
from relais.core.models import Notification
from relais.sourcing.enums import Answer, NeedStatus
from relais.sourcing.models import NeedMatch, SourcingNeed

from ..conftest import Personas
from ..factories import DepartementFactory
from .conftest import GREEN_SPACES, green_cpv, reachable_supplier

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(personas: Personas, **changes: Any) -> dict[str, Any]:
    green_cpv()
    data: dict[str, Any] = {
        "network": personas.network.pk,
        "kind": "upcoming_tender",
        "title": "Entretien des espaces verts des écoles",
        "description": "Tonte, taille et désherbage sans pesticides sur 14 écoles.",
        "cpvs": GREEN_SPACES,
        "place": DepartementFactory.create().pk,
        "estimated_amount": "120000",
        "answer_deadline": (timezone.localdate() + dt.timedelta(days=21)).isoformat(),
        "structure_types": ["aci", "ei"],
        "service_kinds": ["service"],
        "interested_target": "3",
    }
    data.update(changes)
    return data


def test_a_member_posts_a_need_with_an_attachment(personas: Personas) -> None:
    client = client_for(personas.member)
    assert client.get(reverse("web:need_create")).status_code == 200
    upload = SimpleUploadedFile("cctp.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("web:need_create"), {**form_data(personas), "attachments": [upload]})
    assert response.status_code == 302
    need = SourcingNeed.objects.get()
    assert (need.status, need.interested_target, need.structure_types) == (NeedStatus.SUBMITTED, 3, ["aci", "ei"])
    attachment = need.attachments.get()
    assert (attachment.filename, attachment.content_type) == ("cctp.pdf", "application/pdf")
    page = client.get(response["Location"]).content.decode()
    assert "En attente de validation" in page
    assert "cctp.pdf" in page
    download = client.get(reverse("web:need_attachment", args=[need.public_id, attachment.public_id]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"answer_deadline": "2020-01-01"}, "La date limite de réponse doit être dans le futur."),
        ({"estimated_amount": "-5"}, "Le montant ne peut pas être négatif."),
        ({"cpvs": "77310000-1"}, "La clé de contrôle ne correspond pas"),
        ({"cpvs": "99999999"}, "n'existe pas dans la nomenclature"),
        ({"cpvs": ""}, "Indiquez au moins un code CPV ou un thème"),
        ({"title": "<b>Urgent</b>"}, "balis"),
        ({"latitude": "48.1"}, "Indiquez la latitude et la longitude"),
        ({"structure_types": ["inconnu"]}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_keeps_what_was_typed_with_a_clear_message(
    personas: Personas, changes: dict[str, Any], message: str
) -> None:
    response = client_for(personas.member).post(reverse("web:need_create"), form_data(personas, **changes))
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'"), page[page.find("error-summary") :][:1500]
    assert "Tonte, taille et désherbage" in page
    assert not SourcingNeed.objects.exists()


def test_a_renamed_executable_is_refused(personas: Personas) -> None:
    upload = SimpleUploadedFile("cctp.pdf", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/pdf")
    response = client_for(personas.member).post(
        reverse("web:need_create"), {**form_data(personas), "attachments": [upload]}
    )
    assert response.status_code == 422
    assert "n&#x27;est pas un document" in response.content.decode()


def test_validation_answer_contacts_and_funnel(
    personas: Personas, need: SourcingNeed, django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    reached = reachable_supplier("Jardins de Cocagne", network=personas.network, email="cocagne@structure.example")
    animator = client_for(personas.animator)
    assert (
        "Confirmer la validation" in animator.get(reverse("web:need_validate", args=[need.public_id])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = animator.post(reverse("web:need_validate", args=[need.public_id]))
    assert response.status_code == 302
    assert "cocagne@structure.example" in [address for message in mail.outbox for address in message.to]

    supplier = client_for(reached.account)
    requests = supplier.get(reverse("web:need_my_requests")).content.decode()
    assert need.title in requests
    assert "À répondre" in requests
    page = supplier.get(reverse("web:need_detail", args=[need.public_id]))
    assert "Envoyer ma réponse" in page.content.decode()
    # The buyer's legal levers and the follow-up are not the supplier's business.
    assert 'id="leviers-titre"' not in page.content.decode()
    assert "Suivi des sollicitations" not in page.content.decode()
    match = NeedMatch.objects.get(need=need)
    assert match.opened_at is not None
    refused = supplier.post(reverse("web:need_answer", args=[need.public_id]), {"answer": Answer.NOT_INTERESTED})
    assert refused.status_code == 422
    assert "pourquoi ce besoin ne vous intéresse pas" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answered = supplier.post(reverse("web:need_answer", args=[need.public_id]), {"answer": Answer.INTERESTED})
    assert answered.status_code == 302
    assert mail.outbox[-1].to == [personas.member.email]

    contact = reached.organisation.contacts.get()
    with caplog.at_level(logging.INFO, logger="relais.access"):
        buyer_page = client_for(personas.member).get(reverse("web:need_detail", args=[need.public_id])).content
    assert contact.email in buyer_page.decode()
    assert "Suivi des sollicitations" not in buyer_page.decode()
    assert 'id="leviers-titre"' in buyer_page.decode()
    assert any("need_contacts_viewed" in record.getMessage() for record in caplog.records)

    funnel = animator.get(reverse("web:need_detail", args=[need.public_id])).content.decode()
    assert "Suivi des sollicitations" in funnel
    assert 'role="img"' in funnel
    assert '<th scope="row">Notifiés</th><td>1</td>' in funnel
    assert '<th scope="row">Intéressés</th><td>1</td>' in funnel


def test_refusal_and_closing_through_the_pages(personas: Personas, need: SourcingNeed) -> None:
    animator = client_for(personas.animator)
    empty = animator.post(reverse("web:need_reject", args=[need.public_id]), {"reason": ""})
    assert empty.status_code == 422
    animator.post(reverse("web:need_reject", args=[need.public_id]), {"reason": "Hors du périmètre du réseau."})
    need.refresh_from_db()
    assert need.status == NeedStatus.REJECTED
    assert (
        "Hors du périmètre du réseau."
        in client_for(personas.member).get(reverse("web:need_detail", args=[need.public_id])).content.decode()
    )
    assert animator.post(reverse("web:need_validate", args=[need.public_id])).status_code == 403


def test_lists_of_each_side(personas: Personas, need: SourcingNeed) -> None:
    queue = client_for(personas.animator).get(reverse("web:need_list")).content.decode()
    assert need.title in queue
    assert "En attente de validation" in queue
    own = client_for(personas.member).get(reverse("web:need_list")).content.decode()
    assert need.title in own
    # The facilitator of the network reads validated needs only.
    facilitator = client_for(personas.facilitator)
    assert need.title not in facilitator.get(reverse("web:need_list")).content.decode()
    SourcingNeed.objects.filter(pk=need.pk).update(status=NeedStatus.VALIDATED)
    assert need.title in facilitator.get(reverse("web:need_list")).content.decode()
    assert need.title not in client_for(personas.other_animator).get(reverse("web:need_list")).content.decode()


def test_the_inbox_marks_read_and_follows_only_inside_links(personas: Personas) -> None:
    client = client_for(personas.member)
    inside = Notification.objects.create(recipient=personas.member, title="Besoin validé", url="/besoins/")
    outside = Notification.objects.create(recipient=personas.member, title="Piège", url="https://evil.example/")
    page = client.get(reverse("web:notification_list")).content.decode()
    assert "2 notifications non lues" in page
    assert client.post(reverse("web:notification_read", args=[inside.public_id]))["Location"] == "/besoins/"
    assert client.post(reverse("web:notification_read", args=[outside.public_id]))["Location"] == reverse(
        "web:notification_list"
    )
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "Aucune notification non lue" in client.get(reverse("web:notification_list")).content.decode()


def test_the_funnel_export_holds_the_needs_of_the_networks_one_animates(personas: Personas, need: SourcingNeed) -> None:
    reached = reachable_supplier("Jardins de Cocagne", network=personas.network)
    NeedMatch.objects.create(need=need, supplier=reached.organisation, batch=1, notified_at=timezone.now())
    csv = client_for(personas.animator).get(reverse("web:need_funnel_csv"))
    assert csv["Content-Disposition"].startswith('attachment; filename="besoins-sourcage-suivi-')
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Besoin;Réseau;Acheteur")
    assert lines[1].startswith(need.title)
    assert lines[1].endswith(";1;1;0;0;0")
    assert "Jardins de Cocagne" not in csv.content.decode("utf-8-sig")
    assert need.title not in client_for(personas.other_animator).get(reverse("web:need_funnel_csv")).content.decode()
    xlsx = client_for(personas.site_admin).get(reverse("web:need_funnel_xlsx"))
    assert xlsx.content.startswith(b"PK")


def test_an_event_page_lists_the_needs_it_prepares_to_those_who_may_read_them(
    personas: Personas, need: SourcingNeed
) -> None:
    from ..events.factories import EventFactory

    meeting = EventFactory.create(network=personas.network, title="Rencontre espaces verts")
    need.event = meeting
    need.save(update_fields=["event"])
    url = reverse("web:event_detail", args=[meeting.public_id])

    # Waiting for validation: the buyer's side sees it, the other members and visitors do not.
    assert need.title in client_for(personas.member).get(url).content.decode()
    assert need.title not in client_for(personas.facilitator).get(url).content.decode()
    need.status = NeedStatus.VALIDATED
    need.save(update_fields=["status"])
    assert need.title in client_for(personas.facilitator).get(url).content.decode()
    assert need.title not in Client().get(url).content.decode()
    assert need.title not in client_for(personas.other_animator).get(url).content.decode()
