"""Live figures through the running application: dashboards warm, after a write, cold,
and under a twenty-client mixed load with writes and a roll upload going on.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        uv run --frozen python bench/live_figures.py [--seconds 60] [--upload-rows 100000]

``DATABASE_URL`` is an admin URL of a PostgreSQL server. The bench works in its own
database ``--database`` (default ``uw_live_bench``, ``uw_live_bench_small`` with
``--scale small``): it reuses it when it holds the demo province (≥ 50,000 orgs), else
creates it, migrates it and builds it with ``manage.py demo_province --scale province
--seed 2008`` (about 4 minutes; ``--scale small`` builds the small demo in well under a
minute: then the figures run end to end but the thresholds mean little).

It starts the application as in production: ``gunicorn unionworks.wsgi -w 2`` on a
free loopback port (DEBUG off), ``TASKS_MODE=worker`` with one ``manage.py run_tasks``
process (so the upload runs beside the web workers, not in them) and a shared cache:
``$REDIS_URL`` when set, else (``--redis auto``) a private ``redis-server`` on a free
port, else per-process caches (said so; two workers then do not see each other's
writes). All of them are stopped at the end. Then it measures, in one run:

1. reference — the province 夯基 dashboard's figures (the province and its children, the
   period's indicators), computed once by the app's own selectors and stored in a scratch
   table ``bench_precomputed`` (dropped at the end); the time to read them back with one
   indexed query over a persistent connection, and the floor of one authenticated HTTP
   round trip through gunicorn (GET /api/v1/indicators/). Ratios are taken against
   **reference = that read + that round trip** (the precomputed figures served over
   HTTP); the read alone is printed too;
2. warm — the dashboard page, the indicator table page and the values API, each asked
   a few times first, then the median of ``--runs``;
3. after one write — a member joins through the API, then the dashboard is asked at once:
   its time, and whether it shows the member (stale = no);
4. cold — gunicorn restarted, a month of 2007 nobody asked for: the first dashboard of it,
   against one hand-written SQL of the same figures (bench/coverage.REFERENCE_SQL: the
   GROUP BYs of every node as of the month's end and the roll-up through the path);
5. load — 20 client threads (keep-alive where the server keeps it) over a weighted mix of
   dashboards (province, cities), the indicator table, the org tree, the roll list,
   member search by name and by pinyin initials and the values API, for ``--seconds``;
   meanwhile a writer makes ``--writes-per-second`` writes (member joins, a unit now and
   then), an upload of ``--upload-rows`` generated roll rows runs through POST
   /api/v1/imports/roll, and a checker reads the province's members and units back
   (values API every second, the dashboard page every few) and counts the reads that did
   not show a write committed before the read began. Per kind and overall: count,
   p50/p95/p99, errors (HTTP ≥ 400 or no answer) and throughput.

The bench's writes stay in its database (the next run adds its own: new ID numbers each
run). Every loop has a deadline, every request a timeout; only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import http.client
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from _setup import ROOT, django_setup

PROVINCE_ORGS = 50_000
PASSWORD = os.environ.get("DEMO_PASSWORD", "Bench-Shanxi-2008")
HOST = "127.0.0.1"
TARGETS = {"warm": 5.0, "after_write": 10.0, "cold": 2.0, "p95": 1.0}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚华建国志红文辉玉兰晓东海燕春梅鹏飞斌宇浩凯丹玲雪琳晨阳欣怡佳俊峰波鑫亮林婷颖倩慧琴云龙成"
MEMBERS_FIGURE = re.compile(
    r'data-indicator="members".*?class="stat-value">\s*([0-9,]+)', re.DOTALL
)
MEMBERS_AS_OF = (
    "select count(*) from members_membershipspell"
    ' where start <= %s and ("end" is null or "end" > %s)'
)
# Where a person's number falls in this run's sequence (see Person.number).
UPLOAD_BASE, WRITER_BASE, PROBE_BASE = 0, 5_000_000, 9_000_000


def say(text: str = "") -> None:
    print(text, flush=True)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def brief(body: bytes) -> str:
    """An answer in one line: an error page's title, else its first 200 characters."""
    text = body.decode(errors="replace")
    title = re.search(r"<title>(.*?)</title>", text, re.DOTALL)
    return " ".join((title[1] if title else text[:200]).split())


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.1f} ms"


# ---- database: create or reuse, build -------------------------------------------------------


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def ensure_database(admin_url: str, name: str, scale: str, rebuild: bool) -> None:
    import psycopg

    needed = PROVINCE_ORGS if scale == "province" else 100
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone()
    orgs = 0
    if exists and not rebuild:
        with psycopg.connect(with_database(admin_url, name), autocommit=True) as conn:
            if conn.execute("select to_regclass('orgs_org')").fetchone()[0]:
                orgs = conn.execute("select count(*) from orgs_org").fetchone()[0]
        if orgs >= needed:
            say(f"database {name}: reused ({orgs:,} orgs); $ manage.py migrate -v0")
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "-v0"],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": with_database(admin_url, name), "DEBUG": "0"},
                check=True,
            )
            return
    if exists:
        if not (name.startswith("uw_live_bench") or rebuild):
            raise SystemExit(
                f"database {name} holds {orgs:,} orgs, fewer than a {scale} demo; "
                "name another --database or pass --rebuild to drop and rebuild it"
            )
        say(f"database {name}: {orgs:,} orgs, not a {scale} demo — dropped and rebuilt")
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'drop database "{name}" with (force)')
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": with_database(admin_url, name),
        "DEMO_PASSWORD": PASSWORD,
        "DEBUG": "0",
    }
    started = time.perf_counter()
    for args in (
        ["migrate", "-v0"],
        ["demo_province", "--scale", scale, "--seed", "2008"],
    ):
        say(f"$ manage.py {' '.join(args)}")
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)
    say(f"database {name}: built in {time.perf_counter() - started:.0f} s")


