"""The display rule, in one place: what a reader sees for an amount in yuan, and its unit.

Performance forms and project budgets print yuan. A table amount prints in its table's unit
(a district profile may give table 09 in 万元 and the others in 元; without one every table is in
the budget's display unit); figures in prose print in the prose unit (the display unit unless
the profile says otherwise). Each is rounded half-up once from the exact value (money.py holds
the number formats and the English wording). The HTML, the PDF, the read-back, the data files
and the messages all ask this rule, so they cannot disagree about a figure's unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from generator.core import labels as lb
from generator.core.frozen import FrozenMap
from generator.core.labels import Label
from generator.core.money import UNIT_FACTORS, grouped, prose_amount, side_amount, table_cell, to_unit, yuan_text

IN_YUAN = ("form.", "project.")  # keyed amounts printed in yuan, whatever the display unit


def money_text(value: Decimal) -> Label:
    """An exact amount in a message: '2,754,000.00元' / 'RMB 2,754,000.00'."""
    return Label(f"{grouped(value)}元", f"RMB {grouped(value)}")


def table_of(key: str) -> str | None:
    """The table a keyed amount is a cell of: "09.row.total" -> "09"; None for other keys."""
    head = key.split(".", 1)[0]
    return head if head.isdigit() else None


@dataclass(frozen=True)
class DisplayRule:
    unit: str  # the tables' unit (万元 or 元) where `table_units` names none
    table_units: Mapping[str, str] = field(default_factory=FrozenMap, hash=False)  # table number -> unit
    prose_unit: str | None = None  # figures in sentences (None: `unit`)
    prose_grouping: bool = False  # 9,101.68万元 (False: 9101.68万元)
    prose_whole: bool = False  # 839万元 for 839.00万元 (a whole amount without its zero decimals)
    zero: str = ""  # what a table cell of no money shows: blank (the standard tables), or "0.00"

    def __post_init__(self):
        object.__setattr__(self, "table_units", FrozenMap(self.table_units))
        for unit in (self.unit, self.prose_unit or self.unit, *self.table_units.values()):
            if unit not in UNIT_FACTORS:
                raise ValueError(f"unknown display unit {unit!r}")

    @classmethod
    def of(cls, display_unit: str, profile=None) -> DisplayRule:
        """The rule of a document: from its district profile (SPEC11 names) or, without one, its display unit."""
        if profile is None:
            return cls(display_unit)
        units = profile.units
        tables = units.tables or display_unit  # a profile that sets no unit keeps the file's display_unit
        numbers = profile.numbers
        return cls(tables, dict(units.table_units), units.prose or tables, bool(numbers.prose_grouping),
                   bool(numbers.prose_whole), "" if numbers.zero == "blank" else numbers.zero)

    @property
    def factor(self) -> Decimal:
        return UNIT_FACTORS[self.unit]

    @property
    def prose(self) -> str:
        """The unit of figures in prose."""
        return self.prose_unit or self.unit

    # ---- which unit
    @staticmethod
    def in_yuan(key: str) -> bool:
        return key.startswith(IN_YUAN)

    def all_in_yuan(self, keys: Iterable[str]) -> bool:
        keys = tuple(keys)
        return bool(keys) and all(self.in_yuan(k) for k in keys)

    def unit_of(self, table: str | None) -> str:
        """The unit a table prints in."""
        return self.table_units.get(table, self.unit) if table is not None else self.unit

    def unit_of_key(self, key: str) -> str:
        return "元" if self.in_yuan(key) else self.unit_of(table_of(key))

    def unit_of_keys(self, keys: Iterable[str]) -> str:
        """The one unit of a side of a comparison; 元 when its amounts are in different units."""
        units = {self.unit_of_key(k) for k in keys}
        return units.pop() if len(units) == 1 else "元"

    def factor_of(self, key: str) -> Decimal:
        """Yuan per displayed unit of one keyed amount: what a read-back number is multiplied by."""
        return UNIT_FACTORS[self.unit_of_key(key)]

    # ---- values
    def shown(self, key: str, value: Decimal) -> Decimal:
        """What a reader sees for a keyed amount, back in yuan."""
        if self.in_yuan(key):
            return value
        unit = self.unit_of_key(key)
        return to_unit(value, unit) * UNIT_FACTORS[unit]

    # ---- texts
    def unit_label(self, lang: str, table: str | None = None) -> str:
        return lb.UNIT_NAMES[self.unit_of(table)](lang)

    def unit_suffix(self, lang: str, table: str | None = None) -> str:
        """The unit after an amount of `table` printed outside it: 万元 / (RMB 10,000)."""
        return lb.UNIT_SUFFIX.format(unit=self.unit_label(lang, table))(lang)

    def cell(self, value: Decimal | None, table: str | None = None) -> str:
        """A table cell, in its table's unit: blank (or the profile's zero) for no money."""
        text = table_cell(value, self.unit_of(table))
        return self.zero if not text and value is not None else text

    def prose_text(self, value: Decimal, lang: str) -> str:
        """An amount in a sentence: '9,101.68万元' / 'RMB 91.02 million' (money.prose_amount)."""
        return prose_amount(value, self.prose, lang, self.prose_grouping, self.prose_whole)

    def side(self, value: Decimal, keys: tuple[str, ...], lang: str) -> str:
        """A side of a comparison on the page: forms in yuan, tables in their unit."""
        if self.all_in_yuan(keys):
            return lb.YUAN_AMOUNT.format(amount=yuan_text(value))(lang)
        unit = self.unit_of_keys(keys)
        if lang == "en":
            return side_amount(value, unit)
        return f"{grouped(value / UNIT_FACTORS[unit])} {lb.UNIT_NAMES[unit](lang)}"

    def side_text(self, value: Decimal, keys: tuple[str, ...]) -> Label:
        """A displayed amount in a message, in the unit readers see it in."""
        if self.all_in_yuan(keys):
            return money_text(value)
        unit = self.unit_of_keys(keys)
        return Label(f"{grouped(value / UNIT_FACTORS[unit])}{unit}", side_amount(value, unit))
