import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pharmacy import services
from pharmacy.models import Destruction, Prescription, StockCardLine, Store
from tests.pharmacy.conftest import (
    ABC_OCTOBER,
    TODAY,
    destroy,
    prescribe,
    receive,
    receive_expired,
)
from tests.support.exports import cells, flat

pytestmark = pytest.mark.django_db


def test_the_worklist_shows_the_facilitys_prescriptions_by_status(world, login, metformin) -> None:
    prescribe(world, world.patient1, metformin, 30)
    prescribe(world, world.patient2, metformin, 30)
    response = login(world.farmasi1).get(reverse("pharmacy:home"))
    assert response.status_code == 200
    assert "Siti Lubis" in response.content.decode()
    assert "Budi Nasution" not in response.content.decode()
    assert "Daftar penyerahan obat" in response.content.decode()
    dispensed = login(world.farmasi1).get(reverse("pharmacy:home"), {"status": "dispensed"})
    assert "Siti Lubis" not in dispensed.content.decode()


def test_the_worklist_answers_htmx_with_the_partial(world, login, metformin) -> None:
    prescribe(world, world.patient1, metformin, 30)
    response = login(world.farmasi1).get(reverse("pharmacy:home"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="worklist"' in body and "<html" not in body


def test_the_worklist_paginates_without_n_plus_one(
    world, login, metformin, django_assert_num_queries
) -> None:
    for _ in range(30):
        prescribe(world, world.patient1, metformin, 30)
    client = login(world.farmasi1)
    client.get(reverse("pharmacy:home"))
    # a fixed number whatever the page holds: lines and medicines are prefetched, and the
    # patients shown are logged in one insert
    with django_assert_num_queries(11):
        response = client.get(reverse("pharmacy:home"), {"page": 2})
    assert response.context["page"].number == 2


def test_receiving_through_the_form_writes_the_card(world, login, store1, metformin) -> None:
    response = login(world.farmasi1).post(
        reverse("pharmacy:receive", args=[store1.pk]),
        {
            "received_on": TODAY.isoformat(),
            "source": "ifk",
            "supplier": "IFK",
            "reference": "SBBK/9",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-medicine": metformin.pk,
            "lines-0-batch": "FORM-1",
            "lines-0-expiry_date": "2028-03-31",
            "lines-0-quantity": 120,
        },
    )
    assert response.status_code == 302
    line = StockCardLine.objects.get()
    assert (line.lot.batch, line.quantity_in, line.balance_after) == ("FORM-1", 120, 120)


def test_a_bad_receipt_keeps_what_was_typed_and_explains_in_indonesian(
    world, login, store1, metformin
) -> None:
    response = login(world.farmasi1).post(
        reverse("pharmacy:receive", args=[store1.pk]),
        {
            "received_on": TODAY.isoformat(),
            "source": "ifk",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-medicine": metformin.pk,
            "lines-0-batch": "LAMA-1",
            "lines-0-expiry_date": "2026-01-31",
            "lines-0-quantity": 5,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "sudah kedaluwarsa" in body
    assert 'value="LAMA-1"' in body
    assert not StockCardLine.objects.exists()


def test_a_doctor_cannot_move_stock(world, login, store1) -> None:
    response = login(world.dokter1).post(reverse("pharmacy:receive", args=[store1.pk]), {})
    assert response.status_code == 403
    assert not StockCardLine.objects.exists()


def test_dispensing_through_the_page(world, login, store1, metformin) -> None:
    receive(store1, metformin, 20, user=world.farmasi1)
    prescription = prescribe(world, world.patient1, metformin, 30)
    line = prescription.lines.get()
    client = login(world.farmasi1)
    page = client.get(reverse("pharmacy:dispense", args=[prescription.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("pharmacy:dispense", args=[prescription.pk]),
        {"dispensed_on": TODAY.isoformat(), f"quantity_{line.pk}": 30},
        follow=True,
    )
    assert "10 unit masih terutang" in response.content.decode()
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.PARTLY


def test_the_stock_card_page_and_its_exports(world, login, store1, metformin) -> None:
    lot = receive(store1, metformin, 20, user=world.farmasi1, batch="KS-1").lot
    services.stock_dispense(
        actor=world.farmasi1, prescription=prescribe(world, world.patient1, metformin, 5)
    )
    client = login(world.farmasi1)
    url = reverse("pharmacy:card", args=[store1.pk, metformin.pk])
    page = client.get(url, {"lot": lot.pk})
    assert page.status_code == 200
    assert "Kartu stok" in page.content.decode() and "KS-1" in page.content.decode()
    csv_response = client.get(url, {"format": "csv"})
    assert csv_response["Content-Disposition"].endswith('.csv"')
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Tanggal,Jenis mutasi")
    assert len(lines) == 3 and lines[2].split(",")[8] == "15"
    xlsx = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[8] for row in sheet.iter_rows(min_row=2, values_only=True)] == [20, 15]


def test_reversing_a_line_from_the_card(world, login, store1, metformin) -> None:
    line = receive(store1, metformin, 20, user=world.farmasi1)
    response = login(world.farmasi1).post(
        reverse("pharmacy:reverse_line", args=[line.pk]), {"reason": "Salah jumlah"}
    )
    assert response.status_code == 302
    assert StockCardLine.objects.get(reverses=line).quantity_out == 20


@pytest.fixture
def fifty(world, store1, metformin):  # type: ignore[no-untyped-def]
    """50 metformin in store 1: its balance row, which the movement pages pick."""
    return receive(store1, metformin, 50, user=world.farmasi1).lot.balances.get(store=store1)


def _move(client, page: str, balance, **fields):  # type: ignore[no-untyped-def]
    """Post a stock movement page for ``balance`` dated today."""
    url = reverse(f"pharmacy:{page}", args=[balance.store_id])
    return client.post(url, {"on": TODAY.isoformat(), "balance": balance.pk, **fields})


def _moved_out(store, movement: str) -> list[int]:  # type: ignore[no-untyped-def]
    return list(
        StockCardLine.objects.filter(store=store, movement=movement).values_list(
            "quantity_out", flat=True
        )
    )


def test_a_transfer_from_the_page_moves_stock_to_the_other_store(
    world, login, store1, store2, fifty
) -> None:
    response = _move(
        login(world.farmasi1), "transfer", fifty, quantity=5, destination=store2.pk, reference="M1"
    )
    assert response.status_code == 302
    fifty.refresh_from_db()
    assert fifty.quantity == 45
    assert store2.balances.get(lot=fifty.lot).quantity == 5
    assert _moved_out(store1, "transfer_out") == [5]


def test_a_return_from_the_page_takes_the_units_out_of_stock(world, login, store1, fifty) -> None:
    response = _move(
        login(world.farmasi1), "return", fifty, quantity=5, supplier="IFK", reason="Rusak kemasan"
    )
    assert response.status_code == 302
    fifty.refresh_from_db()
    assert fifty.quantity == 45
    assert _moved_out(store1, "return") == [5]


def test_a_write_off_from_the_page_moves_the_units_to_quarantine(
    world, login, store1, fifty
) -> None:
    response = _move(
        login(world.farmasi1), "write_off", fifty, quantity=2, kind="damaged", note="Pecah"
    )
    assert response.status_code == 302
    fifty.refresh_from_db()
    assert fifty.quantity == 48
    assert Store.objects.get(facility=world.pkm1, kind="quarantine").balances.get().quantity == 2


def _count(client, store, balance, counted: int, reason: str):  # type: ignore[no-untyped-def]
    lot = balance.lot_id
    return client.post(
        reverse("pharmacy:opname", args=[store.pk]),
        {"counted_on": TODAY.isoformat(), f"counted_{lot}": counted, f"reason_{lot}": reason},
    )


def test_a_stock_count_that_differs_needs_a_reason(world, login, store1, fifty) -> None:
    refused = _count(login(world.farmasi1), store1, fifty, 30, "")
    assert "berikan alasannya" in refused.content.decode()
    fifty.refresh_from_db()
    assert fifty.quantity == 50
    assert _moved_out(store1, "opname") == []


def test_a_stock_count_with_its_reason_sets_the_balance(world, login, store1, fifty) -> None:
    response = _count(login(world.farmasi1), store1, fifty, 37, "Hilang")
    assert response.status_code == 302
    fifty.refresh_from_db()
    assert fifty.quantity == 37
    assert _moved_out(store1, "opname") == [13]


def test_destruction_report_from_the_page_is_printable(world, login, store1, metformin) -> None:
    lot = receive_expired(store1, metformin, 10, user=world.farmasi1).lot
    balance = lot.balances.get(store=store1)
    client = login(world.farmasi1)
    form = client.get(reverse("pharmacy:destruction_create"))
    assert lot.batch in form.content.decode()
    response = client.post(
        reverse("pharmacy:destruction_create"),
        {
            "destroyed_on": TODAY.isoformat(),
            "method": "incineration",
            "place": "Insinerator RSUD",
            "witnesses": "dr. Rina, Kepala Puskesmas\nYusuf, Dinkes",
            f"destroy_{balance.pk}": 10,
            f"reason_{balance.pk}": "expired",
        },
        follow=True,
    )
    record = Destruction.objects.get()
    body = response.content.decode()
    assert record.number in body and "Berita Acara Pemusnahan" in body and "Yusuf, Dinkes" in body
    balance.refresh_from_db()
    assert balance.quantity == 0


def test_the_lplpo_closes_the_month_at_the_card_balance(world, login, october, store1) -> None:
    lplpo = login(world.farmasi1).get(
        reverse("pharmacy:lplpo", args=[store1.pk]), {"month": "2026-10"}
    )
    assert lplpo.context["rows"][0].closing == 60


def test_the_lplpo_downloads_as_a_workbook_with_the_closing_stock(
    world, login, october, store1
) -> None:
    xlsx = login(world.farmasi1).get(
        reverse("pharmacy:lplpo", args=[store1.pk]), {"month": "2026-10", "format": "xlsx"}
    )
    assert xlsx.status_code == 200
    assert 60 in flat(cells(xlsx))


def test_the_planning_page_lists_the_medicine_and_exports_its_plan(
    world, login, october, store1, metformin
) -> None:
    client = login(world.farmasi1)
    plan = client.get(reverse("pharmacy:planning", args=[store1.pk]))
    assert plan.context["rows"][0].medicine == metformin
    export = client.get(
        reverse("pharmacy:planning", args=[store1.pk]),
        {**plan.context["form"].data, "format": "csv"},
    )
    assert "A rencana kebutuhan" in export.content.decode("utf-8-sig")


def test_one_medicines_morbidity_plan_by_hand(world, login, october, store1, metformin) -> None:
    detail = login(world.farmasi1).get(
        reverse("pharmacy:planning_medicine", args=[store1.pk, metformin.pk]),
        {
            "method": "morbidity",
            "period_months": 12,
            "lead_time_months": 1,
            "buffer_months": 1,
            "cases_label": "DM dewasa",
            "cases_per_month": 10,
            "units_per_case": 60,
        },
    )
    # CE = 600; CT = 600 × 12 + 600 + 600 − 60 = 8340
    assert detail.context["result"].planned_need_units == 8340


def test_abc_ven_classes_the_months_only_medicine(world, login, october, store1) -> None:
    abc = login(world.farmasi1).get(reverse("pharmacy:abc_ven", args=[store1.pk]), ABC_OCTOBER)
    assert abc.context["table"].rows[0].combination == "AE"


def test_abc_cuts_must_add_up_to_100(world, login, october, store1) -> None:
    bad = login(world.farmasi1).get(
        reverse("pharmacy:abc_ven", args=[store1.pk]),
        {**ABC_OCTOBER, "basis": "usage", "cut_c": 20},
    )
    assert "harus berjumlah 100%" in bad.content.decode()


def test_the_claims_list_the_months_dispensed_patients(world, login, october) -> None:
    client = login(world.farmasi1)
    claim = client.get(reverse("pharmacy:claims"), {"month": "2026-10"})
    assert "Siti Lubis" in claim.content.decode()
    csv_claim = client.get(
        reverse("pharmacy:claims"), {"month": "2026-10", "format": "csv"}
    ).content.decode("utf-8-sig")
    assert world.patient1.bpjs_number in csv_claim


def test_dinkes_sees_the_regency_aggregates_only(world, login, store1, metformin) -> None:
    receive(store1, metformin, 40, user=world.farmasi1)
    prescribe(world, world.patient1, metformin, 30)
    page = login(world.dinkes_a).get(reverse("pharmacy:home")).content.decode()
    assert "Puskesmas Satu" in page and "Siti Lubis" not in page
    other = login(world.dinkes_b).get(reverse("pharmacy:home")).content.decode()
    assert "Puskesmas Satu" not in other
    # The district office has no pharmacy pages of its own (accounts.policy).
    assert login(world.dinkes_a).get(reverse("pharmacy:stock", args=[store1.pk])).status_code == 403


def test_dinkes_edits_the_district_ven_class(world, login, metformin) -> None:
    response = login(world.dinkes_a).post(
        reverse("pharmacy:ven"), {"medicine": metformin.pk, "ven": "V"}
    )
    assert response.status_code == 302
    assert metformin.ven_overrides.get().regency == world.regency_a
    assert login(world.farmasi1).get(reverse("pharmacy:ven")).status_code == 403


@pytest.fixture
def pkm1_stock(world, store1, metformin):  # type: ignore[no-untyped-def]
    line = receive(store1, metformin, 20, user=world.farmasi1)
    prescription = prescribe(world, world.patient1, metformin, 5)
    destruction = destroy(world, store1, line.lot, 1, reason="damaged")
    return {
        "store": store1,
        "line": line,
        "prescription": prescription,
        "destruction": destruction,
        "medicine": metformin,
    }


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("pharmacy:stock", ["store"], "get"),
        ("pharmacy:receive", ["store"], "get"),
        ("pharmacy:receive", ["store"], "post"),
        ("pharmacy:card", ["store", "medicine"], "get"),
        ("pharmacy:opname", ["store"], "get"),
        ("pharmacy:transfer", ["store"], "get"),
        ("pharmacy:return", ["store"], "get"),
        ("pharmacy:write_off", ["store"], "get"),
        ("pharmacy:lplpo", ["store"], "get"),
        ("pharmacy:planning", ["store"], "get"),
        ("pharmacy:planning_medicine", ["store", "medicine"], "get"),
        ("pharmacy:abc_ven", ["store"], "get"),
        ("pharmacy:reverse_line", ["line"], "post"),
        ("pharmacy:dispense", ["prescription"], "get"),
        ("pharmacy:dispense", ["prescription"], "post"),
        ("pharmacy:destruction_detail", ["destruction"], "get"),
    ],
)
def test_it_rejects_other_facility(world, login, pkm1_stock, name, args, method) -> None:
    url = reverse(name, args=[pkm1_stock[a].pk for a in args])
    response = getattr(login(world.farmasi2), method)(
        url, {"reason": "x"} if method == "post" else {}
    )
    assert response.status_code == 404


def test_other_facilitys_lists_do_not_show_pkm1(world, login, pkm1_stock) -> None:
    client = login(world.farmasi2)
    assert "Siti Lubis" not in client.get(reverse("pharmacy:home")).content.decode()
    assert (
        pkm1_stock["destruction"].number
        not in client.get(reverse("pharmacy:destruction_list")).content.decode()
    )


def test_claims_show_the_own_puskesmas_and_never_another(
    world, login, store1, store2, metformin
) -> None:
    """Both puskesmas have claims in October: each pharmacist sees their own patient's
    claim (page and CSV) and never the other's."""
    for store, patient, user in (
        (store1, world.patient1, world.farmasi1),
        (store2, world.patient2, world.farmasi2),
    ):
        receive(store, metformin, 100, user=user, on=dt.date(2026, 10, 1))
        services.stock_dispense(
            actor=user,
            prescription=prescribe(world, patient, metformin, 40, on=dt.date(2026, 10, 3)),
            dispensed_on=dt.date(2026, 10, 3),
        )
    url = reverse("pharmacy:claims")
    for user, own, other in (
        (world.farmasi1, world.patient1, world.patient2),
        (world.farmasi2, world.patient2, world.patient1),
    ):
        client = login(user)
        page = client.get(url, {"month": "2026-10"}).content.decode()
        csv = client.get(url, {"month": "2026-10", "format": "csv"}).content.decode("utf-8-sig")
        assert own.name in page and own.bpjs_number in csv, user
        assert other.name not in page and other.bpjs_number not in csv, user
