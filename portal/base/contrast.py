"""Colour contrast (WCAG 2.x) for accent colours a cluster chooses; no Django.

`contrast_ratio` is the WCAG ratio of two sRGB colours. `darken_until` walks an
accent's HSL lightness down in small steps (hue and saturation kept) until it
keeps the ratio against every background, which gives the nearest darker shade
that passes. `accent_tokens` derives the strong (hover) and soft (tint) shades
the stylesheet uses next to the accent; the accent keeps AA on the tint too.
"""

from __future__ import annotations

import colorsys
import re

AA_TEXT = 4.5
WHITE = "#ffffff"
SURFACE = "#f5f7f9"  # --surface in static/css/portal.css
ACCENT_BACKGROUNDS = (WHITE, SURFACE)
HEX = re.compile(r"^#[0-9a-f]{6}$")


def normalise_hex(value: str) -> str:
    """'#ABC', 'abc', '#AABBCC' -> '#aabbcc'; ValueError when it is none of these."""
    v = value.strip().lower()
    if not v.startswith("#"):
        v = "#" + v
    if re.fullmatch(r"#[0-9a-f]{3}", v):
        v = "#" + "".join(c * 2 for c in v[1:])
    if not HEX.match(v):
        raise ValueError(value)
    return v


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = normalise_hex(hex_colour)
    return (int(h[1:3], 16) / 255, int(h[3:5], 16) / 255, int(h[5:7], 16) / 255)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def relative_luminance(hex_colour: str) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def worst_ratio(colour: str, backgrounds=ACCENT_BACKGROUNDS) -> float:
    return min(contrast_ratio(colour, bg) for bg in backgrounds)


def _with_lightness(colour: str, lightness: float) -> str:
    h, _l, s = colorsys.rgb_to_hls(*_rgb(colour))
    return _hex(colorsys.hls_to_rgb(h, max(0.0, lightness), s))


def darken_until(colour: str, minimum: float = AA_TEXT, backgrounds=ACCENT_BACKGROUNDS) -> str:
    """The lightest shade of `colour` (same hue and saturation, lower HSL lightness)
    that keeps `minimum` against every background; the colour itself if it does."""
    colour = normalise_hex(colour)
    if worst_ratio(colour, backgrounds) >= minimum:
        return colour
    _h, lightness, _s = colorsys.rgb_to_hls(*_rgb(colour))
    step = 0.002
    while lightness > 0:
        lightness -= step
        candidate = _with_lightness(colour, lightness)
        if worst_ratio(candidate, backgrounds) >= minimum:
            return candidate
    return "#000000"


def _mix(colour: str, other: str, amount: float) -> str:
    a, b = _rgb(colour), _rgb(other)
    return _hex(tuple(x * amount + y * (1 - amount) for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def accent_tokens(accent: str) -> dict[str, str]:
    """--accent, --accent-strong (hover, darker) and --accent-soft (a pale tint)."""
    accent = normalise_hex(accent)
    _h, lightness, _s = colorsys.rgb_to_hls(*_rgb(accent))
    # The tint is a background for accent text (current navigation, hovered
    # secondary buttons): paler until the accent keeps AA on it too.
    amount = 0.11
    soft = _mix(accent, WHITE, amount)
    while contrast_ratio(accent, soft) < AA_TEXT and amount > 0:
        amount = round(amount - 0.01, 2)
        soft = _mix(accent, WHITE, amount)
    return {
        "accent": accent,
        "accent-strong": _with_lightness(accent, lightness * 0.68),
        "accent-soft": soft,
    }
