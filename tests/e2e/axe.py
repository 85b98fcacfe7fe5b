"""axe-core scans for the browser journeys.

axe-core is served from the project: the copy bundled in the
axe-playwright-python wheel (installed from requirements.lock), never a CDN.
It is injected with `page.evaluate` (DevTools evaluation, which the portal's
strict CSP does not block, so the journeys run under the real policy); when a
context was opened with `bypass_csp=True`, `add_script_tag` works as well.

`assert_accessible(page, "label")` fails with one line per serious or critical
violation: rule id, impact, the target selectors and axe's help text and URL.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import axe_playwright_python

AXE_JS = Path(axe_playwright_python.__file__).resolve().parent / "axe.min.js"
BLOCKING = ("serious", "critical")
# Every WCAG 2.0/2.1/2.2 A and AA rule plus axe's best practices.
OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}

# Every scan of the session: (label, url, violations of any impact); conftest writes
# them to test-artifacts/axe-report.txt at the end of the run.
SCANNED: list[tuple[str, str, list[dict]]] = []


@cache
def _source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def scan(page, options: dict | None = None) -> list[dict]:
    """Run axe-core on the current page; returns axe's violation objects."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    return page.evaluate("(options) => axe.run(document, options)", options or OPTIONS)[
        "violations"
    ]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:8])
        more = f" (+{len(v['nodes']) - 8} more)" if len(v["nodes"]) > 8 else ""
        lines.append(
            f"- {v['id']} [{v['impact']}] on {targets}{more}: {v['help']} ({v['helpUrl']})"
        )
    return "\n".join(lines)


def assert_accessible(page, label: str = "") -> None:
    """Zero serious or critical axe-core violations on the page as shown."""
    violations = scan(page)
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    SCANNED.append((label or page.url, page.url, violations))
    assert not blocking, (
        f"axe-core: {len(blocking)} serious/critical violation(s) on {label or ''} {page.url}\n"
        + format_violations(blocking)
    )
