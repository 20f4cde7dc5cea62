"""Time the daily alert sweeps over 200,000 active PRB cases.

Run:  .venv/bin/python benchmarks/bench_sweeps.py [--cases 200000] [--facilities 200]
                                                  [--processes N] [--regenerate] [--full]

Generates (once, by COPY) a district in a DEDICATED database ``prb_bench_alerts`` on the
same PostgreSQL server as the settings (never the development or test database):
``--facilities`` puskesmas each with a Pustu and a PRB store of 20 medicines,
``--cases`` cases in care (DM, HT, SLE, COPD) with three monthly visits each,
control dates 60% in the next 30 days and 40% overdue by 1 to 120 days, 30% of patients
consenting to reminders, one medicine below minimum in 10% of the stores, one
out of stock in 5%, lots expiring or expired; readings mostly on target (stable
patients, II.B) with the tail that triggers re-referral criteria.

Then it runs every daily sweep (overdue, re-referral, stock, SLE review,
reminders) for every puskesmas, exactly as the Celery tasks do, first on an
empty alert table and then again (the idempotent re-run of the next day or of a
redelivered task), and prints the wall time of each. ``--processes N`` (default: the
number of CPUs, Celery's default worker concurrency) splits the facilities over N
processes as the worker's pool does; ``--processes 1`` runs them one after the other.
The goal: the daily sweeps finish in under 60 seconds. The figure is in docs/alerts.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prb.settings")

BENCH_DB = "prb_bench_alerts"
AS_OF = dt.date(2026, 11, 10)
DAILY = ["overdue", "rereferral", "stock", "sle_review", "reminders"]
FULL = False  # --full: the re-referral sweep evaluates every case, reusing no stored verdict


def _use_bench_database() -> None:
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = BENCH_DB
    settings.DATABASES["default"].pop("TEST", None)
    import django

    django.setup()


def _server_connection():  # type: ignore[no-untyped-def]
    import psycopg
    from django.conf import settings

    params = settings.DATABASES["default"]
    return psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"],
        password=params.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def _create_database(*, regenerate: bool) -> bool:
    """Create the benchmark database; False when it exists with data and no regeneration is asked."""
    with _server_connection() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if exists and not regenerate:
            return False
        if exists:
            conn.execute(f'DROP DATABASE "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return True


def _copy(cursor, model, rows) -> None:  # type: ignore[no-untyped-def]
    """COPY dict rows into the model's table; missing fields take their default."""
    from django.contrib.postgres.fields import ArrayField
    from django.db.models import JSONField

    now = dt.datetime.now(dt.UTC)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)

    def value(field, row):  # type: ignore[no-untyped-def]
        if field.attname in row:
            v = row[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            v = now
        elif field.has_default():
            v = field.get_default()
        elif field.null:
            v = None
        else:
            v = ""
        if isinstance(field, JSONField) and v is not None:
            return json.dumps(v)
        if isinstance(field, ArrayField) and v is not None:
            return "{" + ",".join(v) + "}"
        return v

    with cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([value(f, row) for f in fields])


def _new_ids(cursor, model, after: int) -> list[int]:  # type: ignore[no-untyped-def]
    cursor.execute(f"SELECT id FROM {model._meta.db_table} WHERE id > %s ORDER BY id", [after])
    return [row[0] for row in cursor.fetchall()]


def _max_id(cursor, model) -> int:  # type: ignore[no-untyped-def]
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
    return cursor.fetchone()[0]


ENROLLED = dt.datetime(2025, 6, 1, 3, tzinfo=dt.UTC)


def _birth_date(i: int) -> dt.date:
    return dt.date(1950 + i % 40, 1 + i % 12, 1 + i % 28)


def generate(*, cases: int, facilities: int, seed: int = 1645) -> None:
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from eligibility.rules import evaluate
    from facilities.models import Facility, Province, Regency
    from patients.models import Patient
    from pharmacy.models import Lot, Medicine, StockBalance, StockCardLine, Store
    from referrals.models import ControlVisit, PrbCase

    rng = random.Random(seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    province = Province.objects.create(code="12", name="Sumatera Utara")
    regency = Regency.objects.create(province=province, code="1275", name="Kota Bench")
    puskesmas = Facility.objects.bulk_create(
        Facility(
            regency=regency, kind="puskesmas", name=f"Puskesmas {i:03d}", kemenkes_code=f"P{i:05d}"
        )
        for i in range(facilities)
    )
    pustus = Facility.objects.bulk_create(
        Facility(
            regency=regency,
            kind="pustu",
            parent=p,
            name=f"Pustu {i:03d}",
            kemenkes_code=f"U{i:05d}",
        )
        for i, p in enumerate(puskesmas)
    )
    user = User.objects.create(username="bench", role="dokter", facility=puskesmas[0])
    medicines = Medicine.objects.bulk_create(
        Medicine(
            name=f"Obat {i:02d}",
            strength="10 mg",
            form="tablet",
            programs=["DM", "HT"],
            price=100,
        )
        for i in range(20)
    )
    stores = Store.objects.bulk_create(
        Store(facility=p, kind="prb", name="Gudang PRB") for p in puskesmas
    )
    lots = Lot.objects.bulk_create(
        [
            Lot(medicine=m, batch=f"L{m.pk}-A", expiry_date=AS_OF + dt.timedelta(days=400))
            for m in medicines
        ]
        + [
            Lot(medicine=m, batch=f"L{m.pk}-B", expiry_date=AS_OF + dt.timedelta(days=60))
            for m in medicines[:3]
        ]
        + [
            Lot(medicine=m, batch=f"L{m.pk}-C", expiry_date=AS_OF - dt.timedelta(days=5))
            for m in medicines[3:4]
        ]
    )
    balances, lines = [], []
    for store in stores:
        for lot in lots:
            # Medicine 0 nearly empty in 10% of the stores, medicine 2 out of stock in 5%.
            index = medicines.index(lot.medicine)
            quantity = 5000
            if index == 0 and store.pk % 10 == 0:
                quantity = 40
            if index == 2 and store.pk % 20 == 0:
                continue
            balances.append(
                StockBalance(store=store, lot=lot, medicine=lot.medicine, quantity=quantity)
            )
            lines.append(
                StockCardLine(
                    store=store,
                    medicine=lot.medicine,
                    lot=lot,
                    date=AS_OF - dt.timedelta(days=150),
                    movement="receipt",
                    quantity_in=quantity + 3 * 900,
                    balance_after=quantity + 3 * 900,
                    user=user,
                )
            )
            for month in range(3):
                lines.append(
                    StockCardLine(
                        store=store,
                        medicine=lot.medicine,
                        lot=lot,
                        date=AS_OF.replace(day=15) - dt.timedelta(days=30 * (month + 1)),
                        movement="dispense",
                        quantity_out=900,
                        balance_after=quantity + (2 - month) * 900,
                        user=user,
                    )
                )
    StockBalance.objects.bulk_create(balances, batch_size=5000)
    StockCardLine.objects.bulk_create(lines, batch_size=5000)

    programs = ["DM"] * 45 + ["HT"] * 45 + ["SLE"] * 5 + ["COPD"] * 5
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("SET session_replication_role = replica")  # no audit triggers for bulk load
        before = _max_id(cursor, Patient)

        def patient_rows():  # type: ignore[no-untyped-def]
            for i in range(cases):
                f = i % facilities
                consent = rng.random() < 0.3
                yield {
                    "nik": f"1275{i:012d}",
                    "bpjs_number": f"{i:013d}",
                    "name": f"Pasien {i}",
                    "sex": "M" if i % 2 else "F",
                    "birth_date": _birth_date(i),
                    "created_at": ENROLLED,
                    "updated_at": ENROLLED,
                    "phone": f"0812{i:08d}" if consent else "",
                    "reminder_consent": consent,
                    "fktp_id": puskesmas[f].pk,
                    "pustu_id": pustus[f].pk if i % 3 == 0 else None,
                }

        _copy(cursor, Patient, patient_rows())
        patient_ids = _new_ids(cursor, Patient, before)
        before = _max_id(cursor, PrbCase)
        plan = []

        def case_rows():  # type: ignore[no-untyped-def]
            for i, patient_id in enumerate(patient_ids):
                f = i % facilities
                program = programs[i % len(programs)]
                # 60% on schedule (due in the next 30 days), 40% overdue by 1-120 days:
                # KMK BAB I counts only 60.68% of referred-back patients still active.
                overdue = rng.random() < 0.4
                due = AS_OF + dt.timedelta(
                    days=-rng.randint(1, 120) if overdue else rng.randint(0, 30)
                )
                regimen = [
                    {
                        "medicine": m.pk,
                        "name": m.name,
                        "strength": m.strength,
                        "signa": "1x1",
                        "quantity": 30,
                    }
                    for m in rng.sample(medicines[:6], 2)
                ]
                plan.append((program, due, "M" if i % 2 else "F", _birth_date(i)))
                yield {
                    "patient_id": patient_id,
                    "program": program,
                    "facility_id": puskesmas[f].pk,
                    "status": "active",
                    "enrolled_on": dt.date(2025, 6, 1),
                    "baseline_on": dt.date(2025, 6, 1),
                    "baseline_facts": {},
                    "current_regimen": regimen,
                    "next_control_date": due,
                    "next_hospital_review": (
                        AS_OF + dt.timedelta(days=rng.randint(-20, 60))
                        if program == "SLE"
                        else None
                    ),
                }

        _copy(cursor, PrbCase, case_rows())
        case_ids = _new_ids(cursor, PrbCase, before)

        def visit_rows():  # type: ignore[no-untyped-def]
            for case_id, (program, due, sex, birth_date) in zip(case_ids, plan, strict=True):
                history: list[dict] = []
                for months_back in (3, 2, 1):
                    visit_date = due - dt.timedelta(days=30 * months_back)
                    # Patients referred back are stable (II.B): most readings stay on target.
                    if program == "DM":
                        facts = {
                            "fpg_mg_dl": round(min(max(rng.gauss(112, 14), 70), 400)),
                            "hba1c_percent": round(min(max(rng.gauss(6.5, 0.4), 4.5), 14), 1),
                        }
                    elif program == "HT":
                        facts = {
                            "sbp": round(min(max(rng.gauss(128, 8), 90), 220)),
                            "dbp": round(min(max(rng.gauss(80, 5), 50), 130)),
                        }
                    elif program == "SLE":
                        facts = {"sledai_2k": 0 if rng.random() < 0.97 else 4}
                    else:
                        facts = {"deterioration": rng.random() < 0.01}
                    history.append({"date": visit_date.isoformat(), "facts": facts})
                    evaluation: dict = {}
                    if months_back == 1:
                        # What referrals.services.visit_record stores with a visit: the
                        # criteria over the window ending at it (only the latest visit's
                        # verdict is read by the sweep, so only it is computed here).
                        evaluation = evaluate(
                            {
                                "mode": "re_referral",
                                "program": program,
                                "as_of": visit_date.isoformat(),
                                "patient": {"sex": sex, "birth_date": birth_date.isoformat()},
                                "baseline": {},
                                "visits": history,
                            }
                        )
                    yield {
                        "case_id": case_id,
                        "visit_date": visit_date,
                        "facts": facts,
                        "adherence": "good",
                        "warnings": [],
                        "evaluation": evaluation,
                        "next_control_date": visit_date + dt.timedelta(days=30),
                        "outcome": evaluation.get("outcome", "continue"),
                        "recorded_by_id": user.pk,
                        "created_at": dt.datetime.combine(visit_date, dt.time(3), tzinfo=dt.UTC),
                    }

        _copy(cursor, ControlVisit, visit_rows())
        cursor.execute("SET session_replication_role = DEFAULT")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"generated {cases} cases at {facilities} puskesmas in {time.perf_counter() - started:.1f} s"
    )


def _run_facilities(args: tuple[str, list[int]]) -> dict[str, int]:
    from django.db import connections

    from alerts import sweeps

    sweep, facility_ids = args
    connections.close_all()
    totals: dict[str, int] = {}
    options = {"full": True} if FULL and sweep == "rereferral" else {}
    for facility_id in facility_ids:
        result = sweeps.SWEEPS[sweep](facility_id=facility_id, as_of=AS_OF, **options)
        for key, value in result.as_dict().items():
            totals[key] = totals.get(key, 0) + value
    return totals


def run_sweeps(*, processes: int, label: str) -> float:
    from django.db import connections

    from alerts import sweeps

    total = 0.0
    for sweep in DAILY:
        facility_ids = sweeps.sweep_facility_ids(sweep)
        connections.close_all()
        started = time.perf_counter()
        if processes > 1:
            shares = [(sweep, facility_ids[i::processes]) for i in range(processes)]
            with get_context("fork").Pool(processes) as pool:
                parts = pool.map(_run_facilities, shares)
            result: dict[str, int] = {}
            for part in parts:
                for key, value in part.items():
                    result[key] = result.get(key, 0) + value
        else:
            result = _run_facilities((sweep, facility_ids))
        elapsed = time.perf_counter() - started
        total += elapsed
        print(f"  {label} {sweep:<11} {elapsed:6.1f} s  {result}")
    print(f"  {label} total       {total:6.1f} s")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--facilities", type=int, default=200)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--full", action="store_true", help="re-evaluate every case")
    options = parser.parse_args()
    global FULL
    FULL = options.full

    import logging

    from django.conf import settings

    settings.DATABASES  # noqa: B018 — load the settings before switching the database name
    _use_bench_database()
    logging.getLogger("prb.reminders").setLevel(logging.WARNING)
    if _create_database(regenerate=options.regenerate):
        generate(cases=options.cases, facilities=options.facilities)
    from alerts.models import Alert, Reminder
    from referrals.models import IN_CARE_STATUSES, PrbCase

    Alert.objects.all().delete()
    Reminder.objects.all().delete()
    active = PrbCase.objects.filter(status__in=IN_CARE_STATUSES).count()
    print(
        f"{active} cases in care; as of {AS_OF}; {options.processes} process(es)"
        + ("; full re-referral evaluation" if FULL else "")
    )
    first = run_sweeps(processes=options.processes, label="first run ")
    second = run_sweeps(processes=options.processes, label="second run")
    print(f"alerts: {Alert.objects.count()}, reminders: {Reminder.objects.count()}")
    print(f"daily sweeps: first run {first:.1f} s, second run {second:.1f} s (goal < 60 s)")


if __name__ == "__main__":
    main()
