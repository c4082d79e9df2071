"""The display rule, in one place: what a reader sees for an amount in yuan, and its unit.

Performance forms and project budgets print yuan; everything else (the tables, figures in
prose) prints the budget's display unit (万元 or 元), rounded half-up once from the exact
value (money.py holds the number formats). The HTML, the PDF, the read-back, the data files
and the messages all ask this rule, so they cannot disagree about a figure's unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from generator.core import labels as lb
from generator.core.labels import Label
from generator.core.money import UNIT_FACTORS, grouped, table_cell, to_unit, yuan_text

IN_YUAN = ("form.", "project.")  # keyed amounts printed in yuan, whatever the display unit


def money_text(value: Decimal) -> Label:
    """An exact amount in a message: '2,754,000.00元' / 'RMB 2,754,000.00'."""
    return Label(f"{grouped(value)}元", f"RMB {grouped(value)}")


@dataclass(frozen=True)
class DisplayRule:
    unit: str  # the budget's display unit: 万元 or 元

    @property
    def factor(self) -> Decimal:
        return UNIT_FACTORS[self.unit]

    # ---- which unit
    @staticmethod
    def in_yuan(key: str) -> bool:
        return key.startswith(IN_YUAN)

    def all_in_yuan(self, keys: Iterable[str]) -> bool:
        keys = tuple(keys)
        return bool(keys) and all(self.in_yuan(k) for k in keys)

    def factor_of(self, key: str) -> Decimal:
        """Yuan per displayed unit of one keyed amount: what a read-back number is multiplied by."""
        return Decimal(1) if self.in_yuan(key) else self.factor

    # ---- values
    def shown(self, key: str, value: Decimal) -> Decimal:
        """What a reader sees for a keyed amount, back in yuan."""
        return value if self.in_yuan(key) else to_unit(value, self.unit) * self.factor

    # ---- texts
    def unit_label(self, lang: str) -> str:
        return lb.UNIT_NAMES[self.unit](lang)

    def unit_suffix(self, lang: str) -> str:
        """The unit after an amount outside the tables: 万元 / (RMB 10,000)."""
        return lb.UNIT_SUFFIX.format(unit=self.unit_label(lang))(lang)

    def cell(self, value: Decimal | None) -> str:
        """A table cell: blank for no money."""
        return table_cell(value, self.unit)

    def side(self, value: Decimal, keys: tuple[str, ...], lang: str) -> str:
        """A side of a comparison on the page: forms in yuan, tables in the display unit."""
        if self.all_in_yuan(keys):
            return lb.YUAN_AMOUNT.format(amount=yuan_text(value))(lang)
        return f"{grouped(value / self.factor)} {self.unit_label(lang)}"

    def side_text(self, value: Decimal, keys: tuple[str, ...]) -> Label:
        """A displayed amount in a message, in the unit readers see it in."""
        if self.all_in_yuan(keys):
            return money_text(value)
        shown = grouped(value / self.factor)
        return Label(f"{shown}{self.unit_suffix('zh')}", f"{shown} {self.unit_suffix('en')}")
