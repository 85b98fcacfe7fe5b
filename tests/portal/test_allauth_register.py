"""django-allauth's pages and emails speak the portal's formal register (locale_overrides/)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

# Informal address a member must not meet; the formal forms the portal uses.
INFORMAL = {
    "de": r"\b(du|dich|dir|dein\w*)\b",
    "it": r"\b(tu|tuo|tua|tuoi|tue|ti|hai|puoi|devi|vuoi|sei|ciao)\b",
    "es": r"\b(tú|tu|tus|te|ti|puedes|tienes|debes|quieres|estás|has)\b",
    "fr": r"\b(tu|toi|ton|ta|tes|te)\b",
}
FORMAL = {
    "de": r"\b(Sie|Ihr\w*|Ihnen)\b",
    "it": r"\b(Lei|Suo|Sua|Suoi|Sue|Le|[Hh]a|[Pp]uò)\b",
    "es": r"\b(usted|su|sus|le|ha|tiene)\b",
    "fr": r"\b(vous|votre|vos)\b",
}
# A sentence of each page as locale_overrides/ words it (French needs no override).
OVERRIDDEN = {
    "account_login": {
        "de": "Falls Sie noch kein Konto haben,",
        "it": "Se non ha ancora un account,",
        "es": "Si aún no ha creado una cuenta, por favor",
    },
    "account_signup": {
        "de": "Sie haben bereits ein Konto? Dann",
        "it": "La password non può essere troppo simile alle Sue altre informazioni personali.",
        "es": "¿Ya tiene una cuenta? Por favor",
    },
    "account_reset_password": {
        "de": "Geben Sie unten Ihre E-Mail-Adresse ein, dann senden wir Ihnen eine E-Mail",
        "it": "Inserisca qui sotto il Suo indirizzo email e Le invieremo",
        "es": "Introduzca su dirección de correo electrónico",
    },
    "account_reset_password_done": {
        "de": "Wir haben Ihnen eine E-Mail gesendet.",
        "it": "Le abbiamo inviato un'email.",
        "es": "Le hemos enviado un correo electrónico.",
    },
    "account_email_verification_sent": {
        "de": "Wir haben Ihnen eine E-Mail zur Bestätigung gesendet.",
        "it": "Le abbiamo inviato un'email di verifica.",
        "es": "Le hemos enviado un correo electrónico de verificación.",
    },
}


class _VisibleText(HTMLParser):
    """Text a reader meets: text nodes outside script/style, plus labels in attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")
        self.parts += [v for k, v in attrs if k in ("placeholder", "aria-label", "title") and v]

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def informal_words(lang: str, text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(INFORMAL[lang], text, re.IGNORECASE)]


@pytest.mark.parametrize("lang", ["de", "it", "es", "fr"])
@pytest.mark.parametrize("page", list(OVERRIDDEN))
def test_allauth_page_addresses_the_reader_formally(client, db, page, lang):
    response = client.get(reverse(page), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    text = visible_text(response.content.decode())
    assert informal_words(lang, text) == []
    assert re.search(FORMAL[lang], text), text
    if lang in OVERRIDDEN[page]:
        assert OVERRIDDEN[page][lang] in text


CONFIRMATION_EMAIL = {
    "de": (
        "Bitte bestätigen Sie Ihre E-Mail-Adresse",
        "Vielen Dank, dass Sie Biocluster-Portal nutzen!",
    ),
    "it": ("Confermi il Suo indirizzo email", "Un saluto da Portale Biocluster!"),
    "es": ("Por favor, confirme su dirección", "Para confirmar que es correcto, visite http"),
}


@pytest.mark.parametrize("lang", list(CONFIRMATION_EMAIL))
def test_email_confirmation_email_addresses_the_reader_formally(client, db, mailoutbox, lang):
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Neu",
            "last_name": "Person",
            "email": "neu@example.org",
            "password1": "a-Long-pass-1234",
            "password2": "a-Long-pass-1234",
        },
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert len(mailoutbox) == 1
    subject, body = mailoutbox[0].subject, mailoutbox[0].body
    assert informal_words(lang, subject + "\n" + body) == []
    in_subject, in_body = CONFIRMATION_EMAIL[lang]
    assert in_subject in subject
    assert in_body in body


def test_password_reset_email_in_german_addresses_the_reader_formally(client, member, mailoutbox):
    client.post(
        reverse("account_reset_password"), {"email": member.email}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert informal_words("de", body) == []
    assert "Sie erhalten diese E-Mail, weil Sie oder jemand anderes das Zurücksetzen" in body
    assert "Vielen Dank, dass Sie" in body
