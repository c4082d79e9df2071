"""Money and percentages: exact `Decimal` yuan inside, rounded once for display.

Rounding policy (README, "Rounding"):
- every amount typed in a budget file is in yuan (元) with at most two decimals (分);
- every total is summed exactly in yuan;
- every displayed figure is rounded half-up, once, from its exact value, to two decimals of
  the display unit (万元 or 元); a displayed total is never re-added from displayed rows;
- where that makes a displayed total differ from the sum of the displayed rows it covers,
  the reconciliation reports it and the table carries a rounding note.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
UNIT_FACTORS = {"万元": Decimal("10000"), "元": Decimal("1")}


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_unit(yuan: Decimal, unit: str) -> Decimal:
    """The displayed value of an exact yuan amount in `unit`, rounded half-up to 0.01."""
    return round_half_up(yuan / UNIT_FACTORS[unit])


def grouped(value: Decimal, places: int = 2) -> str:
    """1234567.8 -> '1,234,567.80'."""
    return f"{round_half_up(value, places):,.{places}f}"


def plain(value: Decimal, places: int = 2) -> str:
    return f"{round_half_up(value, places):.{places}f}"


def table_cell(yuan: Decimal | None, unit: str) -> str:
    """Text of a table cell: blank for no money, as the official tables print it."""
    if yuan is None or yuan == ZERO:
        return ""
    return grouped(to_unit(yuan, unit))


def prose_amount(yuan: Decimal, unit: str, lang: str) -> str:
    """An amount inside a sentence: '5715.29万元' / 'RMB 57.1529 million'."""
    shown = to_unit(yuan, unit)
    if lang == "zh":
        return f"{plain(shown)}{unit}"
    if shown == ZERO:
        return "RMB 0"
    if unit == "万元":
        # Same digits as the Chinese figure, only the unit differs: 10,000 yuan = 0.01 million.
        millions = shown / Decimal(100)
        return f"RMB {millions:,.4f} million" if millions % CENT else f"RMB {millions:,.2f} million"
    return f"RMB {grouped(shown)}"




def prose_percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{plain(value)}%"


def yuan_text(yuan: Decimal | None) -> str:
    """An amount in yuan as the performance forms print it (no grouping, decimals only if any)."""
    if yuan is None:
        return "-"
    return f"{yuan:f}" if yuan % 1 else f"{int(yuan)}"
