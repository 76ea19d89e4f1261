"""Who gets what, for every URL of the site and the API, for each persona of the fixed cast.

The table `EXPECTED` below holds one entry per URL name. A test walks Django's resolver: a view added without an
entry here fails (`test_every_url_has_an_entry`), so that nobody ships a page whose permissions were never stated.

For each URL the entry says which sheet fills the URL (a published members-only sheet, a published public sheet, a
draft, a submitted sheet — all of `personas.network`, all written by `personas.member`) and the expected outcome per
persona, in the column order of `row(...)`:

    anonymous · member · supplier · facilitator · animator · other_animator · site_admin

Outcomes: an HTTP status, or `LOGIN` (302 to the login page). On top of the statuses, every page answered to a
persona is searched for the titles of sheets that persona must not read: the members-only sheet's title never
reaches anonymous visitors, suppliers or another network's animator (search, feeds, sitemap, exports, API,
dashboards included), and the draft's title reaches only its author, the network's animators and site admins.
Listing URLs (`lists_sheets=True`) must also show the public sheet, so that the absence check is not vacuous.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from relais.accounts.models import User
from relais.casesheets.models import Attachment, CaseSheet
from relais.documents.models import Document
from relais.events.models import Event
from relais.helpdesk.models import FaqEntry
from relais.networks.enums import Role
from relais.networks.models import Invitation
from relais.reference.models import Cpv

from .conftest import Personas
from .documents.factories import DocumentFactory
from .events.factories import EventFactory
from .factories import CaseSheetFactory, CpvFactory
from .helpdesk.factories import FaqEntryFactory

PERSONAS = ("anonymous", "member", "supplier", "facilitator", "animator", "other_animator", "site_admin")
# People outside the network of the sheets: they must never read its members-only content.
OUTSIDERS = frozenset({"anonymous", "supplier", "other_animator"})
# People who may read the draft: its author, the network's animator and site admins.
DRAFT_READERS = frozenset({"member", "animator", "site_admin"})

LOGIN = "login"  # 302 to the login page
Outcome = int | str
REFUSED = frozenset({LOGIN, 403, 404, 405})


def row(
    anonymous: Outcome,
    member: Outcome,
    supplier: Outcome,
    facilitator: Outcome,
    animator: Outcome,
    other_animator: Outcome,
    site_admin: Outcome,
) -> dict[str, Outcome]:
    return dict(
        zip(PERSONAS, (anonymous, member, supplier, facilitator, animator, other_animator, site_admin), strict=True)
    )


# Rows used again and again. Columns: anonymous, member, supplier, facilitator, animator, other_animator, site_admin.
EVERYONE = row(200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = row(LOGIN, 200, 200, 200, 200, 200, 200)
NETWORK_MEMBERS = row(404, 200, 404, 200, 200, 404, 200)  # members-only sheet: hidden (404) to outsiders
DRAFT_READ = row(404, 200, 404, 404, 200, 404, 200)  # author, network animator, site admin
NOT_ALLOWED = row(405, 405, 405, 405, 405, 405, 405)


@dataclass(frozen=True)
class Case:
    """One request: which sheet fills the URL, the method, and the outcome expected for each persona."""

    sheet: str | None
    expected: dict[str, Outcome]
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    query: str = ""


@dataclass(frozen=True)
class UrlSpec:
    cases: tuple[Case, ...]
    # Builds the URL's keyword arguments from the sheet of the case and the world.
    kwargs: Callable[[CaseSheet | None, World], dict[str, Any]] = lambda sheet, world: {}
    # A listing of sheets: must show the public sheet (and, to members, the members-only one when asked below).
    lists_sheets: bool = False
    members_see_members_only: bool = False
    # Never shows the members-only sheet, even to members (documents kept in shared caches).
    public_only: bool = False


def by_sheet(sheet: CaseSheet | None, world: World) -> dict[str, Any]:
    assert sheet is not None
    return {"public_id": sheet.public_id}


def by_cpv(sheet: CaseSheet | None, world: World) -> dict[str, Any]:
    return {"code": world.cpv.code8}


def by_network(sheet: CaseSheet | None, world: World) -> dict[str, Any]:
    return {"slug": world.personas.network.slug}


def by_invitation(sheet: CaseSheet | None, world: World) -> dict[str, Any]:
    return {"token": world.invitation.token}


def by_theme(sheet: CaseSheet | None, world: World) -> dict[str, Any]:
    return {"slug": world.sheets["members_only"].themes.get().slug}  # a theme every test sheet has


def by_attachment(sheet: CaseSheet | None, world: World) -> dict[str, Any]:
    assert sheet is not None
    return {"public_id": sheet.public_id, "attachment_id": sheet.attachments.get().public_id}


def by_reset_token(sheet: CaseSheet | None, world: World) -> dict[str, Any]:
    return {"uidb64": "MQ", "token": "lien-perime"}  # an invalid link: the page says so (200)


def _kind_of(sheet: CaseSheet | None, world: World) -> str:
    assert sheet is not None
    return next(kind for kind, candidate in world.sheets.items() if candidate.pk == sheet.pk)


def by_event(sheet: CaseSheet | None, world: World) -> dict[str, Any]:
    """An event of the network with the case's visibility: public, members-only or draft (made on first use)."""
    kind = _kind_of(sheet, world)
    title = f"Événement de la matrice ({kind})"
    traits = {"public": {}, "members_only": {"members_only": True}, "draft": {"draft": True}}[kind]
    event = Event.objects.filter(title=title).first() or EventFactory.create(
        network=world.personas.network, title=title, **traits
    )
    return {"public_id": event.public_id}


