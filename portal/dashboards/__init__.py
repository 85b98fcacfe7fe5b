"""Dashboards and network insights: aggregate figures (figures.py for service requests,
activity.py for events, rooms and matchmaking, network.py across clusters, with the
shared query pieces in aggregates.py), the tables built from them (tables.py,
network_tables.py), server-drawn SVG charts (charts.py), the versioned cache of the
figures and the signals that drop it (figure_cache.py), the period maths (periods.py)
and the member dashboard's context (member.py)."""
