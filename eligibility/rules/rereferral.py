"""Re-referral (rujuk ulang) over a 3-month window — KMK BAB III.B.x.d.

Contract: the window is ``as_of`` minus 3 calendar months (day clamped to
the month's end) exclusive, to ``as_of`` inclusive. Each criterion is
evaluated on every visit in the window; it is triggered if any visit
triggers it, else clear if any visit evaluates it clear, else unknown.
"Latest reading" criteria use only the latest visit carrying the reading
(same date: the later in the list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .checks import Subject, compare, fact, is_true
from .facts import FACT_SPECS
from .formatting import format_date, join_labels
from .instruments import months_before
from .logic import FALSE, TRUE, UNKNOWN, Finding, Truth, all_of, any_of, merge_missing

WINDOW_MONTHS = 3
NO_VISITS_PATH = "visits"

VisitEvaluate = Callable[[Subject], Finding]


@dataclass(slots=True)  # not frozen, like Finding: cheaper to build
class WindowFinding:
    """A re-referral criterion over the window: triggered (TRUE), clear, or unknown."""

    truth: Truth
    reason: str
    missing: tuple[str, ...] = ()
    visit_date: date | None = None  # the latest visit that triggered the criterion


@dataclass(frozen=True, slots=True)
class Window:
    """The visits that count for a re-referral evaluation."""

    start: date  # exclusive
    end: date  # inclusive (as_of)
    visits: tuple[Subject, ...]  # in the window, by (date, position in the list)
    baseline: Subject

    @classmethod
    def ending(cls, as_of: date, visits: list[Subject], baseline: Subject) -> Window:
        start = months_before(as_of, WINDOW_MONTHS)
        inside = tuple(v for v in visits if start < v.on <= as_of)
        return cls(start, as_of, inside, baseline)

    def describe(self) -> str:
        return (
            f"{WINDOW_MONTHS} bulan terakhir "
            f"({format_date(self.start)} < tanggal ≤ {format_date(self.end)})"
        )

    def latest_carrying(self, *names: str) -> Subject | None:
        """The latest visit in the window in which every named fact is given."""
        for visit in reversed(self.visits):
            if all(visit.get(name) is not None for name in names):
                return visit
        return None

    def no_visits(self) -> WindowFinding:
        return WindowFinding(
            UNKNOWN, f"Tidak ada kunjungan dalam {self.describe()}", (NO_VISITS_PATH,)
        )


def any_visit(per_visit: VisitEvaluate) -> Callable[[Window], WindowFinding]:
    """Triggered if any visit triggers it, else clear if any is clear, else unknown."""

    def judge(window: Window) -> WindowFinding:
        if not window.visits:
            return window.no_visits()
        triggered: list[tuple[Subject, Finding]] = []
        clear: tuple[Subject, Finding] | None = None
        undecided: list[tuple[Subject, Finding]] = []
        for visit in window.visits:
            finding = per_visit(visit)
            if finding.truth is TRUE:
                triggered.append((visit, finding))
            elif finding.truth is FALSE:
                clear = (visit, finding)
            else:
                undecided.append((visit, finding))
        if triggered:
            visit, finding = triggered[-1]
            where = f"Kunjungan {format_date(visit.on)}"
            if len(triggered) > 1:
                where = f"Terpicu pada {len(triggered)} kunjungan; terakhir {format_date(visit.on)}"
            return WindowFinding(TRUE, f"{where}: {finding.reason}", (), visit.on)
        if clear is not None:
            visit, finding = clear
            return WindowFinding(
                FALSE,
                f"Tidak terpicu dalam {window.describe()}; "
                f"kunjungan {format_date(visit.on)}: {finding.reason}",
            )
        visit, finding = undecided[-1]
        return WindowFinding(
            UNKNOWN,
            f"Belum dapat dinilai dalam {window.describe()}; "
            f"kunjungan {format_date(visit.on)}: {finding.reason}",
            merge_missing([f for _, f in undecided]),
        )

    return judge


def latest_with(*names: str) -> Callable[[VisitEvaluate], Callable[[Window], WindowFinding]]:
    """Judge only the latest visit in the window that carries all ``names``."""

    def wrap(per_visit: VisitEvaluate) -> Callable[[Window], WindowFinding]:
        def judge(window: Window) -> WindowFinding:
            visit = window.latest_carrying(*names)
            if visit is None:
                if not window.visits:
                    return window.no_visits()
                labels = join_labels([FACT_SPECS[name].short for name in names])
                latest = window.visits[-1]
                return WindowFinding(
                    UNKNOWN,
                    f"Tidak ada kunjungan dalam {window.describe()} yang mencatat {labels}",
                    tuple(latest.path(name) for name in names),
                )
            finding = per_visit(visit)
            return WindowFinding(
                finding.truth,
                f"Pembacaan terakhir ({format_date(visit.on)}): {finding.reason}",
                finding.missing,
                visit.on if finding.truth is TRUE else None,
            )

        return judge

    return wrap


def whole_window(
    judge: Callable[[Window], WindowFinding],
) -> Callable[[Window], WindowFinding]:
    """The clause reads the window itself (several readings, baseline)."""
    return judge


# --- Criteria shared by every program ----------------------------------------

MEDICAL_NEED_RULE = "Terpicu bila `medical_need` = ya pada kunjungan mana pun dalam jendela."
DETERIORATION_OR_UNAVAILABLE_RULE = (
    "Terpicu bila `deterioration` atau `medicines_unavailable` = ya pada kunjungan mana pun "
    "dalam jendela."
)
UNCONTROLLED_BP_RULE = (
    "Terpicu bila pada pembacaan terakhir dalam jendela (kunjungan terakhir yang mencatat "
    "`sbp` dan `dbp`) `sbp` > 140 atau `dbp` > 90."
)
MEDICINES_UNAVAILABLE_NOTE = (
    'Di aplikasi, "obat tidak tersedia" juga diturunkan dari stok obat PRB fasilitas.'
)
UNCONTROLLED_BP_NOTE = (
    "Dinilai pada pembacaan terakhir dalam 3 bulan; ketidaksamaan tegas seperti tercetak "
    "(> 140 atau > 90), sehingga 140/90 tepat belum memicu."
)


def medical_need(visit: Subject) -> Finding:
    """Criterion 1 of every program: "sesuai kebutuhan medis pasien"."""
    return is_true(visit, "medical_need")


def deterioration_or_medicines_unavailable(visit: Subject) -> Finding:
    return any_of(is_true(visit, "deterioration"), is_true(visit, "medicines_unavailable"))


def bp_uncontrolled(visit: Subject) -> Finding:
    """ "tekanan darah menjadi tidak terkontrol (sistolik >140 mmHg, diastolik >90 mmHg)"."""
    return any_of(
        compare(fact(visit, "sbp"), ">", 140),
        compare(fact(visit, "dbp"), ">", 90),
    )


def deterioration_and_medicines_unavailable(visit: Subject) -> Finding:
    """HT III.B.2.d.4 prints "dan": both in the same visit."""
    return all_of(is_true(visit, "deterioration"), is_true(visit, "medicines_unavailable"))
