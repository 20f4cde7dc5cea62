"""BPJS services: PRB records to BPJS payloads and BPJS answers to PRB records.

Reads from BPJS (the SRB, the participant) save nothing until a person acts on them;
writes to BPJS go through the outboxes (``bpjs.models``, processed by ``bpjs.tasks``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bpjs import selectors
from bpjs.client import BpjsClient, Service
from bpjs.models import (
    ApotekClaimOutbox,
    BpjsCredentials,
    BpjsDiagnosis,
    BpjsMedicine,
    ParticipantCheck,
    PCareVisitOutbox,
)
from facilities.models import Facility
from interop.errors import InteropError
from interop.services import outbox_deliver, outbox_enqueue
from patients.models import Patient
from patients.programs import BPJS_PROGRAM_CODE, HEART_PROGRAMS
from pharmacy.models import Medicine, Prescription, PrescriptionLine, StockCardLine, Store
from referrals.models import BackReferralLetter, ControlVisit

HEART_CODE = "04"
# VClaim programPRB code → PRB programme; "04" (heart disease) covers four rule sets.
PROGRAM_BY_BPJS_CODE = {
    code: program for program, code in BPJS_PROGRAM_CODE.items() if program not in HEART_PROGRAMS
}
# Older answers carry programPRB as a plain string; these words recognise the programme.
PROGRAM_WORDS = {
    "01": ("diabet",),
    "02": ("hipertensi", "hypertensi", "hypertension"),
    "03": ("asma", "asthma"),
    "04": ("jantung", "heart"),
    "05": ("ppok", "copd"),
    "06": ("skizofrenia", "schizophrenia"),
    "07": ("stroke",),
    "08": ("epilep",),
    "09": ("lupus", "sle"),
}
SEX_BY_BPJS = {"L": Patient.Sex.MALE, "P": Patient.Sex.FEMALE}


def _malformed(detail: str) -> InteropError:
    return InteropError(
        _("BPJS VClaim sent a back-referral letter PRB cannot read (%(detail)s).")
        % {"detail": detail},
        transient=False,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> dt.date | None:
    text = _text(value)[:10]
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def program_from_bpjs(raw: Any) -> tuple[str, str]:
    """(two-digit code, name) from ``programPRB`` as an object, or as the older plain string."""
    if isinstance(raw, dict):
        code, name = _text(raw.get("kode")), _text(raw.get("nama"))
    else:
        text = _text(raw)
        match = re.match(r"^(\d{1,2})\b\s*[-.]?\s*(.*)$", text)
        code, name = (match[1], match[2]) if match else ("", text)
    if code.isdigit():
        return code.zfill(2), name
    lowered = name.lower()
    for candidate, words in PROGRAM_WORDS.items():
        if any(word in lowered for word in words):
            return candidate, name
    return "", name


@dataclass
class SrbMedicine:
    code: str
    name: str
    signa: str
    quantity: int
    medicine: Medicine | None = None


@dataclass
class SrbLetter:
    """A back-referral letter read from VClaim, in PRB's terms; nothing saved yet."""

    srb_number: str
    sep_number: str
    letter_date: dt.date | None
    program: str  # a Program value, "" when the doctor must choose (heart disease, unknown)
    program_code: str
    program_name: str
    dpjp_name: str
    hospital: Facility | None
    hospital_code: str
    hospital_name: str
    patient: dict[str, Any]
    medicines: list[SrbMedicine] = field(default_factory=list)
    clinical_resume: str = ""
    management_plan: str = ""

    @property
    def asks_heart_condition(self) -> bool:
        return self.program_code == HEART_CODE

    @property
    def mapped_medicines(self) -> list[SrbMedicine]:
        return [m for m in self.medicines if m.medicine is not None]

    @property
    def unmapped_medicines(self) -> list[SrbMedicine]:
        return [m for m in self.medicines if m.medicine is None]

    def as_referral_input(self) -> dict[str, Any]:
        """The referral API's input keys (``POST /api/v1/referrals/``) plus what is unmapped."""
        patient = dict(self.patient)
        patient["birth_date"] = patient["birth_date"].isoformat() if patient["birth_date"] else None
        return {
            "srb_number": self.srb_number,
            "sep_number": self.sep_number,
            "letter_date": self.letter_date.isoformat() if self.letter_date else None,
            "hospital": self.hospital.kemenkes_code if self.hospital else None,
            "program": self.program or None,
            "dpjp_name": self.dpjp_name,
            "clinical_resume": self.clinical_resume,
            "management_plan": self.management_plan,
            "patient": patient,
            "medicines": [
                {
                    "medicine": m.medicine.pk,
                    "strength": m.medicine.strength,
                    "signa": m.signa,
                    "quantity_per_month": m.quantity,
                }
                for m in self.mapped_medicines
                if m.medicine is not None
            ],
            "unmapped_medicines": [
                {"code": m.code, "name": m.name, "signa": m.signa, "quantity": m.quantity}
                for m in self.unmapped_medicines
            ],
            "bpjs_program": {"code": self.program_code, "name": self.program_name},
            "bpjs_hospital": {"code": self.hospital_code, "name": self.hospital_name},
        }


