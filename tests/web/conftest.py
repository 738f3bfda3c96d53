import pytest
from django.core.cache import cache

from tests.access.test_matrix import world  # noqa: F401 - the URL walks' world (fuzzing)


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Rate-limit counters live in the cache; each test starts from zero."""
    cache.clear()
