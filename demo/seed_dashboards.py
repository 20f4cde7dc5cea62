"""Demo district dashboards: the monthly facts of every demo puskesmas, 24 months back.

Runs after the referral and pharmacy seeds (it summarises their cases, visits and stock).
Idempotent: a rebuild replaces the facts and empties the refresh queue.
"""

from __future__ import annotations

from dashboards import services
from demo.world import DemoWorld


def seed(world: DemoWorld) -> None:
    services.facts_rebuild()
