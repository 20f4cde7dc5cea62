import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from patients.validators import (
    nik_birth_part,
    validate_bpjs_number,
    validate_nik_format,
    validate_nik_matches,
)


def test_birth_part_adds_forty_to_the_day_for_women() -> None:
    assert nik_birth_part(sex="F", birth_date=dt.date(1970, 3, 5)) == "450370"
    assert nik_birth_part(sex="M", birth_date=dt.date(1970, 3, 5)) == "050370"


@pytest.mark.parametrize("value", ["123", "12750105037000011", "127501050370000a", ""])
def test_it_rejects_a_nik_that_is_not_sixteen_digits(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_nik_format(value)
    assert exc.value.code == "nik_format"


def test_it_rejects_a_nik_without_a_date() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_nik_format("1275019913700001")
    assert exc.value.code == "nik_date"


def test_it_accepts_a_womans_nik() -> None:
    validate_nik_format("1275014503700001")
    validate_nik_matches(nik="1275014503700001", sex="F", birth_date=dt.date(1970, 3, 5))


def test_it_names_the_sex_mismatch() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_nik_matches(nik="1275010503700001", sex="F", birth_date=dt.date(1970, 3, 5))
    assert exc.value.code == "nik_sex"


def test_it_names_the_birth_date_mismatch() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_nik_matches(nik="1275010603700001", sex="M", birth_date=dt.date(1970, 3, 5))
    assert exc.value.code == "nik_birth_date"


@pytest.mark.parametrize("value", ["000123456789", "00012345678901", "000123456789x"])
def test_it_rejects_a_bpjs_number_that_is_not_thirteen_digits(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_bpjs_number(value)
    validate_bpjs_number("0001234567890")
