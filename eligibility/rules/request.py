"""Validation of an evaluation request (contract ``eligibility.md``, Request).

``parse_request`` turns the request dict into an :class:`EvaluationRequest`
or raises :class:`RequestError` with every problem found, keyed by path
(``"facts.hba1c_percent"``, ``"visits[0].date"``), messages in Indonesian.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .clauses import BACK_REFERRAL, MODES
from .facts import FACT_SPECS, PREGNANCY_FACTS, SCORE_ITEMS, FactSpec
from .formatting import format_number, unit_suffix
from .programs import BACK_REFERRAL_FACTS, PROGRAMS, RE_REFERRAL_FACTS

TOP_LEVEL_KEYS = frozenset(
    {"mode", "program", "as_of", "patient", "general", "facts", "baseline", "visits"}
)
PATIENT_KEYS = frozenset({"sex", "birth_date"})
ATTESTATION_KEYS = ("a", "b", "c", "d", "e", "f")
GENERAL_KEYS = frozenset({*ATTESTATION_KEYS, "comorbidities"})
COMORBIDITY_KEYS = frozenset({"icd10", "controlled_months"})
VISIT_KEYS = frozenset({"date", "facts"})
SEXES = ("M", "F")
COMORBIDITY_MONTHS_MAX = 600

# Fact names accepted per program (contract: "A program accepts exactly the fact names
# this contract names for it").
_BACK_REFERRAL_ACCEPTED = {p: frozenset(names) for p, names in BACK_REFERRAL_FACTS.items()}
_RE_REFERRAL_ACCEPTED = {p: frozenset(names) for p, names in RE_REFERRAL_FACTS.items()}

_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
_ICD10_PATTERN = re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?")

UNKNOWN_KEY = "Kolom tidak dikenal."
REQUIRED = "Wajib diisi."
NOT_AN_OBJECT = "Harus berupa objek."
NOT_A_LIST = "Harus berupa daftar."
NOT_A_BOOLEAN = "Harus berupa boolean (true/false)."
NOT_AN_INTEGER = "Harus berupa bilangan bulat."
NOT_A_NUMBER = "Harus berupa angka."
NOT_A_STRING = "Harus berupa teks."
BAD_DATE = "Tanggal harus berformat YYYY-MM-DD dan valid."
NOT_FOR_MEN = "Tidak boleh true untuk pasien laki-laki (jenis kelamin M)."


class RequestError(ValueError):
    """A malformed request; ``errors`` maps each path to its messages (Indonesian)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Visit:
    index: int  # position in the request's list, for paths and same-date order
    date: date
    facts: dict[str, Any]


@dataclass(frozen=True, slots=True)
class EvaluationRequest:
    mode: str
    program: str
    as_of: date
    sex: str | None
    birth_date: date | None
    general: dict[str, Any]
    facts: dict[str, Any]
    baseline: dict[str, Any]
    visits: tuple[Visit, ...]


class _Errors:
    def __init__(self) -> None:
        self.by_path: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.by_path.setdefault(path, []).append(message)


