"""`python -m bench.unified`: benchmark of the unified search (`relais.activity.search_all.search_all`) over case
sheets, library documents (with their extracted text) and FAQ entries, on SQLite and PostgreSQL (issue 3).

Like `bench.run`, the parent process runs one child process per database and writes
`bench/results/unified.json` and `bench/results/unified.md`. Each child:

1. creates an empty database (a SQLite file in a temporary directory; `relais_bench_unified` on PostgreSQL,
   dropped and created again), migrates it and loads the reference tables;
2. seeds the case sheets with `bench.generator`;
3. bulk-creates the documents, one version each whose extracted text is a few hundred words of procurement prose
   drawn from `bench.vocabulary` (extraction done), and their `DocumentTerm` rows computed by the documents app's
   own `document_term_weights()`; then the FAQ entries and their `FaqTerm` rows computed by the helpdesk app's own
   `entry_term_rows()`; public and members-only are mixed. A sample of each is read back and compared with
   the real functions (`check_documents`, `check_faq`);
4. after `VACUUM ANALYZE` (`ANALYZE` on SQLite), builds the bitmap snapshots of sheets, documents and FAQ entries
   (`refresh_snapshot()` of `relais.casesheets.snapshot`, `relais.documents.snapshot` and
   `relais.helpdesk.snapshot`: what the task worker does after a change of each index; ADR 0007, ADR 0008) and
   reports their build times;
5. times `search_all(q, user)` for `QUERIES`, as an anonymous reader and as a member of the largest network, then
   checks that the SQL paths (no snapshot) give the same totals and hits, and times them once as the fallback.

Options: `--databases sqlite,postgresql`, `--sheets 50000`, `--documents 20000`, `--faq 5000`, `--repeat 3`.
PostgreSQL is reached at `BENCH_POSTGRES_URL` (its database name replaced by `relais_bench_unified`) and skipped
with a notice when it does not answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .run import DEFAULT_POSTGRES_URL, _prepare_postgres, machine, summary

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
DATABASE_NAME = "relais_bench_unified"
TARGET_P95_MS = 100.0
BATCH_SIZE = 1000
SEED = 20260303

# One or two words, common and rare, as typed in the search box of the header.
QUERIES: tuple[str, ...] = (
    "insertion",
    "marché",
    "clause sociale",
    "cantine",
    "restauration collective",
    "nettoyage",
    "bio",
    "espaces verts",
    "réemploi",
    "commerce équitable",
    "sourçage",
    "SPASER",
    "papier recyclé",
    "zéro phyto",
    "ordinateurs reconditionnés",
)

DOCUMENT_TITLES = (
    "Guide pratique : {o}",
    "Modèle de clause pour un marché de {o}",
    "Règlement de consultation type — {o}",
    "CCTP commenté : {o}",
    "Grille de notation des offres — {o}",
    "Synthèse du groupe de travail sur les achats de {o}",
    "Retour d'expérience et recommandations : {o}",
)
FAQ_TITLES = (
    "Comment intégrer une clause d'insertion dans un marché de {o} ?",
    "Peut-on exiger un label environnemental pour un marché de {o} ?",
    "Quel critère environnemental retenir pour un marché de {o} ?",
    "Comment organiser le sourçage pour un marché de {o} ?",
    "Peut-on réserver un marché de {o} aux structures d'insertion ?",
    "Comment pondérer le critère social d'un marché de {o} ?",
)
FAQ_ANSWERS = (
    "L'article L. 2112-2 du code de la commande publique permet d'intégrer des conditions d'exécution sociales.",
    "Le facilitateur de la maison de l'emploi accompagne l'acheteur dans le calcul du nombre d'heures.",
    "Le critère doit être lié à l'objet du marché et suffisamment précis pour être noté.",
    "Un sourçage préalable permet de vérifier que des structures de l'ESS peuvent répondre.",
    "Les labels peuvent être exigés à condition d'accepter les labels équivalents.",
    "La pondération dépend de la maturité du secteur économique et du nombre d'offres attendues.",
    "Le suivi de l'exécution est indispensable pour vérifier le respect des engagements du titulaire.",
    "Le réseau met à disposition des modèles de clauses et des exemples de marchés comparables.",
)


# --- Seeding -------------------------------------------------------------------------------------------------


def _prose(rng: random.Random, pools: Sequence[Sequence[str]], words: int) -> str:
    """Sentences drawn from the pools until about `words` words."""
    sentences: list[str] = []
    count = 0
    while count < words:
        sentence = rng.choice(rng.choice(pools))
        sentences.append(sentence)
        count += len(sentence.split())
    return " ".join(sentences)


@contextmanager
def _memoised_terms(*modules: Any) -> Iterator[None]:
    """The texts are composed from stock sentences: cache the terms of each sentence while seeding (as
    `bench.generator` does for sheets); `check_documents()` / `check_faq()` compare with the real function."""
    from relais.core.text import terms as original

    cached = lru_cache(maxsize=200_000)(lambda chunk: tuple(original(chunk)))

    def chunked(text: str) -> list[str]:
        return [term for chunk in text.split(". ") for term in cached(chunk)]

    for module in modules:
        module.terms = chunked
    try:
        yield
    finally:
        for module in modules:
            module.terms = original


def seed_documents(world: Any, count: int, *, seed: int = SEED) -> dict[str, Any]:
    """`count` documents with one extracted version each and their index rows (documents app's own function)."""
    from django.db import transaction
    from django.utils import timezone

    from relais.documents import search as document_search
    from relais.documents.enums import AccessLevel, DocumentKind, ExtractionStatus
    from relais.documents.models import Document, DocumentTerm, DocumentVersion
    from relais.organisations.models import Organisation
    from relais.reference.models import Cpv, Theme

    from . import generator
    from .vocabulary import DOMAINS, GENERIC

    began = time.perf_counter()
    rng = random.Random(seed)
    now = timezone.now()
    generic = list(GENERIC.values())
    kinds = list(DocumentKind.values)
    buyers = [pk for pks in world.buyers_by_departement.values() for pk in pks]
    themes_through = Document.themes.through
    term_rows_total = 0
    public = 0
    for start in range(0, count, BATCH_SIZE):
        plans = []
        documents = []
        for _ in range(start, min(count, start + BATCH_SIZE)):
            domain = rng.choices(DOMAINS, weights=[d.weight for d in DOMAINS])[0]
            network = rng.choices(world.networks, weights=world.network_weights)[0]
            access = AccessLevel.PUBLIC if rng.random() < 0.4 else AccessLevel.MEMBERS
            public += access == AccessLevel.PUBLIC
            documents.append(
                Document(
                    network_id=network.pk,
                    title=rng.choice(DOCUMENT_TITLES).format(o=rng.choice(domain.objects))[:200],
                    description=_prose(rng, [domain.sentences], 40)[:3000],
                    kind=rng.choice(kinds),
                    author_organisation_id=rng.choice(buyers) if rng.random() < 0.7 else None,
                    document_date=dt.date(rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28)),
                    access_level=access,
                    created_by_id=world.authors[network.pk],
                )
            )
            plans.append((domain, _prose(rng, [domain.sentences, domain.sentences, *generic], rng.randint(200, 500))))
        with transaction.atomic():
            created = Document.objects.bulk_create(documents)
            theme_ids = [world.themes[domain.theme] for domain, _text in plans]
            themes_through.objects.bulk_create(
                [themes_through(document_id=d.pk, theme_id=t) for d, t in zip(created, theme_ids, strict=True)]
            )
            DocumentVersion.objects.bulk_create(
                [
                    DocumentVersion(
                        document_id=d.pk,
                        number=1,
                        file=f"bench/{d.public_id}.pdf",
                        original_name="document.pdf",
                        content_type="application/pdf",
                        size=len(text) * 3,
                        uploaded_by_id=d.created_by_id,
                        extraction_status=ExtractionStatus.DONE,
                        extracted_text=text,
                        extracted_at=now,
                    )
                    for d, (_domain, text) in zip(created, plans, strict=True)
                ]
            )
            rows: list[tuple[int, str, int]] = []
            with _memoised_terms(document_search):
                for document, theme_id, (_domain, text) in zip(created, theme_ids, plans, strict=True):
                    # What prefetch_related / select_related would give, from objects already in memory.
                    document.author_organisation = (
                        world.objects[Organisation][document.author_organisation_id]
                        if document.author_organisation_id
                        else None
                    )
                    document._prefetched_objects_cache = {  # type: ignore[attr-defined]
                        "themes": generator._prefetched(Theme, [world.objects[Theme][theme_id]]),
                        "cpvs": generator._prefetched(Cpv, []),
                    }
                    weights = document_search.document_term_weights(document, text)
                    rows.extend((document.pk, term, weight) for term, weight in weights.items())
            generator._insert_rows(DocumentTerm, ("document_id", "term", "weight"), rows)
            term_rows_total += len(rows)
    return {
        "added": count,
        "public": public,
        "term_rows": term_rows_total,
        "seconds": round(time.perf_counter() - began, 1),
    }


