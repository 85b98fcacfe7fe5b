from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext, npgettext, pgettext

from portal.base.locale_overrides import app_entries, override_catalogues

ROOT = Path(settings.BASE_DIR)


def write_catalogue(base: Path, lang: str, translations: dict[str, str]) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lang}
    for msgid, msgstr in translations.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    path = base / lang / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    return path


def translated(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return npgettext(entry.msgctxt or "", entry.msgid, entry.msgid_plural, 1)
    return pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)


def test_portal_catalogue_comes_first_so_makemessages_writes_there():
    assert [Path(p) for p in settings.LOCALE_PATHS] == [ROOT / "locale", ROOT / "locale_overrides"]
    assert [(lang, path.relative_to(ROOT).as_posix()) for lang, path in override_catalogues()] == [
        ("de", "locale_overrides/de/LC_MESSAGES/django.po"),
        ("es", "locale_overrides/es/LC_MESSAGES/django.po"),
        ("it", "locale_overrides/it/LC_MESSAGES/django.po"),
    ]


@pytest.mark.parametrize("lang", ["de", "it", "es"])
def test_every_override_replaces_the_apps_own_translation(lang):
    overrides = polib.pofile(str(ROOT / "locale_overrides" / lang / "LC_MESSAGES" / "django.po"))
    upstream = app_entries(lang)
    assert len(overrides) > 30
    with translation.override(lang):
        for entry in overrides:
            original = upstream[(entry.msgctxt, entry.msgid)]
            mine = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
            theirs = original.msgstr_plural[0] if original.msgid_plural else original.msgstr
            assert mine != theirs, f"{entry.msgid!r} repeats the app's translation"
            assert translated(entry) == mine


def test_override_wins_over_allauth_and_the_portal_catalogue_over_both(settings, tmp_path):
    with translation.override("de"):
        assert gettext("Sign Out") == "Abmelden"  # allauth's own German catalogue
    portal, overrides = tmp_path / "locale", tmp_path / "overrides"
    write_catalogue(portal, "de", {"Unrelated": "Unabhängig"})
    write_catalogue(overrides, "de", {"Sign Out": "Abmelden (Override)"})
    settings.LOCALE_PATHS = [portal, overrides]
    with translation.override("de"):
        assert gettext("Sign Out") == "Abmelden (Override)"
    # Python's gettext caches catalogues by path: the second portal catalogue gets its own.
    portal_translating_it = tmp_path / "locale2"
    write_catalogue(portal_translating_it, "de", {"Sign Out": "Abmelden (Portal)"})
    settings.LOCALE_PATHS = [portal_translating_it, overrides]
    with translation.override("de"):
        assert gettext("Sign Out") == "Abmelden (Portal)"


def test_check_catalogues_accepts_the_committed_overrides(capsys):
    call_command("check_catalogues", overrides_only=True)
    assert capsys.readouterr().out == (
        "overrides: every msgid is still in the installed apps' catalogues\n"
    )


def test_check_catalogues_reports_a_stale_override(settings, tmp_path):
    write_catalogue(
        tmp_path,
        "de",
        {
            "Sign Out": "Abmelden",
            "You have signed out of the old wording.": "Sie haben sich abgemeldet.",
        },
    )
    settings.LOCALE_PATHS = [ROOT / "locale", tmp_path]
    with pytest.raises(CommandError) as error:
        call_command("check_catalogues", overrides_only=True)
    message = str(error.value)
    assert "stale override 'You have signed out of the old wording.'" in message
    assert "was django-allauth upgraded?" in message
    assert "'Sign Out'" not in message


def test_check_catalogues_reports_changed_placeholders(settings, tmp_path):
    write_catalogue(tmp_path, "de", {"You have confirmed %(email)s.": "Adresse bestätigt."})
    settings.LOCALE_PATHS = [ROOT / "locale", tmp_path]
    with pytest.raises(
        CommandError, match="'You have confirmed %.email.s.' changes the placeholders"
    ):
        call_command("check_catalogues", overrides_only=True)


def test_check_catalogues_notes_an_override_the_portal_catalogue_hides(settings, tmp_path, capsys):
    portal, overrides = tmp_path / "locale", tmp_path / "overrides"
    write_catalogue(portal, "de", {"Sign Out": "Abmelden"})
    write_catalogue(overrides, "de", {"Sign Out": "Ausloggen"})
    settings.LOCALE_PATHS = [portal, overrides]
    call_command("check_catalogues", overrides_only=True)
    assert capsys.readouterr().out == (
        "note: overrides/de: override 'Sign Out' has no effect: the portal's own catalogue "
        "translates it and comes first.\n"
        "overrides: every msgid is still in the installed apps' catalogues\n"
    )


def test_compile_catalogues_compiles_every_locale_path(settings, tmp_path):
    portal, overrides = tmp_path / "locale", tmp_path / "overrides"
    write_catalogue(portal, "de", {"Unrelated": "Unabhängig"}).with_suffix(".mo").unlink()
    write_catalogue(overrides, "it", {"Sign Out": "Esci"}).with_suffix(".mo").unlink()
    settings.LOCALE_PATHS = [portal, overrides]
    call_command("compile_catalogues", verbosity=0)
    assert (
        polib.mofile(str(overrides / "it/LC_MESSAGES/django.mo")).find("Sign Out").msgstr == "Esci"
    )
    assert polib.mofile(str(portal / "de/LC_MESSAGES/django.mo")).find("Unrelated").msgstr == (
        "Unabhängig"
    )