# ---- the application's processes ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Processes:
    """Children started by the bench (each in its own session), stopped in reverse order."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        proc.log = log
        self.running[name] = proc
        return proc

    def stop(self, name: str, grace: float = 15.0) -> None:
        proc = self.running.pop(name, None)
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(5)
        proc.log.close()

    def stop_all(self) -> None:
        for name in reversed(list(self.running)):
            self.stop(name)

    def tail(self, name: str, lines: int = 15) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def start_redis(procs: Processes) -> str | None:
    binary = shutil.which("redis-server")
    if not binary:
        return None
    port = free_port()
    procs.start(
        "redis",
        [binary, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"],
        dict(os.environ),
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return f"redis://{HOST}:{port}/0"
        except OSError:
            time.sleep(0.1)
    procs.stop("redis")
    return None


def start_web(procs: Processes, env: dict, port: int, args) -> None:
    procs.start(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "unionworks.wsgi",
            "-w",
            str(args.workers),
            "-k",
            args.worker_class,
            "--threads",
            str(args.threads),
            "-b",
            f"{HOST}:{port}",
            "--timeout",
            "120",
            # Each request's own time in the server (µs): queueing is the rest.
            "--access-logfile",
            str(procs.logs / "access.log"),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s %(q)s",
        ],
        env,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if procs.running["gunicorn"].poll() is not None:
            raise SystemExit("gunicorn stopped:\n" + procs.tail("gunicorn"))
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/accounts/login/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in 120 s:\n" + procs.tail("gunicorn"))


# ---- HTTP -----------------------------------------------------------------------------------


class Client:
    """One keep-alive connection (http.client reconnects when the server closes it)."""

    def __init__(self, port: int, timeout: float, cookie: str = "", token: str = ""):
        self.port, self.timeout, self.cookie, self.token = port, timeout, cookie, token
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, api=False):
        """(status, body bytes, seconds); status 0 when no answer came."""
        headers = dict(headers or {})
        if api and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.cookie:
            headers["Cookie"] = self.cookie
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
            return response.status, data, time.perf_counter() - started, response
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            return 0, repr(exc).encode(), time.perf_counter() - started, None

    def get(self, path, api=False):
        status, data, seconds, _ = self.request("GET", path, api=api)
        return status, data, seconds

    def post_json(self, path, payload):
        body = json.dumps(payload).encode()
        status, data, seconds, _ = self.request(
            "POST", path, body=body, headers={"Content-Type": "application/json"}, api=True
        )
        return status, data, seconds

    def close(self):
        self.conn.close()


def cookies_of(response) -> dict:
    jar = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def log_in(port: int, username: str, password: str) -> str:
    """Log in through /accounts/login/ with its CSRF token; the Cookie header to send."""
    client = Client(port, 30)
    status, page, _, response = client.request("GET", "/accounts/login/")
    jar = cookies_of(response)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not match or "csrftoken" not in jar:
        raise SystemExit(f"login page: HTTP {status}, no CSRF token")
    body = urlencode(
        {
            "csrfmiddlewaretoken": match[1].decode(),
            "username": username,
            "password": password,
            "next": "/",
        }
    )
    status, _, _, response = client.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        },
    )
    jar.update(cookies_of(response))
    client.close()
    if status != 302 or "sessionid" not in jar:
        raise SystemExit(f"login as {username} failed: HTTP {status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def median_get(client: Client, path: str, runs: int, api=False, warmups=3):
    """Median seconds of ``runs`` GETs after ``warmups`` (each worker gets asked)."""
    for _ in range(warmups):
        status, body, _ = client.get(path, api=api)
        if status != 200:
            raise SystemExit(f"GET {path}: HTTP {status} {body[:300]!r}")
    times = []
    for _ in range(runs):
        status, body, seconds = client.get(path, api=api)
        if status != 200:
            raise SystemExit(f"GET {path}: HTTP {status} {body[:300]!r}")
        times.append(seconds)
    return statistics.median(times), body


# ---- people and files -----------------------------------------------------------------------


class People:
    """Valid, distinct ID numbers of this run: a random region code no real person has
    (7xxxxx/8xxxxx), birth days counted from 1960-01-01, 1,000 numbers a day."""

    def __init__(self, seed: int | None = None):
        self.rng = random.Random(seed)
        self.region = random.SystemRandom().randrange(700_000, 900_000)

    def number(self, i: int) -> tuple[str, dt.date]:
        from unionworks.core.idnumber import check_char

        birth = dt.date(1960, 1, 1) + dt.timedelta(days=i // 1000)
        first17 = f"{self.region}{birth:%Y%m%d}{i % 1000:03d}"
        return first17 + check_char(first17), birth

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2)))
        )


def write_roll(path: Path, rows: int, people: People, credit_code: str) -> None:
    rng = people.rng
    with open(path, "w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(
            [
                "序号",
                "姓名",
                "公民身份号码",
                "统一社会信用代码",
                "入会时间",
                "文化程度",
                "是否农民工",
            ]
        )
        for i in range(rows):
            number, birth = people.number(UPLOAD_BASE + i)
            joined = birth.replace(year=birth.year + 22, day=min(birth.day, 28))
            out.writerow(
                [
                    i + 1,
                    people.name(),
                    number,
                    credit_code,
                    joined.isoformat(),
                    rng.choice(("本科", "大专", "高中")),
                    rng.choice(("是", "否", "否")),
                ]
            )


def multipart(fields: dict, file_field: str, filename: str, content: bytes):
    boundary = f"----uwbench{secrets.token_hex(12)}"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(f"{value}\r\n".encode())
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
    )
    out.write(content)
    out.write(f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


# ---- the mixed load -------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples: dict[str, list[tuple[float, int]]] = {}
        self.failures: dict[str, list[str]] = {}

    def add(self, kind: str, seconds: float, status: int, body: bytes = b"") -> None:
        with self.lock:
            self.samples.setdefault(kind, []).append((seconds, status))
            if (status == 0 or status >= 400) and len(self.failures.setdefault(kind, [])) < 3:
                self.failures[kind].append(f"HTTP {status}: {brief(body)}")


class Writes:
    """Commit times of the writer's writes, and of the upload (when seen done)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.joins: list[float] = []
        self.units: list[float] = []
        self.upload_done_at: float | None = None
        self.upload_rows = 0

    def expected(self, before: float) -> tuple[int, int]:
        """Members and units added by writes committed before ``before``."""
        with self.lock:
            joins = bisect.bisect_left(self.joins, before)
            units = bisect.bisect_left(self.units, before)
            upload = (
                self.upload_rows
                if self.upload_done_at is not None and self.upload_done_at < before
                else 0
            )
        return joins + upload, units


