"""CSV and XLSX downloads of the pharmacy tables: per report, its header row and row builder
(written by the one export writer, common.exports)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

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


def stock_card_table(lines: Iterable[Any]) -> Table:
    """The stock card (kartu stok) of one medicine, optionally one lot."""
    rows = (
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
    )
    return Table("Kartu stok", CARD_HEADERS, rows)


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


def lplpo_table(rows: Iterable[Any]) -> Table:
    """The monthly usage and request report (LPLPO) of one store."""
    return Table(
        "LPLPO",
        LPLPO_HEADERS,
        (
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


def plan_table(rows: Iterable[Any]) -> Table:
    """The consumption-method plan of every medicine of a store (III.C.1.a)."""
    return Table(
        "Perencanaan",
        PLAN_HEADERS,
        (
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


def abc_ven_table(table: Any) -> Table:
    """The ABC-VEN analysis of a store."""
    return Table(
        "ABC-VEN",
        ABC_HEADERS,
        (
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


def claims_table(claims: Iterable[Any]) -> Table:
    """The month's PRB medicine claims, one row per dispensed medicine."""
    return Table(
        "Klaim PRB",
        CLAIM_HEADERS,
        (
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
            for c in claims
            for line in c.lines
        ),
    )
