"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against pytest-django's live server.

Nothing is downloaded: Playwright launches the system Chromium (`/usr/bin/chromium`, installed by `.ci/run`), and
every request that does not go to the live server is aborted so that a page cannot depend on the network.
Every test here is marked `browser`; `make test-browser` runs them, `make pytest` leaves them out.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from relais.accounts.models import User

CHROMIUM_PATH = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]
# Long enough for a slow CI machine, short enough that a missing element fails fast with a readable message.
DEFAULT_TIMEOUT_MS = 10_000
PASSWORD = "mot-de-passe-solide"  # the password UserFactory gives everyone

_axe = Axe()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM_PATH.exists():
        reason = (
            f"Chromium introuvable ({CHROMIUM_PATH}) : installez-le avec `apt-get install -y chromium` "
            "(Playwright ne télécharge aucun navigateur ici)."
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    # The sync API runs an event loop in the test thread; Django's ORM (used by fixtures and assertions in the
    # same thread) refuses to run there unless told that this is deliberate.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    finally:
        playwright.stop()


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """The real reference tables (whole CPV list, départements, themes): the CPV autocomplete needs them."""
    call_command("load_reference", stdout=io.StringIO())


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    """A fresh browser profile per test (no cookies shared), in French, that only talks to the live server."""
    ctx = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    server = urlsplit(live_server.url).netloc

    def only_live_server(route: Route) -> None:
        if urlsplit(route.request.url).netloc == server:
            route.continue_()
        else:
            route.abort()

    ctx.route("**/*", only_live_server)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that fails the test on any uncaught JavaScript error."""
    browser_page = context.new_page()
    errors: list[str] = []
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    yield browser_page
    assert not errors, "Erreurs JavaScript dans la page :\n" + "\n".join(errors)


def login_as(context: BrowserContext, live_server: Any, user: User) -> None:
    """Open a session for `user` without going through the login form (for tests about other pages)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def login_with_form(page: Page, live_server: Any, email: str, password: str = PASSWORD) -> None:
    """Log in as a person does: the login page, its labelled fields, the "Se connecter" button."""
    page.goto(live_server.url + reverse("web:login"))
    assert_no_axe_violations(page)
    page.get_by_role("textbox", name="Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    assert "/connexion/" not in page.url, f"La connexion de {email} a échoué (toujours sur {page.url})."


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Violations reported by axe-core (all rules of its default set, best practices included)."""
    results = _axe.run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact') or '?'}) : {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            html = " ".join(node.get("html", "").split())[:160]
            lines.append(f"    {target}\n      {html}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    """Fail with the list of axe violations (rule, impact, targets) of the page as it is now."""
    violations = axe_violations(page)
    if violations:
        pytest.fail(
            f"{len(violations)} violation(s) d'accessibilité (axe-core) sur {page.url} :\n"
            + format_violations(violations),
            pytrace=False,
        )
