"""The indicators computed from the source tables, in SQL, for puskesmas × programme × month.

One definition serves both the pre-aggregation (``compute_facts``, written to MonthlyFact by
dashboards.services) and the drill-down lists (``case_flags``): the patients behind a number
are the rows the number counts. Read-only: dashboards never write other apps' tables.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from dashboards import indicators as ind
from lib.months import month_end, month_start
from referrals import kmk


def reference_date(month: dt.date, today: dt.date) -> dt.date:
    """The day a month's figures describe: its last day, or today for the current month."""
    return min(month_end(month), today)


_CLOSED = ", ".join(f"'{status.value}'" for status in ind.CLOSED_STATUSES)
_KEYS = " ".join(
    f"WHEN '{program}' THEN ARRAY[{', '.join(repr(fact) for fact in rule.facts)}]"
    for program, rule in ind.CONTROL_RULES.items()
)
_OK = " ".join(f"WHEN '{program}' THEN {rule.sql}" for program, rule in ind.CONTROL_RULES.items())

MONTHS_CTE = """
months AS (
    SELECT m::date AS month,
           LEAST((m + interval '1 month' - interval '1 day')::date, %(today)s::date) AS d
    FROM unnest(%(months)s::date[]) AS m
)"""

# One row per case in care on a month's reference date, with the flags of every indicator.
CASE_FLAGS_SQL = f"""
WITH {MONTHS_CTE},
case_month AS (
    SELECT c.id AS case_id, c.patient_id, c.facility_id, c.program, c.enrolled_on,
           m.month, m.d
    FROM referrals_prbcase c
    JOIN months m ON c.enrolled_on <= m.d
    WHERE c.facility_id = ANY(%(facilities)s) AND c.program = ANY(%(programs)s)
      AND NOT (c.status IN ({_CLOSED}) AND COALESCE(c.status_changed_on, c.enrolled_on) <= m.d)
      AND NOT EXISTS (
          SELECT 1 FROM referrals_rereferral r
          WHERE r.case_id = c.id AND r.referred_on <= m.d
            AND (r.returned_on IS NULL OR r.returned_on > m.d))
),
flags AS (
    SELECT cm.*, lv.visit_date AS last_visit, rt.returned AS last_return, ctl.ok AS control_ok,
           GREATEST(lv.visit_date, cm.enrolled_on, rt.returned) AS anchor,
           CASE WHEN lv.visit_date IS NOT NULL AND lv.visit_date >= COALESCE(rt.returned, lv.visit_date)
                THEN lv.next_control_date
                ELSE COALESCE(rt.returned, cm.enrolled_on) + {ind.CONTROL_INTERVAL_DAYS}
           END AS due
    FROM case_month cm
    LEFT JOIN LATERAL (
        SELECT v.visit_date, v.next_control_date FROM referrals_controlvisit v
        WHERE v.case_id = cm.case_id AND v.visit_date <= cm.d
        ORDER BY v.visit_date DESC, v.id DESC LIMIT 1
    ) lv ON true
    LEFT JOIN LATERAL (
        SELECT max(r.returned_on) AS returned FROM referrals_rereferral r
        WHERE r.case_id = cm.case_id AND r.returned_on <= cm.d
    ) rt ON true
    LEFT JOIN LATERAL (
        SELECT CASE cm.program {_OK} ELSE false END AS ok
        FROM (SELECT v.visit_date, v.id, v.facts AS f FROM referrals_controlvisit v
              WHERE v.case_id = cm.case_id AND v.visit_date <= cm.d
                AND v.visit_date >= cm.d - {ind.LOOKBACK_DAYS}
                AND v.facts ?| (CASE cm.program {_KEYS} ELSE ARRAY[]::text[] END)) q
        ORDER BY q.visit_date DESC, q.id DESC LIMIT 1
    ) ctl ON true
)
SELECT case_id, patient_id, facility_id, program, month, d, enrolled_on, last_visit, due,
       (enrolled_on <= d - {ind.RETENTION_MIN_DAYS}) AS retention_base,
       (enrolled_on <= d - {ind.RETENTION_MIN_DAYS} AND last_visit >= d - {ind.LOOKBACK_DAYS}) AS retained,
       (anchor < d - {ind.LOOKBACK_DAYS}) AS ltfu,
       (due < d) AS overdue,
       COALESCE(control_ok, false) AS controlled
FROM flags
"""

CASE_AGGREGATE_SQL = f"""
SELECT facility_id, program, month, count(*) AS active,
       count(*) FILTER (WHERE retention_base) AS retention_base,
       count(*) FILTER (WHERE retained) AS retained,
       count(*) FILTER (WHERE ltfu) AS ltfu,
       count(*) FILTER (WHERE overdue) AS overdue,
       count(*) FILTER (WHERE controlled) AS controlled
FROM ({CASE_FLAGS_SQL}) flags
GROUP BY facility_id, program, month
"""

