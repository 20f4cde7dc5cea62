"""Destruction of expired or damaged stock (berita acara pemusnahan)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from facilities.models import Facility
from facilities.services import facility_sequence_next
from pharmacy.models import (
    Destruction,
    DestructionLine,
    Lot,
    StockCardLine,
    Store,
)
from pharmacy.services.ledger import Move, post_moves


@dataclass(frozen=True)
class DestructionLineInput:
    store: Store
    lot: Lot
    quantity: int
    reason: str = DestructionLine.Reason.EXPIRED


def destruction_create(
    *,
    actor: User,
    facility: Facility,
    destroyed_on: dt.date,
    method: str,
    place: str,
    witnesses: str,
    lines: Sequence[DestructionLineInput],
    note: str = "",
) -> Destruction:
    """Berita Acara Pemusnahan (KMK III.C.7 b-e), numbered per facility per month, and the
    write-off of the destroyed units through the stock card."""
    errors: dict[str, list[str]] = {}
    if len([w for w in witnesses.splitlines() if w.strip()]) < 2:
        errors["witnesses"] = [_("Name at least two witnesses, one per line.")]
    if not lines:
        errors["lines"] = [_("Choose at least one lot to destroy.")]
    for line in lines:
        if (
            isinstance(line.quantity, bool)
            or not isinstance(line.quantity, int)
            or line.quantity <= 0
        ):
            errors.setdefault("lines", []).append(_("The quantity must be at least 1."))
        if line.store.facility_id != facility.pk:
            errors.setdefault("lines", []).append(_("The store belongs to another facility."))
        if line.reason not in DestructionLine.Reason.values:
            errors.setdefault("lines", []).append(_("Unknown reason."))
        if line.reason == DestructionLine.Reason.EXPIRED and line.lot.expiry_date > destroyed_on:
            errors.setdefault("lines", []).append(
                _("Batch %(batch)s has not expired yet (%(date)s).")
                % {"batch": line.lot.batch, "date": f"{line.lot.expiry_date:%d/%m/%Y}"}
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Numbered per facility per month by the one allocator; the unique constraint backs it.
        sequence = facility_sequence_next(
            facility_id=facility.pk,
            kind="destruction",
            period=f"{destroyed_on:%Y-%m}",
            floor=lambda: (
                Destruction.objects.filter(
                    facility=facility, year=destroyed_on.year, month=destroyed_on.month
                ).aggregate(n=Max("sequence"))["n"]
                or 0
            ),
        )
        destruction = Destruction(
            facility=facility,
            number=f"BAP/{facility.kemenkes_code}/{destroyed_on:%Y}/{destroyed_on:%m}/{sequence}",
            year=destroyed_on.year,
            month=destroyed_on.month,
            sequence=sequence,
            destroyed_on=destroyed_on,
            method=method,
            place=place.strip(),
            witnesses="\n".join(w.strip() for w in witnesses.splitlines() if w.strip()),
            note=note,
            created_by=actor,
        )
        destruction.full_clean()
        destruction.save()
        DestructionLine.objects.bulk_create(
            [
                DestructionLine(
                    destruction=destruction,
                    store=line.store,
                    lot=line.lot,
                    quantity=line.quantity,
                    reason=line.reason,
                )
                for line in lines
            ]
        )
        post_moves(
            actor=actor,
            on=destroyed_on,
            moves=[
                Move(
                    store=line.store,
                    lot=line.lot,
                    change=-line.quantity,
                    movement=StockCardLine.Movement.DESTRUCTION,
                    reference=destruction.number,
                    counterparty=destruction.get_method_display(),
                    note=str(DestructionLine.Reason(line.reason).label),
                )
                for line in lines
            ],
        )
    return destruction