def run_load(ctx, args) -> dict:
    """Clients, writer, checker and the upload for args.seconds; the figures."""
    recorder = Recorder()
    writes = Writes()
    stop = threading.Event()
    t_end = time.monotonic() + args.seconds
    p = ctx["period"]
    province = ctx["province"]
    dash = "/stats/dashboards/foundation/?"
    mix = [
        ("dashboard province", 3, lambda r: dash + urlencode({"org": province, "period": p})),
        (
            "dashboard city",
            3,
            lambda r: dash + urlencode({"org": r.choice(ctx["cities"]), "period": p}),
        ),
        (
            "indicator table",
            1,
            lambda r: "/stats/indicators/?" + urlencode({"org": province, "period": p}),
        ),
        ("org tree", 2, lambda r: "/"),
        ("roll list", 2, lambda r: "/members/"),
        ("search name", 2, lambda r: "/members/?" + urlencode({"q": r.choice(ctx["names"])})),
        (
            "search initials",
            2,
            lambda r: "/members/?" + urlencode({"q": r.choice(ctx["initials"])}),
        ),
        ("values api", 2, lambda r: ctx["values_path"](r.choice(ctx["orgs_for_values"]))),
    ]
    kinds = [k for k, w, _ in mix for _ in range(w)]
    paths = {k: f for k, _, f in mix}

    def client_loop(seed: int):
        rng = random.Random(seed)
        client = Client(ctx["port"], args.timeout, ctx["cookie"], ctx["token"])
        while not stop.is_set() and time.monotonic() < t_end:
            kind = rng.choice(kinds)
            status, body, seconds = client.get(paths[kind](rng), api=kind == "values api")
            recorder.add(kind, seconds, status, body)
        client.close()

    in_flight = threading.BoundedSemaphore(args.writer_threads)
    write_threads: list[threading.Thread] = []
    skipped = [0]

    def one_write(i: int):
        client = Client(ctx["port"], args.timeout, token=ctx["token"])
        try:
            if i % 5 == 4:
                kind, (status, body, seconds) = "write unit", ctx["create_unit"](client, i)
            else:
                kind, (status, body, seconds) = "write join", ctx["join"](client, WRITER_BASE + i)
            recorder.add(kind, seconds, status, body)
            if status == 201:  # answered: committed before now
                done = time.monotonic()
                with writes.lock:
                    bisect.insort(writes.units if kind == "write unit" else writes.joins, done)
        finally:
            client.close()
            in_flight.release()

    def writer_loop():
        """A write every 1/rate seconds, each on its own thread (at most --writer-threads at
        once), so slow answers do not slow the rate; a write with no free thread is skipped."""
        interval = 1.0 / args.writes_per_second if args.writes_per_second > 0 else None
        i = 0
        started = time.monotonic()
        while interval and not stop.is_set() and time.monotonic() < t_end:
            delay = started + i * interval - time.monotonic()
            if delay > 0:
                stop.wait(delay)
                continue
            if in_flight.acquire(blocking=False):
                thread = threading.Thread(target=one_write, args=(i,), daemon=True)
                write_threads.append(thread)
                thread.start()
            else:
                skipped[0] += 1
            i += 1
        for thread in write_threads:
            thread.join(max(0.0, t_end + args.timeout - time.monotonic()))

    stale = {"values api": [0, 0], "dashboard": [0, 0]}
    stale_examples: list[str] = []

    def checker_loop():
        client = Client(ctx["port"], args.timeout, ctx["cookie"], ctx["token"])
        path_values = ctx["values_path"](province, "members,units")
        path_dash = dash + urlencode({"org": province, "period": p})
        n = 0
        while not stop.is_set() and time.monotonic() < t_end:
            started = time.monotonic()
            members, units = writes.expected(started)
            want_m, want_u = ctx["base_members"] + members, ctx["base_units"] + units
            if n % 5 == 4:
                status, body, seconds = client.get(path_dash)
                recorder.add("check dashboard", seconds, status, body)
                found = MEMBERS_FIGURE.search(body.decode(errors="replace"))
                if status == 200 and found:
                    got = int(found[1].replace(",", ""))
                    stale["dashboard"][0] += 1
                    if got < want_m:
                        stale["dashboard"][1] += 1
                        if len(stale_examples) < 5:
                            stale_examples.append(f"dashboard members {got:,} < {want_m:,}")
            else:
                status, body, seconds = client.get(path_values, api=True)
                recorder.add("check values", seconds, status, body)
                if status == 200:
                    own = json.loads(body)["rows"][0]["values"]
                    stale["values api"][0] += 1
                    if own["members"] < want_m or own["units"] < want_u:
                        stale["values api"][1] += 1
                        if len(stale_examples) < 5:
                            stale_examples.append(
                                f"values members {own['members']:,} (≥ {want_m:,} committed), "
                                f"units {own['units']:,} (≥ {want_u:,})"
                            )
            n += 1
            stop.wait(max(0.0, 1.0 - (time.monotonic() - started)))
        client.close()

    upload = {"status": "not started", "seconds": None, "post": None, "message": ""}

    def upload_loop():
        if args.upload_rows <= 0:
            return
        client = Client(ctx["port"], max(args.timeout, 120), token=ctx["token"])
        body, content_type = multipart(
            {"org": ctx["union"]}, "file", "roll.csv", ctx["roll_path"].read_bytes()
        )
        started = time.monotonic()
        status, data, seconds, _ = client.request(
            "POST",
            "/api/v1/imports/roll",
            body=body,
            headers={"Content-Type": content_type},
            api=True,
        )
        upload["post"] = seconds
        recorder.add("upload post", seconds, status, data)
        if status != 202:
            upload["status"] = f"refused: HTTP {status} {brief(data)}"
            return
        task = json.loads(data)["id"]
        upload["status"] = f"accepted (task {task}), first status not read yet"
        deadline = t_end + args.upload_wait
        while time.monotonic() < deadline:
            status, data, seconds = client.get(f"/api/v1/imports/{task}", api=True)
            recorder.add("upload status", seconds, status, data)
            if status == 200:
                info = json.loads(data)
                upload["status"] = f"{info['status']} {info['done']:,}/{info['total']:,}"
                upload["message"] = info["message"]
                if info["status"] in ("done", "failed", "error", "cancelled"):
                    if info["status"] == "done":
                        with writes.lock:
                            writes.upload_rows = args.upload_rows
                            writes.upload_done_at = time.monotonic()
                    upload["seconds"] = time.monotonic() - started
                    break
            time.sleep(0.5)
        client.close()

    threads = [threading.Thread(target=upload_loop, name="upload", daemon=True)]
    threads += [threading.Thread(target=writer_loop, name="writer", daemon=True)]
    threads += [threading.Thread(target=checker_loop, name="checker", daemon=True)]
    threads += [
        threading.Thread(target=client_loop, args=(i,), name=f"client{i}", daemon=True)
        for i in range(args.clients)
    ]
    load_started = time.monotonic()
    for thread in threads:
        thread.start()
    progress_at = load_started
    while time.monotonic() < t_end and any(t.is_alive() for t in threads[1:]):
        time.sleep(0.5)
        if time.monotonic() - progress_at >= 10:
            progress_at = time.monotonic()
            done = sum(len(v) for v in recorder.samples.values())
            say(
                f"  {progress_at - load_started:5.0f} s: {done:,} requests; upload {upload['status']}"
            )
    stop.set()
    for thread in threads[1:]:
        thread.join(args.timeout + 5)
    wall = time.monotonic() - load_started
    if threads[0].is_alive():
        say(f"  waiting up to {args.upload_wait:.0f} s for the upload: {upload['status']}")
        threads[0].join(args.upload_wait + args.timeout + 5)
    # A last read after everything settled: every write committed must show.
    client = Client(ctx["port"], args.timeout, ctx["cookie"], ctx["token"])
    members, units = writes.expected(time.monotonic())
    status, body, _ = client.get(ctx["values_path"](province, "members,units"), api=True)
    final = json.loads(body)["rows"][0]["values"] if status == 200 else {}
    client.close()
    return {
        "recorder": recorder,
        "wall": wall,
        "stale": stale,
        "stale_examples": stale_examples,
        "upload": upload,
        "writes": (len(writes.joins), len(writes.units), skipped[0]),
        "final": (final, ctx["base_members"] + members, ctx["base_units"] + units),
    }


