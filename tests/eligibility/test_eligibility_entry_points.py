"""Both entry points of the contract speak the same JSON (contract eligibility.md)."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from eligibility.rules import evaluate

ROOT = Path(__file__).resolve().parents[2]

DM_REQUEST = {
    "program": "DM",
    "as_of": "2026-11-01",
    "patient": {"sex": "M", "birth_date": "1968-04-02"},
    "general": {"a": True, "b": True, "c": True, "e": True, "f": True, "comorbidities": []},
    "facts": {
        "hba1c_percent": 7.4,
        "fpg_mg_dl": 150,
        "ppg2h_mg_dl": 210,
        "non_basal_insulin": False,
        "basal_insulin_units_per_day": 0,
        "oral_antidiabetic_count": 2,
    },
}


def _criterion(result: dict, clause: str) -> dict:
    return next(c for c in result["criteria"] if c["id"] == clause)


def test_the_api_evaluates_like_the_engine(world, login) -> None:
    response = login(world.dokter1).post(
        reverse("api-eligibility-evaluate"), DM_REQUEST, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body == evaluate(DM_REQUEST)
    assert body["ruleset"] == "KMK-1645-2024"
    assert body["outcome"] == "not_eligible"
    assert _criterion(body, "II.B.1.a")["outcome"] == "not_met"
    assert "7,4" in _criterion(body, "II.B.1.a")["reason"]


def test_the_api_answers_field_errors(world, login) -> None:
    bad = {**DM_REQUEST, "facts": {"hba1c_percent": 70, "shoe_size": 42}}
    response = login(world.dokter1).post(
        reverse("api-eligibility-evaluate"), bad, content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "facts.hba1c_percent" in errors
    assert "facts.shoe_size" in errors


def test_the_api_rejects_a_body_that_is_not_an_object(world, login) -> None:
    response = login(world.dokter1).post(
        reverse("api-eligibility-evaluate"), [1, 2], content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"": ["Permintaan harus berupa objek JSON."]}}


def test_the_api_needs_authentication(client) -> None:
    response = client.post(
        reverse("api-eligibility-evaluate"), DM_REQUEST, content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_the_command_prints_the_same_json(tmp_path) -> None:
    request_file = tmp_path / "request.json"
    request_file.write_text(json.dumps(DM_REQUEST))
    out = io.StringIO()
    call_command("evaluate_eligibility", str(request_file), stdout=out)
    assert json.loads(out.getvalue()) == evaluate(DM_REQUEST)


@pytest.mark.parametrize(
    ("stdin", "path"),
    [
        (json.dumps({**DM_REQUEST, "program": "GOUT"}), "program"),
        ("{not json", ""),
    ],
)
def test_the_command_exits_2_on_a_malformed_request(stdin: str, path: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "evaluate_eligibility", "-"],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert path in json.loads(result.stdout)["errors"]
    assert "Traceback" not in result.stderr
