"""One address trying passwords on many accounts is stopped, not only one account (issue 14)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from brygga.organisation.models import Role
from tests.factories import UnitFactory, staff_member
from tests.organisation.conftest import PASSWORD, log_in_with_password

pytestmark = pytest.mark.django_db
WRONG = "fel-losenord-123456"


@override_settings(LOGIN_IP_FAILURE_LIMIT=6, AXES_FAILURE_LIMIT=5)
def test_one_address_failing_on_many_accounts_is_locked_out_across_accounts(client: Client):
    unit = UnitFactory()
    accounts = [staff_member(Role.WORKER, unit, username=f"konto{i}") for i in range(4)]
    # Two wrong passwords per account: below axes' per-account limit, over the address's.
    for account in accounts[:3]:
        for _ in range(2):
            assert log_in_with_password(client, account.username, WRONG).status_code == 200
    response = log_in_with_password(client, accounts[3].username, PASSWORD)
    assert response.status_code == 429
    assert "Kontot är tillfälligt låst" in response.content.decode()
    assert client.session.get("_auth_user_id") is None


@override_settings(LOGIN_IP_FAILURE_LIMIT=6, AXES_FAILURE_LIMIT=5)
def test_another_address_still_logs_in(client: Client):
    unit = UnitFactory()
    accounts = [staff_member(Role.WORKER, unit, username=f"konto{i}") for i in range(4)]
    for account in accounts[:3]:
        for _ in range(2):
            log_in_with_password(client, account.username, WRONG)
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    response = log_in_with_password(elsewhere, accounts[3].username, PASSWORD)
    assert response.status_code == 302
    assert elsewhere.session.get("_auth_user_id") == str(accounts[3].pk)


def test_the_default_limit_per_address_is_higher_than_per_account(settings):
    from brygga import settings as production_defaults

    assert production_defaults.LOGIN_IP_FAILURE_LIMIT == 20
    assert production_defaults.LOGIN_IP_FAILURE_LIMIT > production_defaults.AXES_FAILURE_LIMIT
