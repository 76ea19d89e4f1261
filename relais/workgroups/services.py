"""Workflows of working groups: creation, status (open → running → closed), participants, meetings, deliverables.

Every workflow checks who acts and the group's current status under a row lock (a stale page cannot close a group
twice nor let someone join a group that has just started), validates the models fully, and e-mails people through
the task queue once the transaction is committed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from relais.accounts.models import User
from relais.core.tasks import send_email
from relais.documents.enums import AccessLevel, DocumentKind
from relais.documents.services import document_create, document_update
from relais.networks.models import Network
from relais.organisations.models import Organisation
from relais.reference.models import Cpv, Theme

from . import perms, queries
from .enums import DeliverableKind, Publication, WorkGroupStatus
from .models import Meeting, WorkGroup, WorkGroupDeliverable, WorkGroupParticipant

# The only moves of a group's status. A closed group stays closed: its history is what members come back to.
TRANSITIONS: dict[str, frozenset[str]] = {
    WorkGroupStatus.OPEN: frozenset({WorkGroupStatus.RUNNING}),
    WorkGroupStatus.RUNNING: frozenset({WorkGroupStatus.CLOSED}),
    WorkGroupStatus.CLOSED: frozenset(),
}


class WorkGroupError(Exception):
    """A move the group's status or the person's role does not allow. The message is shown to the user."""


def _lock(group: WorkGroup) -> WorkGroup:
    return WorkGroup.objects.select_for_update().get(pk=group.pk)


def _require_manager(group: WorkGroup, by: Any) -> None:
    if not perms.can_manage(by, group):
        raise WorkGroupError(gettext("Seuls les animateurs du réseau peuvent gérer ce groupe de travail."))


def _group_url(group: WorkGroup) -> str:
    return settings.SITE_URL + reverse("web:workgroup_detail", kwargs={"public_id": group.public_id})


def _notify(to: list[str], subject: str, body: str) -> None:
    recipients = sorted({address for address in to if address})
    if recipients:
        # Enqueue only once committed: a rolled-back workflow sends nothing.
        transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=recipients))


def check_roles(*, network: Network, co_pilot: Organisation, animator: User) -> None:
    """The co-pilot is a member organisation of the network (active membership) and the animator holds the
    animator role in it. Raises a ValidationError keyed by field."""
    errors: dict[str, str] = {}
    if not queries.eligible_co_pilots(network).filter(pk=co_pilot.pk).exists():
        errors["co_pilot"] = gettext("L'organisation co-pilote doit être adhérente du réseau (adhésion active).")
    if not queries.eligible_animators(network).filter(pk=animator.pk).exists():
        errors["animator"] = gettext("L'animateur du groupe doit avoir le rôle d'animateur dans le réseau.")
    if errors:
        raise ValidationError(errors)


def workgroup_create(
    *,
    network: Network,
    by: User,
    title: str,
    theme: Theme,
    description: str,
    co_pilot: Organisation,
    animator: User,
    cpvs: list[Cpv] | None = None,
) -> WorkGroup:
    if not perms.can_create_in(by, network):
        raise WorkGroupError(gettext("Seuls les animateurs du réseau peuvent créer un groupe de travail."))
    check_roles(network=network, co_pilot=co_pilot, animator=animator)
    group = WorkGroup(
        network=network, title=title, theme=theme, description=description, co_pilot=co_pilot, animator=animator
    )
    group.full_clean()
    with transaction.atomic():
        group.save()
        group.cpvs.set(cpvs or [])
    return group


def workgroup_update(*, group: WorkGroup, by: User, cpvs: list[Cpv] | None = None) -> WorkGroup:
    """Save the changed fields of a group (set on the instance by the form), after the same checks as creation."""
    _require_manager(group, by)
    check_roles(network=group.network, co_pilot=group.co_pilot, animator=group.animator)
    group.full_clean()
    with transaction.atomic():
        current = _lock(group)
        if current.status == WorkGroupStatus.CLOSED:
            raise WorkGroupError(gettext("Un groupe clos ne peut plus être modifié."))
        group.status = current.status  # the status moves only through workgroup_set_status
        group.save()
        if cpvs is not None:
            group.cpvs.set(cpvs)
    return group


def workgroup_set_status(*, group: WorkGroup, to: str, by: User) -> WorkGroup:
    """Move a group along open → running → closed. Only the network's animators do it."""
    _require_manager(group, by)
    if to not in WorkGroupStatus.values:
        raise WorkGroupError(gettext("Statut inconnu."))
    with transaction.atomic():
        group = _lock(group)
        if to not in TRANSITIONS[group.status]:
            raise WorkGroupError(
                gettext("Impossible de passer le groupe de « %(current)s » à « %(target)s ».")
                % {"current": group.get_status_display(), "target": WorkGroupStatus(to).label}
            )
        group.status = to
        now = timezone.now()
        if to == WorkGroupStatus.RUNNING:
            group.started_at = now
        elif to == WorkGroupStatus.CLOSED:
            group.closed_at = now
        group.save(update_fields=["status", "started_at", "closed_at", "updated_at"])
    return group


