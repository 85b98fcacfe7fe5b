"""Checks of the override catalogues (locale_overrides/).

They replace some translations of installed apps (django-allauth) and are
listed after the portal's own catalogue in settings.LOCALE_PATHS. An override
only works while its msgid is still one the app uses, so after an upgrade of
the app each override is looked up again in the app's own catalogue.
"""

import re
from pathlib import Path

import django
import polib
from django.apps import apps
from django.conf import settings

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")


def override_catalogues() -> list[tuple[str, Path]]:
    """(language, .po path) of every override catalogue: LOCALE_PATHS after the portal's."""
    return [
        (po.parent.parent.name, po)
        for base in settings.LOCALE_PATHS[1:]
        for po in sorted(Path(base).glob("*/LC_MESSAGES/django.po"))
    ]


def app_entries(lang: str) -> dict[tuple[str | None, str], polib.POEntry]:
    """(msgctxt, msgid) -> entry, over the catalogues the installed apps ship for `lang`
    and Django's own (django/conf/locale: month and weekday names, for instance)."""
    entries: dict[tuple[str | None, str], polib.POEntry] = {}
    bases = [Path(config.path) for config in apps.get_app_configs()]
    bases.append(Path(django.__file__).parent / "conf")
    for base in bases:
        po = base / "locale" / lang / "LC_MESSAGES" / "django.po"
        if po.exists():
            for entry in polib.pofile(str(po)):
                if not entry.obsolete:
                    entries.setdefault((entry.msgctxt, entry.msgid), entry)
    return entries


def _portal_keys(lang: str) -> set[tuple[str | None, str]]:
    po = Path(settings.LOCALE_PATHS[0]) / lang / "LC_MESSAGES" / "django.po"
    if not po.exists():
        return set()
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(po)) if e.translated()}


def _label(entry: polib.POEntry) -> str:
    text = entry.msgid if len(entry.msgid) <= 70 else entry.msgid[:67] + "..."
    return f"{entry.msgctxt}|{text!r}" if entry.msgctxt else repr(text)


def check_overrides() -> tuple[list[str], list[str]]:
    """Return (problems, notes). Problems fail CI; notes are overrides without effect."""
    problems, notes = [], []
    for lang, path in override_catalogues():
        upstream, portal = app_entries(lang), _portal_keys(lang)
        for entry in polib.pofile(str(path)):
            key, where = (entry.msgctxt, entry.msgid), f"{path.parent.parent.parent.name}/{lang}"
            original = upstream.get(key)
            if original is None or original.msgid_plural != entry.msgid_plural:
                problems.append(
                    f"{where}: stale override {_label(entry)}: no installed app's catalogue has "
                    "this msgid any more (was django-allauth upgraded?). Copy the new msgid "
                    "from its .po file or remove the override."
                )
                continue
            if not entry.translated() or "fuzzy" in entry.flags:
                problems.append(f"{where}: override {_label(entry)} is untranslated or fuzzy.")
            source = PLACEHOLDER.findall(entry.msgid + entry.msgid_plural)
            texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            if any(not set(PLACEHOLDER.findall(t)) <= set(source) for t in texts) or (
                not entry.msgid_plural
                and sorted(PLACEHOLDER.findall(entry.msgstr)) != sorted(source)
            ):
                problems.append(f"{where}: override {_label(entry)} changes the placeholders.")
            if key in portal:
                notes.append(
                    f"{where}: override {_label(entry)} has no effect: the portal's own "
                    "catalogue translates it and comes first."
                )
    return problems, notes
