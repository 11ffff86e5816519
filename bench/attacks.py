#!/usr/bin/env python3
"""The security audit's attacks, re-run against a running Gazette: one line per item, with the answer seen.

Usage: bench/attacks.py BASE_URL ADMIN_PASSWORD DATA_DIR [SLOW_CONNECTIONS]
(bench/attacks starts the packaged jar and calls this). Standard library only. Attack traffic comes from several
loopback sources (127.0.0.2-127.0.0.9); the legitimate requests measured meanwhile come from 127.0.0.1.
"""
import base64
import glob
import http.client
import json
import os
import re
import socket
import stat
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

BASE, ADMIN_PASSWORD, DATA = sys.argv[1], sys.argv[2], sys.argv[3]
SLOW = int(sys.argv[4]) if len(sys.argv) > 4 else 300
HOST = urllib.parse.urlsplit(BASE).hostname
PORT = urllib.parse.urlsplit(BASE).port
ATTACKERS = ["127.0.0.%d" % i for i in range(2, 10)]
results = []


def request(method, path, body=None, headers=None, source="127.0.0.1", timeout=30):
    """(status, headers as a dict of lower-case names, body bytes, seconds); status 0 when the connection failed."""
    started = time.monotonic()
    conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout, source_address=(source, 0))
    try:
        if isinstance(body, str):
            body = body.encode()
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data, time.monotonic() - started
    except (OSError, http.client.HTTPException) as e:
        return 0, {}, str(e).encode(), time.monotonic() - started
    finally:
        conn.close()


def api(method, path, token, payload=None, content_type="application/json", raw=None):
    headers = {"Authorization": "Bearer " + token}
    body = raw
    if payload is not None:
        body = json.dumps(payload)
    if body is not None:
        headers["Content-Type"] = content_type
    return request(method, path, body, headers)


def report(item, attack, answer, safe):
    line = "item %-3s %-4s %s -> %s" % (item, "ok" if safe else "FAIL", attack, answer)
    results.append(safe)
    print(line, flush=True)


def form(fields):
    return urllib.parse.urlencode(fields, doseq=True)


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


# --- set-up: a token, a topic, a reader -----------------------------------------------------------------------------
status, _, body, _ = request("POST", "/api/v1/tokens", json.dumps({"name": "attacks"}),
                             {"Authorization": basic("admin", ADMIN_PASSWORD), "Content-Type": "application/json"})
if status not in (200, 201):
    sys.exit("cannot make an API token: %d %s" % (status, body[:200]))
TOKEN = json.loads(body)["token"]
api("POST", "/api/v1/topics", TOKEN, {"name": "World", "slug": "world"})


def published(title, summary, body="Text.", body_format="MARKDOWN"):
    status, _, data, elapsed = api("POST", "/api/v1/articles", TOKEN, {"title": title, "summary": summary, "body": body,
                                                                     "bodyFormat": body_format, "topics": ["world"]})
    if status == 201:
        api("POST", "/api/v1/articles/%d/publish" % json.loads(data)["id"], TOKEN)
    return status, data, elapsed


