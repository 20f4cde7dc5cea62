"""ABC (Pareto) analysis, KMK 1645/2024 III.C.1 "Analisis ABC".

The KMK names two approaches, to be used side by side to confirm each medicine's class:

- by mutation (berdasarkan mutasi): medicines ranked from the most mutations down. The
  figure is whatever the facility counts as its mutation volume for the period, e.g. units
  issued or the number of stock-card movements; ``UsageItem.mutations``.
- by investment (berdasarkan investasi): medicines grouped by the funds they need,
  quantity × unit price; ``InvestmentItem``.

Classing, with cut-offs A/B/C (default 70/20/10, which must add up to 100):

- Items are ranked by value, highest first; equal values by name (case-insensitive), so
  the order and hence the classes do not depend on the input order.
- Each item's share is its value ÷ the total; its cumulative share includes itself.
- An item is A when the cumulative share of the items ranked above it is below the A
  cut-off (70%), B when it is below A + B (90%), otherwise C. So every item whose
  cumulative share is ≤ 70% is A, and the item that crosses 70% is A as well: the class
  it starts in. Likewise the item crossing 90% is B. This keeps the top-ranked item in A
  even when it alone takes more than 70% of the total, and makes class A cover at least
  70% of the value.
- Shares are compared exactly; the percentages shown are rounded to two places.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from lib.choices import LabelledStrEnum

from ._numbers import Quantity, as_fraction, format_number, non_negative, positive, to_decimal


class AbcClass(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class AbcBasis(LabelledStrEnum):
    USAGE = "usage", "mutasi"
    INVESTMENT = "investment", "investasi"


@dataclass(frozen=True)
class AbcCutoffs:
    """Percent of the total value for classes A, B and C; they must add up to 100."""

    a: Quantity = 70
    b: Quantity = 20
    c: Quantity = 10

    def __post_init__(self) -> None:
        share_a = positive(self.a, "Batas kelas A (%)")
        share_b = non_negative(self.b, "Batas kelas B (%)")
        share_c = non_negative(self.c, "Batas kelas C (%)")
        total = share_a + share_b + share_c
        if total != 100:
            raise ValueError(
                "Batas kelas ABC harus berjumlah 100% "
                f"(A {format_number(share_a)}% + B {format_number(share_b)}%"
                f" + C {format_number(share_c)}% = {format_number(total)}%)."
            )

    def classify(self, share_ranked_above: Fraction) -> AbcClass:
        """The class of an item given the cumulative percent of the items ranked above it."""
        a_limit = as_fraction(self.a, "Batas kelas A (%)")
        if share_ranked_above < a_limit:
            return AbcClass.A
        if share_ranked_above < a_limit + as_fraction(self.b, "Batas kelas B (%)"):
            return AbcClass.B
        return AbcClass.C


DEFAULT_CUTOFFS = AbcCutoffs()


@dataclass(frozen=True)
class UsageItem:
    name: str
    mutations: Quantity


@dataclass(frozen=True)
class InvestmentItem:
    name: str
    quantity: Quantity
    unit_price: Decimal | int

    def __post_init__(self) -> None:
        non_negative(self.quantity, f"Jumlah kebutuhan {self.name}")
        non_negative(self.unit_price, f"Harga satuan {self.name}")

    @property
    def value(self) -> Decimal:
        return Decimal(self.quantity) * Decimal(self.unit_price)


@dataclass(frozen=True)
class AbcRow:
    rank: int
    name: str
    value: Decimal
    share_percent: Decimal
    cumulative_percent: Decimal
    abc_class: AbcClass

    def as_dict(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "item": self.name,
            "value": self.value,
            "share_percent": self.share_percent,
            "cumulative_percent": self.cumulative_percent,
            "abc": self.abc_class.value,
        }


@dataclass(frozen=True)
class AbcResult:
    basis: AbcBasis
    cutoffs: AbcCutoffs
    rows: tuple[AbcRow, ...]
    """Ranked, highest value first."""
    total_value: Decimal

    def class_of(self, name: str) -> AbcClass:
        for row in self.rows:
            if row.name == name:
                return row.abc_class
        raise KeyError(name)

    def counts(self) -> dict[AbcClass, int]:
        counts = dict.fromkeys(AbcClass, 0)
        for row in self.rows:
            counts[row.abc_class] += 1
        return counts

    def class_values(self) -> dict[AbcClass, Decimal]:
        values = dict.fromkeys(AbcClass, Decimal(0))
        for row in self.rows:
            values[row.abc_class] += row.value
        return values

    def as_rows(self) -> list[dict[str, object]]:
        return [row.as_dict() for row in self.rows]

    @property
    def explanation(self) -> str:
        a, b = Fraction(self.cutoffs.a), Fraction(self.cutoffs.b)
        counts = self.counts()
        return (
            f"Analisis ABC berdasarkan {self.basis.label} (KMK 1645/2024 III.C.1): obat"
            f" diurutkan dari nilai terbesar. Kelas A = obat yang dimulai sebelum kumulatif"
            f" mencapai {format_number(a)}% (termasuk obat yang melewati batas itu), kelas B ="
            f" sebelum kumulatif mencapai {format_number(a + b)}%, sisanya kelas C."
            f" Hasil: A {counts[AbcClass.A]} obat, B {counts[AbcClass.B]} obat,"
            f" C {counts[AbcClass.C]} obat."
        )


def abc_analysis(
    values: Iterable[tuple[str, Quantity]],
    *,
    basis: AbcBasis,
    cutoffs: AbcCutoffs = DEFAULT_CUTOFFS,
) -> AbcResult:
    """Class (name, value) pairs A/B/C; see the module docstring for the rule."""
    items = _validated(values, basis)
    total = sum((value for _, value in items), Decimal(0))
    if total == 0:
        raise ValueError(
            f"Total nilai {basis.label} adalah nol; analisis ABC tidak dapat dihitung."
        )

    ranked = sorted(items, key=lambda item: (-item[1], item[0].casefold(), item[0]))
    rows: list[AbcRow] = []
    share_ranked_above = Fraction(0)
    for rank, (name, value) in enumerate(ranked, start=1):
        share = Fraction(value) / Fraction(total) * 100
        cumulative = share_ranked_above + share
        rows.append(
            AbcRow(
                rank=rank,
                name=name,
                value=value,
                share_percent=to_decimal(share),
                cumulative_percent=to_decimal(cumulative),
                abc_class=cutoffs.classify(share_ranked_above),
            )
        )
        share_ranked_above = cumulative
    return AbcResult(basis=basis, cutoffs=cutoffs, rows=tuple(rows), total_value=total)


def abc_by_usage(items: Sequence[UsageItem], *, cutoffs: AbcCutoffs = DEFAULT_CUTOFFS) -> AbcResult:
    return abc_analysis(
        ((item.name, item.mutations) for item in items), basis=AbcBasis.USAGE, cutoffs=cutoffs
    )


def abc_by_investment(
    items: Sequence[InvestmentItem], *, cutoffs: AbcCutoffs = DEFAULT_CUTOFFS
) -> AbcResult:
    return abc_analysis(
        ((item.name, item.value) for item in items), basis=AbcBasis.INVESTMENT, cutoffs=cutoffs
    )


def _validated(
    values: Iterable[tuple[str, Quantity]], basis: AbcBasis
) -> list[tuple[str, Decimal]]:
    items: list[tuple[str, Decimal]] = []
    seen: set[str] = set()
    for name, value in values:
        if not isinstance(name, str) or not name.strip():
            raise ValueError("Nama obat dalam analisis ABC tidak boleh kosong.")
        if name in seen:
            raise ValueError(f"Obat {name} tercantum lebih dari sekali dalam analisis ABC.")
        seen.add(name)
        non_negative(value, f"Nilai {basis.label} {name}")
        items.append((name, Decimal(value)))
    if not items:
        raise ValueError("Daftar obat untuk analisis ABC tidak boleh kosong.")
    return items