def _hospital(code: str, name: str) -> Facility | None:
    hospitals = Facility.objects.filter(kind=Facility.Kind.RUMAH_SAKIT, is_active=True)
    found = hospitals.filter(bpjs_code=code).first() if code else None
    return found or (hospitals.filter(name__iexact=name).first() if name else None)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _quantity(value: Any) -> int:
    try:
        return max(int(float(_text(value) or 0)), 0)
    except ValueError:
        return 0


def srb_parse(answer: Any, *, facility: Facility) -> SrbLetter:
    """Turn VClaim's ``response`` of ``prb/{noSrb}/nosep/{noSep}`` into an ``SrbLetter``."""
    prb = answer.get("prb") if isinstance(answer, dict) else None
    if not isinstance(prb, dict):
        raise _malformed("prb")
    person = prb.get("peserta")
    if not isinstance(person, dict) or not _text(person.get("noKartu")):
        raise _malformed("peserta.noKartu")
    code, name = program_from_bpjs(prb.get("programPRB"))
    origin: dict[str, Any] = _object(person.get("asalFaskes"))
    dpjp: dict[str, Any] = _object(prb.get("DPJP"))
    card = _text(person.get("noKartu"))
    home_id = facility.home_puskesmas_id
    known = Patient.objects.filter(fktp_id=home_id, bpjs_number=card).first()
    obat = prb.get("obat")
    lines = obat.get("obat") if isinstance(obat, dict) else obat
    if lines is None:
        lines = []
    if not isinstance(lines, list):
        raise _malformed("obat")
    medicines = [
        SrbMedicine(
            code=_text(line.get("kdObat")),
            name=_text(line.get("nmObat")),
            signa="x".join(p for p in (_text(line.get("signa1")), _text(line.get("signa2"))) if p),
            quantity=_quantity(line.get("jmlObat")),
        )
        for line in lines
        if isinstance(line, dict)
    ]
    mapping = selectors.formulary_medicines_for_codes([m.code for m in medicines if m.code])
    for medicine in medicines:
        medicine.medicine = mapping.get(medicine.code)
    return SrbLetter(
        srb_number=_text(prb.get("noSRB")),
        sep_number=_text(prb.get("noSEP")),
        letter_date=_date(prb.get("tglSRB")),
        program=PROGRAM_BY_BPJS_CODE.get(code, ""),
        program_code=code,
        program_name=name,
        dpjp_name=_text(dpjp.get("nama")),
        hospital=_hospital(_text(origin.get("kode")), _text(origin.get("nama"))),
        hospital_code=_text(origin.get("kode")),
        hospital_name=_text(origin.get("nama")),
        patient={
            "nik": known.nik if known else "",
            "bpjs_number": card,
            "name": _text(person.get("nama")),
            "sex": SEX_BY_BPJS.get(_text(person.get("kelamin")).upper()[:1], ""),
            "birth_date": _date(person.get("tglLahir")),
            "address": _text(person.get("alamat")) or (known.address if known else ""),
            "phone": _text(person.get("noTelepon")) or (known.phone if known else ""),
        },
        medicines=medicines,
        clinical_resume=_text(prb.get("keterangan")),
        management_plan=_text(prb.get("saran")),
    )


def srb_fetch(*, facility: Facility, srb_number: str, sep_number: str) -> SrbLetter:
    """Read one back-referral letter from VClaim (``prb/{noSrb}/nosep/{noSep}``)."""
    srb_number, sep_number = srb_number.strip(), sep_number.strip()
    if not srb_number or not sep_number:
        raise InteropError(_("Enter both the SRB number and the SEP number."), transient=False)
    for value in (srb_number, sep_number):
        if not re.fullmatch(r"[A-Za-z0-9]+", value):
            raise InteropError(
                _("SRB and SEP numbers contain only letters and digits."), transient=False
            )
    client = selectors.bpjs_client(facility, Service.VCLAIM)
    answer = client.get(f"prb/{srb_number}/nosep/{sep_number}")
    return srb_parse(answer, facility=facility)


# ---------------------------------------------------------------- participant (PCare peserta)


@dataclass(frozen=True)
class Participant:
    card_number: str
    nik: str
    name: str
    is_active: bool
    status_text: str
    provider_code: str
    provider_name: str

    def registered_elsewhere(self, facility: Facility) -> bool:
        home = (
            facility.parent
            if facility.kind == Facility.Kind.PUSTU and facility.parent
            else facility
        )
        return bool(self.provider_code) and self.provider_code != home.bpjs_code