def print_server_times(access_log: Path, offset: int) -> None:
    """Each kind of request's own time in gunicorn during the load (from its access log):
    what the pages cost, apart from waiting for a free worker."""
    if not access_log.exists():
        return
    times: dict[str, list[float]] = {}
    slowest: list[tuple[float, int, str]] = []
    with access_log.open("rb") as f:
        f.seek(offset)
        for n, line in enumerate(f.read().decode(errors="replace").splitlines()):
            parts = line.split()
            if len(parts) < 4 or not parts[3].isdigit():
                continue
            method, path = parts[0], parts[1]
            kind = f"{method} {re.sub(r'/[0-9]+', '/N', path)}"
            query = parts[4] if len(parts) > 4 else ""
            if path == "/members/" and "q=" in query:
                kind += " q=initials" if re.search(r"q=[A-Za-z]+(&|$)", query) else " q=name"
            times.setdefault(kind, []).append(int(parts[3]) / 1e6)
            slowest.append((int(parts[3]) / 1e6, n, kind))
    say("time in the server (gunicorn access log), by path:")
    say(f"  {'path':44}{'count':>7}{'p50':>11}{'p95':>11}{'sum s':>9}")
    for kind, found in sorted(times.items(), key=lambda kv: -sum(kv[1])):
        say(
            f"  {kind[:44]:44}{len(found):>7}{ms(pct(found, 0.5)):>11}{ms(pct(found, 0.95)):>11}"
            f"{sum(found):>9.1f}"
        )
    say("  the slowest (n = the answer's place in the log):")
    for seconds, n, kind in sorted(slowest, reverse=True)[:8]:
        say(f"    {ms(seconds):>11}  n={n:<6} {kind}")


