"""A room's booking page carries its cluster's branding; booking emails too."""

from django.urls import reverse

TEAL = "#006d77"


def test_booking_page_links_the_clusters_brand_css(client, room, member):
    room.cluster.accent_colour = TEAL
    room.cluster.save()
    client.force_login(member)
    page = client.get(reverse("rooms:booking_create", args=[room.pk])).content.decode()
    assert reverse("clusters:cluster_brand_css", args=[room.cluster.slug]) + "?v=006d77" in page
