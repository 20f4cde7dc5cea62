"""Every computed control date falls on a working day (lib.workdays)."""

import datetime as dt

import pytest

from referrals import services
from tests.referrals.factories import enrol, make_ready, receive_letter, record_visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_enrolment_brings_a_saturday_control_forward_to_friday(world) -> None:
    letter = receive_letter(world)
    make_ready(letter.facility, letter.program, world.dokter1)
    # Thursday 8 October + 30 days = Saturday 7 November.
    case = services.letter_accept(actor=world.dokter1, letter=letter, on=dt.date(2026, 10, 8))
    assert case.next_control_date == dt.date(2026, 11, 6)


def test_a_visit_without_a_date_for_the_next_control_gets_a_working_day(world) -> None:
    case = enrol(world)
    visit = record_visit(world, case)
    # 5 November + 30 days = Saturday 5 December.
    assert visit.next_control_date == dt.date(2026, 12, 4)
    case.refresh_from_db()
    assert case.next_control_date == dt.date(2026, 12, 4)


def test_a_date_the_doctor_chose_is_kept(world) -> None:
    case = enrol(world)
    visit = record_visit(world, case, next_control_date=dt.date(2026, 12, 5))
    assert visit.next_control_date == dt.date(2026, 12, 5)