def print_load(result, args) -> tuple[float, int]:
    recorder = result["recorder"]
    wall = result["wall"]
    say(f"{'kind':20}{'count':>8}{'p50':>12}{'p95':>12}{'p99':>12}{'errors':>8}{'req/s':>8}")
    every, errors = [], 0
    client_kinds = set()
    for kind, samples in sorted(recorder.samples.items()):
        times = [s for s, _ in samples]
        bad = sum(1 for _, status in samples if status == 0 or status >= 400)
        say(
            f"{kind:20}{len(samples):>8,}{ms(pct(times, 0.5)):>12}{ms(pct(times, 0.95)):>12}"
            f"{ms(pct(times, 0.99)):>12}{bad:>8}{len(samples) / wall:>8.1f}"
        )
        if not kind.startswith(("upload", "check")):
            every += times
            client_kinds.add(kind)
        errors += bad
    p95 = pct(every, 0.95) if every else float("nan")
    say(
        f"{'all reads + writes':20}{len(every):>8,}{ms(pct(every, 0.5)):>12}{ms(p95):>12}"
        f"{ms(pct(every, 0.99)):>12}{errors:>8}{len(every) / wall:>8.1f}"
    )
    for kind, failures in recorder.failures.items():
        for failure in failures:
            say(f"  error {kind}: {failure}")
    return p95, errors


