"""VEN analysis and the ABC-VEN combination (PUT), KMK 1645/2024 III.C.1.

VEN groups medicines by their impact on health: vital, esensial, non esensial. The class
is the pharmacy committee's judgement per medicine, so it is an input here.

The combination ("Tabel PARETO ABC dan VEN") gives each medicine a PUT category:

- Prioritas: AV, BV, CV. Must be procured whatever the funding source.
- Utama: AE, BE, CE. The second priority in planning.
- Tambahan: AN, BN, CN. Procured once Prioritas and Utama are met.

The group follows from the VEN class alone; the ABC class orders medicines within it and
the 3×3 matrix shows where the money or the mutations sit.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from lib.choices import LabelledStrEnum

from .abc import AbcBasis, AbcClass, AbcResult, AbcRow


class VenClass(LabelledStrEnum):
    VITAL = "V", "Vital"
    ESSENTIAL = "E", "Esensial"
    NON_ESSENTIAL = "N", "Non esensial"


class PutGroup(LabelledStrEnum):
    PRIORITAS = "prioritas", "Prioritas"
    UTAMA = "utama", "Utama"
    TAMBAHAN = "tambahan", "Tambahan"


PUT_MATRIX: Mapping[tuple[AbcClass, VenClass], PutGroup] = {
    (AbcClass.A, VenClass.VITAL): PutGroup.PRIORITAS,
    (AbcClass.B, VenClass.VITAL): PutGroup.PRIORITAS,
    (AbcClass.C, VenClass.VITAL): PutGroup.PRIORITAS,
    (AbcClass.A, VenClass.ESSENTIAL): PutGroup.UTAMA,
    (AbcClass.B, VenClass.ESSENTIAL): PutGroup.UTAMA,
    (AbcClass.C, VenClass.ESSENTIAL): PutGroup.UTAMA,
    (AbcClass.A, VenClass.NON_ESSENTIAL): PutGroup.TAMBAHAN,
    (AbcClass.B, VenClass.NON_ESSENTIAL): PutGroup.TAMBAHAN,
    (AbcClass.C, VenClass.NON_ESSENTIAL): PutGroup.TAMBAHAN,
}


def parse_abc(value: AbcClass | str) -> AbcClass:
    try:
        return AbcClass(value.strip().upper() if isinstance(value, str) else value)
    except ValueError:
        raise ValueError(f"Kelas ABC tidak dikenal: {value!r} (harus A, B, atau C).") from None


def parse_ven(value: VenClass | str) -> VenClass:
    try:
        return VenClass(value.strip().upper() if isinstance(value, str) else value)
    except ValueError:
        raise ValueError(f"Kelas VEN tidak dikenal: {value!r} (harus V, E, atau N).") from None


def put_group(abc_class: AbcClass | str, ven_class: VenClass | str) -> PutGroup:
    return PUT_MATRIX[(parse_abc(abc_class), parse_ven(ven_class))]


@dataclass(frozen=True)
class AbcVenRow(AbcRow):
    """An ABC row with the medicine's VEN class and the PUT group the two give."""

    ven_class: VenClass
    put_group: PutGroup

    @classmethod
    def joined(cls, row: AbcRow, ven_class: VenClass) -> "AbcVenRow":
        return cls(
            **vars(row), ven_class=ven_class, put_group=PUT_MATRIX[(row.abc_class, ven_class)]
        )

    @property
    def combination(self) -> str:
        return f"{self.abc_class}{self.ven_class}"

    def as_dict(self) -> dict[str, object]:
        return {
            **super().as_dict(),
            "ven": self.ven_class.value,
            "combination": self.combination,
            "put": self.put_group.value,
        }


@dataclass(frozen=True)
class AbcVenTable:
    basis: AbcBasis
    rows: tuple[AbcVenRow, ...]
    """In ABC rank order, highest value first."""
    total_value: Decimal

    def as_rows(self) -> list[dict[str, object]]:
        return [row.as_dict() for row in self.rows]

    def matrix_counts(self) -> dict[tuple[AbcClass, VenClass], int]:
        """Medicines per cell of the 3×3 ABC × VEN matrix, all nine cells present."""
        counts = dict.fromkeys(PUT_MATRIX, 0)
        for row in self.rows:
            counts[(row.abc_class, row.ven_class)] += 1
        return counts

    def matrix_values(self) -> dict[tuple[AbcClass, VenClass], Decimal]:
        values = dict.fromkeys(PUT_MATRIX, Decimal(0))
        for row in self.rows:
            values[(row.abc_class, row.ven_class)] += row.value
        return values

    def matrix_rows(self) -> list[dict[str, object]]:
        """One row per ABC class with the count per VEN class, for the Pareto table."""
        counts = self.matrix_counts()
        rows: list[dict[str, object]] = []
        for abc_class in AbcClass:
            row: dict[str, object] = {"abc": abc_class.value}
            for ven_class in VenClass:
                row[ven_class.value] = counts[(abc_class, ven_class)]
            row["total"] = sum(counts[(abc_class, ven_class)] for ven_class in VenClass)
            rows.append(row)
        return rows

    def put_counts(self) -> dict[PutGroup, int]:
        counts = dict.fromkeys(PutGroup, 0)
        for row in self.rows:
            counts[row.put_group] += 1
        return counts


def abc_ven_table(abc: AbcResult, ven: Mapping[str, VenClass | str]) -> AbcVenTable:
    """Join an ABC result with each medicine's VEN class; every medicine needs exactly one."""
    missing = [row.name for row in abc.rows if row.name not in ven]
    if missing:
        raise ValueError(f"Kelas VEN belum diisi untuk: {', '.join(missing)}.")
    ranked_names = {row.name for row in abc.rows}
    unknown = sorted(name for name in ven if name not in ranked_names)
    if unknown:
        raise ValueError(
            f"Kelas VEN diisi untuk obat yang tidak ada dalam analisis ABC: {', '.join(unknown)}."
        )

    rows = tuple(AbcVenRow.joined(row, parse_ven(ven[row.name])) for row in abc.rows)
    return AbcVenTable(basis=abc.basis, rows=rows, total_value=abc.total_value)