def seed_faq(world: Any, count: int, *, seed: int = SEED + 1) -> dict[str, Any]:
    """`count` FAQ entries and their `FaqTerm` rows (helpdesk app's own `entry_term_rows()`)."""
    from django.db import transaction
    from django.utils import timezone

    from relais.helpdesk import search as faq_index
    from relais.helpdesk.enums import FaqVisibility, QuestionCategory
    from relais.helpdesk.models import FaqEntry, FaqTerm

    from . import generator
    from .vocabulary import DOMAINS, GENERIC

    began = time.perf_counter()
    rng = random.Random(seed)
    now = timezone.now()
    generic = list(GENERIC.values())
    public = 0
    term_rows_total = 0
    for start in range(0, count, BATCH_SIZE):
        entries = []
        for _ in range(start, min(count, start + BATCH_SIZE)):
            domain = rng.choices(DOMAINS, weights=[d.weight for d in DOMAINS])[0]
            network = rng.choices(world.networks, weights=world.network_weights)[0]
            visibility = FaqVisibility.PUBLIC if rng.random() < 0.6 else FaqVisibility.MEMBERS
            public += visibility == FaqVisibility.PUBLIC
            entries.append(
                FaqEntry(
                    network_id=network.pk,
                    category=rng.choice(QuestionCategory.values),
                    theme_id=world.themes[domain.theme],
                    title=rng.choice(FAQ_TITLES).format(o=rng.choice(domain.objects))[:200],
                    question_text=_prose(rng, [domain.sentences, *generic], 50),
                    answer_text=_prose(rng, [FAQ_ANSWERS, FAQ_ANSWERS, domain.sentences], rng.randint(80, 200)),
                    visibility=visibility,
                    published_by_id=world.authors[network.pk],
                    published_at=now - dt.timedelta(days=rng.randint(0, 2000)),
                )
            )
        with transaction.atomic():
            created = FaqEntry.objects.bulk_create(entries)
            with _memoised_terms(faq_index):
                rows = [
                    (entry.pk, row.term, row.weight, row.in_title)
                    for entry in created
                    for row in faq_index.entry_term_rows(entry)
                ]
            generator._insert_rows(FaqTerm, ("entry_id", "term", "weight", "in_title"), rows)
            term_rows_total += len(rows)
    return {
        "added": count,
        "public": public,
        "term_rows": term_rows_total,
        "seconds": round(time.perf_counter() - began, 1),
    }


