"""Writes of the dashboards app: the monthly facts (its own table only)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db import connection, transaction
from django.utils import timezone

from dashboards import facts
from dashboards.indicators import MONTHS_KEPT
from dashboards.models import DirtyMonth, MonthlyFact
from facilities.models import Facility
from lib.months import add_months_first_day, month_start, months_between
from patients.programs import Program

ALL_PROGRAMS = tuple(Program.values)


def first_kept_month(today: dt.date) -> dt.date:
    return add_months_first_day(month_start(today), -(MONTHS_KEPT - 1))


def puskesmas_ids() -> list[int]:
    return list(
        Facility.objects.filter(kind=Facility.Kind.PUSKESMAS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def facts_refresh(
    *,
    facility_ids: Sequence[int],
    months: Sequence[dt.date],
    programs: Sequence[str] = ALL_PROGRAMS,
    today: dt.date | None = None,
) -> int:
    """Recompute and replace the facts of these puskesmas × programmes × months."""
    today = today or timezone.localdate()
    months = [m for m in (month_start(m) for m in months) if m <= today]
    if not facility_ids or not months or not programs:
        return 0
    rows = facts.compute_facts(
        facility_ids=facility_ids, programs=programs, months=months, today=today
    )
    objects = [
        MonthlyFact(
            facility_id=row.facility_id,
            program=row.program,
            month=row.month,
            as_of=row.as_of,
            **row.values,
        )
        for row in rows
    ]
    for obj in objects:
        obj.full_clean(exclude=["facility"], validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        MonthlyFact.objects.filter(
            facility_id__in=facility_ids, program__in=programs, month__in=months
        ).delete()
        MonthlyFact.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


def facts_refresh_dirty(*, today: dt.date | None = None) -> int:
    """Recompute the months the triggers queued, from the earliest one to the current month.

    The queue rows are claimed (deleted) in the same transaction as the new facts: if the
    computation fails, they stay queued; rows queued meanwhile wait for the next run.
    """
    today = today or timezone.localdate()
    first_kept = first_kept_month(today)
    pkm = set(puskesmas_ids())
    written = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {DirtyMonth._meta.db_table} RETURNING facility_id, program, month"
            )
            claimed = cursor.fetchall()
        start: dict[tuple[int, str], dt.date] = {}
        for facility_id, program, month in claimed:
            if facility_id not in pkm or program not in ALL_PROGRAMS:
                continue
            key = (facility_id, program)
            start[key] = min(start.get(key, month), month)
        # One computation per starting month: the facilities and programmes that start there.
        by_start: dict[dt.date, tuple[set[int], set[str]]] = defaultdict(lambda: (set(), set()))
        for (facility_id, program), month in start.items():
            month = max(month, first_kept)
            if month > today:
                continue
            by_start[month][0].add(facility_id)
            by_start[month][1].add(program)
        for month, (facility_ids, programs) in sorted(by_start.items()):
            written += facts_refresh(
                facility_ids=sorted(facility_ids),
                programs=sorted(programs),
                months=months_between(month, today),
                today=today,
            )
    return written


def facts_refresh_current(*, today: dt.date | None = None) -> int:
    """The current month's figures describe today: recompute them (and last month's, so
    its final figures are those of its last day) for every puskesmas."""
    today = today or timezone.localdate()
    months = [add_months_first_day(month_start(today), -1), month_start(today)]
    return facts_refresh(facility_ids=puskesmas_ids(), months=months, today=today)


def facts_rebuild(*, months: int = MONTHS_KEPT, today: dt.date | None = None) -> int:
    """Everything from scratch: every puskesmas, programme and kept month; empties the queue."""
    today = today or timezone.localdate()
    first = add_months_first_day(month_start(today), -(months - 1))
    ids = puskesmas_ids()
    written = 0
    with transaction.atomic():
        DirtyMonth.objects.all().delete()
        MonthlyFact.objects.exclude(facility_id__in=ids).delete()
        MonthlyFact.objects.filter(month__lt=first).delete()
        # A few puskesmas at a time keeps the memory of the month × case join small.
        for start in range(0, len(ids), 10):
            written += facts_refresh(
                facility_ids=ids[start : start + 10],
                months=months_between(first, today),
                today=today,
            )
    return written