def participant_parse(answer: Any) -> Participant:
    if not isinstance(answer, dict) or not _text(answer.get("noKartu")):
        raise InteropError(_("BPJS PCare sent participant data PRB cannot read."), transient=False)
    provider = _object(answer.get("kdProviderPst"))
    status = _text(answer.get("ketAktif"))
    active = answer.get("aktif")
    return Participant(
        card_number=_text(answer.get("noKartu")),
        nik=_text(answer.get("noKTP")),
        name=_text(answer.get("nama")),
        is_active=active is True or _text(active).lower() in {"true", "1", "aktif"},
        status_text=status,
        provider_code=_text(provider.get("kdProvider")),
        provider_name=_text(provider.get("nmProvider")),
    )


def participant_fetch(*, facility: Facility, card_number: str = "", nik: str = "") -> Participant:
    """PCare ``peserta/noka/{noKartu}`` (or ``peserta/nik/{nik}``): card status and FKTP."""
    card_number, nik = card_number.strip(), nik.strip()
    if card_number.isdigit() and len(card_number) == 13:
        path = f"peserta/noka/{card_number}"
    elif nik.isdigit() and len(nik) == 16:
        path = f"peserta/nik/{nik}"
    else:
        raise InteropError(
            _("Enter a 13-digit BPJS card number or a 16-digit NIK to check the participant."),
            transient=False,
        )
    answer = selectors.bpjs_client(facility, Service.PCARE).get(path)
    return participant_parse(answer)


def participant_check_record(*, patient: Patient, participant: Participant) -> None:
    """Keep the last answer on the patient (shown at intake and at each visit)."""
    ParticipantCheck.objects.update_or_create(
        patient=patient,
        defaults={
            "checked_at": timezone.now(),
            "is_active": participant.is_active,
            "status_text": participant.status_text[:100],
            "provider_code": participant.provider_code[:20],
            "provider_name": participant.provider_name[:150],
        },
    )


# ---------------------------------------------------------------- control visits to PCare


def _pcare_settings(facility: Facility) -> tuple[dt.date | None, str]:
    """(send visits from, PCare doctor code) of the facility, else of the environment."""
    stored = BpjsCredentials.objects.filter(facility_id=facility.home_puskesmas_id).first()
    if stored is not None and stored.cons_id:
        return stored.pcare_sync_from, stored.pcare_doctor_code
    return _date(settings.BPJS_PCARE_SYNC_FROM), settings.BPJS_PCARE_DOCTOR_CODE


def pcare_visit_enqueue(*, visit: ControlVisit) -> PCareVisitOutbox:
    """The visit's outbox row (created once), queued to send when this transaction commits."""
    row, created = PCareVisitOutbox.objects.get_or_create(
        visit=visit,
        defaults={"facility": visit.case.facility, "idempotency_key": f"pcare-visit:{visit.pk}"},
    )
    if created:
        outbox_enqueue(PCareVisitOutbox, row.pk)
    return row


def pcare_visits_collect() -> int:
    """Queue every control visit PCare should receive and has not been queued yet.

    A visit is recorded whatever BPJS's state (it is never sent inside the visit's
    transaction); this beat job picks it up, so BPJS being down never blocks care.
    """
    queued = 0
    facilities = Facility.objects.filter(kind__in=Facility.PRIMARY_CARE, is_active=True)
    for facility in facilities:
        since, _doctor = _pcare_settings(facility)
        if since is None:
            continue
        visits = ControlVisit.objects.filter(
            case__facility=facility, visit_date__gte=since, pcare_outbox__isnull=True
        ).select_related("case")
        for visit in visits[:500]:
            with transaction.atomic():
                pcare_visit_enqueue(visit=visit)
            queued += 1
    return queued


def _int(value: Any) -> int:
    try:
        return int(round(float(value)))
    except (TypeError, ValueError):
        return 0


def _signa_parts(signa: str) -> tuple[str, str]:
    match = re.match(r"^\s*(\d+(?:[.,]\d+)?)\s*[x×]\s*(\d+(?:[.,]\d+)?)", signa or "")
    return (match[1], match[2]) if match else ("1", "1")


def _case_icd10(visit: ControlVisit) -> str:
    letter = visit.case.letters.order_by("-created_at").first()
    return letter.icd10 if letter else ""


