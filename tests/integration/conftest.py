"""Integration tests: real PostgreSQL, real Redis, a real Celery worker process.

They run when DATABASE_URL points at PostgreSQL and REDIS_URL is set. Outside CI
they skip with the reason; with CI=true a missing service fails the run.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.db import connection

from portal.celery import app as celery_app
from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parents[2]

# The live server's listen backlog (Django's default: 10) must hold every parallel
# request of the concurrency tests, or a busy machine refuses connections before
# Django sees them.
WSGIServer.request_queue_size = 128


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _real_services():
    require_or_skip(
        settings.IS_POSTGRES, "integration tests need DATABASE_URL pointing at PostgreSQL"
    )
    require_or_skip(bool(settings.REDIS_URL), "integration tests need REDIS_URL")
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


def worker_env(**extra) -> dict:
    """Environment for a child process (worker, server) that uses the test database."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        PORTAL_VAR_DIR=os.environ.get("PORTAL_VAR_DIR", str(ROOT / "var" / "test")),
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    env.update(extra)
    return env


class WorkerProcess:
    def __init__(self, tmp_path: Path, **env):
        self.tmp_path = tmp_path
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self, concurrency: int = 2) -> "WorkerProcess":
        log = open(self.tmp_path / f"worker-{time.monotonic_ns()}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--pool=prefork",
            ],
            cwd=ROOT,
            env=worker_env(**self.env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if celery_app.control.ping(timeout=0.5):
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"celery worker exited with {self.proc.returncode}")
        raise RuntimeError("celery worker did not answer a ping within 60 s")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def celery_worker_factory(tmp_path, transactional_db):
    """Start real worker processes on the real broker, against the test database."""
    workers: list[WorkerProcess] = []

    def start(concurrency: int = 2, **env) -> WorkerProcess:
        celery_app.control.purge()
        worker = WorkerProcess(
            tmp_path,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(tmp_path / "mail"),
            **env,
        ).start(concurrency)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_until(predicate, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
