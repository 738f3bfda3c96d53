"""`AnyOf(field, subquery)`: `field = ANY(ARRAY(subquery))` on PostgreSQL, `field IN (subquery)`
elsewhere.

An `IN (subquery)` OR-ed with another condition becomes a hashed subplan that PostgreSQL can only
test row by row: it reads the whole table (every case of the city, to find a unit's). The
subquery as an array is computed once, before the scan (an InitPlan), so `= ANY(...)` is an
index condition and the OR a BitmapOr of two index scans, with a row estimate from the array
instead of a guess of half the table (docs/decisions/0121).
"""

from __future__ import annotations

from typing import Any

from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any_of"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
