from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bpjs.models import BpjsDiagnosis, BpjsMedicine
from bpjs.tasks import reference_data_load
from tests.conftest import World
from tests.referrals.factories import FormularyMedicineFactory
from tests.support.bpjs_fake import BpjsFake


@pytest.fixture
def lists(bpjs_fake: BpjsFake) -> BpjsFake:
    bpjs_fake.prb_diagnoses = [
        {"kode": "E11", "nama": "Non-insulin-dependent diabetes mellitus"},
        {"kode": "I10", "nama": "Essential (primary) hypertension"},
    ]
    bpjs_fake.prb_medicines = [
        {"kode": "12100101", "nama": "Metformin tab 500 mg"},
        {"kode": "12100102", "nama": "Metformin tab 1000 mg"},
    ]
    return bpjs_fake


def test_the_lists_are_loaded_and_an_exact_match_is_mapped(world: World, lists: BpjsFake) -> None:
    metformin = FormularyMedicineFactory()  # Metformin 500 mg tablet
    out = StringIO()
    call_command("bpjs_reference_load", "--facility", world.pkm1.kemenkes_code, stdout=out)
    assert "Diagnosis PRB: 2" in out.getvalue()
    assert set(BpjsDiagnosis.objects.values_list("code", flat=True)) == {"E11", "I10"}
    assert BpjsMedicine.objects.get(code="12100101").medicine == metformin
    assert (
        BpjsMedicine.objects.get(code="12100102").medicine is None
    )  # no 1000 mg in the formulary: not guessed
    assert any(r.path.startswith("referensi/obatprb/Metformin") for r in lists.requests)


def test_loading_again_keeps_the_district_mapping(world: World, lists: BpjsFake) -> None:
    FormularyMedicineFactory()  # the formulary's Metformin is what the load searches for
    other = FormularyMedicineFactory(name="Glibenklamid", strength="5 mg")
    BpjsMedicine.objects.create(code="12100101", name="lama", medicine=other)
    call_command("bpjs_reference_load", stdout=StringIO())
    row = BpjsMedicine.objects.get(code="12100101")
    assert (row.name, row.medicine) == ("Metformin tab 500 mg", other)


def test_the_monthly_job_reports_an_unreachable_bpjs(world: World, lists: BpjsFake) -> None:
    lists.go_down()
    result = reference_data_load()
    assert "tidak menjawab" in result["error"]
    assert not BpjsDiagnosis.objects.exists()


def test_the_command_exits_2_when_bpjs_refuses(world: World, lists: BpjsFake, settings) -> None:  # type: ignore[no-untyped-def]
    settings.BPJS_SECRET_KEY = "salah"
    with pytest.raises(CommandError, match="Kredensial BPJS salah") as exc:
        call_command("bpjs_reference_load")
    assert exc.value.returncode == 2
