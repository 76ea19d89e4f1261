"""Two reference points for the DECP import benchmark (issue 4), measured on the same file as Relais' ingestion.

- `parse_floor(path)`: the file streamed through ijson's C backend (yajl2_c), each record built as a Python dict
  (`use_float=False`: amounts as Decimal) and discarded. Any Python pipeline pays at least this; decp-processing is
  built this way. Relais' full ingestion should stay within 2.5× of it.
- `duckdb_load(path)`: DuckDB's `read_json` of the same file into a table of a fresh on-disk database, one row per
  contract (`unnest` of `marches.marche`, or of `marches` in the 2019 format). A general engine: a DECP file is
  one JSON object holding every contract, which DuckDB must read whole. Relais should be faster and use less
  memory. If DuckDB fails, or passes the memory cap or the time limit, that is the result recorded.

Each anchor runs in its own child process (`python -m bench.decp_anchors --child parse|duckdb FILE`), so that its
peak memory (`ru_maxrss` of the child) is its own; the parent also samples the child's RSS and stops it above
`--rss-cap-mb` (DuckDB's `memory_limit` does not bound the JSON reader).

`python -m bench.decp_anchors FILE [FILE…]` measures both anchors on each file;
`python -m bench.decp_anchors --sizes 150000,1500000` first generates the missing files in `/tmp/decp-bench/`
with `bench.decp_generator` (2022 format, default seed). Results are printed and written to
`bench/results/decp_anchors.json` and `bench/results/decp_anchors.md` (see docs/benchmarks.md, "DECP import").
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .run import machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
WORKDIR = Path("/tmp/decp-bench")  # noqa: S108 (big generated files, never in the repository)
ITEMS_PREFIX = {"2022": "marches.marche.item", "2019": "marches.item"}
DEFAULT_TIMEOUT = 3600.0
# DuckDB needs ~10.5 GB of resident memory for the 1.5 M file (its `memory_limit` at 10GB is not enough: it fails
# allocating a 4 GiB buffer): 16GB lets it finish, the cap stops it before it starves a 24 GiB machine.
DEFAULT_RSS_CAP_MB = 18_000
DEFAULT_DUCKDB_MEMORY_LIMIT = "16GB"
_WRAPPER = re.compile(rb'"marches"\s*:\s*([\[{])')


def detect_format(path: Path) -> str:
    """The DECP format of a JSON file: 2022 when `marches` holds an object (`{"marche": [...]}`), 2019 when it
    holds the list of contracts itself."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    found = _WRAPPER.search(head)
    if found is None:
        raise ValueError(f"{path} : pas de clé « marches » au début du fichier, ce n'est pas un fichier DECP JSON.")
    return "2022" if found.group(1) == b"{" else "2019"


# --- Children: one anchor each, measured in-process ----------------------------------------------------------


