"""`make soak`: 50 concurrent users for 10 minutes on PostgreSQL behind gunicorn; nothing lost.

1. recreates the database brygga_soak (any name containing "soak"), migrates and seeds it with
   fictional demo data (seed_demo);
2. starts gunicorn (4 sync workers) in demo mode, so demo users skip the second factor;
3. logs in 50 virtual users through the real login form, spread over the demo personas
   (social workers, unit managers, housing support workers in every district);
4. for --duration seconds each user, with a short think time, reads and writes as their
   persona would: start page, case pages, the journal, search, the manager's overview and log
   review, and journal drafts saved by autosave (writes);
5. reports requests, errors (any status >= 400 or a failed request), p50/p95/max per action,
   the resident memory of each gunicorn worker at the start and at the end, the number of
   drafts written and found in the database, and whether the audit chain verifies;
6. writes the result to its own section of docs/benchmarks.md.

Not a test and not in CI: it loads the machine for the whole duration. Run it with `nice`.
Options: --duration, --users, --persons, --database-url (or SOAK_DATABASE_URL), --no-write.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/brygga_soak"
DEMO_PASSWORD = "demo-brygga-2026"  # noqa: S105 - the public demo password
CASE_LINK = re.compile(r'href="/arenden/(\d+)/"')
SECTION = "## Soak test (reliability, `make soak`)"
WORKERS = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=600, help="seconds of load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--database-url", default=os.environ.get("SOAK_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "BRYGGA_MODE": "demo",
        "DEBUG": "False",
        "PYTHONUNBUFFERED": "1",
        "SEARCH_RATE_LIMIT": "100000",  # 50 simulated users search far more than people do
        "SESSION_IDLE_MINUTES": str(max(15, args.duration // 60 + 5)),
    }
    _recreate_database(args.database_url)
    print("Migrating and seeding …", flush=True)
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "seed_demo", "--persons", str(args.persons), "--seed", "3")
    personas = _personas(args.database_url)
    drafts_before = _count(args.database_url, "SELECT count(*) FROM journal_journalnote")

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        [
            str(BIN / "gunicorn"),
            "brygga.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server)
        result = asyncio.run(_soak(base, personas, args.users, args.duration, server.pid))
    finally:
        server.terminate()
        server.wait(timeout=60)

    drafts_after = _count(args.database_url, "SELECT count(*) FROM journal_journalnote")
    result.drafts_in_database = drafts_after - drafts_before
    result.chain = _verify_chain(env)
    _print(result)
    if not args.no_write:
        _write(args.output, result, args)
        print(f"\nWritten to {args.output}")
    if result.errors or not result.chain_ok or result.drafts_in_database != result.drafts_saved:
        raise SystemExit(1)


@dataclass
class Result:
    users: int = 0
    duration: float = 0.0
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    memory_start: dict[int, int] = field(default_factory=dict)  # pid -> RSS in kB
    memory_end: dict[int, int] = field(default_factory=dict)
    drafts_saved: int = 0
    drafts_in_database: int = 0
    chain: str = ""
    chain_ok: bool = False

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.times.values())


def _personas(url: str) -> dict[str, list[str]]:
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        names = [row[0] for row in conn.execute("SELECT username FROM organisation_user")]
    return {
        "worker": sorted(n for n in names if n.startswith("socsek")),
        "manager": sorted(n for n in names if n.startswith("chef.")),
        "housing_support": sorted(n for n in names if n.startswith("boendestod.")),
    }


def _count(url: str, sql: str) -> int:
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        row = conn.execute(sql).fetchone()  # type: ignore[arg-type]
        return int(row[0]) if row else 0


class User:
    """One simulated person at a browser: a session, their cases, and what they do."""

    def __init__(self, client: httpx.AsyncClient, persona: str, username: str, result: Result):
        self.client, self.persona, self.username, self.result = client, persona, username, result
        self.cases: list[str] = []

    async def _send(self, label: str, method: str, url: str, **kwargs) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, timeout=60, **kwargs)
        except httpx.HTTPError as exc:
            self.result.errors.append(f"{label}: {type(exc).__name__}")
            return None
        self.result.times[label].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            self.result.errors.append(f"{label}: HTTP {response.status_code}")
            return None
        return response

    def _csrf(self) -> dict[str, str]:
        return {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "Referer": str(self.client.base_url),
        }

    async def login(self) -> None:
        await self.client.get("/logga-in/")
        response = await self.client.post(
            "/logga-in/",
            data={
                "username": self.username,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": str(self.client.base_url) + "/logga-in/"},
            follow_redirects=True,
        )
        if "/logga-in" in str(response.url):
            raise SystemExit(f"Could not log in {self.username}")
        self.cases = CASE_LINK.findall(response.text)

    async def act(self) -> None:
        roll = random.random()
        case = random.choice(self.cases) if self.cases else None
        if self.persona == "manager":
            if roll < 0.3:
                await self._send("start page", "GET", "/")
            elif roll < 0.55:
                await self._send("unit overview", "GET", "/stod/oversikt/")
            elif roll < 0.7:
                await self._send("log review", "GET", "/loggkontroll/")
            elif case:
                await self._send("case page", "GET", f"/arenden/{case}/")
            return
        if self.persona == "housing_support" or not case:
            if roll < 0.4 or not case:
                await self._send("start page", "GET", "/")
            else:
                await self._send("case page", "GET", f"/arenden/{case}/")
            return
        if roll < 0.25:
            await self._send("start page", "GET", "/")
        elif roll < 0.55:
            await self._send("case page", "GET", f"/arenden/{case}/")
        elif roll < 0.67:
            await self._send("journal", "GET", f"/arenden/{case}/journal/")
        elif roll < 0.77:
            await self._send(
                "search", "POST", "/sok/", data={"q": "Andersson"}, headers=self._csrf()
            )
        else:
            text = f"Utkast från belastningstestet {time.strftime('%H:%M:%S')} (fiktivt)"
            response = await self._send(
                "journal draft (write)",
                "POST",
                f"/arenden/{case}/journal/autospara/",
                data={"title": "Belastningstest", "text": text},
                headers=self._csrf(),
            )
            if response is not None and "Utkast sparat" in response.text:
                self.result.drafts_saved += 1


async def _soak(
    base: str, personas: dict[str, list[str]], users: int, duration: int, master: int
) -> Result:
    result = Result(users=users)
    mix = ["worker"] * 6 + ["manager"] * 2 + ["housing_support"] * 2
    limits = httpx.Limits(max_connections=users * 2)
    clients, simulated = [], []
    for n in range(users):
        persona = mix[n % len(mix)]
        username = personas[persona][n % len(personas[persona])]
        client = httpx.AsyncClient(base_url=base, limits=limits, timeout=60)
        clients.append(client)
        simulated.append(User(client, persona, username, result))
    print(f"Logging in {users} users …", flush=True)
    for user in simulated:
        await user.login()
    for user in simulated:  # warm every worker before measuring memory
        await user.act()
    result.times.clear()
    result.errors.clear()  # drafts saved while warming up still count: they are in the database
    result.memory_start = _worker_memory(master)
    print(f"{users} users for {duration} s …", flush=True)
    deadline = time.monotonic() + duration
    started = time.monotonic()

    async def run(user: User) -> None:
        while time.monotonic() < deadline:
            await user.act()
            await asyncio.sleep(random.uniform(0.2, 1.0))  # think time

    await asyncio.gather(*(run(user) for user in simulated))
    result.duration = time.monotonic() - started
    result.memory_end = _worker_memory(master)
    for client in clients:
        await client.aclose()
    return result


def _worker_memory(master: int) -> dict[int, int]:
    """Resident memory (kB) of each gunicorn worker, from /proc."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    memory = {}
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                memory[int(pid)] = int(line.split()[1])
    return memory


