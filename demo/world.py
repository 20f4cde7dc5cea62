"""A realistic demo district: organisation, accounts and patients.

Deterministic (a fixed random seed) and idempotent: every object is found by
its natural key before it is created, so running the seed twice changes nothing.
"""

import datetime as dt
import functools
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from facilities.models import Facility, Province, Regency
from patients.models import Patient
from patients.validators import nik_birth_part

DEMO_PASSWORD = "demo-prb-2026"  # demo only: printed in the README

REGENCIES = [
    ("1275", "Kota Binjai", Regency.Kind.KOTA),
    ("1205", "Kabupaten Langkat", Regency.Kind.KABUPATEN),
]
# (regency code, puskesmas name, [pustu names])
PUSKESMAS = [
    ("1275", "Puskesmas Binjai Kota", ["Pustu Setia", "Pustu Tangsi"]),
    ("1275", "Puskesmas Hasan Basri", ["Pustu Jati Makmur"]),
    ("1275", "Puskesmas Tanah Tinggi", ["Pustu Sumber Karya"]),
    ("1205", "Puskesmas Stabat", ["Pustu Kwala Begumit", "Pustu Sidomulyo"]),
    ("1205", "Puskesmas Tanjung Pura", ["Pustu Pematang Cengal"]),
    ("1205", "Puskesmas Selesai", ["Pustu Padang Cermin"]),
]
# Letterhead of each puskesmas: street address and telephone (demo values).
PUSKESMAS_CONTACTS = {
    "Puskesmas Binjai Kota": ("Jl. Jend. Sudirman No. 12, Binjai Kota", "(061) 8821234"),
    "Puskesmas Hasan Basri": ("Jl. Hasan Basri No. 5, Binjai Utara", "(061) 8825678"),
    "Puskesmas Tanah Tinggi": ("Jl. Gunung Bendahara No. 40, Binjai Timur", "(061) 8829012"),
    "Puskesmas Stabat": ("Jl. Proklamasi No. 21, Stabat", "(061) 8910345"),
    "Puskesmas Tanjung Pura": ("Jl. Khairil Anwar No. 3, Tanjung Pura", "(061) 8960678"),
    "Puskesmas Selesai": ("Jl. Pendidikan No. 8, Selesai", "(061) 8930901"),
}
OTHER_FACILITIES = [
    ("1275", Facility.Kind.RUMAH_SAKIT, "RSUD dr. R.M. Djoelham Binjai", "1275015", "0038R001"),
    ("1205", Facility.Kind.RUMAH_SAKIT, "RSUD Tanjung Pura", "1205012", "0038R002"),
    ("1275", Facility.Kind.APOTEK_PRB, "Apotek Kimia Farma Binjai", "AP127501", "0038A001"),
    ("1205", Facility.Kind.APOTEK_PRB, "Apotek Sehat Stabat", "AP120501", "0038A002"),
    ("1275", Facility.Kind.INSTALASI_FARMASI, "Instalasi Farmasi Kota Binjai", "IF1275", ""),
    ("1205", Facility.Kind.INSTALASI_FARMASI, "Instalasi Farmasi Kabupaten Langkat", "IF1205", ""),
]
ACCOUNTS: list[tuple[str, str, str | None, str | None, str]] = [
    # username, role, facility index in PUSKESMAS (or pustu "0/0"), regency code
    ("dokter.pkm1", User.Role.DOKTER, "0", None, "dr. Rina Siregar"),
    ("perawat.pkm1", User.Role.PERAWAT, "0", None, "Ns. Dewi Lubis"),
    ("pustu.pkm1", User.Role.PUSTU, "0/0", None, "Bd. Sri Wahyuni"),
    ("farmasi.pkm1", User.Role.FARMASI, "0", None, "apt. Hendra Ginting"),
    ("dokter.pkm2", User.Role.DOKTER, "1", None, "dr. Fajar Nasution"),
    ("farmasi.pkm2", User.Role.FARMASI, "1", None, "apt. Maya Sembiring"),
    ("dinkes.kab1", User.Role.DINKES, None, "1275", "Yusuf Harahap, SKM"),
]
# Demo NIPs (18 digits: birth date, appointment month, sex, serial) for the signature blocks.
DEMO_NIPS = {
    "dokter.pkm1": "198503122010012003",
    "perawat.pkm1": "199007252015032002",
    "pustu.pkm1": "199211082019022001",
    "farmasi.pkm1": "198806142014031001",
    "dokter.pkm2": "198201302009011002",
    "farmasi.pkm2": "199104172016042003",
    "dinkes.kab1": "197912052005011004",
}

FIRST_NAMES_M = [
    "Ahmad",
    "Budi",
    "Darmawan",
    "Edi",
    "Fauzi",
    "Hasan",
    "Irwan",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Muhammad",
    "Nur",
    "Rahmat",
    "Syahrul",
    "Teguh",
    "Wahyu",
]
FIRST_NAMES_F = [
    "Ani",
    "Butet",
    "Citra",
    "Dewi",
    "Erna",
    "Fitri",
    "Hartati",
    "Indah",
    "Juliana",
    "Kartini",
    "Lestari",
    "Maria",
    "Nurhayati",
    "Rosmawati",
    "Siti",
    "Yanti",
]
LAST_NAMES = [
    "Siregar",
    "Lubis",
    "Nasution",
    "Harahap",
    "Ginting",
    "Sembiring",
    "Tarigan",
    "Simanjuntak",
    "Sitepu",
    "Pane",
    "Hasibuan",
    "Batubara",
    "Purba",
    "Saragih",
    "Damanik",
    "Manurung",
]
STREETS = [
    "Jl. Jenderal Sudirman",
    "Jl. Gatot Subroto",
    "Jl. Soekarno-Hatta",
    "Jl. T. Amir Hamzah",
    "Jl. Samanhudi",
    "Jl. Perintis Kemerdekaan",
    "Jl. Veteran",
    "Jl. Kartini",
]
PATIENTS_PER_PUSKESMAS = 50


