"""Weekly digest: opt-in only, per reader visibility, one digest per person, network and week, unsubscribe link."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.activity.digest import digest_content, iso_week, unsubscribe_token
from relais.activity.models import DigestDelivery, DigestSubscription
from relais.activity.services import digest_send_weekly
from relais.activity.tasks import send_weekly_digest
from relais.networks.models import NetworkRole

from ..conftest import Personas
from ..documents.factories import DocumentFactory
from ..events.factories import EventFactory, in_days
from ..factories import CaseSheetFactory
from ..helpdesk.factories import FaqEntryFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 23, 7, 0))  # a Monday morning, ISO week 2026-W48
PUBLIC_SHEET = "Fiche publique Héron cendré"
MEMBERS_SHEET = "Fiche réservée Martin-pêcheur"
PUBLIC_DOCUMENT = "Guide public Bécasseau"
MEMBERS_DOCUMENT = "CCTP réservé Gravelot"
PUBLIC_FAQ = "Question publique Aigrette"
MEMBERS_FAQ = "Question réservée Spatule"
PUBLIC_EVENT = "Webmatinale publique Avocette"
MEMBERS_EVENT = "Atelier réservé Courlis"
MEMBERS_ONLY = (MEMBERS_SHEET, MEMBERS_DOCUMENT, MEMBERS_FAQ, MEMBERS_EVENT)
PUBLIC = (PUBLIC_SHEET, PUBLIC_DOCUMENT, PUBLIC_FAQ, PUBLIC_EVENT)


def days_before_now(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def age(model_object: object, days: float) -> None:
    """Move an object's creation back in time (auto_now_add cannot be set on create)."""
    type(model_object).objects.filter(pk=model_object.pk).update(created_at=days_before_now(days))  # type: ignore[attr-defined]


@pytest.fixture
def news(personas: Personas) -> None:
    """One public and one members-only item of each kind, new this week in `personas.network`; plus old ones."""
    network = personas.network
    for title, extra in ((PUBLIC_SHEET, {}), (MEMBERS_SHEET, {"members_only": True})):
        CaseSheetFactory.create(network=network, title=title, published=True, published_at=days_before_now(2), **extra)
    CaseSheetFactory.create(
        network=network, title="Ancienne fiche Pluvier", published=True, published_at=days_before_now(10)
    )
    for title, extra in ((PUBLIC_DOCUMENT, {}), (MEMBERS_DOCUMENT, {"members_only": True})):
        age(DocumentFactory.create(network=network, title=title, **extra), 3)
    age(DocumentFactory.create(network=network, title="Ancien guide Pluvier"), 12)
    for title, extra in ((PUBLIC_FAQ, {}), (MEMBERS_FAQ, {"members_only": True})):
        FaqEntryFactory.create(network=network, title=title, published_at=days_before_now(1), **extra)
    FaqEntryFactory.create(network=network, title="Ancienne question Pluvier", published_at=days_before_now(30))
    soon = NOW + dt.timedelta(days=20)
    for title, extra in ((PUBLIC_EVENT, {}), (MEMBERS_EVENT, {"members_only": True})):
        age(
            EventFactory.create(
                network=network, title=title, starts_at=soon, ends_at=soon + dt.timedelta(hours=2), **extra
            ),
            1,
        )
    age(
        EventFactory.create(
            network=network, title="Brouillon Pluvier", draft=True, starts_at=soon, ends_at=soon + dt.timedelta(hours=2)
        ),
        1,
    )


def opt_in(user: object, personas: Personas) -> DigestSubscription:
    return DigestSubscription.objects.create(user=user, network=personas.network, opted_in=True)


def mail_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def test_nothing_is_sent_without_opting_in(personas: Personas, news: None) -> None:
    DigestSubscription.objects.create(user=personas.facilitator, network=personas.network, opted_in=False)
    run = digest_send_weekly(now=NOW)
    assert run.sent == 0
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()


