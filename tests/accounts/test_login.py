from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from relais.accounts import throttle
from relais.accounts.models import User
from tests.factories import UserFactory

PASSWORD = "mot-de-passe-solide"


@pytest.fixture
def person(db: None) -> User:
    return UserFactory.create(email="marie@exemple.fr")


def _login(client: Client, email: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(reverse("web:login"), {"email": email, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_dsfr_and_labelled(client: Client, db: None) -> None:
    response = client.get(reverse("web:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="fr-input"' in html
    assert '<label class="fr-label" for="id_email">' in html
    assert '<label class="fr-label" for="id_password">' in html


def test_right_password_logs_in(client: Client, person: User) -> None:
    response = _login(client, "marie@exemple.fr", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    assert client.session.get("_auth_user_id")


def test_email_is_case_insensitive(client: Client, person: User) -> None:
    assert _login(client, "Marie@Exemple.FR", PASSWORD).status_code == 302


def test_wrong_password_is_refused_with_linked_error(client: Client, person: User) -> None:
    response = _login(client, "marie@exemple.fr", "faux")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_open_redirect_is_ignored(client: Client, person: User) -> None:
    response = client.post(
        reverse("web:login"), {"email": "marie@exemple.fr", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("web:dashboard")


@override_settings(LOGIN_THROTTLE_ATTEMPTS=3)
def test_throttle_by_email_refuses_even_the_right_password(client: Client, person: User) -> None:
    for attempt in range(3):
        # Different addresses: only the e-mail counter can trigger the lock.
        assert _login(client, "marie@exemple.fr", "faux", ip=f"10.0.0.{attempt}").status_code == 200
    response = _login(client, "marie@exemple.fr", PASSWORD, ip="10.0.0.99")
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_THROTTLE_ATTEMPTS=3)
def test_throttle_by_ip_covers_other_emails(client: Client, person: User) -> None:
    for attempt in range(3):
        _login(client, f"inconnu{attempt}@exemple.fr", "faux", ip="192.0.2.7")
    assert _login(client, "marie@exemple.fr", PASSWORD, ip="192.0.2.7").status_code == 429
    # Another address is not concerned.
    assert _login(client, "marie@exemple.fr", PASSWORD, ip="192.0.2.8").status_code == 302


@override_settings(LOGIN_THROTTLE_ATTEMPTS=3)
def test_right_password_before_the_limit_works_and_resets_the_email_counter(client: Client, person: User) -> None:
    for attempt in range(2):
        _login(client, "marie@exemple.fr", "faux", ip=f"10.1.0.{attempt}")
    assert _login(client, "marie@exemple.fr", PASSWORD, ip="10.1.0.50").status_code == 302
    assert throttle.failure_count(email="marie@exemple.fr") == 0


@override_settings(LOGIN_THROTTLE_ATTEMPTS=2)
def test_locked_attempts_do_not_check_the_password(
    client: Client, person: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(2):
        _login(client, "marie@exemple.fr", "faux")
    called: list[object] = []
    monkeypatch.setattr("relais.web.views.accounts.authenticate", lambda *a, **k: called.append(a))
    assert _login(client, "marie@exemple.fr", PASSWORD).status_code == 429
    assert called == []


def test_logout_requires_post(client: Client, person: User) -> None:
    client.force_login(person)
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_french_email_with_a_working_link(
    client: Client, person: User, mailoutbox: list[object]
) -> None:
    response = client.post(reverse("web:password_reset"), {"email": "marie@exemple.fr"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "Réinitialisation" in message.subject  # type: ignore[attr-defined]
    link = next(line for line in message.body.splitlines() if "/mot-de-passe/nouveau/" in line)  # type: ignore[attr-defined]
    path = link.split("testserver", 1)[1].strip()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Un-nouveau-mot-2025", "new_password2": "Un-nouveau-mot-2025"})
    assert done.status_code == 302
    client.logout()
    assert _login(client, "marie@exemple.fr", "Un-nouveau-mot-2025").status_code == 302
