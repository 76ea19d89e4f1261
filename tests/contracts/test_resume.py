# ruff: noqa: S603 — every subprocess runs this interpreter on the project's own manage.py or inline code.
"""A run killed with SIGKILL and run again ends in exactly the state of an uninterrupted run.

The import runs in a real `manage.py import_decp` process on a database of its own (a SQLite file, or a fresh
PostgreSQL database when the suite runs on PostgreSQL), so that the kill happens between or inside real
transactions. The state compared is everything the import decides: contracts, holders, amendments,
organisations, quarantine, and the run's counters.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
RECORDS = 6_000
BATCH = 100

DUMP = r"""
import json, django
django.setup()
from relais.contracts.models import (
    Contract, ContractHolder, ContractModification, ContractTerm, ImportRun, QuarantinedRecord)
from relais.organisations.models import Organisation
skip = {"id", "public_id", "created_at", "updated_at", "first_run", "last_run"}
fields = [f.attname for f in Contract._meta.concrete_fields if f.name not in skip]
state = {
    "contracts": [list(map(str, row)) for row in Contract.objects.order_by("uid").values_list(*fields)],
    "holders": [list(map(str, r)) for r in ContractHolder.objects.order_by("contract__uid", "rank").values_list(
        "contract__uid", "rank", "identifier", "name", "organisation__siret")],
    "modifications": [list(map(str, r)) for r in ContractModification.objects.order_by("contract__uid", "rank")
        .values_list("contract__uid", "rank", "number", "amount", "notified_on")],
    "organisations": sorted(
        [list(map(str, r)) for r in Organisation.objects.values_list("siret", "siren", "kind", "name")]
    ),
    "quarantine": sorted([list(map(str, r)) for r in QuarantinedRecord.objects.values_list("position", "reason")]),
    "terms": sorted([list(map(str, r)) for r in ContractTerm.objects.values_list(
        "contract__uid", "term", "amount_cents")]),
    "runs": [list(map(str, r)) for r in ImportRun.objects.filter(status="done").values_list(
        "read", "created", "updated", "unchanged", "flagged", "quarantined", "position", "flag_counts")],
}
print(json.dumps(state))
"""

RESET = r"""
import django
django.setup()
from relais.contracts.models import Contract, ImportRun
from relais.organisations.models import Organisation
Contract.objects.all().delete()
ImportRun.objects.all().delete()
Organisation.objects.all().delete()
"""


def _luhn_siret(prefix: str) -> str:
    """Complete 13 digits into a SIRET whose Luhn key is right."""
    for last in "0123456789":
        digits = prefix + last
        total = sum(
            (int(c) * 2 - 9 if int(c) * 2 > 9 else int(c) * 2) if i % 2 else int(c)
            for i, c in enumerate(reversed(digits))
        )
        if total % 10 == 0:
            return digits
    raise AssertionError(prefix)


def _write_file(path: Path) -> None:
    """A 2022-format file with republications (more amendments), exact duplicates, identifiers shared by
    different lots, invalid SIRETs and unknown CPV codes, spread over the whole file."""
    buyers = [_luhn_siret(f"2135{n:09d}") for n in range(40)]
    holders = [_luhn_siret(f"5520{n:09d}") for n in range(300)]
    cpvs = ["55524000-9", "45000000-7", "90910000-9", "79000000-4", "99999999"]
    records = []
    for n in range(RECORDS):
        base = n if n % 50 else n - 1  # every 50th record shares the previous one's identifier (another lot)
        record = {
            "id": f"2025-{base:06d}",
            "acheteur": {"id": buyers[n % len(buyers)]},
            "nature": "Marché",
            "objet": f"Marché n°{n} de services",
            "codeCPV": cpvs[n % len(cpvs)],
            "procedure": "Procédure adaptée",
            "lieuExecution": {"code": f"{35000 + n % 90:05d}", "typeCode": "Code postal"},
            "dureeMois": 12 + n % 36,
            "dateNotification": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "datePublicationDonnees": "2025-12-31",
            "montant": 40000 + n * 7,
            "formePrix": "Forfaitaire",
            "titulaires": [{"titulaire": {"id": holders[n % len(holders)], "typeIdentifiant": "SIRET"}}],
            "considerationsSociales": {
                "considerationSociale": ["Clause sociale" if n % 7 == 0 else "Pas de considération sociale"]
            },
            "considerationsEnvironnementales": {"considerationEnvironnementale": ["Critère environnemental"]},
        }
        if n % 97 == 0:
            record["titulaires"][0]["titulaire"]["id"] = "12345678901234"  # wrong key
        records.append(record)
        if n % 31 == 0:  # exact duplicate further on
            records.append(json.loads(json.dumps(record)))
        if n % 43 == 0:  # a later publication with one amendment
            later = json.loads(json.dumps(record))
            later["datePublicationDonnees"] = "2026-02-01"
            later["modifications"] = [
                {
                    "modification": {
                        "id": 1,
                        "montant": record["montant"] + 1000,
                        "dateNotificationModification": "2026-01-15",
                        "datePublicationDonneesModification": "2026-02-01",
                        "dureeMois": 48,
                    }
                }
            ]
            records.append(later)
    path.write_text(json.dumps({"marches": {"marche": records}}, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own for the import processes, migrated, with the reference tables."""
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.settings_dict
        name = f"relais_resume_{uuid.uuid4().hex[:8]}"
        server = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{server}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'resume.sqlite3'}"
    env = _env(url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run([sys.executable, "manage.py", "load_reference"], cwd=ROOT, env=env, check=True, capture_output=True)
    yield url
    if connection.vendor == "postgresql":
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONUNBUFFERED": "1",
    }


def _python(code: str, url: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(url), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _position(url: str) -> int:
    """How far the import has committed, read straight from its database (polled many times a second)."""
    query = "SELECT COALESCE(MAX(position), 0) FROM contracts_importrun"
    if url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=20) as db:
            return int(db.execute(query).fetchone()[0])
    import psycopg

    with psycopg.connect(url) as db:
        row = db.execute(query).fetchone()
        return int(row[0]) if row else 0


def _import(path: Path, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "import_decp", str(path), "--batch-size", str(BATCH)],
        cwd=ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
        check=True,
    )


def test_a_killed_import_resumes_to_the_state_of_an_uninterrupted_one(tmp_path: Path, database_url: str) -> None:
    source = tmp_path / "decp.json"
    _write_file(source)
    # The killed run reads the file in a second process (as big files are), which must die with it.
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "import_decp",
            str(source),
            "--batch-size",
            str(BATCH),
            "--reader-process",
            "always",
        ],
        cwd=ROOT,
        env=_env(database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _position(database_url) < RECORDS // 3:
        assert process.poll() is None, "the import ended before it could be killed: make the file bigger"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    interrupted_at = _position(database_url)
    assert 0 < interrupted_at < RECORDS

    _import(source, database_url)
    resumed = json.loads(_python(DUMP, database_url))
    _python(RESET, database_url)
    _import(source, database_url)
    uninterrupted = json.loads(_python(DUMP, database_url))

    assert len(resumed["contracts"]) > RECORDS * 0.9
    assert resumed["modifications"]
    assert resumed["quarantine"] == []
    assert resumed == uninterrupted
    # And importing the file once more is a no-op.
    again = _import(source, database_url)
    assert " 0 créés, 0 mis à jour" in again.stdout.replace("\u202f", "")
