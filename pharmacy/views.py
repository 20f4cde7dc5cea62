import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.models import User
from pharmacy import exports, planning, selectors, services
from pharmacy.forms import (
    AbcForm,
    CaseLoadForm,
    DestructionForm,
    DispenseForm,
    MonthForm,
    OpnameForm,
    PlanningForm,
    ReceiptForm,
    ReturnForm,
    ReverseForm,
    TransferForm,
    VenForm,
    WriteOffForm,
)
from pharmacy.models import Destruction, Lot, Medicine, Prescription, StockBalance, Store

PAGE_SIZE = 25
WORKLIST_STATUSES = (
    Prescription.Status.WAITING,
    Prescription.Status.PARTLY,
    Prescription.Status.DISPENSED,
)


def _require_pharmacist(user: Any) -> None:
    """Stock is moved by pharmacy staff (and the facility administrator)."""
    if not (user.is_superuser or user.role in (user.Role.FARMASI, user.Role.ADMIN)):
        raise PermissionDenied


def _export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in exports.FORMATS else None


def _month(request: HttpRequest) -> tuple[MonthForm, dt.date]:
    today = timezone.localdate()
    form = MonthForm(request.GET or {"month": f"{today:%Y-%m}"})
    month = form.cleaned_data["month"] if form.is_valid() else today
    return form, month.replace(day=1)


def _error_messages(error: ValidationError) -> list[str]:
    return error.messages


