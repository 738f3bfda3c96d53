"""The access matrix's world (a case with every persona around it) for the other URL walks."""

from tests.access.test_matrix import world  # noqa: F401
