"""CSV and XLSX downloads of the pharmacy tables: per report, its header row and row builder
(written by the one export writer, common.exports)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter, methodcaller
from typing import Any, NamedTuple

from django.http import HttpResponse

from common.exports import FORMATS, table_response

__all__ = ["FORMATS", "Table", "table_download", "table_response"]


@dataclass(frozen=True)
class Table:
    """One downloadable table: the sheet title, its header row and its rows."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]


def table_download(*, fmt: str, filename: str, table: Table) -> HttpResponse:
    return table_response(
        fmt=fmt, filename=filename, title=table.title, headers=table.headers, rows=table.rows
    )


Column = tuple[str, Callable[[Any], Any]]
"""A column of a download: its header and how a row's item gives its cell."""


def headers(columns: Sequence[Column]) -> list[str]:
    return [header for header, _ in columns]


def cells(columns: Sequence[Column], item: Any) -> list[Any]:
    return [cell(item) for _, cell in columns]


def columns_table(title: str, columns: Sequence[Column], items: Iterable[Any]) -> Table:
    """A table whose every row is ``columns`` read from one item."""
    return Table(title, headers(columns), (cells(columns, item) for item in items))


STOCK_CARD: Sequence[Column] = (
    ("Tanggal", attrgetter("date")),
    ("Jenis mutasi", methodcaller("get_movement_display")),
    ("No. dokumen", attrgetter("reference")),
    ("Dari / kepada", attrgetter("counterparty")),
    ("Batch", attrgetter("lot.batch")),
    ("Kedaluwarsa", attrgetter("lot.expiry_date")),
    ("Masuk", attrgetter("quantity_in")),
    ("Keluar", attrgetter("quantity_out")),
    ("Sisa lot", attrgetter("balance_after")),
    ("Sisa obat", attrgetter("medicine_balance")),
    ("Keterangan", attrgetter("note")),
    ("Petugas", lambda line: line.user.get_full_name() or line.user.username),
)


def stock_card_table(lines: Iterable[Any]) -> Table:
    """The stock card (kartu stok) of one medicine, optionally one lot."""
    return columns_table("Kartu stok", STOCK_CARD, lines)


LPLPO: Sequence[Column] = (
    ("Obat", lambda row: str(row.medicine)),
    ("Satuan", attrgetter("medicine.unit")),
    ("Stok awal", attrgetter("opening")),
    ("Penerimaan", attrgetter("received")),
    ("Pemakaian", attrgetter("used")),
    ("Mutasi lain", attrgetter("other")),
    ("Stok akhir", attrgetter("closing")),
    ("Hari kosong", attrgetter("stock_out_days")),
    ("Permintaan", attrgetter("request")),
)


def lplpo_table(rows: Iterable[Any]) -> Table:
    """The monthly usage and request report (LPLPO) of one store."""
    return columns_table("LPLPO", LPLPO, rows)


PLAN: Sequence[Column] = (
    ("Obat", lambda row: str(row.medicine)),
    ("Pemakaian rata-rata/bulan", attrgetter("plan.average_monthly_use")),
    ("Bulan dihitung", attrgetter("plan.months_counted")),
    ("Bulan kosong (tidak dihitung)", lambda row: len(row.plan.months_excluded)),
    ("B stok kerja", attrgetter("plan.working_stock")),
    ("C stok penyangga", attrgetter("plan.buffer_stock")),
    ("D stok waktu tunggu", attrgetter("plan.lead_time_stock")),
    ("E sisa stok terpakai", attrgetter("plan.usable_remaining_stock")),
    ("A rencana kebutuhan", attrgetter("plan.planned_need_units")),
    ("Harga satuan", attrgetter("medicine.price")),
    ("Nilai (Rp)", lambda row: row.medicine.price * row.plan.planned_need_units),
)


def plan_table(rows: Iterable[Any]) -> Table:
    """The consumption-method plan of every medicine of a store (III.C.1.a).

    A medicine whose plan could not be made has its name and the reason only.
    """
    return Table(
        "Perencanaan",
        headers(PLAN),
        (cells(PLAN, row) if row.plan else (str(row.medicine), row.error) for row in rows),
    )


ABC_VEN: Sequence[Column] = (
    ("Peringkat", attrgetter("rank")),
    ("Obat", attrgetter("name")),
    ("Nilai", attrgetter("value")),
    ("Persen", attrgetter("share_percent")),
    ("Kumulatif %", attrgetter("cumulative_percent")),
    ("ABC", attrgetter("abc_class.value")),
    ("VEN", attrgetter("ven_class.value")),
    ("ABC-VEN", attrgetter("combination")),
    ("PUT", attrgetter("put_group.label")),
)


def abc_ven_table(table: Any) -> Table:
    """The ABC-VEN analysis of a store."""
    return columns_table("ABC-VEN", ABC_VEN, table.rows)


class ClaimLine(NamedTuple):
    claim: Any
    line: Any


CLAIMS: Sequence[Column] = (
    ("No. BPJS", attrgetter("claim.patient.bpjs_number")),
    ("NIK", attrgetter("claim.patient.nik")),
    ("Nama pasien", attrgetter("claim.patient.name")),
    ("Obat", lambda row: str(row.line.medicine)),
    ("Kode obat BPJS", attrgetter("line.medicine.bpjs_code")),
    ("Jumlah", attrgetter("line.quantity")),
    ("Harga satuan", attrgetter("line.unit_price")),
    ("Total", attrgetter("line.total")),
)


def claims_table(claims: Iterable[Any]) -> Table:
    """The month's PRB medicine claims, one row per dispensed medicine."""
    rows = (ClaimLine(claim, line) for claim in claims for line in claim.lines)
    return columns_table("Klaim PRB", CLAIMS, rows)