def by_document(sheet: CaseSheet | None, world: World) -> dict[str, Any]:
    """A document of the network's library, public or members-only like the case's sheet (made on first use)."""
    kind = _kind_of(sheet, world)
    title = f"Document de la matrice ({kind})"
    document = Document.objects.filter(title=title).first() or DocumentFactory.create(
        network=world.personas.network, title=title, members_only=kind != "public"
    )
    return {"public_id": document.public_id}


def by_faq_entry(sheet: CaseSheet | None, world: World) -> dict[str, Any]:
    """A FAQ entry of the network, public or members-only like the case's sheet (made on first use)."""
    kind = _kind_of(sheet, world)
    title = f"Entrée de FAQ de la matrice ({kind})"
    entry = FaqEntry.objects.filter(title=title).first() or FaqEntryFactory.create(
        network=world.personas.network, title=title, members_only=kind != "public"
    )
    return {"public_id": entry.public_id}


# Rows of the workflow actions (POST). A person who cannot see the sheet gets 404 (its existence is not
# revealed); one who sees it without the right to act gets 403; the allowed ones are sent back (302).
REVIEW = row(LOGIN, 403, 404, 404, 302, 404, 302)  # publish / return a submitted sheet: the network's animator
SUBMIT = row(LOGIN, 302, 404, 404, 302, 404, 302)  # submit a draft: its author or the network's animator
WITHDRAW = row(LOGIN, 403, 403, 403, 302, 403, 302)  # unpublish / archive a published public sheet
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405)