def _usage() -> dict[str, float]:
    """Peak resident memory and CPU time of this process. On Linux `ru_maxrss` keeps, across `exec`, the peak of the
    parent that forked the child (a parent that generated a file would lend it its own ~100 MB): the peak of this
    program alone is `VmHWM` of /proc/self/status, which starts afresh with the new program."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # Relais' reader processes, joined before the import returns: their CPU counts with the import's.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = float(usage.ru_maxrss)  # kilobytes on Linux
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak_kb = float(line.split()[1])
    cpu = usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime
    return {"peak_rss_mb": round(peak_kb / 1024, 1), "cpu_seconds": round(cpu, 1)}


def _parse_child(path: Path) -> dict[str, Any]:
    import ijson

    fmt = detect_format(path)
    try:
        backend = ijson.get_backend("yajl2_c")
    except ImportError as error:
        return {"status": "error", "error": f"ijson sans backend C (yajl2_c) : {error}"}
    records = 0
    began = time.perf_counter()
    with path.open("rb") as handle:
        for _record in backend.items(handle, ITEMS_PREFIX[fmt], use_float=False):
            records += 1
    seconds = time.perf_counter() - began
    return {"status": "ok", "records": records, "seconds": seconds, "engine": f"ijson {ijson.__version__} yajl2_c"}


def _duckdb_child(path: Path, memory_limit: str, threads: int) -> dict[str, Any]:
    import duckdb

    fmt = detect_format(path)
    contracts = "marches.marche" if fmt == "2022" else "marches"
    engine = f"duckdb {duckdb.__version__}"
    with tempfile.TemporaryDirectory(prefix="decp-duckdb-", dir=path.parent) as workdir:
        database = Path(workdir) / "decp.duckdb"
        connection = duckdb.connect(str(database))
        connection.execute(f"SET memory_limit = '{memory_limit}'")
        connection.execute(f"SET threads = {int(threads)}")
        connection.execute(f"SET temp_directory = '{workdir}/spill'")
        connection.execute("SET enable_progress_bar = false")
        # What DuckDB advises to load big files in less memory: the order of the rows does not matter here.
        connection.execute("SET preserve_insertion_order = false")
        began = time.perf_counter()
        try:
            # The whole file is one JSON object: the object size limit must be raised to the size of the file.
            connection.execute(
                f"CREATE TABLE marche AS SELECT unnest({contracts}, max_depth := 2) "  # noqa: S608 (a fixed name)
                "FROM read_json(?, maximum_object_size := ?)",
                [str(path), path.stat().st_size + 1],
            )
            row = connection.execute("SELECT count(*) FROM marche").fetchone()
            connection.execute("CHECKPOINT")
        except duckdb.Error as error:
            return {
                "status": "error",
                "error": f"{type(error).__name__}: {error}"[:500],
                "seconds": time.perf_counter() - began,
                "engine": engine,
            }
        seconds = time.perf_counter() - began
        columns = len(connection.execute("DESCRIBE marche").fetchall())
        connection.close()
        return {
            "status": "ok",
            "records": row[0] if row else 0,
            "seconds": seconds,
            "engine": engine,
            "columns": columns,
            "database_mb": round(database.stat().st_size / 1e6, 1),
            "settings": {"memory_limit": memory_limit, "threads": threads, "preserve_insertion_order": False},
        }


# --- Parent: one child per anchor, its memory watched --------------------------------------------------------


def _relais_child(path: Path) -> dict[str, Any]:
    """Relais' full ingestion (parse, validate, normalise, load, indexes, shared identifiers, indicator cubes) of the
    file into the database of DATABASE_URL, prepared (migrated, reference tables loaded) by the parent."""
    import django

    django.setup()
    from relais.contracts.services import decp_import

    began = time.perf_counter()
    run = decp_import(path=path)
    seconds = time.perf_counter() - began
    from django.db import connection

    return {
        "status": "ok" if run.status == "done" else run.status,
        "records": run.read,
        "created": run.created,
        "quarantined": run.quarantined,
        "seconds": seconds,
        "engine": f"Relais ({connection.vendor})",
    }


def _prepare_database(vendor: str) -> str:
    """A fresh, migrated database with the reference tables, for one ingestion (not timed)."""
    if vendor == "sqlite":
        database = WORKDIR / "relais-ingest.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{database}"
    else:
        import psycopg

        server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        name = os.environ.get("BENCH_DECP_DATABASE", "relais_bench_decp")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{server}/{name}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    for command in (["migrate", "--noinput", "-v0"], ["load_reference"]):
        subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    return url


def relais_ingest(
    path: Path, vendor: str, *, timeout: float = DEFAULT_TIMEOUT, rss_cap_mb: float = DEFAULT_RSS_CAP_MB
) -> dict[str, Any]:
    """Relais' ingestion of the file into a fresh SQLite or PostgreSQL database: wall time, CPU of the Python
    process (PostgreSQL's own work runs in the server's process), records/s, peak RSS."""
    url = _prepare_database(vendor)
    return _run_child(f"relais-{vendor}", Path(path), [], timeout=timeout, rss_cap_mb=rss_cap_mb, database_url=url)


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
        for child in children:
            found += [child, *_descendants(child)]
    return found


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants (Relais' reader processes): what the machine must hold.
    Pages shared after `fork` are counted in each process, so this overstates a little."""
    return sum(_rss_mb(process) for process in (pid, *_descendants(pid)))


