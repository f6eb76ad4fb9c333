"""Helpers shared by the HTTP tests: a browser-like client that sends the
Origin header and CSRF token like our pages do, mail from the outbox, and
direct SQL for setting up edge cases (ageing rows, counting them)."""

import email
import email.policy
import glob
import os
import re
import subprocess
import uuid

import requests

BASE = os.environ.get("BO_BASE", "http://127.0.0.1:18080")
# The same nginx without the per-IP sign-in limit (RELIABILITY §13.1): the
# suite signs in far more often than 5 times a minute.
BASE_NOLIMIT = os.environ.get("BO_BASE_NOLIMIT", BASE)
BIN = os.environ.get("BO_BIN", "build/test/backopsd")
CONF = os.environ.get("BO_CONF", "")
MAIL_DIR = os.environ.get("BO_MAIL_DIR", "")
MYSQL = os.environ.get("BO_MYSQL", "mariadb")
APP_LOG = os.environ.get("BO_APP_LOG", "")

PASSWORD = "correct horse battery staple"

CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


def unique_email(tag="user"):
    return f"{tag}-{uuid.uuid4().hex[:12]}@example.test"


def sql(query):
    """Run SQL as the administrative account; returns rows as lists."""
    out = subprocess.run(MYSQL.split() + ["-N", "-B", "backops", "-e", query],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def sql_one(query):
    rows = sql(query)
    return rows[0][0] if rows else None


def deliver_mail():
    subprocess.run([BIN, "-c", CONF, "outbox"], check=True,
                   capture_output=True)


def mails_to(addr):
    """Delivered messages to addr, oldest first, as email.message objects."""
    deliver_mail()
    found = []
    for path in sorted(glob.glob(os.path.join(MAIL_DIR, "*.eml"))):
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        if msg["To"] == addr:
            found.append(msg)
    return found


def last_mail(addr):
    msgs = mails_to(addr)
    assert msgs, f"no mail to {addr}"
    return msgs[-1]


def mail_links(msg):
    body = msg.get_content()
    return re.findall(r"https?://\S+", body)


def link_with(msg, path):
    links = [l for l in mail_links(msg) if path in l]
    assert links, f"no {path} link in mail: {msg.get_content()}"
    return links[-1]


def app_log():
    with open(APP_LOG, encoding="utf-8", errors="replace") as f:
        return f.read()


class Browser:
    """A requests.Session that behaves like our pages in a browser: it sends
    Origin on unsafe methods and picks the CSRF token out of the last form."""

    def __init__(self, base=BASE_NOLIMIT):
        self.base = base
        self.s = requests.Session()
        self.csrf = None

    def url(self, path):
        return path if path.startswith("http") else self.base + path

    def get(self, path, **kw):
        kw.setdefault("allow_redirects", False)
        r = self.s.get(self.url(path), **kw)
        m = CSRF_RE.search(r.text) if "html" in r.headers.get(
            "Content-Type", "") else None
        if m:
            self.csrf = m.group(1)
        return r

    def post(self, path, data=None, csrf=True, origin=True, **kw):
        kw.setdefault("allow_redirects", False)
        headers = kw.pop("headers", {})
        if origin:
            headers.setdefault("Origin", BASE)
        data = dict(data or {})
        if csrf and self.csrf and "csrf_token" not in data:
            data["csrf_token"] = self.csrf
        return self.s.post(self.url(path), data=data, headers=headers, **kw)

    def cookie(self):
        for c in self.s.cookies:
            if c.name in ("bo_sid", "__Host-bo_sid"):
                return c.value
        return None

    def signup(self, email_addr, password=PASSWORD, name="Test Person",
               tz="Europe/Amsterdam"):
        self.get("/signup")
        return self.post("/signup", {"name": name, "email": email_addr,
                                     "password": password, "timezone": tz})

    def login(self, email_addr, password=PASSWORD, **extra):
        self.get("/login")
        return self.post("/login", dict(email=email_addr, password=password,
                                        **extra))

    def verify_from_mail(self, email_addr):
        link = link_with(last_mail(email_addr), "/verify?token=")
        path = link[len(link.split("/verify")[0]):]
        r = self.get(path)
        assert r.status_code == 200, r.text
        token = re.search(r'name="token"\s+value="([^"]+)"', r.text).group(1)
        return self.post("/verify", {"token": token})


def new_user(verified=True, tag="user"):
    """A fresh account, signed in, in its own Browser."""
    addr = unique_email(tag)
    b = Browser()
    r = b.signup(addr)
    assert r.status_code == 200, r.text
    if verified:
        r = b.verify_from_mail(addr)
        assert r.status_code == 303, r.text
    else:
        r = b.login(addr)
        assert r.status_code == 303, r.text
    b.email = addr
    return b


def new_org(owner, name=None, org_standard=5, org_pro=1, event_pro=2,
            license="org_standard", tz="Europe/Amsterdam"):
    """A team organization created by `owner` (a verified Browser) through
    POST /orgs; returns its id. The owner holds `license`."""
    name = name or "Org " + uuid.uuid4().hex[:8]
    owner.get("/orgs/new")
    r = owner.post("/orgs", {"name": name, "timezone": tz,
                             "org_standard": str(org_standard),
                             "org_pro": str(org_pro),
                             "event_pro": str(event_pro),
                             "license": license})
    assert r.status_code == 303, r.text
    m = re.match(r"^/orgs/(\d+)$", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


def new_event(owner, org_id, **fields):
    """An event created by `owner` through POST /orgs/{org}/events (the
    organization's only Event Pro pool unless pool_id is given); returns
    its id. Any form field may be passed; name and dates have defaults."""
    data = {"name": "Event " + uuid.uuid4().hex[:8],
            "start_date": "2027-06-10", "end_date": "2027-06-12",
            "timezone": "Europe/Amsterdam"}
    data.update({k: str(v) for k, v in fields.items()})
    owner.get(f"/orgs/{org_id}/events/new")
    r = owner.post(f"/orgs/{org_id}/events", data)
    assert r.status_code == 303, r.text
    m = re.match(r"^/events/(\d+)$", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))
