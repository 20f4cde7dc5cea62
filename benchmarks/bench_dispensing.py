"""Dispensing throughput on PostgreSQL with 16 concurrent clients (not a test).

Run:  .venv/bin/python benchmarks/bench_dispensing.py [--clients 16] [--prescriptions 100]

Builds a throw-away database (``prb_bench_dispensing``) on the same PostgreSQL server
as the project (DATABASE_URL or the embedded server), migrates it, and stocks one
puskesmas's PRB store with 3 medicines in 4 lots each. Each client thread has its own
connection and dispenses its own prescriptions (2 medicines each, FEFO over the shared
lots) through ``pharmacy.services.stock_dispense``: every call locks the prescription and
the balance rows, writes the card lines (with their audit triggers) and the balances.
All clients contend for the same balance rows, the worst case of a busy pharmacy.
Prints prescriptions dispensed per second and checks that the card still sums to the
balances. The database is dropped afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prb.settings")

BENCH_DATABASE = "prb_bench_dispensing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--prescriptions", type=int, default=100, help="per client")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    from django.db import connection, connections

    original = settings.DATABASES["default"]["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')
        cursor.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    connection.close()
    settings.DATABASES["default"]["NAME"] = BENCH_DATABASE
    connections["default"].settings_dict["NAME"] = BENCH_DATABASE
    try:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(args.clients, args.prescriptions)
    finally:
        connections.close_all()
        settings.DATABASES["default"]["NAME"] = original
        connections["default"].settings_dict["NAME"] = original
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')


def run(clients: int, per_client: int) -> None:
    from django.db import connection
    from django.db.models import F, Sum

    from accounts.models import User
    from facilities.models import Facility, Province, Regency
    from patients.models import Patient
    from patients.validators import nik_birth_part
    from pharmacy import services
    from pharmacy.models import Medicine, StockBalance, StockCardLine

    province = Province.objects.create(code="12", name="Sumatera Utara")
    regency = Regency.objects.create(province=province, code="1275", name="Kota Binjai")
    puskesmas = Facility.objects.create(
        regency=regency, kind="puskesmas", name="Puskesmas Bench", kemenkes_code="PBENCH"
    )
    doctor = User.objects.create(username="dokter", role="dokter", facility=puskesmas)
    pharmacist = User.objects.create(username="farmasi", role="farmasi", facility=puskesmas)
    birth = dt.date(1968, 4, 2)
    patients = Patient.objects.bulk_create(
        Patient(
            nik=f"127501{nik_birth_part(sex='M', birth_date=birth)}{i:04d}",
            bpjs_number=f"{i:013d}",
            name=f"Pasien {i}",
            sex="M",
            birth_date=birth,
            fktp=puskesmas,
        )
        for i in range(clients)
    )
    medicines = list(
        Medicine.objects.filter(name__in=["Metformin", "Amlodipine"]).order_by("pk")[:3]
    )
    store = services.prb_store_for(puskesmas.pk)
    total = clients * per_client
    today = dt.date.today()
    services.stock_receive(
        actor=pharmacist,
        store=store,
        received_on=today,
        source="ifk",
        lines=[
            services.ReceiptLineInput(
                medicine=medicine,
                batch=f"B{medicine.pk}-{lot}",
                expiry_date=today + dt.timedelta(days=300 + 90 * lot),
                quantity=total * 30,  # ample: no prescription runs short
            )
            for medicine in medicines
            for lot in range(4)
        ],
    )
    work = {
        client: [
            services.prescription_create(
                actor=doctor,
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

    def client(prescriptions: list) -> None:  # type: ignore[type-arg]
        try:
            barrier.wait()
            for prescription in prescriptions:
                services.stock_dispense(actor=pharmacist, prescription=prescription)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(work[c],)) for c in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} clients failed, first: {errors[0]!r}")

    card_total = StockCardLine.objects.filter(store=store).aggregate(
        t=Sum(F("quantity_in") - F("quantity_out"))
    )["t"]
    balance_total = StockBalance.objects.filter(store=store).aggregate(t=Sum("quantity"))["t"]
    assert card_total == balance_total, (card_total, balance_total)
    dispensed = StockCardLine.objects.filter(store=store, movement="dispense").count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"PostgreSQL {version}, {clients} concurrent clients: {total} prescriptions"
        f" ({dispensed} card lines) in {elapsed:.2f} s = {total / elapsed:.0f} prescriptions/s,"
        f" {dispensed / elapsed:.0f} card lines/s; card sum {card_total} = balances {balance_total}."
    )


if __name__ == "__main__":
    main()