EVENTS_SQL = f"""
WITH {MONTHS_CTE}
SELECT kind, facility_id, program, month, count(*) FROM (
    SELECT 'new_back_referrals' AS kind, l.facility_id, l.program, m.month
    FROM referrals_backreferralletter l JOIN months m ON l.letter_date BETWEEN m.month AND m.d
    WHERE l.facility_id = ANY(%(facilities)s) AND l.program = ANY(%(programs)s)
    UNION ALL
    SELECT 'new_enrolments', c.facility_id, c.program, m.month
    FROM referrals_prbcase c JOIN months m ON c.enrolled_on BETWEEN m.month AND m.d
    WHERE c.facility_id = ANY(%(facilities)s) AND c.program = ANY(%(programs)s)
    UNION ALL
    SELECT 'rereferrals', c.facility_id, c.program, m.month
    FROM referrals_rereferral r JOIN referrals_prbcase c ON c.id = r.case_id
    JOIN months m ON r.referred_on BETWEEN m.month AND m.d
    WHERE c.facility_id = ANY(%(facilities)s) AND c.program = ANY(%(programs)s)
    UNION ALL
    SELECT 'returns', c.facility_id, c.program, m.month
    FROM referrals_rereferral r JOIN referrals_prbcase c ON c.id = r.case_id
    JOIN months m ON r.returned_on BETWEEN m.month AND m.d
    WHERE c.facility_id = ANY(%(facilities)s) AND c.program = ANY(%(programs)s)
) events
GROUP BY kind, facility_id, program, month
"""

_DISPENSING_STORE = "s.kind IN ('prb', 'depot')"

# Units per puskesmas × medicine × month: usable on the reference date, and expiring in
# the 90 days after it. Lot balances never go below zero (pharmacy III.C.6), so the sum of
# a lot's card lines is its balance.
STOCK_SQL = f"""
WITH {MONTHS_CTE}
SELECT s.facility_id, l.medicine_id, m.month,
       COALESCE(sum(l.quantity_in - l.quantity_out) FILTER (WHERE lo.expiry_date > m.d), 0),
       COALESCE(sum(l.quantity_in - l.quantity_out) FILTER (
           WHERE lo.expiry_date > m.d AND lo.expiry_date <= m.d + {ind.EXPIRY_WINDOW_DAYS}), 0)
FROM pharmacy_stockcardline l
JOIN pharmacy_store s ON s.id = l.store_id
JOIN pharmacy_lot lo ON lo.id = l.lot_id
JOIN months m ON l.date <= m.d
WHERE {_DISPENSING_STORE} AND s.facility_id = ANY(%(facilities)s)
GROUP BY s.facility_id, l.medicine_id, m.month
"""

# Days with a positive closing balance per puskesmas × tracer medicine × month: the card's
# running balance as intervals [start, stop), overlapped with [month start, reference date].
STOCKED_DAYS_SQL = f"""
WITH {MONTHS_CTE},
changes AS (
    SELECT s.facility_id, l.medicine_id, l.date, sum(l.quantity_in - l.quantity_out) AS delta
    FROM pharmacy_stockcardline l JOIN pharmacy_store s ON s.id = l.store_id
    WHERE {_DISPENSING_STORE} AND s.facility_id = ANY(%(facilities)s)
      AND l.medicine_id = ANY(%(medicines)s) AND l.date <= %(today)s::date
    GROUP BY s.facility_id, l.medicine_id, l.date
),
running AS (
    SELECT facility_id, medicine_id, date AS start,
           COALESCE(lead(date) OVER w, DATE '9999-12-31') AS stop,
           sum(delta) OVER w AS balance
    FROM changes
    WINDOW w AS (PARTITION BY facility_id, medicine_id ORDER BY date)
)
SELECT r.facility_id, r.medicine_id, m.month,
       sum(LEAST(r.stop, m.d + 1) - GREATEST(r.start, m.month)) AS stocked_days
FROM running r JOIN months m ON r.start <= m.d AND r.stop > m.month
WHERE r.balance > 0
GROUP BY r.facility_id, r.medicine_id, m.month
"""

# The readiness checklist as recorded on the reference date: the current row for the
# current month, the latest pghistory snapshot before the day ended for past months.
READINESS_SQL = f"""
WITH {MONTHS_CTE}
SELECT r.facility_id, r.program, m.month, 'current', r.available
FROM referrals_facilityreadiness r JOIN months m ON m.d >= %(today)s::date
WHERE r.facility_id = ANY(%(facilities)s) AND r.program = ANY(%(programs)s)
UNION ALL (
SELECT DISTINCT ON (e.facility_id, e.program, m.month)
       e.facility_id, e.program, m.month, e.pgh_label, e.available
FROM referrals_facilityreadinessevent e
JOIN months m ON m.d < %(today)s::date
     AND e.pgh_created_at < ((m.d + 1)::timestamp AT TIME ZONE 'Asia/Jakarta')
WHERE e.facility_id = ANY(%(facilities)s) AND e.program = ANY(%(programs)s)
ORDER BY e.facility_id, e.program, m.month, e.pgh_created_at DESC, e.pgh_id DESC)
"""

