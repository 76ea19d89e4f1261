"""`python -m bench.suppliers`: benchmark of the supplier directory (issue 5, ADR 0014) on SQLite and PostgreSQL.

The parent runs one child process per database and writes `bench/results/suppliers.json` and `.md`. Each child:

1. creates an empty database (a SQLite file in a temporary directory; `relais_bench_suppliers` on PostgreSQL,
   dropped and created again), migrates it and loads the reference tables;
2. bulk-creates `--suppliers` supplier organisations (50,000) with profiles (60 % publicly listed, coordinates
   scattered around a point per département), structure types (SIAE, EA/ESAT, GEIQ, SSE forms; 15 % with an ESUS
   agreement of which a fifth expired; 1 % prison work), labels (10 %) and `--activities` activities (200,000):
   CPV codes drawn from the divisions where social-economy suppliers work (green spaces, cleaning, works,
   catering…) at every level of the hierarchy, a theme for 30 %, coverage country 10 % / régions 20 % /
   départements 45 % (own and neighbours) / radius 25 % (10 to 100 km); kinds service 55 %, works 20 %,
   supply 15 %, staff provision 10 %;
3. rebuilds the search index with `suppliers_reindex_all()` (timed), runs `ANALYZE` and builds the directory's
   bitmap snapshot (`refresh_snapshot()`, what the task worker does after a change; timed);
4. times `--samples` (100) needs through `suppliers_matching` (a CPV at a random level, a département, a point
   in it for half of them, a kind for half, structure types for a third; every match returned, then the best
   500 as the advisor asks — the sourcing needs ask for 300 — the figure held against the target), and as
   many directory searches with three filters (`directory_search`: CPV + département + reservable basis, theme +
   région + structure types, words + département + kind — as a member and as an anonymous visitor). Each list
   is run once untimed first (warm-up: database pages and the process's caches, as on a running server).

Options: `--databases sqlite,postgresql`, `--suppliers 50000`, `--activities 200000`, `--samples 100`.
PostgreSQL is reached at `BENCH_POSTGRES_URL` (its database name replaced by `relais_bench_suppliers`) and
skipped with a notice when it does not answer.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .run import DEFAULT_POSTGRES_URL, _prepare_postgres, machine, summary

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
DATABASE_NAME = "relais_bench_suppliers"
TARGET_P95_MS = 100.0
BATCH = 5000
SEED = 20261122
MATCH_LIMIT = 500

# Divisions where social-economy suppliers work, with their weight.
DIVISIONS = {
    "77": 14, "90": 16, "45": 14, "55": 8, "79": 8, "98": 5, "85": 5, "18": 4, "30": 3, "60": 4,
    "50": 5, "39": 3, "15": 3, "22": 2, "63": 2, "92": 2, "80": 2,
}  # fmt: skip
KINDS = {"service": 55, "works": 20, "supply": 15, "staff_provision": 10}
MAIN_TYPES = {
    "aci": 25, "ei": 15, "esat": 13, "ea": 12, "ai": 10, "association": 8, "etti": 5, "scop": 5, "geiq": 5,
    "eiti": 2,
}  # fmt: skip
WORDS = ("insertion", "espaces", "verts", "nettoyage", "bâtiment", "restauration", "recyclerie", "menuiserie",
         "blanchisserie", "logistique", "textile", "numérique", "jardins", "maraîchage", "propreté")  # fmt: skip


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def seed(n_suppliers: int, n_activities: int) -> dict[str, Any]:
    """Bulk-create the directory; returns what the measures draw from."""
    import datetime as dt

    from relais.organisations.models import Organisation, OrganisationStructure
    from relais.reference.models import Cpv, Departement, Label, Region, Theme
    from relais.suppliers.models import SupplierActivity, SupplierLabel, SupplierProfile

    rng = random.Random(SEED)
    departements = list(Departement.objects.exclude(region=None).values_list("id", "code", "region_id"))
    regions = dict(Region.objects.values_list("id", "code"))
    by_region: dict[int, list[int]] = {}
    for pk, _code, region_id in departements:
        by_region.setdefault(region_id, []).append(pk)
    centre = {pk: (rng.uniform(43.0, 50.5), rng.uniform(-3.5, 7.0)) for pk, _c, _r in departements}
    cpvs: dict[str, list[tuple[int, str]]] = {}
    for pk, code8, division in Cpv.objects.filter(division__in=DIVISIONS).values_list("id", "code8", "division"):
        cpvs.setdefault(division, []).append((pk, code8))
    themes = list(Theme.objects.values_list("id", "slug"))
    labels = list(Label.objects.values_list("id", flat=True))
    today = dt.date.today()

    organisations = [
        Organisation(
            name=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {number:05d}",
            kind="supplier",
            departement_id=departements[rng.randrange(len(departements))][0],
            description=" ".join(rng.choices(WORDS, k=8)),
        )
        for number in range(n_suppliers)
    ]
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    organisations = list(Organisation.objects.filter(kind="supplier").only("id", "departement_id"))
    profiles, structures, held = [], [], []
    for organisation in organisations:
        lat, lon = centre[organisation.departement_id]
        profiles.append(
            SupplierProfile(
                organisation_id=organisation.pk,
                public_listing=rng.random() < 0.6,
                latitude=lat + rng.uniform(-0.3, 0.3),
                longitude=lon + rng.uniform(-0.4, 0.4),
            )
        )
        structures.append(OrganisationStructure(organisation_id=organisation.pk, structure_type=pick(rng, MAIN_TYPES)))
        if rng.random() < 0.15:
            expiry = today + dt.timedelta(days=rng.randint(-400, 1500))
            structures.append(
                OrganisationStructure(organisation_id=organisation.pk, structure_type="esus", valid_until=expiry)
            )
        if rng.random() < 0.01:
            structures.append(OrganisationStructure(organisation_id=organisation.pk, structure_type="prison_work"))
        if labels and rng.random() < 0.1:
            held.append(SupplierLabel(organisation_id=organisation.pk, label_id=rng.choice(labels)))
    SupplierProfile.objects.bulk_create(profiles, batch_size=BATCH)
    OrganisationStructure.objects.bulk_create(structures, batch_size=BATCH)
    SupplierLabel.objects.bulk_create(held, batch_size=BATCH)

    activities = []
    plans = []
    for number in range(n_activities):
        organisation = (
            organisations[number % len(organisations)] if number < len(organisations) else rng.choice(organisations)
        )
        roll = rng.random()
        coverage = "country" if roll < 0.1 else "regions" if roll < 0.3 else "departements" if roll < 0.75 else "radius"
        activities.append(
            SupplierActivity(
                organisation_id=organisation.pk,
                title=" ".join(rng.choices(WORDS, k=3)),
                service_kind=pick(rng, KINDS),
                coverage=coverage,
                radius_km=rng.choice((10, 20, 30, 50, 100)) if coverage == "radius" else None,
            )
        )
        division = pick(rng, DIVISIONS)
        codes = rng.sample(cpvs[division], k=min(len(cpvs[division]), rng.choice((1, 1, 2, 3))))
        region_id = next(r for p, _c, r in departements if p == organisation.departement_id)
        plans.append((organisation, coverage, codes, region_id))
    SupplierActivity.objects.bulk_create(activities, batch_size=BATCH)
    through = {
        "cpvs": SupplierActivity.cpvs.through,
        "themes": SupplierActivity.themes.through,
        "regions": SupplierActivity.regions.through,
        "departements": SupplierActivity.departements.through,
    }
    links: dict[str, list[Any]] = {name: [] for name in through}
    for activity, (organisation, coverage, codes, region_id) in zip(activities, plans, strict=True):
        links["cpvs"] += [through["cpvs"](supplieractivity_id=activity.pk, cpv_id=pk) for pk, _ in codes]
        if themes and rng.random() < 0.3:
            links["themes"].append(through["themes"](supplieractivity_id=activity.pk, theme_id=rng.choice(themes)[0]))
        if coverage == "regions":
            links["regions"].append(through["regions"](supplieractivity_id=activity.pk, region_id=region_id))
        elif coverage == "departements":
            chosen = {
                organisation.departement_id,
                *rng.sample(by_region[region_id], k=min(2, len(by_region[region_id]))),
            }
            links["departements"] += [
                through["departements"](supplieractivity_id=activity.pk, departement_id=pk) for pk in chosen
            ]
    for name, rows in links.items():
        through[name].objects.bulk_create(rows, batch_size=BATCH)
    return {
        "departements": [(code, centre[pk], regions[region_id]) for pk, code, region_id in departements],
        "codes": [code8 for division in cpvs.values() for _, code8 in division],
        "themes": [slug for _, slug in themes],
        "links": {name: len(rows) for name, rows in links.items()},
    }


def _time(function: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = function()
    return (time.perf_counter() - began) * 1000, result


def run_database(database: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any] | None:
    if database == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        base = urlsplit(os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL))
        url = urlunsplit(base._replace(path=f"/{DATABASE_NAME}"))
        if not _prepare_postgres(url):
            return None
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from relais.accounts.models import User
    from relais.suppliers.queries import suppliers_matching, suppliers_reindex_all
    from relais.suppliers.search import DirectorySearch, directory_search
    from relais.suppliers.snapshot import refresh_snapshot

    from . import generator

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    generator.load_reference_data()
    world = seed(args.suppliers, args.activities)
    seeding = time.perf_counter() - began
    began = time.perf_counter()
    rows = suppliers_reindex_all()
    reindex = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    snapshot_seconds = refresh_snapshot().build_seconds
    vendor = connection.vendor
    version = (
        str(connection.cursor().connection.info.server_version)
        if vendor == "postgresql"
        else connection.Database.sqlite_version  # type: ignore[attr-defined]
    )
    print(f"[{database}] {args.suppliers} fournisseurs, index {rows} lignes en {reindex:.1f} s", flush=True)

    rng = random.Random(SEED + 1)
    member = User.objects.create_user(email="bench@exemple.fr", password=None, is_superuser=True)
    needs: list[dict[str, Any]] = []
    for _ in range(args.samples):
        code = rng.choice(world["codes"])
        level = rng.choice((2, 3, 4, 5, 8))
        need_code = code[:level].ljust(8, "0") if level < 8 else code
        dep_code, (lat, lon), _region = rng.choice(world["departements"])
        kwargs: dict[str, Any] = {"cpv_codes": [need_code], "departement_code": dep_code}
        if rng.random() < 0.5:
            kwargs["point"] = (lat + rng.uniform(-0.2, 0.2), lon + rng.uniform(-0.2, 0.2))
        if rng.random() < 0.5:
            kwargs["service_kinds"] = [pick(rng, KINDS)]
        if rng.random() < 0.33:
            kwargs["structure_types"] = ["ei", "aci", "ai", "etti", "eiti"]
        needs.append(kwargs)
    for kwargs in needs:  # warm-up: the database's pages and this process's caches, as a server would have them
        suppliers_matching(**kwargs)
    matching_ms, matched, limited_ms = [], [], []
    for kwargs in needs:
        elapsed, found = _time(lambda kwargs=kwargs: suppliers_matching(**kwargs))
        matching_ms.append(elapsed)
        matched.append(len(found))
        # As the callers do: the sourcing needs keep the best 300, the advisor counts up to 500.
        elapsed, _found = _time(lambda kwargs=kwargs: suppliers_matching(**kwargs, limit=MATCH_LIMIT))
        limited_ms.append(elapsed)
    searches: dict[str, list[float]] = {"member": [], "anonymous": []}
    totals: list[int] = []
    queries: list[Any] = []
    for number in range(args.samples):
        dep_code, _point, region = rng.choice(world["departements"])
        shape = number % 3
        if shape == 0:
            code = rng.choice(world["codes"])
            params = DirectorySearch(
                cpv=code[:3].ljust(8, "0"), departement=dep_code, basis=(rng.choice(("L2113-12", "L2113-13")),)
            )
        elif shape == 1:
            params = DirectorySearch(theme=rng.choice(world["themes"]), region=region, structure=("aci", "ei"))
        else:
            params = DirectorySearch(q=rng.choice(WORDS), departement=dep_code, kind=(pick(rng, KINDS),))
        queries.append(params)
        directory_search(params, member)  # warm-up
    for params in queries:
        for audience, viewer in (("member", member), ("anonymous", AnonymousUser())):
            elapsed, page = _time(lambda params=params, viewer=viewer: directory_search(params, viewer))
            searches[audience].append(elapsed)
            if audience == "member":
                totals.append(page.total)
    return {
        "vendor": vendor,
        "version": version,
        "suppliers": args.suppliers,
        "activities": args.activities,
        "links": world["links"],
        "index_rows": rows,
        "seeding_seconds": round(seeding, 1),
        "reindex_seconds": round(reindex, 1),
        "snapshot_seconds": round(snapshot_seconds, 1),
        "matching": summary(matching_ms),
        "matching_limited": summary(limited_ms),
        "matching_results": {"median": sorted(matched)[len(matched) // 2], "max": max(matched)},
        "search_member": summary(searches["member"]),
        "search_anonymous": summary(searches["anonymous"]),
        "search_results": {"median": sorted(totals)[len(totals) // 2], "max": max(totals)},
    }


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        "# Supplier directory benchmark — latest run",
        "",
        f"{report['date']} · {m['cpu']} · {m['cores']} cores · {m['memory']} · Python {m['python']} · "
        f"run {report['total_seconds']} s. Method: docs/benchmarks.md (section « Supplier directory (issue 5) »).",
        "",
        "| Database | Suppliers / activities | Index rows (rebuild s) | Snapshot (s) | Matching, all p50 / p95 / max "
        f"| Matching, best {MATCH_LIMIT} p50 / p95 | Matches (median / max) | Search 3 filters, member p50 / p95 "
        "| anonymous p50 / p95 | Results (median / max) "
        f"| p95 ≤ {report['target_p95_ms']:.0f} ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for db in report["databases"]:
        worst = max(db["matching_limited"]["p95_ms"], db["search_member"]["p95_ms"], db["search_anonymous"]["p95_ms"])
        lines.append(
            f"| {db['vendor']} {db['version']} | {db['suppliers']:,} / {db['activities']:,} "
            f"| {db['index_rows']:,} ({db['reindex_seconds']}) | {db['snapshot_seconds']} "
            f"| {db['matching']['p50_ms']} / {db['matching']['p95_ms']} / {db['matching']['max_ms']} "
            f"| {db['matching_limited']['p50_ms']} / {db['matching_limited']['p95_ms']} "
            f"| {db['matching_results']['median']:,} / {db['matching_results']['max']:,} "
            f"| {db['search_member']['p50_ms']} / {db['search_member']['p95_ms']} "
            f"| {db['search_anonymous']['p50_ms']} / {db['search_anonymous']['p95_ms']} "
            f"| {db['search_results']['median']:,} / {db['search_results']['max']:,} "
            f"| {'yes' if worst <= report['target_p95_ms'] else '**no**'} |"
        )
    return "\n".join(lines) + "\n\nTimes in milliseconds.\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Banc de l'annuaire des fournisseurs (SQLite et PostgreSQL).")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--suppliers", type=int, default=50_000)
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        with tempfile.TemporaryDirectory(prefix="relais-bench-") as workdir:
            result = run_database(args.child, args, Path(workdir))
        Path(args.output).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        return 0
    began = time.perf_counter()
    results = []
    for database in args.databases.split(","):
        with tempfile.NamedTemporaryFile(suffix=".json") as output:
            command = [sys.executable, "-m", "bench.suppliers", "--child", database, "--output", output.name]
            command += ["--suppliers", str(args.suppliers), "--activities", str(args.activities)]
            command += ["--samples", str(args.samples)]
            subprocess.run(command, cwd=ROOT, check=True)  # noqa: S603 (our own interpreter and module)
            result = json.loads(Path(output.name).read_text(encoding="utf-8") or "null")
        if result:
            results.append(result)
    if not results:
        print("Aucune base mesurée.")
        return 1
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "target_p95_ms": TARGET_P95_MS,
        "machine": machine(),
        "total_seconds": round(time.perf_counter() - began),
        "databases": results,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "suppliers.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "suppliers.md").write_text(markdown(report), encoding="utf-8")
    print(f"Résultats : {RESULTS / 'suppliers.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