def check_documents(sample: int = 50) -> None:
    """Raise if stored `DocumentTerm` rows of sample documents differ from `document_term_weights()`."""
    from relais.documents.models import Document, DocumentTerm
    from relais.documents.search import document_term_weights

    documents = Document.objects.select_related("author_organisation").prefetch_related("themes", "cpvs")
    for document in documents.order_by("pk")[:sample]:
        version = document.current_version()
        expected = set(document_term_weights(document, version.extracted_text if version else "").items())
        stored = set(DocumentTerm.objects.filter(document=document).values_list("term", "weight"))
        if stored != expected:
            raise AssertionError(f"Index rows of document {document.pk} differ from document_term_weights()")


def check_faq(sample: int = 50) -> None:
    """Raise if stored `FaqTerm` rows of sample entries differ from `entry_term_rows()`."""
    from relais.helpdesk.models import FaqEntry, FaqTerm
    from relais.helpdesk.search import entry_term_rows

    for entry in FaqEntry.objects.order_by("pk")[:sample]:
        expected = {(r.term, r.weight, r.in_title) for r in entry_term_rows(entry)}
        stored = set(FaqTerm.objects.filter(entry=entry).values_list("term", "weight", "in_title"))
        if stored != expected:
            raise AssertionError(f"Index rows of FAQ entry {entry.pk} differ from entry_term_rows()")


