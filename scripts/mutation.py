"""Mutation testing of the modules that decide the most, each against its own app's tests.

Usage: .venv/bin/python scripts/mutation.py [module-substring ...]

MUTATION_ONLY="pattern ..." runs only the mutants whose names match (fnmatch, e.g.
"*x_role_requests_to_decide__mutmut_*"): after adding tests, rerun the survivors of a
module without its whole run. MUTATION_CHILDREN sets mutmut's parallel children (default 2).

For each target this copies the working tree into var/mutation/<name>/, configures mutmut
(mutmut 3 reads one [tool.mutmut] section, so each target needs its own copy), runs it and
prints the share of mutants killed. Not part of `make test` or CI: it takes minutes per module.
Equivalent mutants that no test can kill are marked in the source with
`# pragma: no mutate` and a one-line reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"
MUTMUT = ROOT / ".venv" / "bin" / "mutmut"

# (module, the tests that own it). New rule modules join this list in the issue that adds them.
TARGETS: list[tuple[str, list[str]]] = [
    ("brygga/support/rules.py", ["tests/support"]),
    ("brygga/access/policy.py", ["tests/access"]),
    ("brygga/people/identity.py", ["tests/people", "tests/cases"]),
    ("brygga/audit/chain.py", ["tests/audit"]),
    ("brygga/support/signal_rules.py", ["tests/support"]),
    ("brygga/stats/disclosure.py", ["tests/stats"]),
    ("brygga/housing/rules.py", ["tests/housing"]),
    ("brygga/retention/rules.py", ["tests/retention"]),
    ("brygga/partners/rules.py", ["tests/partners"]),
]

# The audit chain's sealer and its lock are PostgreSQL's: on SQLite a third of the module would
# be mutated but never run. Its mutants run on PostgreSQL, one at a time (each pytest session
# copies a migrated template database into the same test database).
POSTGRES_TARGETS = {"brygga/audit/chain.py"}
POSTGRES_URL = os.environ.get(
    "MUTATION_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/brygga_mutation"
)

CONFIG = """
[tool.mutmut]
source_paths = ["brygga"]
only_mutate = ["{module}"]
pytest_add_cli_args_test_selection = {tests}
pytest_add_cli_args = ["-p", "no:xdist", "-p", "no:warnings", "-m", "not browser"]
also_copy = ["manage.py", "locale", "scripts"]
# mutmut limits each mutant's CPU time (not wall time, so a busy machine does not count):
# (tests' time + 10 s) x 5 x 2. A mutant that loops for ever is stopped as a timeout there.
timeout_multiplier = 5.0
timeout_constant = 10.0
"""


def prepare(module: str, tests: list[str]) -> Path:
    name = Path(module).with_suffix("").as_posix().replace("/", ".")
    copy = WORK / name
    shutil.rmtree(copy, ignore_errors=True)
    ignore = shutil.ignore_patterns(
        ".venv", "node_modules", "var", ".git", "mutants", "__pycache__"
    )
    shutil.copytree(ROOT, copy, ignore=ignore, symlinks=True)
    if (ROOT / "node_modules").exists():
        (copy / "node_modules").symlink_to((ROOT / "node_modules").resolve())
    with (copy / "pyproject.toml").open("a") as config:
        config.write(CONFIG.format(module=module, tests=json.dumps(tests)))
    return copy


def migrated_template(url: str, tree: Path) -> str:
    """A database `<name>_template` migrated from `tree` (the copy under test) to copy."""
    parts = urlparse(url)
    template = parts.path.lstrip("/") + "_template"
    psql = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    psql += ["-U", parts.username or "postgres", "-d", "postgres", "-qc"]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{template}"'], check=True)  # noqa: S603
    subprocess.run([*psql, f'CREATE DATABASE "{template}"'], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=tree,
        env={**os.environ, "DATABASE_URL": parts._replace(path="/" + template).geturl()},
        check=True,
    )
    return template


def run(module: str, tests: list[str]) -> dict[str, int]:
    copy = prepare(module, tests)
    children = os.environ.get("MUTATION_CHILDREN", "2")
    only = os.environ.get("MUTATION_ONLY", "").split()
    env = dict(os.environ)
    if module in POSTGRES_TARGETS:
        children = "1"
        template = migrated_template(POSTGRES_URL, copy)
        env.update(
            DATABASE_URL=POSTGRES_URL,
            BRYGGA_REQUIRE_POSTGRES="1",
            BRYGGA_TEST_DB_TEMPLATE=template,
        )
    with (copy / "mutmut.log").open("w") as log:
        finished = subprocess.run(  # noqa: S603 - our own tool, fixed arguments
            [str(MUTMUT), "run", "--max-children", children, *only],
            cwd=copy,
            env=env,
            check=False,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    if finished.returncode != 0:
        # A failing clean run (a red test in the selection) mutates nothing: never report it
        # as a score.
        raise SystemExit(f"mutmut failed for {module}: see {copy / 'mutmut.log'}")
    subprocess.run([str(MUTMUT), "export-cicd-stats"], cwd=copy, check=True)  # noqa: S603
    stats = json.loads((copy / "mutants" / "mutmut-cicd-stats.json").read_text())
    survivors = subprocess.run(  # noqa: S603
        [str(MUTMUT), "results"], cwd=copy, capture_output=True, text=True, check=False
    ).stdout
    (copy / "survivors.txt").write_text(survivors)
    return stats


def main(selected: list[str]) -> None:
    rows = []
    for module, tests in TARGETS:
        if selected and not any(s in module for s in selected):
            continue
        if not (ROOT / module).exists():
            print(f"skip {module}: not in this tree yet")
            continue
        stats = run(module, tests)
        killed = stats.get("killed", 0) + stats.get("timeout", 0)
        total = killed + stats.get("survived", 0) + stats.get("no_tests", 0)
        share = 100.0 * killed / total if total else 0.0
        rows.append((module, killed, total, share))
        print(f"{module}: {killed}/{total} killed ({share:.0f} %)", flush=True)
    print("\nmodule                                    killed   share")
    for module, killed, total, share in rows:
        print(f"{module:<40} {killed:>4}/{total:<4} {share:5.1f} %")
    print(f"\nSurvivors per module: {WORK}/<module>/survivors.txt")


if __name__ == "__main__":
    main(sys.argv[1:])
