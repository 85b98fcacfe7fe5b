"""`make screenshots`: the demo portal photographed in headless Chromium.

Migrates a fresh SQLite database in a temporary folder, loads the demo data, serves it
with runserver and drives Debian's Chromium (Playwright) through the pages a visitor, a
member, a manager and a network admin use, at 1280 and 390 CSS px. The PNGs and an index
(README.md) go into docs/screenshots/. Nothing of the running portal's var/ is touched.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ROOT = Path(settings.BASE_DIR)
BROKERAGE = "/brokerage/genopole-partnering-day-cell-and-gene-therapy"
WIDTHS = (1280, 390)
MAX_HEIGHT = 2400  # a long page is cut here: the gallery shows its top

# (role, title, path) -- a path "list -> regex" opens the first link of the list page
# whose href matches the regex (detail pages of demo objects whose ids differ per run).
PAGES: list[tuple[str, str, str]] = [
    ("visitor", "Home", "/"),
    ("visitor", "Sign in", "/accounts/login/"),
    ("visitor", "Cluster page", "/clusters/genopole/"),
    ("visitor", "Events", "/events/"),
    ("member", "Dashboard", "/dashboard/"),
    ("member", "Find partners (directory)", "/directory/"),
    ("member", "Organisation profile", r"/directory/ -> ^/organisations/[\w-]+/$"),
    ("member", "Introductions", "/introductions/"),
    ("member", "Services catalogue", "/services/"),
    ("member", "My requests", "/services/requests/"),
    ("member", "Request detail", r"/services/requests/ -> ^/services/requests/\d+/$"),
    ("member", "Room finder", "/rooms/"),
    ("member", "Room week (time grid)", r"/rooms/ -> ^/rooms/\d+/$"),
    ("member", "My bookings", "/rooms/bookings/"),
    ("member", "Event page", r"/events/ -> ^/events/(?!new/|manage/|mine/)[\w-]+/$"),
    ("member", "My events", "/events/mine/"),
    ("member", "Brokerage participants", BROKERAGE + "/participants/"),
    ("member", "Brokerage profile and availability", BROKERAGE + "/profile/"),
    ("member", "Brokerage agenda", BROKERAGE + "/agenda/"),
    ("member", "Notifications", "/notifications/"),
    ("member", "My organisation", "/organisation/people/"),
    ("member", "Membership and invoices", "/fees/our/"),
    ("manager", "Manager dashboard", "/dashboard/"),
    ("manager", "Request queue", "/services/queue/"),
    ("manager", "Insights", "/insights/"),
    ("manager", "Rooms to manage", "/rooms/manage/"),
    ("manager", "Booking approvals", "/rooms/manage/approvals/"),
    ("manager", "Room utilisation", "/rooms/manage/utilisation/"),
    ("manager", "Membership applications", "/applications/"),
    ("manager", "Brokerage schedule grid", BROKERAGE + "/schedule/grid/"),
    ("manager", "Events to manage", "/events/manage/"),
    ("manager", "Invoices", "/fees/genopole/invoices/"),
    ("manager", "Fees overview", "/fees/genopole/overview/"),
    ("manager", "Mailings", "/newsletters/manage/genopole/"),
    ("admin", "Network insights", "/insights/network/"),
]
PEOPLE = {
    "member": "sme@demo.example",
    "manager": "manager@demo.example",
    "admin": "admin@demo.example",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


class Command(BaseCommand):
    help = "Photograph the demo portal's pages at 1280 and 390 px into docs/screenshots/."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
        parser.add_argument(
            "--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
        )

    def handle(self, *args, out: str, chromium: str, **options):
        if not Path(chromium).exists():
            raise CommandError(f"No Chromium at {chromium} (apt-get install chromium).")
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
            base, server = self._serve(Path(tmp))
            try:
                shots = self._photograph(base, chromium, out_dir)
            finally:
                server.terminate()
                server.wait(20)
        self._index(out_dir, shots)
        self.stdout.write(f"{len(shots)} screenshots of {len(PAGES)} pages in {out_dir}")

    def _serve(self, tmp: Path) -> tuple[str, subprocess.Popen]:
        port = _free_port()
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update(
            DATABASE_URL=f"sqlite:///{tmp / 'demo.sqlite3'}",
            PORTAL_VAR_DIR=str(tmp / "var"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            CELERY_TASK_ALWAYS_EAGER="true",
            BROKERAGE_TIME_LIMIT="3",
            SITE_URL=f"http://127.0.0.1:{port}",
            ALLOWED_HOSTS="127.0.0.1,localhost",
        )
        env.pop("REDIS_URL", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        for step in (
            ["compile_catalogues", "-v0"],
            ["migrate", "--no-input", "-v0"],
            ["seed_demo", "-v0"],
        ):
            self.stdout.write(f"manage.py {' '.join(step)}")
            subprocess.run([*manage, *step], env=env, check=True, cwd=ROOT)  # noqa: S603 (our own manage.py)
        log = open(tmp / "server.log", "w")  # noqa: SIM115  (closed with the folder)
        server = subprocess.Popen(  # noqa: S603 (our own manage.py)
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310  # nosec B310 (loopback)
                return base, server
            except OSError:
                time.sleep(0.3)
        server.kill()
        raise CommandError(f"The demo portal did not start; see {tmp / 'server.log'}")

    def _photograph(
        self, base: str, chromium: str, out_dir: Path
    ) -> list[tuple[str, str, str, str]]:
        from playwright.sync_api import sync_playwright

        shots = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium, headless=True, args=["--no-sandbox"]
            )
            for role in dict.fromkeys(role for role, _, _ in PAGES):
                context = browser.new_context(
                    locale="en-GB", viewport={"width": 1280, "height": 800}
                )
                page = context.new_page()
                page.set_default_timeout(20_000)
                if role in PEOPLE:
                    self._sign_in(page, base, PEOPLE[role])
                for number, (who, title, path) in enumerate(PAGES, start=1):
                    if who != role:
                        continue
                    url = self._resolve(page, base, path)
                    for width in WIDTHS:
                        page.set_viewport_size({"width": width, "height": 800})
                        response = page.goto(url, wait_until="networkidle")
                        if response is None or response.status >= 400:
                            status = response.status if response else "no response"
                            raise CommandError(f"{title} ({url}) as {role}: HTTP {status}")
                        name = f"{number:02d}-{role}-{_slug(title)}-{width}.png"
                        height = min(
                            MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight")
                        )
                        page.screenshot(
                            path=str(out_dir / name),
                            full_page=True,
                            clip={"x": 0, "y": 0, "width": width, "height": height},
                        )
                        shots.append((role, title, url.removeprefix(base), name))
                        self.stdout.write(f"  {name}")
                context.close()
            browser.close()
        return shots

    def _sign_in(self, page, base: str, email: str) -> None:
        page.goto(base + "/accounts/login/")
        form = page.locator("main form:has(input[name=password])")
        form.locator("input[name=login]").fill(email)
        form.locator("input[name=password]").fill(settings.DEMO_PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def _resolve(self, page, base: str, path: str) -> str:
        if " -> " not in path:
            return base + path
        listing, pattern = path.split(" -> ")
        page.goto(base + listing)
        hrefs = page.eval_on_selector_all(
            "main a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        for href in hrefs:
            if re.match(pattern, href.split("?")[0]):
                return base + href
        raise CommandError(f"No link matching {pattern} on {listing}")

    def _index(self, out_dir: Path, shots: list[tuple[str, str, str, str]]) -> None:
        lines = [
            "# Screenshots",
            "",
            "Made by `make screenshots` on the demo data (headless Chromium, 1280 and 390 CSS px;",
            f"pages longer than {MAX_HEIGHT} px are cut). Do not edit: run it again.",
            "",
            "| # | as | page | path | 1280 px | 390 px |",
            "|---|----|------|------|---------|--------|",
        ]
        by_page: dict[tuple[str, str, str], list[str]] = {}
        for role, title, path, name in shots:
            by_page.setdefault((role, title, path), []).append(name)
        for number, ((role, title, path), names) in enumerate(by_page.items(), start=1):
            cells = " | ".join(f"[{n.rsplit('-', 1)[1][:-4]}]({n})" for n in names)
            lines.append(f"| {number} | {role} | {title} | `{path}` | {cells} |")
        (out_dir / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