def _verify_chain(env: dict[str, str]) -> str:
    commands = [["audit_verify"]]
    seal = ROOT / "brygga" / "audit" / "management" / "commands" / "audit_seal.py"
    if seal.exists():  # the batch sealer (decision 0080): seal what is pending, then verify
        commands.insert(0, ["audit_seal"])
    output = ""
    for command in commands:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        output = (done.stdout + done.stderr).strip()
        if done.returncode:
            return "FAILED: " + output
    return output


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _print(result: Result) -> None:
    result.chain_ok = not result.chain.startswith("FAILED")
    every = [v for values in result.times.values() for v in values]
    print(
        f"\n{result.requests} requests in {result.duration:.0f} s "
        f"({result.requests / max(result.duration, 1):.1f}/s), errors: {len(result.errors)}"
    )
    if every:
        print(f"all: p50 {statistics.median(every):.0f} ms, p95 {_percentile(every, 0.95):.0f} ms")
    for label, values in sorted(result.times.items()):
        print(
            f"  {label:<24}{len(values):>7}  p50 {statistics.median(values):>6.0f}  "
            f"p95 {_percentile(values, 0.95):>6.0f}  max {max(values):>6.0f} ms"
        )
    for pid in sorted(result.memory_start):
        print(
            f"  worker {pid}: {result.memory_start[pid] / 1024:.0f} MB → "
            f"{result.memory_end.get(pid, 0) / 1024:.0f} MB"
        )
    print(f"drafts saved {result.drafts_saved}, in the database {result.drafts_in_database}")
    print(f"audit chain: {result.chain.splitlines()[-1] if result.chain else '?'}")
    for error in sorted(set(result.errors))[:20]:
        print(f"  error: {error} × {result.errors.count(error)}")


