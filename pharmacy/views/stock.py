"""A store's stock, its stock card and the movements a pharmacist records (receipt, transfer, return, write-off, opname, correction, destruction)."""

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy
from accounts.http import AuthedRequest
from accounts.models import User
from accounts.policy import Capability
from common.forms import run_service
from patients.models import PatientAccessLog
from patients.reads import note_list, patient_page
from pharmacy import exports, selectors
from pharmacy.forms import (
    DestructionForm,
    OpnameForm,
    ReceiptForm,
    ReceiptLineForm,
    ReceiptLineFormSet,
    ReturnForm,
    ReverseForm,
    TransferForm,
    WriteOffForm,
    receipt_near_expiry,
)
from pharmacy.models import (
    Destruction,
    DestructionLine,
    Lot,
    Medicine,
    StockBalance,
    StockOpname,
    Store,
)
from pharmacy.planning.fefo import NEAR_EXPIRY_DAYS
from pharmacy.services import destruction, movements
from pharmacy.views.common import (
    PAGE_SIZE,
    download_if_asked,
)


def district_stock(request: AuthedRequest) -> HttpResponse:
    """Dinkes: the regency's stock per puskesmas and medicine, aggregates only."""
    regency = request.user.regency
    context = {
        "regency": regency,
        "levels": selectors.stock_levels_for_regency(regency),
        "stock_outs": selectors.stock_outs_for_regency(regency),
        "expiring": selectors.expiring_lots_for_regency(regency)[:50],
    }
    return render(request, "pharmacy/district.html", context)