def _run_child(
    anchor: str, path: Path, extra: list[str], *, timeout: float, rss_cap_mb: float, database_url: str = ""
) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.decp_anchors", "--child", anchor, str(path), *extra]
    env = dict(os.environ)
    if database_url:
        env |= {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    # Outputs go to files, not pipes: the parent reads them only at the end, a full pipe would block the child.
    with tempfile.TemporaryFile("w+") as stdout_file, tempfile.TemporaryFile("w+") as stderr_file:
        began = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (our module)
            command, cwd=ROOT, stdout=stdout_file, stderr=stderr_file, env=env
        )
        sampled_peak, stopped = 0.0, ""
        while process.poll() is None:
            sampled_peak = max(sampled_peak, _tree_rss_mb(process.pid))
            elapsed = time.perf_counter() - began
            if sampled_peak > rss_cap_mb:
                stopped = f"arrêté : mémoire résidente au-delà de {rss_cap_mb:.0f} Mo après {elapsed:.0f} s"
            elif elapsed > timeout:
                stopped = f"arrêté : plus de {timeout:.0f} s"
            if stopped:
                process.kill()
                break
            time.sleep(0.2)
        process.wait()
        wall = time.perf_counter() - began
        stdout_file.seek(0)
        stderr_file.seek(0)
        stdout, stderr = stdout_file.read(), stderr_file.read()
    result: dict[str, Any] = {"anchor": anchor}
    if stopped:
        result.update(status="stopped", error=stopped, seconds=round(wall, 1), peak_rss_mb=round(sampled_peak, 1))
        return result
    lines = stdout.strip().splitlines()
    if process.returncode != 0 or not lines:
        reason = f"code de sortie {process.returncode}" + (" (tué par le système ?)" if process.returncode < 0 else "")
        result.update(status="error", error=f"{reason} : {stderr.strip()[-500:]}", seconds=round(wall, 1))
        result["peak_rss_mb"] = round(sampled_peak, 1)
        return result
    result.update(json.loads(lines[-1]))
    # With its reader processes, sampled every 0.2 s: the figure the memory target is checked against.
    result["peak_tree_rss_mb"] = round(max(sampled_peak, result.get("peak_rss_mb", 0.0)), 1)
    if result.get("records") and result.get("seconds"):
        result["records_per_second"] = round(result["records"] / result["seconds"])
        result["mb_per_second"] = round(path.stat().st_size / 1e6 / result["seconds"], 1)
    if "seconds" in result:
        result["seconds"] = round(result["seconds"], 1)
    return result


def parse_floor(
    path: Path, *, timeout: float = DEFAULT_TIMEOUT, rss_cap_mb: float = DEFAULT_RSS_CAP_MB
) -> dict[str, Any]:
    """Stream the file through ijson's C backend, building each record and discarding it: wall time, records/s,
    peak RSS of a fresh process."""
    return _run_child("parse", Path(path), [], timeout=timeout, rss_cap_mb=rss_cap_mb)


def duckdb_load(
    path: Path,
    *,
    memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT,
    threads: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    rss_cap_mb: float = DEFAULT_RSS_CAP_MB,
) -> dict[str, Any]:
    """Load the file with DuckDB's `read_json` into a table of a fresh on-disk database, one row per contract:
    wall time, records/s, peak RSS of a fresh process; a failure, the memory cap or the time limit is the result."""
    extra = ["--duckdb-memory-limit", memory_limit, "--duckdb-threads", str(threads or os.cpu_count() or 1)]
    return _run_child("duckdb", Path(path), extra, timeout=timeout, rss_cap_mb=rss_cap_mb)


def generated_file(records: int, *, workdir: Path = WORKDIR, fmt: str = "2022") -> Path:
    """The generated file of `records` records (default seed), written by `bench.decp_generator` unless the one
    already there was written with the same parameters."""
    from . import decp_generator

    path = workdir / f"decp-{fmt}-{records}.json"
    stats_path = workdir / f"{path.name}.stats.json"
    if path.exists() and stats_path.exists():
        stats = json.loads(stats_path.read_text(encoding="utf-8"))
        expected = (
            records,
            fmt,
            decp_generator.DEFAULT_SEED,
            path.stat().st_size,
            decp_generator.generator_fingerprint(),
        )
        found = tuple(stats.get(key) for key in ("records", "format", "seed", "bytes", "generator_sha1"))
        if found == expected:
            return path
    print(f"Génération de {path} ({records:,} enregistrements)…", flush=True)
    summary = decp_generator.generate(contracts=records, fmt=fmt, out=path)
    print(f"  {summary['bytes'] / 1e6:,.0f} Mo en {summary['seconds']} s", flush=True)
    return path


