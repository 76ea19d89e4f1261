"""The working-group pages: listing and filters, detail, the animators' forms, join/leave, deliverables."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from relais.documents.enums import AccessLevel
from relais.documents.models import Document
from relais.workgroups.enums import Publication, WorkGroupStatus
from relais.workgroups.models import Meeting, WorkGroup, WorkGroupDeliverable

from ..conftest import Personas
from ..factories import OrganisationFactory, ThemeFactory
from .conftest import make_group, member_organisation
from .factories import DeliverableFactory, MeetingFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(group: WorkGroup) -> str:
    return reverse("web:workgroup_detail", kwargs={"public_id": group.public_id})


# ── Listing ────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_list_filters_by_status_and_theme_and_keeps_history(personas: Personas) -> None:
    cleaning = ThemeFactory.create(slug="proprete", label="Propreté et nettoyage")
    make_group(personas, title="Groupe ouvert Alpha")
    make_group(personas, title="Groupe clos Beta", closed=True)
    make_group(personas, title="Groupe nettoyage Gamma", theme=cleaning, running=True)
    client = client_for(personas.member)
    url = reverse("web:workgroup_list")
    body = client.get(url).content.decode()
    assert "Groupe ouvert Alpha" in body
    assert "Groupe clos Beta" in body
    assert "Groupe nettoyage Gamma" in body
    closed = client.get(url, {"status": WorkGroupStatus.CLOSED}).content.decode()
    assert "Groupe clos Beta" in closed
    assert "Groupe ouvert Alpha" not in closed
    themed = client.get(url, {"theme": "proprete"}).content.decode()
    assert "Groupe nettoyage Gamma" in themed
    assert "Groupe ouvert Alpha" not in themed


def test_list_shows_only_the_groups_of_my_networks(personas: Personas) -> None:
    make_group(personas, title="Groupe du réseau Grand Ouest")
    body = client_for(personas.other_animator).get(reverse("web:workgroup_list")).content.decode()
    assert "Groupe du réseau Grand Ouest" not in body
    body = client_for(personas.supplier).get(reverse("web:workgroup_list")).content.decode()
    assert "Groupe du réseau Grand Ouest" not in body


# ── Detail ─────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_detail_shows_copilot_animator_participants_meetings_deliverables(personas: Personas) -> None:
    group = make_group(personas, title="Groupe textile")
    ParticipantFactory.create(group=group, user=personas.member)
    ParticipantFactory.create(group=group, user=personas.facilitator)
    MeetingFactory.create(group=group, agenda="Tour de table des marchés", minutes="Décision : guide commun")
    DeliverableFactory.create(group=group, title="Guide textile", public=True)
    body = client_for(personas.member).get(detail_url(group)).content.decode()
    assert member_organisation(personas).name in body
    assert personas.animator.full_name in body
    assert "2 participants" in body
    assert personas.facilitator.full_name in body
    assert "Tour de table des marchés" in body
    assert "Décision : guide commun" in body
    assert "Guide textile" in body
    assert "Quitter ce groupe" in body
    assert "Animation du groupe" not in body  # the animators' tools are not shown to a member


def test_animator_sees_the_tools_and_the_next_transition(personas: Personas) -> None:
    group = make_group(personas)
    body = client_for(personas.animator).get(detail_url(group)).content.decode()
    assert "Animation du groupe" in body
    assert 'value="running"' in body
    assert 'value="closed"' not in body
    assert "Rejoindre ce groupe" not in body


# ── Creation and edition ───────────────────────────────────────────────────────────────────────────────────────────


def _group_data(personas: Personas, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Achats de mobilier de réemploi",
        "theme": ThemeFactory.create().pk,
        "cpv_codes": "",
        "description": "Partager les marchés de mobilier de réemploi.",
        "co_pilot": member_organisation(personas).pk,
        "animator": personas.animator.pk,
    }
    data.update(overrides)
    return data


def test_animator_creates_a_group(personas: Personas) -> None:
    url = reverse("web:workgroup_create", kwargs={"slug": personas.network.slug})
    response = client_for(personas.animator).post(url, _group_data(personas))
    group = WorkGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(group)
    assert group.network == personas.network
    assert group.status == WorkGroupStatus.OPEN


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "<b>Mobilier</b>", "balises HTML"),
        ("description", "", "Décrivez les objectifs du groupe."),
        ("co_pilot", "outsider", "adhérente du réseau"),
        ("animator", "member", "rôle d&#x27;animateur"),
        ("cpv_codes", "12345678", "n&#x27;existe pas"),
    ],
)
def test_create_refuses_bad_input_with_a_french_message(
    personas: Personas, field: str, value: str, message: str
) -> None:
    replacement: object = value
    if value == "outsider":
        replacement = OrganisationFactory.create().pk
    elif value == "member":
        replacement = personas.member.pk
    url = reverse("web:workgroup_create", kwargs={"slug": personas.network.slug})
    response = client_for(personas.animator).post(url, _group_data(personas, **{field: replacement}))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not WorkGroup.objects.exists()


def test_animator_edits_a_group(personas: Personas) -> None:
    group = make_group(personas)
    url = reverse("web:workgroup_edit", kwargs={"public_id": group.public_id})
    response = client_for(personas.animator).post(url, _group_data(personas, title="Titre révisé"))
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.title == "Titre révisé"
    assert group.status == WorkGroupStatus.OPEN


# ── Status, join and leave ─────────────────────────────────────────────────────────────────────────────────────────


def test_illegal_transition_shows_a_french_message(personas: Personas) -> None:
    group = make_group(personas)
    url = reverse("web:workgroup_status", kwargs={"public_id": group.public_id})
    response = client_for(personas.animator).post(url, {"to": WorkGroupStatus.CLOSED}, follow=True)
    assert "Impossible de passer le groupe de « Ouvert aux participants » à « Clos »" in response.content.decode()
    group.refresh_from_db()
    assert group.status == WorkGroupStatus.OPEN


def test_member_joins_then_leaves(personas: Personas) -> None:
    group = make_group(personas)
    client = client_for(personas.member)
    client.post(reverse("web:workgroup_join", kwargs={"public_id": group.public_id}))
    assert group.participations.filter(user=personas.member).exists()
    client.post(reverse("web:workgroup_leave", kwargs={"public_id": group.public_id}))
    assert not group.participations.exists()


def test_join_a_running_group_is_refused_with_a_message(personas: Personas) -> None:
    group = make_group(personas, running=True)
    url = reverse("web:workgroup_join", kwargs={"public_id": group.public_id})
    response = client_for(personas.member).post(url, follow=True)
    assert "n&#x27;est plus ouvert" in response.content.decode()
    assert not group.participations.exists()


def test_animator_adds_a_participant(personas: Personas) -> None:
    group = make_group(personas)
    url = reverse("web:workgroup_participant_add", kwargs={"public_id": group.public_id})
    client = client_for(personas.animator)
    page = client.get(url).content.decode()
    assert personas.facilitator.email in page
    assert personas.supplier.email not in page
    assert client.post(url, {"user": personas.supplier.pk}).status_code == 422
    assert client.post(url, {"user": personas.facilitator.pk}).status_code == 302
    assert group.participations.filter(user=personas.facilitator, added_by=personas.animator).exists()


# ── Meetings ───────────────────────────────────────────────────────────────────────────────────────────────────────


def test_meeting_form_requires_link_or_venue_and_refuses_html(personas: Personas) -> None:
    group = make_group(personas)
    url = reverse("web:workgroup_meeting_create", kwargs={"public_id": group.public_id})
    client = client_for(personas.animator)
    response = client.post(url, {"starts_at": "2027-03-14T09:30", "online_url": "", "venue": "", "agenda": ""})
    assert response.status_code == 422
    assert "Indiquez le lien de la réunion en ligne ou son lieu" in response.content.decode()
    response = client.post(url, {"starts_at": "2027-03-14T09:30", "venue": "Nantes", "agenda": "<script>x</script>"})
    assert response.status_code == 422
    assert "balises HTML" in response.content.decode()
    response = client.post(url, {"starts_at": "pas une date", "venue": "Nantes"})
    assert response.status_code == 422
    assert "date et une heure valides" in response.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(url, {"starts_at": "14/03/2027 09:30", "venue": "Maison de l'emploi, Nantes"})
    assert response.status_code == 302
    assert Meeting.objects.get().venue == "Maison de l'emploi, Nantes"


def test_animator_writes_the_minutes(personas: Personas) -> None:
    group = make_group(personas, closed=True)  # minutes may be finished after closing
    meeting = MeetingFactory.create(group=group)
    url = reverse(
        "web:workgroup_meeting_minutes", kwargs={"public_id": group.public_id, "meeting_id": meeting.public_id}
    )
    client = client_for(personas.animator)
    assert client.post(url, {"agenda": "Ordre du jour", "minutes": "<p>html</p>"}).status_code == 422
    assert client.post(url, {"agenda": "Ordre du jour", "minutes": "Relevé de décisions"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Relevé de décisions"


# ── Deliverables ───────────────────────────────────────────────────────────────────────────────────────────────────


def _deliverable_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "synthesis_guide",
        "title": "Guide du mobilier de réemploi",
        "summary": "Ce que le groupe recommande.",
        "recommendations": "Allotir finement.\nPrévoir une clause de reprise.",
        "publication": Publication.PUBLIC,
        "published_on": "2027-06-30",
    }
    data.update(overrides)
    return data


def test_deliverable_with_file_goes_to_the_library(personas: Personas) -> None:
    group = make_group(personas, closed=True)
    url = reverse("web:workgroup_deliverable_create", kwargs={"public_id": group.public_id})
    upload = SimpleUploadedFile("guide.pdf", b"%PDF-1.4\n% guide de synthese\n", content_type="application/pdf")
    response = client_for(personas.animator).post(url, {**_deliverable_data(), "file": upload})
    deliverable = WorkGroupDeliverable.objects.get()
    assert response.status_code == 302
    assert deliverable.document is not None
    assert deliverable.document.access_level == AccessLevel.PUBLIC
    page = Client().get(response["Location"]).content.decode()
    assert "Guide du mobilier de réemploi" in page
    assert "Prévoir une clause de reprise." in page
    assert reverse("web:document_detail", kwargs={"public_id": deliverable.document.public_id}) in page


def test_deliverable_refuses_a_disguised_file_and_saves_nothing(personas: Personas) -> None:
    group = make_group(personas, closed=True)
    url = reverse("web:workgroup_deliverable_create", kwargs={"public_id": group.public_id})
    upload = SimpleUploadedFile("guide.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client_for(personas.animator).post(url, {**_deliverable_data(), "file": upload})
    assert response.status_code == 422
    assert not WorkGroupDeliverable.objects.exists()
    assert not Document.objects.exists()


def test_public_deliverable_for_everyone_members_one_for_members(personas: Personas) -> None:
    group = make_group(personas, closed=True)
    public = DeliverableFactory.create(group=group, public=True, title="Guide ouvert à tous")
    members = DeliverableFactory.create(group=group, title="Guide des adhérents")
    anonymous = Client()
    assert (
        anonymous.get(reverse("web:workgroup_deliverable_detail", kwargs={"public_id": public.public_id})).status_code
        == 200
    )
    assert (
        anonymous.get(reverse("web:workgroup_deliverable_detail", kwargs={"public_id": members.public_id})).status_code
        == 404
    )
    listing = anonymous.get(reverse("web:workgroup_deliverable_list")).content.decode()
    assert "Guide ouvert à tous" in listing
    assert "Guide des adhérents" not in listing
    listing = client_for(personas.facilitator).get(reverse("web:workgroup_deliverable_list")).content.decode()
    assert "Guide ouvert à tous" in listing
    assert "Guide des adhérents" in listing
