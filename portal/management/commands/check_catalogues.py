import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

LANGUAGES = ["de", "fr", "it", "es"]


class Command(BaseCommand):
    help = (
        "Fail when a translation catalogue misses or leaves untranslated a string the code uses. "
        "Extracts the strings afresh into a scratch copy; the committed catalogues are not changed."
    )

    def handle(self, *args, **options):
        locale = Path(settings.LOCALE_PATHS[0])
        backup = Path(tempfile.mkdtemp()) / "locale"
        shutil.copytree(locale, backup)
        try:
            call_command(
                "makemessages", locale=LANGUAGES, ignore_patterns=[".venv/*", "bench/*", "tests/*", "staticfiles/*", "var/*"],
                no_obsolete=True, verbosity=0,
            )  # fmt: skip
            problems = []
            for lang in LANGUAGES:
                po = polib.pofile(str(locale / lang / "LC_MESSAGES" / "django.po"))
                missing = [
                    e.msgid
                    for e in po
                    if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
                ]
                if missing:
                    problems.append(f"{lang}: {len(missing)} untranslated, e.g. {missing[:3]!r}")
                else:
                    self.stdout.write(
                        f"{lang}: {len(po.translated_entries())} strings, all translated"
                    )
        finally:
            shutil.rmtree(locale)
            shutil.copytree(backup, locale)
        if problems:
            raise CommandError(
                "Translation catalogues are incomplete (run `make messages`):\n"
                + "\n".join(problems)
            )
