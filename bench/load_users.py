"""The people of bench/load.py, for locust: reporters, strategists and a load balancer.

Not run by hand: bench/load.py starts `locust -f bench/load_users.py --headless` with the
plan it made (LOAD_PLAN, a JSON file: the cycle, the users and their contributions) and
reads back what happened (LOAD_RESULTS): every request with its time and outcome, every
save the server acknowledged with the marker text it saved, and when the last user had
logged in (the start of the steady part of the run).

- A reporter logs in and works through the contributions of their own organisation, one
  at a time: opens the form, saves a draft with a marker text of its own (the form's
  version field is sent back, so a stale form would be refused, not overwritten), and
  after `saves` drafts saves and submits it.
- A strategist logs in and reads the cycle page, the submission overview (matrix) and a
  small page (the accessibility statement), in turn and at random.
- A load balancer asks /healthz/ every five seconds.

Only loopback addresses are targets; a user on any other host stops the run.
"""

import json
import os
import random
import time
import uuid
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from ipaddress import ip_address
from itertools import count
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, constant_pacing, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
RESULTS = os.environ["LOAD_RESULTS"]
REPORTER_WAIT = PLAN["reporter_wait"]
STRATEGIST_WAIT = PLAN["strategist_wait"]

requests: list = []  # [start, name, ms, ok, status, error]
acknowledged: list = []  # {"contribution", "marker", "submitted"}
logins = {"done": 0, "last": None}
reporter_numbers = count()
strategist_numbers = count()


@events.init.add_listener
def refuse_other_hosts(environment, **_kwargs):
    host = urlsplit(environment.host or "").hostname or ""
    if host != "localhost" and not ip_address(host).is_loopback:
        raise SystemExit(f"bench/load_users.py sends traffic to loopback only, not to {host}")


@events.request.add_listener
def record(request_type, name, response_time, response, exception, start_time=None, **_kw):
    status = getattr(response, "status_code", 0)
    error = None if exception is None else f"{type(exception).__name__}: {exception}"[:300]
    requests.append([start_time or time.time(), name, response_time, error is None, status, error])


@events.quitting.add_listener
def write_results(environment, **_kwargs):
    with open(RESULTS, "w", encoding="utf-8") as out:
        json.dump(
            {"requests": requests, "acknowledged": acknowledged, "steady_from": logins["last"]},
            out,
        )


