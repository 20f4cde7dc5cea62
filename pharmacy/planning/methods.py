"""One medicine's plan by the method the pharmacist chose (III.C.1.a-c).

The caller reads the store's usage history and remaining stock; this module only
picks the formula and builds its inputs from the form's answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .buffer import BufferStock
from .consumption import ConsumptionPlan, MonthlyUsage, consumption_plan
from .fefo import StockOnHand
from .morbidity import CaseLoad, MorbidityPlan, morbidity_plan
from .proxy import ProxyConsumptionPlan, ProxyFacility, proxy_consumption_plan

METHODS = ("consumption", "morbidity", "proxy")


def _case_loads(data: Mapping[str, Any]) -> list[CaseLoad]:
    if (
        data.get("cases_label")
        and data.get("cases_per_month") is not None
        and data.get("units_per_case") is not None
    ):
        return [CaseLoad(data["cases_label"], data["cases_per_month"], data["units_per_case"])]
    return []


def plan_by_method(
    data: Mapping[str, Any],
    *,
    history: Sequence[MonthlyUsage],
    remaining_stock: StockOnHand | Any,
) -> ConsumptionPlan | MorbidityPlan | ProxyConsumptionPlan:
    """``data``: method, period_months, lead_time_months, buffer_months and, for the
    morbidity and proxy methods, the case group and the proxy facility's figures."""
    shared: dict[str, Any] = {
        "buffer_stock": BufferStock.months_of_use(data["buffer_months"]),
        "remaining_stock": remaining_stock,
        "period_months": data["period_months"],
    }
    cases = _case_loads(data)
    if data["method"] == "morbidity":
        if not cases:
            raise ValueError(
                "Isi kelompok kasus, jumlah kasus per bulan, dan jumlah obat per kasus."
            )
        return morbidity_plan(cases, lead_time_months=data["lead_time_months"], **shared)
    if data["method"] == "proxy":
        proxy = None
        if data.get("proxy_name"):
            proxy = ProxyFacility(
                data["proxy_name"],
                data.get("proxy_average") or 0,
                data.get("proxy_coverage") or 1,
                data.get("own_coverage") or 0,
            )
        return proxy_consumption_plan(
            usage_history=None if proxy else history,
            proxy_facility=proxy,
            new_cases=cases,
            **shared,
        )
    return consumption_plan(history, lead_time_months=data["lead_time_months"], **shared)
