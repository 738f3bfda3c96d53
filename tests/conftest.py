"""Shared personas. Tests read as sentences about them:
the case's worker, the unit manager, a colleague in the same unit who is not on the case,
a worker from another district, the case's housing support worker, an administrator.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from brygga.cases.models import Case, CaseTeamMember, TeamRole
from brygga.organisation.models import Role, Unit, User
from tests.factories import UnitFactory, case_with_team, staff_member
from tests.postgres import postgres_only, real_commits, restore_truncate_trigger  # noqa: F401

# A busy CI machine makes per-example deadlines flaky; keep the default run short and let a
# deeper run be asked for: HYPOTHESIS_PROFILE=deep.
hypothesis_settings.register_profile("brygga", deadline=None, max_examples=60)
hypothesis_settings.register_profile("deep", deadline=None, max_examples=2000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "brygga"))

# Playwright's sync API runs an event loop; the ORM calls in browser tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


if os.environ.get("BRYGGA_TEST_DB_TEMPLATE"):
    # Mutation testing runs a pytest session per mutant: copying a migrated template database
    # takes a second where migrating takes minutes, and every session starts from the same
    # clean rows (a reused database would keep what a transactional test flushed).

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_blocker) -> None:
        from django.conf import settings
        from django.db import connections

        template = os.environ["BRYGGA_TEST_DB_TEMPLATE"]
        default = connections["default"]
        name = f"test_{default.settings_dict['NAME']}"
        with django_db_blocker.unblock():
            with default._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            default.close()
            settings.DATABASES["default"]["NAME"] = name
            default.settings_dict["NAME"] = name


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked `postgres` skip, with the reason shown, unless DATABASE_URL is PostgreSQL;
    with BRYGGA_REQUIRE_POSTGRES=1 (CI's PostgreSQL pass) they fail instead of skipping."""
    if item.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    if os.environ.get("BRYGGA_REQUIRE_POSTGRES") == "1":
        pytest.fail("BRYGGA_REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL")
    pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@dataclass
class Cast:
    sodermalm: Unit
    rinkeby: Unit
    case_worker: User
    unit_manager: User
    colleague: User
    other_district_worker: User
    other_district_manager: User
    housing_support: User
    administrator: User
    case: Case


@pytest.fixture
def cast(db: None) -> Cast:
    sodermalm = UnitFactory(name="Relationsvåldsteamet Södermalm")
    rinkeby = UnitFactory(name="Relationsvåldsteamet Rinkeby-Kista")
    case_worker = staff_member(Role.WORKER, sodermalm, username="case_worker")
    housing_support = staff_member(Role.HOUSING_SUPPORT, sodermalm, username="housing_support")
    case = case_with_team(sodermalm, case_worker)
    CaseTeamMember.objects.create(case=case, user=housing_support, role=TeamRole.HOUSING_SUPPORT)
    return Cast(
        sodermalm=sodermalm,
        rinkeby=rinkeby,
        case_worker=case_worker,
        unit_manager=staff_member(Role.MANAGER, sodermalm, username="unit_manager"),
        colleague=staff_member(Role.WORKER, sodermalm, username="colleague"),
        other_district_worker=staff_member(Role.WORKER, rinkeby, username="other_worker"),
        other_district_manager=staff_member(Role.MANAGER, rinkeby, username="other_manager"),
        housing_support=housing_support,
        administrator=staff_member(Role.ADMINISTRATOR, None, username="administrator"),
        case=case,
    )


def signed_in(user: User, client: Client | None = None) -> Client:
    """A client logged in with both factors, as after a real login."""
    client = client or Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def as_user():
    return signed_in
