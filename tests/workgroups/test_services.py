"""Workflows of working groups: status transitions, joining and leaving, participants, meetings, deliverables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from relais.accounts.models import User
from relais.documents import perms as document_perms
from relais.documents.access import (
    participant_workgroup_ids,
    register_workgroup_directory,
    workgroup_choices,
    workgroup_directory,
)
from relais.documents.enums import AccessLevel, DocumentKind
from relais.documents.models import Document
from relais.documents.queries import DocumentSearch, search_documents
from relais.networks.enums import MembershipStatus, Role
from relais.networks.models import Membership
from relais.workgroups import perms, services
from relais.workgroups.access import WorkGroupDirectory
from relais.workgroups.enums import Publication, WorkGroupStatus
from relais.workgroups.models import Meeting, WorkGroup, WorkGroupDeliverable, WorkGroupParticipant

from ..conftest import Personas
from ..factories import OrganisationFactory, ThemeFactory, UserFactory
from .conftest import make_group, member_organisation
from .factories import ParticipantFactory

pytestmark = pytest.mark.django_db


# ── Status ─────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_animator_moves_group_open_running_closed(personas: Personas, group: WorkGroup) -> None:
    services.workgroup_set_status(group=group, to=WorkGroupStatus.RUNNING, by=personas.animator)
    group.refresh_from_db()
    assert group.status == WorkGroupStatus.RUNNING
    assert group.started_at is not None
    services.workgroup_set_status(group=group, to=WorkGroupStatus.CLOSED, by=personas.animator)
    group.refresh_from_db()
    assert group.status == WorkGroupStatus.CLOSED
    assert group.closed_at is not None


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (WorkGroupStatus.OPEN, WorkGroupStatus.CLOSED),
        (WorkGroupStatus.OPEN, WorkGroupStatus.OPEN),
        (WorkGroupStatus.RUNNING, WorkGroupStatus.OPEN),
        (WorkGroupStatus.CLOSED, WorkGroupStatus.RUNNING),
        (WorkGroupStatus.CLOSED, WorkGroupStatus.OPEN),
    ],
)
def test_illegal_transitions_are_refused_in_french(personas: Personas, start: str, to: str) -> None:
    extra: dict[str, Any] = {"closed_at": timezone.now()} if start == WorkGroupStatus.CLOSED else {}
    group = make_group(personas, status=start, **extra)
    with pytest.raises(services.WorkGroupError, match="Impossible de passer le groupe"):
        services.workgroup_set_status(group=group, to=to, by=personas.animator)
    group.refresh_from_db()
    assert group.status == start


def test_unknown_status_is_refused(personas: Personas, group: WorkGroup) -> None:
    with pytest.raises(services.WorkGroupError, match="Statut inconnu"):
        services.workgroup_set_status(group=group, to="archived", by=personas.animator)


@pytest.mark.parametrize("persona", ["member", "facilitator", "supplier", "other_animator"])
def test_only_the_networks_animators_move_the_status(personas: Personas, group: WorkGroup, persona: str) -> None:
    with pytest.raises(services.WorkGroupError, match="Seuls les animateurs du réseau"):
        services.workgroup_set_status(group=group, to=WorkGroupStatus.RUNNING, by=getattr(personas, persona))
    group.refresh_from_db()
    assert group.status == WorkGroupStatus.OPEN


def test_site_admin_may_move_the_status(personas: Personas, group: WorkGroup) -> None:
    services.workgroup_set_status(group=group, to=WorkGroupStatus.RUNNING, by=personas.site_admin)
    assert WorkGroup.objects.get(pk=group.pk).status == WorkGroupStatus.RUNNING


# ── Creation ───────────────────────────────────────────────────────────────────────────────────────────────────────


def test_create_checks_co_pilot_membership_and_animator_role(personas: Personas) -> None:
    outsider = OrganisationFactory.create(name="Commune non adhérente")
    base: dict[str, Any] = {
        "network": personas.network,
        "by": personas.animator,
        "title": "Nettoyage écologique",
        "theme": ThemeFactory.create(),
        "description": "Produits écolabellisés.",
    }
    with pytest.raises(ValidationError) as error:
        services.workgroup_create(**base, co_pilot=outsider, animator=personas.member)
    assert set(error.value.message_dict) == {"co_pilot", "animator"}
    # A suspended membership does not make a co-pilot either.
    Membership.objects.filter(organisation=member_organisation(personas)).update(status=MembershipStatus.SUSPENDED)
    with pytest.raises(ValidationError, match="adhérente du réseau"):
        services.workgroup_create(**base, co_pilot=member_organisation(personas), animator=personas.animator)
    assert not WorkGroup.objects.exists()


def test_only_animators_create(personas: Personas) -> None:
    with pytest.raises(services.WorkGroupError):
        services.workgroup_create(
            network=personas.network,
            by=personas.member,
            title="Groupe",
            theme=ThemeFactory.create(),
            description="Texte",
            co_pilot=member_organisation(personas),
            animator=personas.animator,
        )


def test_create_refuses_html(personas: Personas) -> None:
    with pytest.raises(ValidationError, match="balises HTML"):
        services.workgroup_create(
            network=personas.network,
            by=personas.animator,
            title="Groupe <script>alert(1)</script>",
            theme=ThemeFactory.create(),
            description="Texte",
            co_pilot=member_organisation(personas),
            animator=personas.animator,
        )


# ── Participants ───────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("persona", ["member", "facilitator"])
def test_members_and_facilitators_join_an_open_group(
    personas: Personas, group: WorkGroup, persona: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.workgroup_join(group=group, user=getattr(personas, persona))
    assert group.participations.filter(user=getattr(personas, persona)).exists()
    assert mail.outbox[-1].to == [personas.animator.email]


@pytest.mark.parametrize("persona", ["supplier", "animator", "other_animator", "site_admin"])
def test_people_outside_the_members_cannot_join(personas: Personas, group: WorkGroup, persona: str) -> None:
    with pytest.raises(services.WorkGroupError, match="adhérents et facilitateurs"):
        services.workgroup_join(group=group, user=getattr(personas, persona))
    assert not group.participations.exists()


@pytest.mark.parametrize("status", [WorkGroupStatus.RUNNING, WorkGroupStatus.CLOSED])
def test_join_only_while_open(personas: Personas, status: str) -> None:
    group = make_group(personas, status=status, closed_at=timezone.now())
    with pytest.raises(services.WorkGroupError, match="n'est plus ouvert"):
        services.workgroup_join(group=group, user=personas.member)


def test_join_twice_is_refused(personas: Personas, group: WorkGroup) -> None:
    services.workgroup_join(group=group, user=personas.member)
    with pytest.raises(services.WorkGroupError, match="déjà"):
        services.workgroup_join(group=group, user=personas.member)
    assert group.participations.count() == 1


def test_leave_until_closed(personas: Personas, group: WorkGroup, django_capture_on_commit_callbacks: Any) -> None:
    ParticipantFactory.create(group=group, user=personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        services.workgroup_remove_participant(group=group, user=personas.member, by=personas.member)
    assert not group.participations.exists()
    # The group's animator is told, as when someone joins.
    assert mail.outbox[-1].to == [personas.animator.email]
    assert "a quitté le groupe de travail" in mail.outbox[-1].body
    with pytest.raises(services.WorkGroupError, match="ne participez pas"):
        services.workgroup_remove_participant(group=group, user=personas.member, by=personas.member)
    closed = make_group(personas, closed=True)
    ParticipantFactory.create(group=closed, user=personas.member)
    with pytest.raises(services.WorkGroupError, match="clos"):
        services.workgroup_remove_participant(group=closed, user=personas.member, by=personas.member)
    assert closed.participations.count() == 1


def test_animator_removes_a_participant_who_is_told_and_the_history_stays(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    register_workgroup_directory(WorkGroupDirectory())
    group = make_group(personas, running=True)
    ParticipantFactory.create(group=group, user=personas.facilitator)
    ParticipantFactory.create(group=group, user=personas.member)
    past = Meeting.objects.create(
        group=group, starts_at=timezone.now() - dt.timedelta(days=7), venue="Nantes", minutes="Présents : tous."
    )
    shared = Document.objects.create(
        network=personas.network,
        title="Notes du facilitateur",
        kind=DocumentKind.OTHER,
        access_level=AccessLevel.WORKGROUP,
        workgroup_id=group.pk,
        created_by=personas.facilitator,
    )
    assert document_perms.can_view(personas.facilitator, shared)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.workgroup_remove_participant(group=group, user=personas.facilitator, by=personas.animator)

    assert list(group.participations.values_list("user", flat=True)) == [personas.member.pk]
    [message] = mail.outbox
    assert message.to == [personas.facilitator.email]
    assert group.title in message.subject
    assert "retiré(e)" in message.body
    assert f"/groupes-de-travail/{group.public_id}/" in message.body
    # What the group did stays: the meeting and its minutes, the document shared (now out of the person's reach).
    past.refresh_from_db()
    assert past.minutes == "Présents : tous."
    shared.refresh_from_db()
    assert shared.created_by == personas.facilitator
    assert not document_perms.can_view(User.objects.get(pk=personas.facilitator.pk), shared)
    # The animator may add the person back while the group is not closed.
    services.workgroup_add_participant(group=group, user=personas.facilitator, by=personas.animator)
    assert group.participations.count() == 2


def test_the_groups_animator_removes_participants_even_without_the_network_role(
    personas: Personas, group: WorkGroup
) -> None:
    ParticipantFactory.create(group=group, user=personas.facilitator)
    personas.animator.network_roles.update(role=Role.MEMBER)
    group_animator = User.objects.get(pk=personas.animator.pk)  # roles are cached on the user object
    assert not perms.can_manage(group_animator, group)
    assert perms.animates(group_animator, group)
    services.workgroup_remove_participant(group=group, user=personas.facilitator, by=group_animator)
    assert not group.participations.exists()


@pytest.mark.parametrize("persona", ["member", "supplier", "other_animator"])
def test_others_cannot_remove_a_participant(personas: Personas, group: WorkGroup, persona: str) -> None:
    ParticipantFactory.create(group=group, user=personas.member)
    ParticipantFactory.create(group=group, user=personas.facilitator)
    with pytest.raises(services.WorkGroupError, match="Seuls les animateurs du réseau et l'animateur du groupe"):
        services.workgroup_remove_participant(group=group, user=personas.facilitator, by=getattr(personas, persona))
    assert group.participations.count() == 2


def test_site_admin_removes_a_participant_but_not_from_a_closed_group(personas: Personas) -> None:
    group = make_group(personas)
    ParticipantFactory.create(group=group, user=personas.member)
    services.workgroup_remove_participant(group=group, user=personas.member, by=personas.site_admin)
    assert not group.participations.exists()
    with pytest.raises(services.WorkGroupError, match="ne participe pas"):
        services.workgroup_remove_participant(group=group, user=personas.member, by=personas.site_admin)
    closed = make_group(personas, closed=True)
    ParticipantFactory.create(group=closed, user=personas.member)
    with pytest.raises(services.WorkGroupError, match="clos"):
        services.workgroup_remove_participant(group=closed, user=personas.member, by=personas.animator)
    assert closed.participations.count() == 1


def test_removal_rolled_back_sends_nothing(
    personas: Personas, group: WorkGroup, django_capture_on_commit_callbacks: Any
) -> None:
    def remove_then_fail() -> None:
        with transaction.atomic():
            services.workgroup_remove_participant(group=group, user=personas.member, by=personas.animator)
            raise RuntimeError("échec après le retrait")

    ParticipantFactory.create(group=group, user=personas.member)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        remove_then_fail()
    assert group.participations.filter(user=personas.member).exists()
    assert not mail.outbox


def test_animator_adds_a_participant_who_is_told_by_email(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    group = make_group(personas, running=True)  # adding is possible after the group has started
    with django_capture_on_commit_callbacks(execute=True):
        participation = services.workgroup_add_participant(group=group, user=personas.facilitator, by=personas.animator)
    assert participation.added_by == personas.animator
    assert mail.outbox[-1].to == [personas.facilitator.email]
    with pytest.raises(services.WorkGroupError, match="participe déjà"):
        services.workgroup_add_participant(group=group, user=personas.facilitator, by=personas.animator)


def test_add_participant_refuses_outsiders_and_non_animators(personas: Personas, group: WorkGroup) -> None:
    with pytest.raises(services.WorkGroupError, match="ni adhérente ni facilitatrice"):
        services.workgroup_add_participant(group=group, user=personas.supplier, by=personas.animator)
    with pytest.raises(services.WorkGroupError, match="ni adhérente ni facilitatrice"):
        services.workgroup_add_participant(group=group, user=UserFactory.create(), by=personas.animator)
    with pytest.raises(services.WorkGroupError, match="Seuls les animateurs"):
        services.workgroup_add_participant(group=group, user=personas.facilitator, by=personas.member)
    with pytest.raises(services.WorkGroupError, match="Seuls les animateurs"):
        services.workgroup_add_participant(group=group, user=personas.facilitator, by=personas.other_animator)
    assert not WorkGroupParticipant.objects.exists()


# ── Meetings ───────────────────────────────────────────────────────────────────────────────────────────────────────

SOON = timezone.now() + dt.timedelta(days=10)


def test_meeting_needs_a_link_or_a_venue(personas: Personas, group: WorkGroup) -> None:
    with pytest.raises(ValidationError, match="lien de la réunion en ligne ou son lieu"):
        services.meeting_create(group=group, by=personas.animator, starts_at=SOON)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("field", ["venue", "agenda"])
def test_meeting_refuses_html(personas: Personas, group: WorkGroup, field: str) -> None:
    values = {"venue": "Salle du conseil", "agenda": "Tour de table", field: '<img src=x onerror="alert(1)">'}
    with pytest.raises(ValidationError, match="balises HTML"):
        services.meeting_create(group=group, by=personas.animator, starts_at=SOON, **values)
    assert not Meeting.objects.exists()


def test_meeting_is_planned_and_participants_are_told(
    personas: Personas, group: WorkGroup, django_capture_on_commit_callbacks: Any
) -> None:
    ParticipantFactory.create(group=group, user=personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_create(
            group=group, by=personas.animator, starts_at=SOON, venue="Hôtel de Rennes Métropole", agenda="Lancement"
        )
    assert mail.outbox[-1].to == [personas.member.email]
    services.meeting_update(meeting=meeting, by=personas.animator, agenda="Lancement", minutes="Décisions : …")
    assert Meeting.objects.get().minutes == "Décisions : …"
    with pytest.raises(ValidationError, match="balises HTML"):
        services.meeting_update(meeting=meeting, by=personas.animator, agenda="", minutes="<b>gras</b>")
    with pytest.raises(services.WorkGroupError):
        services.meeting_update(meeting=meeting, by=personas.member, agenda="", minutes="Par un membre")
    assert Meeting.objects.get().minutes == "Décisions : …"


def test_no_meeting_in_a_closed_group(personas: Personas) -> None:
    group = make_group(personas, closed=True)
    with pytest.raises(services.WorkGroupError, match="clos"):
        services.meeting_create(group=group, by=personas.animator, starts_at=SOON, venue="Nantes")


def test_database_refuses_meeting_without_link_nor_venue(personas: Personas, group: WorkGroup) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(group=group, starts_at=SOON)


# ── Deliverables and the document library ──────────────────────────────────────────────────────────────────────────


def test_deliverable_file_goes_into_the_library_with_the_same_audience(personas: Personas) -> None:
    group = make_group(personas, closed=True)
    deliverable = services.deliverable_publish(
        group=group,
        by=personas.animator,
        title="Guide des achats textiles équitables",
        summary="Synthèse de deux ans de travaux.",
        recommendations="Allotir.\nExiger un label ou équivalent.",
        publication=Publication.PUBLIC,
        file=ContentFile(b"%PDF-1.4 guide", name="guide.pdf"),
        original_name="guide.pdf",
        content_type="application/pdf",
    )
    document = Document.objects.get()
    assert deliverable.document == document
    assert document.kind == DocumentKind.SYNTHESIS
    assert document.access_level == AccessLevel.PUBLIC
    assert document.author_organisation == group.co_pilot
    assert list(document.themes.all()) == [group.theme]


def test_members_only_deliverable_document_is_members_only(personas: Personas) -> None:
    group = make_group(personas, closed=True)
    services.deliverable_publish(
        group=group,
        by=personas.animator,
        title="Guide réservé",
        summary="Synthèse.",
        publication=Publication.MEMBERS,
        file=ContentFile(b"%PDF-1.4 guide", name="guide.pdf"),
        original_name="guide.pdf",
        content_type="application/pdf",
    )
    document = Document.objects.get()
    assert document.access_level == AccessLevel.MEMBERS
    assert document_perms.can_view(personas.member, document)
    assert not document_perms.can_view(personas.supplier, document)


def test_only_animators_publish_deliverables(personas: Personas, group: WorkGroup) -> None:
    with pytest.raises(services.WorkGroupError):
        services.deliverable_publish(group=group, by=personas.member, title="Guide", summary="Synthèse")


def test_workgroups_registers_its_directory_at_start_up() -> None:
    assert isinstance(workgroup_directory(), WorkGroupDirectory)


def test_library_knows_who_takes_part_in_which_group(personas: Personas, group: WorkGroup) -> None:
    register_workgroup_directory(WorkGroupDirectory())  # as at start-up, whatever another test left registered
    other = make_group(personas, title="Autre groupe")
    ParticipantFactory.create(group=group, user=personas.facilitator)
    assert participant_workgroup_ids(personas.facilitator) == {group.pk}
    # The people of the co-piloting organisation and the group's animator read its documents too.
    assert participant_workgroup_ids(personas.member) == {group.pk, other.pk}
    assert participant_workgroup_ids(personas.animator) == {group.pk, other.pk}
    assert participant_workgroup_ids(personas.supplier) == set()
    assert workgroup_choices(personas.network.pk, personas.animator) == sorted(
        [(group.pk, group.title), (other.pk, other.title)], key=lambda choice: choice[1]
    )
    assert workgroup_choices(personas.network.pk, personas.facilitator) == [(group.pk, group.title)]


def _published(personas: Personas, publication: str = Publication.MEMBERS) -> WorkGroupDeliverable:
    group = make_group(personas, closed=True)
    return services.deliverable_publish(
        group=group,
        by=personas.animator,
        title="Guide des textiles",
        summary="Synthèse.",
        publication=publication,
        published_on=dt.date(2027, 6, 1),
        file=ContentFile(b"%PDF-1.4 guide", name="guide.pdf"),
        original_name="guide.pdf",
        content_type="application/pdf",
    )


def test_deliverable_update_takes_its_library_document_along(personas: Personas) -> None:
    deliverable = _published(personas)
    document = Document.objects.get()
    assert not document_perms.can_view(AnonymousUser(), document)
    deliverable.title = "Guide des textiles équitables"
    deliverable.summary = "Synthèse révisée après relecture."
    deliverable.publication = Publication.PUBLIC
    deliverable.published_on = dt.date(2027, 7, 1)

    services.deliverable_update(deliverable=deliverable, by=personas.animator)

    deliverable.refresh_from_db()
    assert (deliverable.title, deliverable.publication) == ("Guide des textiles équitables", Publication.PUBLIC)
    document.refresh_from_db()
    assert document.title == "Guide des textiles équitables"
    assert document.description == "Synthèse révisée après relecture."
    assert document.access_level == AccessLevel.PUBLIC
    assert document.document_date == dt.date(2027, 7, 1)
    assert document.kind == DocumentKind.SYNTHESIS
    assert list(document.themes.all()) == [deliverable.group.theme]  # what the deliverable does not hold stays
    assert document_perms.can_view(AnonymousUser(), document)
    assert [
        d.pk for d in search_documents(DocumentSearch.from_querydict({"q": "équitables"}), AnonymousUser()).documents
    ] == [document.pk]
    # And back to the members: the public loses it at once.
    deliverable.publication = Publication.MEMBERS
    services.deliverable_update(deliverable=deliverable, by=personas.animator)
    document.refresh_from_db()
    assert document.access_level == AccessLevel.MEMBERS
    assert search_documents(DocumentSearch.from_querydict({"q": "équitables"}), AnonymousUser()).total == 0


def test_deliverable_without_document_is_updated_alone(personas: Personas) -> None:
    group = make_group(personas, closed=True)
    deliverable = services.deliverable_publish(group=group, by=personas.animator, title="Guide", summary="Synthèse")
    deliverable.title = "Guide corrigé"
    services.deliverable_update(deliverable=deliverable, by=personas.animator)
    assert WorkGroupDeliverable.objects.get().title == "Guide corrigé"
    assert not Document.objects.exists()


@pytest.mark.parametrize("persona", ["member", "facilitator", "supplier", "other_animator"])
def test_only_the_groups_animators_update_a_deliverable(personas: Personas, persona: str) -> None:
    deliverable = _published(personas)
    deliverable.title = "Titre changé par une autre personne"
    with pytest.raises(services.WorkGroupError, match="Seuls les animateurs"):
        services.deliverable_update(deliverable=deliverable, by=getattr(personas, persona))
    assert WorkGroupDeliverable.objects.get().title == "Guide des textiles"
    assert Document.objects.get().title == "Guide des textiles"


def test_deliverable_update_refuses_html_and_saves_nothing(personas: Personas) -> None:
    deliverable = _published(personas)
    deliverable.title = "Guide <script>alert(1)</script>"
    deliverable.publication = Publication.PUBLIC
    with pytest.raises(ValidationError, match="balises HTML"):
        services.deliverable_update(deliverable=deliverable, by=personas.animator)
    assert WorkGroupDeliverable.objects.get().publication == Publication.MEMBERS
    assert Document.objects.get().access_level == AccessLevel.MEMBERS
