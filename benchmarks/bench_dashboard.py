"""District dashboard at district scale: p95 latency of the pages, warm, against raw SQL.

Run:  .venv/bin/python benchmarks/bench_dashboard.py [--patients 200000] [--visits 2000000]
          [--puskesmas 40] [--requests 60] [--keep] [--write-docs]

It builds a dedicated database (``prb_bench`` on the embedded server, or DATABASE_URL's
server with the database name replaced; never the test or the working database), loads
the data with COPY (triggers off while loading: the audit and dashboard triggers would only
slow a bulk load that the rebuild then summarises), rebuilds the monthly facts, and times:

- the district page (GET /dasbor/, all programmes and DM), the puskesmas page and the
  medicine-balance page through Django's test client, warm (after 5 unmeasured requests);
- the raw SQL over the same monthly facts (the one aggregate the page runs);
- the same month's indicators computed straight from the source tables (what the page
  would cost without pre-aggregation);
- the incremental refresh after one new control visit (trigger → dirty month → task).

``--write-docs`` writes the figures into docs/indicators.md (between the benchmark markers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prb.settings")
BENCH_DB = os.environ.get("PRB_BENCH_DATABASE", "prb_bench")


def configure_database() -> None:
    """Point Django at the dedicated benchmark database before anything connects."""
    from prb import settings

    # No collectstatic here: the manifest lookup is a dictionary read in production anyway.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    if settings.DATABASE_URL:
        import psycopg

        db = settings.DATABASES["default"]
        with psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"],
            dbname="postgres",
            autocommit=True,
        ) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]
            ).fetchone():
                conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
        db["NAME"] = BENCH_DB
    else:
        from prb.embedded_db import embedded_database_settings

        data_dir = Path(os.environ.get("PRB_DATA_DIR", str(ROOT / ".data"))) / "postgres"
        settings.DATABASES["default"] = {
            **embedded_database_settings(data_dir, name=BENCH_DB),
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        }


OTHER_PROGRAMS = [
    "HEART_HHD",
    "HEART_ANGINA",
    "HEART_MI",
    "HEART_CHF",
    "ASTHMA",
    "COPD",
    "EPILEPSY",
    "SCHIZOPHRENIA",
    "STROKE",
    "SLE",
]
BP_PROGRAMS = {"HT", "HEART_HHD", "HEART_ANGINA", "HEART_MI", "STROKE"}


def _facts(rng: random.Random, program: str, n: int) -> str:
    facts: dict[str, float]
    if program == "DM":
        facts = {"fpg_mg_dl": round(rng.gauss(128, 30))}
        if n % 3 == 0:
            facts["hba1c_percent"] = round(rng.gauss(7.1, 1.0), 1)
    elif program in BP_PROGRAMS:
        facts = {"sbp": round(rng.gauss(136, 14)), "dbp": round(rng.gauss(84, 9))}
    elif program == "ASTHMA":
        facts = {"act_score": rng.randint(12, 25)}
    elif program == "COPD":
        facts = {"cat_score": rng.randint(3, 20)}
    elif program == "EPILEPSY":
        facts = {"seizure_occurred": rng.random() < 0.2}
    elif program == "SLE":
        facts = {"flare_suspected": rng.random() < 0.15}
    elif program == "HEART_CHF":
        facts = {"progressive_dyspnea": rng.random() < 0.2}
    else:
        facts = {"deterioration": rng.random() < 0.2}
    return json.dumps(facts, separators=(",", ":"))


def _copy(cursor, table: str, columns: str, buffer: io.StringIO) -> None:  # type: ignore[no-untyped-def]
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.write(buffer.getvalue())


def generate(*, patients: int, visits: int, puskesmas: int, today: dt.date) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from accounts.models import User
    from facilities.models import Facility, Province, Regency
    from pharmacy.models import Medicine, Store

    rng = random.Random(1645)
    province, _ = Province.objects.get_or_create(code="12", defaults={"name": "Sumatera Utara"})
    regency, _ = Regency.objects.get_or_create(
        code="1299", defaults={"province": province, "name": "Kabupaten Bench"}
    )
    facilities = [
        Facility.objects.get_or_create(
            kemenkes_code=f"BENCH{i:03d}",
            defaults={"regency": regency, "kind": "puskesmas", "name": f"Puskesmas Bench {i:02d}"},
        )[0]
        for i in range(1, puskesmas + 1)
    ]
    hospital = Facility.objects.get_or_create(
        kemenkes_code="BENCHRS",
        defaults={"regency": regency, "kind": "rumah_sakit", "name": "RSUD Bench"},
    )[0]
    recorder = User.objects.get_or_create(
        username="bench.dokter",
        defaults={"role": "dokter", "facility": facilities[0], "password": make_password(None)},
    )[0]
    User.objects.get_or_create(
        username="bench.dinkes",
        defaults={"role": "dinkes", "regency": regency, "password": make_password(None)},
    )
    stores = {
        f.pk: Store.objects.get_or_create(facility=f, kind="prb", defaults={"name": "Gudang PRB"})[
            0
        ]
        for f in facilities
    }
    tracers = list(Medicine.objects.filter(is_tracer=True, is_active=True))

    raw = connection.connection
    counts = {
        "patients": 0,
        "cases": 0,
        "visits": 0,
        "letters": 0,
        "rereferrals": 0,
        "card_lines": 0,
    }
    with raw.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no triggers during the load
        cursor.execute("SELECT coalesce(max(id), 0) FROM patients_patient")
        base = cursor.fetchone()[0]
        now = "2026-01-01 00:00:00+07"

        # Patients and their cases: one case each.
        p_buf, c_buf, l_buf, r_buf = io.StringIO(), io.StringIO(), io.StringIO(), io.StringIO()
        cases: list[tuple[int, str, dt.date, dt.date]] = []  # id, programme, first day, last day
        rr_id = 0
        for i in range(1, patients + 1):
            pk = base + i
            facility = facilities[i % puskesmas]
            sex = "M" if rng.random() < 0.5 else "F"
            birth = dt.date(rng.randint(1945, 1990), rng.randint(1, 12), rng.randint(1, 28))
            nik = f"1299{pk:012d}"  # unique; the database checks 16 digits only
            p_buf.write(
                f"{pk}\t{nik}\t{pk:013d}\tPasien {pk}\t{sex}\t{birth}\t\t\tf\t{facility.pk}\t\\N\t{now}\t{now}\n"
            )
            u = rng.random()
            program = "DM" if u < 0.45 else "HT" if u < 0.85 else rng.choice(OTHER_PROGRAMS)
            enrolled = today - dt.timedelta(days=rng.randint(20, 760))
            status, changed, last = "active", "\\N", today
            s = rng.random()
            span = (today - enrolled).days
            if s < 0.15 and span > 60:
                status = rng.choice(["died", "moved", "dropped_out", "finished"])
                last = enrolled + dt.timedelta(days=rng.randint(30, span))
                changed = str(last)
            elif s < 0.19 and span > 90:
                status = "re_referred"
                last = today - dt.timedelta(days=rng.randint(1, 60))
                changed = str(last)
                rr_id += 1
                r_buf.write(
                    f"{rr_id}\t{pk}\t{hospital.pk}\t{last}\tRU/BENCH/{rr_id:07d}\t[]\tMemburuk\t\\N\t{{}}\t\\N\t\\N\t{recorder.pk}\t{now}\n"
                )
            elif s < 0.22 and span > 200:
                rr_id += 1
                away = enrolled + dt.timedelta(days=rng.randint(60, span - 100))
                back = away + dt.timedelta(days=rng.randint(14, 60))
                r_buf.write(
                    f"{rr_id}\t{pk}\t{hospital.pk}\t{away}\tRU/BENCH/{rr_id:07d}\t[]\tMemburuk\t\\N\t{{}}\t{back}\t\\N\t{recorder.pk}\t{now}\n"
                )
            c_buf.write(
                f"{pk}\t{pk}\t{program}\t{facility.pk}\t{status}\t{enrolled}\t\\N\t\\N\t{{}}\t{enrolled}\t[]\t\t\t{changed}\t{now}\t{now}\n"
            )
            l_buf.write(
                f"{pk}\t{facility.pk}\t{hospital.pk}\tdr. DPJP\tSRB-BENCH-{pk:08d}\t\t{enrolled - dt.timedelta(days=3)}\t{pk}\t{program}\tE11.9\t[]\t\t\t\\N\t{{}}\t{{}}\t{{}}\teligible\taccepted\t\t\tapi\t{pk:064d}\t{pk}\t{recorder.pk}\t\\N\t\\N\t{now}\n"
            )
            cases.append((pk, program, enrolled, last))
        _copy(
            cursor,
            "patients_patient",
            "id, nik, bpjs_number, name, sex, birth_date, address, phone, reminder_consent, fktp_id, pustu_id, created_at, updated_at",
            p_buf,
        )
        _copy(
            cursor,
            "referrals_prbcase",
            "id, patient_id, program, facility_id, status, enrolled_on, next_control_date, next_hospital_review, baseline_facts, baseline_on, current_regimen, override_reason, status_note, status_changed_on, created_at, updated_at",
            c_buf,
        )
        _copy(
            cursor,
            "referrals_backreferralletter",
            "id, facility_id, hospital_id, dpjp_name, srb_number, sep_number, letter_date, patient_id, program, icd10, comorbidities, clinical_resume, management_plan, next_hospital_review, facts, general, evaluation, outcome, status, return_reasons, override_reason, source, fingerprint, case_id, received_by_id, decided_by_id, decided_at, created_at",
            l_buf,
        )
        _copy(
            cursor,
            "referrals_rereferral",
            "id, case_id, hospital_id, referred_on, letter_number, clause_ids, doctor_reason, visit_id, evaluation, returned_on, return_letter_id, created_by_id, created_at",
            r_buf,
        )
        counts.update(patients=patients, cases=patients, letters=patients, rereferrals=rr_id)
        del p_buf, c_buf, l_buf, r_buf

        # Control visits: about monthly from enrolment, some skipped, some patients stop
        # coming; exactly ``visits`` rows in all.
        per_case = visits / patients
        visit_id = 0
        columns = "id, case_id, visit_date, facts, symptoms, adherence, side_effects, dpjp_approval, warnings, next_control_date, evaluation, outcome, recorded_by_id, created_at"
        chunk = io.StringIO()
        remaining_cases = len(cases)
        for case_id, program, first, last in cases:
            budget = visits - visit_id
            quota = (
                min(budget, max(0, round(rng.gauss(per_case * 1.3, 3))))
                if remaining_cases > 1
                else budget
            )
            remaining_cases -= 1
            day = first + dt.timedelta(days=rng.randint(20, 35))
            n = 0
            while n < quota and day <= last:
                if rng.random() > 0.08:  # 8 % of controls missed
                    visit_id += 1
                    n += 1
                    nxt = day + dt.timedelta(days=30)
                    chunk.write(
                        f"{visit_id}\t{case_id}\t{day}\t{_facts(rng, program, n)}\t\tgood\t\t\t[]\t{nxt}\t{{}}\tcontinue\t{recorder.pk}\t{now}\n"
                    )
                day += dt.timedelta(days=rng.randint(26, 36))
            if chunk.tell() > 32_000_000:
                _copy(cursor, "referrals_controlvisit", columns, chunk)
                chunk = io.StringIO()
        # Cases whose history was too short for their quota leave a remainder: recent visits
        # of long-standing cases make it up, so the table holds exactly ``visits`` rows.
        while visit_id < visits:
            case_id, program, first, last = cases[rng.randrange(len(cases))]
            if (last - first).days < 40:
                continue
            visit_id += 1
            day = first + dt.timedelta(days=rng.randint(1, (last - first).days))
            chunk.write(
                f"{visit_id}\t{case_id}\t{day}\t{_facts(rng, program, 1)}\t\tgood\t\t\t[]\t{day + dt.timedelta(days=30)}\t{{}}\tcontinue\t{recorder.pk}\t{now}\n"
            )
        _copy(cursor, "referrals_controlvisit", columns, chunk)
        counts["visits"] = visit_id

        # Stock: for every puskesmas and tracer, a receipt each month and weekly dispensing;
        # a few puskesmas run out for a while.
        lot_buf, line_buf, bal_buf = io.StringIO(), io.StringIO(), io.StringIO()
        lot_id = line_id = bal_id = 0
        start = dt.date(today.year - 2, today.month, 1)
        for facility in facilities:
            store = stores[facility.pk]
            for medicine in tracers:
                balance = 0
                month = start
                while month <= today:
                    lot_id += 1
                    expiry = month + dt.timedelta(days=rng.randint(60, 540))
                    lot_buf.write(f"{lot_id}\t{medicine.pk}\tB{lot_id:07d}\t{expiry}\tifk\t{now}\n")
                    received = 0 if rng.random() < 0.1 else rng.randint(300, 900)
                    lot_balance = 0
                    if received:
                        balance += received
                        lot_balance += received
                        line_id += 1
                        line_buf.write(
                            f"{line_id}\t{store.pk}\t{medicine.pk}\t{lot_id}\t{month}\treceipt\t{received}\t0\t{lot_balance}\t\tIFK\t\t\\N\t\\N\t\\N\t{recorder.pk}\t{now}\n"
                        )
                    for week in range(4):
                        day = month + dt.timedelta(days=3 + 7 * week)
                        if day > today:
                            break
                        used = min(lot_balance, rng.randint(50, 200))
                        if used:
                            balance -= used
                            lot_balance -= used
                            line_id += 1
                            line_buf.write(
                                f"{line_id}\t{store.pk}\t{medicine.pk}\t{lot_id}\t{day}\tdispense\t0\t{used}\t{lot_balance}\t\t\t\t\\N\t\\N\t\\N\t{recorder.pk}\t{now}\n"
                            )
                    if lot_balance:
                        bal_id += 1
                        bal_buf.write(
                            f"{bal_id}\t{store.pk}\t{lot_id}\t{medicine.pk}\t{lot_balance}\n"
                        )
                    month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        _copy(
            cursor,
            "pharmacy_lot",
            "id, medicine_id, batch, expiry_date, source, created_at",
            lot_buf,
        )
        _copy(
            cursor,
            "pharmacy_stockcardline",
            "id, store_id, medicine_id, lot_id, date, movement, quantity_in, quantity_out, balance_after, reference, counterparty, note, patient_id, prescription_line_id, reverses_id, user_id, created_at",
            line_buf,
        )
        _copy(
            cursor, "pharmacy_stockbalance", "id, store_id, lot_id, medicine_id, quantity", bal_buf
        )
        counts["card_lines"] = line_id
        cursor.execute("SET session_replication_role = DEFAULT")
        for table in (
            "patients_patient",
            "referrals_prbcase",
            "referrals_controlvisit",
            "referrals_backreferralletter",
            "referrals_rereferral",
            "pharmacy_stockcardline",
            "pharmacy_lot",
            "pharmacy_stockbalance",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
            cursor.execute(f"ANALYZE {table}")
    raw.commit()
    return counts


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def time_it(fn, n: int, warmup: int = 5) -> list[float]:  # type: ignore[no-untyped-def]
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def measure(requests: int) -> dict[str, object]:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from dashboards import facts, selectors, services
    from facilities.models import Facility
    from lib.months import add_months_first_day, month_start
    from patients.programs import Program

    today = timezone.localdate()
    dinkes = User.objects.get(username="bench.dinkes")
    ids = list(
        Facility.objects.filter(regency=dinkes.regency, kind="puskesmas").values_list(
            "pk", flat=True
        )
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(dinkes)
    month = month_start(today)
    first = add_months_first_day(month, -11)

    def page(url: str, **params: str):  # type: ignore[no-untyped-def]
        def run() -> None:
            response = client.get(url, params, secure=True)
            assert response.status_code == 200, response.status_code

        return run

    fields = ", ".join(f"sum({name})" for name in selectors.SUM_FIELDS)
    facts_sql = (  # the page's one aggregate (dashboards.selectors.figures, by puskesmas)
        f"SELECT facility_id, month, {fields} FROM dashboards_monthlyfact "
        "WHERE facility_id = ANY(%s) AND program = ANY(%s) AND month BETWEEN %s AND %s "
        "GROUP BY facility_id, month"
    )

    def raw_facts() -> None:
        with connection.cursor() as cursor:
            cursor.execute(facts_sql, [ids, list(Program.values), first, month])
            cursor.fetchall()

    def raw_source() -> None:
        facts.compute_facts(
            facility_ids=ids, programs=list(Program.values), months=[month], today=today
        )

    results: dict[str, object] = {}
    for name, fn, n in [
        ("district page (all programmes)", page("/dasbor/"), requests),
        ("district page (DM)", page("/dasbor/", program="DM"), requests),
        ("puskesmas page", page(f"/dasbor/puskesmas/{ids[0]}/"), requests),
        ("raw SQL over the monthly facts", raw_facts, requests),
        ("one month from the source tables (no pre-aggregation)", raw_source, 3),
    ]:
        samples = time_it(fn, n, warmup=5 if n > 3 else 1)
        results[name] = {"p50": statistics.median(samples), "p95": percentile(samples, 95), "n": n}

    # Incremental refresh: one new visit → the trigger queues its month → the task.
    from referrals.models import ControlVisit, PrbCase

    case = (
        PrbCase.objects.filter(facility_id=ids[0], status=PrbCase.Status.ACTIVE)
        .order_by("pk")
        .first()
    )
    assert case is not None, "the generated district has active cases"
    visit = ControlVisit.objects.create(
        case=case,
        visit_date=today,
        facts={"sbp": 120, "dbp": 80},
        adherence="good",
        next_control_date=today + dt.timedelta(days=30),
        outcome="continue",
        recorded_by=User.objects.get(username="bench.dokter"),
    )
    start = time.perf_counter()
    written = services.facts_refresh_dirty(today=today)
    results["incremental refresh after one visit"] = {
        "ms": (time.perf_counter() - start) * 1000,
        "facts": written,
    }
    visit.delete()  # leave the dataset as generated for the next run (--keep)
    services.facts_refresh_dirty(today=today)
    return results


def render_markdown(
    counts: dict[str, int], rebuild_ms: float, results: dict[str, object], args
) -> str:  # type: ignore[no-untyped-def]
    import platform

    dashboard = results["district page (all programmes)"]["p95"]  # type: ignore[index]
    raw = results["raw SQL over the monthly facts"]["p95"]  # type: ignore[index]
    source = results["one month from the source tables (no pre-aggregation)"]["p50"]  # type: ignore[index]
    lines = [
        f"Measured {dt.date.today():%Y-%m-%d} with `benchmarks/bench_dashboard.py` on "
        f"{os.cpu_count()} cores ({platform.machine()}, PostgreSQL embedded, Python "
        f"{sys.version.split()[0]}), database `{BENCH_DB}`:",
        "",
        f"- Data: {counts['patients']:,} patients, {counts['cases']:,} PRB cases, "
        f"{counts['visits']:,} control visits, {counts['letters']:,} back-referral letters, "
        f"{counts['rereferrals']:,} re-referrals, {counts['card_lines']:,} stock-card lines, "
        f"{args.puskesmas} puskesmas in one regency.",
        f"- Full rebuild of the facts (24 months × 12 programmes × {args.puskesmas} puskesmas): "
        f"{rebuild_ms / 1000:,.1f} s.",
        "",
        "| Measure (warm) | p50 (ms) | p95 (ms) | runs |",
        "|---|---:|---:|---:|",
    ]
    for name, value in results.items():
        if "p95" in value:  # type: ignore[operator]
            lines.append(f"| {name} | {value['p50']:.1f} | {value['p95']:.1f} | {value['n']} |")  # type: ignore[index]
    refresh = results["incremental refresh after one visit"]
    lines += [
        "",
        f"- Goal p95 ≤ 200 ms: district page p95 **{dashboard:.1f} ms** "
        f"({'met' if dashboard <= 200 else 'NOT met'}).",
        f"- Ratio of the page's p95 to the raw SQL over the same facts: **{dashboard / raw:.1f}×** "
        f"(the rest is Django: session, scope, rendering the SVG and the {args.puskesmas}-row table).",
        f"- Computing the month straight from the source tables takes {source / 1000:,.1f} s "
        f"({source / dashboard:,.0f}× the page): hence the pre-aggregation.",
        f"- Incremental refresh after one new control visit: {refresh['ms']:,.0f} ms "  # type: ignore[index]
        f"({refresh['facts']} facts rewritten: that puskesmas × programme from the visit's month on).",  # type: ignore[index]
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200_000)
    parser.add_argument("--visits", type=int, default=2_000_000)
    parser.add_argument("--puskesmas", type=int, default=40)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="reuse the data of a previous run")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    configure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from dashboards import docs, services

    today = timezone.localdate()
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM referrals_controlvisit")
        existing = cursor.fetchone()[0]
    if existing and not args.keep:
        print(f"{BENCH_DB} already holds data: drop it first or pass --keep", file=sys.stderr)
        sys.exit(2)
    if not existing:
        start = time.perf_counter()
        counts = generate(
            patients=args.patients, visits=args.visits, puskesmas=args.puskesmas, today=today
        )
        print(f"generated {counts} in {time.perf_counter() - start:.1f} s", flush=True)
    else:
        with connection.cursor() as cursor:
            counts = {}
            for key, table in [
                ("patients", "patients_patient"),
                ("cases", "referrals_prbcase"),
                ("visits", "referrals_controlvisit"),
                ("letters", "referrals_backreferralletter"),
                ("rereferrals", "referrals_rereferral"),
                ("card_lines", "pharmacy_stockcardline"),
            ]:
                cursor.execute(f"SELECT count(*) FROM {table}")
                counts[key] = cursor.fetchone()[0]
    start = time.perf_counter()
    written = services.facts_rebuild(today=today)
    rebuild_ms = (time.perf_counter() - start) * 1000
    print(f"rebuilt {written} facts in {rebuild_ms / 1000:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dashboards_monthlyfact")
    results = measure(args.requests)
    text = render_markdown(counts, rebuild_ms, results, args)
    print(text)
    if args.write_docs:
        docs.write_benchmark(text)
        print("docs/indicators.md updated")


if __name__ == "__main__":
    main()