@dataclass
class DemoWorld:
    province: Province
    regencies: dict[str, Regency]
    puskesmas: list[Facility]
    pustus: dict[int, list[Facility]]
    others: list[Facility]
    users: dict[str, User]


def _facility(
    regency: Regency,
    kind: str,
    name: str,
    code: str,
    bpjs: str = "",
    parent: Facility | None = None,
) -> Facility:
    address, phone = PUSKESMAS_CONTACTS.get(name, (name, ""))
    facility, _ = Facility.objects.get_or_create(
        kemenkes_code=code,
        defaults={
            "regency": regency,
            "kind": kind,
            "name": name,
            "bpjs_code": bpjs,
            "parent": parent,
            "address": f"{address}, {regency.name}",
            "phone": phone,
            "email": f"{code.lower()}@puskesmas.prb.local" if phone else "",
        },
    )
    return facility


@transaction.atomic
def build_world() -> DemoWorld:
    province, _ = Province.objects.get_or_create(code="12", defaults={"name": "Sumatera Utara"})
    regencies = {
        code: Regency.objects.get_or_create(
            code=code, defaults={"province": province, "name": name, "kind": kind}
        )[0]
        for code, name, kind in REGENCIES
    }
    puskesmas: list[Facility] = []
    pustus: dict[int, list[Facility]] = {}
    for i, (regency_code, name, pustu_names) in enumerate(PUSKESMAS, start=1):
        regency = regencies[regency_code]
        pkm = _facility(
            regency, Facility.Kind.PUSKESMAS, name, f"P{regency_code}{i:03d}", f"0038P{i:03d}"
        )
        puskesmas.append(pkm)
        pustus[pkm.pk] = [
            _facility(regency, Facility.Kind.PUSTU, pustu, f"P{regency_code}{i:03d}{j}", "", pkm)
            for j, pustu in enumerate(pustu_names, start=1)
        ]
    others = [
        _facility(regencies[rc], kind, name, code, bpjs)
        for rc, kind, name, code, bpjs in OTHER_FACILITIES
    ]
    users = {}
    for username, role, where, user_regency_code, full_name in ACCOUNTS:
        facility = None
        if where is not None:
            pkm_index, _slash, pustu_index = where.partition("/")
            facility = puskesmas[int(pkm_index)]
            if pustu_index:
                facility = pustus[facility.pk][int(pustu_index)]
        first, _, last = full_name.rpartition(" ")
        users[username] = _user(
            username,
            role=role,
            facility=facility,
            regency=regencies[user_regency_code] if user_regency_code else None,
            first_name=first,
            last_name=last,
        )
    users["admin"] = _user(
        "admin",
        role=User.Role.ADMIN,
        facility=None,
        regency=None,
        first_name="Administrator",
        last_name="PRB",
        superuser=True,
    )
    _patients(puskesmas, pustus)
    return DemoWorld(province, regencies, puskesmas, pustus, others, users)


@functools.cache
def _demo_password_hash() -> str:
    """Every demo account shares one password: hash it once (hashing is slow on purpose)."""
    return make_password(DEMO_PASSWORD)


def _user(
    username: str,
    *,
    role: str,
    facility: Facility | None,
    regency: Regency | None,
    first_name: str,
    last_name: str,
    superuser: bool = False,
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            role=role,
            facility=facility,
            regency=regency,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@prb.local",
            nip=DEMO_NIPS.get(username, ""),
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.password = _demo_password_hash()
        user.save()
    return user


def _patients(puskesmas: list[Facility], pustus: dict[int, list[Facility]]) -> None:
    rng = random.Random(1645)
    existing = set(Patient.objects.values_list("nik", flat=True))
    new = []
    serial = 0
    for pkm in puskesmas:
        region = pkm.regency.code + "01"
        for _ in range(PATIENTS_PER_PUSKESMAS):
            serial += 1
            sex = rng.choice("MF")
            birth = dt.date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))
            nik = f"{region}{nik_birth_part(sex=sex, birth_date=birth)}{serial:04d}"
            first = rng.choice(FIRST_NAMES_M if sex == "M" else FIRST_NAMES_F)
            name = f"{first} {rng.choice(LAST_NAMES)}"
            patient = Patient(
                nik=nik,
                bpjs_number=f"0001{serial:09d}",
                name=name,
                sex=sex,
                birth_date=birth,
                address=f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}, {pkm.regency.name}",
                phone=f"08{rng.randint(1000000000, 9999999999)}",
                reminder_consent=rng.random() < 0.7,
                fktp=pkm,
                pustu=rng.choice(pustus[pkm.pk]) if rng.random() < 0.6 else None,
            )
            if nik not in existing:
                new.append(patient)
    for patient in new:
        # Field rules (NIK, dates) as in the form; uniqueness is the NIK filter above and the
        # database's constraints, without a query per patient.
        patient.full_clean(validate_unique=False, validate_constraints=False)
    Patient.objects.bulk_create(new)
