"""Locust users for bench/load/run.py (which starts the server and reads the results).

Each virtual user signs in once (POST /accounts/login/ with the page's CSRF
token) during the ramp-up; when every user has tried, the measured window of
BENCH_LOAD_DURATION seconds opens and all of them browse at once (each first action
at a random point of one think time), waiting BENCH_LOAD_THINK (5-15 s) between
actions: each browses the directory with random filters and opens profiles, opens an event and registers
(or sometimes cancels), and looks for a room, opens its week view and books a
free-looking slot. Every request is recorded with its outcome:
  ok       the expected answer;
  refused  an expected refusal (slot just taken, room rule, event full and no
           waitlist, already registered): the page says why, nothing is broken;
  error    5xx, a connection error or an unexpected answer.
Registrations, cancellations and bookings the server acknowledged are written
to BENCH_LOAD_OUT, so run.py can check that each of them is in the database.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from datetime import date, datetime, timedelta

import gevent
from gevent.event import Event
from gevent.lock import Semaphore
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"]).read())  # noqa: SIM115, PTH123
OUT = os.environ["BENCH_LOAD_OUT"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CANCEL = re.compile(r'action="/events/registrations/(\d+)/cancel/"')
FREE = re.compile(r'href="/rooms/(\d+)/book/\?date=([\d-]+)&amp;start=(\d\d:\d\d)"')
ORG = re.compile(r'href="/organisations/([\w-]+)/"')
BOOKED = re.compile(r"/rooms/bookings/(\d+)/$")
REGISTERED = ("You are registered. A confirmation", "on the waitlist.")
KINDS = ["sme", "startup", "large", "academic", "hospital", "investor", "service"]
WORDS = [
    "biotech",
    "oncology",
    "data",
    "clinical",
    "vaccine",
    "imaging",
    "regulatory",
    "genome",
    "cell",
    "diagnostics",
    "platform",
    "therapy",
    "ai",
    "protein",
]

EXPECTED_USERS = int(os.environ["BENCH_LOAD_USERS"])
DURATION = float(os.environ["BENCH_LOAD_DURATION"])

RESULTS: dict = {
    "requests": [],  # the measured window: after every user has signed in
    "logins": [],  # the ramp-up: sign-ins (and nothing else runs meanwhile)
    "registrations": [],
    "cancellations": [],
    "bookings": [],
}
ERROR_SAMPLES: list[str] = []
ALL_IN = Event()  # set when every user has tried to sign in: the measured window opens
STATE = {"signed_in": 0, "tried": 0, "ramp_started": time.monotonic(), "window_started": None}
USERS = iter(PLAN["users"])
# Sign-ins hash a password (PBKDF2, ~1 M iterations): a few at a time, as people
# arrive, rather than 200 in the same second queueing past the client timeout.
SIGN_INS = Semaphore(int(os.environ.get("BENCH_LOAD_SIGNIN_CONCURRENCY", "4")))


def record(name: str, ms: float, outcome: str, detail: str = "") -> None:
    bucket = "requests" if ALL_IN.is_set() else "logins"
    RESULTS[bucket].append({"name": name, "ms": ms, "outcome": outcome})
    if outcome == "error" and len(ERROR_SAMPLES) < 50:
        ERROR_SAMPLES.append(f"{name}: {detail}")


def _close_window(environment):
    gevent.sleep(DURATION)
    environment.runner.quit()


def _tried_login(environment, ok: bool) -> None:
    STATE["tried"] += 1
    STATE["signed_in"] += ok
    if STATE["tried"] >= EXPECTED_USERS and not ALL_IN.is_set():
        STATE["window_started"] = time.monotonic()
        ALL_IN.set()
        gevent.spawn(_close_window, environment)


@events.quitting.add_listener
def write_results(environment, **_kw):
    now = time.monotonic()
    opened = STATE["window_started"] or now
    RESULTS["ramp_up"] = opened - STATE["ramp_started"]
    RESULTS["duration"] = max(now - opened, 1e-9)
    RESULTS["signed_in"] = STATE["signed_in"]
    RESULTS["error_samples"] = ERROR_SAMPLES
    with open(OUT, "w") as fh:  # noqa: PTH123
        json.dump(RESULTS, fh)


THINK = [float(x) for x in os.environ.get("BENCH_LOAD_THINK", "5-15").split("-")]


class Member(FastHttpUser):
    """geventhttpclient rather than python-requests: several times less CPU per request
    on the load generator, which shares the machine's two CPUs with the portal."""

    wait_time = between(*THINK)
    network_timeout = (
        120.0  # the socket's limit; call() counts an answer after `timeout` as an error
    )
    connection_timeout = 30.0

    def on_start(self):
        self.rng = random.Random()
        try:
            self.account = next(USERS)
        except StopIteration:  # more users than the plan: reuse an account
            self.account = random.choice(PLAN["users"])
        self.logged_in = False
        try:
            with SIGN_INS:
                self._sign_in()
        finally:
            _tried_login(self.environment, self.logged_in)
        ALL_IN.wait()  # everyone browses at once, in the measured window...
        # ...each at a random point of one think time, as people who are already
        # browsing are: no synchronised burst of 200 first clicks.
        gevent.sleep(self.rng.uniform(0, THINK[1]))

    def _sign_in(self):
        page = self.call("GET", "/accounts/login/", "GET login page")
        token = self.token(page)
        if token is None:
            return
        response = self.call(
            "POST",
            "/accounts/login/",
            "POST login",
            data={
                "login": self.account["email"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": token,
            },
            expect=lambda r: "/accounts/login/" not in r.url,
            timeout=120,
        )
        self.logged_in = response is not None and "/accounts/login/" not in response.url

    # --- helpers ---------------------------------------------------------------------

    def call(self, method, url, name, *, expect=None, refused=None, timeout=30, **kw):
        """One request (redirects followed, as a browser does); recorded under `name`
        with its outcome. Returns the response, or None on an error."""
        started = time.perf_counter()
        try:
            with self.client.request(
                method, url, name=name or url, catch_response=True, **kw
            ) as response:
                ms = (time.perf_counter() - started) * 1000
                response.success()  # locust's own statistics are not used
                if response.status_code != 200:  # 5xx, 0 (no answer), 4xx, an odd 3xx
                    outcome = "error"
                    detail = f"{method} {url} → {response.status_code} {getattr(response, 'error', '') or ''}"
                elif ms > timeout * 1000:
                    outcome, detail = "error", f"{method} {url} → no answer within {timeout} s"
                elif refused is not None and refused(response):
                    outcome, detail = "refused", ""
                elif expect is not None and not expect(response):
                    outcome, detail = "error", f"{method} {url} → unexpected page {response.url}"
                else:
                    outcome, detail = "ok", ""
        except Exception as exc:  # noqa: BLE001 (a connection error is an error result)
            ms = (time.perf_counter() - started) * 1000
            outcome, detail, response = "error", f"{method} {url} → {exc!r}", None
        record(name, ms, outcome, detail)
        return response if outcome != "error" else None

    @staticmethod
    def token(response):
        if response is None:
            return None
        match = CSRF.search(response.text)
        return match.group(1) if match else None

    # --- directory -------------------------------------------------------------------

    @task(5)
    def browse_directory(self):
        if not self.logged_in:
            return
        params: dict = {}
        if self.rng.random() < 0.4:
            params["q"] = self.rng.choice(WORDS)
        if self.rng.random() < 0.3:
            params["kind"] = self.rng.sample(KINDS, self.rng.choice([1, 2]))
        if self.rng.random() < 0.25:
            params["cluster"] = self.rng.sample(PLAN["clusters"], 1)
        params["sort"] = self.rng.choice(["relevance", "name"])
        if self.rng.random() < 0.15:
            params["page"] = 2
        page = self.call("GET", "/directory/", "GET directory", params=params)
        slugs = ORG.findall(page.text) if page is not None else []
        slugs = slugs or PLAN["organisations"]
        if slugs and self.rng.random() < 0.7:
            self.call("GET", f"/organisations/{self.rng.choice(slugs)}/", "GET organisation")

    # --- events ----------------------------------------------------------------------

    @task(3)
    def register_for_event(self):
        if not self.logged_in:
            return
        slug = self.rng.choice(PLAN["events"])
        url = f"/events/{slug}/"
        page = self.call("GET", url, "GET event")
        if page is None:
            return
        cancel = CANCEL.search(page.text)
        token = self.token(page)
        if cancel:
            if self.rng.random() < 0.3 and token:
                response = self.call(
                    "POST",
                    f"/events/registrations/{cancel.group(1)}/cancel/",
                    "POST cancel registration",
                    data={"csrfmiddlewaretoken": token, "confirm": "yes"},  # the ticked box
                    headers={"Referer": self.host + url},
                    expect=lambda r: "The registration is cancelled." in r.text,
                )
                if response is not None:
                    RESULTS["cancellations"].append({"id": int(cancel.group(1)), "event": slug})
            return
        if token is None:
            return
        response = self.call(
            "POST",
            f"/events/{slug}/register/",
            "POST register",
            data={"csrfmiddlewaretoken": token, "seat_type": "in_person"},
            headers={"Referer": self.host + url},
            refused=lambda r: not any(s in r.text for s in REGISTERED),
        )
        if response is not None and any(s in response.text for s in REGISTERED):
            RESULTS["registrations"].append({"email": self.account["email"], "event": slug})

    # --- rooms -----------------------------------------------------------------------

    @task(2)
    def book_room(self):
        if not self.logged_in or not self.account["rooms"]:
            return
        when = date.today() + timedelta(days=self.rng.randint(3, 28))
        self.call(
            "GET",
            "/rooms/",
            "GET room finder",
            params={"people": self.rng.choice([2, 4, 8]), "date": when.isoformat()},
        )
        room = self.rng.choice(self.account["rooms"])
        monday = when - timedelta(days=when.weekday())
        week = self.call(
            "GET", f"/rooms/{room}/", "GET room week", params={"week": monday.isoformat()}
        )
        if week is None:
            return
        free = [f for f in FREE.findall(week.text) if date.fromisoformat(f[1]) >= when]
        if not free:
            return
        room, day, start = self.rng.choice(free)
        form_url = f"/rooms/{room}/book/?date={day}&start={start}"
        form = self.call("GET", form_url, "GET booking form")
        token = self.token(form)
        if token is None:
            return
        begin = datetime.strptime(start, "%H:%M")
        end = (begin + timedelta(minutes=self.rng.choice([60, 60, 90, 120]))).strftime("%H:%M")
        response = self.call(
            "POST",
            f"/rooms/{room}/book/",
            "POST booking",
            data={
                "csrfmiddlewaretoken": token,
                "title": "Load test meeting",
                "date": day,
                "start": start,
                "end": end,
                "attendees": 2,
                "notes": "",
                "repeat": "",
            },
            headers={"Referer": self.host + form_url},
            # A re-rendered form (200 on the form's URL) names the clash or the rule.
            refused=lambda r: r.url.endswith(f"/rooms/{room}/book/"),
            expect=lambda r: BOOKED.search(r.url) is not None,
        )
        if response is not None:
            match = BOOKED.search(response.url)
            if match:
                RESULTS["bookings"].append({"id": int(match.group(1)), "room": int(room)})