@login_required
@vary_on_headers("HX-Request")
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_dinkes:  # type: ignore[union-attr]
        return district_stock(request)
    if not (request.user.is_facility_staff or request.user.is_superuser):  # type: ignore[union-attr]
        raise PermissionDenied
    status = request.GET.get("status", Prescription.Status.WAITING)
    if status not in WORKLIST_STATUSES:
        status = Prescription.Status.WAITING
    page = Paginator(selectors.worklist(user=request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "pharmacy/home.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#worklist"
    statuses = [(s, Prescription.Status(s).label) for s in WORKLIST_STATUSES]
    context = {
        "page": page,
        "status": status,
        "statuses": statuses,
        "stores": selectors.stores_for_user(request.user),
    }
    return render(request, template, context)


def district_stock(request: HttpRequest) -> HttpResponse:
    """Dinkes: the regency's stock per puskesmas and medicine, aggregates only."""
    regency = request.user.regency  # type: ignore[union-attr]
    context = {
        "regency": regency,
        "levels": selectors.stock_levels_for_regency(regency),
        "stock_outs": selectors.stock_outs_for_regency(regency),
        "expiring": selectors.expiring_lots_for_regency(regency)[:50],
    }
    return render(request, "pharmacy/district.html", context)


@login_required
def stock(request: HttpRequest, pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    context = {
        "store": store,
        "rows": selectors.stock_levels(store=store),
        "today": timezone.localdate(),
    }
    return render(request, "pharmacy/stock.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest, pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    _require_pharmacist(request.user)
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.stock_receive(
                actor=request.user,
                store=store,
                received_on=data["received_on"],
                source=data["source"],
                supplier=data["supplier"],
                reference=data["reference"],
                lines=[
                    services.ReceiptLineInput(
                        medicine=data["medicine"],
                        batch=data["batch"],
                        expiry_date=data["expiry_date"],
                        quantity=data["quantity"],
                    )
                ],
            )
        except ValidationError as error:
            form.add_error(None, _error_messages(error))
        else:
            messages.success(request, _("Receipt recorded on the stock card."))
            return redirect("pharmacy:stock", pk=store.pk)
    return render(request, "pharmacy/receive.html", {"store": store, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def dispense(request: HttpRequest, pk: int) -> HttpResponse:
    prescription = selectors.prescription_for_user(request.user, pk)
    lines = list(prescription.lines.select_related("medicine"))
    store = services.prb_store_for(prescription.facility_id)
    owed_lines = [line for line in lines if line.owed_quantity > 0]
    form = DispenseForm(request.POST or None, lines=owed_lines)
    if request.method == "POST":
        _require_pharmacist(request.user)
        if form.is_valid():
            try:
                result = services.stock_dispense(
                    actor=request.user,
                    prescription=prescription,
                    store=store,
                    dispensed_on=form.cleaned_data["dispensed_on"],
                    quantities=form.quantities(),
                )
            except ValidationError as error:
                form.add_error(None, _error_messages(error))
            else:
                owed = sum(result.owed.values())
                if owed:
                    messages.warning(
                        request,
                        _("Partly dispensed: %(owed)s units still owed to the patient.")
                        % {"owed": owed},
                    )
                else:
                    messages.success(request, _("Dispensed in full."))
                return redirect("pharmacy:dispense", pk=prescription.pk)
    available = {
        row.medicine.pk: row.usable_quantity for row in selectors.stock_levels(store=store)
    }
    context = {
        "prescription": prescription,
        "store": store,
        "form": form,
        "rows": [
            {
                "line": line,
                "available": available.get(line.medicine_id, 0),
                "field": form[f"quantity_{line.pk}"] if line.owed_quantity else None,
            }
            for line in lines
        ],
        "card_lines": prescription_card_lines(prescription),
    }
    return render(request, "pharmacy/dispense.html", context)


def prescription_card_lines(prescription: Prescription) -> Any:
    from pharmacy.models import StockCardLine

    return (
        StockCardLine.objects.filter(prescription_line__prescription=prescription)
        .select_related("lot", "medicine", "user")
        .order_by("date", "id")
    )


CARD_HEADERS = (
    "Tanggal",
    "Jenis mutasi",
    "No. dokumen",
    "Dari / kepada",
    "Batch",
    "Kedaluwarsa",
    "Masuk",
    "Keluar",
    "Sisa lot",
    "Sisa obat",
    "Keterangan",
    "Petugas",
)


@login_required
def card(request: HttpRequest, pk: int, medicine_pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    medicine = get_object_or_404(Medicine, pk=medicine_pk)
    lot = None
    if request.GET.get("lot", "").isdigit():
        lot = get_object_or_404(Lot, pk=int(request.GET["lot"]), medicine=medicine)
    lines = selectors.stock_card(store=store, medicine=medicine, lot=lot)
    fmt = _export_format(request)
    if fmt:
        name = f"kartu-stok-{store.facility.kemenkes_code}-{medicine.pk}" + (
            f"-{lot.batch}" if lot else ""
        )
        return exports.table_response(
            fmt=fmt,
            filename=name,
            title="Kartu stok",
            headers=CARD_HEADERS,
            rows=(
                (
                    line.date,
                    line.get_movement_display(),
                    line.reference,
                    line.counterparty,
                    line.lot.batch,
                    line.lot.expiry_date,
                    line.quantity_in,
                    line.quantity_out,
                    line.balance_after,
                    line.medicine_balance,
                    line.note,
                    line.user.get_full_name() or line.user.username,
                )
                for line in lines
            ),
        )
    context = {
        "store": store,
        "medicine": medicine,
        "lot": lot,
        "lines": lines,
        "lots": Lot.objects.filter(medicine=medicine, card_lines__store=store).distinct(),
        "reverse_form": ReverseForm(),
    }
    return render(request, "pharmacy/card.html", context)


@login_required
@require_POST
def reverse_line(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.card_line_for_user(request.user, pk)
    _require_pharmacist(request.user)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            services.stock_card_line_reverse(
                actor=request.user, line=line, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in _error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The line was reversed by a correcting line."))
    else:
        messages.error(request, _("Give the reason for the correction."))
    return redirect("pharmacy:card", pk=line.store_id, medicine_pk=line.medicine_id)


def _lot_movement(
    request: HttpRequest, pk: int, form_class: type, template: str, action: Any
) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    _require_pharmacist(request.user)
    form = form_class(request.POST or None, store=store)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = [services.LotQuantity(lot=data["balance"].lot, quantity=data["quantity"])]
        try:
            action(store=store, data=data, lines=lines)
        except ValidationError as error:
            form.add_error(None, _error_messages(error))
        else:
            messages.success(request, _("Recorded on the stock card."))
            return redirect("pharmacy:stock", pk=store.pk)
    return render(request, template, {"store": store, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    def action(*, store: Store, data: dict, lines: list) -> None:
        services.stock_transfer(
            actor=request.user,
            source=store,
            destination=data["destination"],
            transferred_on=data["on"],
            lines=lines,
            reference=data["reference"],
        )

    return _lot_movement(request, pk, TransferForm, "pharmacy/transfer.html", action)


@login_required
@require_http_methods(["GET", "POST"])
def stock_return(request: HttpRequest, pk: int) -> HttpResponse:
    def action(*, store: Store, data: dict, lines: list) -> None:
        services.stock_return(
            actor=request.user,
            store=store,
            returned_on=data["on"],
            lines=lines,
            supplier=data["supplier"],
            reason=data["reason"],
            reference=data["reference"],
        )

    return _lot_movement(request, pk, ReturnForm, "pharmacy/return.html", action)


@login_required
@require_http_methods(["GET", "POST"])
def write_off(request: HttpRequest, pk: int) -> HttpResponse:
    def action(*, store: Store, data: dict, lines: list) -> None:
        services.stock_write_off(
            actor=request.user,
            store=store,
            on=data["on"],
            lines=lines,
            kind=data["kind"],
            note=data["note"],
        )

    return _lot_movement(request, pk, WriteOffForm, "pharmacy/write_off.html", action)


@login_required
@require_http_methods(["GET", "POST"])
def opname(request: HttpRequest, pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    _require_pharmacist(request.user)
    balances = list(selectors.lot_balances(store=store))
    form = OpnameForm(request.POST or None, balances=balances)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.stock_opname_record(
                actor=request.user,
                store=store,
                counted_on=data["counted_on"],
                reference=data["reference"],
                counts=[
                    services.OpnameCountInput(
                        lot=b.lot,
                        counted_quantity=data[f"counted_{b.lot_id}"],
                        reason=data[f"reason_{b.lot_id}"],
                    )
                    for b in balances
                ],
            )
        except ValidationError as error:
            form.add_error(None, _error_messages(error))
        else:
            messages.success(
                request, _("Stock count %(ref)s recorded.") % {"ref": record.reference}
            )
            return redirect("pharmacy:stock", pk=store.pk)
    return render(request, "pharmacy/opname.html", {"store": store, "form": form})


def _destroyable(user: Any) -> list[StockBalance]:
    """Quarantined units and expired units still in a dispensing store."""
    today = timezone.localdate()
    stores = selectors.stores_for_user(user)
    return [
        b
        for b in StockBalance.objects.filter(store__in=stores, quantity__gt=0)
        .select_related("store", "lot", "medicine")
        .order_by("lot__expiry_date", "medicine__name")
        if b.store.kind == Store.Kind.QUARANTINE or b.lot.expiry_date <= today
    ]


@login_required
def destruction_list(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_facility_staff or request.user.is_superuser):  # type: ignore[union-attr]
        raise PermissionDenied
    page = Paginator(
        Destruction.objects.visible_to(request.user)
        .select_related("facility")
        .order_by("-destroyed_on", "-id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(request, "pharmacy/destruction_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def destruction_create(request: HttpRequest) -> HttpResponse:
    _require_pharmacist(request.user)
    if not request.user.is_facility_staff:  # type: ignore[union-attr]
        raise PermissionDenied
    facility = request.user.facility  # type: ignore[union-attr]
    balances = _destroyable(request.user)
    form = DestructionForm(request.POST or None, balances=balances)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        today = timezone.localdate()
        lines = [
            services.DestructionLineInput(
                store=b.store,
                lot=b.lot,
                quantity=data[f"destroy_{b.pk}"],
                reason="expired" if b.lot.expiry_date <= today else "damaged",
            )
            for b in balances
            if data.get(f"destroy_{b.pk}")
        ]
        try:
            record = services.destruction_create(
                actor=request.user,
                facility=facility,
                destroyed_on=data["destroyed_on"],
                method=data["method"],
                place=data["place"],
                witnesses=data["witnesses"],
                note=data["note"],
                lines=lines,
            )
        except ValidationError as error:
            form.add_error(None, _error_messages(error))
        else:
            messages.success(
                request, _("Destruction report %(number)s recorded.") % {"number": record.number}
            )
            return redirect("pharmacy:destruction_detail", pk=record.pk)
    return render(request, "pharmacy/destruction_form.html", {"form": form})


@login_required
def destruction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.destruction_for_user(request.user, pk)
    lines = record.lines.select_related("lot__medicine", "store")
    return render(request, "pharmacy/destruction_detail.html", {"record": record, "lines": lines})


LPLPO_HEADERS = (
    "Obat",
    "Satuan",
    "Stok awal",
    "Penerimaan",
    "Pemakaian",
    "Mutasi lain",
    "Stok akhir",
    "Hari kosong",
    "Permintaan",
)


@login_required
def lplpo(request: HttpRequest, pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    form, month = _month(request)
    rows = selectors.lplpo(store=store, month=month)
    fmt = _export_format(request)
    if fmt:
        return exports.table_response(
            fmt=fmt,
            filename=f"lplpo-{store.facility.kemenkes_code}-{month:%Y-%m}",
            title="LPLPO",
            headers=LPLPO_HEADERS,
            rows=(
                (
                    str(r.medicine),
                    r.medicine.unit,
                    r.opening,
                    r.received,
                    r.used,
                    r.other,
                    r.closing,
                    r.stock_out_days,
                    r.request,
                )
                for r in rows
            ),
        )
    return render(
        request, "pharmacy/lplpo.html", {"store": store, "form": form, "month": month, "rows": rows}
    )


def _planning_defaults() -> dict[str, Any]:
    last = selectors.add_months(timezone.localdate().replace(day=1), -1)
    return {
        "last_month": f"{last:%Y-%m}",
        "history_months": 12,
        "period_months": 12,
        "lead_time_months": 1,
        "buffer_basis": planning.BufferBasis.PERCENT_OF_BASE.value,
        "buffer_amount": 10,
    }


PLAN_HEADERS = (
    "Obat",
    "Pemakaian rata-rata/bulan",
    "Bulan dihitung",
    "Bulan kosong (tidak dihitung)",
    "B stok kerja",
    "C stok penyangga",
    "D stok waktu tunggu",
    "E sisa stok terpakai",
    "A rencana kebutuhan",
    "Harga satuan",
    "Nilai (Rp)",
)


@login_required
def planning_view(request: HttpRequest, pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    form = PlanningForm(request.GET if "last_month" in request.GET else _planning_defaults())
    rows: list = []
    if form.is_valid():
        rows = selectors.consumption_plans(
            store=store,
            last_month=form.cleaned_data["last_month"],
            history_months=form.cleaned_data["history_months"],
            period_months=form.cleaned_data["period_months"],
            lead_time_months=form.lead_time(),
            buffer=form.buffer(),
        )
        fmt = _export_format(request)
        if fmt:
            return exports.table_response(
                fmt=fmt,
                filename=f"perencanaan-{store.facility.kemenkes_code}",
                title="Perencanaan",
                headers=PLAN_HEADERS,
                rows=(
                    (
                        str(r.medicine),
                        r.plan.average_monthly_use,
                        r.plan.months_counted,
                        len(r.plan.months_excluded),
                        r.plan.working_stock,
                        r.plan.buffer_stock,
                        r.plan.lead_time_stock,
                        r.plan.usable_remaining_stock,
                        r.plan.planned_need_units,
                        r.medicine.price,
                        r.medicine.price * r.plan.planned_need_units,
                    )
                    if r.plan
                    else (str(r.medicine), r.error)
                    for r in rows
                ),
            )
    return render(request, "pharmacy/planning.html", {"store": store, "form": form, "rows": rows})


@login_required
def planning_medicine(request: HttpRequest, pk: int, medicine_pk: int) -> HttpResponse:
    """One medicine by the consumption, morbidity or proxy-consumption method (III.C.1.a-c)."""
    store = selectors.store_for_user(request.user, pk)
    medicine = get_object_or_404(Medicine, pk=medicine_pk)
    form = CaseLoadForm(
        request.GET
        if "method" in request.GET
        else {
            "method": "consumption",
            "period_months": 12,
            "lead_time_months": 1,
            "buffer_months": 1,
        }
    )
    result, error = None, ""
    if form.is_valid():
        try:
            result = _plan_one(store, medicine, form.cleaned_data)
        except (ValueError, TypeError) as exc:
            error = str(exc)
    context = {"store": store, "medicine": medicine, "form": form, "result": result, "error": error}
    return render(request, "pharmacy/planning_medicine.html", context)


def _plan_one(store: Store, medicine: Medicine, data: dict) -> Any:
    today = timezone.localdate()
    last = selectors.add_months(today.replace(day=1), -1)
    history = selectors.monthly_usage(
        store=store, medicine=medicine, first_month=selectors.add_months(last, -11), last_month=last
    )
    remaining = selectors.stock_on_hand(store=store, medicine=medicine, as_of=today)
    buffer = planning.BufferStock.months_of_use(data["buffer_months"])
    cases = []
    if (
        data.get("cases_label")
        and data.get("cases_per_month") is not None
        and data.get("units_per_case") is not None
    ):
        cases = [
            planning.CaseLoad(data["cases_label"], data["cases_per_month"], data["units_per_case"])
        ]
    if data["method"] == "morbidity":
        if not cases:
            raise ValueError(_("Enter a case group, cases per month and units per case."))
        return planning.morbidity_plan(
            cases,
            buffer_stock=buffer,
            lead_time_months=data["lead_time_months"],
            remaining_stock=remaining,
            period_months=data["period_months"],
        )
    if data["method"] == "proxy":
        proxy = None
        if data.get("proxy_name"):
            proxy = planning.ProxyFacility(
                data["proxy_name"],
                data.get("proxy_average") or 0,
                data.get("proxy_coverage") or 1,
                data.get("own_coverage") or 0,
            )
        return planning.proxy_consumption_plan(
            usage_history=None if proxy else history,
            proxy_facility=proxy,
            new_cases=cases,
            buffer_stock=buffer,
            remaining_stock=remaining,
            period_months=data["period_months"],
        )
    return planning.consumption_plan(
        history,
        buffer_stock=buffer,
        lead_time_months=data["lead_time_months"],
        remaining_stock=remaining,
        period_months=data["period_months"],
    )


ABC_HEADERS = (
    "Peringkat",
    "Obat",
    "Nilai",
    "Persen",
    "Kumulatif %",
    "ABC",
    "VEN",
    "ABC-VEN",
    "PUT",
)


@login_required
def abc_ven(request: HttpRequest, pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    today = timezone.localdate()
    defaults = {
        "start": f"{today.year - 1}-{today:%m}-01",
        "end": f"{today:%Y-%m-%d}",
        "basis": "investment",
        "cut_a": 70,
        "cut_b": 20,
        "cut_c": 10,
    }
    form = AbcForm(request.GET if "start" in request.GET else defaults)
    table, error = None, ""
    if form.is_valid():
        try:
            table = selectors.abc_ven(
                store=store,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                basis=form.cleaned_data["basis"],
                cutoffs=form.cleaned_data["cutoffs"],
            )
        except ValueError as exc:
            error = str(exc)
    fmt = _export_format(request)
    if fmt and table is not None:
        return exports.table_response(
            fmt=fmt,
            filename=f"abc-ven-{store.facility.kemenkes_code}",
            title="ABC-VEN",
            headers=ABC_HEADERS,
            rows=(
                (
                    r.rank,
                    r.name,
                    r.value,
                    r.share_percent,
                    r.cumulative_percent,
                    r.abc_class.value,
                    r.ven_class.value,
                    r.combination,
                    r.put_group.label,
                )
                for r in table.rows
            ),
        )
    context = {"store": store, "form": form, "table": table, "error": error}
    if table is not None:
        context["matrix"] = table.matrix_rows()
        context["put_counts"] = [
            (group.label, count) for group, count in table.put_counts().items()
        ]
    return render(request, "pharmacy/abc_ven.html", context)


CLAIM_HEADERS = (
    "No. BPJS",
    "NIK",
    "Nama pasien",
    "Obat",
    "Kode obat BPJS",
    "Jumlah",
    "Harga satuan",
    "Total",
)


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # @login_required
    if not (user.is_facility_staff or user.is_superuser) or user.facility is None:
        raise PermissionDenied
    facility_id = user.facility.home_puskesmas_id
    form, month = _month(request)
    rows = selectors.claims(facility_id=facility_id, month=month)
    fmt = _export_format(request)
    if fmt:
        return exports.table_response(
            fmt=fmt,
            filename=f"klaim-prb-{month:%Y-%m}",
            title="Klaim PRB",
            headers=CLAIM_HEADERS,
            rows=(
                (
                    c.patient.bpjs_number,
                    c.patient.nik,
                    c.patient.name,
                    str(line.medicine),
                    line.medicine.bpjs_code,
                    line.quantity,
                    line.unit_price,
                    line.total,
                )
                for c in rows
                for line in c.lines
            ),
        )
    total = sum((c.total for c in rows), 0)
    return render(
        request,
        "pharmacy/claims.html",
        {"form": form, "month": month, "rows": rows, "total": total},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ven(request: HttpRequest) -> HttpResponse:
    """The district's VEN classes (dinkes of the regency)."""
    user = cast(User, request.user)  # @login_required
    if not user.is_dinkes:
        raise Http404
    form = VenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ven_override_set(
            actor=user,
            regency=user.regency,
            medicine=form.cleaned_data["medicine"],
            ven=form.cleaned_data["ven"],
        )
        messages.success(request, _("VEN class saved."))
        return redirect("pharmacy:ven")
    classes = selectors.ven_for_regency(user.regency_id)
    medicines = Medicine.objects.active().order_by("name", "strength")
    rows = [(m, classes[m.pk], classes[m.pk] != m.ven) for m in medicines]
    return render(request, "pharmacy/ven.html", {"form": form, "rows": rows})
