"""Charts drawn on the server as SVG: no chart library, no script, printable.

Each chart is built from the same rows its data table and CSV download show.
Colours are paired with patterns-free labels and values, so nothing is told by
colour alone.
"""

from __future__ import annotations

from html import escape

PALETTE = ["#0b5d57", "#8a3b00", "#3b4f9a", "#6b2d6b", "#4a5561", "#1d6b2c"]


def bar_chart(
    rows: list[tuple[str, float]], *, title: str, unit: str = "", width: int = 640
) -> str:
    """Horizontal bars, one per row, value printed at the end of each bar."""
    bar_h, gap, label_w = 22, 8, 220
    height = max(1, len(rows)) * (bar_h + gap) + 10
    top = max((v for _, v in rows if v is not None), default=0) or 1
    plot_w = width - label_w - 80
    parts = [_open(width, height, title)]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        v = value or 0
        w = plot_w * v / top
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="13">{escape(str(label))}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[0]}"/>'
        )
        shown = "—" if value is None else f"{_fmt(value)}{unit}"
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="13">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(
    categories: list[str], series: list[tuple[str, list[float]]], *, title: str, width: int = 640
) -> str:
    """Vertical bars grouped by category, one colour per series, with a wrapped legend."""
    legend, legend_h = _legend([name for name, _ in series], width)
    bottom, left, plot_h = 60, 40, 170
    height = legend_h + plot_h + bottom
    n_series = max(1, len(series))
    group_w = (width - left - 10) / max(1, len(categories))
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
        parts.append(
            f'<text x="{x:.1f}" y="{base_y + 16}" font-size="11" text-anchor="end" '
            f'transform="rotate(-35 {x:.1f} {base_y + 16})">{escape(label)}</text>'
        )
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


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>'
    )


def _fmt(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value)}"
