"""Outages: Redis and PostgreSQL go away while the portal runs, then come back.

The portal runs in a gunicorn subprocess against services this test owns, so
stopping them disturbs nobody: a throwaway PostgreSQL cluster (initdb + pg_ctl
on a free port in a temporary directory; run as the `postgres` user when the
test runs as root) and a throwaway `redis-server --save ''` on a free port.
The machine's shared PostgreSQL and Redis are never touched.

What it shows, for an anonymous visitor and for a signed-in member:
- Redis down: pages that need only the database answer 200; whatever needs
  Redis (the login's rate limit lives in the cache) answers the friendly 503
  page; a write is all or nothing (today a registration is refused with the
  503 page and not saved, see docs/operations.md); /healthz answers 503 naming
  the cache and the broker, the database ok.
- PostgreSQL down: every page that reads data answers the friendly 503 page,
  for a signed-in member too (the session is loaded by a middleware: handled
  by handler500, portal/views/errors.py) — never a traceback, never a 500;
  /healthz answers 503 naming the database.
- Each time the service returns, the same gunicorn worker (same process id)
  answers 200 again by itself, within seconds: no restart of the web process.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import require_or_skip

from .conftest import ROOT, wait_until

FRIENDLY = "The portal is briefly unavailable"
AS_ROOT = os.geteuid() == 0


def _pg_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists() and Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _can_run_postgres() -> bool:
    if not AS_ROOT:
        return True
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return shutil.which("runuser") is not None


@pytest.fixture(scope="module", autouse=True)
def _binaries():
    # Module fixtures run before the function-scoped checks of conftest: check here
    # too, so that nothing is started when the run is not a PostgreSQL+Redis one.
    from django.conf import settings

    require_or_skip(
        settings.IS_POSTGRES, "integration tests need DATABASE_URL pointing at PostgreSQL"
    )
    require_or_skip(bool(settings.REDIS_URL), "integration tests need REDIS_URL")
    require_or_skip(
        shutil.which("redis-server") is not None,
        "the outage tests need redis-server to run a Redis of their own",
    )
    require_or_skip(
        _pg_bindir() is not None,
        "the outage tests need PostgreSQL's initdb and pg_ctl to run a cluster of their own "
        "(the machine's shared server is never stopped)",
    )
    require_or_skip(
        _can_run_postgres(),
        "running as root, the outage tests need a `postgres` user and runuser for initdb",
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnPostgres:
    """A throwaway PostgreSQL cluster on a free port (trust auth, loopback only)."""

    def __init__(self):
        self.bindir = _pg_bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="outage-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        if AS_ROOT:
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if AS_ROOT:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=60)

    def init(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale",
            "C.UTF-8",
        )
        self.start()
        with self.connect("postgres") as conn:
            conn.execute("CREATE DATABASE portal")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "server.log"),
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def destroy(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def connect(self, name: str):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=name, autocommit=True
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/portal"


class OwnRedis:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=(self.workdir / "redis.log").open("a"),
            stderr=subprocess.STDOUT,
        )

        def answers():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_until(answers, timeout=15, interval=0.1)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(15)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture(scope="module")
def portal():
    """gunicorn serving the portal from the test's own PostgreSQL and Redis."""
    pg = OwnPostgres()
    work = Path(tempfile.mkdtemp(prefix="outage-web-"))
    redis = OwnRedis(work)
    server = None
    try:
        pg.init()
        redis.start()
        env = {
            k: v for k, v in os.environ.items() if k not in {"PRODUCTION", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(
            DATABASE_URL=pg.url,
            REDIS_URL=redis.url,
            PORTAL_VAR_DIR=str(work / "var"),
            DJANGO_SETTINGS_MODULE="portal.settings",
            DEBUG="false",
            ALLOWED_HOSTS="127.0.0.1",
            CELERY_TASK_ALWAYS_EAGER="false",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        setup = (
            "import django; django.setup();"
            "from django.core.management import call_command; call_command('migrate', verbosity=0);"
            "from django.contrib.auth.hashers import make_password;"
            "from tests.factories import ClusterFactory, UserFactory;"
            "from tests.factories.events import EventFactory;"
            "c = ClusterFactory();"
            "UserFactory(email='outage@example.com', password=make_password('outage-pass-2026'),"
            " member_of=c);"
            "EventFactory(cluster=c, slug='outage-evening')"
        )
        done = subprocess.run(
            [sys.executable, "-c", setup],
            cwd=ROOT,
            env=env,
            timeout=180,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "1",
                "--threads",
                "4",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=(work / "gunicorn.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"

        def up():
            assert server.poll() is None, (work / "gunicorn.log").read_text()[-3000:]
            try:
                return requests.get(f"{base}/healthz", timeout=10).status_code == 200
            except requests.RequestException:
                return False

        wait_until(up, timeout=60, interval=0.2)
        yield Portal(base, server, pg, redis, work)
    finally:
        log = work / "gunicorn.log"
        if log.exists():  # shown with a failing test's teardown output
            print(log.read_text()[-8000:])
        if server and server.poll() is None:
            server.terminate()
            server.wait(15)
        redis.stop()
        pg.destroy()
        shutil.rmtree(work, ignore_errors=True)


class Portal:
    def __init__(self, base, server, pg, redis, work):
        self.base, self.server, self.pg, self.redis, self.work = base, server, pg, redis, work

    def workers(self) -> set[int]:
        """The gunicorn worker process ids (children of the master)."""
        path = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        return {int(pid) for pid in path.read_text().split()}

    def get(self, session, path: str) -> requests.Response:
        return session.get(self.base + path, timeout=15, allow_redirects=False)

    def health(self) -> tuple[int, dict]:
        response = requests.get(self.base + "/healthz", timeout=15)
        return response.status_code, json.loads(response.text)

    def post_login(self, session: requests.Session) -> requests.Response:
        """The login form, filled in and sent as a browser does (CSRF token, Referer)."""
        page = session.get(self.base + "/accounts/login/", timeout=15)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return session.post(
            self.base + "/accounts/login/",
            data={
                "login": "outage@example.com",
                "password": "outage-pass-2026",
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.base + "/accounts/login/"},
            timeout=30,
            allow_redirects=False,
        )

    def sign_in(self) -> requests.Session:
        session = requests.Session()
        response = self.post_login(session)
        assert response.status_code == 302, response.text[:500]
        return session


def assert_friendly_or_ok(response: requests.Response, path: str) -> None:
    """200, or the friendly 503 page; never a traceback or a bare error page."""
    assert "Traceback" not in response.text, path
    assert response.status_code in (200, 302, 503), (path, response.status_code)
    if response.status_code == 503:
        assert FRIENDLY in response.text, (path, response.text[:300])
        assert response.headers.get("Retry-After") == "30", path


def assert_friendly(response: requests.Response, path: str) -> None:
    assert response.status_code == 503, (path, response.status_code, response.text[:300])
    assert FRIENDLY in response.text, path
    assert "Traceback" not in response.text, path


ANONYMOUS_PAGES = ["/", "/accounts/login/", "/events/"]
MEMBER_PAGES = ["/dashboard/", "/directory/", "/events/", "/rooms/", "/notifications/"]


def register(portal, session) -> requests.Response:
    event = session.get(portal.base + "/events/outage-evening/", timeout=15)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', event.text).group(1)
    return session.post(
        portal.base + "/events/outage-evening/register/",
        data={"csrfmiddlewaretoken": token, "seat_type": "in_person"},
        headers={"Referer": portal.base + "/events/outage-evening/"},
        timeout=30,
        allow_redirects=False,
    )


def is_registered(portal, session) -> bool:
    return "You are registered." in portal.get(session, "/events/outage-evening/").text


def test_redis_outage_and_recovery(portal):
    member = portal.sign_in()
    anonymous = requests.Session()
    workers = portal.workers()
    for path in MEMBER_PAGES:
        assert portal.get(member, path).status_code == 200, path

    portal.redis.stop()
    try:
        status, body = portal.health()
        assert status == 503
        assert body["checks"]["database"] == "ok"
        assert body["checks"]["cache"].startswith("error"), body
        assert body["checks"]["broker"].startswith("error"), body
        # Pages that need only the database still work, for members and visitors.
        for path in MEMBER_PAGES:
            assert portal.get(member, path).status_code == 200, path
        for path in ANONYMOUS_PAGES:
            assert portal.get(anonymous, path).status_code == 200, path
        # Signing in needs the cache (allauth's rate limits): the friendly 503 page.
        assert_friendly(portal.post_login(anonymous), "POST /accounts/login/")
        # A write is all or nothing: saved and the member redirected (the dashboards'
        # cache bump tolerates the outage), or, should any other step need Redis,
        # rolled back with the 503 page (docs/operations.md).
        response = register(portal, member)
        if response.status_code == 503:
            assert_friendly(response, "POST /events/outage-evening/register/")
            assert not is_registered(portal, member)
        else:
            assert response.status_code == 302
            assert is_registered(portal, member)
    finally:
        portal.redis.start()  # the same port, empty: as after a restart
    started = time.monotonic()
    wait_until(lambda: portal.health()[0] == 200, timeout=20, interval=0.2)
    recovered_in = time.monotonic() - started
    for path in MEMBER_PAGES:
        assert portal.get(member, path).status_code == 200, path
    assert portal.sign_in()  # the cache-backed sign-in works again
    if not is_registered(portal, member):
        assert register(portal, member).status_code == 302
        assert is_registered(portal, member)
    assert portal.workers() == workers, "the web process was restarted"
    assert recovered_in < 20


def test_postgres_outage_and_recovery(portal):
    member = portal.sign_in()
    anonymous = requests.Session()
    workers = portal.workers()

    portal.pg.stop()
    try:
        status, body = portal.health()
        assert status == 503
        assert body["checks"]["database"].startswith("error"), body
        assert body["checks"]["cache"] == "ok"
        for path in ANONYMOUS_PAGES:
            assert_friendly_or_ok(portal.get(anonymous, path), path)
        assert_friendly(portal.get(anonymous, "/events/"), "/events/")
        assert portal.get(anonymous, "/accounts/login/").status_code == 200  # reads nothing
        # A signed-in member: the session is loaded by a middleware, outside the
        # view; the outage is still answered with the 503 page (handler500).
        for path in MEMBER_PAGES:
            assert_friendly(portal.get(member, path), path)
    finally:
        portal.pg.start()
    started = time.monotonic()
    wait_until(lambda: portal.health()[0] == 200, timeout=20, interval=0.2)
    recovered_in = time.monotonic() - started
    for path in MEMBER_PAGES:
        assert portal.get(member, path).status_code == 200, path  # the session survived
    for path in ANONYMOUS_PAGES:
        assert portal.get(anonymous, path).status_code == 200, path
    assert portal.workers() == workers, "the web process was restarted"
    assert recovered_in < 20
