"""Money and percentages: exact `Decimal` yuan inside, rounded once for display.

Rounding policy (README, "Rounding"):
- every amount typed in a budget file is in yuan (元) with at most two decimals (分);
- every total is summed exactly in yuan;
- every displayed figure is rounded half-up, once, from its exact value, to two decimals of
  the display unit (万元 or 元); a displayed total is never re-added from displayed rows;
- where that makes a displayed total differ from the sum of the displayed rows it covers,
  the reconciliation reports it and the table carries a rounding note.

Amounts outside the table cells (README, "Rounding"):
- Chinese: the number in the prose unit and the unit, `5715.29万元`, grouped when the profile says
  so (`18,976.76万元`, `91,016,775.35元`);
- English, one wording everywhere (prose, reconciliation sides, messages): "RMB" and the number,
  in millions from RMB 1 million up. A figure in prose is rounded half-up once from its exact
  value to RMB 10,000 (0.01 million): `RMB 189.77 million`, `RMB 91.02 million`, whatever the
  prose unit; below RMB 1 million to the step of the prose unit, RMB 100 for 万元
  (`RMB 35,700`) or the cent for 元 (`RMB 3,456.78`); nothing is `RMB 0`. A side of a
  comparison (a sum of table figures) keeps the step of its table unit, so that a rounding
  difference shows: `RMB 52.9510 million` (万元, 0.0001 million = RMB 100), `RMB 35,700`,
  `RMB 91,016,775.35` (元: yuan and cents, also above a million).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
UNIT_FACTORS = {"万元": Decimal("10000"), "元": Decimal("1")}
MILLION = Decimal(10) ** 6


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


def prose_amount(yuan: Decimal, unit: str, lang: str, grouping: bool = False, whole: bool = False) -> str:
    """An amount inside a sentence: '5715.29万元' (grouped: '5,715.29万元'; `whole`: '839万元' for
    839.00万元) / 'RMB 57.15 million'."""
    if lang == "zh":
        shown = to_unit(yuan, unit)
        places = 0 if whole and shown == shown.to_integral_value() else 2
        return f"{grouped(shown, places) if grouping else plain(shown, places)}{unit}"
    millions = round_half_up(yuan / MILLION)
    if abs(millions) >= 1:
        return f"RMB {millions:,.2f} million"
    return _english_yuan(yuan, unit)


def side_amount(yuan: Decimal, unit: str) -> str:
    """English for a sum of table figures in `unit`, to the unit's step: 'RMB 52.9510 million', 'RMB 35,700'."""
    if unit == "万元" and abs(round_half_up(yuan, -2)) >= MILLION:
        return f"RMB {round_half_up(yuan / MILLION, 4):,.4f} million"
    return _english_yuan(yuan, unit)


def _english_yuan(yuan: Decimal, unit: str) -> str:
    """'RMB 35,700' (万元: to RMB 100), 'RMB 3,456.78' (元: to the cent), 'RMB 0'."""
    value = round_half_up(yuan, -2 if unit == "万元" else 2)
    if value == ZERO:
        return "RMB 0"
    return f"RMB {value:,.0f}" if unit == "万元" else f"RMB {grouped(value)}"


def prose_percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{plain(value)}%"


def yuan_text(yuan: Decimal | None) -> str:
    """An amount in yuan as the performance forms print it (no grouping, decimals only if any)."""
    if yuan is None:
        return "-"
    return f"{yuan:f}" if yuan % 1 else f"{int(yuan)}"