def measure(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    fmt = detect_format(path)
    entry: dict[str, Any] = {"file": path.name, "format": fmt, "mb": round(path.stat().st_size / 1e6, 1)}
    stats_path = path.parent / f"{path.name}.stats.json"
    if stats_path.exists():
        entry["generator"] = json.loads(stats_path.read_text(encoding="utf-8"))
    print(f"{path.name} ({entry['mb']:,} Mo, format {fmt})", flush=True)
    limits = {"timeout": args.timeout, "rss_cap_mb": args.rss_cap_mb}
    entry["parse_floor"] = parse_floor(path, **limits)
    print("  plancher de lecture : " + _line(entry["parse_floor"]), flush=True)
    entry["duckdb"] = duckdb_load(path, memory_limit=args.duckdb_memory_limit, threads=args.duckdb_threads, **limits)
    print("  DuckDB read_json    : " + _line(entry["duckdb"]), flush=True)
    for vendor in args.relais:
        entry[f"relais_{vendor}"] = relais_ingest(path, vendor, **limits)
        print(f"  Relais ({vendor}) : " + _line(entry[f"relais_{vendor}"]), flush=True)
    entry["records"] = entry["parse_floor"].get("records")
    return entry


def _line(result: dict[str, Any]) -> str:
    if result.get("status") != "ok":
        return f"{result.get('status')} — {result.get('error')} (pic {result.get('peak_rss_mb')} Mo)"
    return (
        f"{result['records']:,} enregistrements en {result['seconds']} s ({result['records_per_second']:,}/s, "
        f"{result['mb_per_second']} Mo/s), pic mémoire {result['peak_rss_mb']:,} Mo, CPU {result['cpu_seconds']} s"
    )


def write_report(entries: list[dict[str, Any]], total_seconds: float) -> None:
    RESULTS.mkdir(exist_ok=True)
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "total_seconds": round(total_seconds),
        "files": entries,
    }
    (RESULTS / "decp_anchors.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (RESULTS / "decp_anchors.md").write_text(markdown(report), encoding="utf-8")


def _cells(result: dict[str, Any]) -> str:
    if result.get("status") != "ok":
        return f"{result.get('status')} after {result.get('seconds')} s | {result.get('cpu_seconds', '—')} | — " + (
            f"| {result.get('peak_rss_mb', 0):,}"
        )
    return (
        f"{result['seconds']} | {result['cpu_seconds']} | {result['records_per_second']:,} | {result['peak_rss_mb']:,}"
    )


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        "# DECP import anchors — latest run",
        "",
        f"{report['date']} · {m['cpu']} · {m['cores']} cores · {m['memory']} · Python {m['python']} · run "
        f"{report['total_seconds']} s · load average at the end {report['load_average']}. Method: docs/benchmarks.md "
        '("DECP import").',
        "",
        "Parse floor: ijson C backend, each record built (Decimal amounts) and discarded. DuckDB: `read_json` into a "
        "table of a fresh on-disk database, one row per contract. Wall-clock seconds, then the CPU seconds of the "
        "process (the machine is shared: when other jobs run, wall-clock exceeds CPU). Peak = maximum resident "
        "memory of the process.",
        "",
        "| File | Format | Records | Size (MB) | Parse floor (s) | CPU (s) | records/s | peak (MB) | DuckDB (s) "
        "| CPU (s) | records/s | peak (MB) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in report["files"]:
        records = entry.get("records") or entry.get("generator", {}).get("records") or 0
        lines.append(
            f"| {entry['file']} | {entry['format']} | {records:,} | {entry['mb']:,} | {_cells(entry['parse_floor'])} "
            f"| {_cells(entry['duckdb'])} |"
        )
    relais_rows = [
        (entry, vendor, entry[f"relais_{vendor}"])
        for entry in report["files"]
        for vendor in ("sqlite", "postgresql")
        if f"relais_{vendor}" in entry
    ]
    if relais_rows:
        lines += [
            "",
            "Relais' full ingestion (parse, validate, normalise, load, indexes, indicator cubes) into a fresh "
            "database, in the same run. Targets: within 2.5× the parse floor (wall), faster than DuckDB, peak "
            "under 1 GB. CPU: the import process and its reader process (the database server's own CPU is not "
            "counted); peak: both processes' resident memory, sampled every 0.2 s.",
            "",
            "| File | Database | Seconds | CPU (s) | records/s | peak (MB) | × parse floor | vs DuckDB | targets |",
            "|---|---|---:|---:|---:|---:|---:|---:|:---:|",
        ]
        for entry, vendor, result in relais_rows:
            if result.get("status") != "ok":
                lines.append(f"| {entry['file']} | {vendor} | {result.get('status')}: {result.get('error')} |")
                continue
            floor, duck = entry["parse_floor"], entry["duckdb"]
            ratio = result["seconds"] / floor["seconds"] if floor.get("status") == "ok" else None
            faster = duck.get("status") != "ok" or result["seconds"] < duck["seconds"]
            peak = result.get("peak_tree_rss_mb", result["peak_rss_mb"])
            met = ratio is not None and ratio <= 2.5 and faster and peak < 1024
            lines.append(
                f"| {entry['file']} | {vendor} | {result['seconds']} | {result['cpu_seconds']} | "
                f"{result['records_per_second']:,} | {peak:,} | "
                f"{'—' if ratio is None else f'×{ratio:.1f}'} | "
                f"{'faster' if faster else 'slower'} | {'**met**' if met else '**not met**'} |"
            )
    done = [e for e in report["files"] if e["parse_floor"].get("status") == "ok"]
    if len(done) > 1:
        first, last = min(done, key=lambda e: e["records"]), max(done, key=lambda e: e["records"])
        lines += ["", "Growth from the smallest to the largest file:", ""]
        for anchor, label in (
            ("parse_floor", "parse floor"),
            ("duckdb", "DuckDB"),
            ("relais_sqlite", "Relais (SQLite)"),
            ("relais_postgresql", "Relais (PostgreSQL)"),
        ):
            a, b = first.get(anchor, {}), last.get(anchor, {})
            if a.get("status") == "ok" and b.get("status") == "ok":
                wall = b["seconds"] / max(a["seconds"], 0.1)
                cpu = b["cpu_seconds"] / max(a["cpu_seconds"], 0.1)
                lines.append(
                    f"- {label}: {a['seconds']} → {b['seconds']} s (×{wall:.1f}; CPU ×{cpu:.1f}) for "
                    f"×{last['records'] / first['records']:.1f} records, peak {a['peak_rss_mb']} → "
                    f"{b['peak_rss_mb']} MB."
                )
    for entry in report["files"]:
        for anchor in ("parse_floor", "duckdb"):
            if entry[anchor].get("status") != "ok":
                reason = str(entry[anchor].get("error")).splitlines()[0]
                lines.append(f"\n{entry['file']}, {anchor}: {reason}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Points de repère du banc d'import DECP : plancher ijson, DuckDB.")
    parser.add_argument("files", nargs="*", type=Path, help="fichiers DECP JSON (format 2022 ou 2019)")
    parser.add_argument("--sizes", help="tailles à générer dans --workdir puis à mesurer, ex. 150000,1500000")
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="secondes par mesure")
    parser.add_argument("--rss-cap-mb", type=float, default=DEFAULT_RSS_CAP_MB)
    parser.add_argument("--duckdb-memory-limit", default=DEFAULT_DUCKDB_MEMORY_LIMIT)
    parser.add_argument("--duckdb-threads", type=int, default=None)
    parser.add_argument("--no-save", action="store_true", help="afficher sans écrire bench/results/")
    parser.add_argument(
        "--relais",
        default="sqlite,postgresql",
        type=lambda value: [v for v in value.split(",") if v],
        help="bases où mesurer l'import de Relais (sqlite,postgresql ; vide pour aucune)",
    )
    parser.add_argument(
        "--child", choices=("parse", "duckdb", "relais-sqlite", "relais-postgresql"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)

    if args.child:
        path = args.files[0]
        if args.child == "parse":
            result = _parse_child(path)
        elif args.child.startswith("relais-"):
            result = _relais_child(path)
        else:
            result = _duckdb_child(path, args.duckdb_memory_limit, args.duckdb_threads or os.cpu_count() or 1)
        print(json.dumps({**result, **_usage()}))
        return

    began = time.perf_counter()
    files = list(args.files)
    if args.sizes:
        files += [generated_file(int(size), workdir=args.workdir) for size in args.sizes.split(",")]
    if not files:
        parser.error("donnez un fichier ou --sizes")
    if missing := [str(path) for path in files if not path.is_file()]:
        parser.error(f"fichier introuvable : {', '.join(missing)}")
    entries = [measure(path, args) for path in files]
    if not args.no_save:
        write_report(entries, time.perf_counter() - began)
        print(f"Résultats : {RESULTS / 'decp_anchors.md'}")


if __name__ == "__main__":
    main()
