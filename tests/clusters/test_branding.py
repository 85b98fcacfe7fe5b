"""A cluster's branding: the accent's contrast check, brand.css, the logo."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from portal.base.contrast import (
    SURFACE,
    WHITE,
    accent_tokens,
    contrast_ratio,
    darken_until,
    worst_ratio,
)
from tests.factories.clusters import ClusterFactory
from tests.factories.events import EventFactory

PALE_YELLOW = "#f5e663"
DARK_TEAL = "#006d77"


def edit(cluster):
    return reverse("clusters:cluster_edit", args=[cluster.slug])


def form(**extra):
    return {"description": "About us", "focus": "Biotech", **extra}


def png(size=(400, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 90, 80)).save(out, format="PNG")
    return out.getvalue()


def test_contrast_maths_matches_wcag():
    assert contrast_ratio("#000000", WHITE) == pytest.approx(21.0)
    assert contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)
    # Darkening keeps the hue and stops at the first shade that passes on both.
    shade = darken_until(PALE_YELLOW)
    assert worst_ratio(shade) >= 4.5 and worst_ratio(shade) < 4.8
    assert min(contrast_ratio(shade, WHITE), contrast_ratio(shade, SURFACE)) >= 4.5
    assert darken_until(DARK_TEAL) == DARK_TEAL
    # The derived tint keeps the accent readable on it (current navigation).
    for accent in (shade, DARK_TEAL, "#767676"):
        tokens = accent_tokens(accent)
        assert contrast_ratio(accent, tokens["accent-soft"]) >= 4.5
        assert contrast_ratio(tokens["accent-strong"], WHITE) > contrast_ratio(accent, WHITE)


def test_pale_yellow_accent_is_refused_with_ratio_and_a_passing_suggestion(
    client, cluster, manager
):
    client.force_login(manager)
    response = client.post(edit(cluster), form(accent_colour=PALE_YELLOW))
    assert response.status_code == 200
    errors = response.context["form"].errors["accent_colour"]
    assert "1.19:1" in errors[0]
    suggestion = re.search(r"#[0-9a-f]{6}", errors[0]).group(0)
    assert suggestion == darken_until(PALE_YELLOW)
    assert worst_ratio(suggestion) >= 4.5
    cluster.refresh_from_db()
    assert cluster.accent_colour == "" and cluster.description != "About us"
    # The suggestion itself is accepted.
    assert client.post(edit(cluster), form(accent_colour=suggestion)).status_code == 302


def test_dark_teal_accent_is_accepted_and_normalised(client, cluster, manager):
    client.force_login(manager)
    response = client.post(edit(cluster), form(accent_colour=" #006D77 "))
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.accent_colour == DARK_TEAL and cluster.brand_updated is not None


def test_malformed_colour_gets_a_clear_message(client, cluster, manager):
    client.force_login(manager)
    response = client.post(edit(cluster), form(accent_colour="teal"))
    assert "six hexadecimal digits" in response.context["form"].errors["accent_colour"][0]


def test_brand_css_is_served_cached_and_used_only_on_that_clusters_pages(client, db):
    teal = ClusterFactory(accent_colour=DARK_TEAL)
    plain = ClusterFactory()
    css_url = reverse("clusters:cluster_brand_css", args=[teal.slug])
    response = client.get(css_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    body = response.content.decode()
    assert "--accent: #006d77;" in body and "--accent-strong:" in body and "--accent-soft:" in body
    assert "max-age=86400" in response["Cache-Control"] and "public" in response["Cache-Control"]
    etag = response["ETag"]
    assert client.get(css_url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(reverse("clusters:cluster_brand_css", args=["nope"])).status_code == 404

    own_event = EventFactory(cluster=teal, audience="public")
    other_event = EventFactory(cluster=plain, audience="public")
    page = client.get(own_event.get_absolute_url()).content.decode()
    assert f'href="{css_url}?v=006d77"' in page
    other = client.get(other_event.get_absolute_url()).content.decode()
    assert "brand.css" not in other
    for url in (
        reverse("clusters:cluster_detail", args=[teal.slug]),
        reverse("services:cluster_catalogue", args=[teal.slug]),
        reverse("events:event_list") + f"?cluster={teal.pk}",
    ):
        assert css_url in client.get(url).content.decode(), url
    assert "brand.css" not in client.get(reverse("events:event_list")).content.decode()


def test_brand_css_last_modified_follows_the_edit(client, cluster, manager):
    client.force_login(manager)
    client.post(edit(cluster), form(accent_colour=DARK_TEAL))
    response = client.get(reverse("clusters:cluster_brand_css", args=[cluster.slug]))
    assert response.has_header("Last-Modified")
    again = client.get(
        reverse("clusters:cluster_brand_css", args=[cluster.slug]),
        headers={"if-modified-since": response["Last-Modified"]},
    )
    assert again.status_code == 304


def test_logo_upload_is_re_encoded_and_shown_in_the_header(client, cluster, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile("brand.png", png((1600, 400)), content_type="image/png")
    response = client.post(edit(cluster), form(logo=upload))
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.logo.name.startswith("cluster-logos/") and cluster.logo.name.endswith(".jpg")
    with cluster.logo.open("rb") as fh:
        assert Image.open(fh).size == (800, 200)
    page = client.get(reverse("clusters:cluster_detail", args=[cluster.slug])).content.decode()
    assert f'<img src="{cluster.logo.url}" alt="{cluster.name}"' in page


def test_bad_logo_gets_a_clear_message_and_nothing_is_saved(client, cluster, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile("logo.png", b"<svg>not a png</svg>", content_type="image/png")
    response = client.post(edit(cluster), form(logo=upload, accent_colour=DARK_TEAL))
    assert response.status_code == 200
    assert "this file is not one" in response.context["form"].errors["logo"][0]
    cluster.refresh_from_db()
    assert not cluster.logo and cluster.accent_colour == ""


def test_logo_can_be_removed(client, cluster, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)
    client.post(edit(cluster), form(logo=SimpleUploadedFile("l.png", png(), "image/png")))
    cluster.refresh_from_db()
    stored = cluster.logo.name
    assert stored
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit(cluster), form(**{"logo-clear": "on"}))
    cluster.refresh_from_db()
    assert not cluster.logo and not cluster.logo.storage.exists(stored)


def test_the_admin_checks_the_contrast_too(db):
    from django.core.exceptions import ValidationError

    cluster = ClusterFactory(accent_colour=PALE_YELLOW)
    with pytest.raises(ValidationError) as caught:
        cluster.full_clean()
    assert "1.19:1" in caught.value.message_dict["accent_colour"][0]
    cluster.accent_colour = DARK_TEAL
    cluster.full_clean()
