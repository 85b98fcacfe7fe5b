"""The participant list as cards: request buttons and states, the 'not yet
contacted' filter, and a query count that does not grow with the cards."""

import pytest
from django.urls import reverse

from events.brokerage import actions
from events.brokerage.models import MeetingRequest
from tests.factories.brokerage import add_participant


def _list(event):
    return reverse("brokerage:participant_list", args=[event.slug])


def test_card_offers_a_request_button_that_posts_to_the_request_action(client, event, alice, bob):
    client.force_login(alice.user)
    html = client.get(_list(event)).content.decode()
    action = reverse("brokerage:request_create", args=[event.slug, bob.pk])
    assert f'action="{action}"' in html
    own = reverse("brokerage:request_create", args=[event.slug, alice.pk])
    assert f'action="{own}"' not in html
    response = client.post(action)
    assert response.status_code == 302
    assert MeetingRequest.objects.filter(from_participant=alice, to_participant=bob).count() == 1
    html = client.get(_list(event)).content.decode()
    assert f'action="{action}"' not in html
    assert "Requested" in html or "Meeting agreed" in html


def test_not_yet_contacted_filter_leaves_out_requested_and_self(client, event, alice, bob, cluster):
    carol = add_participant(event, cluster=cluster, offers="Imaging")
    actions.meeting_request_create(actor=alice.user, event=event, to_participant=bob)
    client.force_login(alice.user)
    response = client.get(_list(event), {"uncontacted": "on"})
    assert list(response.context["participants"]) == [carol]
    response = client.get(_list(event))
    assert {p.pk for p in response.context["participants"]} == {alice.pk, bob.pk, carol.pk}


def test_long_offers_are_cut_with_a_more_link(client, event, alice, bob):
    bob.offers = " ".join(f"word{i}" for i in range(40))
    bob.save()
    client.force_login(alice.user)
    html = client.get(_list(event)).content.decode()
    assert "word39" not in html
    assert "about what" in html


@pytest.mark.parametrize("n", [1, 10])
def test_cards_page_queries_stay_bounded(
    client, event, alice, cluster, n, django_assert_max_num_queries
):
    for i in range(n):
        p = add_participant(event, cluster=cluster, offers=f"Offer {i}")
        if i % 2:
            actions.meeting_request_create(actor=alice.user, event=event, to_participant=p)
    client.force_login(alice.user)
    client.get(_list(event))
    with django_assert_max_num_queries(17):
        response = client.get(_list(event), {"uncontacted": "on"})
    assert len(response.context["participants"]) == n - n // 2