# --- Child: one database -------------------------------------------------------------------------------------


def _postgres_url() -> str:
    parts = urlsplit(os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    return urlunsplit(parts._replace(path=f"/{DATABASE_NAME}"))


def run_database(database: str, sizes: dict[str, int], repeat: int, workdir: Path) -> dict[str, Any] | None:
    if database == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        url = _postgres_url()
        if not _prepare_postgres(url):
            return None
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from relais.activity import search_all as unified
    from relais.activity.search_all import search_all
    from relais.casesheets import queries as sheet_queries
    from relais.casesheets import snapshot as sheet_snapshot
    from relais.documents import queries as document_queries
    from relais.documents import snapshot as document_snapshot
    from relais.helpdesk import queries as faq_queries
    from relais.helpdesk import snapshot as faq_snapshot

    from . import generator

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    generator.load_reference_data()
    world = generator.build_world()
    server = connection.cursor().connection.info.server_version if connection.vendor == "postgresql" else None
    version = f"{server // 10000}.{server % 10000}" if server else connection.Database.sqlite_version  # type: ignore[attr-defined]
    print(f"[{database}] base prête en {time.perf_counter() - began:.1f} s ({connection.vendor} {version})", flush=True)

    sheet_stats = generator.seed_sheets(world, 0, sizes["sheets"])
    generator.check_index(list(range(1, 51)))
    print(f"[{database}] {sizes['sheets']} fiches en {sheet_stats.seconds:.1f} s", flush=True)
    documents = seed_documents(world, sizes["documents"])
    check_documents()
    print(f"[{database}] {sizes['documents']} documents en {documents['seconds']} s", flush=True)
    faq = seed_faq(world, sizes["faq"])
    check_faq()
    print(f"[{database}] {sizes['faq']} entrées de FAQ en {faq['seconds']} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    seeding_seconds = time.perf_counter() - began
    # What the task worker does after a change of each index (ADR 0007, ADR 0008).
    built = {
        "sheets": sheet_snapshot.refresh_snapshot(),
        "documents": document_snapshot.refresh_snapshot(),
        "faq": faq_snapshot.refresh_snapshot(),
    }
    snapshots = {
        kind: {"build_seconds": round(snapshot.build_seconds, 2), "frequent_words": len(snapshot.frequent)}
        for kind, snapshot in built.items()
    }
    print(
        f"[{database}] instantanés construits en "
        + ", ".join(f"{kind} {figures['build_seconds']} s" for kind, figures in snapshots.items()),
        flush=True,
    )

    audiences = {"anonyme": AnonymousUser(), "adhérent": world.member_user}
    samples: dict[str, list[float]] = {"anonyme": [], "adhérent": []}
    groups = {
        "sheets": unified.sheet_group,
        "documents": unified.document_group,
        "faq": unified.faq_group,
        "events": unified.event_group,
    }
    group_samples: dict[str, list[float]] = {kind: [] for kind in groups}
    per_query: list[dict[str, Any]] = []
    for q in QUERIES:
        row: dict[str, Any] = {"q": q}
        for audience, user in audiences.items():
            result = search_all(q, user)  # warm-up (the process copies the sheet snapshot once)
            timed = []
            for _ in range(repeat):
                start = time.perf_counter()
                search_all(q, user)
                timed.append((time.perf_counter() - start) * 1000)
            samples[audience].extend(timed)
            row[audience] = summary(timed)
            row[f"results_{audience}"] = {group.kind: group.total for group in result.groups}
            row[f"hits_{audience}"] = _hits(result)
            # Where the time goes: each group on its own, once more per run.
            for kind, function in groups.items():
                for _ in range(repeat):
                    start = time.perf_counter()
                    function(q, user)
                    group_samples[kind].append((time.perf_counter() - start) * 1000)
        per_query.append(row)

    # The fallback while no snapshot exists for the current version (just after a change): every app on SQL. Same
    # totals and hits, or the run fails; timed once per query and reader.
    modules = (sheet_queries, document_queries, faq_queries)
    originals = [module.current_snapshot for module in modules]
    sql_samples: list[float] = []
    try:
        for module in modules:
            module.current_snapshot = lambda: None  # type: ignore[assignment]
        for row in per_query:
            for audience, user in audiences.items():
                expected = row.pop(f"hits_{audience}")
                start = time.perf_counter()
                result = search_all(row["q"], user)
                sql_samples.append((time.perf_counter() - start) * 1000)
                if _hits(result) != expected:
                    raise RuntimeError(f"SQL and snapshots disagree on {row['q']!r} ({audience})")
    finally:
        for module, original in zip(modules, originals, strict=True):
            module.current_snapshot = original  # type: ignore[assignment]
    overall = summary(samples["anonyme"] + samples["adhérent"])
    print(
        f"[{database}] recherche unifiée p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms, "
        f"max {overall['max_ms']} ms",
        flush=True,
    )
    return {
        "database": database,
        "vendor": connection.vendor,
        "version": version,
        "seeding_seconds": round(seeding_seconds, 1),
        "sheets": {"added": sheet_stats.sheets, "published": sheet_stats.published, "seconds": sheet_stats.seconds},
        "snapshots": snapshots,
        "documents": documents,
        "faq": faq,
        "search": overall,
        **{f"search_{audience}": summary(values) for audience, values in samples.items()},
        "groups": {kind: summary(values) for kind, values in group_samples.items()},
        "search_sql_fallback": summary(sql_samples),
        "queries": per_query,
    }


def _hits(result: Any) -> list[tuple[str, int, list[str]]]:
    """What a reader sees of a unified search: per group, its count and the titles of its hits in order."""
    return [(group.kind, group.total, [hit.title for hit in group.hits]) for group in result.groups]


def child_main(database: str, sizes: dict[str, int], repeat: int, output: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="relais-bench-unified-") as workdir:
        result = run_database(database, sizes, repeat, Path(workdir))
    output.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


# --- Parent: every database, then the report -----------------------------------------------------------------


def markdown(report: dict[str, Any]) -> str:
    m, sizes = report["machine"], report["sizes"]
    full = sizes == {"sheets": 50_000, "documents": 20_000, "faq": 5_000}
    lines = [
        "# Unified search benchmark — latest run",
        "",
        f"{report['date']} · {m['cpu']} · {m['cores']} cores · {m['memory']} · Python {m['python']} · "
        f"{sizes['sheets']:,} sheets + {sizes['documents']:,} documents (with extracted text) + "
        f"{sizes['faq']:,} FAQ entries · {len(QUERIES)} queries × 2 readers × {report['repeat']} runs · "
        f"run {report['total_seconds']} s. Method: docs/benchmarks.md (Unified search).",
        "",
    ]
    if not full:
        lines += [
            "**Reduced size**: this run is not at the size of issue 3 (50,000 sheets + 20,000 documents + "
            "5,000 FAQ entries).",
            "",
        ]
    lines += [
        "`search_all(q, user)` (`relais.activity.search_all`): sheets, documents, FAQ entries and events, "
        "five hits per group with their counts, answered from the bitmap snapshots (built before measuring); after a "
        "warm-up call per query and reader.",
        "",
        "| Database | Seeding (s) | p50 | p95 | max | Anonymous p95 | Member p95 "
        f"| p95 ≤ {report['target_p95_ms']:.0f} ms |",
        "|---|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for db in report["databases"]:
        s = db["search"]
        met = "yes" if s["p95_ms"] <= report["target_p95_ms"] else "**no**"
        lines.append(
            f"| {db['vendor']} {db['version']} | {db['seeding_seconds']} | {s['p50_ms']} | {s['p95_ms']} "
            f"| {s['max_ms']} | {db['search_anonyme']['p95_ms']} | {db['search_adhérent']['p95_ms']} | {met} |"
        )
    lines += ["", "Time per group, each measured on its own (p50 / p95 ms over every query and both readers):", ""]
    for db in report["databases"]:
        parts = [f"{kind} {g['p50_ms']} / {g['p95_ms']}" for kind, g in db.get("groups", {}).items()]
        lines.append(f"- {db['vendor']}: " + " · ".join(parts))
    lines += [
        "",
        "Bitmap snapshots built by the task worker after a change of each index (ADR 0007, ADR 0008), build time "
        "in seconds (words held in memory); and the SQL fallback taken while no snapshot exists for the current "
        "version (one call per query and reader, same totals and hits checked):",
        "",
    ]
    for db in report["databases"]:
        built = " · ".join(
            f"{kind} {figures['build_seconds']} s ({figures['frequent_words']} words)"
            for kind, figures in db["snapshots"].items()
        )
        fallback = db["search_sql_fallback"]
        lines.append(
            f"- {db['vendor']}: {built}; SQL fallback p50 {fallback['p50_ms']} ms, p95 {fallback['p95_ms']} ms"
        )
    for db in report["databases"]:
        lines += [
            "",
            f"## {db['vendor']}: per query (p50 / max ms; results sheets / documents / FAQ)",
            "",
            "| Query | Anonymous | Member | Results (anonymous) | Results (member) |",
            "|---|---:|---:|---:|---:|",
        ]
        for row in db["queries"]:
            a, b = row["anonyme"], row["adhérent"]
            counts = [
                " / ".join(f"{row[key].get(kind, 0):,}" for kind in ("sheets", "documents", "faq"))
                for key in ("results_anonyme", "results_adhérent")
            ]
            lines.append(
                f"| {row['q']} | {a['p50_ms']} / {a['max_ms']} | {b['p50_ms']} / {b['max_ms']} "
                f"| {counts[0]} | {counts[1]} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Banc de la recherche unifiée (SQLite et PostgreSQL).")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sheets", type=int, default=50_000)
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--faq", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3, help="mesures par requête et par profil après chauffe")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = {"sheets": args.sheets, "documents": args.documents, "faq": args.faq}

    if args.child:
        child_main(args.child, sizes, args.repeat, Path(args.output))
        return 0

    began = time.perf_counter()
    results = []
    for database in args.databases.split(","):
        with tempfile.NamedTemporaryFile(suffix=".json") as output:
            command = [sys.executable, "-m", "bench.unified", "--child", database, "--output", output.name]
            command += ["--sheets", str(args.sheets), "--documents", str(args.documents), "--faq", str(args.faq)]
            command += ["--repeat", str(args.repeat)]
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
        "sizes": sizes,
        "repeat": args.repeat,
        "queries": list(QUERIES),
        "total_seconds": round(time.perf_counter() - began),
        "databases": results,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "unified.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "unified.md").write_text(markdown(report), encoding="utf-8")
    print(f"Résultats : {RESULTS / 'unified.md'} ({time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
