"""Dispensing throughput and CPU cost on PostgreSQL with 16 concurrent clients (not a test).

Run:  .venv/bin/python benchmarks/bench_dispensing.py [--clients 16] [--prescriptions 100]
      [--profile 40]

Builds a throw-away database (the project database's name + ``_bench_dispensing``) on
the same PostgreSQL server as the project (DATABASE_URL or the embedded server) and
migrates it. Two rounds:

- one store: every client dispenses at the same puskesmas, whose PRB store holds 3
  medicines in 4 lots each; all clients contend for the same balance rows, the worst
  case of a busy pharmacy;
- 16 stores: each client dispenses at its own puskesmas (the district on a busy morning).

Each client thread has its own connection and dispenses its own prescriptions (2
medicines each, FEFO over the lots) through ``pharmacy.services.stock_dispense``: every
call locks the prescription and the balance rows, writes the card lines (with their audit
triggers) and the balances. ``DEBUG`` is off, as in production. Prints prescriptions per
second, the Python CPU milliseconds per prescription (``time.thread_time`` around each
call, summed over the clients; the goal is 5 ms or less) and checks that the card still
sums to the balances. The database is dropped afterwards.

Measured (docs/pharmacy.md, *Throughput*; 2 shared vCPU under load): 12.9 ms (one store)
and 11.9 ms (16 stores) of CPU per prescription with ORM-compiled queries, 3.9 ms and
2.9 ms with the ledger's SQL written once.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prb.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--prescriptions", type=int, default=100, help="per client")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="profile the first client's dispenses (cProfile on thread CPU time) and print"
        " the N costliest functions (the profiler itself adds to the CPU figure)",
    )
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    from django.db import connection, connections

    settings.DEBUG = False  # as in production: no query log kept per cursor

    original = settings.DATABASES["default"]["NAME"]
    bench_database = f"{original}_bench_dispensing"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{bench_database}"')
        cursor.execute(f'CREATE DATABASE "{bench_database}"')
    connection.close()
    settings.DATABASES["default"]["NAME"] = bench_database
    connections["default"].settings_dict["NAME"] = bench_database
    try:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(args.clients, args.prescriptions, args.profile)
    finally:
        connections.close_all()
        settings.DATABASES["default"]["NAME"] = original
        connections["default"].settings_dict["NAME"] = original
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{bench_database}"')


def run(clients: int, per_client: int, profile: int = 0) -> None:
    from facilities.models import Province, Regency

    province = Province.objects.create(code="12", name="Sumatera Utara")
    regency = Regency.objects.create(province=province, code="1275", name="Kota Binjai")
    for stores in (1, clients):
        round_(regency, clients, per_client, stores, profile)


def round_(regency: Any, clients: int, per_client: int, stores: int, profile: int) -> None:
    from django.db import connection
    from django.db.models import F, Sum

    from accounts.models import User
    from facilities.models import Facility
    from patients.models import Patient
    from patients.validators import nik_birth_part
    from pharmacy import services
    from pharmacy.models import Medicine, StockBalance, StockCardLine

    medicines = list(
        Medicine.objects.filter(name__in=["Metformin", "Amlodipine"]).order_by("pk")[:3]
    )
    today = dt.date.today()
    total = clients * per_client
    birth = dt.date(1968, 4, 2)
    sites = []
    for site in range(stores):
        code = f"B{stores:02d}{site:03d}"
        puskesmas = Facility.objects.create(
            regency=regency, kind="puskesmas", name=f"Puskesmas {code}", kemenkes_code=code
        )
        doctor = User.objects.create(username=f"dokter{code}", role="dokter", facility=puskesmas)
        pharmacist = User.objects.create(
            username=f"farmasi{code}", role="farmasi", facility=puskesmas
        )
        store = services.prb_store_for(puskesmas.pk)
        services.stock_receive(
            actor=pharmacist,
            store=store,
            received_on=today,
            source="ifk",
            lines=[
                services.ReceiptLineInput(
                    medicine=medicine,
                    batch=f"B{code}-{medicine.pk}-{lot}",
                    expiry_date=today + dt.timedelta(days=300 + 90 * lot),
                    quantity=total * 30,  # ample: no prescription runs short
                )
                for medicine in medicines
                for lot in range(4)
            ],
        )
        sites.append((puskesmas, doctor, pharmacist, store))
    patients = Patient.objects.bulk_create(
        Patient(
            nik=f"127501{nik_birth_part(sex='M', birth_date=birth)}{stores:02d}{i:02d}",
            bpjs_number=f"{stores:04d}{i:09d}",
            name=f"Pasien {i}",
            sex="M",
            birth_date=birth,
            fktp=sites[i % stores][0],
        )
        for i in range(clients)
    )
    work = {
        client: [
            services.prescription_create(
                actor=sites[client % stores][1],
                patient=patients[client],
                prescribed_on=today,
                lines=[
                    services.PrescriptionLineInput(
                        medicine=medicines[(n + k) % len(medicines)], quantity=30
                    )
                    for k in range(2)
                ],
            )
            for n in range(per_client)
        ]
        for client in range(clients)
    }
    connection.close()

    barrier = threading.Barrier(clients + 1)
    errors: list[BaseException] = []
    cpu_seconds: list[float] = []
    profiler = cProfile.Profile(time.thread_time) if profile else None

    def client(number: int, prescriptions: list) -> None:  # type: ignore[type-arg]
        pharmacist = sites[number % stores][2]
        watch = profiler if number == 0 else None
        spent = 0.0
        try:
            barrier.wait()
            for prescription in prescriptions:
                before = time.thread_time()
                if watch is not None:
                    watch.enable()
                services.stock_dispense(actor=pharmacist, prescription=prescription)
                if watch is not None:
                    watch.disable()
                spent += time.thread_time() - before
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            cpu_seconds.append(spent)
            connection.close()

    threads = [threading.Thread(target=client, args=(c, work[c])) for c in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} clients failed, first: {errors[0]!r}")

    store_ids = [site[3].pk for site in sites]
    card_total = StockCardLine.objects.filter(store_id__in=store_ids).aggregate(
        t=Sum(F("quantity_in") - F("quantity_out"))
    )["t"]
    balance_total = StockBalance.objects.filter(store_id__in=store_ids).aggregate(
        t=Sum("quantity")
    )["t"]
    assert card_total == balance_total, (card_total, balance_total)
    dispensed = StockCardLine.objects.filter(store_id__in=store_ids, movement="dispense").count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    cpu_ms = 1000 * sum(cpu_seconds) / total
    print(
        f"PostgreSQL {version}, {clients} concurrent clients on {stores} store(s):"
        f" {total} prescriptions ({dispensed} card lines) in {elapsed:.2f} s ="
        f" {total / elapsed:.0f} prescriptions/s, {cpu_ms:.1f} ms Python CPU per prescription;"
        f" card sum {card_total} = balances {balance_total}."
    )
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(profile)


if __name__ == "__main__":
    main()
