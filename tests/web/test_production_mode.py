"""Production mode refuses to start, with a clear message, on an unsafe configuration."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from brygga import production
from brygga.organisation.models import User

ROOT = Path(__file__).resolve().parents[2]


def _safe_config(**changes: Any) -> dict[str, Any]:
    config = {
        "DEMO": False,
        "DEBUG": False,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEMO_SECRET_KEY": settings.DEMO_SECRET_KEY,
        "DEMO_FIELD_KEY": settings.DEMO_FIELD_KEY,
        "SALT_KEY": [secrets.token_urlsafe(32)],
        "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "AUDIT_CHAIN_KEY": secrets.token_urlsafe(32),
        "DEMO_AUDIT_CHAIN_KEY": settings.DEMO_AUDIT_CHAIN_KEY,
        "REQUIRE_TWO_FACTOR": True,
        "ALLOWED_HOSTS": ["brygga.example.se"],
    }
    config.update(changes)
    return config


def _production_env(**changes: str) -> dict[str, str]:
    """A fully configured production environment (keys are random for each test run)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SECRET_", "FIELD_", "BLIND_", "AUDIT_"))
    }
    env.update(
        {
            "BRYGGA_MODE": "production",
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": secrets.token_urlsafe(32),
            "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
            "AUDIT_CHAIN_KEY": secrets.token_urlsafe(32),
            "ALLOWED_HOSTS": "brygga.example.se",
            "DJANGO_SETTINGS_MODULE": "brygga.settings",
        }
    )
    env.update(changes)
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_safe_configuration_has_no_problems() -> None:
    assert production.configuration_problems(_safe_config()) == []
    production.refuse_unsafe_production(_safe_config(), check_database=False)


def test_demo_mode_is_never_refused() -> None:
    production.refuse_unsafe_production(
        _safe_config(DEMO=True, DEBUG=True, REQUIRE_TWO_FACTOR=False), check_database=False
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"DEBUG": True}, "DEBUG is on"),
        ({"SECRET_KEY": settings.DEMO_SECRET_KEY}, "SECRET_KEY is the public demo key"),
        ({"SECRET_KEY": "kort-nyckel"}, "SECRET_KEY is too short"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY is too short or too simple"),
        ({"REQUIRE_TWO_FACTOR": False}, "Two-factor login is off"),
        ({"SALT_KEY": [settings.DEMO_FIELD_KEY]}, "FIELD_ENCRYPTION_KEYS is unset or holds"),
        (
            {"SALT_KEY": [secrets.token_urlsafe(32), settings.DEMO_FIELD_KEY]},
            "FIELD_ENCRYPTION_KEYS is unset or holds the demo key",
        ),
        ({"SALT_KEY": ["kort"]}, "FIELD_ENCRYPTION_KEYS holds a key shorter than"),
        ({"BLIND_INDEX_KEY": "brygga-demo-blind-index-key"}, "BLIND_INDEX_KEY is unset or"),
        ({"BLIND_INDEX_KEY": "kort"}, "BLIND_INDEX_KEY is shorter than"),
        ({"AUDIT_CHAIN_KEY": settings.DEMO_AUDIT_CHAIN_KEY}, "AUDIT_CHAIN_KEY is unset or"),
        ({"AUDIT_CHAIN_KEY": "kort"}, "AUDIT_CHAIN_KEY is shorter than"),
        ({"ALLOWED_HOSTS": ["*"]}, "ALLOWED_HOSTS"),
    ],
)
def test_each_unsafe_setting_is_refused_with_a_clear_message(
    changes: dict[str, Any], message: str
) -> None:
    problems = production.configuration_problems(_safe_config(**changes))
    assert len(problems) == 1
    assert message in problems[0]
    with pytest.raises(production.UnsafeProductionConfiguration) as refused:
        production.refuse_unsafe_production(_safe_config(**changes), check_database=False)
    assert "Brygga refuses to start in production mode" in str(refused.value)
    assert message in str(refused.value)


def test_every_problem_is_listed_at_once() -> None:
    config = _safe_config(DEBUG=True, REQUIRE_TWO_FACTOR=False)
    with pytest.raises(production.UnsafeProductionConfiguration) as refused:
        production.refuse_unsafe_production(config, check_database=False)
    assert len(refused.value.problems) == 2


def test_demo_users_in_the_database_are_refused(db: None) -> None:
    User.objects.create_user("demo.anna", is_demo=True)
    with pytest.raises(production.UnsafeProductionConfiguration) as refused:
        production.refuse_unsafe_production(_safe_config(), check_database=True)
    assert "demo users" in str(refused.value)


def test_a_database_without_demo_users_is_accepted(db: None) -> None:
    User.objects.create_user("anna.andersson", is_demo=False)
    production.refuse_unsafe_production(_safe_config(), check_database=True)


def test_the_refusal_stops_the_process_with_the_message_and_no_traceback() -> None:
    result = _manage(_production_env(DEBUG="True"), "check")
    assert result.returncode != 0
    assert "Brygga refuses to start in production mode" in result.stderr
    assert "DEBUG is on" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_with_the_demo_keys_refuses_to_start() -> None:
    env = _production_env()
    for key in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "AUDIT_CHAIN_KEY"):
        del env[key]
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is the public demo key" in result.stderr
    assert "FIELD_ENCRYPTION_KEYS is unset" in result.stderr
    assert "BLIND_INDEX_KEY is unset" in result.stderr
    assert "AUDIT_CHAIN_KEY is unset" in result.stderr


def test_a_fully_configured_production_passes_the_deployment_check(tmp_path: Path) -> None:
    env = _production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_wsgi_application_refuses_a_database_with_demo_users(tmp_path: Path) -> None:
    env = _production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert _manage(env, "migrate", "--noinput").returncode == 0
    create = (
        "import django; django.setup();"
        "from brygga.organisation.models import User;"
        "User.objects.create_user('demo.anna', is_demo=True)"
    )
    subprocess.run([sys.executable, "-c", create], cwd=ROOT, env=env, check=True, timeout=60)
    result = subprocess.run(
        [sys.executable, "-c", "import brygga.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "The database holds demo users" in result.stderr


def test_production_mode_turns_on_https_hsts_and_secure_cookies_and_never_skips_2fa() -> None:
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "DEMO_SKIP_TWO_FACTOR",
    ]
    script = f"from django.conf import settings; print([getattr(settings, n) for n in {names!r}])"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_production_env(DEMO_SKIP_TWO_FACTOR="True"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "[True, 31536000, True, True, False]"


def test_production_refuses_the_public_demo_key_among_the_fallback_keys():
    assert production.configuration_problems(_safe_config()) == []
    problems = production.configuration_problems(
        _safe_config(SECRET_KEY_FALLBACKS=[secrets.token_urlsafe(50), settings.DEMO_SECRET_KEY])
    )
    assert problems == [
        "SECRET_KEY_FALLBACKS holds the public demo key. Remove it (after rotate_field_keys)."
    ]


def test_production_refuses_a_short_fallback_key_but_accepts_a_real_old_one():
    old_key = secrets.token_urlsafe(50)
    assert production.configuration_problems(_safe_config(SECRET_KEY_FALLBACKS=[old_key])) == []
    problems = production.configuration_problems(_safe_config(SECRET_KEY_FALLBACKS=["kort"]))
    assert problems == ["SECRET_KEY_FALLBACKS holds a key shorter than 50 characters."]
