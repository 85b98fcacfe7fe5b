"""A manager gives the cluster a custom accent: its pages link brand.css, use the
colour, and stay free of serious or critical axe violations."""

from __future__ import annotations

import re

from tests.e2e.axe import BLOCKING, SCANNED, format_violations, scan

ACCENT = "#6a1b9a"  # a dark purple, 8.7:1 on white


def test_custom_accent_on_cluster_and_event_pages(open_as, portal_server):
    manager = open_as("manager@demo.example")
    manager.goto(portal_server + "/clusters/genopole/edit/")
    manager.locator("input[name=accent_colour]").fill("#f5e663")
    manager.locator("main form button[type=submit]").click()
    error = manager.locator("#id_accent_colour_error")
    assert "1.19:1" in error.inner_text()
    manager.locator("input[name=accent_colour]").fill(ACCENT)
    manager.locator("main form button[type=submit]").click()
    manager.wait_for_url(portal_server + "/clusters/genopole/")

    hrefs = manager.locator("main a[href^='/events/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    event_pages = [h for h in hrefs if re.fullmatch(r"/events/[\w-]+/", h) and h != "/events/mine/"]
    assert event_pages, hrefs  # the demo's Genopole has upcoming events
    pages = ["/clusters/genopole/", "/services/clusters/genopole/", event_pages[0]]
    problems = []
    for path in pages:
        manager.goto(portal_server + path)
        assert manager.locator("link[href*='/clusters/genopole/brand.css']").count() == 1, path
        accent = manager.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
        )
        assert accent == ACCENT, (path, accent)
        violations = scan(manager)
        SCANNED.append((f"branded {path}", manager.url, violations))
        blocking = [v for v in violations if v.get("impact") in BLOCKING]
        if blocking:
            problems.append(f"{path}:\n{format_violations(blocking)}")
    assert not problems, "axe-core, serious or critical:\n" + "\n".join(problems)
    # Back to the portal's colour, so other journeys see the demo as seeded.
    manager.goto(portal_server + "/clusters/genopole/edit/")
    manager.locator("input[name=accent_colour]").fill("")
    manager.locator("main form button[type=submit]").click()
    manager.wait_for_url(portal_server + "/clusters/genopole/")
