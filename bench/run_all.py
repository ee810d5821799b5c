"""Every benchmark, on SQLite and (when BENCH_DATABASE_URL is set) PostgreSQL: `make bench`.

    uv run python bench/run_all.py
    BENCH_DATABASE_URL=postgres://bench:bench@127.0.0.1/constellation_bench uv run python bench/run_all.py

For each backend:
  1. a fresh database with 300 organisations: SQL queries per request (count_queries.py);
  2. a fresh database with 10,000 organisations and 50,000 people (load_data.py): queries
     per request again, then `constellation serve` (gunicorn, 2 workers) on a free loopback
     port and load.py in a process of its own: latency percentiles and throughput;
  3. `constellation import organisations` of a 10,000-row CSV (make_csv.py) into that
     directory, then the same file again (every row an update).
The figures are printed as Markdown tables, ready for RESULTS.md, and kept as JSON in
bench/data/. The server runs with DEBUG off and persistent database connections, as production
does. Besides latency, the CPU time the server (and PostgreSQL) spent per request is
reported: on a shared machine it is the steadier figure.

BENCH_DATABASE_URL names a PostgreSQL database whose public schema is DROPPED and
re-created: give it a database of its own. Its owner needs no other rights.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "data"
ENDPOINTS = ("directory", "api")  # as named in scenarios.py
IMPORT_OPTIONS = [
    "--map", "name=name", "--map", "city=city", "--map", "country=country", "--map", "kinds=kinds",
    "--map", "website=website", "--map", "year_founded=year_founded", "--map", "description=description",
    "--map", "networks=networks", "--key", "external_id",
]


def constellation_command() -> list[str]:
    script = Path(sys.executable).parent / "constellation"
    return [str(script)] if script.exists() else [sys.executable, "-m", "constellation.cli"]


def run(command: list[str], env: dict, *, timeout: float = 600, quiet: bool = False) -> tuple[float, str]:
    """Run a command to completion; its wall time in seconds and its output."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - started
    if not quiet:
        sys.stdout.write(done.stdout)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}")
    return elapsed, done.stdout