def _status_pulang(client: BpjsClient) -> str:
    """kdStatusPulang: the setting if given, else looked up by name in PCare's own list."""
    defaults = settings.BPJS_PCARE_DEFAULTS
    if defaults.get("kdStatusPulang"):
        return str(defaults["kdStatusPulang"])
    answer = client.get("statuspulang/rawatInap/false")
    rows = answer.get("list") if isinstance(answer, dict) else answer
    wanted = str(defaults.get("statusPulangName", "Berobat Jalan")).lower()
    for row in rows or []:
        if isinstance(row, dict) and wanted in _text(row.get("nmStatusPulang")).lower():
            return _text(row.get("kdStatusPulang"))
    raise InteropError(
        _("PCare's list of discharge statuses has no “%(name)s”; set BPJS_PCARE_DEFAULTS.")
        % {"name": wanted},
        transient=False,
    )


def pcare_visit_payloads(visit: ControlVisit, *, doctor_code: str) -> tuple[dict, dict]:
    """(pendaftaran, kunjungan) bodies for a control visit; KMK III.B.x.a.1 monthly control."""
    defaults = settings.BPJS_PCARE_DEFAULTS
    patient = visit.case.patient
    facts = visit.facts or {}
    day = visit.visit_date.strftime("%d-%m-%Y")
    complaint = visit.symptoms.strip() or _("Routine PRB control")
    vitals = {
        "sistole": _int(facts.get("sbp")),
        "diastole": _int(facts.get("dbp")),
        "beratBadan": float(visit.weight_kg or 0),
        "tinggiBadan": float(visit.height_cm or 0),
        "respRate": _int(facts.get("resp_rate")),
        "heartRate": _int(facts.get("resting_hr")),
        "lingkarPerut": _int(facts.get("waist_cm")),
    }
    registration = {
        "kdProviderPeserta": visit.case.facility.bpjs_code,
        "tglDaftar": day,
        "noKartu": patient.bpjs_number,
        "kdPoli": defaults["kdPoli"],
        "keluhan": complaint,
        "kunjSakit": True,
        **vitals,
        "rujukBalik": defaults["rujukBalik"],
        "kdTkp": defaults["kdTkp"],
    }
    lines = list(visit.prescription.lines.select_related("medicine")) if visit.prescription else []
    therapy = "; ".join(f"{line.medicine} {line.signa} ({line.quantity})" for line in lines)
    encounter = {
        "noKunjungan": None,
        "noKartu": patient.bpjs_number,
        "tglDaftar": day,
        "kdPoli": defaults["kdPoli"],
        "keluhan": complaint,
        "kdSadar": defaults["kdSadar"],
        **vitals,
        "suhu": str(facts.get("temperature_c") or ""),
        "kdStatusPulang": None,  # filled at send time (_status_pulang)
        "tglPulang": day,
        "kdDokter": doctor_code,
        "kdDiag1": _case_icd10(visit),
        "kdDiag2": None,
        "kdDiag3": None,
        "kdPoliRujukInternal": None,
        "rujukLanjut": None,
        "kdTacc": defaults["kdTacc"],
        "alasanTacc": None,
        "anamnesa": complaint,
        "alergiMakan": "00",
        "alergiUdara": "00",
        "alergiObat": "00",
        "kdPrognosa": defaults["kdPrognosa"],
        "terapiObat": therapy or "-",
        "terapiNonObat": "-",
        "bmhp": "-",
    }
    return registration, encounter


def _pcare_visit_recorded(client: BpjsClient, encounter: dict[str, Any]) -> str:
    """The number of the participant's PCare visit of that day, poli and diagnosis, if any."""
    try:
        answer = client.get(f"kunjungan/peserta/{quote(encounter['noKartu'])}")
    except InteropError as exc:
        if exc.transient:
            raise
        return ""  # PCare answers "no data" as a refusal: nothing recorded
    for item in _object(answer).get("list") or []:
        item = _object(item)
        if (
            _text(item.get("tglKunjungan")) == encounter["tglDaftar"]
            and _text(_object(item.get("poli")).get("kdPoli")) == encounter["kdPoli"]
            and _text(_object(item.get("diagnosa1")).get("kdDiag")) == encounter["kdDiag1"]
        ):
            return _text(item.get("noKunjungan"))
    return ""