@login_required
def stock(request: AuthedRequest, pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    context = {
        "store": store,
        "rows": selectors.stock_levels(store=store),
        "today": timezone.localdate(),
        "near_days": NEAR_EXPIRY_DAYS,
        "near_limit": timezone.localdate() + dt.timedelta(days=NEAR_EXPIRY_DAYS),
    }
    return render(request, "pharmacy/stock.html", context)


def _receipt_with_one_more_row(data: Any) -> tuple[ReceiptForm, Any]:
    """The delivery as typed plus an empty row ("add a row" without JavaScript): unbound
    forms holding the typed values, so nothing is flagged as an error yet."""
    header = ReceiptForm(initial={name: data.get(name) for name in ReceiptForm.base_fields})
    total = int(data["lines-TOTAL_FORMS"]) if data.get("lines-TOTAL_FORMS", "").isdigit() else 1
    rows = [
        {name: data.get(f"lines-{i}-{name}") for name in ReceiptLineForm.base_fields}
        for i in range(min(total, 59))
    ]
    return header, ReceiptLineFormSet(prefix="lines", initial=rows + [{}])


@login_required
@require_http_methods(["GET", "POST"])
def receive(request: AuthedRequest, pk: int) -> HttpResponse:
    """One delivery with all its lots in one submit (KMK III.C.3: penerimaan)."""
    store = selectors.store_for_user(request.user, pk, write=Capability.MOVE_STOCK)
    near: list[dict] = []
    if "add_row" in request.POST:
        form, lines = _receipt_with_one_more_row(request.POST)
    else:
        form = ReceiptForm(request.POST or None)
        lines = ReceiptLineFormSet(request.POST or None, prefix="lines")
        if request.method == "POST" and form.is_valid() and lines.is_valid():
            data = form.cleaned_data
            rows = [row.cleaned_data for row in lines.forms if row.cleaned_data]
            near = receipt_near_expiry(data["received_on"], rows)
            if near and not data["confirm_near_expiry"]:
                form.add_error(
                    "confirm_near_expiry",
                    _("Some lots expire within %(days)s days: check them, then confirm.")
                    % {"days": NEAR_EXPIRY_DAYS},
                )
            elif run_service(
                request,
                form,
                lambda: movements.stock_receive_entered(
                    actor=request.user, store=store, entered=data, lines=rows
                ),
                success=ngettext(
                    "Receipt of %(n)s lot recorded on the stock card.",
                    "Receipt of %(n)s lots recorded on the stock card.",
                    len(rows),
                )
                % {"n": len(rows)},
            ):
                return redirect("pharmacy:stock", pk=store.pk)
    context = {
        "store": store,
        "form": form,
        "lines": lines,
        "near": near,
        "near_days": NEAR_EXPIRY_DAYS,
    }
    return render(request, "pharmacy/receive.html", context)


@login_required
def card(request: AuthedRequest, pk: int, medicine_pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    medicine = get_object_or_404(Medicine, pk=medicine_pk)
    lot = None
    if request.GET.get("lot", "").isdigit():
        lot = get_object_or_404(Lot, pk=int(request.GET["lot"]), medicine=medicine)
    lines = list(selectors.stock_card(store=store, medicine=medicine, lot=lot))
    name = f"kartu-stok-{store.facility.kemenkes_code}-{medicine.pk}" + (
        f"-{lot.batch}" if lot else ""
    )
    download = download_if_asked(request, filename=name, table=exports.stock_card_table(lines))
    # The card is shown (or downloaded) whole: its dispense lines name their patients.
    note_list(
        (line.patient_id for line in lines),
        action=PatientAccessLog.Action.EXPORT if download else None,
    )
    if download:
        return download
    context = {
        "store": store,
        "medicine": medicine,
        "lot": lot,
        "lines": lines,
        "lots": Lot.objects.filter(medicine=medicine, card_lines__store=store).distinct(),
        "reverse_form": ReverseForm(),
        "download_query": urlencode({"lot": lot.pk}) if lot else "",
    }
    return render(request, "pharmacy/card.html", context)


@login_required
@require_POST
def reverse_line(request: AuthedRequest, pk: int) -> HttpResponse:
    line = selectors.card_line_for_user(request.user, pk, write=Capability.MOVE_STOCK)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            movements.stock_card_line_reverse(
                actor=request.user, line=line, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The line was reversed by a correcting line."))
    else:
        messages.error(request, _("Give the reason for the correction."))
    return redirect("pharmacy:card", pk=line.store_id, medicine_pk=line.medicine_id)


def _lot_movement(
    request: AuthedRequest, pk: int, form_class: type, template: str, action: Any
) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk, write=Capability.MOVE_STOCK)
    form = form_class(request.POST or None, store=store)

    def lines() -> list[movements.LotQuantity]:
        data = form.cleaned_data
        return [movements.LotQuantity(lot=data["balance"].lot, quantity=data["quantity"])]

    if request.method == "POST" and run_service(
        request,
        form,
        lambda: action(store=store, data=form.cleaned_data, lines=lines()),
        success=_("Recorded on the stock card."),
    ):
        return redirect("pharmacy:stock", pk=store.pk)
    return render(request, template, {"store": store, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request: AuthedRequest, pk: int) -> HttpResponse:
    def action(*, store: Store, data: dict, lines: list) -> list:
        return movements.stock_transfer(
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
def stock_return(request: AuthedRequest, pk: int) -> HttpResponse:
    def action(*, store: Store, data: dict, lines: list) -> list:
        return movements.stock_return(
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
def write_off(request: AuthedRequest, pk: int) -> HttpResponse:
    def action(*, store: Store, data: dict, lines: list) -> list:
        return movements.stock_write_off(
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
def opname(request: AuthedRequest, pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk, write=Capability.MOVE_STOCK)
    balances = list(selectors.lot_balances(store=store))
    form = OpnameForm(request.POST or None, balances=balances)

    def record() -> StockOpname:
        data = form.cleaned_data
        counts = [
            movements.OpnameCountInput(
                lot=b.lot,
                counted_quantity=data[f"counted_{b.lot_id}"],
                reason=data[f"reason_{b.lot_id}"],
            )
            for b in balances
        ]
        return movements.stock_opname_record(
            actor=request.user,
            store=store,
            counted_on=data["counted_on"],
            reference=data["reference"],
            counts=counts,
        )

    def saved(count: StockOpname) -> str:
        return _("Stock count %(ref)s recorded.") % {"ref": count.reference}

    if request.method == "POST" and run_service(request, form, record, success=saved) is not None:
        return redirect("pharmacy:stock", pk=store.pk)
    return render(request, "pharmacy/opname.html", {"store": store, "form": form})


def _destroyable(user: User) -> list[StockBalance]:
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
def destruction_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Capability.SEE_PHARMACY)
    rows = (
        Destruction.objects.visible_to(request.user)
        .select_related("facility")
        .order_by("-destroyed_on", "-id")
    )
    page = patient_page(request, rows, patient=None, per_page=PAGE_SIZE)
    return render(request, "pharmacy/destruction_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def destruction_create(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Capability.DESTROY)
    facility = request.user.facility
    if facility is None:  # a superuser: no facility
        raise PermissionDenied
    balances = _destroyable(request.user)
    form = DestructionForm(request.POST or None, balances=balances)

    def record() -> Destruction:
        data = form.cleaned_data
        lines = [
            destruction.DestructionLineInput(
                store=b.store,
                lot=b.lot,
                quantity=data[f"destroy_{b.pk}"],
                reason=data[f"reason_{b.pk}"],
            )
            for b in balances
            if data.get(f"destroy_{b.pk}")
        ]
        return destruction.destruction_create(
            actor=request.user,
            facility=facility,
            destroyed_on=data["destroyed_on"],
            method=data["method"],
            place=data["place"],
            witnesses=data["witnesses"],
            note=data["note"],
            lines=lines,
        )

    def saved(report: Destruction) -> str:
        return _("Destruction report %(number)s recorded.") % {"number": report.number}

    if request.method == "POST" and (created := run_service(request, form, record, success=saved)):
        return redirect("pharmacy:destruction_detail", pk=created.pk)
    return render(request, "pharmacy/destruction_form.html", {"form": form})


@login_required
def destruction_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    record = selectors.destruction_for_user(request.user, pk)
    lines = list(record.lines.select_related("lot__medicine", "store"))
    return render(
        request,
        "pharmacy/destruction_detail.html",
        {
            "record": record,
            "lines": lines,
            "reasons": DestructionLine.Reason.choices,
            "reasons_used": {line.reason for line in lines},
        },
    )
