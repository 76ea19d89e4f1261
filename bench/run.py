"""`make bench`: search benchmark of the case sheets on SQLite and PostgreSQL (see docs/benchmarks.md).

The parent process runs one child process per database (Django settings are per process), gathers their JSON and
writes `bench/results/latest.json` and `bench/results/latest.md`. Each child:

1. creates an empty database (a SQLite file in a temporary directory; `relais_bench` on PostgreSQL, dropped and
   created again), migrates it and loads the real reference tables;
2. grows it to each size (5,000 → 20,000 → 50,000 sheets by default) with `bench.generator`, timing the seeding;
3. at each size, after `VACUUM ANALYZE` (`ANALYZE` on SQLite), times the real search
   (`SheetSearch.from_querydict` + `search_sheets`, with facet counts) for a fixed set of queries, as an anonymous
   reader and as a member of the largest network, with the search cache emptied before each call and then cached,
   and the whole sheet list page (`GET /fiches/?…` through Django's test client);
4. at the largest size, records the SQL statements of the slowest searches with their time and plan.

Options: `--sizes 5000,20000,50000`, `--databases sqlite,postgresql`, `--repeat 4`; PostgreSQL is reached at
`BENCH_POSTGRES_URL` (default postgres://postgres@127.0.0.1:5432/relais_bench) and skipped with a notice when
it does not answer.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SIZES = (5_000, 20_000, 50_000)
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/relais_bench"
TARGET_P95_MS = 50.0
# A search slower than this at warm-up is repeated fewer times, to keep a full run under ~15 minutes.
SLOW_QUERY_SECONDS = 0.5

# Representative searches of the list page: words of real tenders, with zero to three facets (query strings).
QUERIES: tuple[tuple[str, str], ...] = (
    ("liste complète", ""),
    ("cantine", "q=cantine"),
    ("cantine + thème + insertion", "q=cantine&theme=restauration-collective&social=insertion_clause"),
    ("nettoyage + région + type", "q=nettoyage&region=53&type=services"),
    ("espaces verts + insertion + région", "q=espaces+verts&social=insertion_clause&region=52"),
    ("insertion + travaux + année", "q=insertion&type=works&year=2024"),
    ("bio + thème + critère env.", "q=bio&theme=restauration-collective&environmental=env_criterion"),
    ("papier recyclé + thème", "q=papier+recycl%C3%A9&theme=fournitures-bureau-papier"),
    ("équitable + commerce équitable", "q=%C3%A9quitable&other=fair_trade"),
    ("réemploi + mobilier + fournitures", "q=r%C3%A9emploi&theme=mobilier&type=supplies"),
    ("vêtements de travail + réservé", "q=v%C3%AAtements+de+travail&social=reserved"),
    ("CPV 45 + insertion + région", "cpv=45000000&social=insertion_clause&region=53"),
    ("CPV 909 + clause env.", "cpv=90900000&environmental=env_clause"),
    ("CPV 55524000 + année", "cpv=55524000&year=2023"),
    ("CPV 7731 + département", "cpv=77310000&departement=35"),
    ("thème déchets + procédure", "theme=dechets-economie-circulaire&procedure=adapted"),
    ("marché (mot courant) + type + procédure", "q=march%C3%A9&type=services&procedure=open_tender"),
    ("clause d'insertion + réseau", "q=clause+d%27insertion&network=reseco"),
    ("facilitateur + structure EI", "q=facilitateur&structure=ei"),
    ("gaspillage alimentaire", "q=gaspillage+alimentaire"),
    ("produits écolabellisés + labels", "q=produits+%C3%A9colabellis%C3%A9s&environmental=labels"),
    ("restauration collective, par date", "q=restauration+collective&order=-date"),
    ("transport scolaire + région", "q=transport+scolaire&region=84"),
    ("ordinateurs reconditionnés", "q=ordinateurs+reconditionn%C3%A9s"),
    ("chantier + CPV 45 + année", "q=chantier&cpv=45000000&year=2025"),
    ("thème espaces verts + région", "theme=espaces-verts&region=75"),
    ("café + thème + réseau", "q=caf%C3%A9&theme=commerce-equitable&network=3ar"),
    ("travaux + appel d'offres", "type=works&procedure=open_tender"),
    ("nettoyage, page 5", "q=nettoyage&page=5"),
    ("zéro phyto + thème + clause env.", "q=z%C3%A9ro+phyto&theme=espaces-verts&environmental=env_clause"),
)


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 100 samples is the 95th smallest)."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.499999)))
    return ordered[rank - 1]


def summary(samples_ms: list[float]) -> dict[str, float]:
    return {
        "n": len(samples_ms),
        "p50_ms": round(statistics.median(samples_ms), 2),
        "p95_ms": round(percentile(samples_ms, 0.95), 2),
        "max_ms": round(max(samples_ms), 2),
    }


# --- Child: one database -------------------------------------------------------------------------------------


def _prepare_postgres(url: str) -> bool:
    """Drop and create the bench database; False (with a printed notice) when the server does not answer."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "relais_bench"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"PostgreSQL injoignable ({admin}) : banc PostgreSQL ignoré.\n  {error}".rstrip(), flush=True)
        return False
    return True