def _write(output: Path, result: Result, args: argparse.Namespace) -> None:
    every = [v for values in result.times.values() for v in values]
    lines = [
        SECTION,
        "",
        f"Run {datetime.date.today():%Y-%m-%d} on {platform.node() or 'this machine'} "  # noqa: DTZ011
        f"({os.cpu_count()} cores, shared with other work), PostgreSQL, gunicorn with {WORKERS} "
        f"sync workers, {args.persons} fictional persons; {result.users} concurrent users "
        f"(60 % social workers, 20 % unit managers, 20 % housing support) for "
        f"{result.duration / 60:.1f} minutes, think time 0.2–1 s; client-side times "
        "(queueing included).",
        "",
        f"- requests: {result.requests} ({result.requests / max(result.duration, 1):.1f}/s); "
        f"**errors: {len(result.errors)}**",
        f"- all requests: p50 {statistics.median(every):.0f} ms, "
        f"**p95 {_percentile(every, 0.95):.0f} ms**"
        if every
        else "- no requests",
        f"- journal drafts saved by autosave: {result.drafts_saved}; found in the database "
        f"afterwards: {result.drafts_in_database}",
        f"- audit chain after the run: {result.chain.splitlines()[-1] if result.chain else '?'}",
        "",
        "| action | n | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, values in sorted(result.times.items()):
        lines.append(
            f"| {label} | {len(values)} | {statistics.median(values):.0f} | "
            f"{_percentile(values, 0.95):.0f} | {max(values):.0f} |"
        )
    lines += ["", "| gunicorn worker | RSS at start | RSS at end |", "|---|---:|---:|"]
    for n, pid in enumerate(sorted(result.memory_start), start=1):
        lines.append(
            f"| {n} | {result.memory_start[pid] / 1024:.0f} MB | "
            f"{result.memory_end.get(pid, 0) / 1024:.0f} MB |"
        )
    section = "\n".join(lines) + "\n"
    text = output.read_text() if output.exists() else "# Benchmarks\n"
    if SECTION in text:
        before, _, rest = text.partition(SECTION)
        after = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    output.write_text(text)


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
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or "soak" not in name:
        raise SystemExit(f"Refusing to drop {name!r}: the soak database must be named *soak*")
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
            if httpx.get(base + "/health/", timeout=10).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer")


if __name__ == "__main__":
    main()
