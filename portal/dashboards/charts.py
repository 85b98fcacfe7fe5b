"""Charts drawn on the server as SVG: no chart library, no script, printable.

Each chart is built from the same rows its data table and CSV download show.
Colours are paired with patterns-free labels and values, so nothing is told by
colour alone.
"""

from __future__ import annotations

import math
from html import escape

from django.utils.formats import number_format

PALETTE = ["#0b5d57", "#8a3b00", "#3b4f9a", "#6b2d6b", "#4a5561", "#1d6b2c"]


def bar_chart(
    rows: list[tuple[str, float]], *, title: str, unit: str = "", width: int = 640
) -> str:
    """Horizontal bars, one per row, value printed at the end of each bar.

    The label column is as wide as the longest label needs, up to half of the
    chart; a label longer than that is shortened with "…" and keeps its full
    text in a <title> (the data table below the chart has it too)."""
    bar_h, gap, size = 22, 8, 13
    longest = max((_text_width(str(label), size) for label, _ in rows), default=0)
    label_w = math.ceil(min(max(longest, 60), width * 0.5)) + 16
    height = max(1, len(rows)) * (bar_h + gap) + 10
    top = max((v for _, v in rows if v is not None), default=0) or 1
    plot_w = width - label_w - 80
    parts = [_open(width, height, title)]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        v = value or 0
        w = plot_w * v / top
        parts.append(
            _text(
                str(label), label_w - 16, size, f'x="{label_w - 8}" y="{y + 16}" text-anchor="end"'
            )
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[0]}"/>'
        )
        shown = "—" if value is None else f"{_fmt(value)}{unit}"
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="{size}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(
    categories: list[str], series: list[tuple[str, list[float]]], *, title: str, width: int = 640
) -> str:
    """Vertical bars grouped by category, one colour per series, with a wrapped legend."""
    legend, legend_h = _legend([name for name, _ in series], width)
    left, plot_h, size = 40, 170, 11
    # Category labels are drawn rotated by 35 degrees and anchored at their end:
    # a label of length w reaches w*cos(35) to the left and w*sin(35) down.
    # Each is shortened to what fits left of its group (at most 160 px long),
    # and the space below the axis grows to the longest one.
    group_w = (width - left - 10) / max(1, len(categories))
    cos35, sin35 = 0.819, 0.574
    fits = [min(160.0, (left + c * group_w + group_w / 2) / cos35) for c in range(len(categories))]
    longest = max(
        (min(_text_width(label, size), fit) for label, fit in zip(categories, fits, strict=True)),
        default=0,
    )
    bottom = int(24 + longest * sin35)
    height = legend_h + plot_h + bottom
    n_series = max(1, len(series))
    bar_w = max(2.0, group_w * 0.8 / n_series)
    top = max((v for _, vals in series for v in vals if v), default=0) or 1
    base_y = legend_h + plot_h
    parts = [_open(width, height, title), legend]
    for s, (_name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        for c, value in enumerate(values):
            h = plot_h * (value or 0) / top
            x = left + c * group_w + group_w * 0.1 + s * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{base_y - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}"/>'
            )
    parts.append(
        f'<text x="{left - 4}" y="{legend_h + 10}" font-size="11" text-anchor="end">{_fmt(top)}</text>'
    )
    for c, label in enumerate(categories):
        x = left + c * group_w + group_w / 2
        attrs = (
            f'x="{x:.1f}" y="{base_y + 16}" text-anchor="end" '
            f'transform="rotate(-35 {x:.1f} {base_y + 16})"'
        )
        parts.append(_text(label, fits[c], size, attrs))
    parts.append(
        f'<line x1="{left}" y1="{base_y}" x2="{width - 10}" y2="{base_y}" stroke="#1b1f24"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _legend(names: list[str], width: int) -> tuple[str, int]:
    """Legend entries flowed left to right, wrapping; returns (svg, height used)."""
    parts, x, y = [], 10, 4
    for i, name in enumerate(names):
        item_w = 24 + 7 * len(name)
        if x + item_w > width and x > 10:
            x, y = 10, y + 18
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y + 11}" font-size="12">{escape(name)}</text>')
        x += item_w
    return "".join(parts), y + 26


# Average advance of a character in the portal's sans-serif fonts, in em; a
# little generous, so that an estimated label never runs out of the picture.
EM_PER_CHAR = 0.6


def _text_width(text: str, size: float) -> float:
    return len(text) * size * EM_PER_CHAR


def _text(label: str, max_w: float, size: float, attrs: str) -> str:
    """A <text> of at most `max_w` (estimated): a longer label is cut at a word
    where possible, ends in "…" and carries its full text in a <title>."""
    if _text_width(label, size) <= max_w:
        return f'<text {attrs} font-size="{size}">{escape(label)}</text>'
    chars = max(1, int(max_w / (size * EM_PER_CHAR)) - 1)
    cut = label[:chars]
    if " " in cut[chars // 2 :]:
        cut = cut[: cut.rindex(" ")]
    shown = cut.rstrip(" ,;:-/") + "…"
    return f'<text {attrs} font-size="{size}"><title>{escape(label)}</title>{escape(shown)}</text>'


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>'
    )


def _fmt(value: float) -> str:
    """A value as printed on a chart, with the reader's decimal separator ("4,2")."""
    if isinstance(value, float) and not value.is_integer():
        return number_format(value, decimal_pos=1)
    return number_format(int(value))
