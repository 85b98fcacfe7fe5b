"""Dashboards and network insights: aggregate figures (figures.py), server-drawn
SVG charts (charts.py), a versioned cache (cache.py) and the period maths."""