class _Rejected(Exception):
    """A fact value refused; ``problems`` are (sub-path, message) pairs."""

    def __init__(self, *problems: tuple[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


def _as_integer(value: Any) -> int | None:
    """JSON integer, or a whole-number float (``2.0``); booleans are not numbers."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return None


def _as_number(value: Any) -> float | None:
    if type(value) is int:
        return value
    if type(value) is float and math.isfinite(value):
        return value
    return None


def _range_message(low: float, high: float, unit: str = "") -> str:
    return f"Harus antara {format_number(low)} dan {format_number(high)}{unit_suffix(unit)}."


def _integer_items(
    entries: Iterable[tuple[str, Any]],
    low: int,
    high: int,
    problems: Iterable[tuple[str, str]] = (),
) -> list[int]:
    """Each (sub-path, item) a whole number from low to high: the numbers in order, or
    ``_Rejected`` with every problem at once (after the ``problems`` already found)."""
    found = list(problems)
    numbers: list[int] = []
    for where, item in entries:
        number = _as_integer(item)
        if number is None:
            found.append((where, NOT_AN_INTEGER))
        elif not low <= number <= high:
            found.append((where, _range_message(low, high)))
        else:
            numbers.append(number)
    if found:
        raise _Rejected(*found)
    return numbers


FactValidator = Callable[[Any], Any]


def _validator(spec: FactSpec) -> FactValidator:
    """Compile the check of one fact: returns the normalized value or raises _Rejected."""
    if spec.type == "bool":

        def check_bool(value: Any) -> bool:
            if type(value) is bool:
                return value
            raise _Rejected(("", NOT_A_BOOLEAN))

        return check_bool
    if spec.type in ("int", "float"):
        assert spec.min is not None and spec.max is not None
        low, high = spec.min, spec.max
        out_of_range = _range_message(low, high, spec.unit)
        convert, wrong_type = (
            (_as_integer, NOT_AN_INTEGER) if spec.type == "int" else (_as_number, NOT_A_NUMBER)
        )

        def check_number(value: Any) -> float:
            number = convert(value)
            if number is None:
                raise _Rejected(("", wrong_type))
            if not low <= number <= high:
                raise _Rejected(("", out_of_range))
            return number

        return check_number
    if spec.type == "str":

        def check_text(value: Any) -> str:
            if type(value) is str and value:
                return value
            raise _Rejected(("", NOT_A_STRING))

        return check_text
    if spec.type == "list" and spec.choices:
        return _descriptor_list_validator(spec)
    if spec.type == "list":
        return _item_list_validator(spec)
    return _panss_validator(spec)


def _item_list_validator(spec: FactSpec) -> FactValidator:
    """ACT / CAT items: exactly ``length`` integers within the item range."""
    assert spec.item_min is not None and spec.item_max is not None
    low, high, length = spec.item_min, spec.item_max, spec.length

    def check_items(value: Any) -> list[int]:
        if type(value) is not list:
            raise _Rejected(("", NOT_A_LIST))
        if len(value) != length:
            raise _Rejected(("", f"Harus berisi tepat {length} butir."))
        return _integer_items(((f"[{index}]", item) for index, item in enumerate(value)), low, high)

    return check_items


def _descriptor_list_validator(spec: FactSpec) -> FactValidator:
    """SLEDAI-2K descriptors: each known, each once."""
    known = frozenset(spec.choices)

    def check_descriptors(value: Any) -> list[str]:
        if type(value) is not list:
            raise _Rejected(("", NOT_A_LIST))
        seen: set[str] = set()
        problems: list[tuple[str, str]] = []
        for index, item in enumerate(value):
            if type(item) is not str or item not in known:
                problems.append((f"[{index}]", f"Deskriptor SLEDAI-2K tidak dikenal: {item!r}."))
            elif item in seen:
                problems.append((f"[{index}]", f"Deskriptor SLEDAI-2K berulang: {item!r}."))
            else:
                seen.add(item)
        if problems:
            raise _Rejected(*problems)
        return list(value)

    return check_descriptors


def _panss_validator(spec: FactSpec) -> FactValidator:
    """PANSS remission items: only the eight keys, each 1–7 (null = not scored)."""
    assert spec.item_min is not None and spec.item_max is not None
    low, high = spec.item_min, spec.item_max
    unknown_item = f"Butir PANSS tidak dikenal; yang diterima: {', '.join(spec.choices)}."

    def check_panss(value: Any) -> dict[str, int]:
        if not isinstance(value, Mapping):
            raise _Rejected(("", NOT_AN_OBJECT))
        unknown = [(f".{key}", unknown_item) for key in value if key not in spec.choices]
        scored = {k: item for k, item in value.items() if k in spec.choices and item is not None}
        entries = ((f".{key}", item) for key, item in scored.items())
        return dict(zip(scored, _integer_items(entries, low, high, unknown), strict=True))

    return check_panss


_VALIDATORS: dict[str, FactValidator] = {
    name: _validator(spec) for name, spec in FACT_SPECS.items()
}


def _parse_date(value: Any, path: str, errors: _Errors) -> date | None:
    if type(value) is date:
        return value
    if type(value) is str and _DATE_PATTERN.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors.add(path, BAD_DATE)
    return None


def _object(value: Any, path: str, errors: _Errors, keys: frozenset[str]) -> Mapping[str, Any]:
    """The mapping at ``path`` ({} if absent), unknown keys reported."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        errors.add(path, NOT_AN_OBJECT)
        return {}
    for key in value:
        if key not in keys:
            errors.add(f"{path}.{key}", UNKNOWN_KEY)
    return value


def _objects(
    raw: Any, path: str, errors: _Errors, keys: frozenset[str]
) -> Iterator[tuple[int, str, Mapping[str, Any]]]:
    """The objects of the list at ``path`` (none if absent), each with its index and path;
    a value that is not a list, or an entry that is not an object, reported."""
    if raw is None:
        return
    if type(raw) is not list:
        errors.add(path, NOT_A_LIST)
        return
    for index, raw_entry in enumerate(raw):
        where = f"{path}[{index}]"
        if isinstance(raw_entry, Mapping):
            yield index, where, _object(raw_entry, where, errors, keys)
        else:
            errors.add(where, NOT_AN_OBJECT)


def _parse_facts(
    raw: Any,
    path: str,
    accepted: frozenset[str],
    program: str,
    sex: str | None,
    errors: _Errors,
) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        errors.add(path, NOT_AN_OBJECT)
        return {}
    facts: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in accepted:
            errors.add(f"{path}.{name}", f"Fakta tidak dikenal untuk program {program}.")
        elif value is not None:  # null is a missing fact
            try:
                facts[name] = _VALIDATORS[name](value)
            except _Rejected as rejected:
                for where, message in rejected.problems:
                    errors.add(f"{path}.{name}{where}", message)
    for score, items in SCORE_ITEMS.items():
        if score in accepted and raw.get(score) is not None and raw.get(items) is not None:
            message = f"Isi salah satu saja: {score} atau {items}."
            errors.add(f"{path}.{score}", message)
            errors.add(f"{path}.{items}", message)
    if sex == "M":
        for name in PREGNANCY_FACTS:
            if facts.get(name) is True:
                errors.add(f"{path}.{name}", NOT_FOR_MEN)
    return facts


def _parse_general(raw: Any, errors: _Errors) -> dict[str, Any]:
    section = _object(raw, "general", errors, GENERAL_KEYS)
    general: dict[str, Any] = {}
    for letter in ATTESTATION_KEYS:
        value = section.get(letter)
        if value is None:
            continue
        if type(value) is bool:
            general[letter] = value
        else:
            errors.add(f"general.{letter}", NOT_A_BOOLEAN)
    comorbidities = section.get("comorbidities")
    if comorbidities is None:
        return general
    entries = []
    for _index, path, entry in _objects(
        comorbidities, "general.comorbidities", errors, COMORBIDITY_KEYS
    ):
        code = entry.get("icd10")
        if code is None:
            errors.add(f"{path}.icd10", REQUIRED)
        elif type(code) is not str or not _ICD10_PATTERN.fullmatch(code):
            errors.add(f"{path}.icd10", "Kode ICD-10 tidak valid (contoh: E78.5).")
        months = entry.get("controlled_months")
        if months is not None:
            number = _as_number(months)
            if number is None:
                errors.add(f"{path}.controlled_months", NOT_A_NUMBER)
            elif not 0 <= number <= COMORBIDITY_MONTHS_MAX:
                message = _range_message(0, COMORBIDITY_MONTHS_MAX, "bulan")
                errors.add(f"{path}.controlled_months", message)
            months = number
        entries.append({"icd10": code, "controlled_months": months})
    general["comorbidities"] = entries
    return general


def parse_request(data: Any, *, today: Callable[[], date]) -> EvaluationRequest:
    """Validate and normalize a request; ``today`` supplies the default ``as_of``."""
    if not isinstance(data, Mapping):
        raise RequestError({"request": ["Permintaan harus berupa objek JSON."]})
    errors = _Errors()
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            errors.add(str(key), UNKNOWN_KEY)

    mode = data.get("mode")
    if mode is None:
        mode = BACK_REFERRAL
    elif mode not in MODES:
        errors.add("mode", f"Mode tidak dikenal; pilihan: {', '.join(MODES)}.")

    program = data.get("program")
    if program is None:
        errors.add("program", REQUIRED)
    elif program not in PROGRAMS:
        errors.add("program", f"Program tidak dikenal; pilihan: {', '.join(PROGRAMS)}.")

    raw_as_of = data.get("as_of")
    as_of = today() if raw_as_of is None else _parse_date(raw_as_of, "as_of", errors)

    patient = _object(data.get("patient"), "patient", errors, PATIENT_KEYS)
    sex = patient.get("sex")
    if sex is not None and sex not in SEXES:
        errors.add("patient.sex", "Jenis kelamin harus M atau F.")
        sex = None
    birth_date = None
    if patient.get("birth_date") is not None:
        birth_date = _parse_date(patient["birth_date"], "patient.birth_date", errors)
        if birth_date and as_of and birth_date > as_of:
            errors.add(
                "patient.birth_date", "Tanggal lahir tidak boleh setelah tanggal evaluasi (as_of)."
            )

    general = _parse_general(data.get("general"), errors)

    facts: dict[str, Any] = {}
    baseline: dict[str, Any] = {}
    visits: list[Visit] = []
    if program in PROGRAMS and mode in MODES:
        if mode == BACK_REFERRAL:
            for key in ("baseline", "visits"):
                if data.get(key):
                    errors.add(key, "Hanya untuk mode re_referral.")
            accepted = _BACK_REFERRAL_ACCEPTED[program]
            facts = _parse_facts(data.get("facts"), "facts", accepted, program, sex, errors)
        else:
            if data.get("facts"):
                errors.add(
                    "facts",
                    "Untuk mode re_referral, fakta diisi per kunjungan (visits) dan pada baseline.",
                )
            accepted = _RE_REFERRAL_ACCEPTED[program]
            baseline = _parse_facts(
                data.get("baseline"), "baseline", accepted, program, sex, errors
            )
            visits = _parse_visits(data.get("visits"), accepted, program, sex, as_of, errors)

    if errors.by_path:
        raise RequestError(errors.by_path)
    assert as_of is not None and isinstance(program, str)
    return EvaluationRequest(
        mode, program, as_of, sex, birth_date, general, facts, baseline, tuple(visits)
    )


def _parse_visits(
    raw: Any,
    accepted: frozenset[str],
    program: str,
    sex: str | None,
    as_of: date | None,
    errors: _Errors,
) -> list[Visit]:
    visits = []
    for index, path, visit in _objects(raw, "visits", errors, VISIT_KEYS):
        day = None
        if visit.get("date") is None:
            errors.add(f"{path}.date", REQUIRED)
        else:
            day = _parse_date(visit["date"], f"{path}.date", errors)
            if day and as_of and day > as_of:
                errors.add(
                    f"{path}.date",
                    "Tanggal kunjungan tidak boleh setelah tanggal evaluasi (as_of).",
                )
        facts = _parse_facts(visit.get("facts"), f"{path}.facts", accepted, program, sex, errors)
        if day is not None:
            visits.append(Visit(index, day, facts))
    return visits