EXPECTED: dict[str, UrlSpec] = {
    # ── Public pages ─────────────────────────────────────────────────────────────────────────────────────────────
    "web:home": UrlSpec(cases=(Case(None, EVERYONE),)),
    "web:api_docs": UrlSpec(cases=(Case(None, EVERYONE),)),
    "web:sheet_search": UrlSpec(cases=(Case(None, EVERYONE),), lists_sheets=True, members_see_members_only=True),
    "web:sheet_detail": UrlSpec(
        kwargs=by_sheet,
        cases=(
            Case("public", EVERYONE),
            Case("members_only", NETWORK_MEMBERS),
            Case("draft", DRAFT_READ),
            Case("submitted", DRAFT_READ),
        ),
    ),
    "web:sheet_attachment": UrlSpec(
        kwargs=by_attachment,
        cases=(
            Case("public", EVERYONE),
            Case("members_only", NETWORK_MEMBERS),
            Case("draft", DRAFT_READ),
        ),
    ),
    # Exports follow the reader's visibility, like the search page.
    "web:sheet_export_csv": UrlSpec(cases=(Case(None, EVERYONE),), lists_sheets=True, members_see_members_only=True),
    "web:sheet_export_xlsx": UrlSpec(cases=(Case(None, EVERYONE),), lists_sheets=True, members_see_members_only=True),
    "web:sheet_export_json": UrlSpec(cases=(Case(None, EVERYONE),), lists_sheets=True, members_see_members_only=True),
    # Feeds and the sitemap are kept in shared caches: public sheets only, whoever asks (members included).
    "web:sheet_feed": UrlSpec(cases=(Case(None, EVERYONE),), lists_sheets=True, public_only=True),
    "web:sheet_theme_feed": UrlSpec(
        kwargs=by_theme, cases=(Case(None, EVERYONE),), lists_sheets=True, public_only=True
    ),
    "web:network_sheet_feed": UrlSpec(
        kwargs=by_network, cases=(Case(None, EVERYONE),), lists_sheets=True, public_only=True
    ),
    "sitemap": UrlSpec(cases=(Case(None, EVERYONE),), lists_sheets=True, public_only=True),
    # ── Accounts ─────────────────────────────────────────────────────────────────────────────────────────────────
    # Signed-in people are sent on to their space.
    "web:login": UrlSpec(cases=(Case(None, row(200, 302, 302, 302, 302, 302, 302)),)),
    "web:logout": UrlSpec(cases=(Case(None, NOT_ALLOWED), Case(None, row(302, 302, 302, 302, 302, 302, 302), "POST"))),
    "web:dashboard": UrlSpec(cases=(Case(None, SIGNED_IN),)),
    "web:password_reset": UrlSpec(cases=(Case(None, EVERYONE),)),
    "web:password_reset_done": UrlSpec(cases=(Case(None, EVERYONE),)),
    "web:password_reset_confirm": UrlSpec(kwargs=by_reset_token, cases=(Case(None, EVERYONE),)),
    "web:password_reset_complete": UrlSpec(cases=(Case(None, EVERYONE),)),
    # Only the network's animators (and site admins) invite; the page lists invitations (personal data).
    "web:invitation_create": UrlSpec(kwargs=by_network, cases=(Case(None, row(403, 403, 403, 403, 200, 403, 200)),)),
    # An invitation for an address without an account: anyone holding the link may create that account; a
    # signed-in person is told that the invitation is for someone else (403).
    "web:invitation_accept": UrlSpec(kwargs=by_invitation, cases=(Case(None, row(200, 403, 403, 403, 403, 403, 403)),)),
    # ── Writing and reviewing sheets ─────────────────────────────────────────────────────────────────────────────
    # Members, facilitators and animators write for their networks; suppliers and site admins (no role) do not.
    "web:sheet_create": UrlSpec(cases=(Case(None, row(LOGIN, 200, 403, 200, 200, 200, 403)),)),
    "web:sheet_edit": UrlSpec(
        kwargs=by_sheet,
        cases=(
            Case("draft", row(LOGIN, 200, 404, 404, 200, 404, 200)),
            Case("submitted", row(LOGIN, 200, 404, 404, 200, 404, 200)),
            # Once published, only the network's animators change what the public reads.
            Case("members_only", row(LOGIN, 403, 404, 403, 200, 404, 200)),
            Case("public", row(LOGIN, 403, 403, 403, 200, 403, 200)),
        ),
    ),
    "web:sheet_submit": UrlSpec(kwargs=by_sheet, cases=(Case("draft", POST_ONLY), Case("draft", SUBMIT, "POST"))),
    "web:sheet_publish": UrlSpec(
        kwargs=by_sheet,
        cases=(
            Case("submitted", POST_ONLY),
            Case("submitted", REVIEW, "POST"),
            # Already published: the animator is told so (message, 302); outsiders still learn nothing (404).
            Case("members_only", row(LOGIN, 403, 404, 403, 302, 404, 302), "POST"),
        ),
    ),
    "web:sheet_return": UrlSpec(
        kwargs=by_sheet,
        cases=(Case("submitted", POST_ONLY), Case("submitted", REVIEW, "POST", {"comment": "Ajoutez les montants."})),
    ),
    "web:sheet_unpublish": UrlSpec(
        kwargs=by_sheet, cases=(Case("public", POST_ONLY), Case("public", WITHDRAW, "POST"))
    ),
    "web:sheet_archive": UrlSpec(kwargs=by_sheet, cases=(Case("public", POST_ONLY), Case("public", WITHDRAW, "POST"))),
    # The CPV nomenclature is public reference data; the directory of organisations is for signed-in people.
    "web:cpv_autocomplete": UrlSpec(cases=(Case(None, EVERYONE, query="?q=traiteur"),)),
    "web:organisation_autocomplete": UrlSpec(cases=(Case(None, SIGNED_IN, query="?q=ville"),)),
    # ── API ──────────────────────────────────────────────────────────────────────────────────────────────────────
    "api:sheet_list": UrlSpec(cases=(Case(None, EVERYONE),), lists_sheets=True, members_see_members_only=True),
    "api:sheet_detail": UrlSpec(
        kwargs=by_sheet,
        cases=(
            Case("public", EVERYONE),
            Case("members_only", NETWORK_MEMBERS),
            # The API shows published sheets only: not even the author reads a draft there.
            Case("draft", row(404, 404, 404, 404, 404, 404, 404)),
        ),
    ),
    "api:cpv_list": UrlSpec(cases=(Case(None, EVERYONE),)),
    "api:cpv_detail": UrlSpec(kwargs=by_cpv, cases=(Case(None, EVERYONE),)),
    "api:event_list": UrlSpec(cases=(Case(None, EVERYONE),)),
    "api:event_detail": UrlSpec(
        kwargs=by_event,
        cases=(
            Case("public", EVERYONE),
            Case("members_only", NETWORK_MEMBERS),
            Case("draft", row(404, 404, 404, 404, 404, 404, 404)),
        ),
    ),
    # The API serves PUBLIC documents only, whoever asks: members-only ones stay behind the site's checks.
    "api:document_list": UrlSpec(cases=(Case(None, EVERYONE),)),
    "api:document_detail": UrlSpec(
        kwargs=by_document,
        cases=(Case("public", EVERYONE), Case("members_only", row(404, 404, 404, 404, 404, 404, 404))),
    ),
    "api:faq_list": UrlSpec(cases=(Case(None, EVERYONE),)),
    "api:faq_detail": UrlSpec(
        kwargs=by_faq_entry, cases=(Case("public", EVERYONE), Case("members_only", NETWORK_MEMBERS))
    ),
    "api:schema": UrlSpec(cases=(Case(None, EVERYONE),)),
}

