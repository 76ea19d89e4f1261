"""The working-group pages: listing and filters, detail, the animators' forms, join/leave, deliverables."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
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


def test_list_is_paginated_and_pages_keep_the_filters(personas: Personas) -> None:
    for number in range(25):
        make_group(personas, title=f"Groupe en cours n°{number:02d}", running=True)
    make_group(personas, title="Groupe ouvert hors filtre")
    client = client_for(personas.member)
    url = reverse("web:workgroup_list")
    first = client.get(url, {"status": WorkGroupStatus.RUNNING})
    assert len(first.context["groups"]) == 20
    body = first.content.decode()
    assert "25 groupes de travail — page 1 sur 2" in body
    assert 'class="fr-pagination' in body
    assert 'href="?status=running&amp;page=2"' in body
    assert "Groupe ouvert hors filtre" not in body
    second = client.get(url, {"status": WorkGroupStatus.RUNNING, "page": "2"})
    assert len(second.context["groups"]) == 5
    shown = {group.title for group in [*first.context["groups"], *second.context["groups"]]}
    assert len(shown) == 25
    assert 'aria-current="page"' in second.content.decode()
    # A page out of range or not a number shows the nearest page, never an error.
    assert len(client.get(url, {"status": WorkGroupStatus.RUNNING, "page": "99"}).context["groups"]) == 5
    assert len(client.get(url, {"page": "abc"}).context["groups"]) == 20


def test_short_list_has_no_pagination(personas: Personas) -> None:
    make_group(personas, title="Seul groupe")
    body = client_for(personas.member).get(reverse("web:workgroup_list")).content.decode()
    assert "1 groupe de travail" in body
    assert "fr-pagination" not in body


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


def test_member_joins_then_leaves_after_a_confirmation(personas: Personas) -> None:
    group = make_group(personas)
    client = client_for(personas.member)
    client.post(reverse("web:workgroup_join", kwargs={"public_id": group.public_id}))
    assert group.participations.filter(user=personas.member).exists()
    leave = reverse("web:workgroup_leave", kwargs={"public_id": group.public_id})
    detail = client.get(detail_url(group)).content.decode()
    assert f'<form method="get" action="{leave}">' in detail  # the button leads to the confirmation first
    confirmation = client.get(leave)
    assert confirmation.status_code == 200
    body = confirmation.content.decode()
    assert "Quitter le groupe « " in body
    assert "comptes rendus et les livrables restent" in body
    assert group.participations.filter(user=personas.member).exists()  # nothing happens on GET
    response = client.post(leave, follow=True)
    assert "Vous avez quitté ce groupe de travail." in response.content.decode()
    assert not group.participations.exists()


def test_leaving_a_running_group_warns_that_joining_again_is_not_possible(personas: Personas) -> None:
    group = make_group(personas, running=True)
    ParticipantFactory.create(group=group, user=personas.member)
    body = client_for(personas.member).get(reverse("web:workgroup_leave", kwargs={"public_id": group.public_id}))
    assert "seul un animateur pourra vous y ajouter à nouveau" in body.content.decode()


def test_animator_removes_a_participant_after_a_confirmation(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    group = make_group(personas, running=True)
    participation = ParticipantFactory.create(group=group, user=personas.facilitator)
    MeetingFactory.create(group=group, minutes="Le facilitateur présente les heures d'insertion.")
    url = reverse(
        "web:workgroup_participant_remove",
        kwargs={"public_id": group.public_id, "participant_id": participation.public_id},
    )
    client = client_for(personas.animator)
    assert url in client.get(detail_url(group)).content.decode()
    confirmation = client.get(url).content.decode()
    assert f"Retirer {personas.facilitator.full_name} du groupe" in confirmation
    assert "Retirer du groupe" in confirmation
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    body = response.content.decode()
    assert f"{personas.facilitator.full_name} ne participe plus au groupe" in body
    assert not group.participations.exists()
    assert mail.outbox[-1].to == [personas.facilitator.email]
    # The group's history stays on its page.
    assert "Le facilitateur présente les heures d&#x27;insertion." in body


def test_participants_see_no_remove_link_and_cannot_remove_others(personas: Personas) -> None:
    group = make_group(personas)
    ParticipantFactory.create(group=group, user=personas.member)
    other = ParticipantFactory.create(group=group, user=personas.facilitator)
    url = reverse(
        "web:workgroup_participant_remove", kwargs={"public_id": group.public_id, "participant_id": other.public_id}
    )
    client = client_for(personas.member)
    assert "Retirer " not in client.get(detail_url(group)).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert group.participations.count() == 2


def test_removal_from_a_closed_group_is_refused_with_a_message(personas: Personas) -> None:
    group = make_group(personas, closed=True)
    participation = ParticipantFactory.create(group=group, user=personas.member)
    url = reverse(
        "web:workgroup_participant_remove",
        kwargs={"public_id": group.public_id, "participant_id": participation.public_id},
    )
    client = client_for(personas.animator)
    assert "Retirer " not in client.get(detail_url(group)).content.decode()
    response = client.post(url, follow=True)
    assert "sa liste de participants est conservée" in response.content.decode()
    assert group.participations.count() == 1


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


def test_animator_corrects_a_deliverable_and_its_document_follows(personas: Personas) -> None:
    group = make_group(personas, closed=True)
    client = client_for(personas.animator)
    upload = SimpleUploadedFile("guide.pdf", b"%PDF-1.4\n% guide de synthese\n", content_type="application/pdf")
    client.post(
        reverse("web:workgroup_deliverable_create", kwargs={"public_id": group.public_id}),
        {**_deliverable_data(publication=Publication.MEMBERS), "file": upload},
    )
    deliverable = WorkGroupDeliverable.objects.get()
    document = Document.objects.get()
    document_url = reverse("web:document_detail", kwargs={"public_id": document.public_id})
    assert Client().get(document_url).status_code == 404
    url = reverse("web:workgroup_deliverable_edit", kwargs={"public_id": deliverable.public_id})
    detail = client.get(reverse("web:workgroup_deliverable_detail", kwargs={"public_id": deliverable.public_id}))
    assert url in detail.content.decode()
    assert url in client.get(detail_url(group)).content.decode()
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="Guide du mobilier de réemploi"' in form.content.decode()
    assert "file" not in form.context["form"].fields

    refused = client.post(url, _deliverable_data(title="", publication=Publication.PUBLIC))
    assert refused.status_code == 422
    assert "Donnez un titre au livrable." in refused.content.decode()
    assert "Modifier le livrable « Guide du mobilier de réemploi »" in refused.content.decode()
    deliverable.refresh_from_db()
    assert deliverable.publication == Publication.MEMBERS

    response = client.post(
        url, _deliverable_data(title="Guide du mobilier reconditionné", publication=Publication.PUBLIC)
    )
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert (deliverable.title, deliverable.publication) == ("Guide du mobilier reconditionné", Publication.PUBLIC)
    document.refresh_from_db()
    assert (document.title, document.access_level) == ("Guide du mobilier reconditionné", AccessLevel.PUBLIC)
    anonymous = Client()
    assert anonymous.get(document_url).status_code == 200
    assert (
        "Guide du mobilier reconditionné" in anonymous.get(reverse("web:workgroup_deliverable_list")).content.decode()
    )


def test_members_cannot_correct_a_deliverable(personas: Personas) -> None:
    deliverable = DeliverableFactory.create(group=make_group(personas, closed=True), title="Guide intact")
    url = reverse("web:workgroup_deliverable_edit", kwargs={"public_id": deliverable.public_id})
    client = client_for(personas.member)
    detail = client.get(reverse("web:workgroup_deliverable_detail", kwargs={"public_id": deliverable.public_id}))
    assert url not in detail.content.decode()
    assert client.post(url, _deliverable_data(title="Guide modifié")).status_code == 403
    deliverable.refresh_from_db()
    assert deliverable.title == "Guide intact"
