import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.audit import refuse_truncate, tracked
from accounts.scoping import staff_scope
from common.models import facility_fk, foreign_key, patient_fk, staff_fk
from common.text import NOTE_TEXT
from facilities.models import Facility, Regency
from patients.models import Patient
from patients.programs import Program


class MedicineQuerySet(models.QuerySet["Medicine"]):
    def active(self) -> "MedicineQuerySet":
        return self.filter(is_active=True)


@tracked()
class Medicine(models.Model):
    """An entry of the PRB formulary (Fornas PRB list)."""

    class Ven(models.TextChoices):
        VITAL = "V", _("Vital")
        ESSENTIAL = "E", _("Essential")
        NON_ESSENTIAL = "N", _("Non-essential")

    class RuleGroup(models.TextChoices):
        """Medicines the KMK restricts at primary care."""

        NONE = "", _("No special rule")
        ANTI_SEIZURE = (
            "anti_seizure",
            _("Anti-seizure medicine (III.B.6: no change without the DPJP)"),
        )
        BASAL_INSULIN = "basal_insulin", _("Basal insulin (II.B.1.a: at most 20 IU/day at FKTP)")

    name = models.CharField(_("generic name"), max_length=120)
    strength = models.CharField(_("strength"), max_length=60, blank=True)
    form = models.CharField(_("dosage form"), max_length=60)
    unit = models.CharField(_("unit"), max_length=30, default="tablet")
    bpjs_code = models.CharField(_("BPJS PRB drug code"), max_length=30, blank=True)
    kfa_code = models.CharField(_("KFA code"), max_length=30, blank=True)
    max_quantity_per_month = models.PositiveIntegerField(
        _("maximum quantity per month"), null=True, blank=True
    )
    price = models.DecimalField(_("unit price (Rp)"), max_digits=12, decimal_places=2, default=0)
    ven = models.CharField(_("VEN class"), max_length=1, choices=Ven.choices, default=Ven.ESSENTIAL)
    programs = ArrayField(
        models.CharField(max_length=20, choices=Program.choices),
        default=list,
        blank=True,
        verbose_name=_("PRB programmes"),
    )
    rule_group = models.CharField(
        _("KMK rule"), max_length=20, choices=RuleGroup.choices, default="", blank=True
    )
    is_tracer = models.BooleanField(
        _("tracer medicine"),
        default=False,
        help_text=_("Counted in the district's medicine availability indicator."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = MedicineQuerySet.as_manager()

    class Meta:
        ordering = ["name", "strength"]
        verbose_name = _("PRB medicine")
        verbose_name_plural = _("PRB formulary")
        constraints = [
            models.UniqueConstraint(fields=["name", "strength", "form"], name="medicine_unique"),
            models.CheckConstraint(name="medicine_price_not_negative", condition=Q(price__gte=0)),
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.name, self.strength, self.form) if part)


class PrescriptionQuerySet(models.QuerySet["Prescription"]):
    def visible_to(self, user: object) -> "PrescriptionQuerySet":
        """Pharmacy documents belong to the facility that dispenses them."""
        return staff_scope(self, user)


@tracked()
class Prescription(models.Model):
    """A month's PRB prescription: the pharmacy's dispensing request."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        PARTLY = "partly", _("Partly dispensed")
        DISPENSED = "dispensed", _("Dispensed")
        CANCELLED = "cancelled", _("Cancelled")

    facility = facility_fk("prescriptions")
    patient = patient_fk("prescriptions")
    prescribed_by = staff_fk()
    prescribed_on = models.DateField(_("prescription date"))
    months = models.PositiveSmallIntegerField(_("months covered"), default=1)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-prescribed_on", "-id"]
        verbose_name = _("prescription")
        verbose_name_plural = _("prescriptions")
        indexes = [models.Index(fields=["facility", "status", "prescribed_on"])]
        constraints = [
            # The dispensing queue never shows the same request twice: one live
            # prescription per patient, day and source (a visit's "PRB <case>").
            models.UniqueConstraint(
                fields=["patient", "prescribed_on", "reference"],
                condition=~models.Q(status="cancelled") & ~models.Q(reference=""),
                name="prescription_one_per_patient_day_source",
                violation_error_message=_(
                    "This patient already has a prescription of this date from the same source."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} · {self.prescribed_on:%d/%m/%Y}"


@tracked()
class PrescriptionLine(models.Model):
    prescription = foreign_key(Prescription, "lines", on_delete=models.CASCADE)
    medicine = foreign_key(Medicine, "+")
    quantity = models.PositiveIntegerField(_("quantity"))
    signa = models.CharField(_("signa"), max_length=60, blank=True)
    dispensed_quantity = models.PositiveIntegerField(_("dispensed"), default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="prescription_line_quantity_positive", condition=Q(quantity__gt=0)
            ),
            models.CheckConstraint(
                name="prescription_line_not_over_dispensed",
                condition=Q(dispensed_quantity__lte=F("quantity")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medicine} × {self.quantity}"

    @property
    def owed_quantity(self) -> int:
        return self.quantity - self.dispensed_quantity


# ---------------------------------------------------------------------------
# Stock (KMK 1645/2024 III.C.3 penyimpanan, III.C.6 pencatatan, III.C.7 pemusnahan)
# ---------------------------------------------------------------------------


@tracked()
class MedicineVenOverride(models.Model):
    """A district's own VEN class for a medicine (KMK III.C.1 "Analisis VEN").

    The formulary's class is the default; the district's pharmacy committee may judge a
    medicine differently for its own planning.
    """

    regency = foreign_key(Regency, "+", verbose_name=_("regency"), on_delete=models.CASCADE)
    medicine = foreign_key(
        Medicine, "ven_overrides", verbose_name=_("medicine"), on_delete=models.CASCADE
    )
    ven = models.CharField(_("VEN class"), max_length=1, choices=Medicine.Ven.choices)
    updated_by = staff_fk()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("district VEN class")
        verbose_name_plural = _("district VEN classes")
        constraints = [
            models.UniqueConstraint(fields=["regency", "medicine"], name="ven_override_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.medicine}: {self.ven}"


class StoreQuerySet(models.QuerySet["Store"]):
    def visible_to(self, user: object) -> "StoreQuerySet":
        """Stock belongs to the facility holding it; dinkes reads aggregates only (selectors)."""
        return staff_scope(self, user)


@tracked()
class Store(models.Model):
    """A place where PRB medicines are kept and counted, apart from any other stock.

    KMK III.C.6: PRB medicines are used only for PRB and kept apart from medicines bought
    from other budgets. III.C.8.b.2 (depot model): a partner apotek PRB keeps a depot of its
    stock at the puskesmas; the puskesmas answers for it and reports its mutations back.
    """

    class Kind(models.TextChoices):
        PRB = "prb", _("PRB store")
        DEPOT = "depot", _("Partner pharmacy depot")
        QUARANTINE = "quarantine", _("Expired and damaged (quarantine)")

    # Stores whose stock is handed to patients.
    DISPENSING = (Kind.PRB, Kind.DEPOT)

    facility = facility_fk("stores")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PRB)
    name = models.CharField(_("name"), max_length=120)
    partner = foreign_key(
        Facility,
        "depots",
        verbose_name=_("partner pharmacy"),
        help_text=_("The apotek PRB that owns a depot's stock."),
        optional=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = StoreQuerySet.as_manager()

    class Meta:
        ordering = ["facility__name", "kind", "name"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "kind"],
                condition=~Q(kind="depot"),
                name="store_one_prb_and_quarantine_per_facility",
            ),
            models.UniqueConstraint(
                fields=["facility", "partner"],
                condition=Q(kind="depot"),
                name="store_one_depot_per_partner",
            ),
            models.CheckConstraint(
                name="store_depot_has_partner",
                condition=Q(kind="depot", partner__isnull=False) | (~Q(kind="depot")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.facility})"

    @property
    def dispenses(self) -> bool:
        return self.kind in self.DISPENSING


@tracked()
class Lot(models.Model):
    """A manufacturer's batch of a medicine, wherever its units are."""

    class Source(models.TextChoices):
        IFK = "ifk", _("District pharmacy warehouse (IFK)")
        DISTRIBUTOR = "distributor", _("Distributor (e-purchasing)")
        APOTEK = "apotek", _("Apotek PRB (partner pharmacy)")
        OTHER = "other", _("Other")

    medicine = foreign_key(Medicine, "lots", verbose_name=_("medicine"))
    batch = models.CharField(_("batch number"), max_length=40)
    expiry_date = models.DateField(_("expiry date"))
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.DISTRIBUTOR
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expiry_date", "batch"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(
                fields=["medicine", "batch", "expiry_date"], name="lot_unique_batch"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} (ED {self.expiry_date:%d/%m/%Y})"