def base_env(database_url: str, data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CONSTELLATION_PRODUCTION")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "constellation.settings",
        "DATABASE_URL": database_url,
        "DATA_DIR": str(data_dir),
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Persistent connections, as in production (which keeps them 60 s; 600 here so that
        # the database backends measured by CpuMeter live through a whole phase).
        "DATABASE_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    })
    return env


class Backend:
    name = ""

    def backend_pids(self) -> list[int]:
        """Server processes working for the app, when the database has any (SQLite: none)."""
        return []

    def fresh(self, label: str) -> str:
        """An empty database; returns its DATABASE_URL."""
        raise NotImplementedError

    def version(self) -> str:
        raise NotImplementedError


class SQLite(Backend):
    name = "sqlite"

    def __init__(self, directory: Path):
        self.directory = directory

    def fresh(self, label: str) -> str:
        path = self.directory / f"{label}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"

    def version(self) -> str:
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"


class PostgreSQL(Backend):
    name = "postgresql"

    def __init__(self, url: str):
        self.url = url

    def _connect(self):
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def fresh(self, label: str) -> str:
        with self._connect() as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
        return self.url

    def backend_pids(self) -> list[int]:
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        return [pid for (pid,) in rows]

    def version(self) -> str:
        with self._connect() as connection:
            return "PostgreSQL " + connection.execute("SHOW server_version").fetchone()[0].split()[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`constellation serve` in its own process group, stopped by that group's id only."""

    def __init__(self, env: dict, log: Path, workers: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        command = [*constellation_command(), "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_ready()

    def _wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped at start; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/v1/networks", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"the server did not answer within {seconds} s; see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rpartition(")")[2].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


class CpuMeter:
    """CPU time spent serving: the gunicorn workers, and PostgreSQL's backends for our database.

    Unlike latency, CPU time per request hardly changes when other work shares the
    machine, so it is the figure to compare between runs.
    """

    def __init__(self, server: Server, backend: Backend):
        self.server, self.backend = server, backend

    def sample(self) -> dict[str, dict[int, float]]:
        return {
            "app": {pid: cpu_seconds(pid) for pid in children(self.server.process.pid)},
            "db": {pid: cpu_seconds(pid) for pid in self.backend.backend_pids()},
        }

    @staticmethod
    def spent(before: dict, after: dict) -> dict[str, float]:
        return {
            part: sum(seconds - before[part].get(pid, 0.0) for pid, seconds in after[part].items())
            for part in ("app", "db")
        }


def count_queries(env: dict, out: Path) -> dict:
    run([sys.executable, str(BENCH / "count_queries.py"), "--json", str(out)], env)
    return json.loads(out.read_text())


def load(env: dict, *extra: str) -> float:
    migrate_seconds, _ = run([*constellation_command(), "migrate", "--no-input", "-v", "0"], env)
    load_seconds, _ = run([sys.executable, str(BENCH / "load_data.py"), *extra], env)
    print(f"  (migrate {migrate_seconds:.1f} s, load {load_seconds:.1f} s)")
    return load_seconds


def import_csv(env: dict, csv_path: Path, timeout: float) -> dict:
    """Time `constellation import`; a run past the timeout is stopped and reported as such."""
    command = [*constellation_command(), "import", "organisations", str(csv_path), *IMPORT_OPTIONS]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return {"seconds": None, "timed_out_after": timeout, "summary": "stopped: too slow"}
    seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    match = re.search(r"(\d+) created, (\d+) updated, (\d+) failed, of (\d+) rows", output)
    if match is None:
        sys.stderr.write(output)
        raise SystemExit("the import did not report its counts")
    created, updated, failed, rows = map(int, match.groups())
    print(f"  {match.group(0)} in {seconds:.1f} s (CPU {cpu:.1f} s)")
    expected = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1
    if created + updated + failed != expected:
        print(f"  WARNING: the file has {expected} rows but the import accounted for {created + updated + failed}")
    return {
        "seconds": seconds, "cpu_seconds": cpu, "created": created, "updated": updated, "failed": failed,
        "rows": rows, "rows_in_file": expected, "exit_code": process.returncode,
    }


def bench_backend(backend: Backend, args: argparse.Namespace, csv_path: Path) -> dict:
    directory = WORK / "run" / backend.name
    # An empty static folder keeps WhiteNoise from warning on every start.
    (directory / "static").mkdir(parents=True, exist_ok=True)
    result: dict = {"version": backend.version()}

    print(f"\n== {backend.name}: 300 organisations", flush=True)
    env = base_env(backend.fresh("small"), directory)
    load(env, "--small")
    result["queries_small"] = count_queries(env, directory / "queries-small.json")

    print(f"\n== {backend.name}: 10,000 organisations, 50,000 people", flush=True)
    env = base_env(backend.fresh("large"), directory)
    result["load_seconds"] = load(env, "--organisations", "10000", "--people", "50000")
    result["queries_large"] = count_queries(env, directory / "queries-large.json")

    result["http"] = {}
    server = Server(env, directory / "server.log", args.workers)
    meter = CpuMeter(server, backend)
    try:
        for concurrency in args.concurrency:
            print(f"\n== {backend.name}: HTTP, gunicorn {args.workers} workers, {concurrency} concurrent clients", flush=True)
            http = {"loadavg_before": os.getloadavg(), "endpoints": {}}
            for endpoint in ENDPOINTS:
                out = directory / f"http-{endpoint}-c{concurrency}.json"
                before = meter.sample()
                run(
                    [sys.executable, str(BENCH / "load.py"), "--base", server.base, "--endpoint", endpoint,
                     "--requests", str(args.requests), "--concurrency", str(concurrency), "--json", str(out)],
                    env,
                )
                spent = meter.spent(before, meter.sample())
                row = json.loads(out.read_text())["endpoints"][endpoint]
                served = row["requests"] + row["warmup_requests"]
                row["cpu_ms_per_request"] = {part: seconds * 1000 / served for part, seconds in spent.items()}
                http["endpoints"][endpoint] = row
            http["loadavg_after"] = os.getloadavg()
            result["http"][str(concurrency)] = http
    finally:
        server.stop()

    if not args.skip_import:
        print(f"\n== {backend.name}: import {csv_path.name}", flush=True)
        result["import_create"] = import_csv(env, csv_path, args.import_timeout)
        result["import_update"] = import_csv(env, csv_path, args.import_timeout)
    return result


def machine() -> dict:
    def shell(command: str) -> str:
        try:
            return subprocess.run(command, shell=True, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    import django

    return {
        "cpus": os.cpu_count(),
        "cpu": shell("lscpu | grep 'Model name'").partition(":")[2].strip(),
        "memory": shell("free -h | awk '/Mem:/ {print $2}'"),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": metadata.version("gunicorn"),
        "psycopg": metadata.version("psycopg"),
        "loadavg_at_start": os.getloadavg(),
        "commit": shell(f"git -C {ROOT} rev-parse --short HEAD"),
        "uncommitted_src_files": len(shell(f"git -C {ROOT} status --porcelain src").splitlines()),
    }


def markdown(report: dict) -> str:
    """The tables of RESULTS.md."""
    lines = []
    for result in report["backends"].values():
        lines += [f"### {result['version']}", ""]
        for concurrency, http in result.get("http", {}).items():
            lines += [
                f"{concurrency} concurrent clients; load average (1 min) before/after: "
                f"{http['loadavg_before'][0]:.2f} / {http['loadavg_after'][0]:.2f}", "",
                "| Endpoint (mix of 6 query strings) | Requests | Errors | req/s | p50 ms | p95 ms | p99 ms "
                "| CPU ms/request: app + database |",
                "|---|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for row in http["endpoints"].values():
                cpu = row["cpu_ms_per_request"]
                lines.append(
                    f"| `{row['path']}` | {row['requests']} | {row['errors']} | {row['rps']:.1f} | "
                    f"{row['p50']:.0f} | {row['p95']:.0f} | {row['p99']:.0f} | {cpu['app']:.0f} + {cpu['db']:.0f} |"
                )
            lines += ["", "| Request | p50 ms | p95 ms |", "|---|---:|---:|"]
            for row in http["endpoints"].values():
                for query, q in row["queries"].items():
                    url = row["path"] + ("" if query == "(none)" else f"?{query}")
                    lines.append(f"| `{url}` | {q['p50']:.0f} | {q['p95']:.0f} |")
            lines.append("")
        small, large = result["queries_small"], result["queries_large"]
        lines += [
            "",
            f"| Request | Queries at {small['organisations']:,} orgs, cold / warm cache "
            f"| Queries at {large['organisations']:,} orgs, cold / warm cache "
            f"| Same? | In-process ms at {large['organisations']:,} (warm) |",
            "|---|---:|---:|---|---:|",
        ]
        for url, row in large["requests"].items():
            few = small["requests"][url]
            same = few["queries"] == row["queries"] and few.get("cold_queries") == row.get("cold_queries")
            lines.append(
                f"| `{url}` | {few.get('cold_queries', '?')} / {few['queries']} "
                f"| {row.get('cold_queries', '?')} / {row['queries']} | {'yes' if same else '**no**'} "
                f"| {row['wall_ms']:.0f} |"
            )
        lines += ["", f"Loading 10,000 organisations and 50,000 people: {result['load_seconds']:.1f} s", ""]
        if "import_create" in result:
            lines += [
                "| Import of 10,000 rows | Seconds | CPU seconds (import process) | Created | Updated | Failed |",
                "|---|---:|---:|---:|---:|---:|",
            ]
            for label, key in (("First import (creates)", "import_create"), ("Re-import (updates)", "import_update")):
                row = result[key]
                if row["seconds"] is None:
                    lines.append(f"| {label} | > {row['timed_out_after']:.0f} (stopped) | | | | |")
                else:
                    lines.append(
                        f"| {label} | {row['seconds']:.1f} | {row['cpu_seconds']:.1f} | {row['created']} "
                        f"| {row['updated']} | {row['failed']} |"
                    )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=420, help="measured requests per endpoint")
    parser.add_argument(
        "--concurrency", type=int, action="append",
        help="concurrent clients, repeatable (default: 8, the aim's condition, then 2, one per CPU here)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--import-timeout", type=float, default=240, help="seconds before an import is stopped")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    args.concurrency = args.concurrency or [8, 2]

    WORK.mkdir(exist_ok=True)
    started = time.perf_counter()
    report = {"started": datetime.now().isoformat(timespec="seconds"), "machine": machine(), "backends": {}}
    csv_path = WORK / "bench_10k.csv"
    run([sys.executable, str(BENCH / "make_csv.py"), "--rows", "10000", "--out", str(csv_path)], os.environ.copy())

    backends: list[Backend] = []
    if args.only in (None, "sqlite"):
        backends.append(SQLite(WORK / "run" / "sqlite"))
    if args.only in (None, "postgresql"):
        if os.environ.get("BENCH_DATABASE_URL"):
            backends.append(PostgreSQL(os.environ["BENCH_DATABASE_URL"]))
        else:
            print("PostgreSQL skipped: set BENCH_DATABASE_URL to a database the benchmark may wipe.")
    for backend in backends:
        report["backends"][backend.name] = bench_backend(backend, args, csv_path)

    report["seconds"] = time.perf_counter() - started
    out = WORK / f"results-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))
    m = report["machine"]
    print(
        f"\n{m['cpus']} CPUs ({m['cpu']}), {m['memory']} RAM, Python {m['python']}, Django {m['django']}, "
        f"gunicorn {m['gunicorn']}; commit {m['commit']} (+{m['uncommitted_src_files']} uncommitted files in src)"
    )
    print("\n" + markdown(report))
    print(f"Whole run: {report['seconds'] / 60:.1f} min. Figures kept in {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
