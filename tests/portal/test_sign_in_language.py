"""A person signing in reads the "signed in" message in their own language, not
the browser's (issue 15, 2.13)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories.clusters import PASSWORD


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "Connexion avec {name} réussie."),
        ("de", "Erfolgreich als {name} angemeldet."),
    ],
)
def test_signed_in_message_in_the_persons_language(client, member, lang, expected):
    member.language = lang
    member.save()
    response = client.post(
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == [expected.format(name=member.display_name)]
