"""Full evaluations per second for a typical DM back-referral request, one core.

Run:  .venv/bin/python benchmarks/bench_eligibility.py [--seconds 3]

Each iteration validates the request dict and evaluates KEEMPAT a–f plus
II.B.1.a–g, building the complete response (reasons included), exactly as
the CLI and API do. The goal is at least 20,000 evaluations per second.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eligibility.rules import evaluate  # noqa: E402

TYPICAL_DM_REQUEST = {
    "mode": "back_referral",
    "program": "DM",
    "as_of": "2026-11-01",
    "patient": {"sex": "M", "birth_date": "1968-04-02"},
    "general": {
        "a": True,
        "b": True,
        "c": True,
        "e": True,
        "f": True,
        "comorbidities": [{"icd10": "E78.5", "controlled_months": 4}],
    },
    "facts": {
        "hba1c_percent": 6.8,
        "fpg_mg_dl": 118,
        "ppg2h_mg_dl": 165,
        "non_basal_insulin": False,
        "basal_insulin_units_per_day": 10,
        "oral_antidiabetic_count": 2,
        "neuropathy": True,
        "neuropathy_treated_neurotropic": True,
        "urine_protein_plus": 1,
        "ecg_normal": True,
        "creatinine_mg_dl": 1.1,
        "sbp": 132,
        "dbp": 84,
        "antihypertensive_count": 2,
        "ldl_mg_dl": 92,
        "very_high_cv_risk": False,
    },
}


def measure(seconds: float) -> float:
    """Evaluations per second over roughly ``seconds`` of wall time (best of 5 rounds)."""
    assert evaluate(TYPICAL_DM_REQUEST)["outcome"] == "eligible"
    for _ in range(1000):  # warm-up
        evaluate(TYPICAL_DM_REQUEST)
    best = 0.0
    rounds = 5
    for _ in range(rounds):
        count = 0
        start = time.perf_counter()
        deadline = start + seconds / rounds
        while True:
            for _ in range(500):
                evaluate(TYPICAL_DM_REQUEST)
            count += 500
            now = time.perf_counter()
            if now >= deadline:
                break
        best = max(best, count / (now - start))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    rate = measure(args.seconds)
    print(
        f"{rate:,.0f} evaluations/s, {1e6 / rate:.1f} µs each "
        f"(DM back-referral, Python {sys.version.split()[0]})"
    )


if __name__ == "__main__":
    main()
