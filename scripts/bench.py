"""`make bench`: server times for the main pages on PostgreSQL with 100 000 fictional persons.

1. drops and recreates the database brygga_bench, migrates it, seeds it with seed_demo;
2. starts gunicorn (2 workers) on a free port, in demo mode so demo users skip the second factor;
3. logs in a demo worker and a manager through the real login form (CSRF and all);
4. drives N sequential requests at each page, and reads the server time of each request from
   gunicorn's access log (%(D)s, microseconds: from the request read to the response written);
5. prints median and p95 per page, and the ratio to the SQL-light baseline (/health/);
6. writes the figures to docs/benchmarks.md.

A benchmark, not a test: nothing fails on a slow figure. Options: --persons, --requests,
--reuse (keep an already seeded brygga_bench), --database-url.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/brygga_bench"
DEMO_PASSWORD = "demo-brygga-2026"  # noqa: S105 - the public demo password
WORKER, MANAGER = "socsek1.sodermalm", "chef.sodermalm"
WARM_UP = 5  # requests per page left out of the figures
BUDGET_MS = 50  # ARCHITECTURE.md: p95 under 50 ms for the case page, search and to-do list
LOG_FORMAT = "%({x-bench}i)s %(s)s %(D)s"
CASE_LINK = re.compile(r'href="/arenden/(\d+)/"')
IDENTITY = re.compile(r"<dd>(\d{8}-\d{4})</dd>")
PERSON_LINK = re.compile(r'href="/arenden/\d+/">([^<]+)</a>')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded brygga_bench")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "BRYGGA_MODE": "demo",
        "DEBUG": "False",
        "PYTHONUNBUFFERED": "1",
        # The benchmark searches far more often than a person would; lift the per-user limit.
        "SEARCH_RATE_LIMIT": "100000",
    }
    seed_seconds = None
    reuse = args.reuse and _is_seeded(args.database_url)
    if not reuse:
        _recreate_database(args.database_url)
    print("Migrating …", flush=True)
    _manage(env, "migrate", "--noinput", "-v", "0")
    if not reuse:
        print(f"Seeding {args.persons} fictional persons (seed 7) …", flush=True)
        started = time.monotonic()
        _manage(env, "seed_demo", "--persons", str(args.persons), "--seed", "7")
        seed_seconds = time.monotonic() - started
        print(f"Seeded in {seed_seconds:.0f} s", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        access_log = Path(tmp) / "access.log"
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
            [
                str(BIN / "gunicorn"),
                "brygga.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                str(access_log),
                "--access-logformat",
                LOG_FORMAT,
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, server)
            labels = _drive(base, args.requests)
            time.sleep(1)  # let gunicorn flush the access log
        finally:
            server.terminate()
            server.wait(timeout=30)
        times = _server_times(access_log)

    rows = _rows(times, labels)
    _print(rows)
    _write(args.output, rows, args, seed_seconds)
    print(f"\nWritten to {args.output}")


def _is_seeded(url: str) -> bool:
    try:
        with psycopg.connect(_conninfo(url), autocommit=True) as conn:
            row = conn.execute("SELECT count(*) FROM people_person").fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return False


def _conninfo(url: str, dbname: str | None = None) -> str:
    parts = urlparse(url)
    return psycopg.conninfo.make_conninfo(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=dbname or parts.path.lstrip("/"),
    )


def _recreate_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or "bench" not in name:
        raise SystemExit(f"Refusing to drop {name!r}: the benchmark database must be named *bench*")
    print(f"Recreating database {name} …", flush=True)
    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def _manage(env: dict[str, str], *arguments: str) -> None:
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)  # noqa: S603


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            if requests.get(base + "/health/", headers={"X-Bench": "warm-up"}, timeout=10).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer")


def _login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(base + "/logga-in/", timeout=10).raise_for_status()
    response = session.post(
        base + "/logga-in/",
        data={
            "username": username,
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": base + "/logga-in/", "X-Bench": "login"},
        timeout=10,
    )
    response.raise_for_status()
    if "/logga-in" in response.url:
        raise SystemExit(f"Could not log in {username}: is the database seeded with demo users?")
    return session


def _drive(base: str, n: int) -> list[str]:
    """Sends n requests per page; returns the page labels in the order they were measured."""
    worker, manager = _login(base, WORKER), _login(base, MANAGER)
    start = worker.get(base + "/", timeout=10).text
    case_ids = CASE_LINK.findall(start)
    names = PERSON_LINK.findall(start)
    if not case_ids:
        raise SystemExit(f"{WORKER} sees no cases")
    case_page = worker.get(f"{base}/arenden/{case_ids[0]}/", timeout=10).text
    identity = next(iter(IDENTITY.findall(case_page)), None)
    surname = names[0].split()[-1] if names else "Andersson"

    def search(session: requests.Session, query: str, label: str) -> None:
        response = session.post(
            base + "/sok/",
            data={"q": query, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": base + "/sok/", "X-Bench": label},
            timeout=30,
        )
        response.raise_for_status()

    cases = itertools.cycle(case_ids)

    def get(session: requests.Session, url: str, label: str) -> None:
        session.get(url, headers={"X-Bench": label}, timeout=30).raise_for_status()

    anonymous = requests.Session()
    pages: list[tuple[str, Callable[[str], None]]] = [
        ("health (baseline)", lambda label: get(anonymous, base + "/health/", label)),
        ("start page, worker", lambda label: get(worker, base + "/", label)),
        ("start page, manager", lambda label: get(manager, base + "/", label)),
        ("case page", lambda label: get(worker, f"{base}/arenden/{next(cases)}/", label)),
        ("search by name", lambda label: search(worker, surname, label)),
    ]
    if identity:
        pages.append(("search by personnummer", lambda label: search(worker, identity, label)))
    for label, send in pages:
        print(f"  {n} × {label}", flush=True)
        for _ in range(WARM_UP):  # both workers load their code and caches first
            send("warm-up")
        for _ in range(n):
            send(label)
    return [label for label, _ in pages]


def _server_times(access_log: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = defaultdict(list)
    for line in access_log.read_text().splitlines():
        parts = line.rsplit(" ", 2)
        if len(parts) != 3 or parts[0] in ("-", "login", "warm-up"):
            continue
        label, status, micros = parts
        if status.startswith("2"):
            times[label].append(int(micros) / 1000)
    return times


def _rows(times: dict[str, list[float]], labels: list[str]) -> list[tuple[str, int, float, float]]:
    rows = []
    for label in labels:
        values = sorted(times.get(label, []))
        if not values:
            continue
        p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
        rows.append((label, len(values), statistics.median(values), p95))
    return rows


def _print(rows: list[tuple[str, int, float, float]]) -> None:
    baseline = rows[0][2] if rows else 1.0
    print(f"\n{'page':<26}{'n':>6}{'median ms':>12}{'p95 ms':>10}{'× health':>10}")
    for label, count, median, p95 in rows:
        print(f"{label:<26}{count:>6}{median:>12.1f}{p95:>10.1f}{median / baseline:>10.1f}")


def _machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ", load average {:.1f} / {:.1f} / {:.1f} at the end".format(*os.getloadavg())
    return f"{os.cpu_count()} × {cpu}{memory}, {platform.platform()}{load}"


def _postgres_version(url: str) -> str:
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"


def _write(path: Path, rows, args, seed_seconds: float | None) -> None:  # type: ignore[no-untyped-def]
    baseline = rows[0][2] if rows else 1.0
    now = datetime.datetime.now(datetime.UTC).astimezone()
    lines = [
        "# Benchmarks",
        "",
        "Produced by `make bench` (scripts/bench.py); rerun it to refresh this page.",
        "Server time is gunicorn's `%(D)s`: from reading the request to writing the response,",
        "so it includes Django, the SQL queries and the audit INSERT, not the network.",
        f"Budget (ARCHITECTURE.md): p95 under {BUDGET_MS} ms for the case page and search.",
        "",
        f"- Date: {now:%Y-%m-%d %H:%M %Z}",
        f"- Machine: {_machine()}",
        f"- PostgreSQL {_postgres_version(args.database_url)}, gunicorn with 2 sync workers, "
        f"Python {platform.python_version()}",
        f"- Data: `seed_demo --persons {args.persons} --seed 7`"
        + (f", seeded in {seed_seconds / 60:.1f} min" if seed_seconds else " (reused)"),
        f"- Load: {args.requests} sequential requests per page from one client; the worker is "
        f"{WORKER}, the manager {MANAGER}",
        "",
        "| page | requests | median ms | p95 ms | median × health |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {label} | {count} | {median:.1f} | {p95:.1f} | {median / baseline:.1f} |"
        for label, count, median, p95 in rows
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
