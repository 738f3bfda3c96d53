"""What the demo builders share: the world they add to, the batch size and the demo password.

A leaf: each app's `demo.py` builder imports this, never the demo app; the demo app
(`brygga.demo`) imports the builders and runs them in order.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faker import Faker

    from brygga.organisation.models import Unit, User

DEMO_PASSWORD = "demo-brygga-2026"  # noqa: S105 - demo users exist only in demo mode
BATCH = 2000


@dataclass
class District:
    name: str
    slug: str
    unit: Unit
    manager: User
    workers: list[User]
    housing_support: User
    coordinator: User
    # The district's financial aid unit (ekonomiskt bistånd): grants money, in some districts
    # also the SHIS transitional flats (see brygga/support/demo.py's routes).
    financial_aid: Unit | None = None


@dataclass
class DemoWorld:
    rng: random.Random
    faker: Faker
    today: datetime.date
    persons: int
    progress: bool
    profile: str = "real"
    districts: list[District] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    # The synthetic approver of the demo's roles (four eyes, decision 0021).
    approver_id: int | None = None
