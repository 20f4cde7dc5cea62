"""General stability criteria — KMK Diktum KEEMPAT a–f, every program.

Contract: a, b, c, e and f are the doctor's attestation ``general.<letter>``
(true = the clause holds). d (contract v2): the doctor's explicit "not
controlled" (``general.d`` false) decides; otherwise ``general.comorbidities``
(each controlled for at least 3 months) decides, or ``general.d`` when the list
is absent.
"""

from __future__ import annotations

from .checks import NOT_ENTERED, Subject
from .clauses import ALL_PROGRAMS, BackReferralCriteria
from .formatting import format_number
from .logic import FALSE, TRUE, UNKNOWN, Finding

GENERAL = BackReferralCriteria(ALL_PROGRAMS)

COMORBIDITY_CONTROLLED_MONTHS = 3  # KEEMPAT.d: "terkontrol dalam tiga bulan terakhir"


def attestation(subject: Subject, letter: str) -> Finding:
    """The doctor's statement that Diktum KEEMPAT.<letter> holds."""
    value = subject.get(letter)
    if value is None:
        return Finding(
            UNKNOWN,
            f"Pernyataan dokter untuk KEEMPAT.{letter} {NOT_ENTERED}",
            (subject.path(letter),),
        )
    if value:
        return Finding(TRUE, f"Dokter menyatakan KEEMPAT.{letter} terpenuhi")
    return Finding(FALSE, f"Dokter menyatakan KEEMPAT.{letter} tidak terpenuhi")


def _attested(letter: str, text: str) -> None:
    """Declare KEEMPAT.<letter> as the doctor's attestation ``general.<letter>``."""
    GENERAL.clause(
        f"KEEMPAT.{letter}",
        text=text,
        rule=f"Terpenuhi bila `general.{letter}` = ya (pernyataan dokter).",
        reads=(f"general.{letter}",),
    )(lambda subject: attestation(subject, letter))


# Clause order is the KMK's: a, b, c, d, e, f.
_attested(
    "a",
    "pasien telah melewati fase akut dan terkontrol dengan baik serta tidak mengalami kekambuhan;",
)
_attested(
    "b",
    "pasien telah dilakukan pemeriksaan fisik, penunjang, dan faktor risiko yang diperlukan "
    "sesuai dengan penyakitnya, serta menunjukkan kondisi klinis terkontrol;",
)
_attested(
    "c",
    "pasien tidak memiliki keluhan dan/atau kelainan klinis yang memberatkan atau "
    "mengganggu aktivitas fisik serta membutuhkan diagnosis dan tata laksana lebih lanjut "
    "di fasilitas pelayanan kesehatan tingkat lanjut;",
)


@GENERAL.clause(
    "KEEMPAT.d",
    text=(
        "pasien tidak disertai komorbiditas dan/atau komplikasi, atau jika ada, kondisi "
        "komorbid dan/atau komplikasi telah terkontrol dalam tiga bulan terakhir berturut-turut "
        "sesuai kondisi dan karakteristik penyakitnya;"
    ),
    rule=(
        "Tidak terpenuhi bila `general.d` = tidak (pernyataan dokter), apa pun isi daftar. "
        "Selain itu `general.comorbidities` menentukan bila diisi: terpenuhi bila kosong atau "
        "setiap komorbid memiliki `controlled_months` ≥ 3, tidak terpenuhi bila ada yang < 3 "
        "(meskipun `general.d` = ya). Bila daftar tidak diisi, `general.d` = ya → terpenuhi."
    ),
    reads=("general.comorbidities", "general.d"),
    note=(
        '"Terkontrol dalam tiga bulan terakhir berturut-turut" dibaca sebagai lama terkontrol '
        "≥ 3 bulan per komorbid; pernyataan dokter bahwa komorbid belum terkontrol selalu "
        "menentukan, apa pun isi daftar."
    ),
)
def comorbidities_controlled(subject: Subject) -> Finding:
    values = subject.values  # read directly: this runs for every evaluation
    comorbidities = values.get("comorbidities")
    if values.get("d") is False:
        # Contract v2: the doctor's explicit "not controlled" wins over any list.
        if comorbidities is None:
            return Finding(FALSE, "Dokter menyatakan KEEMPAT.d tidak terpenuhi")
        return Finding(
            FALSE,
            "Dokter menyatakan KEEMPAT.d tidak terpenuhi (pernyataan dokter menentukan, apa pun "
            "isi daftar komorbid)",
        )
    if comorbidities is None:
        statement = attestation(subject, "d")
        if statement.truth is UNKNOWN:
            return Finding(
                UNKNOWN,
                f"Daftar komorbid dan pernyataan dokter untuk KEEMPAT.d {NOT_ENTERED}",
                (subject.path("comorbidities"), subject.path("d")),
            )
        return statement
    if not comorbidities:
        return Finding(TRUE, "Tidak ada komorbid/komplikasi")
    uncontrolled: list[str] = []
    controlled: list[str] = []
    undecided: list[str] = []
    missing: list[str] = []
    for index, entry in enumerate(comorbidities):
        months = entry.get("controlled_months")
        code = entry.get("icd10") or f"komorbid ke-{index + 1}"
        if months is None:
            undecided.append(f"{code} lama terkontrol {NOT_ENTERED}")
            missing.append(subject.path(f"comorbidities[{index}].controlled_months"))
        elif months >= COMORBIDITY_CONTROLLED_MONTHS:
            controlled.append(f"{code} terkontrol {format_number(months)} bulan ≥ 3 bulan")
        else:
            uncontrolled.append(f"{code} terkontrol {format_number(months)} bulan < 3 bulan")
    if uncontrolled:
        return Finding(FALSE, "; ".join(uncontrolled))
    if undecided:
        return Finding(UNKNOWN, "; ".join(controlled + undecided), tuple(missing))
    return Finding(TRUE, "; ".join(controlled))


_attested(
    "e",
    "pasien telah mendapatkan pengobatan sesuai diagnosis serta telah tercapai target "
    "pengobatan dan dosis pemeliharaan untuk penyakit utama, komplikasi, dan/atau "
    "komorbiditas yang dimilikinya sesuai kondisi dan karakteristik penyakitnya;",
)
_attested(
    "f",
    "pasien tidak mengalami efek samping obat dan tidak dalam pengobatan yang membutuhkan "
    "pemantauan di fasilitas pelayanan kesehatan tingkat lanjut untuk penyakit utama, "
    "komplikasi, dan/atau komorbiditas yang dimilikinya.",
)

GENERAL_CLAUSES = tuple(GENERAL.clauses)
