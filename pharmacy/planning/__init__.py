"""Medicine-need planning for PRB, KMK HK.01.07/MENKES/1645/2024 III.C.1 (Perencanaan).

Pure Python with no Django, so the formulas can be read and tested alone:

- ``consumption_plan``: metode konsumsi, A = (B + C + D) − E (III.C.1.a);
- ``simulate_fefo`` / ``usable_stock``: E counts only stock dispensed before it expires;
- ``morbidity_plan``: metode morbiditas, CT = (CE × T) + LTS + BS − Sisa Stok (III.C.1.b);
- ``proxy_consumption_plan``: metode kombinasi, (CA + CE) × T + BS − Sisa Stok (III.C.1.c);
- ``abc_by_usage`` / ``abc_by_investment``: analisis ABC;
- ``put_group`` / ``abc_ven_table``: analisis VEN and the ABC-VEN (PUT) combination;
- ``plan_by_method``: one medicine's plan by the method the pharmacist chose.

Invalid input raises ``ValueError`` (or ``TypeError`` for a wrong type, e.g. a float)
with an Indonesian message that can be shown to the pharmacist as is.
"""

from ._numbers import Quantity
from ._plan import PlanLine
from .abc import (
    DEFAULT_CUTOFFS,
    AbcBasis,
    AbcClass,
    AbcCutoffs,
    AbcResult,
    AbcRow,
    InvestmentItem,
    UsageItem,
    abc_analysis,
    abc_by_investment,
    abc_by_usage,
)
from .buffer import BufferBasis, BufferStock
from .consumption import (
    ConsumptionPlan,
    MonthlyUsage,
    UsageAverage,
    average_monthly_use,
    consumption_plan,
)
from .fefo import (
    DAYS_PER_MONTH,
    FefoResult,
    LotOutcome,
    StockLot,
    StockOnHand,
    simulate_fefo,
    usable_stock,
)
from .methods import METHODS, plan_by_method
from .morbidity import (
    PRB_DAYS_PER_MONTH,
    CaseLoad,
    MorbidityPlan,
    monthly_need_from_cases,
    morbidity_plan,
)
from .proxy import ProxyConsumptionPlan, ProxyFacility, proxy_consumption_plan
from .ven import (
    PUT_MATRIX,
    AbcVenRow,
    AbcVenTable,
    PutGroup,
    VenClass,
    abc_ven_table,
    put_group,
)

__all__ = [
    "DAYS_PER_MONTH",
    "DEFAULT_CUTOFFS",
    "PRB_DAYS_PER_MONTH",
    "PUT_MATRIX",
    "AbcBasis",
    "AbcClass",
    "AbcCutoffs",
    "AbcResult",
    "AbcRow",
    "AbcVenRow",
    "AbcVenTable",
    "BufferBasis",
    "BufferStock",
    "CaseLoad",
    "ConsumptionPlan",
    "FefoResult",
    "METHODS",
    "InvestmentItem",
    "LotOutcome",
    "MonthlyUsage",
    "MorbidityPlan",
    "PlanLine",
    "ProxyConsumptionPlan",
    "ProxyFacility",
    "PutGroup",
    "Quantity",
    "StockLot",
    "StockOnHand",
    "UsageAverage",
    "UsageItem",
    "VenClass",
    "abc_analysis",
    "plan_by_method",
    "abc_by_investment",
    "abc_by_usage",
    "abc_ven_table",
    "average_monthly_use",
    "consumption_plan",
    "monthly_need_from_cases",
    "morbidity_plan",
    "proxy_consumption_plan",
    "put_group",
    "simulate_fefo",
    "usable_stock",
]
