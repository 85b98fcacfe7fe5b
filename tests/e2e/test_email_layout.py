"""Every email kind in the one layout, in headless Chromium at 600 and 390 CSS px:
nothing overflows (scrollWidth <= viewport) and every image has alt text; with a
cluster's branding and with the portal's."""

from __future__ import annotations

import pytest
from django.utils import translation

from portal.base.email_layout import render_email
from tests.e2e.email_samples import EMAIL_TEMPLATES, Sample, sample_body

CLUSTER_BRAND = {
    "name": "Genopole Biocluster with a rather long name",
    # A wide logo (scaled by the layout); the browser need not load it for the checks.
    "logo_url": "https://portal.example/media/cluster-logos/genopole-logo-1600x400.png",
    "accent": "#006d77",
}
WIDTHS = (600, 390)


def layout_html(template: str, brand: dict | None) -> str:
    with translation.override("en"):
        _text, html = render_email(
            recipient=Sample("person"),
            subject=f"Subject of {template}",
            body=sample_body(template),
            url="/events/sample/" if "invitation" not in template else "",
            brand=brand,
        )
    return html


@pytest.mark.parametrize("branded", [True, False], ids=["cluster", "portal"])
def test_every_email_kind_fits_600_and_390_px_and_images_have_alt(browser, branded):
    assert len(EMAIL_TEMPLATES) >= 30  # every template under templates/*/email/
    context = browser.new_context()
    page = context.new_page()
    # The logo's host does not exist here: answer with a tiny image, no network.
    page.route("https://portal.example/**", lambda route: route.fulfill(status=404))
    problems = []
    try:
        for template in EMAIL_TEMPLATES:
            html = layout_html(template, CLUSTER_BRAND if branded else None)
            assert ("<img" in html) is branded, template
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                page.set_content(html)
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    problems.append(f"{template} at {width}px: scrollWidth {scroll}")
                missing = page.evaluate(
                    "[...document.images].filter(i => !(i.getAttribute('alt') || '').trim()).length"
                )
                if missing:
                    problems.append(f"{template} at {width}px: {missing} image(s) without alt")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
