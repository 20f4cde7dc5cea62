"""Writes of the pharmacy (STYLE.md 2), by topic; this package re-exports the public services so ``pharmacy.services.<name>`` keeps working."""

from pharmacy.services.destruction import (
    DestructionLineInput,
    destruction_create,
)
from pharmacy.services.ledger import (
    prb_store_for,
)
from pharmacy.services.movements import (
    REVERSIBLE,
    LotQuantity,
    OpnameCountInput,
    ReceiptLineInput,
    stock_card_line_reverse,
    stock_opname_record,
    stock_receive,
    stock_return,
    stock_transfer,
    stock_write_off,
)
from pharmacy.services.prescriptions import (
    DispenseResult,
    PrescriptionLineInput,
    prescription_create,
    prescription_line_errors,
    stock_dispense,
)
from pharmacy.services.ven_classes import (
    ven_override_set,
)

__all__ = [
    "DestructionLineInput",
    "DispenseResult",
    "LotQuantity",
    "OpnameCountInput",
    "PrescriptionLineInput",
    "REVERSIBLE",
    "ReceiptLineInput",
    "destruction_create",
    "prb_store_for",
    "prescription_create",
    "prescription_line_errors",
    "stock_card_line_reverse",
    "stock_dispense",
    "stock_opname_record",
    "stock_receive",
    "stock_return",
    "stock_transfer",
    "stock_write_off",
    "ven_override_set",
]