def _timed(
    function: Callable[[], Any], cpu: list[float] | None = None, *, before: Callable[[], Any] | None = None
) -> float:
    """Wall-clock milliseconds of one call; its CPU time of this process is appended to `cpu` when given
    (on SQLite the database runs in-process, so CPU time is the cost of the search without other jobs' noise).
    `before` runs first, untimed (to empty the search cache)."""
    if before is not None:
        before()
    began, began_cpu = time.perf_counter(), time.process_time()
    function()
    if cpu is not None:
        cpu.append((time.process_time() - began_cpu) * 1000)
    return (time.perf_counter() - began) * 1000


def run_database(database: str, sizes: list[int], repeat: int, workdir: Path) -> dict[str, Any] | None:
    """Seed and measure one database; returns the results, or None when the database is unreachable."""
    if database == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
        if not _prepare_postgres(url):
            return None
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    # The code measured, read before it is imported: the query module is young and changes often.
    code_sha1 = {
        name: hashlib.sha1((ROOT / name).read_bytes()).hexdigest()[:12]  # noqa: S324 (a fingerprint)
        for name in ("relais/casesheets/queries.py", "relais/casesheets/search.py", "relais/casesheets/snapshot.py")
    }

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from relais.casesheets import queries, snapshot
    from relais.casesheets.queries import SheetSearch, search_sheets

    from . import generator

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    generator.load_reference_data()
    world = generator.build_world()
    setup_seconds = time.perf_counter() - began
    member_ids = {world.networks[0].pk}
    audiences = {"anonyme": set[int](), "adhérent": member_ids}
    server = connection.cursor().connection.info.server_version if connection.vendor == "postgresql" else None
    version = f"{server // 10000}.{server % 10000}" if server else connection.Database.sqlite_version  # type: ignore[attr-defined]
    print(f"[{database}] base prête en {setup_seconds:.1f} s ({connection.vendor} {version})", flush=True)

    forget = generator.invalidate_search_cache

    def search(query_string: str, member_network_ids: set[int]) -> Any:
        return search_sheets(SheetSearch.from_querydict(QueryDict(query_string)), member_network_ids)

    client = Client()
    steps: list[dict[str, Any]] = []
    seeded = 0
    for size in sizes:
        stats = generator.seed_sheets(world, seeded, size)
        seeded = size
        with connection.cursor() as cursor:
            # What autovacuum does after such a load on PostgreSQL (statistics, and the visibility map that lets
            # index-only scans skip the table); SQLite gets its statistics (see docs/benchmarks.md).
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(
            f"[{database}] {size} fiches : +{stats.sheets} en {stats.seconds:.1f} s "
            f"({stats.sheets / stats.seconds:.0f} fiches/s, dont index {stats.index_seconds:.1f} s)",
            flush=True,
        )
        generator.check_index(list(range(1, 51)))

        # What the task worker does after a change of the index: build the bitmap snapshot (ADR 0007).
        built = snapshot.refresh_snapshot()
        per_query: list[dict[str, Any]] = []
        samples: dict[str, list[float]] = {"search": [], "search_sql": [], "page": []}
        search_cpu: list[float] = []
        load_before = os.getloadavg()[0]
        # 1. The normal path: snapshot in memory, no cached result (the snapshot path caches none).
        for label, query_string in QUERIES:
            row: dict[str, Any] = {"label": label, "query": query_string}
            for audience, ids in audiences.items():
                run = partial(search, query_string, ids)
                _timed(run)  # warm-up: the process copies the snapshot from the cache once
                timed = [_timed(run, search_cpu) for _ in range(repeat)]
                samples["search"].extend(timed)
                row[f"search_{audience}"] = summary(timed)
                row[f"results_{audience}"] = run().total
            with CaptureQueriesContext(connection) as captured:
                search(query_string, member_ids)
            row["sql_statements_search"] = len(captured.captured_queries)
            url = "/fiches/" + (f"?{query_string}" if query_string else "")
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} → {response.status_code}")
            get = partial(client.get, url)
            timed = [_timed(get) for _ in range(max(2, repeat // 2))]
            samples["page"].extend(timed)
            row["page"] = summary(timed)
            per_query.append(row)
        # 2. The fallback while no snapshot exists for the current version: SQL, result cache emptied each time.
        original = queries.current_snapshot
        queries.current_snapshot = lambda: None  # type: ignore[assignment]
        try:
            for row in per_query:
                for audience, ids in audiences.items():
                    run = partial(search, row["query"], ids)
                    warm = _timed(run, before=forget)
                    count = repeat if warm < SLOW_QUERY_SECONDS * 1000 else 2
                    timed = [_timed(run, before=forget) for _ in range(count)]
                    samples["search_sql"].extend(timed)
                    row[f"search_sql_{audience}"] = summary(timed)
                    if run().total != row[f"results_{audience}"]:
                        raise RuntimeError(f"SQL and snapshot disagree on {row['label']} ({audience})")
        finally:
            queries.current_snapshot = original  # type: ignore[assignment]
        snapshot.refresh_snapshot()
        step: dict[str, Any] = {
            "sheets": size,
            "seeding": {
                "added": stats.sheets,
                "seconds": round(stats.seconds, 1),
                "index_seconds": round(stats.index_seconds, 1),
                "term_rows_added": stats.term_rows,
                "facet_rows_added": stats.facet_rows,
            },
            "snapshot": {"build_seconds": round(built.build_seconds, 2), "bitmaps": len(built.postings)},
            **{name: summary(values) for name, values in samples.items()},
            "search_cpu": summary(search_cpu),
            "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "queries": per_query,
        }
        steps.append(step)
        print(
            f"[{database}] {size} fiches : recherche p50 {step['search']['p50_ms']} ms, "
            f"p95 {step['search']['p95_ms']} ms, max {step['search']['max_ms']} ms ; page p50 "
            f"{step['page']['p50_ms']} ms, p95 {step['page']['p95_ms']} ms ; sans instantané (SQL) : p95 "
            f"{step['search_sql']['p95_ms']} ms ; instantané construit en {built.build_seconds:.2f} s "
            f"(CPU p95 {step['search_cpu']['p95_ms']} ms, charge {step['load_average']})",
            flush=True,
        )
    return {
        "database": database,
        "vendor": connection.vendor,
        "version": version,
        "code_sha1": code_sha1,
        "setup_seconds": round(setup_seconds, 1),
        "steps": steps,
        "diagnostics": diagnose(steps[-1]["queries"], member_ids, search, lambda: None),
        "page_renders_search": _page_shows_results(client, search("q=cantine", set())),
    }


def _page_shows_results(client: Any, result: Any) -> bool:
    """Whether GET /fiches/ really shows the search results (the view may still be a placeholder)."""
    from django.utils.html import escape

    html = client.get("/fiches/?q=cantine").content.decode()
    return all(escape(sheet.title) in html for sheet in result.sheets[:3])


def diagnose(
    per_query: list[dict[str, Any]], member_ids: set[int], search: Callable[..., Any], forget: Callable[[], None]
) -> list[Any]:
    """SQL statements of the three slowest searches with their own time, and the plan of the slowest statement of
    each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    slowest = sorted(per_query, key=lambda row: -row["search_adhérent"]["p50_ms"])[:3]
    found = []
    for row in slowest:
        forget()
        with CaptureQueriesContext(connection) as captured:
            search(row["query"], member_ids)
        statements: list[dict[str, Any]] = sorted(
            ({"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"]} for q in captured.captured_queries),
            key=lambda s: -s["ms"],
        )
        top = statements[0]["sql"] if statements else ""
        explain = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(explain + top)
            plan = "\n".join(" | ".join(str(cell) for cell in line) for line in cursor.fetchall())
        found.append({"label": row["label"], "query": row["query"], "statements": statements, "plan_of_slowest": plan})
    return found


def child_main(database: str, sizes: list[int], repeat: int, output: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as workdir:
        result = run_database(database, sizes, repeat, Path(workdir))
    output.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


# --- Parent: every database, then the report -----------------------------------------------------------------


def machine() -> dict[str, Any]:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        cpu = names[0] if names else cpu
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "python": platform.python_version()}


def write_report(results: list[dict[str, Any]], sizes: list[int], total_seconds: float) -> None:
    import django

    RESULTS.mkdir(exist_ok=True)
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "target_p95_ms": TARGET_P95_MS,
        "machine": machine(),
        "django": django.get_version(),
        "sizes": sizes,
        "queries": len(QUERIES),
        "total_seconds": round(total_seconds),
        "databases": results,
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "latest.md").write_text(markdown(report), encoding="utf-8")


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        "# Search benchmark — latest run",
        "",
        f"{report['date']} · {m['cpu']} · {m['cores']} cores · {m['memory']} · Python {m['python']} · "
        f"Django {report['django']} · {report['queries']} queries · run {report['total_seconds']} s. "
        "Method: docs/benchmarks.md.",
        "",
        "Search = `SheetSearch.from_querydict` + `search_sheets` with facet counts, on the normal path: the bitmap "
        "snapshot that the task worker builds after each change of the index (ADR 0007; its build time is the "
        "*Snapshot* column), no result cache. Page = `GET /fiches/?…` rendered whole. *SQL fallback*: the same "
        "searches while no snapshot exists for the current version, result cache emptied before every call.",
        "",
        "| Database | Sheets | Seeding (s) | Snapshot (s) | Search p50 | Search p95 | Search max | Page p50 | Page p95 "
        f"| SQL fallback p50 / p95 | Search p95 ≤ {report['target_p95_ms']:.0f} ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for db in report["databases"]:
        for step in db["steps"]:
            s, p, sql = step["search"], step["page"], step["search_sql"]
            met = "yes" if s["p95_ms"] <= report["target_p95_ms"] else "**no**"
            lines.append(
                f"| {db['vendor']} {db['version']} | {step['sheets']:,} | {step['seeding']['seconds']} "
                f"(+{step['seeding']['added']:,}) | {step['snapshot']['build_seconds']} | {s['p50_ms']} "
                f"| {s['p95_ms']} | {s['max_ms']} | {p['p50_ms']} | {p['p95_ms']} | {sql['p50_ms']} / {sql['p95_ms']} "
                f"| {met} |"
            )
    lines += ["", "Times in milliseconds. Growth of the search p95 from the smallest to the largest size:", ""]
    for db in report["databases"]:
        first, last = db["steps"][0], db["steps"][-1]
        ratio = last["search"]["p95_ms"] / max(first["search"]["p95_ms"], 0.01)
        lines.append(
            f"- {db['vendor']}: p95 {first['search']['p95_ms']} → {last['search']['p95_ms']} ms "
            f"(×{ratio:.1f} for ×{last['sheets'] / first['sheets']:.0f} sheets); "
            f"p50 {first['search']['p50_ms']} → {last['search']['p50_ms']} ms."
        )
        if not db.get("page_renders_search"):
            lines.append(f"  - {db['vendor']}: GET /fiches/ did not run the search (placeholder view).")
    for db in report["databases"]:
        last = db["steps"][-1]
        lines += [
            "",
            f"## {db['vendor']}, {last['sheets']:,} sheets: per query (p50 / max ms, results)",
            "",
            "| Query | Anonymous | Member | Results (anon. / member) | SQL statements | Page p50 "
            "| SQL fallback p50 (member) |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in last["queries"]:
            a, b = row["search_anonyme"], row["search_adhérent"]
            lines.append(
                f"| {row['label']} | {a['p50_ms']} / {a['max_ms']} | {b['p50_ms']} / {b['max_ms']} "
                f"| {row['results_anonyme']:,} / {row['results_adhérent']:,} | {row['sql_statements_search']} "
                f"| {row['page']['p50_ms']} | {row['search_sql_adhérent']['p50_ms']} |"
            )
        lines += ["", f"### Slowest searches on {db['vendor']}: SQL statements (ms)", ""]
        for diag in db["diagnostics"]:
            lines.append(f"- **{diag['label']}** (`{diag['query'] or '(vide)'}`): ")
            for statement in diag["statements"][:4]:
                sql = " ".join(statement["sql"].split())
                lines.append(f"  - {statement['ms']} ms — `{sql[:300]}{'…' if len(sql) > 300 else ''}`")
        for diag in db["diagnostics"]:
            plan = diag["plan_of_slowest"].splitlines()
            lines += ["", f"Plan of the slowest statement of « {diag['label']} »:", "", "```", *plan[:45]]
            lines += [f"… ({len(plan) - 45} more lines)"] if len(plan) > 45 else []
            lines.append("```")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Banc de la recherche des fiches (SQLite et PostgreSQL).")
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=4, help="mesures par requête et par profil après chauffe")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))

    if args.child:
        child_main(args.child, sizes, args.repeat, Path(args.output))
        return 0

    began = time.perf_counter()
    results = []
    for database in args.databases.split(","):
        with tempfile.NamedTemporaryFile(suffix=".json") as output:
            command = [
                sys.executable,
                "-m",
                "bench.run",
                "--child",
                database,
                "--output",
                output.name,
                "--sizes",
                args.sizes,
                "--repeat",
                str(args.repeat),
            ]
            subprocess.run(command, cwd=ROOT, check=True)  # noqa: S603 (our own interpreter and module)
            result = json.loads(Path(output.name).read_text(encoding="utf-8") or "null")
        if result:
            results.append(result)
    if not results:
        print("Aucune base mesurée.")
        return 1
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    write_report(results, sizes, time.perf_counter() - began)
    print(f"Résultats : {RESULTS / 'latest.md'} ({time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
