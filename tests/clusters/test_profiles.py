import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from clusters.enums import MembershipStatus, Visibility
from clusters.models import Organisation
from tests.clusters.conftest import admin_of
from tests.factories.clusters import ClusterFactory, ClusterRoleFactory, TopicFactory, UserFactory


def profile(org):
    return reverse("clusters:organisation_detail", args=[org.slug])


@pytest.fixture
def orgs(cluster, make_org):
    other = ClusterFactory(name="Other Cluster")
    return {
        "network_other": make_org("Net Other", clusters=[other]),
        "clusters_same": make_org("Clu Same", clusters=[cluster], visibility=Visibility.CLUSTERS),
        "clusters_other": make_org("Clu Other", clusters=[other], visibility=Visibility.CLUSTERS),
        "hidden_same": make_org("Hid Same", clusters=[cluster], visibility=Visibility.HIDDEN),
        "hidden_other": make_org("Hid Other", clusters=[other], visibility=Visibility.HIDDEN),
        "pending": make_org("Pending", clusters=[other], status=MembershipStatus.PENDING),
        "other_cluster": other,
    }


VISIBLE_TO_MEMBER = {"network_other", "clusters_same"}


@pytest.mark.parametrize(
    "key",
    ["network_other", "clusters_same", "clusters_other", "hidden_same", "hidden_other", "pending"],
)
def test_profile_of_another_organisation_follows_visibility(client, member, orgs, key):
    client.force_login(member)
    response = client.get(profile(orgs[key]))
    assert response.status_code == (200 if key in VISIBLE_TO_MEMBER else 404)


def test_profile_own_organisation_is_visible_even_when_hidden(client, member):
    member.organisation.visibility = Visibility.HIDDEN
    member.organisation.save()
    client.force_login(member)
    response = client.get(profile(member.organisation))
    assert response.status_code == 200
    assert response.context["can_edit"] is True
    assert response.context["introduction_form"] is None


@pytest.mark.parametrize(
    "key,status",
    [
        ("hidden_same", 200),
        ("clusters_same", 200),
        ("hidden_other", 404),
        ("clusters_other", 404),
        ("network_other", 200),
    ],
)
def test_profile_cluster_staff_see_their_cluster_members_only(client, advisor, orgs, key, status):
    client.force_login(advisor)
    assert client.get(profile(orgs[key])).status_code == status


def test_profile_network_admin_sees_every_profile(client, orgs):
    client.force_login(UserFactory(is_network_admin=True))
    for key in ("hidden_other", "clusters_other", "pending"):
        assert client.get(profile(orgs[key])).status_code == 200


def test_profile_needs_an_approved_member(client, orgs):
    url = profile(orgs["network_other"])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(url)["Location"] == reverse("clusters:application_status")


def test_profile_shows_offers_needs_and_no_email_address(client, member, orgs):
    org = orgs["network_other"]
    org.offers = "Regulatory affairs for ATMPs"
    org.needs = "Seed funding"
    org.save()
    org.offer_topics.add(TopicFactory(name="Regulatory affairs", slug="regulatory-affairs"))
    client.force_login(member)
    body = client.get(profile(org)).content.decode()
    assert "Regulatory affairs for ATMPs" in body
    assert "Seed funding" in body
    assert "<li>Regulatory affairs</li>" in body
    assert admin_of(org).email not in body
    assert "@" not in body.split("<main")[1].split("</main>")[0]


# Editing ----------------------------------------------------------------------


def edit_url(org):
    return reverse("clusters:organisation_edit", args=[org.slug])


def profile_data(**overrides):
    t1 = TopicFactory(name="Oncology", slug="oncology")
    t2 = TopicFactory(name="Regulatory affairs", slug="regulatory-affairs")
    data = {
        "name": "NeoCell Therapeutics",
        "description": "We make CAR-T.",
        "kind": "startup",
        "size": "10-49",
        "country": "DE",
        "city": "Berlin",
        "website": "neocell.example",
        "topics": [t1.pk],
        "offers": "Preclinical data",
        "offer_topics": [t1.pk],
        "needs": "Regulatory help",
        "need_topics": [t2.pk],
        "visibility": "clusters",
    }
    data.update(overrides)
    return data