def workgroup_join(*, group: WorkGroup, user: User) -> WorkGroupParticipant:
    """A member or facilitator of the network joins the group by themselves, while it is open."""
    with transaction.atomic():
        group = _lock(group)
        if group.status != WorkGroupStatus.OPEN:
            raise WorkGroupError(gettext("Ce groupe n'accepte plus de nouveaux participants : il n'est plus ouvert."))
        if not perms.may_participate_in(user, group.network_id):
            raise WorkGroupError(gettext("Seuls les adhérents et facilitateurs du réseau peuvent rejoindre ce groupe."))
        if perms.is_participant(user, group):
            raise WorkGroupError(gettext("Vous participez déjà à ce groupe."))
        participation = WorkGroupParticipant.objects.create(group=group, user=user)
        _notify(
            [group.animator.email],
            f"[Relais] Nouveau participant : {group.title}",
            f"{user} a rejoint le groupe de travail « {group.title} ».\n\n{_group_url(group)}\n",
        )
    return participation


def workgroup_remove_participant(*, group: WorkGroup, user: User, by: User) -> None:
    """Take a person out of a group: a participant leaves by themselves (`by` is `user`, the group's animator is
    told), or the network's animators or the group's animator remove them (the person is told by e-mail).

    Until the group is closed only: a closed group keeps its list of participants as part of its history. What
    the person did in the group stays — meetings and their minutes, deliverables, the documents they shared;
    they lose access to the group's working-group documents at once."""
    leaving = by.pk == user.pk
    with transaction.atomic():
        group = _lock(group)
        if not leaving and not perms.animates(by, group):
            raise WorkGroupError(
                gettext("Seuls les animateurs du réseau et l'animateur du groupe peuvent retirer un participant.")
            )
        if group.status == WorkGroupStatus.CLOSED:
            raise WorkGroupError(gettext("Ce groupe est clos : sa liste de participants est conservée."))
        deleted, _ = WorkGroupParticipant.objects.filter(group=group, user=user).delete()
        if not deleted:
            raise WorkGroupError(
                gettext("Vous ne participez pas à ce groupe.")
                if leaving
                else gettext("%(person)s ne participe pas à ce groupe.") % {"person": user}
            )
        if leaving:
            _notify(
                [group.animator.email],
                f"[Relais] Départ d'un participant : {group.title}",
                f"{user} a quitté le groupe de travail « {group.title} ».\n\n{_group_url(group)}\n",
            )
        else:
            _notify(
                [user.email],
                f"[Relais] Vous ne participez plus au groupe de travail « {group.title} »",
                f"{by} vous a retiré(e) des participants du groupe de travail « {group.title} » "
                f"({group.network}).\n\nLes réunions, comptes rendus et livrables du groupe restent consultables "
                f"par les adhérents du réseau.\n\n{_group_url(group)}\n",
            )


def workgroup_add_participant(*, group: WorkGroup, user: User, by: User) -> WorkGroupParticipant:
    """An animator adds (invites) a member or facilitator of the network; the person is told by e-mail."""
    _require_manager(group, by)
    with transaction.atomic():
        group = _lock(group)
        if group.status == WorkGroupStatus.CLOSED:
            raise WorkGroupError(gettext("Ce groupe est clos : on ne peut plus y ajouter de participant."))
        if not perms.may_participate_in(user, group.network_id):
            raise WorkGroupError(gettext("Cette personne n'est ni adhérente ni facilitatrice du réseau."))
        try:
            with transaction.atomic():
                participation = WorkGroupParticipant.objects.create(group=group, user=user, added_by=by)
        except IntegrityError:
            raise WorkGroupError(gettext("%(person)s participe déjà à ce groupe.") % {"person": user}) from None
        _notify(
            [user.email],
            f"[Relais] Vous participez au groupe de travail « {group.title} »",
            f"{by} vous a ajouté(e) au groupe de travail « {group.title} ».\n\n{_group_url(group)}\n",
        )
    return participation