# URL namespaces outside this matrix, with the reason.
EXCLUDED_NAMESPACES = {
    "admin": "Django's admin, reserved to staff by Django itself",
}


# ── The world the requests run in ──────────────────────────────────────────────────────────────────────────────────


@dataclass
class World:
    personas: Personas
    cpv: Cpv
    sheets: dict[str, CaseSheet]
    invitation: Invitation

    def user(self, persona: str) -> User | AnonymousUser:
        return self.personas.all()[persona]

    def fresh_sheet(self, kind: str) -> CaseSheet:
        """A new sheet of this kind, for requests that change the sheet they act on."""
        return make_sheet(self.personas, kind, title=f"Fiche {kind} créée pour une requête qui la modifie")


SHEET_TITLES = {
    "public": "Restauration scolaire bio publique Albatros",
    "members_only": "Nettoyage réservé aux adhérents Zéphyrin",
    "draft": "Brouillon de marché textile Quetzalcoatl",
    "submitted": "Fiche soumise sur le mobilier Ornithorynque",
}


def make_sheet(personas: Personas, kind: str, *, title: str | None = None) -> CaseSheet:
    traits: dict[str, Any] = {
        "public": {"published": True},
        "members_only": {"published": True, "members_only": True},
        "draft": {},
        "submitted": {"submitted": True},
    }[kind]
    return CaseSheetFactory.create(
        network=personas.network, author=personas.member, title=title or SHEET_TITLES[kind], **traits
    )