class FormReader(HTMLParser):
    """The fields of one form as a browser would send them (without a button): inputs,
    checked boxes and radios, textareas and selected options; nothing inside <template>."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.fields: list[tuple[str, str]] = []
        self.in_form = self.in_template = False
        self.textarea = self.select = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self.in_template = True
        elif tag == "form":
            self.in_form = a.get("action") == self.action
        if not self.in_form or self.in_template:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template = False
        elif tag == "form" and not self.in_template:
            self.in_form = False
        elif tag == "textarea" and self.textarea:
            # A browser drops the newline that follows <textarea>.
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_fields(html: str, action: str) -> dict[str, list[str]]:
    reader = FormReader(action)
    reader.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in reader.fields:
        fields.setdefault(name, []).append(value)
    if "csrfmiddlewaretoken" not in fields:
        raise ValueError(f"no form posting to {action} on the page")
    return fields


class BehindTheProxy(DefaultCookiePolicy):
    """The app's cookies are Secure; the users stand where the TLS-terminating proxy does,
    so they send them over the plain HTTP between proxy and gunicorn."""

    def return_ok_secure(self, cookie, request):
        return True


class Visitor(FastHttpUser):
    abstract = True
    # The header the TLS-terminating proxy in front of gunicorn adds.
    default_headers = {"X-Forwarded-Proto": "https"}

    def on_start(self):
        self.origin = "https://" + urlsplit(self.host).netloc
        self.client.cookiejar.set_policy(BehindTheProxy())

    def post(self, path, fields, name, expect_location):
        """POST a form as a browser does (Origin and Referer, for Django's CSRF check);
        a success is a redirect to ``expect_location``."""
        headers = {
            "Origin": self.origin,
            "Referer": self.origin + path,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        with self.client.post(
            path,
            data=urlencode(fields, doseq=True),
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and location == expect_location:
                response.success()
                return True
            response.failure(f"{response.status_code}, Location {location!r}")
            return False

    def get(self, path, name, expect: bytes):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code == 200 and expect in (response.content or b""):
                response.success()
                return response.text
            response.failure(f"{response.status_code}, without {expect!r}")
            return None

    def log_in(self, username):
        page = self.get("/konto/logga-in/", "login page", b"csrfmiddlewaretoken")
        if page is None:
            raise StopUser
        fields = form_fields(page, "/konto/logga-in/")
        fields.update(username=[username], password=[PLAN["password"]])
        if not self.post(
            "/konto/logga-in/", fields, "log in (POST)", expect_location="/mina-uppgifter/"
        ):
            raise StopUser
        logins["done"] += 1
        if logins["done"] == PLAN["users_logging_in"]:
            logins["last"] = time.time()


class Reporter(Visitor):
    fixed_count = len(PLAN["reporters"])
    wait_time = between(*REPORTER_WAIT)

    def on_start(self):
        super().on_start()
        me = PLAN["reporters"][next(reporter_numbers)]
        self.username = me["username"]
        self.queue = list(me["contributions"])
        self.saved = 0
        self.log_in(self.username)

    @task
    def work(self):
        if not self.queue:
            self.get("/mina-uppgifter/", "my tasks", b"<main")
            return
        pk = self.queue[0]
        edit = f"/bidrag/{pk}/redigera/"
        page = self.get(edit, "contribution form (GET)", b'name="version"')
        if page is None:
            return
        fields = form_fields(page, edit)
        marker = f"Lastprov {self.username} bidrag {pk} {uuid.uuid4()}"
        fields.update(
            done=[marker],
            results=["Lastprov: resultat."],
            assessment=["positive"],
            assessment_motivation=["Lastprov: motivering."],
        )
        submitting = self.saved >= PLAN["saves"]
        if submitting:
            fields["submit"] = [""]
            ok = self.post(edit, fields, "save and submit (POST)", f"/bidrag/{pk}/")
        else:
            fields["save"] = [""]
            ok = self.post(edit, fields, "save draft (POST)", edit)
        if not ok:
            return
        acknowledged.append({"contribution": pk, "marker": marker, "submitted": submitting})
        if submitting:
            self.queue.pop(0)
            self.saved = 0
            self.get(f"/bidrag/{pk}/", "contribution page", b"<main")
        else:
            self.saved += 1


class Strategist(Visitor):
    fixed_count = len(PLAN["strategists"])
    wait_time = between(*STRATEGIST_WAIT)

    def on_start(self):
        super().on_start()
        self.log_in(PLAN["strategists"][next(strategist_numbers)])
        cycle = PLAN["cycle"]
        self.pages = [
            (f"/uppfoljningar/{cycle}/", "cycle page", b"cycle-organisations"),
            (f"/uppfoljningar/{cycle}/matris/", "matrix", b"table-bordered matrix"),
            ("/tillganglighet/", "small page (/tillganglighet/)", b"<main"),
            ("organisation", "cycle's organisation page", b"organisation-requests"),
            ("/insatser/?focus_area=2.1", "action register of 2.1", b"Lastprovsinsats"),
        ]

    @task
    def read(self):
        path, name, expect = random.choice(self.pages)
        if path == "organisation":  # one organisation's requests, any of the cycle's
            organisation = random.choice(PLAN["organisations"])
            path = f"/uppfoljningar/{PLAN['cycle']}/organisationer/{organisation}/"
        self.get(path, name, expect)


class LoadBalancer(Visitor):
    fixed_count = 1
    wait_time = constant_pacing(5)

    @task
    def health(self):
        with self.client.get("/healthz/", name="/healthz/", catch_response=True) as response:
            if response.status_code == 200:
                response.success()
            else:
                response.failure(str(response.status_code))
