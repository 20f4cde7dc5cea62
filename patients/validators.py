"""Identifiers of Indonesian patients: NIK (16 digits), the BPJS/JKN card number (13 digits),
and the birth date every form and API applies (one validator for both)."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

NIK_RE = re.compile(r"^\d{16}$")
BPJS_RE = re.compile(r"^\d{13}$")


def validate_nik_format(value: str) -> None:
    if not NIK_RE.match(value or ""):
        raise ValidationError(_("NIK must be exactly 16 digits."), code="nik_format")
    day, month = int(value[6:8]), int(value[8:10])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise ValidationError(
            _("Digits 7–12 of the NIK must be a birth date (DDMMYY, day + 40 for women)."),
            code="nik_date",
        )


EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


def validate_birth_date(value: dt.date) -> None:
    """A living patient's birth date: not in the future, not before 1900."""
    if value > timezone.localdate():
        raise ValidationError(_("The birth date cannot be in the future."), code="birth_future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("The birth date cannot be before 1900."), code="birth_too_early")


def validate_bpjs_number(value: str) -> None:
    if not BPJS_RE.match(value or ""):
        raise ValidationError(_("BPJS card number must be exactly 13 digits."), code="bpjs_format")


def nik_birth_part(*, sex: str, birth_date: dt.date) -> str:
    """The DDMMYY part a NIK must carry for this sex and birth date (women: day + 40)."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"


def validate_nik_matches(*, nik: str, sex: str, birth_date: dt.date) -> None:
    """The NIK's birth-date part must agree with the patient's sex and birth date."""
    expected = nik_birth_part(sex=sex, birth_date=birth_date)
    if nik[6:12] == expected:
        return
    other_sex = "M" if sex == "F" else "F"
    if nik[6:12] == nik_birth_part(sex=other_sex, birth_date=birth_date):
        raise ValidationError(
            _(
                "The NIK encodes the other sex: for women the day of birth is "
                "increased by 40 (expected %(expected)s in digits 7–12)."
            )
            % {"expected": expected},
            code="nik_sex",
        )
    raise ValidationError(
        _(
            "The NIK's birth date (digits 7–12: %(found)s) does not match the birth date "
            "(expected %(expected)s)."
        )
        % {"found": nik[6:12], "expected": expected},
        code="nik_birth_date",
    )