@pytest.fixture
def world(personas: Personas) -> World:
    cpv = CpvFactory.create()
    sheets = {kind: make_sheet(personas, kind) for kind in SHEET_TITLES}
    for kind, sheet in sheets.items():
        Attachment.objects.create(
            sheet=sheet,
            title=f"Cahier des charges ({kind})",
            file=ContentFile(b"%PDF-1.4 test", name="cahier.pdf"),
            original_name="cahier.pdf",
            content_type="application/pdf",
            size=13,
        )
    invitation = Invitation.objects.create(
        network=personas.network, email="nouvelle.personne@exemple.fr", role=Role.MEMBER, invited_by=personas.animator
    )
    return World(personas=personas, cpv=cpv, sheets=sheets, invitation=invitation)


# ── Walking the resolver ───────────────────────────────────────────────────────────────────────────────────────────


def _walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def site_urls() -> tuple[set[str], list[str]]:
    """Named URLs of the site (namespaced like `web:home`) and the routes that have no name."""
    names: set[str] = set()
    unnamed: list[str] = []
    for namespace, pattern in _walk(get_resolver().url_patterns, ""):
        if namespace.split(":")[0] in EXCLUDED_NAMESPACES:
            continue
        if pattern.name is None:
            unnamed.append(f"{namespace or '(racine)'} {pattern.pattern}")
            continue
        names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names, unnamed


# URL names of the network-life areas have their own matrix, next to their tests; each of those modules checks
# that every URL of its area has an entry, with the same rule as here.
AREA_MATRICES = {
    "web:event": "tests/events/test_permissions_events.py",
    "web:network_calendar": "tests/events/test_permissions_events.py",
    "web:helpdesk": "tests/helpdesk/test_permissions_helpdesk.py",
    "web:faq": "tests/helpdesk/test_permissions_helpdesk.py",
    "web:workgroup": "tests/workgroups/test_permissions_workgroups.py",
    "web:document": "tests/documents/test_permissions_documents.py",
    "web:activity": "tests/activity/test_permissions_dashboard.py",
    "web:members": "tests/activity/test_permissions_dashboard.py",
    "web:digest": "tests/activity/test_permissions_digest.py",
    "web:search_all": "tests/activity/test_permissions_digest.py",
    "web:decp": "tests/contracts/test_permissions_contracts.py",
    "web:contract": "tests/contracts/test_permissions_contracts.py",
    "api:contract": "tests/contracts/test_permissions_contracts.py",
    "web:indicator": "tests/contracts/test_permissions_contracts.py",
    "api:indicator": "tests/contracts/test_permissions_contracts.py",
    # Order matters: the first prefix that matches wins.
    "web:directory_supplier": "tests/suppliers/test_permissions_supplier_pages.py",
    "api:directory": "tests/suppliers/test_permissions_supplier_pages.py",
    "web:directory": "tests/suppliers/test_permissions_directory.py",
    "web:supplier_": "tests/suppliers/test_permissions_self_service.py",
    "web:need": "tests/sourcing/test_permissions_sourcing.py",
    "api:need": "tests/sourcing/test_permissions_sourcing.py",
    "web:notification": "tests/sourcing/test_permissions_sourcing.py",
    "web:advisor": "tests/advisor/test_permissions_advisor.py",
    "api:advisor": "tests/advisor/test_permissions_advisor.py",
}


def area_of(name: str) -> str | None:
    return next((prefix for prefix in AREA_MATRICES if name.startswith(prefix)), None)


def test_every_url_has_an_entry() -> None:
    names, unnamed = site_urls()
    names = {name for name in names if area_of(name) is None}
    assert not unnamed, f"Des routes n'ont pas de nom (donnez-leur un nom pour les tester) : {unnamed}"
    missing = sorted(names - EXPECTED.keys())
    assert not missing, f"Permissions non déclarées dans tests/test_permissions.py pour : {missing}"
    stale = sorted(EXPECTED.keys() - names)
    assert not stale, f"Entrées de tests/test_permissions.py sans URL correspondante : {stale}"


