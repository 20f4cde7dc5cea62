"""Pharmacy pages by family (dispensing, stock, reports); this package re-exports the views so ``pharmacy.views.<name>`` keeps working for the URLconf."""

from pharmacy.views.dispensing import (
    dispense,
    home,
)
from pharmacy.views.reports import (
    abc_ven,
    claims,
    lplpo,
    planning_medicine,
    planning_view,
    ven,
)
from pharmacy.views.stock import (
    card,
    destruction_create,
    destruction_detail,
    destruction_list,
    district_stock,
    opname,
    receive,
    reverse_line,
    stock,
    stock_return,
    transfer,
    write_off,
)

__all__ = [
    "abc_ven",
    "card",
    "claims",
    "destruction_create",
    "destruction_detail",
    "destruction_list",
    "dispense",
    "district_stock",
    "home",
    "lplpo",
    "opname",
    "planning_medicine",
    "planning_view",
    "receive",
    "reverse_line",
    "stock",
    "stock_return",
    "transfer",
    "ven",
    "write_off",
]
