"""Architecture tests: the conventions of docs/style.md that a reviewer would otherwise have to remember.

What is checked:
1. every model of a Relais app carries a public UUID (`public_id`, unique, not editable) and `created_at` /
   `updated_at` timestamps, except the tables listed in `WITHOUT_PUBLIC_ID` with the reason why;
2. every domain app has the files its role needs (`APP_FILES`: models, enums, services and/or queries, perms,
   admin, README.md), and no Python module of `relais/` passes `MAX_MODULE_LINES` lines;
3. no HTML or XML template marks a variable safe (`|safe`, `{% autoescape off %}`; plain-text e-mail templates
   are not HTML) and no Python module calls `mark_safe`,
   except the reviewed uses of `SAFE_ALLOWED` (developer-written text, never user content);
4. every URL name used in a template (`{% url "…" %}`) or in Python (`reverse`, `reverse_lazy`, `redirect`,
   `resolve_url` with a literal "namespace:name") exists in the URLconf.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
RELAIS = ROOT / "relais"

# ── 1. Public UUIDs and timestamps ─────────────────────────────────────────────────────────────────────────────────

# Tables without a public UUID and timestamps, and why. Everything else of a Relais app must have them.
WITHOUT_PUBLIC_ID: dict[str, str] = {
    # Reference tables: loaded from versioned files, identified by their natural code (CPV code, INSEE code, slug).
    "reference.Cpv": "référentiel chargé depuis un fichier, identifié par son code",
    "reference.Region": "référentiel INSEE, identifié par son code",
    "reference.Departement": "référentiel INSEE, identifié par son code",
    "reference.Theme": "référentiel, identifié par son slug",
    "reference.LegalRule": "référentiel daté, identifié par (famille, code, date de début)",
    "reference.Label": "référentiel des labels, identifié par son slug",
    "suppliers.SupplierImportRow": "ligne d'un import, lue dans le rapport de son import",
    "suppliers.SupplierIndexEntry": "index de recherche, reconstruit par les services (ADR 0014)",
    # Parts of a sheet: shown and edited only inside their sheet, never addressed by their own URL.
    "casesheets.SheetBuyer": "table de liaison fiche ↔ organisation",
    "casesheets.Stakeholder": "table de liaison fiche ↔ organisation",
    "casesheets.AwardCriterion": "ligne de la fiche, modifiée avec elle",
    "casesheets.ImpactFigure": "ligne de la fiche, modifiée avec elle",
    "casesheets.Link": "ligne de la fiche, modifiée avec elle",
    "casesheets.SheetRevision": "historique immuable (created_at seulement), numéroté dans sa fiche",
    # Search index, rebuilt by services.
    "casesheets.SheetTerm": "index de recherche",
    "casesheets.SheetFacet": "index de recherche",
    "helpdesk.FaqTerm": "index de recherche de la FAQ",
    "documents.DocumentTerm": "index de recherche de la bibliothèque",
    # Parts of a public contract (DECP), shown only inside their contract and rewritten by each import.
    "contracts.ContractHolder": "ligne du marché, réécrite par l'import",
    "contracts.ContractModification": "ligne du marché, réécrite par l'import",
    "contracts.QuarantinedRecord": "texte brut d'un import, lu dans le rapport de son import",
    # Indicator cubes and the contract search index, rebuilt from the contracts after each import.
    "contracts.BuyerCube": "agrégat recalculé après chaque import",
    "contracts.BuyerYearCube": "agrégat recalculé après chaque import",
    "contracts.BuyerBreakdownCube": "agrégat recalculé après chaque import",
    "contracts.TerritoryCube": "agrégat recalculé après chaque import",
    "contracts.NetworkCube": "agrégat recalculé après chaque import",
    "contracts.NetworkCubeState": "état technique du calcul d'un réseau",
    "contracts.IndicatorRefresh": "journal technique des recalculs",
    "contracts.ContractTerm": "index de recherche des marchés",
}


def relais_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("relais.") and not model._meta.abstract and not model._meta.proxy
    ]


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def test_models_users_see_have_public_id_and_timestamps() -> None:
    problems = []
    for model in relais_models():
        if _label(model) in WITHOUT_PUBLIC_ID:
            continue
        fields = {field.name: field for field in model._meta.get_fields() if isinstance(field, models.Field)}
        public_id = fields.get("public_id")
        if not isinstance(public_id, models.UUIDField) or not public_id.unique or public_id.editable:
            problems.append(f"{_label(model)} : public_id (UUIDField unique, non modifiable) manquant")
        created, updated = fields.get("created_at"), fields.get("updated_at")
        if not isinstance(created, models.DateTimeField) or not created.auto_now_add:
            problems.append(f"{_label(model)} : created_at (auto_now_add) manquant")
        if not isinstance(updated, models.DateTimeField) or not updated.auto_now:
            problems.append(f"{_label(model)} : updated_at (auto_now) manquant")
    assert not problems, (
        "Héritez de relais.core.models.TimestampedModel, ou ajoutez le modèle à WITHOUT_PUBLIC_ID avec la raison :\n"
        + "\n".join(problems)
    )


def test_exemption_list_is_current() -> None:
    """An exemption for a model that no longer exists, or that now has a public id, must be removed."""
    by_label = {_label(model): model for model in relais_models()}
    stale = [label for label in WITHOUT_PUBLIC_ID if label not in by_label]
    assert not stale, f"Modèles inconnus dans WITHOUT_PUBLIC_ID : {stale}"
    now_compliant = [
        label for label in WITHOUT_PUBLIC_ID if any(f.name == "public_id" for f in by_label[label]._meta.get_fields())
    ]
    assert not now_compliant, (
        f"Ces modèles ont maintenant un public_id, retirez-les de WITHOUT_PUBLIC_ID : {now_compliant}"
    )


# ── 2. Layout of the domain apps ───────────────────────────────────────────────────────────────────────────────────

# What each domain app must hold. "services|queries" means at least one of the two (an app with workflows has
# services; an app that is only read has queries). A module may also be a package (`services/__init__.py`).
APP_FILES: dict[str, list[str]] = {
    "core": ["models", "README.md"],  # shared abstract bases and helpers: no business rule of its own
    "reference": ["models", "queries", "admin", "README.md"],  # read-only tables, loaded by a command
    "accounts": ["models", "services", "admin", "README.md"],  # roles and their rules live in networks
    "organisations": ["models", "enums", "services|queries", "admin", "README.md"],
    "networks": ["models", "enums", "services", "perms", "admin", "README.md"],
    "casesheets": ["models", "enums", "services", "queries", "perms", "admin", "README.md"],
    "workgroups": ["models", "enums", "services", "queries", "perms", "admin", "README.md"],
    "events": ["models", "enums", "services", "queries", "perms", "admin", "README.md"],
    "helpdesk": ["models", "enums", "services", "queries", "perms", "admin", "README.md"],
    "documents": ["models", "enums", "services", "queries", "perms", "admin", "README.md"],
    "contracts": ["models", "enums", "services", "queries", "perms", "admin", "README.md"],
    "suppliers": ["models", "enums", "services", "queries", "perms", "admin", "README.md"],
    # The legal-lever advisor computes from the reference rules and the directory: no table of its own.
    "advisor": ["services|queries", "README.md"],
    "sourcing": ["models", "enums", "services", "queries", "perms", "admin", "README.md"],
    # Reads every domain app (members directory, activity figures, digest, unified search): no enums of its own.
    "activity": ["models", "services", "queries", "perms", "admin", "README.md"],
}
# Style guide: split a module into a package before it passes ~500 lines.
MAX_MODULE_LINES = 600


def _has(app_dir: Path, name: str) -> bool:
    if name.endswith(".md"):
        return (app_dir / name).is_file()
    return (app_dir / f"{name}.py").is_file() or (app_dir / name / "__init__.py").is_file()


def test_every_domain_app_is_listed() -> None:
    """A new app must state here which of the usual files it needs (interfaces and demo tooling excepted)."""
    interfaces = {"web", "api", "demo"}
    found = {path.parent.name for path in RELAIS.glob("*/apps.py")} - interfaces
    assert found == set(APP_FILES), f"Applications à déclarer dans APP_FILES : {sorted(found ^ set(APP_FILES))}"


@pytest.mark.parametrize("app", sorted(APP_FILES))
def test_domain_app_has_its_files(app: str) -> None:
    app_dir = RELAIS / app
    missing = [
        spec for spec in APP_FILES[app] if not any(_has(app_dir, alternative) for alternative in spec.split("|"))
    ]
    assert not missing, f"relais/{app}/ : il manque {missing}"


def test_modules_stay_small() -> None:
    too_long = []
    for path in RELAIS.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(ROOT)} ({lines} lignes)")
    assert not too_long, f"Découpez en paquet les modules de plus de {MAX_MODULE_LINES} lignes : {too_long}"


# ── 3. Nothing marked safe ─────────────────────────────────────────────────────────────────────────────────────────

# Reviewed uses, as (file relative to the repository, the exact expression): each must not carry user content.
SAFE_ALLOWED: dict[tuple[str, str], str] = {
    ("relais/web/templates/web/accounts/_field.html", "field.help_text|safe"): (
        "help_text est écrit par les développeurs dans les formulaires, jamais saisi par un utilisateur"
    ),
}
_SAFE_FILTER = re.compile(r"([\w.]+(?:\|[\w:\"']+)*\|safe)\b")
_AUTOESCAPE_OFF = re.compile(r"{%\s*autoescape\s+off\s*%}")


def templates(*, with_text: bool = True) -> Iterator[Path]:
    """Templates of Relais. Plain-text ones (e-mails) are not HTML: escaping does not apply to them."""
    yield from RELAIS.glob("*/templates/**/*.html")
    yield from RELAIS.glob("*/templates/**/*.xml")
    if with_text:
        yield from RELAIS.glob("*/templates/**/*.txt")


def test_templates_never_mark_variables_safe() -> None:
    problems = []
    for path in templates(with_text=False):
        relative = str(path.relative_to(ROOT))
        text = path.read_text(encoding="utf-8")
        for match in _SAFE_FILTER.finditer(text):
            if (relative, match.group(1)) not in SAFE_ALLOWED:
                problems.append(f"{relative} : {match.group(1)}")
        if _AUTOESCAPE_OFF.search(text):
            problems.append(f"{relative} : autoescape off")
    assert not problems, "Contenu marqué sûr dans les gabarits (risque XSS) :\n" + "\n".join(problems)


def test_python_never_calls_mark_safe() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in RELAIS.rglob("*.py")
        if "mark_safe(" in path.read_text(encoding="utf-8") or "SafeString(" in path.read_text(encoding="utf-8")
    ]
    assert not offenders, f"mark_safe / SafeString : utilisez format_html ou un gabarit : {offenders}"


def test_safe_allow_list_is_current() -> None:
    for (relative, expression), reason in SAFE_ALLOWED.items():
        path = ROOT / relative
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        assert expression in text, f"Entrée obsolète dans SAFE_ALLOWED : {relative} {expression} ({reason})"


# ── 4. URL names ───────────────────────────────────────────────────────────────────────────────────────────────────


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


_TEMPLATE_URL = re.compile(r"{%\s*url\s+([\"'])([^\"']+)\1")
_PYTHON_URL = re.compile(r"\b(?:reverse|reverse_lazy|redirect|resolve_url)\(\s*([\"'])([\w-]+:[\w:-]+)\1")


def test_url_names_in_templates_exist() -> None:
    names = url_names()
    unknown = [
        f"{path.relative_to(ROOT)} : {match.group(2)}"
        for path in templates()
        for match in _TEMPLATE_URL.finditer(path.read_text(encoding="utf-8"))
        if match.group(2) not in names
    ]
    assert not unknown, "Noms d'URL inconnus dans les gabarits :\n" + "\n".join(unknown)


def test_url_names_in_python_exist() -> None:
    names = url_names()
    unknown = [
        f"{path.relative_to(ROOT)} : {match.group(2)}"
        for path in RELAIS.rglob("*.py")
        for match in _PYTHON_URL.finditer(path.read_text(encoding="utf-8"))
        if match.group(2) not in names
    ]
    assert not unknown, "Noms d'URL inconnus dans le code :\n" + "\n".join(unknown)


def test_url_name_checks_see_the_templates() -> None:
    """Guard against a regex that silently matches nothing: the base template links home by name."""
    base = (RELAIS / "web/templates/web/base.html").read_text(encoding="utf-8")
    assert "web:home" in {match.group(2) for match in _TEMPLATE_URL.finditer(base)}