# ── The matrix ─────────────────────────────────────────────────────────────────────────────────────────────────────


def _client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.user(persona)
    if isinstance(user, User):
        client.force_login(user)
    return client


def _outcome_matches(response: Any, expected: Outcome) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    return response.status_code == expected


def _body(response: Any) -> str:
    """The text a reader gets, whatever the format: JSON without \\u escapes, the cells of an XLSX workbook,
    HTML and XML with entities resolved."""
    raw = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    content_type = response.get("Content-Type", "")
    if raw.startswith(b"PK"):  # a zip container: XLSX
        with zipfile.ZipFile(io.BytesIO(raw)) as workbook:
            raw = b"".join(workbook.read(name) for name in workbook.namelist() if name.endswith(".xml"))
    text = raw.decode("utf-8-sig", "replace")
    if "json" in content_type:
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


def _shows(body: str, sheet: CaseSheet) -> bool:
    return sheet.title in body or str(sheet.public_id) in body


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, world: World) -> None:
    spec = EXPECTED[name]
    problems: list[str] = []
    members_only, draft, public = world.sheets["members_only"], world.sheets["draft"], world.sheets["public"]
    for case in spec.cases:
        for persona in PERSONAS:
            sheet: CaseSheet | None = None
            if case.sheet is not None:
                # A request that may change its sheet acts on a fresh one, so that personas do not see each other's
                # effects (the animator's publication would otherwise change what the next persona meets).
                sheet = world.sheets[case.sheet] if case.method == "GET" else world.fresh_sheet(case.sheet)
            url = reverse(name, kwargs=spec.kwargs(sheet, world)) + case.query
            client = _client_for(world, persona)
            response = client.generic(case.method, url, data=_encode(case.data), content_type=_CONTENT_TYPE)
            where = f"{case.method} {url} [{case.sheet or '-'}] {persona}"
            expected = case.expected[persona]
            if sheet is not None and case.method != "GET" and expected in REFUSED:
                before = (sheet.status, sheet.visibility, sheet.updated_at)
                sheet.refresh_from_db()
                if (sheet.status, sheet.visibility, sheet.updated_at) != before:
                    problems.append(f"{where}: requête refusée mais la fiche a changé ({before[0]} → {sheet.status})")
            if not _outcome_matches(response, expected):
                location = f" → {response['Location']}" if response.has_header("Location") else ""
                problems.append(f"{where}: attendu {expected}, obtenu {response.status_code}{location}")
                continue
            if case.method != "GET" or response.status_code != 200:
                continue
            body = _body(response)
            if persona in OUTSIDERS and members_only.title in body:
                problems.append(f"{where}: montre le titre de la fiche réservée aux adhérents")
            if persona not in DRAFT_READERS and draft.title in body:
                problems.append(f"{where}: montre le titre du brouillon")
            if spec.lists_sheets:
                if not _shows(body, public):
                    problems.append(f"{where}: la liste ne montre pas la fiche publique")
                if (persona in OUTSIDERS or spec.public_only) and _shows(body, members_only):
                    problems.append(f"{where}: la liste montre la fiche réservée aux adhérents")
                if persona not in OUTSIDERS and spec.members_see_members_only and not _shows(body, members_only):
                    problems.append(f"{where}: la liste ne montre pas la fiche réservée à un membre du réseau")
                if _shows(body, draft) or _shows(body, world.sheets["submitted"]):
                    problems.append(f"{where}: la liste montre une fiche non publiée")
    assert not problems, f"{name} :\n" + "\n".join(problems)


_CONTENT_TYPE = "application/x-www-form-urlencoded"


def _encode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


def test_matrix_rows_are_complete() -> None:
    """Every case states an outcome for each of the seven personas (a typo must not silently skip one)."""
    for name, spec in EXPECTED.items():
        for case in spec.cases:
            assert set(case.expected) == set(PERSONAS), name
