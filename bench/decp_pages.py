"""`python -m bench.decp_pages`: server time of the pages that read the DECP data, at scale, on PostgreSQL (issue 4).

1. A fresh PostgreSQL database (`--database`, default `relais_bench_decp_pages`, on the server of
   `BENCH_POSTGRES`) is migrated and given the reference tables; the DECP file (`--file`, or the synthetic file of
   `--contracts` records made by `bench.decp_generator` in /tmp/decp-bench/) is imported with
   `manage.py import_decp`, timed (the full ingestion: indexes, search index, cubes). `--reuse` skips this step when
   the database already holds contracts.
2. In a child process on that database: a network is given the `--members` busiest buyers of the data as
   members, and its cube computed (`network_cube_refresh`, what a membership change triggers).
3. Each page is requested many times through Django's test client (the whole stack: middleware, view, queries,
   template; no network), each time with other values, and the time of each request is kept:
   - the buyer dashboard (`web:indicator_buyer`) of buyers of every size, the busiest ones first, one in four by
     its SIREN (all the establishments of the legal person);
   - the observatory (`web:indicator_observatory`) of the country, of régions and départements, and of the network
     (with its per-member figures, read as an anonymous visitor: the network's totals);
   - the contract search (`web:contract_search`) with two filters: a word and a département, a CPV code and a
     procedure, a consideration and a région, a buyer and a start date, a holder and a category, a word and a
     minimum amount.

4. Then a routine update: a new file of a hundredth of the contracts, imported and timed (`update`).

Targets (issue 4): buyer dashboard p95 ≤ 100 ms, observatory (national, network) p95 ≤ 300 ms, two-filter contract
search p95 ≤ 100 ms. Results: `bench/results/decp_pages.json` and `.md`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .run import machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
DATABASE_NAME = "relais_bench_decp_pages"
TARGETS_MS = {"buyer": 100.0, "observatory": 300.0, "network": 300.0, "search": 100.0}
LABELS = {
    "buyer": "Tableau de bord d'un acheteur",
    "observatory": "Observatoire (France, régions, départements)",
    "network": "Observatoire d'un réseau",
    "search": "Recherche de marchés, deux filtres",
}
SEED = 20260404


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}


def _manage(url: str, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *command], cwd=ROOT, env=_env(url), check=True, capture_output=True, text=True
    )


def prepare(path: Path, server: str, database: str, *, reuse: bool) -> tuple[str, float | None]:
    """The database URL, after a fresh import of `path` (its wall time) unless `reuse` finds contracts there."""
    import psycopg

    url = f"{server}/{database}"
    if reuse:
        try:
            with psycopg.connect(url) as db:
                row = db.execute("SELECT COUNT(*) FROM contracts_contract").fetchone()
            if row and row[0]:
                print(f"Base {database} réutilisée : {row[0]} marchés.", flush=True)
                return url, None
        except psycopg.Error:
            pass
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')
    _manage(url, "migrate", "--noinput", "-v0")
    _manage(url, "load_reference")
    began = time.perf_counter()
    _manage(url, "import_decp", str(path))
    seconds = time.perf_counter() - began
    print(f"Import de {path.name} : {seconds:.1f} s", flush=True)
    return url, seconds


# --- Child: on the prepared database -----------------------------------------------------------------------------


def _network(members: int) -> Any:
    """A network whose members are the `members` busiest buyers of the data (organisations created by the import)."""
    from django.db.models import Sum

    from relais.contracts.cubes import network_cube_refresh
    from relais.contracts.models import BuyerYearCube
    from relais.networks.enums import MembershipStatus
    from relais.networks.models import Membership, Network
    from relais.organisations.models import Organisation

    network, _ = Network.objects.get_or_create(slug="banc-decp", defaults={"name": "Réseau du banc DECP"})
    busiest = BuyerYearCube.objects.values("buyer_siren").annotate(n=Sum("contracts")).order_by("-n")[: members * 2]
    sirens = [row["buyer_siren"] for row in busiest if len(row["buyer_siren"]) == 9]
    organisations = list(Organisation.objects.filter(siren__in=sirens).order_by("siren", "pk").distinct("siren"))
    for organisation in organisations[:members]:
        Membership.objects.get_or_create(
            network=network, organisation=organisation, defaults={"status": MembershipStatus.ACTIVE}
        )
    network_cube_refresh(network=network)
    return network


def _requests(network: Any, count: int, rng: random.Random) -> dict[str, list[str]]:
    """`count` URLs per page kind, with values drawn from the data."""
    from django.db.models import Sum
    from django.urls import reverse

    from relais.contracts.models import BuyerYearCube, Contract, ContractHolder
    from relais.reference.models import Departement, Region

    buyers = list(
        BuyerYearCube.objects.values("buyer_identifier")
        .annotate(n=Sum("contracts"))
        .order_by("-n")
        .values_list("buyer_identifier", flat=True)
    )
    chosen = buyers[:20] + rng.sample(buyers[20:], min(len(buyers) - 20, max(0, count - 20)))
    # One dashboard in four is the SIREN's (every establishment of the legal person), the others an establishment's.
    dashboards = [b[:9] if i % 4 == 1 and len(b) == 14 and b.isdigit() else b for i, b in enumerate(chosen[:count])]
    urls: dict[str, list[str]] = {"buyer": [reverse("web:indicator_buyer", args=[b]) for b in dashboards]}

    observatory = reverse("web:indicator_observatory")
    regions = list(Region.objects.values_list("code", flat=True))
    departements = list(Departement.objects.values_list("code", flat=True))
    scopes = [""] + [f"region-{c}" for c in regions] + [f"departement-{c}" for c in departements]
    years = ["", "tout", "2025", "2024"]
    urls["observatory"] = [
        f"{observatory}?perimetre={scopes[i % len(scopes)] if i % 3 else ''}&annee={years[i % len(years)]}"
        for i in range(count)
    ]
    urls["network"] = [
        f"{observatory}?perimetre=reseau-{network.slug}&annee={years[i % len(years)]}" for i in range(count)
    ]

    sample = list(
        Contract.objects.order_by("?")[: count * 2].values("object", "cpv", "procedure", "buyer_identifier", "pk")
    )
    holders = dict(
        ContractHolder.objects.filter(contract_id__in=[c["pk"] for c in sample]).values_list(
            "contract_id", "identifier"
        )
    )
    search = reverse("web:contract_search")
    words = [w for c in sample for w in c["object"].split() if len(w) > 5 and w.isalpha()] or ["travaux"]
    combos = [
        lambda c: {"q": rng.choice(words), "departement": rng.choice(departements)},
        lambda c: {"cpv": c["cpv"][:8] or "45000000", "procedure": c["procedure"] or "adapted"},
        lambda c: {"social": rng.choice(["some", "clause", "none"]), "region": rng.choice(regions)},
        lambda c: {"buyer": c["buyer_identifier"], "notified_from": "2025-01-01"},
        lambda c: {
            "holder": holders.get(c["pk"], "") or c["buyer_identifier"],
            "type": rng.choice(["works", "services"]),
        },
        lambda c: {"q": rng.choice(words), "amount_min": rng.choice(["40000", "90000", "215000"])},
        lambda c: {"environmental": rng.choice(["some", "criterion"]), "cpv": c["cpv"][:2] + "000000"},
    ]
    from urllib.parse import urlencode

    urls["search"] = [f"{search}?{urlencode(combos[i % len(combos)](sample[i % len(sample)]))}" for i in range(count)]
    return urls


def _stats(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
    }


def child_main(count: int, members: int, output: Path) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from relais.contracts.models import Contract

    rng = random.Random(SEED)
    network = _network(members)
    urls = _requests(network, count, rng)
    client = Client()
    results: dict[str, Any] = {}
    for kind, kind_urls in urls.items():
        for url in kind_urls[:3]:  # warm-up: first connection, templates, plans
            client.get(url)
        times: list[float] = []
        slowest = ("", 0.0)
        for url in kind_urls:
            began = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{url} : HTTP {response.status_code}")
            times.append(elapsed)
            slowest = max(slowest, (url, elapsed), key=lambda item: item[1])
        results[kind] = _stats(times) | {"target_ms": TARGETS_MS[kind], "slowest_url": slowest[0]}
        print(f"{LABELS[kind]} : {results[kind]}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    output.write_text(
        json.dumps({"contracts": Contract.objects.count(), "postgresql": version, "pages": results}, indent=2)
    )


# --- Parent -------------------------------------------------------------------------------------------------------


def report_contracts(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as db:
        row = db.execute("SELECT COUNT(*) FROM contracts_contract").fetchone()
    return int(row[0]) if row else 0


def update(url: str, contracts: int) -> dict[str, Any]:
    """A routine update, after the pages are measured: a new file of a hundredth of the loaded contracts (another
    seed each time: new contracts of the same buyers), imported with `manage.py import_decp` — its wall time, what it
    wrote, and its indicators refresh (incremental: the buyers it touched)."""
    import psycopg

    from . import decp_generator
    from .decp_anchors import WORKDIR

    with psycopg.connect(url) as db:
        row = db.execute("SELECT COUNT(*) FROM contracts_importrun").fetchone()
    runs = int(row[0]) if row else 0
    records = max(1_000, contracts // 100)
    path = WORKDIR / f"decp-2022-update-{records}-{runs}.json"
    decp_generator.generate(contracts=records, fmt="2022", out=path, seed=decp_generator.DEFAULT_SEED + 1_000 + runs)
    began = time.perf_counter()
    _manage(url, "import_decp", str(path))
    seconds = time.perf_counter() - began
    path.unlink()
    with psycopg.connect(url) as db:
        run = db.execute("SELECT created, updated FROM contracts_importrun ORDER BY id DESC LIMIT 1").fetchone()
        refresh = db.execute(
            "SELECT buyers, duration_seconds FROM contracts_indicatorrefresh ORDER BY id DESC LIMIT 1"
        ).fetchone()
    print(f"Mise à jour de {records} enregistrements : {seconds:.1f} s", flush=True)
    return {
        "records": records,
        "seconds": round(seconds, 1),
        "created": run[0] if run else None,
        "updated": run[1] if run else None,
        "refreshed_buyers": refresh[0] if refresh else None,
        "refresh_seconds": round(refresh[1], 1) if refresh else None,
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "# DECP pages at scale (bench.decp_pages)",
        "",
        f"{report['finished_at']} · {report['machine']['cpu']}, {report['machine']['cores']} cores · "
        f"PostgreSQL {report['postgresql']} · "
        f"{report['contracts']:,} contracts from `{report['file']}`".replace(",", "\u202f"),
        "",
        "| Page | Requests | p50 (ms) | p95 (ms) | max (ms) | Target p95 | Met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for kind, row in report["pages"].items():
        met = "yes" if row["p95_ms"] <= row["target_ms"] else "**no**"
        lines.append(
            f"| {LABELS[kind]} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} "
            f"| ≤ {row['target_ms']:.0f} | {met} |"
        )
    if report.get("import_seconds") is not None:
        lines += ["", f"Import of the file before measuring (`manage.py import_decp`): {report['import_seconds']} s."]
    if update := report.get("update"):
        lines += [
            "",
            f"Then an update of {update['records']:,} new records (`manage.py import_decp`): {update['seconds']} s "
            f"({update['created']:,} created, {update['updated']} updated; indicators refreshed for "
            f"{update['refreshed_buyers'] or 'all'} buyers in {update['refresh_seconds']} s).",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--file", type=Path, help="DECP file to import (default: a synthetic one)")
    parser.add_argument("--contracts", type=int, default=150_000, help="size of the synthetic file")
    parser.add_argument("--database", default=DATABASE_NAME)
    parser.add_argument("--requests", type=int, default=200, help="requests per page kind")
    parser.add_argument("--members", type=int, default=300, help="members of the benchmark network")
    parser.add_argument("--reuse", action="store_true", help="keep the database when it already has contracts")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.requests, args.members, args.child)
        return
    from .decp_anchors import generated_file

    path = args.file or generated_file(args.contracts)
    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    url, import_seconds = prepare(path, server, args.database, reuse=args.reuse)
    output = Path(f"/tmp/decp-bench/pages-{args.database}.json")  # noqa: S108 (never in the repository)
    command = [sys.executable, "-m", "bench.decp_pages", "--child", str(output)]
    subprocess.run(  # noqa: S603 (this module)
        [*command, "--requests", str(args.requests), "--members", str(args.members)],
        cwd=ROOT,
        env=_env(url),
        check=True,
    )
    report = json.loads(output.read_text()) | {
        "file": path.name,
        "import_seconds": round(import_seconds, 1) if import_seconds is not None else None,
        "update": update(url, report_contracts(url)),
        "machine": machine(),
        "finished_at": time.strftime("%Y-%m-%d %H:%M"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "decp_pages.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "decp_pages.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