@tracked()
class StockBalance(models.Model):
    """Units of a lot in a store: the row every movement locks (select_for_update).

    Always equal to the sum of the lot's stock-card lines in the store.
    """

    store = foreign_key(Store, "balances")
    lot = foreign_key(Lot, "balances")
    # Denormalised from the lot for the per-medicine queries of every page.
    medicine = foreign_key(Medicine, "+")
    quantity = models.IntegerField(_("quantity"), default=0)

    class Meta:
        ordering = ["store", "medicine", "lot__expiry_date"]
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(fields=["store", "lot"], name="stock_balance_unique"),
            models.CheckConstraint(name="stock_balance_not_negative", condition=Q(quantity__gte=0)),
        ]
        indexes = [models.Index(fields=["store", "medicine"])]

    def __str__(self) -> str:
        return f"{self.lot}: {self.quantity}"


class StockCardLineQuerySet(models.QuerySet["StockCardLine"]):
    def visible_to(self, user: object) -> "StockCardLineQuerySet":
        return self.filter(store__in=Store.objects.visible_to(user))


@tracked()
@pgtrigger.register(
    # KMK III.C.6: the record must be traceable. A line is never deleted or rewritten,
    # not even its running balance (the balance when it was written); a mistake is
    # corrected by a reversing line. TRUNCATE skips row triggers: a statement trigger
    # refuses it.
    pgtrigger.Protect(name="stock_card_no_delete", operation=pgtrigger.Delete),
    pgtrigger.Protect(name="stock_card_no_update", operation=pgtrigger.Update),
    refuse_truncate("stock_card_no_truncate"),
)
class StockCardLine(models.Model):
    """One line of the kartu stok of a store, medicine and lot (KMK III.C.6).

    Lines are kept in the order they are written (``id``); ``date`` is the movement's own
    date, which may be earlier than lines already written (a backdated receipt), and
    ``balance_after`` the lot's balance in the store once this line was written.
    """

    class Movement(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        DISPENSE = "dispense", _("Dispensed to patient")
        TRANSFER_OUT = "transfer_out", _("Transfer out")
        TRANSFER_IN = "transfer_in", _("Transfer in")
        OPNAME = "opname", _("Stock count adjustment")
        RETURN = "return", _("Returned to supplier")
        EXPIRED = "expired", _("Expired")
        DAMAGED = "damaged", _("Damaged")
        DESTRUCTION = "destruction", _("Destroyed")
        REVERSAL = "reversal", _("Reversal")

    store = foreign_key(Store, "card_lines")
    medicine = foreign_key(Medicine, "+")
    lot = foreign_key(Lot, "card_lines")
    date = models.DateField(_("date"))
    movement = models.CharField(_("movement"), max_length=14, choices=Movement.choices)
    quantity_in = models.PositiveIntegerField(_("in"), default=0)
    quantity_out = models.PositiveIntegerField(_("out"), default=0)
    balance_after = models.IntegerField(_("balance"))
    reference = models.CharField(_("document reference"), max_length=100, blank=True)
    counterparty = models.CharField(_("from / to"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    patient = foreign_key(Patient, "+", optional=True)
    prescription_line = foreign_key(PrescriptionLine, "card_lines", optional=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    user = staff_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StockCardLineQuerySet.as_manager()

    class Meta:
        # The order lines were written: ``balance_after`` runs in this order.
        ordering = ["id"]
        verbose_name = _("stock card line")
        verbose_name_plural = _("stock card lines")
        constraints = [
            models.CheckConstraint(
                name="stock_card_in_or_out",
                condition=(
                    Q(quantity_in__gt=0, quantity_out=0) | Q(quantity_in=0, quantity_out__gt=0)
                ),
            ),
            models.CheckConstraint(
                name="stock_card_balance_not_negative", condition=Q(balance_after__gte=0)
            ),
        ]
        indexes = [
            models.Index(fields=["store", "lot", "date", "id"]),
            models.Index(fields=["store", "medicine", "date", "id"]),
            models.Index(fields=["store", "movement", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_movement_display()} {self.change:+d}"

    @property
    def change(self) -> int:
        return self.quantity_in - self.quantity_out


@tracked()
class StockOpname(models.Model):
    """A stock count of a store; every difference is written with its reason."""

    store = foreign_key(Store, "opnames")
    counted_on = models.DateField(_("count date"))
    reference = models.CharField(_("reference"), max_length=100)
    counted_by = staff_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-counted_on", "-id"]
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")

    def __str__(self) -> str:
        return self.reference


@tracked()
class StockOpnameLine(models.Model):
    opname = foreign_key(StockOpname, "lines")
    lot = foreign_key(Lot, "+")
    system_quantity = models.IntegerField(_("recorded"))
    counted_quantity = models.PositiveIntegerField(_("counted"))
    reason = models.CharField(_("reason for the difference"), max_length=255, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.lot}: {self.counted_quantity}"

    @property
    def difference(self) -> int:
        return self.counted_quantity - self.system_quantity


class DestructionQuerySet(models.QuerySet["Destruction"]):
    def visible_to(self, user: object) -> "DestructionQuerySet":
        return staff_scope(self, user)


@tracked()
class Destruction(models.Model):
    """Berita Acara Pemusnahan (KMK III.C.7): expired or damaged medicines destroyed."""

    class Method(models.TextChoices):
        INCINERATION = "incineration", _("Incineration")
        THIRD_PARTY = "third_party", _("Licensed waste contractor")
        CRUSHING = "crushing", _("Crushing and burial")
        DISSOLUTION = "dissolution", _("Dissolution and dilution")
        OTHER = "other", _("Other")

    facility = facility_fk("destructions")
    number = models.CharField(_("number"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    destroyed_on = models.DateField(_("date of destruction"))
    method = models.CharField(_("method"), max_length=14, choices=Method.choices)
    place = models.CharField(_("place"), max_length=200)
    witnesses = models.TextField(
        _("witnesses"), help_text=_("One witness per line: name, position."), max_length=NOTE_TEXT
    )
    note = models.TextField(_("note"), blank=True, max_length=NOTE_TEXT)
    created_by = staff_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DestructionQuerySet.as_manager()

    class Meta:
        ordering = ["-destroyed_on", "-id"]
        verbose_name = _("destruction report")
        verbose_name_plural = _("destruction reports")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "year", "month", "sequence"], name="destruction_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def witness_list(self) -> list[str]:
        return [line.strip() for line in self.witnesses.splitlines() if line.strip()]


@tracked()
class DestructionLine(models.Model):
    class Reason(models.TextChoices):
        """Why a medicine is destroyed: the four cases of KMK III.C.7 (a–d)."""

        DAMAGED = "damaged", _("a. Does not meet quality, efficacy or packaging requirements")
        EXPIRED = "expired", _("b. Expired")
        NO_AUTHORISATION = "no_licence", _("c. No marketing authorisation (izin edar)")
        CRIMINAL_CASE = "criminal", _("d. Linked to a criminal case in the health field")

    destruction = foreign_key(Destruction, "lines")
    store = foreign_key(Store, "+")
    lot = foreign_key(Lot, "+")
    quantity = models.PositiveIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="destruction_line_quantity_positive", condition=Q(quantity__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot} × {self.quantity}"
