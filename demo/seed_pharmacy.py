"""Demo PRB stock: the formulary, a PRB store per puskesmas with lots received from the
IFK (some near expiry), six months of dispensing at the first two puskesmas (so the
stock card, LPLPO, planning and ABC/VEN pages have history), a depot of the partner
apotek at the first puskesmas, and a few prescriptions waiting at the pharmacy.

Idempotent: a store that already has stock-card lines is left alone.
"""

import contextlib
import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.audit import audit_context
from demo.world import DemoWorld
from facilities.models import Facility
from lib.months import add_months_first_day
from patients.models import Patient
from pharmacy.formulary import load_formulary
from pharmacy.models import Medicine, StockCardLine, Store
from pharmacy.services import ledger, movements, prescriptions

# (name, strength, units received per month, average units per prescription)
STOCKED = [
    ("Metformin", "500 mg", 900, 90),
    ("Glimepiride", "2 mg", 300, 30),
    ("Amlodipine", "5 mg", 900, 30),
    ("Amlodipine", "10 mg", 300, 30),
    ("Captopril", "25 mg", 300, 60),
    ("Bisoprolol", "5 mg", 150, 30),
    ("Simvastatin", "20 mg", 300, 30),
    ("Acetylsalicylic acid", "80 mg", 300, 30),
    ("Clopidogrel", "75 mg", 150, 30),
    ("Salbutamol", "4 mg", 150, 90),
    ("Phenytoin", "100 mg", 180, 90),
    ("Risperidone", "2 mg", 120, 60),
    ("Methylprednisolone", "4 mg", 120, 60),
]
HISTORY_MONTHS = 6


def seed(world: DemoWorld) -> None:
    with audit_context(user=None):
        load_formulary(Medicine)
        rng = random.Random(1645)
        today = timezone.localdate()
        medicines = {
            (m.name, m.strength): m
            for m in Medicine.objects.filter(name__in={name for name, *_ in STOCKED})
        }
        admin = world.users["admin"]
        for index, puskesmas in enumerate(world.puskesmas):
            pharmacist = world.users.get(f"farmasi.pkm{index + 1}", admin)
            doctor = world.users.get(f"dokter.pkm{index + 1}", admin)
            store = ledger.prb_store_for(puskesmas.pk)
            if StockCardLine.objects.filter(store=store).exists():
                continue
            history = HISTORY_MONTHS if index < 2 else 0
            _stock_store(store, medicines, pharmacist, doctor, rng, today, history)
        _depot(world, medicines, admin, today)


def _stock_store(store, medicines, pharmacist, doctor, rng, today, history) -> None:  # type: ignore[no-untyped-def]
    patients = list(Patient.objects.filter(fktp=store.facility).order_by("id")[:40])
    first = add_months_first_day(today.replace(day=1), -history)
    month = first
    serial = 0
    while month <= today:
        receipt_day = month.replace(day=2) if month.replace(day=2) <= today else today
        lines = []
        for name, strength, monthly, _dose in STOCKED:
            serial += 1
            lines.append(
                movements.ReceiptLineInput(
                    medicine=medicines[(name, strength)],
                    batch=f"{name[:3].upper()}{month:%y%m}{serial:03d}",
                    expiry_date=month + dt.timedelta(days=rng.randint(540, 900)),
                    quantity=monthly
                    if month < today.replace(day=1) or history == 0
                    else monthly // 2,
                )
            )
        movements.stock_receive(
            actor=pharmacist,
            store=store,
            received_on=receipt_day,
            lines=lines,
            source="ifk",
            supplier="Instalasi Farmasi Kabupaten/Kota",
            reference=f"SBBK/{store.facility.kemenkes_code}/{month:%Y%m}",
        )
        if month < today.replace(day=1) and patients:
            _dispense_month(store, month, medicines, patients, pharmacist, doctor, rng)
        month = add_months_first_day(month, 1)
    # Lots near expiry, for the expiry list and the FEFO simulation of the plan.
    _receive_lots(
        pharmacist,
        store,
        medicines,
        received_on=today - dt.timedelta(days=200),
        lots=[
            ("Glimepiride", "2 mg", "GLI-NEAR-ED", today + dt.timedelta(days=45), 120),
            ("Captopril", "25 mg", "CAP-NEAR-ED", today + dt.timedelta(days=20), 200),
        ],
        source="ifk",
        reference=f"SBBK/{store.facility.kemenkes_code}/ED",
    )
    # This month's prescriptions, waiting at the pharmacy.
    for patient in patients[:6]:
        name, strength, _monthly, dose = rng.choice(STOCKED)
        prescriptions.prescription_create(
            actor=doctor,
            patient=patient,
            prescribed_on=today,
            lines=[
                prescriptions.PrescriptionLineInput(
                    medicine=medicines[(name, strength)], quantity=dose, signa="1x1"
                )
            ],
        )


def _dispense_month(store, month, medicines, patients, pharmacist, doctor, rng) -> None:  # type: ignore[no-untyped-def]
    for visit in range(rng.randint(8, 14)):
        day = month.replace(day=min(5 + visit * 2, 28))
        picks = rng.sample(STOCKED, k=rng.randint(1, 3))
        prescription = prescriptions.prescription_create(
            actor=doctor,
            patient=rng.choice(patients),
            prescribed_on=day,
            lines=[
                prescriptions.PrescriptionLineInput(
                    medicine=medicines[(n, s)], quantity=dose, signa="1x1"
                )
                for n, s, _m, dose in picks
            ],
        )
        # Out of stock that day: the prescription stays waiting, as it would.
        with contextlib.suppress(ValidationError):
            prescriptions.stock_dispense(
                actor=pharmacist, prescription=prescription, dispensed_on=day
            )


def _depot(world: DemoWorld, medicines, admin, today) -> None:  # type: ignore[no-untyped-def]
    """KMK III.C.8.b.2: the partner apotek keeps a depot at the first puskesmas."""
    puskesmas = world.puskesmas[0]
    apotek = next(
        (
            f
            for f in world.others
            if f.kind == Facility.Kind.APOTEK_PRB and f.regency_id == puskesmas.regency_id
        ),
        None,
    )
    if apotek is None:
        return
    depot, created = Store.objects.get_or_create(
        facility=puskesmas,
        kind=Store.Kind.DEPOT,
        partner=apotek,
        defaults={"name": f"Depo {apotek.name}"},
    )
    if StockCardLine.objects.filter(store=depot).exists():
        return
    expiry = today + dt.timedelta(days=600)
    _receive_lots(
        world.users.get("farmasi.pkm1", admin),
        depot,
        medicines,
        received_on=today,
        lots=[
            ("Amlodipine", "10 mg", "DEPO-AML-01", expiry, 300),
            ("Clopidogrel", "75 mg", "DEPO-CLO-01", expiry, 150),
        ],
        source="apotek",
        supplier=apotek.name,
        reference="DEPO/001",
    )


def _receive_lots(  # type: ignore[no-untyped-def]
    actor, store, medicines, *, received_on, lots, source, reference, supplier=""
) -> None:
    """A receipt of named lots: (medicine name, strength, batch, expiry date, quantity)."""
    movements.stock_receive(
        actor=actor,
        store=store,
        received_on=received_on,
        lines=[
            movements.ReceiptLineInput(medicines[(name, strength)], batch, expiry, quantity)
            for name, strength, batch, expiry, quantity in lots
        ],
        source=source,
        supplier=supplier,
        reference=reference,
    )