def test_member_gets_this_weeks_news_of_the_network(personas: Personas, news: None) -> None:
    opt_in(personas.member, personas)
    run = digest_send_weekly(now=NOW)
    assert run.sent == 1
    assert run.week == "2026-W48"
    (message,) = mail_to(personas.member.email)
    assert message.subject == "[Relais] Les nouveautés de la semaine — Réseau Grand Ouest"
    for title in (*PUBLIC, *MEMBERS_ONLY):
        assert title in message.body
    assert "Pluvier" not in message.body  # old items and drafts
    assert "Bonjour" in message.body
    assert "Fiches d'expérience (2)" in message.body
    assert "http://testserver" not in message.body
    assert re.search(r"https?://\S+/fiches/[0-9a-f-]{36}/", message.body)


@pytest.mark.parametrize("persona", ["supplier", "other_animator"])
def test_members_only_news_never_reach_outsiders(persona: str, personas: Personas, news: None) -> None:
    user = getattr(personas, persona)
    if persona == "other_animator":  # a role elsewhere does not open this network's members-only content
        NetworkRole.objects.create(user=user, network=personas.network, role="supplier")
    opt_in(user, personas)
    digest_send_weekly(now=NOW)
    (message,) = mail_to(user.email)
    for title in PUBLIC:
        assert title in message.body
    for title in MEMBERS_ONLY:
        assert title not in message.body, title


def test_digest_content_is_counted_per_reader(personas: Personas, news: None) -> None:
    member = digest_content(user=personas.member, network=personas.network, now=NOW)
    supplier = digest_content(user=personas.supplier, network=personas.network, now=NOW)
    assert [section.total for section in member.sections] == [2, 2, 2, 2]
    assert [section.total for section in supplier.sections] == [1, 1, 1, 1]


def test_a_week_is_sent_once(personas: Personas, news: None) -> None:
    opt_in(personas.member, personas)
    assert digest_send_weekly(now=NOW).sent == 1
    second = digest_send_weekly(now=NOW + dt.timedelta(hours=3))
    assert second.sent == 0
    assert second.already_sent == 1
    assert len(mail_to(personas.member.email)) == 1
    delivery = DigestDelivery.objects.get()
    assert (delivery.user, delivery.network, delivery.week, delivery.item_count) == (
        personas.member,
        personas.network,
        "2026-W48",
        8,
    )
    # Next week is another digest (with what is new then).
    CaseSheetFactory.create(
        network=personas.network, title="Fiche Bihoreau", published=True, published_at=NOW + dt.timedelta(days=6)
    )
    assert digest_send_weekly(now=NOW + dt.timedelta(days=7)).sent == 1
    assert "Fiche Bihoreau" in mail_to(personas.member.email)[-1].body


def test_an_interrupted_run_resumes_without_sending_twice(personas: Personas, news: None) -> None:
    opt_in(personas.member, personas)
    opt_in(personas.facilitator, personas)
    DigestDelivery.objects.create(user=personas.member, network=personas.network, week=iso_week(NOW), sent_at=NOW)
    run = digest_send_weekly(now=NOW)
    assert (run.sent, run.already_sent) == (1, 1)
    assert mail_to(personas.member.email) == []
    assert len(mail_to(personas.facilitator.email)) == 1


def test_empty_digests_are_not_sent(personas: Personas) -> None:
    opt_in(personas.member, personas)
    run = digest_send_weekly(now=NOW)
    assert (run.sent, run.empty) == (0, 1)
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()  # sent later in the week if something is published


def test_someone_who_lost_their_role_gets_nothing(personas: Personas, news: None) -> None:
    opt_in(personas.member, personas)
    NetworkRole.objects.filter(user=personas.member).delete()
    run = digest_send_weekly(now=NOW)
    assert (run.sent, run.not_allowed) == (0, 1)
    assert mail.outbox == []


def test_dry_run_sends_nothing(personas: Personas, news: None) -> None:
    opt_in(personas.member, personas)
    assert digest_send_weekly(now=NOW, dry_run=True).sent == 1
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()


def test_command(personas: Personas, capsys: pytest.CaptureFixture[str]) -> None:
    CaseSheetFactory.create(network=personas.network, title="Fiche Tadorne", published=True)
    opt_in(personas.member, personas)
    call_command("send_weekly_digest", "--dry-run")
    assert mail.outbox == []
    assert "1 lettre(s) à envoyer" in capsys.readouterr().out
    call_command("send_weekly_digest")
    assert "1 lettre(s) envoyée(s)" in capsys.readouterr().out
    (message,) = mail.outbox
    assert "Fiche Tadorne" in message.body


