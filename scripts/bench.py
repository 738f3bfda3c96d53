"""`make bench`: server times of the daily pages on PostgreSQL at 1 000 and 100 000 persons.

1. builds (or reuses, when already seeded) one database per data set: `<base>_1k` and
   `<base>_100k` with the real shape (`seed_demo --profile real`) and `<base>_heavy` with the
   stress shape (`--profile heavy`: few workers, thousands of open cases each);
2. per data set, starts gunicorn (2 workers) on a free port in demo mode (demo users skip the
   second factor) serving scripts/bench_wsgi.py, which adds each request's SQL query count;
3. logs in a demo worker and a manager through the real login form (CSRF and all);
4. sequential load: N requests per page, server time from gunicorn's access log (%(D)s:
   from reading the request to writing the response) — p50, p95, p99 and queries per page;
5. concurrent load: 16 client threads, first at the hello-world view (/health/), then at the
   case page: requests per second of each and their ratio, and errors;
6. prints the figures and the ratios p95(100k) / p95(1k), and writes docs/benchmarks.md
   (only the part between its bench markers; other sections stay).

A benchmark, not a test: nothing fails on a slow figure. Options: --requests, --fresh (rebuild
the databases), --sets, --heavy-persons, --database-url (the base name; must contain "bench").
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
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
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
BUDGET_MS = 50  # issue 11: p95 under 50 ms for every daily page at 100 000 persons
HEAVY_BUDGET_MS = 500
CLIENTS = 16
LOG_FORMAT = "%({x-bench}i)s %(s)s %(D)s %({x-bench-queries}o)s"
CASE_LINK = re.compile(r'href="/arenden/(\d+)/"')
IDENTITY = re.compile(r"<dd>(\d{8}-\d{4})</dd>")
PERSON_LINK = re.compile(r'href="/arenden/\d+/">([^<]+)</a>')
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


@dataclass(frozen=True)
class DataSet:
    label: str
    persons: int
    profile: str


@dataclass
class Page:
    label: str
    count: int
    p50: float
    p95: float
    p99: float
    queries: str


@dataclass
class Run:
    data: DataSet
    url: str
    seed_seconds: float | None
    pages: list[Page] = field(default_factory=list)
    throughput: dict[str, tuple[float, int]] = field(default_factory=dict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="per page, sequential")
    parser.add_argument("--concurrent-requests", type=int, default=400, help="per phase")
    parser.add_argument("--fresh", action="store_true", help="rebuild the databases")
    parser.add_argument("--sets", default="1k,100k,heavy", help="which data sets, in order")
    parser.add_argument("--heavy-persons", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    sets = {
        "1k": DataSet("1k", 1_000, "real"),
        "100k": DataSet("100k", 100_000, "real"),
        "heavy": DataSet("heavy", args.heavy_persons, "heavy"),
    }
    runs = []
    for label in args.sets.split(","):
        data = sets[label.strip()]
        url = f"{args.database_url}_{data.label}"
        seed_seconds = _prepare(url, data, fresh=args.fresh)
        run = Run(data, url, seed_seconds)
        _measure(run, args.requests, args.concurrent_requests)
        runs.append(run)
        _print(run)
    _print_ratios(runs)
    _write(args.output, runs, args)
    print(f"\nWritten to {args.output}")


def _env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "BRYGGA_MODE": "demo",
        "DEBUG": "False",
        "PYTHONUNBUFFERED": "1",
        # The benchmark searches far more often than a person would; lift the per-user limit.
        "SEARCH_RATE_LIMIT": "1000000",
    }


def _prepare(url: str, data: DataSet, *, fresh: bool) -> float | None:
    """Migrates and, unless already seeded, seeds; returns the seeding time."""
    env = _env(url)
    reuse = not fresh and _is_seeded(url)
    if not reuse:
        _recreate_database(url)
    print(f"[{data.label}] migrating …", flush=True)
    _manage(env, "migrate", "--noinput", "-v", "0")
    if reuse:
        print(f"[{data.label}] reusing the seeded database", flush=True)
        return None
    print(f"[{data.label}] seeding {data.persons} persons ({data.profile}, seed 7) …", flush=True)
    started = time.monotonic()
    _manage(
        env,
        "seed_demo",
        *("--persons", str(data.persons), "--seed", "7", "--profile", data.profile, "--progress"),
    )
    seconds = time.monotonic() - started
    print(f"[{data.label}] seeded in {seconds:.0f} s", flush=True)
    return seconds


def _measure(run: Run, n: int, concurrent: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        access_log = Path(tmp) / "access.log"
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
            [
                str(BIN / "gunicorn"),
                "bench_wsgi:application",
                "--pythonpath",
                f"{ROOT / 'scripts'},{ROOT}",
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
            env=_env(run.url),
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, server)
            labels, case_page = _drive(base, n)
            hello = _concurrently(base, concurrent, lambda s: s.get(base + "/health/", timeout=60))
            cases = _concurrently(base, concurrent, case_page)
            run.throughput = {"hello-world (/health/)": hello, "case page": cases}
            time.sleep(1)  # let gunicorn flush the access log
        finally:
            server.terminate()
            server.wait(timeout=30)
        run.pages = _pages(_server_times(access_log), labels)


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


def _drive(base: str, n: int) -> tuple[list[str], Callable[[requests.Session], object]]:
    """Sends n requests per page; returns the page labels in the order they were measured, and
    a function that requests the next case page (for the concurrent phase)."""
    worker, manager = _login(base, WORKER), _login(base, MANAGER)
    start = worker.get(base + "/", timeout=30).text
    case_ids = CASE_LINK.findall(start)
    names = PERSON_LINK.findall(start)
    if not case_ids:
        raise SystemExit(f"{WORKER} sees no cases")
    case_page = worker.get(f"{base}/arenden/{case_ids[0]}/", timeout=30).text
    identity = next(iter(IDENTITY.findall(case_page)), None)
    surname = names[0].split()[-1] if names else "Andersson"

    def search(session: requests.Session, query: str, label: str) -> None:
        response = session.post(
            base + "/sok/",
            data={"q": query, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": base + "/sok/", "X-Bench": label},
            timeout=60,
        )
        response.raise_for_status()

    cases = itertools.cycle(case_ids)
    timelines = itertools.cycle(case_ids)

    def get(session: requests.Session, url: str, label: str) -> None:
        session.get(url, headers={"X-Bench": label}, timeout=60).raise_for_status()

    anonymous = requests.Session()
    pages: list[tuple[str, Callable[[str], None]]] = [
        ("hello-world (/health/)", lambda label: get(anonymous, base + "/health/", label)),
        ("start page, worker", lambda label: get(worker, base + "/", label)),
        ("start page, manager", lambda label: get(manager, base + "/", label)),
        ("manager's overview", lambda label: get(manager, base + "/stod/oversikt/", label)),
        ("case page", lambda label: get(worker, f"{base}/arenden/{next(cases)}/", label)),
        (
            "timeline",
            lambda label: get(worker, f"{base}/arenden/{next(timelines)}/tidslinje/", label),
        ),
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

    lock = threading.Lock()

    def next_case_page(session: requests.Session) -> object:
        with lock:
            case_id = next(cases)
        return session.get(f"{base}/arenden/{case_id}/", timeout=60)

    return [label for label, _ in pages], next_case_page


def _concurrently(
    base: str, total: int, send: Callable[[requests.Session], object]
) -> tuple[float, int]:
    """CLIENTS threads, each with its own logged-in session, send `total` requests in all;
    returns requests per second and how many failed."""
    sessions = [_login(base, WORKER) for _ in range(CLIENTS)]
    for session in sessions:
        session.headers["X-Bench"] = "concurrent"
    counter = itertools.count()
    errors = [0]
    start_line = threading.Barrier(CLIENTS)

    def client(session: requests.Session) -> None:
        start_line.wait()
        while next(counter) < total:
            try:
                response = send(session)
                if getattr(response, "status_code", 500) >= 400:
                    errors[0] += 1
            except requests.RequestException:
                errors[0] += 1

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return total / (time.perf_counter() - began), errors[0]


def _server_times(access_log: Path) -> dict[str, list[tuple[float, str]]]:
    times: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for line in access_log.read_text().splitlines():
        parts = line.rsplit(" ", 3)
        if len(parts) != 4 or parts[0] in ("-", "login", "warm-up", "concurrent"):
            continue
        label, status, micros, queries = parts
        if status.startswith("2"):
            times[label].append((int(micros) / 1000, queries))
    return times


def _percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def _pages(times: dict[str, list[tuple[float, str]]], labels: list[str]) -> list[Page]:
    pages = []
    for label in labels:
        measured = times.get(label, [])
        if not measured:
            continue
        values = sorted(ms for ms, _ in measured)
        counts = sorted({int(q) for _, q in measured if q.isdigit()})
        queries = (
            "–"
            if not counts
            else str(counts[0])
            if len(counts) == 1
            else f"{counts[0]}–{counts[-1]}"
        )
        pages.append(
            Page(
                label,
                len(values),
                statistics.median(values),
                _percentile(values, 0.95),
                _percentile(values, 0.99),
                queries,
            )
        )
    return pages


def _print(run: Run) -> None:
    print(f"\n[{run.data.label}] {run.data.persons} persons, profile {run.data.profile}")
    print(f"{'page':<26}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'queries':>9}")
    for page in run.pages:
        print(
            f"{page.label:<26}{page.count:>6}{page.p50:>9.1f}{page.p95:>9.1f}{page.p99:>9.1f}"
            f"{page.queries:>9}"
        )
    for label, (rps, errors) in run.throughput.items():
        print(f"{CLIENTS} clients, {label}: {rps:.0f} requests/s, {errors} errors")
    if len(run.throughput) == 2:
        hello, case = (rps for rps, _ in run.throughput.values())
        print(f"case page rps / hello-world rps = {case / hello:.0%}")


def _ratios(runs: list[Run]) -> list[tuple[str, float, float, float]]:
    by_label = {run.data.label: {p.label: p for p in run.pages} for run in runs}
    small, large = by_label.get("1k"), by_label.get("100k")
    if not small or not large:
        return []
    return [
        (label, small[label].p95, large[label].p95, large[label].p95 / small[label].p95)
        for label in large
        if label in small and small[label].p95 > 0
    ]


def _print_ratios(runs: list[Run]) -> None:
    ratios = _ratios(runs)
    if ratios:
        print(f"\n{'page':<26}{'p95 1k':>9}{'p95 100k':>10}{'ratio':>8}")
        for label, small, large, ratio in ratios:
            print(f"{label:<26}{small:>9.1f}{large:>10.1f}{ratio:>8.2f}")


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


def _write(path: Path, runs: list[Run], args: argparse.Namespace) -> None:
    now = datetime.datetime.now(datetime.UTC).astimezone()
    lines = [
        BEGIN,
        "# Benchmarks",
        "",
        "Produced by `make bench` (scripts/bench.py); rerun it to refresh this part of the page",
        "(between the bench markers; other sections are kept). Server time is gunicorn's `%(D)s`:",
        "from reading the request to writing the response, so it includes Django, the SQL",
        "queries and the audit INSERT, not the network. Queries per page are counted by",
        "scripts/bench_wsgi.py. Targets (issue 11): p95 under "
        f"{BUDGET_MS} ms at 100 000 persons, p95(100k) / p95(1k) ≤ 1.25, the case page's",
        f"requests per second with {CLIENTS} clients ≥ 30 % of the hello-world view's; the heavy",
        f"profile under {HEAVY_BUDGET_MS} ms p95.",
        "",
        f"- Date: {now:%Y-%m-%d %H:%M %Z}",
        f"- Machine: {_machine()}",
        f"- PostgreSQL {_postgres_version(runs[0].url) if runs else '?'}, gunicorn with 2 sync "
        f"workers, Python {platform.python_version()}",
        f"- Sequential load: {args.requests} requests per page from one client after "
        f"{WARM_UP} warm-up requests; the worker is {WORKER}, the manager {MANAGER}. Concurrent "
        f"load: {CLIENTS} client threads, {args.concurrent_requests} requests per phase.",
    ]
    for run in runs:
        seeded = (
            f"seeded in {run.seed_seconds / 60:.1f} min" if run.seed_seconds else "reused database"
        )
        lines += [
            "",
            f"## {run.data.label}: `seed_demo --persons {run.data.persons} --profile "
            f"{run.data.profile} --seed 7` ({seeded})",
            "",
            "| page | requests | p50 ms | p95 ms | p99 ms | queries |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {p.label} | {p.count} | {p.p50:.1f} | {p.p95:.1f} | {p.p99:.1f} | {p.queries} |"
            for p in run.pages
        ]
        if run.throughput:
            lines.append("")
            for label, (rps, errors) in run.throughput.items():
                lines.append(f"- {CLIENTS} clients, {label}: {rps:.0f} requests/s, {errors} errors")
            if len(run.throughput) == 2:
                hello, case = (rps for rps, _ in run.throughput.values())
                lines.append(f"- case page ÷ hello-world: {case / hello:.0%}")
    ratios = _ratios(runs)
    if ratios:
        lines += [
            "",
            "## Cost with volume: p95 at 100 000 ÷ p95 at 1 000 persons",
            "",
            "| page | p95 1k ms | p95 100k ms | ratio |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| {label} | {a:.1f} | {b:.1f} | {r:.2f} |" for label, a, b, r in ratios]
    lines.append(END)
    old = path.read_text() if path.exists() else ""
    if BEGIN in old and END in old:
        before, rest = old.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
    else:
        before, after = "", ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(before + "\n".join(lines) + after + ("" if after else "\n"))


if __name__ == "__main__":
    main()