def _pcare_visit_send(row: PCareVisitOutbox) -> str:
    visit = ControlVisit.objects.select_related(
        "case__patient", "case__facility", "prescription"
    ).get(pk=row.visit_id)
    _since, doctor_code = _pcare_settings(visit.case.facility)
    if not doctor_code:
        raise InteropError(
            _("The PCare doctor code is not set; the facility administrator enters it."),
            transient=False,
        )
    client = selectors.bpjs_client(row.facility, Service.PCARE)
    registration, encounter = pcare_visit_payloads(visit, doctor_code=doctor_code)
    if not encounter["kdDiag1"]:
        raise InteropError(_("The case has no ICD-10 diagnosis to report."), transient=False)
    # Each number is stored as soon as PCare gives it: a resend skips what is done.
    if not row.registration_number:
        answer = client.post("pendaftaran", registration)
        row.registration_number = _text(_object(answer).get("message"))
        row.save(update_fields=["registration_number"])
    if not row.visit_number and row.attempts > 1:
        # An earlier try may have stopped (worker died, answer lost) after PCare recorded
        # the visit and before its number was stored: take that visit, do not add another.
        row.visit_number = _pcare_visit_recorded(client, encounter)
        if row.visit_number:
            row.save(update_fields=["visit_number"])
    if not row.visit_number:
        encounter["kdStatusPulang"] = _status_pulang(client)
        answer = client.post("kunjungan/v1", encounter)
        row.visit_number = _text(_object(answer).get("message"))
        if not row.visit_number:
            raise InteropError(_("PCare did not return a visit number."), transient=False)
        row.save(update_fields=["visit_number"])
    lines = visit.prescription.lines.select_related("medicine") if visit.prescription else []
    for line in lines:
        if line.pk in row.medicines_sent:
            continue
        code = selectors.bpjs_code_for_medicine(line.medicine)
        signa1, signa2 = _signa_parts(line.signa)
        client.post(
            "obat/kunjungan",
            {
                "kdObatSK": 0,
                "noKunjungan": row.visit_number,
                "racikan": False,
                "kdRacikan": None,
                "obatDPHO": bool(code),
                "kdObat": code,
                "signa1": signa1,
                "signa2": signa2,
                "jmlObat": line.quantity,
                "jmlPermintaan": line.quantity,
                "nmObatNonDPHO": "" if code else str(line.medicine),
            },
        )
        row.medicines_sent = [*row.medicines_sent, line.pk]
        row.save(update_fields=["medicines_sent"])
    return row.visit_number


def pcare_visit_deliver(*, outbox_id: int) -> None:
    outbox_deliver(PCareVisitOutbox, outbox_id, _pcare_visit_send)


# ---------------------------------------------------------------- settings


def bpjs_credentials_update(
    *, actor: User, facility: Facility, values: dict[str, Any]
) -> BpjsCredentials:
    """Save the facility's BPJS settings; secrets arrive already resolved (blank kept)."""
    with transaction.atomic():
        credentials, _created = BpjsCredentials.objects.select_for_update().get_or_create(
            facility=facility
        )
        fields = [name for name in CREDENTIAL_FIELDS if name in values]
        for name in fields:
            setattr(credentials, name, values[name])
        credentials.cons_id = (credentials.cons_id or "").strip()
        credentials.updated_by = actor
        credentials.full_clean()
        credentials.save(update_fields=[*fields, "updated_by", "updated_at"])
    return credentials


CREDENTIAL_FIELDS = (
    "cons_id",
    "secret_key",
    "vclaim_user_key",
    "pcare_user_key",
    "apotek_user_key",
    "pcare_username",
    "pcare_password",
    "pcare_doctor_code",
    "pcare_sync_from",
)


# ---------------------------------------------------------------- SRB → the intake form


def srb_form_data(letter: SrbLetter, data: Any) -> None:
    """Write the letter into the intake form's data (a mutable QueryDict), keeping what the
    doctor typed where VClaim knows nothing, and never touching the clinical facts."""
    values: dict[str, Any] = {
        "srb_number": letter.srb_number,
        "sep_number": letter.sep_number,
        "letter_date": letter.letter_date.isoformat() if letter.letter_date else "",
        "dpjp_name": letter.dpjp_name,
        "hospital": str(letter.hospital.pk) if letter.hospital else "",
        "clinical_resume": letter.clinical_resume,
        "management_plan": letter.management_plan,
        **{
            key: (value.isoformat() if isinstance(value, dt.date) else value)
            for key, value in letter.patient.items()
        },
    }
    for key, value in values.items():
        if value:
            data[key] = value
    current = data.get("program", "")
    if letter.program:
        data["program"] = letter.program
    elif letter.asks_heart_condition and current not in HEART_PROGRAMS:
        data["program"] = ""
    lines = letter.medicines
    total = max(len(lines), int(data.get("med-TOTAL_FORMS") or 0), 4)
    data["med-TOTAL_FORMS"] = str(min(total, 12))
    data["med-INITIAL_FORMS"] = "0"
    data.setdefault("med-MIN_NUM_FORMS", "0")
    data.setdefault("med-MAX_NUM_FORMS", "12")
    for index, line in enumerate(lines[:12]):
        prefix = f"med-{index}-"
        data[prefix + "medicine"] = str(line.medicine.pk) if line.medicine else ""
        data[prefix + "strength"] = line.medicine.strength if line.medicine else ""
        data[prefix + "signa"] = line.signa
        data[prefix + "quantity_per_month"] = str(line.quantity) if line.quantity else ""