# --- 1. slow bodies --------------------------------------------------------------------------------------------------
def slow_bodies():
    sockets = []
    for i in range(SLOW):
        try:
            s = socket.create_connection((HOST, PORT), timeout=5, source_address=(ATTACKERS[i % len(ATTACKERS)], 0))
            s.sendall(b"POST /subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      b"Content-Length: 100000\r\n\r\nemail=")
            sockets.append(s)
        except OSError:
            pass
    stop = time.monotonic() + 40
    dropped = [0]

    def drip():
        while time.monotonic() < stop:
            for s in list(sockets):
                try:
                    s.sendall(b"a")
                except OSError:
                    sockets.remove(s)
                    dropped[0] += 1
            time.sleep(2)

    t = threading.Thread(target=drip, daemon=True)
    t.start()
    time.sleep(8)
    worst = 0.0
    statuses = set()
    subscribed = None
    while time.monotonic() < stop - 2:
        for path in ("/", "/q/health/ready"):
            status, _, _, elapsed = request("GET", path, timeout=10)
            worst = max(worst, elapsed)
            statuses.add(status)
        if subscribed is None:
            subscribed = request("POST", "/subscribe", form({"email": "during-slow@example.org"}),
                                 {"Content-Type": "application/x-www-form-urlencoded"}, timeout=10)[0]
        time.sleep(1)
    t.join()
    for s in sockets:
        s.close()
    report(1, "%d slow form bodies (1 byte / 2 s, 8 sources)" % SLOW,
           "home + readiness answered %s, slowest %.2f s; a subscribe meanwhile %s; %d slow connections closed by the server"
           % (sorted(statuses), worst, subscribed, dropped[0]), worst < 2 and statuses == {200} and subscribed == 200)


# --- 2. guessing passwords -------------------------------------------------------------------------------------------
def guessing():
    # before the flood: an unknown name and a wrong password for a real one, from a client that has not failed yet
    unknown = request("POST", "/api/v1/tokens", "{}", {"Authorization": basic("nobody", "guess"), "Content-Type": "application/json"},
                      source=ATTACKERS[7])[0]
    wrong = request("POST", "/api/v1/tokens", "{}", {"Authorization": basic("admin", "guess"), "Content-Type": "application/json"},
                    source=ATTACKERS[7])[0]
    answers = {}
    retry = None
    for i in range(200):
        src = ATTACKERS[i % 3]
        status, headers, _, _ = request("POST", "/admin/j_security_check", form({"j_username": "admin", "j_password": "guess%d" % i}),
                                        {"Content-Type": "application/x-www-form-urlencoded"}, source=src)
        answers[status] = answers.get(status, 0) + 1
        retry = headers.get("retry-after", retry)
    basic_answers = {}
    for i in range(200):
        status, headers, _, _ = request("POST", "/api/v1/tokens", "{}", {"Authorization": basic("admin", "guess%d" % i),
                                                                         "Content-Type": "application/json"}, source=ATTACKERS[3 + i % 3])
        basic_answers[status] = basic_answers.get(status, 0) + 1
    real = request("POST", "/api/v1/tokens", json.dumps({"name": "after"}),
                   {"Authorization": basic("admin", ADMIN_PASSWORD), "Content-Type": "application/json"})[0]
    report(2, "200 wrong form logins + 200 wrong Basic logins (6 sources)",
           "form %s (Retry-After %s), Basic %s; unknown user %s vs wrong password %s; the admin from the client it signs in from %s"
           % (answers, retry, basic_answers, unknown, wrong, real),
           answers.get(429, 0) > 0 and basic_answers.get(429, 0) > 0 and unknown == wrong and real in (200, 201))


# --- 3. a session after logout ---------------------------------------------------------------------------------------
def session_after_logout():
    status, headers, _, _ = request("POST", "/admin/j_security_check", form({"j_username": "admin", "j_password": ADMIN_PASSWORD}),
                                    {"Content-Type": "application/x-www-form-urlencoded"})
    cookie = re.search(r"gazette-session=([^;]+)", headers.get("set-cookie", ""))
    if not cookie:
        report(3, "sign in, log out, replay the cookie", "could not sign in: %d" % status, False)
        return
    jar = {"Cookie": "gazette-session=" + cookie.group(1)}
    page = request("GET", "/admin/users", headers=jar)[2].decode()
    csrf = re.search(r'name="csrf-token" value="([^"]+)"', page).group(1)
    request("POST", "/admin/logout", form({"csrf-token": csrf}), dict(jar, **{"Content-Type": "application/x-www-form-urlencoded"}))
    status, headers, _, _ = request("GET", "/admin/users", headers=jar)
    report(3, "sign in, log out, replay the saved cookie on /admin/users", "%d %s" % (status, headers.get("location", "")),
           status in (302, 303, 401) and "login" in headers.get("location", "login"))


# --- 4. live HTML in feeds -------------------------------------------------------------------------------------------
def feed_text():
    published('Title "><img src=x onerror=alert(1)>', '"><img src=x onerror=alert(2)>')
    rss = request("GET", "/feed.xml")[2]
    live = []
    for item in ET.fromstring(rss).iter("item"):
        for field in ("title", "description"):
            text = item.findtext(field) or ""
            if re.search(r"<img", text, re.I):  # what a feed reader parses as HTML
                live.append(field)
    report(4, "summary and title '\"><img src=x onerror=alert(2)>' in RSS",
           "fields a feed reader would render as markup: %s" % (live or "none"), not live)


# --- 5. the sanitiser's cost -----------------------------------------------------------------------------------------
def sanitiser():
    answers = []
    safe = True
    for name, body, fmt in (("<div> x 60,000", "<div>" * 60000, "HTML"), ("<div> x 199,000", "<div>" * 199000, "HTML"),
                            ("'>' x 999,000", ">" * 999000, "MARKDOWN"), ("'*a' x 499,000", "*a" * 499000, "MARKDOWN")):
        status, data, elapsed = published("Deep " + name, "s", body, fmt)
        field = ""
        if status == 400:
            field = ",".join(v.get("field", "") for v in json.loads(data).get("violations") or [])
        answers.append("%s: %d %s in %.1f s" % (name, status, field, elapsed))
        safe = safe and status in (201, 400) and elapsed < 5
    report(5, "deeply nested article bodies", "; ".join(answers), safe)


# --- 6. one-click unsubscribe with a bad body ------------------------------------------------------------------------
def one_click():
    api("POST", "/api/v1/subscribers/imports", TOKEN, raw="email,topics\nclick%d@example.org,world\n" % STAMP, content_type="text/csv")
    time.sleep(3)
    readers = json.loads(api("GET", "/api/v1/subscribers?q=click%d%%40example.org" % STAMP, TOKEN)[2])
    reader = readers["items"][0]["id"]
    published("Unsubscribe probe", "s")
    status, _, data, _ = api("POST", "/api/v1/newsletters", TOKEN, {"name": "Probe %d" % time.time(), "topics": ["world"], "cadence": "DAILY", "sendTime": "07:00",
                                                                  "fromName": "Probe", "fromAddress": "probe@example.org"})
    newsletter = json.loads(data)["id"]
    api("POST", "/api/v1/newsletters/%d/test" % newsletter, TOKEN, {"to": "editor@example.org", "subscriberId": reader})
    time.sleep(1)
    newest = max(glob.glob(os.path.join(DATA, "outbox", "*.eml")), key=os.path.getmtime)
    token = re.search(r"/u/([A-Za-z0-9_.-]+)>", open(newest, encoding="utf-8", errors="replace").read()).group(1)
    answers = []
    for name, body, ctype in (("malformed form", "List-Unsubscribe=One-Click%zz", "application/x-www-form-urlencoded"),
                              ("cut multipart", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nabc", "multipart/form-data; boundary=b"),
                              ("JSON garbage", "{[", "application/json")):
        answers.append("%s %d" % (name, request("POST", "/u/" + token, body, {"Content-Type": ctype})[0]))
    state = json.loads(api("GET", "/api/v1/subscribers/%d" % reader, TOKEN)[2])["status"]
    logs = "".join(open(f, encoding="utf-8", errors="replace").read() for f in glob.glob(os.path.join(DATA, "app.log")))
    report(6, "POST /u/{token} with bad bodies", "%s; reader now %s; token in the log: %s" % (", ".join(answers), state, token in logs),
           all(a.endswith(" 200") for a in answers) and state == "UNSUBSCRIBED" and token not in logs)
    newsletter_headers(newsletter)


# --- 7. newsletter headers -------------------------------------------------------------------------------------------
def newsletter_headers(newsletter):
    answers = []
    ok = True
    for field, value in (("fromName", 'Evil <x@y>, "z"'), ("fromName", "Evil\r\nBcc: all@example.org"),
                         ("name", "World\r\nBcc: all@example.org")):
        status, _, data, _ = api("PATCH", "/api/v1/newsletters/%d" % newsletter, TOKEN, {field: value})
        named = status == 400 and field in data.decode()
        encoded = status == 200
        answers.append("%s=%r: %d%s" % (field, value, status, " naming the field" if named else ""))
        if encoded:
            test = api("POST", "/api/v1/newsletters/%d/test" % newsletter, TOKEN, {"to": "editor@example.org"})[0]
            answers[-1] += " then a test send %d" % test
            ok = ok and test in (200, 202, 204, 404)
        ok = ok and (named or encoded)
    report(7, "header injection through newsletter fields", "; ".join(answers), ok)


# --- 8. CSV import ---------------------------------------------------------------------------------------------------
def csv_import():
    csv = ("\ufeffemail,name,subscribed at\n".encode() + b"good1@example.org,Ann,2020-01-01\n"
           + b"nul@example.org,N\x00ul,2020-01-01\n" + b"utf@example.org,Bad \xff byte,2020-01-01\n"
           + b"date@example.org,Old,-99999-01-01\n" + b"good2@example.org,Bob,2021-05-05\n")
    status, _, data, _ = api("POST", "/api/v1/subscribers/imports", TOKEN, raw=csv, content_type="text/csv")
    if status != 202:
        report(8, "CSV with a BOM, a NUL, a bad UTF-8 byte and an absurd date", "%d %s" % (status, data[:200]), False)
        return
    view = json.loads(data)
    for _ in range(60):
        view = json.loads(api("GET", "/api/v1/subscribers/imports/%d" % view["id"], TOKEN)[2])
        if view["status"] not in ("QUEUED", "RUNNING"):
            break
        time.sleep(1)
    report_csv = api("GET", view["report"], TOKEN)[2].decode(errors="replace")
    leaks = re.findall(r"PSQLException|MalformedInput|Exception|import_stage", json.dumps(view) + report_csv)
    report(8, "CSV with a BOM, a NUL, a bad UTF-8 byte and an absurd date",
           "%s created %s invalid %s; internal names shown: %s" % (view["status"], view.get("created"), view.get("invalid"),
                                                                  leaks or "none"),
           view["status"] == "DONE" and view.get("created") == 2 and view.get("invalid") == 3 and not leaks)


# --- 9. control characters and bad parameter values ------------------------------------------------------------------
def parameters():
    answers = []
    for path in ("/api/v1/subscribers?q=%00", "/api/v1/articles?topic=%00", "/api/v1/articles?status=BOGUS",
                 "/api/v1/subscribers?after=abc"):
        answers.append("%s %d" % (path, api("GET", path, TOKEN)[0]))
    public = request("GET", "/?topic=%00", headers={"Accept": "text/html"})[0]
    answers.append("/?topic=%%00 %d" % public)
    report(9, "NUL, unknown enum and bad cursor in query parameters", ", ".join(answers),
           all(a.endswith(" 400") for a in answers))


# --- 11. bcrypt's 72 bytes -------------------------------------------------------------------------------------------
def long_password():
    status, _, data, _ = api("POST", "/api/v1/users", TOKEN, {"username": "longpw", "password": "p" * 72 + "a", "role": "editor"})
    if status == 400:
        report(11, "a 73-byte password", "refused: %s" % data.decode()[:160], True)
        return
    other = request("POST", "/api/v1/tokens", "{}", {"Authorization": basic("longpw", "p" * 72 + "b"), "Content-Type": "application/json"})[0]
    report(11, "a 73-byte password, then signing in with another suffix", "created %d, other suffix %d" % (status, other),
           other == 401)


# --- 12. private addresses in IPv6 clothing --------------------------------------------------------------------------
def private_addresses():
    answers = []
    for host in ("[::127.0.0.1]", "[::ffff:127.0.0.1]", "[64:ff9b::7f00:1]", "[64:ff9b::a9fe:a9fe]", "[2002:7f00:1::]"):
        status = api("POST", "/api/v1/feeds", TOKEN, {"url": "http://%s:%d/feed.xml" % (host, PORT), "topics": ["world"]})[0]
        answers.append("%s %d" % (host, status))
    report(12, "feed URLs on private addresses in IPv6 forms", ", ".join(answers), all(a.endswith(" 400") for a in answers))


# --- also seen ---------------------------------------------------------------------------------------------------------
def also_seen():
    _, headers, _, _ = request("GET", "/")
    csp = headers.get("content-security-policy", "")
    modes = sorted({oct(stat.S_IMODE(os.stat(f).st_mode)) for f in glob.glob(os.path.join(DATA, "outbox", "*.eml"))})
    outbox = oct(stat.S_IMODE(os.stat(os.path.join(DATA, "outbox")).st_mode))
    loop = request("GET", "/admin/login", headers={"Authorization": "Bearer " + TOKEN})
    report("+", "headers, outbox permissions, /admin/login with a Bearer token",
           "CSP %s, X-Frame-Options %s; outbox files %s, directory %s; login page %d %s"
           % ("script-src 'self'" in csp, headers.get("x-frame-options"), modes, outbox, loop[0], loop[1].get("location", "")),
           "script-src 'self'" in csp and modes == ["0o600"] and outbox == "0o700" and loop[0] == 200)


STAMP = int(time.time())
ONLY = os.environ.get("ATTACKS", "").split()
for name, run in (("1", slow_bodies), ("9", parameters), ("4", feed_text), ("5", sanitiser), ("6", one_click),
                  ("8", csv_import), ("11", long_password), ("12", private_addresses), ("3", session_after_logout),
                  ("+", also_seen), ("2", guessing)):
    if not ONLY or name in ONLY:
        run()
print("attacks: %d of %d held" % (sum(results), len(results)))