def meeting_create(
    *, group: WorkGroup, by: User, starts_at: dt.datetime, online_url: str = "", venue: str = "", agenda: str = ""
) -> Meeting:
    """Plan a meeting (online link or venue required); participants are told by e-mail."""
    _require_manager(group, by)
    meeting = Meeting(group=group, starts_at=starts_at, online_url=online_url, venue=venue, agenda=agenda)
    meeting.full_clean()
    with transaction.atomic():
        locked = _lock(group)
        if locked.status == WorkGroupStatus.CLOSED:
            raise WorkGroupError(gettext("Ce groupe est clos : on ne peut plus y planifier de réunion."))
        meeting.save()
        when = timezone.localtime(starts_at).strftime("%d/%m/%Y à %H:%M")
        where = online_url or venue
        _notify(
            list(group.participations.values_list("user__email", flat=True)),
            f"[Relais] Réunion du groupe « {group.title} » le {when}",
            f"Une réunion du groupe de travail « {group.title} » est prévue le {when} ({where}).\n\n"
            f"{agenda}\n\n{_group_url(group)}\n",
        )
    return meeting


def meeting_update(*, meeting: Meeting, by: User, agenda: str, minutes: str) -> Meeting:
    """Write the agenda and the minutes of a meeting (possible after the group is closed, to finish them)."""
    _require_manager(meeting.group, by)
    meeting.agenda = agenda
    meeting.minutes = minutes
    meeting.full_clean()
    meeting.save(update_fields=["agenda", "minutes", "updated_at"])
    return meeting


def deliverable_publish(
    *,
    group: WorkGroup,
    by: User,
    title: str,
    summary: str,
    recommendations: str = "",
    publication: str = Publication.MEMBERS,
    kind: str = DeliverableKind.SYNTHESIS_GUIDE,
    published_on: dt.date | None = None,
    file: File | None = None,
    original_name: str = "",
    content_type: str = "",
) -> WorkGroupDeliverable:
    """Publish what the group produced, to the network's members or to the public. Its file (checked by content
    by the caller) goes into the network's document library as a working-group synthesis with the same audience,
    so that it is found by the library's search too."""
    _require_manager(group, by)
    deliverable = WorkGroupDeliverable(
        group=group,
        kind=kind,
        title=title,
        summary=summary,
        recommendations=recommendations,
        publication=publication,
        published_on=published_on or timezone.localdate(),
    )
    deliverable.full_clean()
    with transaction.atomic():
        if file is not None:
            deliverable.document = document_create(
                network=group.network,
                by=by,
                title=title,
                kind=DocumentKind.SYNTHESIS,
                file=file,
                original_name=original_name,
                content_type=content_type,
                description=summary,
                themes=[group.theme],
                cpvs=list(group.cpvs.all()),
                author_organisation=group.co_pilot,
                document_date=deliverable.published_on,
                access_level=AccessLevel.PUBLIC if publication == Publication.PUBLIC else AccessLevel.MEMBERS,
                comment=f"Livrable du groupe de travail « {group.title} »",
            )
        deliverable.save()
    return deliverable


def deliverable_update(*, deliverable: WorkGroupDeliverable, by: User) -> WorkGroupDeliverable:
    """Save the corrected fields of a deliverable (set on the instance by the form). Its document in the library
    follows, as when it was published: same title, the summary as description, the publication date as the
    document's date, and the same audience (public, or the network's members)."""
    if not perms.can_edit_deliverable(by, deliverable):
        raise WorkGroupError(
            gettext("Seuls les animateurs du réseau et l'animateur du groupe peuvent modifier ce livrable.")
        )
    deliverable.full_clean()
    with transaction.atomic():
        # Lock the row so that two simultaneous corrections cannot leave the document out of step.
        WorkGroupDeliverable.objects.select_for_update().filter(pk=deliverable.pk).get()
        deliverable.save()
        document = deliverable.document
        if document is not None:
            document_update(
                document=document,
                title=deliverable.title,
                kind=document.kind,
                # The library keeps a description of at most 3,000 characters; the deliverable page has the rest.
                description=deliverable.summary[:3000],
                themes=list(document.themes.all()),
                cpvs=list(document.cpvs.all()),
                author_organisation=document.author_organisation,
                document_date=deliverable.published_on,
                licence=document.licence,
                access_level=AccessLevel.PUBLIC if deliverable.is_public else AccessLevel.MEMBERS,
            )
    return deliverable