def srb_notes(letter: SrbLetter) -> list[str]:
    """What the doctor must still decide about a letter read from VClaim."""
    notes = []
    if letter.asks_heart_condition:
        notes.append(
            _("The SRB says “%(name)s” (code 04): choose which heart condition.")
            % {"name": letter.program_name or _("heart disease")}
        )
    elif not letter.program:
        notes.append(
            _("The SRB programme “%(code)s %(name)s” is not known: choose the programme.")
            % {"code": letter.program_code, "name": letter.program_name}
        )
    if letter.hospital is None:
        notes.append(
            _("The hospital %(name)s (BPJS code %(code)s) is not registered in PRB: choose it.")
            % {"name": letter.hospital_name or "?", "code": letter.hospital_code or "?"}
        )
    if not letter.patient["nik"]:
        notes.append(_("VClaim does not give the NIK: type it from the patient's KTP or KK."))
    for index, line in enumerate(letter.medicines[:12], start=1):
        if line.medicine is None:
            notes.append(
                _(
                    "Medicine line %(n)s, %(name)s (BPJS code %(code)s), has no formulary "
                    "match: choose the medicine."
                )
                % {"n": index, "name": line.name, "code": line.code}
            )
    return notes


# ---------------------------------------------------------------- Apotek Online claims


@dataclass
class ClaimLine:
    line: PrescriptionLine
    quantity: int

    @property
    def amount(self) -> Decimal:
        return self.line.medicine.price * self.quantity


@dataclass
class ClaimRow:
    """A prescription dispensed in the month (KMK III.C.8.a: claimed outside capitation)."""

    prescription: Prescription
    dispensed_on: dt.date
    lines: list[ClaimLine]
    outbox: ApotekClaimOutbox | None = None

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


def apotek_claim_rows(*, facility: Facility, month: dt.date) -> list[ClaimRow]:
    """Dispensed PRB prescriptions of the month from the facility's PRB store, per
    prescription (dispensing later reversed is not claimed), with their outbox rows."""
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    dispensed = (
        StockCardLine.objects.filter(
            store__facility_id=facility.home_puskesmas_id,
            store__kind=Store.Kind.PRB,
            movement=StockCardLine.Movement.DISPENSE,
            date__gte=start,
            date__lte=end,
            prescription_line__isnull=False,
            reversed_by__isnull=True,
        )
        .values("prescription_line_id")
        .annotate(units=Sum("quantity_out"), last=Max("date"))
        .order_by()
    )
    units = {row["prescription_line_id"]: (row["units"], row["last"]) for row in dispensed}
    lines = PrescriptionLine.objects.filter(pk__in=units).select_related(
        "medicine", "prescription__patient"
    )
    by_prescription: dict[int, ClaimRow] = {}
    for line in lines:
        quantity, last = units[line.pk]
        row = by_prescription.setdefault(
            line.prescription_id,
            ClaimRow(prescription=line.prescription, dispensed_on=last, lines=[]),
        )
        row.dispensed_on = max(row.dispensed_on, last)
        row.lines.append(ClaimLine(line=line, quantity=quantity))
    outboxes = ApotekClaimOutbox.objects.filter(prescription_id__in=by_prescription)
    for outbox in outboxes:
        by_prescription[outbox.prescription_id].outbox = outbox
    return sorted(
        by_prescription.values(),
        key=lambda r: (r.prescription.patient.name, r.prescription.pk),
    )


def apotek_claims_submit(*, actor: User, facility: Facility, month: dt.date) -> int:
    """Queue every dispensed prescription of the month not queued yet; returns how many."""
    queued = 0
    month = month.replace(day=1)
    with transaction.atomic():
        for row in apotek_claim_rows(facility=facility, month=month):
            if row.outbox is not None:
                continue
            outbox = ApotekClaimOutbox.objects.create(
                facility=facility,
                prescription=row.prescription,
                month=month,
                submitted_by=actor,
                idempotency_key=f"apotek-claim:{row.prescription.pk}",
            )
            outbox_enqueue(ApotekClaimOutbox, outbox.pk)
            queued += 1
    return queued


def _origin_sep(prescription: Prescription) -> str:
    letter = (
        BackReferralLetter.objects.filter(patient_id=prescription.patient_id)
        .exclude(sep_number="")
        .order_by("-letter_date", "-id")
        .first()
    )
    return letter.sep_number if letter else ""


