"""The nightly ledger reconciliation: every balance recomputed from the stock card.

KMK III.C.6 makes the stock card (kartu stok) the record; ``StockBalance`` is its running
total, kept by the pharmacy services under row locks. The database refuses rewriting or
emptying the card (pharmacy.models), so a difference can only come from a write around
PRB (a restore, a hand-edited row). Each difference raises one alert for the facility's
pharmacy staff; the alert resolves itself once the figures agree again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from alerts.models import Alert
from alerts.services import PHARMACY_ROLES, AlertDraft, alerts_raise, alerts_resolve
from pharmacy.models import Lot, Store
from pharmacy.selectors import stock_ledger_differences


@dataclass
class ReconcileResult:
    differences: int = 0
    raised: int = 0
    resolved: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"differences": self.differences, "raised": self.raised, "resolved": self.resolved}


def alerts_reconcile_ledger() -> ReconcileResult:
    """Compare every store's balances with its stock card; alert on each difference."""
    differences = stock_ledger_differences()
    stores = Store.objects.in_bulk({d.store_id for d in differences})
    lots = Lot.objects.select_related("medicine").in_bulk({d.lot_id for d in differences})
    drafts = []
    for d in differences:
        store, lot = stores[d.store_id], lots[d.lot_id]
        body = _(
            "Recorded balance %(balance)s, stock card total %(card)s; %(lines)s card lines "
            "carry a wrong running balance. Check the stock card and count the lot."
        ) % {"balance": d.balance, "card": d.card_total, "lines": d.wrong_lines}
        drafts.append(
            AlertDraft(
                facility_id=d.facility_id,
                kind=Alert.Kind.LEDGER_MISMATCH,
                # The figures are part of the key: a difference that changes is a new alert.
                key=f"{d.store_id}:{d.lot_id}:{d.balance}:{d.card_total}:{d.wrong_lines}",
                title=_(
                    "Stock card and balance disagree: %(medicine)s, batch %(batch)s (%(store)s)"
                )
                % {"medicine": lot.medicine, "batch": lot.batch, "store": store.name},
                body=body,
                link=reverse("pharmacy:card", args=[store.pk, lot.medicine_id]),
                roles=PHARMACY_ROLES,
                severity=Alert.Severity.URGENT,
            )
        )
    result = ReconcileResult(differences=len(differences))
    result.raised = len(alerts_raise(drafts=drafts))
    keep: dict[int, list[str]] = {}
    for draft in drafts:
        keep.setdefault(draft.facility_id, []).append(draft.key)
    open_facilities = set(
        Alert.objects.unresolved()
        .filter(kind=Alert.Kind.LEDGER_MISMATCH)
        .values_list("facility_id", flat=True)
    )
    for facility_id in sorted(open_facilities):
        result.resolved += alerts_resolve(
            facility_id=facility_id,
            kind=Alert.Kind.LEDGER_MISMATCH,
            keep_keys=keep.get(facility_id, []),
        )
    return result
