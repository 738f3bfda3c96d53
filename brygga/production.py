"""Production refuses to start with an unsafe configuration.

Two kinds of checks: the configuration itself (checked when settings load) and demo users
in the database (checked when the WSGI application starts, see brygga/wsgi.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MIN_SECRET_KEY_LENGTH = 50
MIN_FIELD_KEY_LENGTH = 32


class UnsafeProductionConfiguration(SystemExit):
    """Raised at start-up; SystemExit so the process stops with the message, not a traceback."""

    def __init__(self, problems: list[str]) -> None:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"Brygga refuses to start in production mode:\n{lines}")
        self.problems = problems


def configuration_problems(config: Mapping[str, Any]) -> list[str]:
    """What is unsafe about these settings for production (empty when all is well)."""
    problems = []
    if config["DEBUG"]:
        problems.append("DEBUG is on. Set DEBUG=False.")
    secret_key = config["SECRET_KEY"]
    if secret_key == config["DEMO_SECRET_KEY"]:
        problems.append("SECRET_KEY is the public demo key. Set a random SECRET_KEY.")
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH or len(set(secret_key)) < 5:
        problems.append(
            f"SECRET_KEY is too short or too simple (at least {MIN_SECRET_KEY_LENGTH} "
            "random characters)."
        )
    # An old key still accepted while rotating signs sessions and derives field keys as well:
    # the public demo key there is as bad as in SECRET_KEY.
    fallbacks = list(config.get("SECRET_KEY_FALLBACKS") or [])
    if config["DEMO_SECRET_KEY"] in fallbacks:
        problems.append(
            "SECRET_KEY_FALLBACKS holds the public demo key. Remove it (after rotate_field_keys)."
        )
    elif any(len(key) < MIN_SECRET_KEY_LENGTH for key in fallbacks):
        problems.append(
            f"SECRET_KEY_FALLBACKS holds a key shorter than {MIN_SECRET_KEY_LENGTH} characters."
        )
    if config["DEMO_FIELD_KEY"] in config["SALT_KEY"]:
        problems.append("FIELD_ENCRYPTION_KEYS is unset or holds the demo key.")
    elif any(len(key) < MIN_FIELD_KEY_LENGTH for key in config["SALT_KEY"]):
        problems.append(
            f"FIELD_ENCRYPTION_KEYS holds a key shorter than {MIN_FIELD_KEY_LENGTH} characters."
        )
    if config["BLIND_INDEX_KEY"].startswith("brygga-demo"):
        problems.append("BLIND_INDEX_KEY is unset or the demo key.")
    elif len(config["BLIND_INDEX_KEY"]) < MIN_FIELD_KEY_LENGTH:
        problems.append(f"BLIND_INDEX_KEY is shorter than {MIN_FIELD_KEY_LENGTH} characters.")
    if config["AUDIT_CHAIN_KEY"] == config["DEMO_AUDIT_CHAIN_KEY"]:
        problems.append("AUDIT_CHAIN_KEY is unset or the demo key.")
    elif len(config["AUDIT_CHAIN_KEY"]) < MIN_FIELD_KEY_LENGTH:
        problems.append(f"AUDIT_CHAIN_KEY is shorter than {MIN_FIELD_KEY_LENGTH} characters.")
    if "*" in config["ALLOWED_HOSTS"]:
        problems.append("ALLOWED_HOSTS holds '*'. Name the host names Brygga answers to.")
    if not config["REQUIRE_TWO_FACTOR"]:
        problems.append("Two-factor login is off. Remove REQUIRE_TWO_FACTOR=False.")
    return problems


def demo_users_problem() -> list[str]:
    from brygga.organisation.models import User

    if User.objects.filter(is_demo=True).exists():
        return [
            "The database holds demo users. Production must run on a database without demo data."
        ]
    return []


def refuse_unsafe_production(config: Mapping[str, Any], *, check_database: bool) -> None:
    if config["DEMO"]:
        return
    problems = configuration_problems(config)
    if check_database:
        problems += demo_users_problem()
    if problems:
        raise UnsafeProductionConfiguration(problems)