def _apotek_send(row: ApotekClaimOutbox) -> str:
    defaults = settings.BPJS_APOTEK_DEFAULTS
    prescription = row.prescription
    claim = next(
        (
            r
            for r in apotek_claim_rows(facility=row.facility, month=row.month)
            if r.prescription.pk == prescription.pk
        ),
        None,
    )
    if claim is None:
        raise InteropError(
            _("Nothing of this prescription was dispensed in the month; nothing to claim."),
            transient=False,
        )
    sep = _origin_sep(prescription)
    if not sep:
        raise InteropError(
            _("The patient's back-referral letter has no SEP number; Apotek Online needs it."),
            transient=False,
        )
    _since, doctor_code = _pcare_settings(row.facility)
    client = selectors.bpjs_client(row.facility, Service.APOTEK)
    if not row.sjp_number:
        answer = _object(
            client.post(
                "sjpresep/v3/insert",
                {
                    "TGLSJP": f"{claim.dispensed_on:%Y-%m-%d} 08:00:00",
                    "REFASALSJP": sep,
                    "POLIRSP": defaults["POLIRSP"],
                    "KDJNSOBAT": "1",  # PRB medicine
                    "NORESEP": f"{prescription.pk:05d}"[-5:],
                    "IDUSERSJP": defaults["IDUSERSJP"],
                    "TGLRSP": f"{prescription.prescribed_on:%Y-%m-%d} 00:00:00",
                    "TGLPELRSP": f"{claim.dispensed_on:%Y-%m-%d} 00:00:00",
                    "KdDokter": doctor_code or defaults["KdDokter"],
                    "iterasi": defaults["iterasi"],
                },
            )
        )
        row.sjp_number = _text(answer.get("noApotik"))
        row.bpjs_prescription_number = _text(answer.get("noResep"))
        if not row.sjp_number:
            raise InteropError(_("Apotek Online did not return an SJP number."), transient=False)
        row.save(update_fields=["sjp_number", "bpjs_prescription_number"])
    for line in claim.lines:
        if line.line.pk in row.lines_sent:
            continue
        signa1, signa2 = _signa_parts(line.line.signa)
        client.post(
            "obatnonracikan/v3/insert",
            {
                "NOSJP": row.sjp_number,
                "NORESEP": row.bpjs_prescription_number,
                "KDOBT": selectors.bpjs_code_for_medicine(line.line.medicine),
                "NMOBAT": str(line.line.medicine),
                "SIGNA1OBT": signa1,
                "SIGNA2OBT": signa2,
                "JMLOBT": line.quantity,
                "JHO": int(defaults["JHO"]) * max(prescription.months, 1),
                "CatKhsObt": "",
            },
        )
        row.lines_sent = [*row.lines_sent, line.line.pk]
        row.save(update_fields=["lines_sent"])
    return row.sjp_number


def apotek_claim_deliver(*, outbox_id: int) -> None:
    outbox_deliver(ApotekClaimOutbox, outbox_id, _apotek_send)


@dataclass
class Reconciliation:
    month: dt.date
    matched: list[dict[str, Any]]
    only_prb: list[ClaimRow]
    only_bpjs: list[dict[str, Any]]

    @property
    def differences(self) -> list[dict[str, Any]]:
        return [
            m
            for m in self.matched
            if m["claimed"] != m["prb_amount"] or m["approved"] != m["claimed"]
        ]

    @property
    def total_claimed(self) -> Decimal:
        return sum((m["claimed"] for m in self.matched), Decimal(0))

    @property
    def total_approved(self) -> Decimal:
        return sum((m["approved"] for m in self.matched), Decimal(0))


def _money(value: Any) -> Decimal:
    try:
        return Decimal(str(value or 0)).quantize(Decimal("0.01"))
    except ArithmeticError:
        return Decimal(0)


def apotek_monitoring_reconcile(*, facility: Facility, month: dt.date) -> Reconciliation:
    """Fetch Apotek Online's claim monitoring for the month and set it beside what PRB
    dispensed and sent: claimed, approved, and every difference."""
    keys = settings.BPJS_APOTEK_MONITORING
    month = month.replace(day=1)
    path = keys["path"].format(
        month=f"{month.month:02d}", year=month.year, kind=keys["kind"], status=keys["status"]
    )
    answer = selectors.bpjs_client(facility, Service.APOTEK).get(path)
    listed = _object(answer).get(keys["list"]) or []
    if not isinstance(listed, list):
        raise InteropError(_("Apotek Online's claim monitoring cannot be read."), transient=False)
    by_sjp = {_text(item.get(keys["sjp"])): item for item in listed if isinstance(item, dict)}
    rows = apotek_claim_rows(facility=facility, month=month)
    matched, only_prb = [], []
    for row in rows:
        item = (
            by_sjp.pop(row.outbox.sjp_number, None)
            if row.outbox and row.outbox.sjp_number
            else None
        )
        if item is None:
            only_prb.append(row)
            continue
        matched.append(
            {
                "row": row,
                "sjp": row.outbox.sjp_number if row.outbox else "",
                "prb_amount": row.amount.quantize(Decimal("0.01")),
                "claimed": _money(item.get(keys["claimed"])),
                "approved": _money(item.get(keys["approved"])),
            }
        )
    only_bpjs = [
        {
            "sjp": sjp,
            "prescription": _text(item.get(keys["prescription"])),
            "claimed": _money(item.get(keys["claimed"])),
            "approved": _money(item.get(keys["approved"])),
        }
        for sjp, item in by_sjp.items()
    ]
    return Reconciliation(month=month, matched=matched, only_prb=only_prb, only_bpjs=only_bpjs)


