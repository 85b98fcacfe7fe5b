"""The insights charts keep every label inside the picture (issue 15, 2.14)."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses the charts this code drew
from math import cos, radians, sin

from portal.dashboards import charts

SVG = "{http://www.w3.org/2000/svg}"
# A generous width per character for the portal's sans-serif fonts (Arial's
# widest lower-case letters are about 0.55 em, its average about 0.5 em).
EM_PER_CHAR = 0.6


def _texts(svg: str):
    root = ET.fromstring(svg)  # noqa: S314 - our own SVG
    view_w = float(root.get("viewBox").split()[2])
    return view_w, list(root.iter(f"{SVG}text"))


def _shown(text) -> str:
    """The visible text: without the <title> a shortened label carries."""
    title = text.find(f"{SVG}title")
    return ((text.text or "") + (title.tail or "" if title is not None else "")).strip()


def _left_edge(text) -> float:
    """Estimated left edge of a text element (rotation taken into account)."""
    size = float(text.get("font-size"))
    width = EM_PER_CHAR * size * len(_shown(text))
    x = float(text.get("x"))
    if text.get("text-anchor") == "end":
        left = x - width
        match = re.match(r"rotate\((-?[\d.]+)", text.get("transform", ""))
        if match:
            left = x - width * cos(radians(float(match.group(1))))
        return left
    return x


LONG = "Communication and internationalisation"


def test_bar_chart_long_labels_fit_on_the_left():
    svg = charts.bar_chart(
        [(LONG, 4), ("Legal counselling", 9), ("Infrastructures", 1)], title="Requests"
    )
    view_w, texts = _texts(svg)
    labels = [t for t in texts if t.get("text-anchor") == "end"]
    assert [_shown(t) for t in labels] == [LONG, "Legal counselling", "Infrastructures"]
    assert all(_left_edge(t) >= 0 for t in labels)
    # values printed after the bars stay inside too
    values = [t for t in texts if t.get("text-anchor") != "end"]
    assert all(float(t.get("x")) + 13 * EM_PER_CHAR * len(_shown(t)) <= view_w for t in values)


def test_bar_chart_very_long_label_is_shortened_with_an_ellipsis_and_a_title():
    huge = "A very long organisation name that goes on and on, far beyond any chart column"
    svg = charts.bar_chart([(huge, 3), ("Short", 1)], title="Requests")
    _view_w, texts = _texts(svg)
    first = next(t for t in texts if t.get("text-anchor") == "end")
    assert _shown(first).endswith("…")
    assert huge.startswith(_shown(first)[:-1])
    assert first.find(f"{SVG}title").text == huge
    assert _left_edge(first) >= 0


def test_grouped_bar_chart_rotated_category_labels_stay_inside():
    svg = charts.grouped_bar_chart(
        ["CRO / service provider", "Research institute", LONG],
        [("Requests", [3, 1, 2]), ("Attendance", [1, 0, 4])],
        title="By member kind",
    )
    root = ET.fromstring(svg)  # noqa: S314 - our own SVG
    view_h = float(root.get("viewBox").split()[3])
    _view_w, texts = _texts(svg)
    rotated = [t for t in texts if t.get("transform")]
    assert len(rotated) == 3

    for t in rotated:
        assert _left_edge(t) >= 0, _shown(t)
        drop = 11 * EM_PER_CHAR * len(_shown(t)) * sin(radians(35))
        assert float(t.get("y")) + drop <= view_h, _shown(t)