def test_the_task_sends_the_weeks_digests(personas: Personas) -> None:
    CaseSheetFactory.create(network=personas.network, title="Fiche Sarcelle", published=True)
    opt_in(personas.member, personas)
    send_weekly_digest.enqueue()
    (message,) = mail_to(personas.member.email)
    assert "Fiche Sarcelle" in message.body


def _unsubscribe_link(body: str) -> str:
    match = re.search(r"Ne plus recevoir la lettre de ce réseau : (\S+)", body)
    assert match
    return match.group(1)


def test_unsubscribe_link_works_without_signing_in(personas: Personas, news: None, settings: object) -> None:
    subscription = opt_in(personas.member, personas)
    digest_send_weekly(now=NOW)
    (message,) = mail.outbox
    link = _unsubscribe_link(message.body)
    path = link.removeprefix(settings.SITE_URL)  # type: ignore[attr-defined]
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200
    assert "Réseau Grand Ouest" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.opted_in, "following the link (mail scanners do) must not unsubscribe"
    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "Vous êtes désinscrit" in done.content.decode()
    subscription.refresh_from_db()
    assert not subscription.opted_in
    assert digest_send_weekly(now=NOW + dt.timedelta(days=7)).sent == 0


@pytest.mark.parametrize(
    "token",
    [
        lambda good: good[:-2] + ("aa" if not good.endswith("aa") else "bb"),
        lambda good: good.replace(
            good.split(":")[0], signing.dumps("0" * 32, salt="relais.activity.digest-unsubscribe").split(":")[0]
        ),
        lambda good: signing.dumps(good.split(":")[0], salt="un-autre-usage"),
        lambda good: "n-importe-quoi",
    ],
    ids=["signature-modifiee", "autre-contenu", "autre-usage", "n-importe-quoi"],
)
def test_a_tampered_token_is_refused(token: object, personas: Personas) -> None:
    subscription = opt_in(personas.member, personas)
    bad = token(unsubscribe_token(subscription))  # type: ignore[operator]
    url = reverse("web:digest_unsubscribe", kwargs={"token": bad})
    for response in (Client().get(url), Client().post(url)):
        assert response.status_code == 400
        assert "Ce lien de désinscription n'est pas valide" in html.unescape(response.content.decode())
    subscription.refresh_from_db()
    assert subscription.opted_in


def test_a_token_cannot_be_moved_to_another_subscription(personas: Personas) -> None:
    mine = opt_in(personas.member, personas)
    other = opt_in(personas.facilitator, personas)
    Client().post(reverse("web:digest_unsubscribe", kwargs={"token": unsubscribe_token(mine)}))
    mine.refresh_from_db()
    other.refresh_from_db()
    assert not mine.opted_in
    assert other.opted_in


def test_preferences_list_the_networks_of_the_person_unticked_by_default(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.member)
    body = client.get(reverse("web:digest_preferences")).content.decode()
    assert 'value="reseau-grand-ouest"' in body
    assert "reseau-national" not in body
    assert "checked" not in body


def test_preferences_opt_in_and_out(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.member)
    url = reverse("web:digest_preferences")
    response = client.post(url, {"networks": ["reseau-grand-ouest", "reseau-national"]})
    assert response.status_code == 302
    # Only the network where the member holds a role counts.
    assert list(DigestSubscription.objects.values_list("network__slug", "opted_in")) == [("reseau-grand-ouest", True)]
    assert "checked" in client.get(url).content.decode()
    client.post(url, {})
    assert list(DigestSubscription.objects.values_list("opted_in", flat=True)) == [False]


def test_preferences_need_signing_in() -> None:
    response = Client().get(reverse("web:digest_preferences"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_upcoming_event_published_late_is_announced_the_week_before(personas: Personas) -> None:
    event = EventFactory.create(network=personas.network, title="Journée Chevalier", starts_at=in_days(4))
    age(event, 60)
    content = digest_content(user=personas.member, network=personas.network)
    assert [item.title for item in content.sections[2].items] == ["Journée Chevalier"]
