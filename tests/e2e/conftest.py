"""Browser tests: headless Debian Chromium driven by Playwright, against a live
portal process (runserver + demo data) on its own database.

Outside CI a missing browser skips with the reason; with CI=true it fails.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp: Path) -> tuple[str, callable]:
    """A database for the live portal: a fresh PostgreSQL one when the suite runs on
    PostgreSQL, otherwise a SQLite file."""
    if not settings.IS_POSTGRES:
        return f"sqlite:///{tmp / 'e2e.sqlite3'}", lambda: None
    import psycopg

    db = settings.DATABASES["default"]
    name = f"e2e_{uuid.uuid4().hex[:8]}"
    admin = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}", drop


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory):
    """Migrate, seed the demo data and serve the portal; yields its base URL.

    E2E_BASE_URL=http://127.0.0.1:PORT reuses a portal already running with the demo
    data (and eager tasks), which saves the minute of migrate + seed while writing tests.
    """
    if os.environ.get("E2E_BASE_URL"):
        yield os.environ["E2E_BASE_URL"].rstrip("/")
        return
    tmp = tmp_path_factory.mktemp("e2e")
    url, drop = _database_url(tmp)
    port = _free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        PORTAL_VAR_DIR=str(tmp / "var"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp / "mail"),
        CELERY_TASK_ALWAYS_EAGER="true",  # the browser journeys test pages; workers are tested in integration
        # "Schedule all" runs inside the request (eager): 3 s instead of 20 s of search is
        # plenty for the demo's 40 participants.
        BROKERAGE_TIME_LIMIT="3",
        SITE_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.pop("REDIS_URL", None) if not settings.REDIS_URL else None
    manage = [sys.executable, str(ROOT / "manage.py")]
    # As `make setup` does: the German journey needs the compiled catalogues.
    subprocess.run([*manage, "compile_catalogues", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "seed_demo", "--size", "60", "-v0"], env=env, check=True, cwd=ROOT)
    log = open(tmp / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
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
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 (loopback)
            break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        raise RuntimeError(f"portal did not start; see {tmp / 'server.log'}")
    yield base
    server.terminate()
    server.wait(20)
    drop()


@pytest.fixture(scope="session")
def browser():
    require_or_skip(
        Path(CHROMIUM).exists() or bool(shutil.which("chromium")), f"no Chromium at {CHROMIUM}"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def open_as(browser, portal_server, request):
    """open_as(email, locale="en-GB") -> a signed-in page in its own browser context
    (one per person of a journey), with the account's language set to the locale's
    (the saved language wins over the browser's, and a journey may have changed it).
    Every page is screenshotted when the test fails."""
    opened = []

    def _open(email: str, *, locale: str = "en-GB"):
        context = browser.new_context(locale=locale)
        page = context.new_page()
        page.set_default_timeout(15_000)
        opened.append((email, page))
        sign_in(page, portal_server, email)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        set_language(page, locale.split("-")[0])
        return page

    yield _open
    failed = getattr(request.node, "rep_call", None)
    for email, pg in opened:
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = f"{request.node.name}-{email.split('@')[0]}.png"
            with contextlib.suppress(Exception):  # a closed page must not hide the failure
                pg.screenshot(path=str(ARTIFACTS / name), full_page=True)
        pg.context.close()


def pytest_sessionfinish(session):
    """Every axe scan of the run, with the minor/moderate findings too."""
    from tests.e2e.axe import SCANNED, format_violations

    if not SCANNED:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    lines = []
    for label, url, violations in SCANNED:
        lines.append(f"## {label} ({url}): {len(violations)} violation(s)")
        if violations:
            lines.append(format_violations(violations))
    (ARTIFACTS / "axe-report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def set_language(page, code: str) -> None:
    """Pick a language with the switcher in the header (saved on the account);
    nothing to do when the page already speaks it."""
    if page.locator("html").get_attribute("lang") == code:
        return
    page.locator("select#language-select").select_option(code)
    with page.expect_navigation():
        page.locator("form.language-form button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == code


def sign_in(page, base: str, email: str, password: str = settings.DEMO_PASSWORD) -> None:
    """Sign in through the login form (by field names: works in every language)."""
    page.goto(base + "/accounts/login/")
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()


def free_weekday(rng, first: int = 50, last: int = 85) -> date:
    """A weekday past the demo's bookings (42 days) and within the members' window."""
    day = date.today() + timedelta(days=rng.randint(first, last))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
