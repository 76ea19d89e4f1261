"""Workflow of a need: posting (who, and bad input), validation, refusal, closing, opening and answering."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from relais.core.models import Notification
from relais.events.enums import EventKind
from relais.networks.enums import Role
from relais.sourcing import queries, services
from relais.sourcing.enums import Answer, NeedKind, NeedStatus
from relais.sourcing.models import NeedMatch, SourcingNeed
from relais.sourcing.services import NeedInput, SourcingError

from ..conftest import Personas
from ..events.factories import EventFactory
from ..factories import DepartementFactory, NetworkRoleFactory, OrganisationFactory, UserFactory
from .conftest import buyer_of, green_cpv, reachable_supplier

TODAY = timezone.localdate()


def need_input(**changes: Any) -> NeedInput:
    values: dict[str, Any] = {
        "kind": NeedKind.UPCOMING_TENDER,
        "title": "Entretien des espaces verts",
        "description": "Tonte et taille sur 12 sites, marché de 3 ans.",
        "place": DepartementFactory.create(),
        "answer_deadline": TODAY + dt.timedelta(days=20),
        "cpvs": [green_cpv()],
        "estimated_amount": Decimal("180000"),
    }
    values.update(changes)
    return NeedInput(**values)


def post(personas: Personas, **changes: Any) -> SourcingNeed:
    return services.need_post(
        network=personas.network, buyer=buyer_of(personas), author=personas.member, data=need_input(**changes)
    )


def test_a_member_posts_for_its_organisation_and_the_animators_are_told(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        need = post(personas, structure_types=["ei", "ea", "ei"], service_kinds=["service"])
    assert need.status == NeedStatus.SUBMITTED
    assert need.structure_types == ["ea", "ei"]
    assert [cpv.code for cpv in need.cpvs.all()] == ["77310000-6"]
    assert Notification.objects.filter(recipient=personas.animator, url__contains=str(need.public_id)).exists()
    assert [message.to for message in mail.outbox] == [[personas.animator.email]]
    assert "Besoin de sourçage à valider" in mail.outbox[0].subject


@pytest.mark.parametrize("persona", ["supplier", "facilitator", "animator", "other_animator"])
def test_only_a_member_acting_for_the_buyer_posts(personas: Personas, persona: str) -> None:
    with pytest.raises(SourcingError):
        services.need_post(
            network=personas.network, buyer=buyer_of(personas), author=getattr(personas, persona), data=need_input()
        )
    # A member of the network posts for its own organisation only.
    with pytest.raises(SourcingError):
        services.need_post(
            network=personas.network, buyer=OrganisationFactory.create(), author=personas.member, data=need_input()
        )
    assert not SourcingNeed.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"answer_deadline": TODAY}, "answer_deadline"),
        ({"answer_deadline": TODAY - dt.timedelta(days=1)}, "answer_deadline"),
        ({"tender_date": TODAY - dt.timedelta(days=3)}, "tender_date"),
        ({"estimated_amount": Decimal("-1")}, "estimated_amount"),
        ({"structure_types": ["siae-imaginaire"]}, "structure_types"),
        ({"service_kinds": ["leasing"]}, "service_kinds"),
        ({"cpvs": [], "themes": []}, "cpvs"),
        ({"title": "<script>alert(1)</script>"}, "title"),
        ({"latitude": 48.1}, "latitude"),
        ({"interested_target": 0}, "interested_target"),
        ({"kind": "auction"}, "kind"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(
    personas: Personas, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        post(personas, **changes)
    assert field in refused.value.message_dict
    assert not SourcingNeed.objects.exists()


def test_an_event_is_linked_to_a_market_meeting_of_the_same_network(personas: Personas) -> None:
    meeting = EventFactory.create(network=personas.network, kind=EventKind.MARKET_ENGAGEMENT)
    elsewhere = EventFactory.create(network=personas.other_network, kind=EventKind.MARKET_ENGAGEMENT)
    with pytest.raises(ValidationError) as refused:
        post(personas, kind=NeedKind.SOURCING, event=meeting)
    assert "event" in refused.value.message_dict
    with pytest.raises(ValidationError):
        post(personas, kind=NeedKind.MARKET_MEETING, event=elsewhere)
    need = post(personas, kind=NeedKind.MARKET_MEETING, event=meeting)
    assert need.event == meeting


def test_validation_tells_the_author_matches_and_sends_the_first_batch(
    personas: Personas, need: SourcingNeed, django_capture_on_commit_callbacks: Any
) -> None:
    reached = reachable_supplier("Jardins solidaires", network=personas.network, email="jardins@structure.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.need_validate(need=need, by=personas.animator)
    need.refresh_from_db()
    assert (need.status, need.decided_by) == (NeedStatus.VALIDATED, personas.animator)
    match = NeedMatch.objects.get(need=need)
    assert (match.supplier, match.batch) == (reached.organisation, 1)
    assert match.notified_at is not None
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([personas.member.email, "jardins@structure.example"])
    assert Notification.objects.filter(recipient=reached.account).count() == 1
    with pytest.raises(SourcingError):
        services.need_validate(need=need, by=personas.animator)


def test_refusal_needs_a_reason_which_the_author_reads(
    personas: Personas, need: SourcingNeed, django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(SourcingError):
        services.need_reject(need=need, by=personas.animator, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.need_reject(need=need, by=personas.animator, reason="Besoin déjà publié la semaine dernière.")
    need.refresh_from_db()
    assert need.status == NeedStatus.REJECTED
    assert "déjà publié" in mail.outbox[0].body
    assert mail.outbox[0].to == [personas.member.email]
    with pytest.raises(SourcingError):
        services.need_validate(need=need, by=personas.animator)


def _notified_match(personas: Personas, need: SourcingNeed) -> tuple[NeedMatch, Any]:
    reached = reachable_supplier("Atelier vert", network=personas.network)
    SourcingNeed.objects.filter(pk=need.pk).update(status=NeedStatus.VALIDATED)
    match = NeedMatch.objects.create(need=need, supplier=reached.organisation, batch=1, notified_at=timezone.now())
    return match, reached.account


def test_answers_not_interested_needs_a_reason_and_positive_answers_tell_the_buyer(
    personas: Personas, need: SourcingNeed, django_capture_on_commit_callbacks: Any
) -> None:
    match, account = _notified_match(personas, need)
    with pytest.raises(SourcingError, match="pourquoi"):
        services.need_answer(match=match, by=account, answer=Answer.NOT_INTERESTED, reason="")
    with pytest.raises(SourcingError):
        services.need_answer(match=match, by=account, answer="maybe")
    with django_capture_on_commit_callbacks(execute=True):
        services.need_answer(match=match, by=account, answer=Answer.NOT_INTERESTED, reason="Hors de notre zone.")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.need_answer(match=match, by=account, answer=Answer.INTERESTED_GROUP)
    match.refresh_from_db()
    assert (match.answer, match.answered_by, match.reason) == (Answer.INTERESTED_GROUP, account, "")
    assert match.opened_at is not None
    assert [message.to for message in mail.outbox] == [[personas.member.email]]
    assert "Atelier vert" in mail.outbox[0].body
    assert Notification.objects.filter(recipient=personas.member, title__startswith="Un fournisseur").count() == 1
    # Staying interested does not tell the buyer twice.
    with django_capture_on_commit_callbacks(execute=True):
        services.need_answer(match=match, by=account, answer=Answer.INTERESTED)
    assert len(mail.outbox) == 1


def test_no_answer_after_the_deadline_once_closed_or_when_not_notified(personas: Personas, need: SourcingNeed) -> None:
    match, account = _notified_match(personas, need)
    later = timezone.now() + dt.timedelta(days=31)
    with pytest.raises(SourcingError, match="date limite"):
        services.need_answer(match=match, by=account, answer=Answer.INTERESTED, now=later)
    services.need_close(need=need, by=personas.member)
    with pytest.raises(SourcingError, match="clos"):
        services.need_answer(match=match, by=account, answer=Answer.INTERESTED)
    with pytest.raises(SourcingError):
        services.need_close(need=need, by=personas.member)
    silent = NeedMatch.objects.create(need=need, supplier=OrganisationFactory.create(supplier=True))
    with pytest.raises(SourcingError, match="pas été envoyé"):
        services.need_answer(match=silent, by=account, answer=Answer.INTERESTED)


def test_opening_is_recorded_once(personas: Personas, need: SourcingNeed) -> None:
    match, _account = _notified_match(personas, need)
    assert services.need_open(match=match) is True
    first = NeedMatch.objects.get(pk=match.pk).opened_at
    assert services.need_open(match=match) is False
    assert NeedMatch.objects.get(pk=match.pk).opened_at == first


def test_notifications_are_marked_read_one_or_all(personas: Personas) -> None:
    user = UserFactory.create()
    NetworkRoleFactory.create(user=user, network=personas.network, role=Role.MEMBER)
    first, second = (Notification.objects.create(recipient=user, title=f"N{n}") for n in range(2))
    Notification.objects.create(recipient=personas.member, title="Autre")
    assert queries.unread_notification_count(user) == 2
    assert services.notifications_mark_read(user=user, notification=first) == 1
    assert services.notifications_mark_read(user=user) == 1
    assert queries.unread_notification_count(user) == 0
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == personas.member
    second.refresh_from_db()
    assert second.read_at is not None
