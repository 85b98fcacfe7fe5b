import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.base.locale_overrides import check_overrides

LANGUAGES = ["de", "fr", "it", "es"]


class Command(BaseCommand):
    help = (
        "Fail when a translation catalogue misses or leaves untranslated a string the code uses, "
        "or when an override in locale_overrides/ no longer matches a msgid of the installed "
        "apps (django-allauth). Extracts the strings afresh into a scratch copy; the committed "
        "catalogues are not changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overrides-only",
            action="store_true",
            help="Check only locale_overrides/ (fast: no extraction), e.g. after upgrading allauth.",
        )

    def handle(self, *args, **options):
        override_problems, notes = check_overrides()
        for note in notes:
            self.stdout.write(f"note: {note}")
        problems = [] if options["overrides_only"] else self.portal_problems()
        if override_problems:
            problems.append(
                "Overrides of installed apps' translations do not match them "
                "(see locale_overrides/README.md):\n" + "\n".join(override_problems)
            )
        else:
            self.stdout.write("overrides: every msgid is still in the installed apps' catalogues")
        if problems:
            raise CommandError("\n".join(problems))

    def portal_problems(self) -> list[str]:
        # makemessages writes into the first LOCALE_PATHS entry: the portal's catalogue.
        locale = Path(settings.LOCALE_PATHS[0])
        backup = Path(tempfile.mkdtemp()) / "locale"
        shutil.copytree(locale, backup)
        try:
            call_command(
                "makemessages",
                locale=LANGUAGES,
                ignore_patterns=[".venv/*", "bench/*", "tests/*", "staticfiles/*", "var/*"],
                no_obsolete=True,
                verbosity=0,
            )
            missing_by_lang = []
            for lang in LANGUAGES:
                po = polib.pofile(str(locale / lang / "LC_MESSAGES" / "django.po"))
                missing = [
                    e.msgid
                    for e in po
                    if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
                ]
                if missing:
                    missing_by_lang.append(
                        f"{lang}: {len(missing)} untranslated, e.g. {missing[:3]!r}"
                    )
                else:
                    self.stdout.write(
                        f"{lang}: {len(po.translated_entries())} strings, all translated"
                    )
        finally:
            shutil.rmtree(locale)
            shutil.copytree(backup, locale)
        if not missing_by_lang:
            return []
        return [
            "Translation catalogues are incomplete (run `make messages`):\n"
            + "\n".join(missing_by_lang)
        ]