def test_profile_edit_by_org_admin_saves_every_field(client, member):
    client.force_login(member)
    org = member.organisation
    response = client.post(edit_url(org), profile_data())
    assert response.status_code == 302
    assert response["Location"] == profile(org)
    org.refresh_from_db()
    assert (
        org.name,
        org.description,
        org.kind,
        org.size,
        org.country,
        org.city,
        org.website,
        org.offers,
        org.needs,
        org.visibility,
    ) == (
        "NeoCell Therapeutics",
        "We make CAR-T.",
        "startup",
        "10-49",
        "DE",
        "Berlin",
        "https://neocell.example",
        "Preclinical data",
        "Regulatory help",
        "clusters",
    )
    assert [t.slug for t in org.topics.all()] == ["oncology"]
    assert [t.slug for t in org.offer_topics.all()] == ["oncology"]
    assert [t.slug for t in org.need_topics.all()] == ["regulatory-affairs"]


def test_profile_edit_bad_input_shows_message_and_saves_nothing(client, member):
    client.force_login(member)
    org = member.organisation
    response = client.post(edit_url(org), profile_data(website="not a url at all", kind="wizard"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["website"] == ["Enter a valid URL."]
    assert form.errors["kind"] == [
        "Select a valid choice. wizard is not one of the available choices."
    ]
    name = org.name
    org.refresh_from_db()
    assert (org.name, org.kind, org.description, org.topics.count()) == (name, "sme", "", 0)


def test_profile_edit_is_404_for_colleagues_who_are_not_admin_and_for_other_orgs(
    client, member, other_member
):
    colleague = UserFactory(organisation=member.organisation, org_role="member")
    for user in (colleague, other_member):
        client.force_login(user)
        assert client.get(edit_url(member.organisation)).status_code == 404
        assert client.post(edit_url(member.organisation), profile_data()).status_code == 404
    member.organisation.refresh_from_db()
    assert member.organisation.description == ""


def _png_with_metadata(size=(1200, 600)) -> bytes:
    image = Image.new("RGBA", size, (10, 200, 30, 128))
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret-gps-48.85N")
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (300, 200), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_profile_logo_is_re_encoded_scaled_and_stripped(client, member):
    client.force_login(member)
    upload = SimpleUploadedFile("logo.png", _png_with_metadata(), content_type="image/png")
    response = client.post(edit_url(member.organisation), profile_data(logo=upload))
    assert response.status_code == 302
    org = Organisation.objects.get(pk=member.organisation.pk)
    assert org.logo.name.startswith("logos/") and org.logo.name.endswith(".png")
    with org.logo.open("rb") as fh:
        stored = Image.open(fh)
        stored.load()
    assert stored.size == (800, 400)
    assert "Author" not in stored.info
    assert b"secret-gps" not in org.logo.storage.open(org.logo.name).read()


def test_profile_jpeg_logo_loses_its_exif(client, member):
    client.force_login(member)
    upload = SimpleUploadedFile("photo.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    client.post(edit_url(member.organisation), profile_data(logo=upload))
    org = Organisation.objects.get(pk=member.organisation.pk)
    assert org.logo.name.endswith(".jpg")
    with org.logo.open("rb") as fh:
        data = fh.read()
    assert b"SpyCam" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


@pytest.mark.parametrize(
    "content,name,message",
    [
        (
            b"%PDF-1.4 not an image",
            "logo.png",
            "Upload an image (PNG, JPEG, GIF or WebP); this file is not one.",
        ),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "logo.svg",
            "Upload an image (PNG, JPEG, GIF or WebP); this file is not one.",
        ),
        (
            b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024),
            "big.png",
            "The logo must be at most 2 MB.",
        ),
    ],
)
def test_profile_logo_rejects_non_images_and_large_files(client, member, content, name, message):
    client.force_login(member)
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = client.post(edit_url(member.organisation), profile_data(logo=upload))
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [message]
    assert message.replace("'", "&#x27;") in response.content.decode()
    org = Organisation.objects.get(pk=member.organisation.pk)
    assert (org.logo.name, org.description) == ("", "")


def test_profile_logo_can_be_removed(client, member):
    client.force_login(member)
    upload = SimpleUploadedFile("logo.png", _png_with_metadata((50, 50)), content_type="image/png")
    client.post(edit_url(member.organisation), profile_data(logo=upload))
    org = Organisation.objects.get(pk=member.organisation.pk)
    assert org.logo
    client.post(edit_url(org), profile_data(**{"logo-clear": "on"}))
    org.refresh_from_db()
    assert org.logo.name == ""


def test_staff_of_the_cluster_of_a_hidden_org_see_its_profile(client, cluster, make_org):
    org = make_org("Quiet Bio", clusters=[cluster], visibility=Visibility.HIDDEN)
    manager = UserFactory()
    ClusterRoleFactory(user=manager, cluster=cluster, role="manager")
    client.force_login(manager)
    assert client.get(profile(org)).status_code == 200
