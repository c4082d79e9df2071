"""Horizontal bar charts as inline SVG, made at build time: no script, no external file.

Each chart is a <figure>: a caption, the SVG (role="img" with its <title> and <desc>, the desc
reading out every bar), and the table it summarises in a <details>. Every bar carries
`data-bar="<figure name>"` and its length; every number it prints is a `data-figure` span, so the
read-back (outputs/glance_check.py) can compare both with the ledger. Colours and type come from
the theme stylesheet (classes .chart-*), so the chart prints like the page.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from markupsafe import Markup, escape

from generator.core.money import ZERO, round_half_up
from generator.present import glance as gl
from generator.present.glance import Chart, Glance

WIDTH = 360  # the viewBox: about a 390 px phone's content width, so text is ~13 px there
BAR_MAX = Decimal(180)  # the longest bar; its figures follow it on the same line (RMB 91.02 million 100.00%)
ROW = 40  # height of one bar's row: its label above, the bar below
LABEL_SIZE = 13
VALUE_SIZE = 12


def bar_width(value: Decimal, largest: Decimal) -> str:
    """A bar's length in viewBox units, to 0.01: proportional to the largest bar of its chart."""
    if largest <= ZERO or value <= ZERO:
        return "0.00"
    return f"{round_half_up(BAR_MAX * value / largest):.2f}"


def _text_width(text: str, size: int) -> float:
    """About how wide `text` is set at `size` px: CJK and full-width characters 1 em, others 0.6 em."""
    return sum(size * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6) for ch in text)


def fit(text: str, size: int = LABEL_SIZE, room: float = WIDTH) -> str:
    """`text` shortened with "…" to fit `room` (the table beside the chart has it in full)."""
    if _text_width(text, size) <= room:
        return text
    while text and _text_width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _figure_span(g: Glance, name: str, tag: str = "tspan") -> str:
    return f'<{tag} data-figure="{escape(name)}">{escape(g.show(name))}</{tag}>'


def svg(g: Glance, chart: Chart, values: dict[str, Decimal]) -> Markup:
    cid = f"chart-{chart.id}"
    largest = max((values.get(b.name, ZERO) for b in chart.bars), default=ZERO)
    height = ROW * len(chart.bars) + 4
    out = [f'<svg class="chart-svg" data-chart="{escape(chart.id)}" role="img" viewBox="0 0 {WIDTH} {height}" '
           f'aria-labelledby="{cid}-title {cid}-desc" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="{cid}-title">{escape(chart.title)}</title>',
           f'<desc id="{cid}-desc">{escape(g.summary(chart))}</desc>']
    for n, bar in enumerate(chart.bars):
        y = ROW * n
        label = bar.label + (f" · {bar.note}" if bar.note else "")
        width = bar_width(values.get(bar.name, ZERO), largest)
        kind = " chart-bar-last" if bar.name.startswith("last_year.") else f" chart-bar-{n % 6}"
        out.append(f'<text class="chart-label" x="0" y="{y + 14}" aria-hidden="true">{escape(fit(label))}</text>')
        out.append(f'<rect class="chart-bar{kind}" x="0" y="{y + 20}" width="{width}" height="12" rx="2" '
                   f'data-bar="{escape(bar.name)}"/>')
        x = f"{float(width) + 6:.2f}"
        value = _figure_span(g, bar.name) + (f' <tspan class="chart-share">{_figure_span(g, bar.share)}</tspan>'
                                             if bar.share else "")
        out.append(f'<text class="chart-value" x="{x}" y="{y + 31}" aria-hidden="true">{value}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def table(g: Glance, chart: Chart) -> Markup:
    t = g.t
    share = any(b.share for b in chart.bars)
    head = [t(gl.ITEM), t(gl.AMOUNT_LABEL)] + ([t(gl.SHARE)] if share else [])
    out = [f'<table class="chart-table"><caption class="visually-hidden">{escape(chart.title)}</caption><thead><tr>']
    out += [f'<th scope="col">{escape(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for bar in chart.bars:
        label = bar.label + (f" · {bar.note}" if bar.note else "")
        out.append(f'<tr><th scope="row">{escape(label)}</th><td class="num">{_figure_span(g, bar.name, "span")}</td>')
        if share:
            out.append(f'<td class="num">{_figure_span(g, bar.share, "span") if bar.share else ""}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    changes = g.changes(chart)
    if changes:
        out.append('<ul class="chart-changes">')
        for c in changes:
            label = next(b.label for b in chart.bars if b.name == c.key)
            out.append(f'<li data-change="{escape(c.key)}" data-direction="{c.direction}">{escape(label)}'
                       f'{escape(g.text("COLON"))}{escape(g.direction_word(c))}')
            if c.direction != "same":
                sep = escape(g.text("COMMA"))
                out.append(f' {_figure_span(g, c.amount, "span")}{sep}{_figure_span(g, c.percent, "span")}')
            out.append("</li>")
        out.append("</ul>")
    return Markup("".join(out))


def figure(g: Glance, chart: Chart, values: dict[str, Decimal]) -> Markup:
    """A chart with its caption, its text alternative and its table."""
    cid = f"chart-{chart.id}"
    parts = [f'<figure class="chart" id="{cid}" aria-labelledby="{cid}-cap">',
             f'<figcaption id="{cid}-cap" class="chart-caption">{escape(chart.title)}</figcaption>',
             str(svg(g, chart, values))]
    if chart.note:
        note = str(escape(chart.note)).replace("{count}", _figure_span(g, "projects.count", "span"))
        parts.append(f'<p class="chart-note">{note}</p>')
    parts.append(f'<details class="chart-data"><summary>{escape(g.t(gl.TABLE))}</summary>{table(g, chart)}</details>')
    parts.append("</figure>")
    return Markup("".join(parts))

