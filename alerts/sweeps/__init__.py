"""The daily sweeps, one module per sweep over the shared raiser (``raiser``); this package re-exports them so ``alerts.sweeps.<name>`` keeps working."""

from alerts.sweeps.digest import (
    digest_raise,
)
from alerts.sweeps.overdue import (
    alerts_sweep_overdue,
)
from alerts.sweeps.raiser import (
    SweepResult,
)
from alerts.sweeps.registry import (
    SWEEPS,
    sweep_facility_ids,
)
from alerts.sweeps.reminders import (
    reminders_send,
)
from alerts.sweeps.rereferral import (
    alerts_sweep_rereferral,
)
from alerts.sweeps.sle_review import (
    alerts_sweep_sle_review,
    sle_review_dates,
)
from alerts.sweeps.stock import (
    alerts_sweep_stock,
)

__all__ = [
    "SWEEPS",
    "SweepResult",
    "alerts_sweep_overdue",
    "alerts_sweep_rereferral",
    "alerts_sweep_sle_review",
    "alerts_sweep_stock",
    "digest_raise",
    "reminders_send",
    "sle_review_dates",
    "sweep_facility_ids",
]