# ---------------------------------------------------------------- reference data


def bpjs_medicine_map(
    *, actor: User, bpjs_medicine: BpjsMedicine, medicine: Medicine | None
) -> None:
    """The district pharmacist's mapping of a BPJS code to a formulary medicine (or none)."""
    with transaction.atomic():
        bpjs_medicine.medicine = medicine
        bpjs_medicine.mapped_by = actor
        bpjs_medicine.mapped_at = timezone.now()
        bpjs_medicine.full_clean()
        bpjs_medicine.save(update_fields=["medicine", "mapped_by", "mapped_at"])


def _reference_list(answer: Any) -> list[dict[str, str]]:
    items = _object(answer).get("list")
    if not isinstance(items, list):
        raise InteropError(_("BPJS VClaim's reference list cannot be read."), transient=False)
    return [
        {"code": _text(i.get("kode")), "name": _text(i.get("nama"))}
        for i in items
        if isinstance(i, dict) and _text(i.get("kode"))
    ]


def reference_data_load(*, facility: Facility | None = None) -> dict[str, int]:
    """Load BPJS's PRB diagnosis list and PRB medicine list; the mapping is kept.

    The medicine list is searched by name (``referensi/obatprb/{name}``): one search per
    formulary generic name, and a new BPJS code whose name matches one formulary entry
    only is mapped to it; the district pharmacist checks and corrects the mapping.
    """
    facility = facility or _reference_facility()
    client = selectors.bpjs_client(facility, Service.VCLAIM)
    diagnoses = _reference_list(client.get("referensi/diagnosaprb"))
    medicines: dict[str, str] = {}
    names = sorted(set(Medicine.objects.active().values_list("name", flat=True)))
    for name in names:
        for item in _reference_list(client.get(f"referensi/obatprb/{quote(name)}")):
            medicines[item["code"]] = item["name"]
    with transaction.atomic():
        for item in diagnoses:
            BpjsDiagnosis.objects.update_or_create(
                code=item["code"], defaults={"name": item["name"]}
            )
        created = 0
        for code, name in medicines.items():
            row, is_new = BpjsMedicine.objects.update_or_create(code=code, defaults={"name": name})
            if is_new and row.medicine_id is None:
                guess = _formulary_guess(name)
                if guess is not None:
                    row.medicine = guess
                    row.save(update_fields=["medicine"])
            created += is_new
    return {"diagnoses": len(diagnoses), "medicines": len(medicines), "new_medicines": created}


def _formulary_guess(bpjs_name: str) -> Medicine | None:
    """The one formulary entry whose generic name and strength both appear in BPJS's name."""
    text = re.sub(r"\s+", " ", bpjs_name.lower())
    candidates = [
        m
        for m in Medicine.objects.active()
        if m.name.lower() in text
        and (not m.strength or m.strength.lower().replace(" ", "") in text.replace(" ", ""))
    ]
    return candidates[0] if len(candidates) == 1 else None


def _reference_facility() -> Facility:
    """Reference lists are national: any facility with VClaim credentials may read them."""
    with_own = BpjsCredentials.objects.exclude(cons_id="").select_related("facility").first()
    if with_own is not None:
        return with_own.facility
    facility = Facility.objects.filter(kind__in=Facility.PRIMARY_CARE).first()
    if facility is None:
        raise InteropError(_("No facility to read BPJS reference data with."), transient=False)
    return facility


def srb_participant_notes(letter: SrbLetter, data: Any, *, facility: Facility) -> list[str]:
    """Check the letter's participant in PCare: fill a missing NIK, flag a card that is not
    active or registered at another FKTP. PCare unavailable is a note, never a failure."""
    try:
        participant = participant_fetch(
            facility=facility, card_number=letter.patient["bpjs_number"]
        )
    except InteropError as exc:
        return [_("PCare participant check not done: %(error)s") % {"error": exc.message}]
    if participant.nik and not data.get("nik"):
        data["nik"] = participant.nik
        letter.patient["nik"] = participant.nik
    notes = []
    if not participant.is_active:
        notes.append(
            _("The BPJS card is NOT active (%(status)s).")
            % {"status": participant.status_text or "–"}
        )
    if participant.registered_elsewhere(facility):
        notes.append(
            _(
                "The patient is registered at another FKTP in BPJS: %(name)s (%(code)s). "
                "The registration must be moved before the referral is accepted."
            )
            % {"name": participant.provider_name or "–", "code": participant.provider_code}
        )
    return notes
