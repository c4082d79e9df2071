"""Last year's figures of a document: from last year's file when it exists, else as typed.

The names are those of `figures.LastYearFigures`: total, source.<key>, function.<code>,
three_public.<kind>, operating_costs. What a clerk types in `last_year:` is kept beside what
last year's file computes, so the reconciliation can compare the two.
"""

from __future__ import annotations

from decimal import Decimal

from generator.compute.figures import THREE_PUBLIC_KEYS, LastYearFigures
from generator.load.model import LastYear

REQUIRED = ("total", "three_public.total")  # the narrative compares these in every document


def typed(last_year: LastYear) -> dict[str, tuple[tuple, Decimal]]:
    """Each value typed in `last_year:`, by figure name, with its data path below `last_year`."""
    out: dict[str, tuple[tuple, Decimal]] = {}
    if last_year.total is not None:
        out["total"] = (("total",), last_year.total)
    for source, value in last_year.sources.items():
        out[f"source.{source}"] = (("sources", source), value)
    for code, value in last_year.functions.items():
        out[f"function.{code}"] = (("functions", code), value)
    t = last_year.three_public
    if t is not None:
        parts = {"outbound": t.outbound, "reception": t.reception,
                 "vehicle_purchase": t.vehicle_purchase, "vehicle_operation": t.vehicle_operation}
        for key, value in parts.items():
            out[f"three_public.{key}"] = (("three_public", key), value)
    if last_year.operating_costs is not None:
        out["operating_costs"] = (("operating_costs",), last_year.operating_costs)
    return out


def _derived(values: dict[str, Decimal]) -> dict[str, Decimal]:
    """The 三公 subtotals of typed parts."""
    parts = ("outbound", "reception", "vehicle_purchase", "vehicle_operation")
    if all(f"three_public.{k}" in values for k in parts):
        v = {k: values[f"three_public.{k}"] for k in parts}
        values["three_public.vehicle"] = v["vehicle_purchase"] + v["vehicle_operation"]
        values["three_public.total"] = sum(v.values(), Decimal(0))
    return values


def computed(previous) -> dict[str, Decimal]:
    """What last year's computed document publishes, by the same names."""
    f = previous.figures
    out = {"total": f["total"].value}
    out |= {k.removeprefix("income."): f[k].value for k in f if k.startswith("income.")}
    out = {("source." + k if k != "total" else k): v for k, v in out.items()}
    out |= {k: f[k].value for k in f if k.startswith("function.") and k.count(".") == 1}
    out |= {f"three_public.{k}": f[f"three_public.{k}"].value for k in THREE_PUBLIC_KEYS}
    if "operating_costs" in f:
        out["operating_costs"] = f["operating_costs"].value
    return out


def figures_for(last_year: LastYear, previous) -> tuple[LastYearFigures, list[str]]:
    """Last year's figures, and the required ones that neither source gives."""
    values = computed(previous) if previous is not None else _derived({k: v for k, (_, v) in typed(last_year).items()})
    return LastYearFigures(values), [k for k in REQUIRED if k not in values]
