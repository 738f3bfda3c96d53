"""Settings for the test suite: brygga.settings with a cheap Argon2.

Production's Argon2 costs ~100 MB and a noticeable fraction of a second per hash, by design.
Tests create several users each, so they hash with the same algorithm at the lowest cost.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher

from brygga.settings import *  # noqa: F403


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1


PASSWORD_HASHERS = ["tests.settings.CheapArgon2PasswordHasher"]

# Query counts stay exact: tests seal the audit chain explicitly (brygga.audit.chain.seal).
AUDIT_SEAL_EVERY_SECONDS = 0
# Fuzzing tests post the registration form many times as one user; the limit has its own tests
# (tests/cases/test_existence_oracle.py), which set it low.
REGISTRATION_RATE_LIMIT = 100_000
# Every test client logs in from 127.0.0.1: failed logins of unrelated tests would add up in a
# worker's cache. The per-address limit has its own tests, which set it low.
LOGIN_IP_FAILURE_LIMIT = 100_000