# ---- main -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="bench database (default uw_live_bench[_small])")
    parser.add_argument("--scale", choices=("province", "small"), default="province")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the database")
    parser.add_argument("--seconds", type=float, default=60, help="length of the mixed load")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--writes-per-second", type=float, default=5)
    parser.add_argument("--writer-threads", type=int, default=10, help="writes in flight at most")
    parser.add_argument("--upload-rows", type=int, default=100_000)
    parser.add_argument(
        "--upload-wait", type=float, default=300, help="seconds to wait for the upload after"
    )
    parser.add_argument("--runs", type=int, default=7, help="medians of this many requests")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per request")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (with --worker-class gthread)"
    )
    parser.add_argument(
        "--redis",
        choices=("auto", "none"),
        default="auto",
        help="auto: $REDIS_URL, else a private redis-server if installed; none: per-process caches",
    )
    args = parser.parse_args()
    name = args.database or ("uw_live_bench" if args.scale == "province" else "uw_live_bench_small")

    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        say(
            "DATABASE_URL must be a PostgreSQL URL (an admin URL: the bench uses its own database)."
        )
        return 2
    ensure_database(admin_url, name, args.scale, args.rebuild)
    bench_url = with_database(admin_url, name)

    os.environ["DATABASE_URL"] = bench_url
    os.environ["DEBUG"] = "0"
    outer_redis = os.environ.pop("REDIS_URL", "")  # the bench's own Django: local cache only
    django_setup()
    import psycopg
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from unionworks.accounts.models import User
    from unionworks.core.creditcode import make_credit_code
    from unionworks.core.periods import parse_period
    from unionworks.orgs.models import Org, Unit
    from unionworks.stats.forms import default_period
    from unionworks.stats.lens import PROJECTS
    from unionworks.stats.selectors import indicator_table

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from coverage import REFERENCE_SQL

    admin = User.objects.select_related("org").get(username="admin")
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    token_out = io.StringIO()
    call_command("issue_token", "admin", "--name", "bench/live_figures.py", stdout=token_out)
    token = token_out.getvalue().strip()
    province = admin.org
    cities = list(Org.objects.filter(parent=province).values_list("id", flat=True))
    today = timezone.localdate()
    period = default_period(today)
    codes = next(p for p in PROJECTS if p.code == "foundation").kept()
    # The union the writes and the upload go to: a grassroots union covering a unit.
    unit = (
        Unit.objects.filter(union__kind=Org.Kind.GRASSROOTS, union__dissolved_on__isnull=True)
        .select_related("union")
        .order_by("id")
        .first()
    )
    # Clerks' writes land in many unions, each of ordinary size; the upload goes to one.
    spread = list(
        Unit.objects.filter(union__kind=Org.Kind.GRASSROOTS, union__dissolved_on__isnull=True)
        .exclude(union_id=unit.union_id)
        .order_by("-id")[:500]
    )
    with connection.cursor() as cursor:
        cursor.execute("select min(id), max(id) from members_member")
        low, high = cursor.fetchone()
        picks = random.Random(2008).sample(range(low, high + 1), min(400, high - low + 1))
        cursor.execute(
            "select name, name_initials from members_member where id = any(%s) limit 30", [picks]
        )
        sampled = cursor.fetchall()
        cursor.execute(MEMBERS_AS_OF, [today, today])
        members_now = cursor.fetchone()[0]
    names = [n for n, _ in sampled if len(n) >= 2] or ["王伟"]
    initials = [i for _, i in sampled if i] or ["ww"]
    say(
        f"data: {Org.objects.count():,} orgs, {Unit.objects.count():,} units, "
        f"{members_now:,} members as of {today}; period {period.code}; "
        f"writes into {len(spread)} unions' units in turn; upload into union {unit.union_id} "
        f"({unit.union.name})"
    )

    # -- 1. the precomputed reference -----------------------------------------------------
    say("computing the 夯基 dashboard's figures once, for the reference table …")
    started = time.perf_counter()
    table = indicator_table(admin, org=province, period=period, codes=codes)
    computed = time.perf_counter() - started
    rows = [
        (r.org_id, period.code, code, r.figures.get(code))
        for r in [table.own, *table.rows]
        for code in codes
    ]
    org_ids = [table.own.org_id, *(r.org_id for r in table.rows)]
    connections.close_all()
    reference_read = None
    sql_conn = psycopg.connect(bench_url, autocommit=True)
    sql_conn.execute("drop table if exists bench_precomputed")
    sql_conn.execute(
        "create table bench_precomputed (org_id int, period text, code text, value numeric,"
        " primary key (org_id, period, code))"
    )
    procs = Processes(Path(tempfile.mkdtemp(prefix="uw-live-")))
    finished = False
    try:
        with sql_conn.cursor() as cursor:
            cursor.executemany("insert into bench_precomputed values (%s, %s, %s, %s)", rows)
        sql_conn.execute("analyze bench_precomputed")
        read_sql = (
            "select org_id, code, value from bench_precomputed"
            " where period = %s and org_id = any(%s) and code = any(%s)"
        )
        reads = []
        for _ in range(50):
            started = time.perf_counter()
            got = sql_conn.execute(read_sql, [period.code, org_ids, codes]).fetchall()
            reads.append(time.perf_counter() - started)
        assert len(got) == len(rows), (len(got), len(rows))
        reference_read = statistics.median(reads)
        say(
            f"precomputed table: {len(rows)} figures ({len(org_ids)} orgs × {len(codes)} indicators), "
            f"computed in {computed:.2f} s; read back: median {ms(reference_read)} of 50"
        )

        # -- the application ---------------------------------------------------------------
        redis_url = outer_redis
        if not redis_url and args.redis == "auto":
            redis_url = start_redis(procs) or ""
            cache_note = (
                f"private redis-server {redis_url}" if redis_url else "none (no redis-server)"
            )
        else:
            cache_note = f"$REDIS_URL {redis_url}" if redis_url else "none (--redis none)"
        say(
            "shared cache: "
            + cache_note
            + (
                ""
                if redis_url
                else " — per-process caches: a worker may not see the other's writes"
            )
        )
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "DATABASE_URL": bench_url,
            "UNIONWORKS_ENV": "demo",
            "DEBUG": "0",
            "TASKS_MODE": "worker",
        }
        env.pop("REDIS_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
        port = free_port()
        procs.start("run_tasks", [sys.executable, "manage.py", "run_tasks", "--poll", "0.5"], env)
        started = time.perf_counter()
        start_web(procs, env, port, args)
        say(
            f"gunicorn -w {args.workers} -k {args.worker_class} --threads {args.threads} "
            f"on {HOST}:{port} answered in "
            f"{time.perf_counter() - started:.1f} s; TASKS_MODE=worker with one run_tasks; logs in {procs.logs}"
        )
        cookie = log_in(port, "admin", PASSWORD)
        client = Client(port, args.timeout, cookie, token)

        floor, _ = median_get(client, "/api/v1/indicators/", max(args.runs, 11), api=True)
        reference = reference_read + floor
        say(
            f"HTTP floor (GET /api/v1/indicators/, token auth): median {ms(floor)}; "
            f"reference = read + floor = {ms(reference)}"
        )

        # -- 2. warm -----------------------------------------------------------------------
        all_codes = ",".join(codes)

        def values_path(org_id, indicators=None):
            return "/api/v1/values/?" + urlencode(
                {"period": period.code, "indicators": indicators or all_codes, "org": org_id}
            )

        dashboard = "/stats/dashboards/foundation/?" + urlencode(
            {"org": province.pk, "period": period.code}
        )
        indicators_page = "/stats/indicators/?" + urlencode(
            {"org": province.pk, "period": period.code}
        )
        say("warm: each asked 3 times first, then the median of the next runs")
        warm = {}
        for label, path, api in (
            ("dashboard page", dashboard, False),
            ("indicator table page", indicators_page, False),
            ("values api", values_path(province.pk), True),
        ):
            started = time.perf_counter()
            client.get(path, api=api)
            first = time.perf_counter() - started
            warm[label], body = median_get(client, path, args.runs, api=api, warmups=2)
            say(f"  {label:22} first {ms(first)}, warm median {ms(warm[label])}")
        if not MEMBERS_FIGURE.search(client.get(dashboard)[1].decode()):
            say("  (the members figure was not found in the dashboard page: check MEMBERS_FIGURE)")

        # -- 3. after one write ------------------------------------------------------------
        people = People(seed=2008)

        def join(c: Client, i: int):
            number, birth = people.number(i)
            where = spread[i % len(spread)]
            return c.post_json(
                "/api/v1/members/",
                {
                    "org": where.union_id,
                    "unit": where.pk,
                    "id_number": number,
                    "name": people.name(),
                    "joined_on": today.isoformat(),
                },
            )

        credit_rng = random.Random(people.region)

        def create_unit(c: Client, i: int):
            return c.post_json(
                "/api/v1/units/",
                {
                    "name": f"基准测试单位{people.region}-{i}",
                    "credit_code": make_credit_code(credit_rng),
                    "ownership": Unit.Ownership.PRIVATE.value,
                    "industry": Unit.Industry.C.value,
                    "org": spread[i % len(spread)].org_id,
                    "employees": 10,
                },
            )

        def dashboard_members(c: Client) -> tuple[int | None, float]:
            status, body, seconds = c.get(dashboard)
            found = MEMBERS_FIGURE.search(body.decode(errors="replace"))
            return (int(found[1].replace(",", "")) if status == 200 and found else None), seconds

        def api_members(c: Client) -> tuple[int | None, float]:
            status, body, seconds = c.get(values_path(province.pk, "members,units"), api=True)
            if status != 200:  # e.g. a kept-alive connection to a worker since restarted
                status, body, seconds = c.get(values_path(province.pk, "members,units"), api=True)
            if status != 200:
                return None, seconds
            return json.loads(body)["rows"][0]["values"]["members"], seconds

        say("after one write: a member joins through the API, then the dashboard at once")
        after, after_api, stale_after = [], [], 0
        for i in range(max(3, args.runs // 2)):
            before, _ = api_members(client)
            status, body, write_seconds = join(client, PROBE_BASE + i)
            if status != 201:
                raise SystemExit(f"join: HTTP {status} {body[:300]!r}")
            shown, seconds = dashboard_members(client)
            shown_api, seconds_api = api_members(client)
            after.append(seconds)
            after_api.append(seconds_api)
            stale = shown is None or before is None or shown < before + 1
            stale |= shown_api is None or shown_api < before + 1
            stale_after += stale
            say(
                f"  write {ms(write_seconds)}; dashboard {ms(seconds)} shows {shown} "
                f"(before {before}), values api {ms(seconds_api)} shows {shown_api}: "
                f"stale={'yes' if stale else 'no'}"
            )
        after_write = statistics.median(after)

        # -- 4. cold -----------------------------------------------------------------------
        cold_period = parse_period(f"2007-{random.SystemRandom().randrange(1, 13):02d}")
        say(f"cold: gunicorn restarted, period {cold_period.code} not asked before this run")
        client.close()
        procs.stop("gunicorn")
        start_web(procs, env, port, args)
        client = Client(port, args.timeout, cookie, token)
        for _ in range(2 * args.workers):  # the workers' start-up is not the figures' cost
            client.get("/api/v1/indicators/", api=True)
        cold_path = "/stats/dashboards/foundation/?" + urlencode(
            {"org": province.pk, "period": cold_period.code}
        )
        status, body, cold = client.get(cold_path)
        if status != 200:
            raise SystemExit(f"cold dashboard: HTTP {status} {body[:300]!r}")
        warm_again = median_get(client, cold_path, 3, warmups=1)[0]
        sql_times = []
        for _ in range(3):
            started = time.perf_counter()
            sql_conn.execute(REFERENCE_SQL, {"as_of": cold_period.as_of}).fetchall()
            sql_times.append(time.perf_counter() - started)
        sql = statistics.median(sql_times)
        say(
            f"  first dashboard {cold:.3f} s (then warm {ms(warm_again)}); hand-written SQL "
            f"(every node, median of 3) {sql:.3f} s"
        )

        # -- 5. mixed load -----------------------------------------------------------------
        roll_path = procs.logs / "roll.csv"
        if args.upload_rows > 0:
            write_roll(roll_path, args.upload_rows, people, unit.credit_code)
        base_members, _ = api_members(client)
        status, body, _ = client.get(values_path(province.pk, "members,units"), api=True)
        base_units = json.loads(body)["rows"][0]["values"]["units"]
        truth = psycopg.connect(bench_url, autocommit=True)
        true_members = truth.execute(MEMBERS_AS_OF, [today, today]).fetchone()[0]
        truth.close()
        if true_members != base_members:
            say(
                f"  note: values api says {base_members:,} members, the spells table {true_members:,}; "
                "staleness counted from the larger"
            )
            base_members = max(base_members, true_members)
        client.close()
        say(
            f"load: {args.clients} clients for {args.seconds:.0f} s, {args.writes_per_second:g} writes/s, "
            f"upload of {args.upload_rows:,} rows into union {unit.union_id}"
        )
        ctx = {
            "port": port,
            "cookie": cookie,
            "token": token,
            "period": period.code,
            "province": province.pk,
            "cities": cities or [province.pk],
            "names": names,
            "initials": initials,
            "orgs_for_values": [province.pk, *cities],
            "values_path": values_path,
            "join": join,
            "create_unit": create_unit,
            "union": unit.union_id,
            "roll_path": roll_path,
            "base_members": base_members,
            "base_units": base_units,
        }
        access_log = procs.logs / "access.log"
        access_from = access_log.stat().st_size if access_log.exists() else 0
        result = run_load(ctx, args)
        p95, errors = print_load(result, args)
        print_server_times(access_log, access_from)
        upload = result["upload"]
        say(
            f"upload: {upload['status']}"
            + (f" in {upload['seconds']:.1f} s" if upload["seconds"] else "")
            + (f" (POST {ms(upload['post'])})" if upload["post"] else "")
            + (f" — {upload['message']}" if upload["message"] else "")
        )
        joins, units_made, skipped = result["writes"]
        say(
            f"writes committed: {joins} joins, {units_made} units "
            f"({(joins + units_made) / result['wall']:.1f}/s; {skipped} skipped, "
            f"all {args.writer_threads} writer threads busy)"
        )
        stale_reads = sum(bad for _, bad in result["stale"].values())
        for channel, (reads, bad) in result["stale"].items():
            say(f"staleness via {channel}: {bad} of {reads} reads missed a committed write")
        for example in result["stale_examples"]:
            say(f"  e.g. {example}")
        final, want_m, want_u = result["final"]
        say(
            f"after the load: values api {final.get('members')} members (committed ≥ {want_m:,}), "
            f"{final.get('units')} units (≥ {want_u:,})"
        )

        # -- summary -----------------------------------------------------------------------
        say()
        say(
            f"reference: precomputed read {ms(reference_read)} + HTTP floor {ms(floor)} = {ms(reference)}"
        )
        say(f"{'measure':34}{'time':>12}{'ratio':>10}{'vs read only':>14}   target")

        def line(label, seconds, base, target, extra=""):
            ratio = seconds / base
            only = f"{seconds / reference_read:,.0f}x" if base is reference else ""
            verdict = "ok" if ratio <= target else "MISSED"
            say(
                f"{label:34}{ms(seconds):>12}{ratio:>9.1f}x{only:>14}   ≤ {target:g}x {verdict}{extra}"
            )

        line("warm dashboard / reference", warm["dashboard page"], reference, TARGETS["warm"])
        line(
            "warm indicator table / reference",
            warm["indicator table page"],
            reference,
            TARGETS["warm"],
        )
        line("warm values api / reference", warm["values api"], reference, TARGETS["warm"])
        line(
            "after one write / reference",
            after_write,
            reference,
            TARGETS["after_write"],
            f"; stale {'yes' if stale_after else 'no'} ({stale_after} of {len(after)})",
        )
        line("cold dashboard / SQL GROUP BY", cold, sql, TARGETS["cold"])
        verdict = "ok" if p95 < TARGETS["p95"] and errors == 0 and stale_reads == 0 else "MISSED"
        say(
            f"{'load p95 (20 clients, writes, upload)':34}{ms(p95):>12}{'':24}   < 1 s, "
            f"0 errors ({errors}), 0 stale ({stale_reads}) {verdict}"
        )
        finished = errors == 0  # else the processes' logs are kept, to read the errors
        return 0
    finally:
        procs.stop_all()
        try:
            sql_conn.execute("drop table if exists bench_precomputed")
            sql_conn.close()
        except psycopg.Error:
            pass
        (procs.logs / "roll.csv").unlink(missing_ok=True)
        if finished:
            shutil.rmtree(procs.logs, ignore_errors=True)
        else:
            say(f"logs kept in {procs.logs}")


if __name__ == "__main__":
    sys.exit(main())