FACT_FIELDS = (
    "active",
    "new_back_referrals",
    "new_enrolments",
    "retention_base",
    "retained",
    "ltfu",
    "overdue",
    "controlled",
    "rereferrals",
    "returns",
    "tracer_total",
    "tracer_in_stock",
    "stockout_days",
    "expiring_value",
    "readiness_items",
    "readiness_available",
)


@dataclass
class FactRow:
    facility_id: int
    program: str
    month: dt.date
    as_of: dt.date
    values: dict[str, Any] = field(default_factory=dict)


def _params(
    facility_ids: Iterable[int], programs: Iterable[str], months: Sequence[dt.date], today: dt.date
) -> dict[str, Any]:
    return {
        "facilities": list(facility_ids),
        "programs": list(programs),
        "months": [month_start(m) for m in months],
        "today": today,
    }


def _fetch(sql: str, params: dict[str, Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def tracer_medicines() -> list[tuple[int, list[str], Decimal]]:
    return _fetch(
        "SELECT id, programs, price FROM pharmacy_medicine WHERE is_tracer AND is_active", {}
    )


def compute_facts(
    *,
    facility_ids: Sequence[int],
    programs: Sequence[str],
    months: Sequence[dt.date],
    today: dt.date,
) -> list[FactRow]:
    """Every fact of every facility × programme × month asked for (zeros included)."""
    params = _params(facility_ids, programs, months, today)
    rows: dict[tuple[int, str, dt.date], FactRow] = {}
    for facility_id in facility_ids:
        for program in programs:
            for month in params["months"]:
                row = FactRow(facility_id, program, month, reference_date(month, today))
                row.values = dict.fromkeys(FACT_FIELDS, 0)
                row.values["expiring_value"] = Decimal(0)
                row.values["readiness_items"] = len(kmk.RESOURCES[program])
                rows[(facility_id, program, month)] = row
    if not rows:
        return []

    for facility_id, program, month, *counts in _fetch(CASE_AGGREGATE_SQL, params):
        values = rows[(facility_id, program, month)].values
        names = ("active", "retention_base", "retained", "ltfu", "overdue", "controlled")
        values.update(zip(names, counts, strict=True))
    for kind, facility_id, program, month, count in _fetch(EVENTS_SQL, params):
        rows[(facility_id, program, month)].values[kind] = count

    # Medicines: per medicine first, then into each programme the medicine serves.
    all_medicines = {
        pk: (programs_, price)
        for pk, programs_, price in _fetch("SELECT id, programs, price FROM pharmacy_medicine", {})
    }
    tracers = {pk: progs for pk, progs, _price in tracer_medicines()}
    tracer_count: dict[str, int] = defaultdict(int)
    for progs in tracers.values():
        for program in progs:
            tracer_count[program] += 1
    stocked_days: dict[tuple[int, int, dt.date], int] = {
        (f, m, month): days
        for f, m, month, days in _fetch(STOCKED_DAYS_SQL, {**params, "medicines": list(tracers)})
    }
    usable: dict[tuple[int, int, dt.date], int] = {}
    for facility_id, medicine_id, month, usable_units, expiring_units in _fetch(STOCK_SQL, params):
        usable[(facility_id, medicine_id, month)] = usable_units
        if expiring_units > 0:
            progs, price = all_medicines[medicine_id]
            for program in progs:
                target = rows.get((facility_id, program, month))
                if target is not None:
                    target.values["expiring_value"] += price * expiring_units
    for (facility_id, program, month), row in rows.items():
        days_in_period = (row.as_of - month).days + 1
        row.values["tracer_total"] = tracer_count.get(program, 0)
        for medicine_id, progs in tracers.items():
            if program not in progs:
                continue
            if usable.get((facility_id, medicine_id, month), 0) > 0:
                row.values["tracer_in_stock"] += 1
            stocked = stocked_days.get((facility_id, medicine_id, month), 0)
            row.values["stockout_days"] += max(days_in_period - stocked, 0)

    for facility_id, program, month, label, available in _fetch(READINESS_SQL, params):
        if label == "delete":
            continue
        if isinstance(available, str):  # Django leaves jsonb undecoded in raw queries
            available = json.loads(available)
        codes = {code for code, _text in kmk.RESOURCES[program]}
        rows[(facility_id, program, month)].values["readiness_available"] = len(
            codes & set(available or [])
        )
    return list(rows.values())


@dataclass(frozen=True)
class CaseFlags:
    case_id: int
    patient_id: int
    facility_id: int
    program: str
    month: dt.date
    as_of: dt.date
    enrolled_on: dt.date
    last_visit: dt.date | None
    due: dt.date | None
    retention_base: bool
    retained: bool
    ltfu: bool
    overdue: bool
    controlled: bool


def case_flags(
    *, facility_ids: Sequence[int], programs: Sequence[str], month: dt.date, today: dt.date
) -> list[CaseFlags]:
    """The cases in care on the month's reference date with each indicator's flag."""
    params = _params(facility_ids, programs, [month], today)
    return [
        CaseFlags(*row)
        for row in _fetch(CASE_FLAGS_SQL + " ORDER BY program, enrolled_on, case_id", params)
    ]
